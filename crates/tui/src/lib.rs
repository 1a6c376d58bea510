//! polcode-tui, the coding screen: the only crate that knows ratatui and crossterm. `app`
//! holds state and a pure update function, `view` draws it, `run` is the event loop that
//! records decisions.
#![forbid(unsafe_code)]

pub mod action;
pub mod app;
pub mod backend;
pub mod decide;
pub mod find;
pub mod keymap;
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

/// `origin:line:col: message` for a broken user config file (keymap, theme).
pub(crate) fn config_error(origin: &str, e: &serde_yaml::Error) -> String {
    let loc = e
        .location()
        .map(|l| format!(":{}:{}", l.line(), l.column()))
        .unwrap_or_default();
    format!("{origin}{loc}: {e}")
}
