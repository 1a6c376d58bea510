//! Themes: named style slots loaded from `themes/*.yaml` (compiled in) or the user's config
//! directory; `NO_COLOR` selects the monochrome theme.

use std::collections::BTreeMap;
use std::path::Path;

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;
use serde::Deserialize;

/// Bundled themes: name and YAML text.
pub const BUNDLED: &[(&str, &str)] = &[
    ("dark", include_str!("../../../themes/dark.yaml")),
    ("light", include_str!("../../../themes/light.yaml")),
    (
        "high-contrast",
        include_str!("../../../themes/high-contrast.yaml"),
    ),
    (
        "monochrome",
        include_str!("../../../themes/monochrome.yaml"),
    ),
];

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawStyle {
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    mods: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    name: String,
    #[serde(default)]
    border: Option<String>,
    #[serde(default)]
    styles: BTreeMap<String, RawStyle>,
}

/// Box-drawing style for panel borders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BorderKind {
    Rounded,
    Plain,
    /// `+-|` only: no ambiguous-width glyphs at all.
    Ascii,
}

/// A resolved theme.
#[derive(Debug, Clone)]
pub struct Theme {
    pub name: String,
    pub border: BorderKind,
    styles: BTreeMap<String, Style>,
}

/// ASCII border set, for terminals where box-drawing glyphs are ambiguous-width.
pub const ASCII_BORDER: border::Set = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

impl Theme {
    /// The style of a slot (`text`, `dim`, `highlight`, …); unknown slots are plain.
    pub fn style(&self, slot: &str) -> Style {
        self.styles.get(slot).copied().unwrap_or_default()
    }

    /// The border symbols for this theme.
    pub fn border_set(&self) -> border::Set<'static> {
        match self.border {
            BorderKind::Rounded => border::ROUNDED,
            BorderKind::Plain => border::PLAIN,
            BorderKind::Ascii => ASCII_BORDER,
        }
    }

    /// Parses a theme YAML; errors carry `origin:line:col`.
    pub fn parse(text: &str, origin: &str) -> Result<Theme, String> {
        let raw: RawTheme = polcode_core::fsutil::yaml_from_str(text)
            .map_err(|e| super::config_error(origin, &e))?;
        let border = match raw.border.as_deref().unwrap_or("rounded") {
            "rounded" => BorderKind::Rounded,
            "plain" => BorderKind::Plain,
            "ascii" => BorderKind::Ascii,
            other => {
                return Err(format!(
                    "{origin}: unknown border {other:?} (rounded, plain, ascii)"
                ))
            }
        };
        let mut styles = BTreeMap::new();
        for (slot, rs) in raw.styles {
            let mut st = Style::default();
            if let Some(fg) = &rs.fg {
                st = st.fg(parse_color(fg).map_err(|e| format!("{origin}: {slot}.fg: {e}"))?);
            }
            if let Some(bg) = &rs.bg {
                st = st.bg(parse_color(bg).map_err(|e| format!("{origin}: {slot}.bg: {e}"))?);
            }
            for m in &rs.mods {
                st = st.add_modifier(parse_mod(m).map_err(|e| format!("{origin}: {slot}: {e}"))?);
            }
            styles.insert(slot, st);
        }
        Ok(Theme {
            name: raw.name,
            border,
            styles,
        })
    }

    /// Loads theme `name`: from `<config>/themes/<name>.yaml` if present, else bundled. Falls
    /// back to `dark` with a message when the name is unknown or the file is broken. With
    /// `no_color` (the `NO_COLOR` convention) the monochrome theme is used whatever the name.
    pub fn load(name: &str, config_dir: Option<&Path>, no_color: bool) -> (Theme, Option<String>) {
        let name = if no_color { "monochrome" } else { name };
        if let Some(dir) = config_dir {
            let p = dir.join("themes").join(format!("{name}.yaml"));
            if let Ok(text) = std::fs::read_to_string(&p) {
                match Theme::parse(&text, &p.display().to_string()) {
                    Ok(t) => return (t, None),
                    Err(e) => return (Theme::bundled("dark"), Some(format!("{e}; using dark"))),
                }
            }
        }
        if BUNDLED.iter().any(|(n, _)| *n == name) {
            (Theme::bundled(name), None)
        } else {
            let names: Vec<&str> = BUNDLED.iter().map(|(n, _)| *n).collect();
            (
                Theme::bundled("dark"),
                Some(format!(
                    "unknown theme {name:?} (bundled: {}); using dark",
                    names.join(", ")
                )),
            )
        }
    }

    /// A bundled theme by name (`dark` if unknown).
    pub fn bundled(name: &str) -> Theme {
        let (n, text) = BUNDLED
            .iter()
            .find(|(n, _)| *n == name)
            .copied()
            .unwrap_or(BUNDLED[0]);
        Theme::parse(text, &format!("<bundled theme {n}>"))
            .unwrap_or_else(|e| panic!("bundled theme is invalid: {e}"))
    }
}

fn parse_color(s: &str) -> Result<Color, String> {
    if let Some(hex) = s.strip_prefix('#') {
        if hex.len() == 6 {
            if let Ok(v) = u32::from_str_radix(hex, 16) {
                return Ok(Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8));
            }
        }
        return Err(format!("bad colour {s:?}"));
    }
    Ok(match s.to_ascii_lowercase().as_str() {
        "reset" | "default" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "darkgray" | "darkgrey" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        _ => return Err(format!("unknown colour {s:?}")),
    })
}

fn parse_mod(s: &str) -> Result<Modifier, String> {
    Ok(match s {
        "bold" => Modifier::BOLD,
        "dim" => Modifier::DIM,
        "italic" => Modifier::ITALIC,
        "underlined" => Modifier::UNDERLINED,
        "reversed" => Modifier::REVERSED,
        _ => return Err(format!("unknown modifier {s:?}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_themes_parse_and_define_every_slot() {
        let slots: Vec<String> = Theme::bundled("dark").styles.keys().cloned().collect();
        for (name, _) in BUNDLED {
            let t = Theme::bundled(name);
            assert_eq!(&t.name, name);
            let mine: Vec<String> = t.styles.keys().cloned().collect();
            assert_eq!(mine, slots, "{name} defines the same slots as dark");
        }
    }

    #[test]
    fn monochrome_has_no_colours_and_no_color_selects_it() {
        let (t, _) = Theme::load("dark", None, true);
        assert_eq!(t.name, "monochrome");
        for st in t.styles.values() {
            assert!(st.fg.is_none() && st.bg.is_none());
        }
    }

    #[test]
    fn broken_user_theme_falls_back_with_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("themes")).unwrap();
        let p = dir.path().join("themes/mine.yaml");
        std::fs::write(&p, "name: mine\nstyles:\n  text: {fg: chartreuse}\n").unwrap();
        let (t, err) = Theme::load("mine", Some(dir.path()), false);
        assert_eq!(t.name, "dark");
        assert!(err.unwrap().contains("mine.yaml"));
        let (_, err) = Theme::load("nope", None, false);
        assert!(err.unwrap().contains("unknown theme"));
    }
}
