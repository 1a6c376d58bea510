//! Themes: a style for each [`Slot`] of the screen, loaded from `themes/*.yaml` (compiled in)
//! or the user's config directory; `NO_COLOR` selects the monochrome theme. Slots are typed:
//! the views name them by enum, and a theme file naming a slot that does not exist is refused
//! with its file, line and column, as a broken keymap is.

use std::fmt;
use std::path::Path;

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;
use serde::de::{self, Deserializer};
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

/// Declares [`Slot`] from one list, so each slot is written once, next to its YAML name.
macro_rules! slots {
    ($($(#[doc = $doc:expr])* $slot:ident = $name:literal,)*) => {
        /// A place on the screen a theme styles; `name` is its key under `styles:` in a theme
        /// file.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Slot {
            $($(#[doc = $doc])* $slot,)*
        }

        impl Slot {
            /// Every slot, in declaration order (`Slot::ALL[s as usize] == s`).
            pub const ALL: &'static [Slot] = &[$(Slot::$slot,)*];

            /// The slot's key in a theme file.
            pub fn name(self) -> &'static str {
                match self {
                    $(Slot::$slot => $name,)*
                }
            }
        }
    };
}

slots! {
    /// The paragraph being coded and other plain text.
    Text = "text",
    /// Neighbouring paragraphs, unchosen marks, secondary counts.
    Dim = "dim",
    /// Panel titles and the study name.
    Title = "title",
    /// Labels: the header's place line, coder names, scores.
    Label = "label",
    /// Panel borders.
    Border = "border",
    /// The border of the panel or overlay that has the keys.
    BorderFocus = "border_focus",
    /// Codebook keywords found in the paragraph.
    Highlight = "highlight",
    /// Section headings (help, the definition view, heading paragraphs).
    Heading = "heading",
    /// Keys in hints and the digits of suggestion rows.
    Key = "key",
    /// The selected row of the picker and the review list.
    Selected = "selected",
    /// Nodes chosen on this paragraph.
    Chosen = "chosen",
    /// The predicted set that `confirm` takes.
    Predicted = "predicted",
    /// Score bars of suggestion rows.
    Bar = "bar",
    /// Why a node was suggested.
    Why = "why",
    /// Parent nodes in the tallies.
    Parent = "parent",
    /// Status line: saved.
    Ok = "ok",
    /// Status line: a warning; differing codes when reconciling.
    Warn = "warn",
    /// Status line: an error (a decision not saved).
    Error = "error",
    /// Footer hints and informational status.
    Footer = "footer",
    /// Text-search hits and the header's search and sample labels.
    Search = "search",
    /// Characters the picker's query matched.
    Match = "match",
    /// Tally column headers.
    TallyHeader = "tally_header",
    /// Tally cells that are zero.
    TallyZero = "tally_zero",
}

impl Slot {
    /// The slot a theme file calls `name`.
    pub fn from_name(name: &str) -> Option<Slot> {
        Slot::ALL.iter().copied().find(|s| s.name() == name)
    }
}

/// A colour as a theme file writes it; parsed while the file is read, so a bad one is reported
/// with its line and column.
struct ColorSpec(Color);

impl<'de> Deserialize<'de> for ColorSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ColorSpec, D::Error> {
        let s = String::deserialize(d)?;
        parse_color(&s).map(ColorSpec).map_err(de::Error::custom)
    }
}

/// A text modifier (`bold`, `dim`, ...) as a theme file writes it.
struct ModSpec(Modifier);

impl<'de> Deserialize<'de> for ModSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ModSpec, D::Error> {
        let s = String::deserialize(d)?;
        parse_mod(&s).map(ModSpec).map_err(de::Error::custom)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStyle {
    fg: Option<ColorSpec>,
    bg: Option<ColorSpec>,
    #[serde(default)]
    mods: Vec<ModSpec>,
}

impl RawStyle {
    fn style(&self) -> Style {
        let mut st = Style::default();
        if let Some(ColorSpec(c)) = self.fg {
            st = st.fg(c);
        }
        if let Some(ColorSpec(c)) = self.bg {
            st = st.bg(c);
        }
        for ModSpec(m) in &self.mods {
            st = st.add_modifier(*m);
        }
        st
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    name: String,
    #[serde(default)]
    border: Option<BorderKind>,
    /// A list of pairs rather than a map: a slot given twice is an error, not a silent winner.
    #[serde(default, deserialize_with = "styles_in_order")]
    styles: Vec<(String, RawStyle)>,
}

/// Reads `styles:` as written, in order, slot names as text: [`Theme::parse`] checks them
/// against [`Slot`] and finds their lines (serde's location for a map key is the map's).
fn styles_in_order<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, RawStyle)>, D::Error> {
    struct InOrder;
    impl<'de> de::Visitor<'de> for InOrder {
        type Value = Vec<(String, RawStyle)>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a map from style slots to styles")
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(entry) = map.next_entry()? {
                out.push(entry);
            }
            Ok(out)
        }
    }
    d.deserialize_map(InOrder)
}

/// Box-drawing style for panel borders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
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
    /// Indexed by `Slot as usize`; `None` for a slot the file leaves out (drawn plain).
    styles: Vec<Option<Style>>,
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
    /// The style of a slot; plain when the theme leaves the slot out.
    pub fn style(&self, slot: Slot) -> Style {
        self.styles[slot as usize].unwrap_or_default()
    }

    /// Whether the theme file gives `slot` a style.
    pub fn defines(&self, slot: Slot) -> bool {
        self.styles[slot as usize].is_some()
    }

    /// The border symbols for this theme.
    pub fn border_set(&self) -> border::Set<'static> {
        match self.border {
            BorderKind::Rounded => border::ROUNDED,
            BorderKind::Plain => border::PLAIN,
            BorderKind::Ascii => ASCII_BORDER,
        }
    }

    /// Parses a theme YAML; errors (an unknown slot, colour or modifier, a slot given twice)
    /// carry `origin:line:col`.
    pub fn parse(text: &str, origin: &str) -> Result<Theme, String> {
        let raw: RawTheme = polcode_core::fsutil::yaml_from_str(text)
            .map_err(|e| super::config_error(origin, &e))?;
        let mut styles = vec![None; Slot::ALL.len()];
        for (k, (name, rs)) in raw.styles.iter().enumerate() {
            let (lines, _) = super::key_lines(text, Some("styles"), name);
            let Some(slot) = Slot::from_name(name) else {
                let all: Vec<&str> = Slot::ALL.iter().map(|s| s.name()).collect();
                return Err(format!(
                    "{origin}:{}: unknown style slot {name:?} (slots: {})",
                    lines.first().copied().unwrap_or(0),
                    all.join(", ")
                ));
            };
            if raw.styles[..k].iter().any(|(n, _)| n == name) {
                return Err(format!(
                    "{origin}:{}: style slot {name:?} is given twice",
                    lines.get(1).copied().unwrap_or(0)
                ));
            }
            styles[slot as usize] = Some(rs.style());
        }
        Ok(Theme {
            name: raw.name,
            border: raw.border.unwrap_or(BorderKind::Rounded),
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
        for (name, _) in BUNDLED {
            let t = Theme::bundled(name);
            assert_eq!(&t.name, name);
            for &slot in Slot::ALL {
                assert!(t.defines(slot), "{name} leaves out {}", slot.name());
            }
        }
    }

    #[test]
    fn slots_are_listed_once_by_name_and_in_order() {
        for (i, &slot) in Slot::ALL.iter().enumerate() {
            assert_eq!(slot as usize, i);
            assert_eq!(Slot::from_name(slot.name()), Some(slot));
        }
        let mut names: Vec<&str> = Slot::ALL.iter().map(|s| s.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Slot::ALL.len());
    }

    #[test]
    fn a_slot_is_looked_up_by_enum() {
        let t = Theme::bundled("dark");
        assert_eq!(t.style(Slot::Highlight).bg, Some(Color::Yellow));
        assert!(t.style(Slot::Key).add_modifier.contains(Modifier::BOLD));
        // A slot a user theme leaves out is plain.
        let t = Theme::parse("name: bare\nstyles:\n  text: {fg: red}\n", "bare.yaml").unwrap();
        assert_eq!(t.style(Slot::Text).fg, Some(Color::Red));
        assert!(!t.defines(Slot::Key));
        assert_eq!(t.style(Slot::Key), Style::default());
    }

    #[test]
    fn unknown_slots_colours_and_repeats_name_file_and_line() {
        let cases = [
            // A typo of a slot: refused, not drawn plain.
            (
                "name: mine\nstyles:\n  text: {fg: red}\n  hilight: {bg: yellow}\n",
                "mine.yaml:4: ",
                "unknown style slot \"hilight\"",
            ),
            (
                "name: mine\nstyles:\n  text: {fg: red}\n  key: {fg: chartreuse}\n",
                "mine.yaml:4:",
                "unknown colour \"chartreuse\"",
            ),
            (
                "name: mine\nstyles:\n  key: {mods: [blinking]}\n",
                "mine.yaml:3:",
                "unknown modifier \"blinking\"",
            ),
            ("name: mine\nborder: fancy\n", "mine.yaml:2:", "fancy"),
            (
                "name: mine\nstyles:\n  key: {fg: red}\n  key: {fg: blue}\n",
                "mine.yaml:4: ",
                "\"key\" is given twice",
            ),
        ];
        for (text, at, what) in cases {
            let err = Theme::parse(text, "mine.yaml").unwrap_err();
            assert!(err.starts_with(at) && err.contains(what), "{err}");
        }
    }

    #[test]
    fn monochrome_has_no_colours_and_no_color_selects_it() {
        let (t, _) = Theme::load("dark", None, true);
        assert_eq!(t.name, "monochrome");
        for &slot in Slot::ALL {
            let st = t.style(slot);
            assert!(st.fg.is_none() && st.bg.is_none());
        }
    }

    #[test]
    fn broken_user_theme_falls_back_with_path_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("themes")).unwrap();
        let p = dir.path().join("themes/mine.yaml");
        std::fs::write(&p, "name: mine\nstyles:\n  txet: {fg: red}\n").unwrap();
        let (t, err) = Theme::load("mine", Some(dir.path()), false);
        assert_eq!(t.name, "dark");
        let err = err.unwrap();
        assert!(err.contains("mine.yaml:3: "), "{err}");
        assert!(
            err.contains("\"txet\"") && err.ends_with("; using dark"),
            "{err}"
        );
        let (_, err) = Theme::load("nope", None, false);
        assert!(err.unwrap().contains("unknown theme"));
    }
}
