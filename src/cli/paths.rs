//! Where things live: the study to work on, the user's data directory (demo study) and config
//! directory (keymap, themes), and the default coder name.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use polcode::store;
use polcode::study::{Study, CONFIG_FILE};

/// The study directory: `--study`, else the current directory or its nearest parent holding a
/// `polcode.yaml`.
pub fn find_study(explicit: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(p) = explicit {
        return Ok(p);
    }
    match find_upwards(&std::env::current_dir()?) {
        Some(p) => Ok(p),
        None => bail!(
            "no study here: this directory and its parents have no {CONFIG_FILE}; \
             pass --study DIR, create one with `polcode init`, or run `polcode` for the demo"
        ),
    }
}

/// The nearest directory at or above `start` that holds a `polcode.yaml`.
pub fn find_upwards(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        if d.join(CONFIG_FILE).is_file() {
            return Some(d.to_path_buf());
        }
        dir = d.parent();
    }
    None
}

/// The user's data directory for polcode: `$POLCODE_DATA_DIR`, else the platform's data dir.
pub fn data_dir() -> Result<PathBuf> {
    if let Some(d) = std::env::var_os("POLCODE_DATA_DIR").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(d));
    }
    match directories::ProjectDirs::from("", "", "polcode") {
        Some(p) => Ok(p.data_dir().to_path_buf()),
        None => bail!("cannot find a home directory for the demo study; set POLCODE_DATA_DIR"),
    }
}

/// The config directory: `$POLCODE_CONFIG`, `$XDG_CONFIG_HOME/polcode`, `~/.config/polcode`
/// (also on macOS, where terminal users expect it).
pub fn config_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("POLCODE_CONFIG").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(d));
    }
    if let Some(x) = std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(x).join("polcode"));
    }
    directories::BaseDirs::new().map(|b| b.home_dir().join(".config").join("polcode"))
}

/// The coder name: `--coder`, `$POLCODE_CODER`, `$USER`, else `coder`.
pub fn coder(explicit: Option<&str>) -> String {
    explicit
        .map(str::to_string)
        .or_else(|| {
            std::env::var("POLCODE_CODER")
                .ok()
                .filter(|s| !s.is_empty())
        })
        .or_else(|| std::env::var("USER").ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "coder".to_string())
}

/// The coders a command works on: `given` (each checked to be a valid name that has codings in
/// the study, so a typo is an error rather than an empty table), or every coder of the study.
/// With no coder at all it fails with a hint when `required`.
pub fn study_coders(study: &Study, given: &[String], required: bool) -> Result<Vec<String>> {
    let known = study.coders();
    if given.is_empty() {
        if required && known.is_empty() {
            bail!("no coders in this study yet: code with `polcode code --coder NAME` first");
        }
        return Ok(known);
    }
    let mut out: Vec<String> = Vec::new();
    for c in given {
        store::validate_coder(c)?;
        if !known.contains(c) {
            bail!(
                "no coder {c:?} in this study (coders: {})",
                if known.is_empty() {
                    "none yet".to_string()
                } else {
                    known.join(", ")
                }
            );
        }
        if out.contains(c) {
            bail!("coder {c:?} is named twice");
        }
        out.push(c.clone());
    }
    Ok(out)
}

/// `target` as seen from directory `base`, both made absolute first (`../books/cb.yaml`), so
/// a path given relative to the current directory can be stored relative to a study.
pub fn relative_to(base: &Path, target: &Path) -> Result<PathBuf> {
    use anyhow::Context;
    let base = base
        .canonicalize()
        .with_context(|| format!("resolving {}", base.display()))?;
    let target = target
        .canonicalize()
        .with_context(|| format!("resolving {}", target.display()))?;
    let b: Vec<_> = base.components().collect();
    let t: Vec<_> = target.components().collect();
    let common = b.iter().zip(&t).take_while(|(x, y)| x == y).count();
    if common <= 1 {
        // Nothing shared but the root: an absolute path is clearer than a chain of `..`.
        return Ok(target);
    }
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c);
    }
    Ok(out)
}
