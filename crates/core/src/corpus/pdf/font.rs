//! Fonts of a PDF page as far as text extraction needs them: how a shown string is cut into
//! codes, the text of each code and its advance width.
//!
//! The text of a code comes from the font's `/ToUnicode` map when it has the code, else from a
//! predefined CMap that is itself a Unicode or national encoding (see [`super::predefined`]),
//! else, for simple fonts, from the `/Encoding` (base encoding plus `/Differences` glyph
//! names, through lopdf's tables). Widths come from `/Widths` (simple fonts) or `/W` and `/DW`
//! (composite fonts), in thousandths of the font size (Type 3: through its `/FontMatrix`).

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object};

use super::cmap::{self, CodeSpace, ToUnicode};
use super::predefined::{self, Decoder};

/// Most bytes of one font's CMap streams read (a hostile file cannot make a font huge).
const MAX_CMAP_BYTES: usize = 8 << 20;

/// A font ready to decode shown strings.
#[derive(Debug)]
pub(crate) struct Font {
    space: CodeSpace,
    to_unicode: Option<ToUnicode>,
    /// Composite fonts with a predefined CMap.
    decoder: Option<Decoder>,
    /// Simple fonts: the text of each byte by the font's encoding.
    simple: Option<Vec<Option<String>>>,
    widths: Widths,
    /// Width units to text space (1/1000, or a Type 3 font's matrix).
    scale: f32,
    composite: bool,
}

#[derive(Debug)]
enum Widths {
    Simple {
        first: u32,
        widths: Vec<f32>,
        missing: f32,
    },
    Cid {
        widths: HashMap<u32, f32>,
        default: f32,
    },
}

/// One code of a shown string.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Code<'a> {
    /// Its text, if the font says what it is.
    pub text: Option<std::borrow::Cow<'a, str>>,
    /// Advance in text space units per unit of font size.
    pub width: f32,
    /// A one-byte code 32, to which word spacing (`Tw`) applies.
    pub word_space: bool,
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}

fn num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

fn stream_bytes(doc: &Document, o: &Object) -> Option<Vec<u8>> {
    let s = deref(doc, o).as_stream().ok()?;
    s.decompressed_content_with_limit(MAX_CMAP_BYTES)
        .or_else(|_| {
            if s.filters().map(|f| f.is_empty()).unwrap_or(true) {
                Ok(s.content.clone())
            } else {
                Err(())
            }
        })
        .ok()
}

impl Font {
    /// Reads a font dictionary. Never fails: what cannot be read is left out, and a code with
    /// no known text is reported as such.
    pub(crate) fn load(doc: &Document, dict: &Dictionary) -> Font {
        let subtype = dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .unwrap_or(b"");
        let to_unicode = dict
            .get(b"ToUnicode")
            .ok()
            .and_then(|o| stream_bytes(doc, o))
            .map(|b| cmap::parse_to_unicode(&b))
            .filter(|m| !m.is_empty());
        if subtype == b"Type0" {
            Self::load_composite(doc, dict, to_unicode)
        } else {
            Self::load_simple(doc, dict, subtype, to_unicode)
        }
    }

