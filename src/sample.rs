//! Blind double-coding samples (issue 13, reliability while coding): `polcode sample` draws a
//! stratified random share of the study's body paragraphs for a second coder, and keeps it in
//! `samples/<coder>.yaml`; `polcode code --sample` walks only those paragraphs and `polcode
//! agree --sample` measures agreement on them as the overlap grows.
//!
//! The draw: body paragraphs (the units that are coded and counted) are split into strata by
//! the document's region, level, … (`--stratify`); each stratum of N paragraphs gets
//! `max(1, round(share × N))` of them (so no stratum is left out), drawn without replacement by
//! a partial Fisher–Yates shuffle from SplitMix64 seeded with `--seed`. The same study, seed,
//! share and strata always draw the same paragraphs; the file records all four.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::corpus::ParaKind;
use crate::stats::groups::{By, Groups};
use crate::study::{Study, StudyError};

/// Folder of sample files in a study.
pub const SAMPLES_DIR: &str = "samples";

/// One sampled paragraph: its id and the hash of the text it had when drawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampledPara {
    pub para: String,
    pub hash: String,
}

/// A stratum's size and how many of its paragraphs were drawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stratum {
    /// The document's values of the stratifying fields, joined by ` / ` (`east / provincial`).
    pub key: String,
    pub paragraphs: usize,
    pub drawn: usize,
}

/// A drawn sample, as stored in `samples/<coder>.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    pub coder: String,
    pub seed: u64,
    pub share: f64,
    /// Fields the strata are made of (`region`, `level`, …); empty: one stratum.
    pub stratify: Vec<String>,
    /// The rule, for whoever reads the file without polcode.
    pub rule: String,
    pub strata: Vec<Stratum>,
    /// The drawn paragraphs, in document order.
    pub paragraphs: Vec<SampledPara>,
}

/// How the sample is drawn, in words (stored in the file and printed).
pub const RULE: &str = "body paragraphs; per stratum max(1, round(share x N)) drawn without \
replacement (partial Fisher-Yates, SplitMix64 seeded with `seed`)";

/// SplitMix64: a tiny, well-known generator; enough for drawing a sample and identical on
/// every platform.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`), without modulo bias.
    fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next();
            if x < zone {
                return x % n;
            }
        }
    }
}

/// Parses `--stratify region,level` (empty: no strata).
pub fn parse_stratify(spec: &str) -> Result<Vec<By>, String> {
    spec.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| match By::parse(s) {
            Some(By::Document) | Some(By::None) | None => Err(format!(
                "cannot stratify by {s:?}: use region, level, province, year or kind"
            )),
            Some(b) => Ok(b),
        })
        .collect()
}

/// Draws a sample of `share` (0 < share ≤ 1) of the study's body paragraphs for `coder`.
pub fn draw(
    study: &Study,
    coder: &str,
    share: f64,
    by: &[By],
    seed: u64,
) -> Result<Sample, String> {
    if !(share > 0.0 && share <= 1.0) {
        return Err(format!(
            "--share must be above 0 and at most 1 (got {share})"
        ));
    }
    let groups: Vec<Groups> = by
        .iter()
        .map(|&b| Groups::new(b, &study.scheme, &study.docs))
        .collect();
    // Stratum key → body paragraphs (document index, paragraph index), in document order.
    let mut strata: BTreeMap<Vec<usize>, (String, Vec<(usize, usize)>)> = BTreeMap::new();
    for (di, doc) in study.docs.iter().enumerate() {
        let order: Vec<usize> = groups.iter().map(|g| g.of_doc[di]).collect();
        let label = groups
            .iter()
            .map(|g| g.labels[g.of_doc[di]].clone())
            .collect::<Vec<_>>()
            .join(" / ");
        let entry = strata.entry(order).or_insert_with(|| (label, Vec::new()));
        for (pi, p) in doc.paragraphs.iter().enumerate() {
            if p.kind == ParaKind::Body {
                entry.1.push((di, pi));
            }
        }
    }
    let mut rng = SplitMix64(seed);
    let mut drawn: Vec<(usize, usize)> = Vec::new();
    let mut out_strata = Vec::new();
    for (label, mut paras) in strata.into_values() {
        let n = paras.len();
        if n == 0 {
            continue;
        }
        let k = ((share * n as f64).round() as usize).clamp(1, n);
        for i in 0..k {
            let j = i + rng.below((n - i) as u64) as usize;
            paras.swap(i, j);
        }
        drawn.extend_from_slice(&paras[..k]);
        out_strata.push(Stratum {
            key: if label.is_empty() {
                "all".into()
            } else {
                label
            },
            paragraphs: n,
            drawn: k,
        });
    }
    drawn.sort_unstable();
    let paragraphs = drawn
        .into_iter()
        .map(|(di, pi)| {
            let doc = &study.docs[di];
            let p = &doc.paragraphs[pi];
            SampledPara {
                para: format!("{}#{}", doc.id, p.n),
                hash: p.hash.clone(),
            }
        })
        .collect();
    Ok(Sample {
        coder: coder.to_string(),
        seed,
        share,
        stratify: by.iter().map(|b| b.as_str().to_string()).collect(),
        rule: RULE.to_string(),
        strata: out_strata,
        paragraphs,
    })
}

/// Where `coder`'s sample is kept.
pub fn path(root: &Path, coder: &str) -> PathBuf {
    root.join(SAMPLES_DIR).join(format!("{coder}.yaml"))
}

/// Saves a sample (atomic replace).
pub fn save(root: &Path, sample: &Sample) -> Result<PathBuf, StudyError> {
    let p = path(root, &sample.coder);
    let dir = root.join(SAMPLES_DIR);
    std::fs::create_dir_all(&dir).map_err(|e| StudyError::io(&dir, e))?;
    let text = serde_yaml::to_string(sample)
        .map_err(|e| StudyError::Invalid(format!("{}: {e}", p.display())))?;
    crate::fsutil::atomic_write(&p, text.as_bytes()).map_err(|e| StudyError::io(&p, e))?;
    Ok(p)
}

/// `coder`'s sample, if one was drawn; a damaged file is an error naming it and its line.
pub fn load(root: &Path, coder: &str) -> Result<Option<Sample>, StudyError> {
    let p = path(root, coder);
    let text = match std::fs::read_to_string(&p) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StudyError::io(&p, e)),
    };
    crate::fsutil::yaml_from_str(&text)
        .map(Some)
        .map_err(|e| StudyError::yaml(&p, &e))
}

impl Sample {
    /// The sampled paragraph ids, for membership tests.
    pub fn ids(&self) -> std::collections::HashSet<&str> {
        self.paragraphs.iter().map(|p| p.para.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_is_the_reference_sequence() {
        // First outputs for seed 1234567 of the reference implementation (Vigna).
        let mut r = SplitMix64(1234567);
        assert_eq!(r.next(), 6457827717110365317);
        assert_eq!(r.next(), 3203168211198807973);
    }

    #[test]
    fn stratify_names_are_checked() {
        assert_eq!(
            parse_stratify("region, level").unwrap(),
            [By::Region, By::Level]
        );
        assert!(parse_stratify("").unwrap().is_empty());
        assert!(parse_stratify("document")
            .unwrap_err()
            .contains("cannot stratify"));
    }
}
