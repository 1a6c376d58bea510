//! Fuzz target: the whole single-file importer (`corpus::import::read_document`) — format
//! extraction (.txt, .md, .html, .docx), decoding, normalising and paragraph splitting — on
//! arbitrary bytes. The first input byte picks the file extension. Checks the promises the
//! rest of polcode relies on: no panic, no control character (escape sequences, bidi
//! overrides) left in any stored text, paragraphs numbered 1.. with hashes of their text.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use polcode_core::corpus::import::{read_document, ImportOptions};

const EXTS: [&str; 5] = ["txt", "md", "html", "docx", "htm"];

fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        // /dev/shm keeps the per-input file write off the disk when it exists.
        let base = ["/dev/shm", "/tmp"]
            .iter()
            .map(PathBuf::from)
            .find(|p| p.is_dir())
            .unwrap_or_else(std::env::temp_dir);
        let d = base.join(format!("polcode-fuzz-import-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    })
}

fn bad_char(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, body)) = data.split_first() else {
        return;
    };
    let ext = EXTS[sel as usize % EXTS.len()];
    let path = scratch().join(format!("doc.{ext}"));
    std::fs::write(&path, body).unwrap();
    let Ok(imported) = read_document(&path, &ImportOptions::default()) else {
        return;
    };
    let doc = imported.doc;
    assert!(!doc.paragraphs.is_empty());
    for (i, p) in doc.paragraphs.iter().enumerate() {
        assert_eq!(p.n as usize, i + 1);
        assert!(!p.text.contains('\n'), "newline inside paragraph {}", p.n);
        assert!(
            !p.text.chars().any(bad_char),
            "control character survived import: {:?}",
            p.text
        );
        assert!(!p.section.chars().any(bad_char));
        assert_eq!(p.hash, polcode_core::fsutil::hash_hex(p.text.as_bytes(), 16));
    }
    assert!(
        !doc.meta.title.chars().any(bad_char),
        "{:?}",
        doc.meta.title
    );
    // What is stored must load back unchanged.
    let yaml = serde_yaml_ng::to_string(&doc).unwrap();
    let back: polcode_core::corpus::Document = serde_yaml_ng::from_str(&yaml).unwrap();
    assert_eq!(back, doc);
});
