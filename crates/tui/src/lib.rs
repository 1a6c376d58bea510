//! polcode-tui, the coding screen: the only crate that knows ratatui and crossterm. `app`
//! holds state and a pure update function routing actions to the coding screen or to an
//! `overlay` component, `effects` is the one place decisions are written (through the coder's
//! store), `view` draws the state, and `run` is the event loop.
#![forbid(unsafe_code)]

pub mod action;
pub mod app;
pub mod backend;
pub mod decide;
pub mod effects;
pub mod find;
pub mod keymap;
pub mod overlay;
pub mod picker;
pub mod reconcile;
pub mod reload;
pub mod review;
pub mod run;
pub mod tallies;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod view;
pub mod walk;

/// `origin:line:col: message` for a broken user config file (keymap, theme).
pub(crate) fn config_error(origin: &str, e: &serde_yaml::Error) -> String {
    let loc = e
        .location()
        .map(|l| format!(":{}:{}", l.line(), l.column()))
        .unwrap_or_default();
    format!("{origin}{loc}: {e}")
}

/// The 1-based line where `key` is written as a mapping key in a block-style config file
/// (keymap, theme): a top-level key when `section` is `None`, else a key indented under the
/// top-level `section:`. Keys are compared whole (`next` is not `next-doc`), quoted or not.
/// Falls back to the section's own line, then 0, for a file written in flow style.
pub(crate) fn key_line(text: &str, section: Option<&str>, key: &str) -> usize {
    let (lines, section_line) = key_lines(text, section, key);
    lines.first().copied().unwrap_or(section_line)
}

/// Every line where `key` is written as a mapping key (see [`key_line`]), and the section's
/// own line (0 when there is none or `section` is `None`).
pub(crate) fn key_lines(text: &str, section: Option<&str>, key: &str) -> (Vec<usize>, usize) {
    // The key a line starts (after its indent), if it starts one.
    let key_of = |l: &str| -> Option<String> {
        let t = l.trim_start();
        if t.starts_with('#') {
            return None;
        }
        let (k, rest) = t.split_once(':')?;
        if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
            return None;
        }
        let k = k.trim();
        let unquoted = k
            .strip_prefix('"')
            .and_then(|k| k.strip_suffix('"'))
            .or_else(|| k.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')))
            .unwrap_or(k);
        Some(unquoted.to_string())
    };
    let mut current: Option<String> = None;
    let mut section_line = 0;
    let mut found = Vec::new();
    for (i, l) in text.lines().enumerate() {
        let Some(k) = key_of(l) else { continue };
        let top = !l.starts_with(char::is_whitespace);
        if top {
            current = Some(k.clone());
        }
        match section {
            None if top && k == key => found.push(i + 1),
            Some(s) if top && k == s => section_line = i + 1,
            Some(s) if !top && current.as_deref() == Some(s) && k == key => found.push(i + 1),
            _ => {}
        }
    }
    (found, section_line)
}
