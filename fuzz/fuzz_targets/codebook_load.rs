//! Fuzz target: the codebook loader and validator (`codebook::load_str`, `check_str`) on
//! arbitrary text. No panic, no hang; a loaded codebook is consistent (unique ids, parents
//! before children) and an error always says where (origin in the message).
#![no_main]

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use polcode_core::codebook::{check_str, load_str};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let origin = "fuzz.yaml";
    match load_str(&text, origin) {
        Ok(cb) => {
            let mut seen = HashSet::new();
            for (i, n) in cb.nodes.iter().enumerate() {
                assert!(seen.insert(n.id.as_str()), "duplicate id {}", n.id);
                if let Some(p) = n.parent {
                    assert!(p < i, "parent after child");
                }
            }
            assert!(check_str(&text, origin).is_empty());
        }
        Err(e) => {
            assert!(e.to_string().contains(origin), "error without origin: {e}");
            assert!(!check_str(&text, origin).is_empty());
        }
    }
});
