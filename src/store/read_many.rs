//! Reading several coders' codings at once (statistics, agreement, export): the coders are split
//! over two threads, since parsing large snapshots is most of those commands' start-up.

use std::path::Path;

use super::{read_codings, Codings, StoreError};

/// [`read_codings`] for each coder, in the order given; the first error (in that order) wins.
pub fn read_codings_many(
    codings_dir: &Path,
    coders: &[String],
) -> Result<Vec<(Codings, Vec<String>)>, StoreError> {
    let read = |names: &[String]| -> Vec<Result<(Codings, Vec<String>), StoreError>> {
        names.iter().map(|c| read_codings(codings_dir, c)).collect()
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
                })
                .unwrap();
            }
            s.close().unwrap();
        }
        let got = read_codings_many(dir.path(), &names).unwrap();
        let sizes: Vec<(String, usize)> = got
            .iter()
            .map(|(c, _)| (c.coder.clone(), c.decisions.len()))
            .collect();
        assert_eq!(
            sizes,
            vec![("a".into(), 1), ("b".into(), 2), ("c".into(), 3)]
        );
        assert!(read_codings_many(dir.path(), &["bad/name".to_string()]).is_err());
    }
}
