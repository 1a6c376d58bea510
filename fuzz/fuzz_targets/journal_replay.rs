//! Fuzz target: journal replay (`store::journal::parse`) and the snapshot parser
//! (`store::snapshot::parse`) on arbitrary bytes. No panic; replayed records are in strictly
//! increasing seq order and re-encode to lines that replay to the same records; a snapshot that
//! parses renders back to one that parses to the same codings.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use polcode_core::store::journal::{encode, parse};
use polcode_core::store::snapshot;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.journal");
    if let Ok(replay) = parse(path, data) {
        assert!(replay.good_len as usize <= data.len());
        assert!(replay.records.windows(2).all(|w| w[0].seq < w[1].seq));
        let mut again = Vec::new();
        for r in &replay.records {
            again.extend(encode(r).unwrap());
        }
        let back = parse(path, &again).unwrap();
        assert_eq!(back.records, replay.records);
        assert!(!back.dirty_tail && back.warnings.is_empty());
    } else if let Err(e) = parse(path, data) {
        assert!(e.to_string().starts_with("fuzz.journal"), "{e}");
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let p = Path::new("fuzz.yaml");
        for coder in ["li", "fuzz"] {
            if let Ok(s) = snapshot::parse(p, text, coder) {
                let y = snapshot::render(&s.codings, s.seq).unwrap();
                let back = snapshot::parse(p, &y, coder).unwrap();
                assert_eq!(back.codings.decisions, s.codings.decisions);
                assert_eq!(back.seq, s.seq);
            }
        }
    }
});
