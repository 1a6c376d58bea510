//! Reading coders' codings for readers that never write (statistics, agreement, export,
//! reconciliation): each coder is re-anchored in memory to the study's documents, so no decision
//! is counted against text it was not made on, and several coders are split over two threads,
//! since parsing large snapshots is most of those commands' start-up.

use std::path::Path;

use super::{anchor, read_codings, Codings, StoreError};
use crate::corpus::Document;

/// [`read_codings`], then re-anchored in memory to `docs` (all the study's documents) when any
/// decision no longer fits its paragraph's text: after a re-import whose re-anchoring was
/// interrupted, or skipped because the coder's session was open. A warning says so; the files
/// are not touched (`polcode reanchor` or the coder's next session saves it).
pub fn read_anchored(
    codings_dir: &Path,
    coder: &str,
    docs: &[Document],
) -> Result<(Codings, Vec<String>), StoreError> {
    let (mut codings, mut warnings) = read_codings(codings_dir, coder)?;
    if let Some(r) = anchor::anchor_in_memory(&mut codings, docs) {
        if !r.is_unchanged() {
            warnings.push(format!(
                "codings of {coder}: some decisions were made on text a re-import has changed since; they are used where their text is now ({}); `polcode reanchor` saves this",
                r.summary()
            ));
        }
    }
    Ok((codings, warnings))
}

/// [`read_anchored`] for each coder, in the order given; the first error (in that order) wins.
pub fn read_codings_many(
    codings_dir: &Path,
    coders: &[String],
    docs: &[Document],
) -> Result<Vec<(Codings, Vec<String>)>, StoreError> {
    let read = |names: &[String]| -> Vec<Result<(Codings, Vec<String>), StoreError>> {
        names
            .iter()
            .map(|c| read_anchored(codings_dir, c, docs))
            .collect()
    };
    let (a, b) = coders.split_at(coders.len().div_ceil(2));
    let (ra, rb) = std::thread::scope(|s| {
        let h = s.spawn(|| read(b));
        (read(a), h.join())
    });
    let rb = rb.unwrap_or_else(|p| std::panic::resume_unwind(p));
    ra.into_iter().chain(rb).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{CoderStore, Decision, OpenMode};

    #[test]
    fn reads_every_coder_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let names: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        for (i, c) in names.iter().enumerate() {
            let mut s = CoderStore::open(dir.path(), c, OpenMode::ReadWrite).unwrap();
            for n in 0..=i {
                s.record(Decision {
                    para: format!("d#{}", n + 1),
                    hash: "h".into(),
                    nodes: vec!["x".into()],
                    no_code: false,
                    scores: Default::default(),
                    memo: None,
                    coder: c.clone(),
                    at: "2026-01-01T00:00:00Z".into(),
                    via: Default::default(),
                    derived: None,
                    found: None,
                })
                .unwrap();
            }
            s.close().unwrap();
        }
        let docs = [crate::corpus::Document {
            id: "d".into(),
            meta: Default::default(),
            paragraphs: (1..=3)
                .map(|n| crate::corpus::Paragraph {
                    n,
                    kind: Default::default(),
                    section: String::new(),
                    hash: "h".into(),
                    text: format!("p{n}"),
                })
                .collect(),
        }];
        let got = read_codings_many(dir.path(), &names, &docs).unwrap();
        let sizes: Vec<(String, usize)> = got
            .iter()
            .map(|(c, _)| (c.coder.clone(), c.decisions.len()))
            .collect();
        assert_eq!(
            sizes,
            vec![("a".into(), 1), ("b".into(), 2), ("c".into(), 3)]
        );
        assert!(got.iter().all(|(_, w)| w.is_empty()), "{got:?}");
        assert!(read_codings_many(dir.path(), &["bad/name".to_string()], &docs).is_err());
    }
}
