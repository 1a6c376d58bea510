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
pub const SAMPLES_DIR: &str = "samples";

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
