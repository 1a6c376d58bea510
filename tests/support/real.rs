//! Shared by the integration tests that run the real binary on the 41 real documents: where
//! the corpus is (or a SKIPPED line when it is absent), running `polcode --study DIR …`, and a
//! study of the corpus imported with its metadata CSV as a user would.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// `../shared/corpus`, or `None` after printing that the test was skipped.
pub fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if p.join("docs").is_dir() {
        Some(p)
    } else {
        eprintln!("SKIPPED: {} is absent", p.display());
        None
    }
}

/// `polcode --study STUDY ARGS…`, which must succeed; its standard output.
pub fn polcode(study: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_polcode"))
        .arg("--study")
        .arg(study)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A study `TMP/s41` holding the 41 real documents, made by `polcode init` and `polcode import
/// --meta`.
pub fn real_study(tmp: &Path, corpus: &Path) -> PathBuf {
    let dir = tmp.join("s41");
    let st = Command::new(env!("CARGO_BIN_EXE_polcode"))
        .arg("init")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(st.status.success());
    polcode(
        &dir,
        &[
            "import",
            corpus.join("docs").to_str().unwrap(),
            "--meta",
            corpus.join("metadata.csv").to_str().unwrap(),
        ],
    );
    dir
}
