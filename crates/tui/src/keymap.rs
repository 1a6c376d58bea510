//! Key specs (`ctrl-r`, `<enter>`, `J`) and the per-mode map from keys to [`Action`]s: compiled-in
//! defaults (`keymap.yaml`) with the user's file merged over them.

use std::collections::BTreeMap;
use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

const DEFAULTS: &str = include_str!("keymap.yaml");

/// The key-handling contexts; each has its own bindings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyMode {
    Normal,
    Picker,
    Prompt,
    Help,
    Review,
    Stats,
    Memo,
    /// The definition overlay.
    Info,
}

impl KeyMode {
    const ALL: [KeyMode; 8] = [
        KeyMode::Normal,
        KeyMode::Picker,
        KeyMode::Prompt,
        KeyMode::Help,
        KeyMode::Review,
        KeyMode::Stats,
        KeyMode::Memo,
        KeyMode::Info,
    ];

    /// Section name in the keymap YAML.
    pub fn name(self) -> &'static str {
        match self {
            KeyMode::Normal => "normal",
            KeyMode::Picker => "picker",
            KeyMode::Prompt => "prompt",
            KeyMode::Help => "help",
            KeyMode::Review => "review",
            KeyMode::Stats => "stats",
            KeyMode::Memo => "memo",
            KeyMode::Info => "info",
        }
    }

    fn from_name(s: &str) -> Option<KeyMode> {
        KeyMode::ALL.into_iter().find(|m| m.name() == s)
    }
}

/// A key with modifiers, normalised so that `J` and shift-j compare equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub code: KeyCodeOrd,
    pub ctrl: bool,
    pub alt: bool,
}

/// `KeyCode` subset with an order, so keymaps print deterministically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCodeOrd {
    Char(char),
    F(u8),
    Named(&'static str),
}

const NAMED: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("space", KeyCode::Char(' ')),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
];

impl Key {
    /// Converts a crossterm key event (shift folded into the character).
    pub fn from_event(ev: &KeyEvent) -> Option<Key> {
        let code = match ev.code {
            KeyCode::Char(c) => KeyCodeOrd::Char(c),
            KeyCode::F(n) => KeyCodeOrd::F(n),
            other => KeyCodeOrd::Named(NAMED.iter().find(|(_, k)| *k == other)?.0),
        };
        let code = match code {
            KeyCodeOrd::Char(' ') => KeyCodeOrd::Named("space"),
            c => c,
        };
        Some(Key {
            code,
            ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
            alt: ev.modifiers.contains(KeyModifiers::ALT),
        })
    }

