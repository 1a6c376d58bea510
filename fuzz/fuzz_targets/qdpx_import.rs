//! Fuzz target: the REFI-QDA project importer (`refi_import::import_qdpx`) on arbitrary bytes
//! (zip archive, project XML, source texts, selections). No panic, no hang, no unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use polcode_core::refi_import::import_qdpx;

fuzz_target!(|data: &[u8]| {
    if let Ok(imp) = import_qdpx(data) {
        // Building documents from the import must not panic either (offsets into Chinese text).
        let _ = polcode_core::refi_import::import_documents(&imp);
    }
});
