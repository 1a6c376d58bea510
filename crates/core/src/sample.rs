//! Blind double-coding samples: `polcode sample --coder bob --share 0.1 --stratify
//! region,level --seed N` draws a share of the study's body paragraphs, proportionally from
//! each stratum (largest remainders, so the strata add up to the rounded total), for a second
//! coder to code without seeing anyone else's codes (`polcode code --sample`); `polcode agree
//! --sample` then reports agreement on the overlap as it grows.
//!
//! Stored in `samples/<coder>.yaml` (paragraph ids in reading order), so the sample is part of
//! the study, travels with it in git, and is drawn once: the same seed on the same documents
//! gives the same sample.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::corpus::ParaKind;
use crate::fsutil::{atomic_write, yaml_from_str};
use crate::stats::bootstrap::Rng;
use crate::stats::{By, Groups};
use crate::study::{Study, StudyError};

/// Folder of samples in a study.
pub(crate) const SAMPLES_DIR: &str = "samples";

/// A drawn sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// The coder who double-codes it.
    pub coder: String,
    /// Share of the body paragraphs asked for.
    pub share: f64,
    /// The groupings stratified by (`region`, `level`, ...), in order.
    #[serde(default)]
    pub stratify: Vec<String>,
    pub seed: u64,
    /// RFC 3339 time it was drawn.
    pub drawn: String,
    /// Body paragraphs of the study when drawn.
    pub population: usize,
    /// Paragraph ids, in reading order.
    pub paragraphs: Vec<String>,
    /// The hash of each paragraph's text when drawn (parallel to `paragraphs`), so that a
    /// re-import that moves paragraphs moves the sample with them (see [`Sample::resolve`]).
    /// Empty in samples drawn before it was recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hashes: Vec<String>,
}

impl Sample {
    /// The sample's paragraph ids in the documents as they are now, and a note for each one
    /// that moved or is gone. A paragraph is found by its id when it still holds the text it
    /// was drawn on, else by that text in the same document (nearest position first), as
    /// decisions are re-anchored; a paragraph whose text is gone is left out, never replaced
    /// by other text.
    pub fn resolve(&self, docs: &[crate::corpus::Document]) -> (Vec<String>, Vec<String>) {
        let mut ids = Vec::with_capacity(self.paragraphs.len());
        let mut notes = Vec::new();
        let (mut moved, mut gone) = (0usize, 0usize);
        for (k, id) in self.paragraphs.iter().enumerate() {
            let (doc_id, n) = match id.rsplit_once('#') {
                Some((d, n)) => (d, n.parse::<u32>().ok()),
                None => (id.as_str(), None),
            };
            let Some(doc) = docs.iter().find(|d| d.id == doc_id) else {
                gone += 1;
                continue;
            };
            let here = n.and_then(|n| doc.paragraphs.iter().find(|p| p.n == n));
            let Some(hash) = self.hashes.get(k) else {
                // Drawn before hashes were kept: the id is all there is.
                match here {
                    Some(_) => ids.push(id.clone()),
                    None => gone += 1,
                }
                continue;
            };
            if here.is_some_and(|p| &p.hash == hash) {
                ids.push(id.clone());
                continue;
            }
            let n = n.unwrap_or(0);
            match doc
                .paragraphs
                .iter()
                .filter(|p| &p.hash == hash)
                .min_by_key(|p| p.n.abs_diff(n))
            {
                Some(p) => {
                    ids.push(doc.para_id(p.n));
                    moved += 1;
                }
                None => gone += 1,
            }
        }
        if moved > 0 {
            notes.push(format!(
                "sample of {}: {moved} paragraph(s) moved by a re-import, followed by their text",
                self.coder
            ));
        }
        if gone > 0 {
            notes.push(format!(
                "sample of {}: {gone} paragraph(s) no longer in the documents (their text was \
                 changed or removed by a re-import); left out",
                self.coder
            ));
        }
        ids.sort_by_key(|id| {
            let (d, n) = id.rsplit_once('#').unwrap_or((id, "0"));
            (
                docs.iter().position(|x| x.id == d).unwrap_or(usize::MAX),
                n.parse::<u32>().unwrap_or(0),
            )
        });
        ids.dedup();
        (ids, notes)
    }
}

/// Where `coder`'s sample lives in the study at `root`.
pub fn path(root: &Path, coder: &str) -> PathBuf {
    root.join(SAMPLES_DIR).join(format!("{coder}.yaml"))
}

/// `coder`'s sample, if one was drawn.
pub fn load(root: &Path, coder: &str) -> Result<Option<Sample>, StudyError> {
    let p = path(root, coder);
    match std::fs::read_to_string(&p) {
        Ok(text) => yaml_from_str(&text)
            .map(Some)
            .map_err(|e| StudyError::yaml(&p, &e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StudyError::io(&p, e)),
    }
}

/// Every sample of the study at `root`, by coder name.
pub fn load_all(root: &Path) -> Result<Vec<Sample>, StudyError> {
    let dir = root.join(SAMPLES_DIR);
    let mut out = Vec::new();
    let rd = match std::fs::read_dir(&dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(StudyError::io(&dir, e)),
    };
    let mut names: Vec<String> = rd
        .flatten()
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            (!n.starts_with('.'))
                .then(|| n.strip_suffix(".yaml").map(str::to_string))
                .flatten()
        })
        .collect();
    names.sort();
    for n in names {
        out.extend(load(root, &n)?);
    }
    Ok(out)
}

