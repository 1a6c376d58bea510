//! Where things live: the study to work on, the user's data directory (demo study) and config
//! directory (keymap, themes), and the default coder name.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use polcode::study::CONFIG_FILE;

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
