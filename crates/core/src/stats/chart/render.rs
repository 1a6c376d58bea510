//! A chart's SVG drawn with real fonts, in-process (resvg, usvg, tiny-skia): PNG, and SVG with
//! its text converted to paths (opens the same anywhere, no font needed). Fonts are the
//! system's plus any font file given; a character no font has is reported, never drawn as an
//! empty box silently.

use std::path::Path;
use std::sync::Arc;

use resvg::tiny_skia;
use resvg::usvg::{self, fontdb};
use skrifa::MetadataProvider;

/// What went wrong drawing a chart.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("{0}: {1}")]
    Font(String, String),
    #[error("SVG: {0}")]
    Svg(String),
    #[error("PNG: {0}")]
    Png(String),
}

/// The fonts a chart is drawn with.
#[derive(Debug, Clone)]
pub struct Fonts {
    db: Arc<fontdb::Database>,
}

impl Fonts {
    /// The fonts installed on this system.
    pub fn system() -> Fonts {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        Fonts { db: Arc::new(db) }
    }

    /// No fonts at all (for tests).
    pub fn none() -> Fonts {
        Fonts {
            db: Arc::new(fontdb::Database::new()),
        }
    }

    /// Adds a font file (TrueType, OpenType or a collection) and returns its family name.
    pub fn add_file(&mut self, path: &Path) -> Result<String, RenderError> {
        let name = path.display().to_string();
        let data =
            std::fs::read(path).map_err(|e| RenderError::Font(name.clone(), e.to_string()))?;
        self.add_data(data)
            .ok_or_else(|| RenderError::Font(name, "not a font file (.ttf, .otf, .ttc)".into()))
    }

    /// Adds font data and returns its (first) family name, or `None` when it is not a font.
    pub fn add_data(&mut self, data: Vec<u8>) -> Option<String> {
        let db = Arc::make_mut(&mut self.db);
        let before: Vec<fontdb::ID> = db.faces().map(|f| f.id).collect();
        db.load_font_data(data);
        let family = db
            .faces()
            .find(|f| !before.contains(&f.id))
            .and_then(|f| f.families.first())
            .map(|(name, _)| name.clone());
        family
    }

    /// Whether some font has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.db.faces().any(|f| {
            self.db
                .with_face_data(f.id, |data, index| {
                    skrifa::FontRef::from_index(data, index)
                        .ok()
                        .and_then(|font| font.charmap().map(c))
                        .is_some()
                })
                .unwrap_or(false)
        })
    }

    /// The characters of `text` (whitespace aside) that no font can draw, each once.
    pub fn missing(&self, text: &str) -> Vec<char> {
        let mut seen: Vec<char> = Vec::new();
        let mut out = Vec::new();
        // Whitespace and control characters are never drawn.
        for c in text.chars().filter(|c| !c.is_whitespace() && *c >= ' ') {
            if seen.contains(&c) {
                continue;
            }
            seen.push(c);
            if !self.covers(c) {
                out.push(c);
            }
        }
        out
    }

    fn tree(&self, svg: &str) -> Result<usvg::Tree, RenderError> {
        let opt = usvg::Options {
            fontdb: self.db.clone(),
            ..usvg::Options::default()
        };
        usvg::Tree::from_str(svg, &opt).map_err(|e| RenderError::Svg(e.to_string()))
    }

    /// The SVG with every text converted to outlines in the fonts found.
    pub fn text_to_paths(&self, svg: &str) -> Result<String, RenderError> {
        Ok(self.tree(svg)?.to_string(&usvg::WriteOptions::default()))
    }

    /// The SVG rasterised to PNG at `scale` times its size (2 for print at about 200 dpi).
    pub fn to_png(&self, svg: &str, scale: f32) -> Result<Vec<u8>, RenderError> {
        let tree = self.tree(svg)?;
        let size = tree
            .size()
            .to_int_size()
            .scale_by(scale)
            .ok_or_else(|| RenderError::Png(format!("scale {scale} gives an empty image")))?;
        let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
            .ok_or_else(|| RenderError::Png("image too large".into()))?;
        resvg::render(
            &tree,
            tiny_skia::Transform::from_scale(scale, scale),
            &mut pixmap.as_mut(),
        );
        pixmap
            .encode_png()
            .map_err(|e| RenderError::Png(e.to_string()))
    }
}

/// The text of an SVG's `<text>` elements (what needs glyphs), for [`Fonts::missing`].
pub fn svg_text(svg: &str) -> String {
    let mut out = String::new();
    let mut r = quick_xml::Reader::from_str(svg);
    let mut depth = 0usize;
    loop {
        match r.read_event() {
            Ok(quick_xml::events::Event::Start(e)) if e.name().as_ref() == b"text" => depth += 1,
            Ok(quick_xml::events::Event::End(e)) if e.name().as_ref() == b"text" => {
                depth = depth.saturating_sub(1);
                out.push(' ');
            }
            Ok(quick_xml::events::Event::Text(t)) if depth > 0 => {
                if let Ok(s) = t.unescape() {
                    out.push_str(&s);
                }
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    out
}
