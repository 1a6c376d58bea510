//! Fuzz target: PDF text extraction (`corpus::pdf::pdf_to_text`) on arbitrary bytes. No hang,
//! no unbounded memory; a parser panic is caught inside and becomes an "unreadable" error; text
//! that comes out is one paragraph per line with no control character but the line feed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use polcode_core::corpus::pdf::pdf_to_text;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = pdf_to_text(data) {
        assert!(text.chars().all(|c| c == '\n' || !c.is_control()), "{text:?}");
    }
});