/// Writes `s` to `samples/<coder>.yaml` (atomic replace).
pub fn save(root: &Path, s: &Sample) -> Result<(), StudyError> {
    let p = path(root, &s.coder);
    if let Some(dir) = p.parent() {
        std::fs::create_dir_all(dir).map_err(|e| StudyError::io(dir, e))?;
    }
    let yaml = serde_yaml::to_string(s)
        .map_err(|e| StudyError::Invalid(format!("{}: {e}", p.display())))?;
    atomic_write(&p, yaml.as_bytes()).map_err(|e| StudyError::io(&p, e))
}

/// Draws `share` of the study's body paragraphs, stratified by `stratify` (each stratum gets
/// its proportional share, largest remainders first, ties to the earlier stratum), with
/// `seed`. Returns the paragraph ids in reading order and the number of strata.
pub fn draw(study: &Study, share: f64, stratify: &[By], seed: u64) -> (Vec<String>, usize) {
    let groups: Vec<Groups> = stratify
        .iter()
        .map(|by| Groups::new(*by, &study.scheme, &study.docs))
        .collect();
    // Paragraph positions per stratum key, strata in order of first appearance.
    let mut keys: Vec<Vec<usize>> = Vec::new();
    let mut strata: Vec<Vec<(usize, usize)>> = Vec::new();
    for (d, doc) in study.docs.iter().enumerate() {
        let key: Vec<usize> = groups
            .iter()
            .map(|g| g.of_doc.get(d).copied().unwrap_or(usize::MAX))
            .collect();
        let s = match keys.iter().position(|k| *k == key) {
            Some(s) => s,
            None => {
                keys.push(key);
                strata.push(Vec::new());
                strata.len() - 1
            }
        };
        for (p, para) in doc.paragraphs.iter().enumerate() {
            if para.kind == ParaKind::Body {
                strata[s].push((d, p));
            }
        }
    }
    // Sort strata by key so the allocation does not depend on document order.
    let mut order: Vec<usize> = (0..strata.len()).collect();
    order.sort_by(|a, b| keys[*a].cmp(&keys[*b]));
    let population: usize = strata.iter().map(Vec::len).sum();
    let share = share.clamp(0.0, 1.0);
    let total = (share * population as f64).round() as usize;
    let exact: Vec<f64> = order
        .iter()
        .map(|&s| share * strata[s].len() as f64)
        .collect();
    let mut take: Vec<usize> = exact.iter().map(|x| x.floor() as usize).collect();
    let mut left = total.saturating_sub(take.iter().sum());
    let mut by_remainder: Vec<usize> = (0..order.len()).collect();
    by_remainder.sort_by(|a, b| {
        let (ra, rb) = (exact[*a] - exact[*a].floor(), exact[*b] - exact[*b].floor());
        rb.total_cmp(&ra).then(a.cmp(b))
    });
    for i in by_remainder {
        if left == 0 {
            break;
        }
        if take[i] < strata[order[i]].len() {
            take[i] += 1;
            left -= 1;
        }
    }
    let mut rng = Rng::new(seed, 0x5a3_91e);
    let mut chosen: Vec<(usize, usize)> = Vec::with_capacity(total);
    for (i, &s) in order.iter().enumerate() {
        // A partial Fisher–Yates shuffle picks `take[i]` distinct paragraphs.
        let mut pool = strata[s].clone();
        for k in 0..take[i] {
            let j = k + rng.below((pool.len() - k) as u64) as usize;
            pool.swap(k, j);
        }
        chosen.extend_from_slice(&pool[..take[i]]);
    }
    chosen.sort_unstable();
    let ids = chosen
        .into_iter()
        .map(|(d, p)| study.docs[d].para_id(study.docs[d].paragraphs[p].n))
        .collect();
    (ids, strata.len())
}

/// Body paragraphs of `study`.
pub fn population(study: &Study) -> usize {
    crate::corpus::body_units(&study.docs).len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{DocMeta, Document, Paragraph};

    fn doc(texts: &[&str]) -> Document {
        Document {
            id: "d".into(),
            meta: DocMeta::default(),
            paragraphs: texts
                .iter()
                .enumerate()
                .map(|(i, t)| Paragraph {
                    n: i as u32 + 1,
                    kind: ParaKind::Body,
                    section: String::new(),
                    hash: format!("h-{t}"),
                    text: t.to_string(),
                })
                .collect(),
        }
    }

    fn sample(ids: &[&str], hashes: &[&str]) -> Sample {
        Sample {
            coder: "bob".into(),
            share: 0.5,
            stratify: Vec::new(),
            seed: 1,
            drawn: String::new(),
            population: 3,
            paragraphs: ids.iter().map(|s| s.to_string()).collect(),
            hashes: hashes.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn a_sample_follows_its_text_through_a_reimport() {
        let s = sample(&["d#1", "d#3"], &["h-甲", "h-丙"]);
        // As drawn: unchanged.
        let (ids, notes) = s.resolve(&[doc(&["甲", "乙", "丙"])]);
        assert_eq!((ids, notes.len()), (vec!["d#1".into(), "d#3".into()], 0));
        // A paragraph inserted at the top: both move down with their text.
        let (ids, notes) = s.resolve(&[doc(&["新", "甲", "乙", "丙"])]);
        assert_eq!(ids, ["d#2", "d#4"]);
        assert!(notes[0].contains("2 paragraph(s) moved"), "{notes:?}");
        // 丙 rewritten: left out and said, never replaced by the text now at d#3.
        let (ids, notes) = s.resolve(&[doc(&["甲", "乙", "丁"])]);
        assert_eq!(ids, ["d#1"]);
        assert!(notes[0].contains("1 paragraph(s) no longer"), "{notes:?}");
        // A sample from before hashes were kept: by id only.
        let (ids, _) = sample(&["d#1", "d#9"], &[]).resolve(&[doc(&["甲", "乙"])]);
        assert_eq!(ids, ["d#1"]);
    }
}