    /// Parses a key spec: `j`, `J`, `?`, `<enter>`, `ctrl-r`, `<c-r>`, `alt-x`, `<f1>`.
    pub fn parse(spec: &str) -> Result<Key, String> {
        let mut s = spec.trim();
        if s.is_empty() {
            return Err("empty key".into());
        }
        let (mut ctrl, mut alt) = (false, false);
        if s.len() > 2 && s.starts_with('<') && s.ends_with('>') {
            s = &s[1..s.len() - 1];
            if let Some(rest) = s.strip_prefix("c-").or_else(|| s.strip_prefix("C-")) {
                ctrl = true;
                s = rest;
            } else if let Some(rest) = s.strip_prefix("a-").or_else(|| s.strip_prefix("A-")) {
                alt = true;
                s = rest;
            }
        }
        loop {
            if let Some(rest) = s.strip_prefix("ctrl-").filter(|r| !r.is_empty()) {
                ctrl = true;
                s = rest;
            } else if let Some(rest) = s.strip_prefix("alt-").filter(|r| !r.is_empty()) {
                alt = true;
                s = rest;
            } else {
                break;
            }
        }
        let lower = s.to_ascii_lowercase();
        let code = if s.chars().count() == 1 {
            let c = s.chars().next().unwrap_or(' ');
            if c == ' ' {
                KeyCodeOrd::Named("space")
            } else if ctrl {
                KeyCodeOrd::Char(c.to_ascii_lowercase())
            } else {
                KeyCodeOrd::Char(c)
            }
        } else if let Some((name, _)) = NAMED.iter().find(|(n, _)| *n == lower) {
            KeyCodeOrd::Named(name)
        } else if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
            KeyCodeOrd::F(n)
        } else if lower == "lt" {
            KeyCodeOrd::Char('<')
        } else {
            return Err(format!("unknown key {spec:?}"));
        };
        Ok(Key { code, ctrl, alt })
    }

    /// The crossterm event this key stands for (scripted input and tests).
    pub fn to_event(&self) -> KeyEvent {
        let code = match self.code {
            KeyCodeOrd::Char(c) => KeyCode::Char(c),
            KeyCodeOrd::F(n) => KeyCode::F(n),
            KeyCodeOrd::Named("space") => KeyCode::Char(' '),
            KeyCodeOrd::Named(n) => NAMED
                .iter()
                .find(|(name, _)| *name == n)
                .map(|(_, k)| *k)
                .unwrap_or(KeyCode::Null),
        };
        let mut mods = KeyModifiers::NONE;
        if self.ctrl {
            mods |= KeyModifiers::CONTROL;
        }
        if self.alt {
            mods |= KeyModifiers::ALT;
        }
        if let KeyCode::Char(c) = code {
            if c.is_uppercase() {
                mods |= KeyModifiers::SHIFT;
            }
        }
        KeyEvent::new(code, mods)
    }

    /// Which of an action's keys a hint names first: a plain character, then a named key,
    /// then a chord.
    fn hint_rank(&self) -> u8 {
        match (self.ctrl || self.alt, self.code) {
            (false, KeyCodeOrd::Char(_)) => 0,
            (false, _) => 1,
            (true, _) => 2,
        }
    }

    /// The spec string, as shown in help and the footer.
    pub fn display(&self) -> String {
        let base = match self.code {
            KeyCodeOrd::Char(c) => c.to_string(),
            KeyCodeOrd::F(n) => format!("F{n}"),
            KeyCodeOrd::Named(n) => match n {
                "enter" => "Enter".into(),
                "esc" => "Esc".into(),
                "space" => "Space".into(),
                "tab" => "Tab".into(),
                "backspace" => "Bksp".into(),
                "up" => "Up".into(),
                "down" => "Down".into(),
                "pageup" => "PgUp".into(),
                "pagedown" => "PgDn".into(),
                other => other.to_string(),
            },
        };
        match (self.ctrl, self.alt) {
            (true, _) => format!("Ctrl-{base}"),
            (_, true) => format!("Alt-{base}"),
            _ => base,
        }
    }
}

/// Key bindings per mode.
#[derive(Debug, Clone, Default)]
pub struct Keymap {
    maps: BTreeMap<KeyMode, BTreeMap<Key, Action>>,
}

type RawMap = BTreeMap<String, BTreeMap<String, Vec<String>>>;

impl Keymap {
    /// The compiled-in defaults.
    pub fn defaults() -> Keymap {
        let mut km = Keymap::default();
        // The defaults are part of the program and covered by tests; they always parse.
        if let Err(e) = km.merge_str(DEFAULTS, "<default keymap>") {
            panic!("default keymap is invalid: {e}");
        }
        km
    }

