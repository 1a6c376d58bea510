//! The bundled demo study: ten short invented policy-style documents (national, East, Central,
//! West and Northeast issuers) compiled into the binary, imported into a study in the user's
//! data directory on first run so a newcomer sees the whole flow at once.

use std::fs;
use std::path::{Path, PathBuf};

use crate::ingest::{import_paths, ImportRequest};
use crate::study::{Study, StudyError, CONFIG_FILE};

/// The demo documents: file name and text.
pub const FILES: &[(&str, &str)] = &[
    (
        "01_national_blockchain-opinions.txt",
        include_str!("01_national_blockchain-opinions.txt"),
    ),
    (
        "02_national_blockchain-industry-plan.txt",
        include_str!("02_national_blockchain-industry-plan.txt"),
    ),
    (
        "03_beijing_blockchain-action-plan.txt",
        include_str!("03_beijing_blockchain-action-plan.txt"),
    ),
    (
        "04_guangzhou_blockchain-measures.txt",
        include_str!("04_guangzhou_blockchain-measures.txt"),
    ),
    (
        "05_hunan_blockchain-plan.txt",
        include_str!("05_hunan_blockchain-plan.txt"),
    ),
    (
        "06_zhengzhou_blockchain-opinions.txt",
        include_str!("06_zhengzhou_blockchain-opinions.txt"),
    ),
    (
        "07_guizhou_blockchain-opinions.txt",
        include_str!("07_guizhou_blockchain-opinions.txt"),
    ),
    (
        "08_chongqing_blockchain-3yr-plan.txt",
        include_str!("08_chongqing_blockchain-3yr-plan.txt"),
    ),
    (
        "09_jilin_blockchain-opinions.txt",
        include_str!("09_jilin_blockchain-opinions.txt"),
    ),
    (
        "10_shenyang_blockchain-measures.txt",
        include_str!("10_shenyang_blockchain-measures.txt"),
    ),
];

/// The demo's metadata CSV (same columns as a real import).
pub const META_CSV: &str = include_str!("meta.csv");

/// Folder name of the demo study inside the data directory.
pub const DEMO_DIR: &str = "demo";

/// Writes the demo sources into `dir/sources/` (with `meta.csv`).
pub fn write_sources(dir: &Path) -> Result<PathBuf, StudyError> {
    let src = dir.join("sources");
    fs::create_dir_all(&src).map_err(|e| StudyError::io(&src, e))?;
    for (name, text) in FILES {
        let p = src.join(name);
        fs::write(&p, text).map_err(|e| StudyError::io(&p, e))?;
    }
    let meta = src.join("meta.csv");
    fs::write(&meta, META_CSV).map_err(|e| StudyError::io(&meta, e))?;
    Ok(src)
}

/// Returns the demo study in `data_dir`, creating it on first use. It is built in a temporary
/// sibling directory and renamed into place, so an interrupted first run never leaves half a demo.
pub fn ensure(data_dir: &Path) -> Result<PathBuf, StudyError> {
    let dir = data_dir.join(DEMO_DIR);
    if dir.join(CONFIG_FILE).is_file() {
        return Ok(dir);
    }
    fs::create_dir_all(data_dir).map_err(|e| StudyError::io(data_dir, e))?;
    let tmp = data_dir.join(format!(".demo-building-{}", std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    let built = build(&tmp);
    if let Err(e) = built {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if dir.exists() {
        // A directory without polcode.yaml (e.g. left by an old crash): keep it aside, never delete.
        let aside = data_dir.join(format!("demo.broken-{}", std::process::id()));
        fs::rename(&dir, &aside).map_err(|e| StudyError::io(&dir, e))?;
    }
    fs::rename(&tmp, &dir).map_err(|e| StudyError::io(&dir, e))?;
    Ok(dir)
}

fn build(tmp: &Path) -> Result<(), StudyError> {
    fs::create_dir_all(tmp).map_err(|e| StudyError::io(tmp, e))?;
    let mut study = Study::init(tmp, Some("polcode demo"), "policy-tools")?;
    let src = write_sources(tmp)?;
    let req = ImportRequest {
        paths: vec![src.clone()],
        meta: Some(src.join("meta.csv")),
        ..ImportRequest::default()
    };
    let report = import_paths(&mut study, &req, &mut |_, _, _| {})?;
    if !report.errors.is_empty() {
        return Err(StudyError::Invalid(format!(
            "the bundled demo failed to import: {}",
            report.errors.join("; ")
        )));
    }
    Ok(())
}

/// Deletes the demo study (used by `polcode demo --reset`).
pub fn remove(data_dir: &Path) -> Result<(), StudyError> {
    let dir = data_dir.join(DEMO_DIR);
    match fs::remove_dir_all(&dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(StudyError::io(&dir, e)),
    }
}
