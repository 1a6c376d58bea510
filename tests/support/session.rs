//! A coding session opened the way `polcode code` opens one ([`polcode_tui::run::prepare`]:
//! the study, the coder's store, the keyword engine, default keys), and keys fed to it through
//! the public effect interpreter, so every decision is recorded and fsynced by the real store
//! before the next key, exactly as in the terminal.

use std::path::Path;

use polcode_tui::app::{App, Effect};
use polcode_tui::keymap::parse_keys;
use polcode_tui::run::{prepare, RunOptions};

/// The options of a plain session of `coder` on `dir` (no reconcile, no sample).
pub fn options(dir: &Path, coder: &str, read_only: bool) -> RunOptions {
    RunOptions::plain(dir, coder, read_only)
}

/// A session of `coder` on the study in `dir`.
pub fn open(dir: &Path, coder: &str, read_only: bool) -> App {
    prepare(&options(dir, coder, read_only)).unwrap().app
}

/// Feeds `keys` (keymap syntax, `"j j 2 <enter>"`) one by one, carrying out each key's
/// effects before the next; returns every effect, in order.
pub fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    let mut all = Vec::new();
    for k in parse_keys(keys).unwrap() {
        let effects = app.handle_key(k.to_event());
        all.extend(effects.iter().cloned());
        app.carry_out(effects);
    }
    all
}

/// How many decisions `effects` asked to record.
pub fn decisions(effects: &[Effect]) -> usize {
    effects
        .iter()
        .map(|e| match e {
            Effect::Record(r) => r.decisions.len(),
            Effect::Quit => 0,
        })
        .sum()
}