    /// Defaults with the user's file merged over them. On error returns the defaults and a
    /// message with the file path and line, for the status line.
    pub fn load(user_file: Option<&Path>) -> (Keymap, Option<String>) {
        let mut km = Keymap::defaults();
        let Some(path) = user_file else {
            return (km, None);
        };
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (km, None),
            Err(e) => {
                return (
                    km,
                    Some(format!("{}: {e}; using default keys", path.display())),
                )
            }
        };
        let mut merged = km.clone();
        match merged.merge_str(&text, &path.display().to_string()) {
            Ok(()) => (merged, None),
            Err(e) => {
                km = Keymap::defaults();
                (km, Some(format!("{e}; using default keys")))
            }
        }
    }

    /// Merges a keymap YAML text over this one. Errors name `origin` and the line.
    pub fn merge_str(&mut self, text: &str, origin: &str) -> Result<(), String> {
        let raw: RawMap = polcode_core::fsutil::yaml_from_str(text)
            .map_err(|e| super::config_error(origin, &e))?;
        for (mode_name, actions) in raw {
            let mode = KeyMode::from_name(&mode_name).ok_or_else(|| {
                format!(
                    "{origin}:{}: unknown mode {mode_name:?} (modes: normal, picker, prompt, help, review, stats, memo, info)",
                    super::key_line(text, None, &mode_name)
                )
            })?;
            let map = self.maps.entry(mode).or_default();
            for (action_name, keys) in actions {
                let line = || super::key_line(text, Some(&mode_name), &action_name);
                let action = Action::from_name(&action_name).ok_or_else(|| {
                    format!("{origin}:{}: unknown action {action_name:?}", line())
                })?;
                let parsed = keys
                    .iter()
                    .map(|k| Key::parse(k))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| format!("{origin}:{}: {e}", line()))?;
                map.retain(|_, a| *a != action);
                for k in parsed {
                    map.insert(k, action);
                }
            }
        }
        Ok(())
    }

    /// The action bound to `key` in `mode`.
    pub fn action(&self, mode: KeyMode, key: &Key) -> Option<Action> {
        self.maps.get(&mode)?.get(key).copied()
    }

    /// The keys bound to `action` in `mode`, for help and footer hints.
    pub fn keys_for(&self, mode: KeyMode, action: Action) -> Vec<Key> {
        self.maps
            .get(&mode)
            .map(|m| {
                m.iter()
                    .filter(|(_, a)| **a == action)
                    .map(|(k, _)| *k)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The key to show for `action` in hints: a plain character if there is one, else a named
    /// key, else a chord (so the footer says `q quit`, not `Ctrl-c/q quit`).
    pub fn label(&self, mode: KeyMode, action: Action) -> String {
        let keys = self.keys_for(mode, action);
        keys.iter()
            .min_by_key(|k| k.hint_rank())
            .map(Key::display)
            .unwrap_or_default()
    }

    /// The key to name in a message or title for `action` in `mode`: [`Keymap::label`], or
    /// `<name unbound>` when the user's keymap left the action without a key, so a message
    /// never tells the coder to press nothing.
    pub fn key(&self, mode: KeyMode, action: Action) -> String {
        match self.label(mode, action) {
            l if l.is_empty() => format!("<{} unbound>", action.name()),
            l => l,
        }
    }

    /// Every key of `action` in `mode`, joined by `sep` (`Esc or Ctrl-s`), for a title that
    /// lists them all; `<name unbound>` when there is none.
    pub fn keys(&self, mode: KeyMode, action: Action, sep: &str) -> String {
        let mut keys = self.keys_for(mode, action);
        keys.sort_by_key(Key::hint_rank);
        let keys: Vec<String> = keys.iter().map(Key::display).collect();
        if keys.is_empty() {
            return format!("<{} unbound>", action.name());
        }
        keys.join(sep)
    }

    /// The keys of suggestion rows 1 to 9 (`toggle-1` … `toggle-9`) in `mode`, as hints name
    /// them: `1-9` for the default digits, else each row's key in row order (`asdfghjkl`, or
    /// `/`-separated when one of them is longer than a character).
    pub fn toggles(&self, mode: KeyMode) -> String {
        let keys: Vec<String> = (1..=9).map(|k| self.key(mode, Action::Toggle(k))).collect();
        let digits: Vec<String> = (1..=9).map(|k: u8| k.to_string()).collect();
        if keys == digits {
            "1-9".to_string()
        } else if keys.iter().all(|k| k.chars().count() == 1) {
            keys.concat()
        } else {
            keys.join("/")
        }
    }

    /// All bindings of a mode, grouped by action in [`Action::ALL`] order (for help).
    pub fn bindings(&self, mode: KeyMode) -> Vec<(Action, Vec<Key>)> {
        let mut out = Vec::new();
        for &a in Action::ALL {
            let keys: Vec<Key> = if let Action::Toggle(_) = a {
                (1..=9)
                    .flat_map(|k| self.keys_for(mode, Action::Toggle(k)))
                    .collect()
            } else {
                self.keys_for(mode, a)
            };
            if !keys.is_empty() {
                out.push((a, keys));
            }
        }
        out
    }
}

/// Parses a whitespace-separated key string (`"j j 2 <enter> u"`) into keys, as tests and the
/// scripted mode use it.
pub fn parse_keys(s: &str) -> Result<Vec<Key>, String> {
    s.split_whitespace().map(Key::parse).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse_and_bind_the_documented_keys() {
        let km = Keymap::defaults();
        let k = |s| Key::parse(s).unwrap();
        assert_eq!(km.action(KeyMode::Normal, &k("j")), Some(Action::Next));
        assert_eq!(km.action(KeyMode::Normal, &k("<down>")), Some(Action::Next));
        assert_eq!(km.action(KeyMode::Normal, &k("J")), Some(Action::NextDoc));
        assert_eq!(km.action(KeyMode::Normal, &k("ctrl-r")), Some(Action::Redo));
        assert_eq!(km.action(KeyMode::Normal, &k("<c-r>")), Some(Action::Redo));
        assert_eq!(km.action(KeyMode::Normal, &k("3")), Some(Action::Toggle(3)));
        assert_eq!(
            km.action(KeyMode::Normal, &k("<space>")),
            Some(Action::OpenPicker)
        );
        assert_eq!(
            km.action(KeyMode::Picker, &k("<enter>")),
            Some(Action::Accept)
        );
    }

    #[test]
    fn events_match_specs() {
        let ev = KeyEvent::new(KeyCode::Char('J'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&ev), Key::parse("J").ok());
        let ev = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL);
        assert_eq!(Key::from_event(&ev), Key::parse("ctrl-r").ok());
        let ev = KeyEvent::new(KeyCode::Char(' '), KeyModifiers::NONE);
        assert_eq!(Key::from_event(&ev), Key::parse("<space>").ok());
    }

    #[test]
    fn user_file_replaces_an_actions_keys() {
        let mut km = Keymap::defaults();
        km.merge_str("normal:\n  next: [l]\n", "user.yaml").unwrap();
        let k = |s| Key::parse(s).unwrap();
        assert_eq!(km.action(KeyMode::Normal, &k("l")), Some(Action::Next));
        assert_eq!(km.action(KeyMode::Normal, &k("j")), None);
        assert_eq!(km.action(KeyMode::Normal, &k("k")), Some(Action::Prev));
    }

    #[test]
    fn invalid_file_names_path_and_line_and_falls_back() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("keymap.yaml");
        std::fs::write(&p, "normal:\n  next: [j]\n  fly: [f]\n").unwrap();
        let (km, err) = Keymap::load(Some(&p));
        let err = err.unwrap();
        assert!(err.contains("keymap.yaml:3"), "{err}");
        assert!(err.contains("fly"), "{err}");
        assert_eq!(
            km.action(KeyMode::Normal, &Key::parse("j").unwrap()),
            Some(Action::Next)
        );
        std::fs::write(&p, "normal: [unclosed\n").unwrap();
        let (_, err) = Keymap::load(Some(&p));
        assert!(err.unwrap().contains("keymap.yaml:"));
    }

    #[test]
    fn errors_point_at_the_line_of_the_exact_key_in_its_section() {
        // `next` is on line 3, after `next-doc` (which contains it) on line 2; `info` appears
        // under `picker` first, but the bad one is under `normal` on line 6.
        let mut km = Keymap::defaults();
        let err = km
            .merge_str("normal:\n  next-doc: [J]\n  next: [<nope>]\n", "user.yaml")
            .unwrap_err();
        assert!(err.starts_with("user.yaml:3: "), "{err}");
        let text = "picker:\n  info: [<f1>]\nnormal:\n  next-doc: [J]\n  # info: [i]\n  \"info\": [<nope>]\n";
        let err = Keymap::defaults().merge_str(text, "user.yaml").unwrap_err();
        assert!(err.starts_with("user.yaml:6: "), "{err}");
        // An unknown mode is a whole top-level key (`nor`, not the `normal` containing it).
        let text = "normal:\n  next: [j]\nnor:\n  next: [j]\n";
        let err = Keymap::defaults().merge_str(text, "user.yaml").unwrap_err();
        assert!(err.starts_with("user.yaml:3: unknown mode"), "{err}");
    }

    #[test]
    fn hints_name_the_keys_bound_now() {
        let mut km = Keymap::defaults();
        assert_eq!(km.key(KeyMode::Normal, Action::Undo), "u");
        assert_eq!(
            km.keys(KeyMode::Memo, Action::Accept, " or "),
            "Esc or Ctrl-s"
        );
        assert_eq!(km.toggles(KeyMode::Normal), "1-9");
        let user = "normal:\n  undo: [z]\n  redo: []\n  toggle-1: [a]\n  toggle-2: [s]\n";
        km.merge_str(user, "user.yaml").unwrap();
        assert_eq!(km.key(KeyMode::Normal, Action::Undo), "z");
        assert_eq!(km.key(KeyMode::Normal, Action::Redo), "<redo unbound>");
        assert_eq!(km.toggles(KeyMode::Normal), "as3456789");
        km.merge_str("normal:\n  toggle-3: [<f3>]\n", "user.yaml")
            .unwrap();
        assert_eq!(km.toggles(KeyMode::Normal), "a/s/F3/4/5/6/7/8/9");
    }

    #[test]
    fn key_strings_parse() {
        let keys = parse_keys("j j 2 <enter> u").unwrap();
        assert_eq!(keys.len(), 5);
        assert!(parse_keys("<nope>").is_err());
    }
}
