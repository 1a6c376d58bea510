//! polcode-core: the functional core of polcode, a keyboard-driven tool for coding policy
//! documents: studies, codebooks, corpus import, the coder store, suggestions, statistics and
//! exchange formats.
//!
//! This crate has no terminal dependency: ratatui and crossterm are not among its dependencies,
//! so the compiler refuses any use of them here. The coding screen is the `polcode-tui` crate,
//! the command line the `polcode` binary at the top of the workspace.
//!
//! Errors follow one rule: a message is the whole story. Each error type's `Display` names the
//! file (and line where there is one) and ends with its cause, and no error returns that cause
//! again as `source()`, so a caller that prints a chain (`outer: inner`) shows every cause once.
#![forbid(unsafe_code)]

pub mod check;
pub mod codebook;
pub mod corpus;
pub mod demo;
pub mod devset;
pub mod docfile;
pub mod export;
pub(crate) mod flowyaml;
pub mod fsutil;
pub mod ingest;
pub(crate) mod lookalike;
pub mod refi_import;
pub mod sample;
pub mod search;
pub mod stats;
pub mod store;
pub mod study;
pub mod suggest;
pub mod termsafe;
pub mod wordseg;
pub mod xmltext;

#[cfg(test)]
mod error_rule_tests {
    //! The crate's error rule: the cause is in the message and is not also the `source()`.

    use std::error::Error;
    use std::path::Path;

    fn io() -> std::io::Error {
        std::io::Error::new(std::io::ErrorKind::NotFound, "no such file")
    }

    /// `e`'s message holds `cause`, and `e` chains nothing.
    fn assert_rule(e: &dyn Error, cause: &str) {
        let text = e.to_string();
        assert!(text.contains(cause), "{text} does not say {cause:?}");
        assert!(
            e.source().is_none(),
            "{text} also returns its cause as source()"
        );
    }

    #[test]
    fn causes_are_in_the_message_and_never_chained() {
        let p = Path::new("s/polcode.yaml");
        let io_cause = io().to_string();
        assert_rule(&crate::study::StudyError::io(p, io()), &io_cause);
        assert_rule(&crate::store::StoreError::io(p, io()), &io_cause);
        let write = crate::store::StoreError::WriteFailed {
            path: p.into(),
            cause: io(),
        };
        assert_rule(&write, &io_cause);
        let import = crate::corpus::import::DocumentImportError::io(p, io());
        assert_rule(&import, &io_cause);
        let decode = crate::corpus::import::DocumentImportError::Decode {
            path: p.into(),
            cause: crate::corpus::decode::DecodeError::Empty,
        };
        assert_rule(&decode, "the file is empty");
        let json = serde_json::from_str::<u8>("x").unwrap_err();
        let json_cause = json.to_string();
        assert_rule(&crate::export::ExportError::from(json), &json_cause);
        // A row shorter than the header is an error for a reader that is not flexible.
        let csv = ::csv::Reader::from_reader("a,b\n1\n".as_bytes())
            .records()
            .find_map(Result::err)
            .expect("a short row is an error");
        let csv_cause = csv.to_string();
        assert_rule(&crate::export::ExportError::from(csv), &csv_cause);
    }
}
