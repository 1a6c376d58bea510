//! Replays the saved fuzz regression inputs through the fuzz targets' entry points and checks.

use std::fs;
use std::path::{Path, PathBuf};

use polcode_core::codebook;
use polcode_core::fsutil::hash_hex;
use polcode_core::store::journal;

// ---- fuzz regressions -------------------------------------------------------------------------

/// Replays every saved input under tests/fixtures/fuzz-regressions/<target>/ through the same
/// entry points and checks as the cargo-fuzz targets in fuzz/ (CI runs only this; the long
/// fuzzing runs are done by hand, see RELIABILITY.md). A crash found by fuzzing is saved here.
#[test]
fn fuzz_regressions_replay() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz-regressions");
    let inputs = |target: &str| -> Vec<(PathBuf, Vec<u8>)> {
        let mut v: Vec<_> = fs::read_dir(root.join(target))
            .unwrap()
            .flatten()
            .map(|e| (e.path(), fs::read(e.path()).unwrap()))
            .collect();
        v.sort();
        v
    };
    let mut replayed = 0;
    let scratch = tempfile::tempdir().unwrap();
    for (path, data) in inputs("import_text") {
        replay_import(scratch.path(), &data, &path);
        replayed += 1;
    }
    for (path, data) in inputs("codebook_load") {
        let text = String::from_utf8_lossy(&data);
        match codebook::load_str(&text, "fuzz.yaml") {
            Ok(_) => assert!(codebook::check_str(&text, "fuzz.yaml").is_empty()),
            Err(e) => assert!(
                e.to_string().starts_with("fuzz.yaml:"),
                "{}: {e}",
                path.display()
            ),
        }
        replayed += 1;
    }
    for (path, data) in inputs("journal_replay") {
        replay_journal(&data, &path);
        replayed += 1;
    }
    for (_, data) in inputs("qdpx_import") {
        if let Ok(imp) = polcode_core::refi_import::import_qdpx(&data) {
            let _ = polcode_core::refi_import::import_documents(&imp);
        }
        replayed += 1;
    }
    assert!(replayed >= 4);
}

fn replay_import(dir: &Path, data: &[u8], name: &Path) {
    use polcode_core::corpus::import::{read_document, ImportOptions};
    let Some((&sel, body)) = data.split_first() else {
        return;
    };
    let ext = ["txt", "md", "html", "docx", "htm"][sel as usize % 5];
    let p = dir.join(format!("doc.{ext}"));
    fs::write(&p, body).unwrap();
    let Ok(imported) = read_document(&p, &ImportOptions::default()) else {
        return;
    };
    let bad = |c: char| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    for (i, para) in imported.doc.paragraphs.iter().enumerate() {
        assert_eq!(para.n as usize, i + 1);
        assert!(
            !para.text.contains('\n') && !para.text.chars().any(bad),
            "{}: {:?}",
            name.display(),
            para.text
        );
        assert_eq!(para.hash, hash_hex(para.text.as_bytes(), 16));
    }
    assert!(
        !imported.doc.meta.title.chars().any(bad),
        "{}",
        name.display()
    );
}

fn replay_journal(data: &[u8], name: &Path) {
    use polcode_core::store::snapshot;
    let p = Path::new("fuzz.journal");
    match journal::parse(p, data) {
        Ok(r) => {
            assert!(r.records.windows(2).all(|w| w[0].seq < w[1].seq));
            let again: Vec<u8> = r
                .records
                .iter()
                .flat_map(|rec| journal::encode(rec).unwrap())
                .collect();
            assert_eq!(journal::parse(p, &again).unwrap().records, r.records);
        }
        Err(e) => assert!(
            e.to_string().starts_with("fuzz.journal"),
            "{}: {e}",
            name.display()
        ),
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(s) = snapshot::parse(Path::new("fuzz.yaml"), text, "li") {
            let y = snapshot::render(&s.codings, s.seq).unwrap();
            let back = snapshot::parse(Path::new("fuzz.yaml"), &y, "li").unwrap();
            assert_eq!(back.codings.decisions, s.codings.decisions);
        }
    }
}