    fn load_composite(doc: &Document, dict: &Dictionary, to_unicode: Option<ToUnicode>) -> Font {
        let mut decoder = None;
        let space = match dict.get(b"Encoding").map(|o| deref(doc, o)) {
            Ok(Object::Name(n)) => {
                let name = String::from_utf8_lossy(n);
                match predefined::lookup(&name) {
                    Some((space, dec)) => {
                        decoder = Some(dec);
                        space
                    }
                    None => CodeSpace::fixed(2),
                }
            }
            Ok(o @ Object::Stream(_)) => {
                let bytes = stream_bytes(doc, o).unwrap_or_default();
                let (ranges, base) = cmap::parse_code_space(&bytes);
                let pre = base.as_deref().and_then(predefined::lookup);
                if let Some((_, dec)) = &pre {
                    decoder = Some(*dec);
                }
                match (ranges.is_empty(), pre) {
                    (true, Some((space, _))) => space,
                    _ => CodeSpace::new(ranges),
                }
            }
            _ => CodeSpace::fixed(2),
        };
        // A ToUnicode map's own code space is the better guide when the encoding is unknown.
        let space = match (&to_unicode, decoder) {
            (Some(m), None) if !m.space.is_empty() && space == CodeSpace::fixed(2) => {
                CodeSpace::new(m.space.clone())
            }
            _ => space,
        };
        let desc = dict
            .get(b"DescendantFonts")
            .map(|o| deref(doc, o))
            .ok()
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_dict().ok());
        let default = desc
            .and_then(|d| d.get(b"DW").ok())
            .and_then(num)
            .unwrap_or(1000.0);
        let mut widths = HashMap::new();
        if let Some(w) = desc
            .and_then(|d| d.get(b"W").ok())
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_array().ok())
        {
            read_cid_widths(doc, w, &mut widths);
        }
        Font {
            space,
            to_unicode,
            decoder,
            simple: None,
            widths: Widths::Cid { widths, default },
            scale: 0.001,
            composite: true,
        }
    }

    fn load_simple(
        doc: &Document,
        dict: &Dictionary,
        subtype: &[u8],
        to_unicode: Option<ToUnicode>,
    ) -> Font {
        let simple = dict.get_font_encoding(doc).ok().map(|enc| {
            (0u8..=255)
                .map(|b| {
                    enc.bytes_to_string(&[b])
                        .ok()
                        .filter(|s| !s.is_empty() && !s.contains('\u{FFFD}'))
                })
                .collect()
        });
        let first = dict
            .get(b"FirstChar")
            .ok()
            .and_then(num)
            .unwrap_or(0.0)
            .max(0.0) as u32;
        let widths: Vec<f32> = dict
            .get(b"Widths")
            .map(|o| deref(doc, o))
            .ok()
            .and_then(|o| o.as_array().ok())
            .map(|a| {
                a.iter()
                    .take(256)
                    .map(|o| num(deref(doc, o)).unwrap_or(0.0))
                    .collect()
            })
            .unwrap_or_default();
        let base = dict
            .get(b"BaseFont")
            .and_then(Object::as_name)
            .unwrap_or(b"");
        let missing = dict
            .get(b"FontDescriptor")
            .map(|o| deref(doc, o))
            .ok()
            .and_then(|o| o.as_dict().ok())
            .and_then(|d| d.get(b"MissingWidth").ok())
            .and_then(num)
            .filter(|w| *w > 0.0)
            .unwrap_or(if base.starts_with(b"Courier") {
                600.0
            } else {
                500.0
            });
        let scale = if subtype == b"Type3" {
            dict.get(b"FontMatrix")
                .map(|o| deref(doc, o))
                .ok()
                .and_then(|o| o.as_array().ok())
                .and_then(|a| a.first())
                .and_then(num)
                .map(f32::abs)
                .filter(|s| *s > 0.0 && *s < 10.0)
                .unwrap_or(0.001)
        } else {
            0.001
        };
        Font {
            space: CodeSpace::fixed(1),
            to_unicode,
            decoder: None,
            simple,
            widths: Widths::Simple {
                first,
                widths,
                missing,
            },
            scale,
            composite: false,
        }
    }

    /// A font for a `Tf` naming no font that can be read: every code one byte, no text.
    pub(crate) fn unknown() -> Font {
        Font {
            space: CodeSpace::fixed(1),
            to_unicode: None,
            decoder: None,
            simple: None,
            widths: Widths::Simple {
                first: 0,
                widths: Vec::new(),
                missing: 500.0,
            },
            scale: 0.001,
            composite: false,
        }
    }

    /// Calls `f` with each code of the shown string `bytes`.
    pub(crate) fn each_code(&self, bytes: &[u8], mut f: impl FnMut(Code<'_>)) {
        for (code, len) in self.space.codes(bytes) {
            let text = self
                .to_unicode
                .as_ref()
                .and_then(|m| m.get(code, len))
                .or_else(|| {
                    if self.composite {
                        self.decoder
                            .and_then(|d| predefined::decode(d, code, len))
                            .map(std::borrow::Cow::Owned)
                    } else {
                        self.simple
                            .as_ref()
                            .and_then(|t| t.get(code as usize)?.as_deref())
                            .map(std::borrow::Cow::Borrowed)
                    }
                });
            let w = match &self.widths {
                Widths::Simple {
                    first,
                    widths,
                    missing,
                } => code
                    .checked_sub(*first)
                    .and_then(|i| widths.get(i as usize).copied())
                    .filter(|w| *w > 0.0)
                    .unwrap_or(if code == 32 { missing / 2.0 } else { *missing }),
                Widths::Cid { widths, default } => {
                    let cid = match self.decoder {
                        None | Some(Decoder::Identity) => Some(code),
                        Some(d) => predefined::ascii_cid(d, code).filter(|_| len <= 2),
                    };
                    cid.and_then(|c| widths.get(&c).copied())
                        .unwrap_or(*default)
                }
            };
            f(Code {
                text,
                width: w * self.scale,
                word_space: len == 1 && code == 32,
            });
        }
    }
}

/// `/W` of a CIDFont: `c [w1 w2 …]` and `c_first c_last w` entries.
fn read_cid_widths(doc: &Document, w: &[Object], out: &mut HashMap<u32, f32>) {
    const MAX: usize = 100_000;
    let mut i = 0;
    while i < w.len() && out.len() < MAX {
        let Some(first) = num(deref(doc, &w[i])) else {
            i += 1;
            continue;
        };
        let first = first.max(0.0) as u32;
        match w.get(i + 1).map(|o| deref(doc, o)) {
            Some(Object::Array(list)) => {
                for (k, o) in list.iter().enumerate().take(MAX) {
                    if let Some(v) = num(deref(doc, o)) {
                        out.insert(first.saturating_add(k as u32), v);
                    }
                }
                i += 2;
            }
            Some(o) => {
                let last = num(o).unwrap_or(0.0).max(0.0) as u32;
                let v = w.get(i + 2).map(|o| deref(doc, o)).and_then(num);
                if let Some(v) = v {
                    for c in first..=last.min(first.saturating_add(MAX as u32)) {
                        out.insert(c, v);
                    }
                }
                i += 3;
            }
            None => break,
        }
    }
}

/// A character as stored: Kangxi radicals and CJK radical supplement forms, which some PDF
/// producers map their glyphs to (`⽣` U+2F63 for `生`), become the ideograph they look like.
/// (CJK compatibility ideographs are folded by NFC later.)
pub(crate) fn fold_char(c: char) -> char {
    if ('\u{2E80}'..='\u{2FDF}').contains(&c) {
        let mut out = None;
        let mut n = 0;
        unicode_normalization::char::decompose_compatible(c, |d| {
            out = Some(d);
            n += 1;
        });
        if n == 1 {
            return out.unwrap_or(c);
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kangxi_radicals_fold_to_ideographs() {
        assert_eq!(fold_char('\u{2F63}'), '生');
        assert_eq!(fold_char('\u{2F00}'), '一');
        assert_eq!(fold_char('中'), '中');
        assert_eq!(fold_char('a'), 'a');
    }
}
