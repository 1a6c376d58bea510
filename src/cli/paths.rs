//! Where things live: the study to work on, the user's data directory (demo study) and config
//! directory (keymap, themes), and the coder name (given, remembered for the study, or asked
//! once: never invented).

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use polcode_core::store;
use polcode_core::study::{Study, CONFIG_FILE};

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

/// The study's local directory: machine- and person-specific state that is not part of the
/// study (it holds a `.gitignore` of `*`, so it never reaches a shared repository).
pub const LOCAL_DIR: &str = ".polcode";
/// The file in [`LOCAL_DIR`] that remembers the coder name asked for once.
pub const CODER_FILE: &str = "coder";

/// The coder name given on the command line or in the environment: `--coder`,
/// `$POLCODE_CODER`, a non-empty `$USER`. None is invented.
pub fn coder_given(explicit: Option<&str>) -> Option<String> {
    let env = |k: &str| std::env::var(k).ok().filter(|s| !s.trim().is_empty());
    explicit
        .map(str::to_string)
        .or_else(|| env("POLCODE_CODER"))
        .or_else(|| env("USER"))
}

/// The coder name remembered for the study in `<study>/.polcode/coder`, checked like any name
/// (a hand-edited file with a bad name is an error naming the file).
pub fn remembered_coder(study: &Path) -> Result<Option<String>> {
    let path = study.join(LOCAL_DIR).join(CODER_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let name = text.trim().to_string();
            store::validate_coder(&name)
                .map_err(|e| anyhow::anyhow!("{}: {e}; fix or delete the file", path.display()))?;
            Ok(Some(name))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(anyhow::anyhow!("reading {}: {e}", path.display())),
    }
}

/// Remembers `name` as the coder of `study`, in a directory git ignores.
fn remember_coder(study: &Path, name: &str) -> Result<PathBuf> {
    use anyhow::Context;
    let dir = study.join(LOCAL_DIR);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        polcode_core::fsutil::atomic_write(&ignore, b"# local to this machine: never commit\n*\n")
            .with_context(|| format!("writing {}", ignore.display()))?;
    }
    let path = dir.join(CODER_FILE);
    polcode_core::fsutil::atomic_write(&path, format!("{name}\n").as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}

/// The coder who records decisions in `study`: given ([`coder_given`]), else remembered for the
/// study, else asked once on stdin and remembered. Decisions are signed with this name, so a
/// made-up default (`coder`) would silently mix people; with nothing to read it fails and says
/// how to name one.
pub fn session_coder(study: &Path, explicit: Option<&str>) -> Result<String> {
    use std::io::{BufRead, IsTerminal, Write};
    if let Some(name) = coder_given(explicit) {
        store::validate_coder(&name)?;
        return Ok(name);
    }
    if let Some(name) = remembered_coder(study)? {
        return Ok(name);
    }
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    let no_name = || {
        anyhow::anyhow!(
            "no coder name: pass --coder NAME (or set POLCODE_CODER); every decision is \
             recorded under it, so polcode does not make one up"
        )
    };
    if interactive {
        let _ = super::output::eprint(
            "polcode signs every decision with a coder name, and none was given \
             (--coder, $POLCODE_CODER, $USER).\n",
        );
    }
    // A terminal gets a few tries at a valid name; a pipe gets one line.
    for _ in 0..if interactive { 3 } else { 1 } {
        if interactive {
            let _ = super::output::eprint(&format!(
                "Your coder name for this study (letters, digits, - _ .; remembered in {}/{}): ",
                LOCAL_DIR, CODER_FILE
            ));
            std::io::stderr().flush().ok();
        }
        let mut line = String::new();
        if stdin.lock().read_line(&mut line)? == 0 {
            if interactive {
                let _ = super::output::eprint("\n");
            }
            return Err(no_name());
        }
        let name = line.trim().to_string();
        if name.is_empty() {
            if interactive {
                continue;
            }
            return Err(no_name());
        }
        match store::validate_coder(&name) {
            Ok(()) => {
                let path = remember_coder(study, &name)?;
                let _ = super::output::eprint(&format!(
                    "coding as {name} (remembered in {})\n",
                    polcode_core::termsafe::escape(&path.display().to_string())
                ));
                return Ok(name);
            }
            Err(e) if interactive => {
                let _ = super::output::eprint(&format!(
                    "{}\n",
                    polcode_core::termsafe::escape(&e.to_string())
                ));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(no_name())
}

/// The coder a read-only command reports on: given, else remembered for the study. Never
/// asks and never invents one.
pub fn reading_coder(study: &Path, explicit: Option<&str>) -> Result<Option<String>> {
    match coder_given(explicit) {
        Some(name) => Ok(Some(name)),
        None => remembered_coder(study),
    }
}

/// The coders of the study at `dir` (listed in polcode.yaml or with a file in codings/),
/// without opening its documents.
pub fn known_coders(dir: &Path) -> Vec<String> {
    let mut out = polcode_core::study::read_config(dir)
        .map(|c| c.coders)
        .unwrap_or_default();
    if let Ok(rd) = std::fs::read_dir(polcode_core::study::Study::codings_dir_of(dir)) {
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let stem = name
                .strip_suffix(".yaml")
                .or_else(|| name.strip_suffix(".journal"));
            if let Some(stem) = stem.filter(|s| !s.starts_with('.')) {
                out.push(stem.to_string());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The coders a command works on: `given` (each checked to be a valid name that has codings in
/// the study, so a typo is an error rather than an empty table), or every coder of the study
/// that is not derived from others (a consensus is pooled only when named). With no coder at
/// all it fails with a hint when `required`.
pub fn study_coders(study: &Study, given: &[String], required: bool) -> Result<Vec<String>> {
    let known = study.coders();
    if given.is_empty() {
        if required && known.is_empty() {
            bail!("no coders in this study yet: code with `polcode code --coder NAME` first");
        }
        let primary = study.primary_coders();
        if required && primary.is_empty() {
            bail!(
                "every coder of this study is derived ({}): name one with --coder",
                known.join(", ")
            );
        }
        return Ok(primary);
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
