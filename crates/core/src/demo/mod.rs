//! The bundled demo study: ten short invented policy-style documents (national, East, Central,
//! West and Northeast issuers) compiled into the binary, imported into a study in the user's
//! data directory on first run so a newcomer sees the whole flow at once.

use std::fs;
use std::path::{Path, PathBuf};

use crate::ingest::{import_paths, ImportRequest};
use crate::study::{Study, StudyError, CONFIG_FILE};

/// The demo documents: file name and text.
pub(crate) const FILES: &[(&str, &str)] = &[
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
pub(crate) const META_CSV: &str = include_str!("meta.csv");

/// Coder name of the bundled reference codings.
pub(crate) const REFERENCE_CODER: &str = "reference";

/// Reference codings of every body paragraph of the demo, coded by hand by a project engineer
/// from the policy-tools definitions (a codings snapshot; see `README.md` and `EVALUATION.md`).
/// Installed as `codings/reference.yaml` so that `polcode eval --coder reference` and the
/// analysis commands have data on a fresh demo.
pub(crate) const REFERENCE_YAML: &str = include_str!("reference.yaml");

/// Folder name of the demo study inside the data directory.
pub(crate) const DEMO_DIR: &str = "demo";

/// Writes the demo sources into `dir/sources/` (with `meta.csv`).
pub(crate) fn write_sources(dir: &Path) -> Result<PathBuf, StudyError> {
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
    // The demo's topic term: jieba's dictionary would cut it into 区块/链 in word counts.
    study.add_dictionary_words(&["区块链"])?;
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
    // The study is still in its temporary directory, renamed into place only when complete,
    // so a plain write is enough here.
    let codings = study.codings_dir().join(format!("{REFERENCE_CODER}.yaml"));
    fs::write(&codings, REFERENCE_YAML).map_err(|e| StudyError::io(&codings, e))?;
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

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::corpus::ParaKind;
    use crate::store::{read_codings, snapshot};

    #[test]
    fn reference_codings_cover_every_body_paragraph_of_the_built_demo() {
        let data = tempfile::tempdir().unwrap();
        let dir = ensure(data.path()).unwrap();
        let study = Study::open(&dir).unwrap();
        let (codings, warnings) = read_codings(&study.codings_dir(), REFERENCE_CODER).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(codings.orphans.is_empty(), "{:?}", codings.orphans);

        let mut body = HashSet::new();
        for doc in &study.docs {
            for p in doc.paragraphs.iter().filter(|p| p.kind == ParaKind::Body) {
                body.insert(format!("{}#{}", doc.id, p.n));
            }
        }
        assert_eq!(body.len(), 76, "the demo's body paragraphs changed");
        for d in codings.decisions.values() {
            // Every decision sits on an existing body paragraph with the same text hash: an
            // import change (splitter, normaliser) that moves or alters a paragraph fails here.
            let at = study
                .paragraph(&d.para)
                .unwrap_or_else(|| panic!("orphan {}", d.para));
            assert_eq!(
                at.para.hash, d.hash,
                "{}: text changed since coding",
                d.para
            );
            assert!(body.contains(&d.para), "{} is not a body paragraph", d.para);
            assert!(d.is_coded(), "{} has an empty decision", d.para);
            assert_eq!(d.coder, REFERENCE_CODER);
            for n in &d.nodes {
                let i = study
                    .codebook
                    .index(n)
                    .unwrap_or_else(|| panic!("unknown node {n}"));
                assert!(study.codebook.is_leaf(i), "{}: {n} is not a leaf", d.para);
                assert!(d.via.contains_key(n), "{}: no provenance for {n}", d.para);
            }
            assert!(
                !d.no_code || d.nodes.is_empty(),
                "{}: no-code with nodes",
                d.para
            );
        }
        let coded: HashSet<String> = codings.decisions.keys().cloned().collect();
        let missing: Vec<_> = body.difference(&coded).collect();
        assert!(missing.is_empty(), "uncoded body paragraphs: {missing:?}");

        // `polcode check` agrees, and the file is in the form polcode itself writes.
        let report = crate::check::check_study(&dir);
        assert!(report.problems.is_empty(), "{}", report.render());
        assert_eq!(snapshot::render(&codings, 0).unwrap(), REFERENCE_YAML);
    }

    #[test]
    fn reference_codings_use_every_leaf_of_the_codebook() {
        // A reference that never uses a node cannot measure that node's recall.
        let data = tempfile::tempdir().unwrap();
        let dir = ensure(data.path()).unwrap();
        let study = Study::open(&dir).unwrap();
        let (codings, _) = read_codings(&study.codings_dir(), REFERENCE_CODER).unwrap();
        let used: HashSet<&str> = codings
            .decisions
            .values()
            .flat_map(|d| d.nodes.iter().map(String::as_str))
            .collect();
        for i in study.codebook.leaves() {
            let id = study.codebook.nodes[i].id.as_str();
            assert!(used.contains(id), "leaf {id} never coded in the reference");
        }
    }
}
