//! Running a page's content stream far enough to know where each character is drawn: the
//! graphics state (`q`/`Q`, `cm`), the text state (`BT`, `Tf`, `Tm`, `Td`, `TD`, `T*`, `Tc`,
//! `Tw`, `Tz`, `TL`, `Ts`), the text showing operators (`Tj`, `TJ`, `'`, `"`) and form
//! XObjects (`Do`, nested up to a depth). Paths, colours and clipping are ignored; images are
//! only counted (a page of images and no text is a scan).
//!
//! Coordinates are the page's user space turned by its `/Rotate`, so text that reads
//! left to right on screen runs along +x; text running any other way (a rotated stamp or
//! watermark) is left out.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::font::{fold_char, Font};

/// A character drawn on a page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Glyph {
    pub ch: char,
    /// Origin on the baseline, in points (y up).
    pub x: f32,
    pub y: f32,
    /// Advance along the baseline, in points.
    pub w: f32,
    /// Font size, in points.
    pub size: f32,
}

/// What a page draws: its characters in drawing order, and how many images.
#[derive(Debug, Default)]
pub(crate) struct PageText {
    pub glyphs: Vec<Glyph>,
    pub images: usize,
    /// Codes shown whose font says nothing about their text.
    pub unmapped: usize,
    /// Width of the page as displayed, in points.
    pub width: f32,
    /// More characters than the budget given: the rest were not read.
    pub truncated: bool,
    /// The file's form content decoded past [`MAX_FORM_BYTES`]: the rest was not read.
    pub too_costly: bool,
}

/// Most content bytes decoded for one page, and most operators run (a hostile file cannot
/// keep the import busy).
pub(crate) const MAX_PAGE_CONTENT: usize = 64 << 20;
const MAX_OPS: usize = 5_000_000;
/// Most characters read from one PDF (about 20 bytes each in memory; a policy document has a
/// few tens of thousands).
pub(crate) const MAX_GLYPHS: usize = 8_000_000;
const MAX_FORM_DEPTH: usize = 8;

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a × b` (PDF row-vector convention: apply `a`, then `b`).
fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn num(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

fn matrix_of(ops: &[Object]) -> Option<Matrix> {
    if ops.len() != 6 {
        return None;
    }
    let mut m = [0.0; 6];
    for (k, o) in ops.iter().enumerate() {
        m[k] = num(o)?;
    }
    m.iter().all(|v| v.is_finite()).then_some(m)
}

#[derive(Clone)]
struct State {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    size: f32,
    char_space: f32,
    word_space: f32,
    scale: f32,
    leading: f32,
    rise: f32,
}

/// What the pages of one file share: fonts already read, by object (fonts are shared between
/// pages), and how much form content has been decoded so far (a form drawn a million times
/// must not be unpacked a million times without limit).
#[derive(Default)]
pub(crate) struct FontCache {
    fonts: HashMap<ObjectId, Rc<Font>>,
    decoded: usize,
}

impl FontCache {
    pub(crate) fn new() -> FontCache {
        FontCache::default()
    }
}

/// Most form-content bytes decoded for one file, all pages and every `Do` together.
pub(crate) const MAX_FORM_BYTES: usize = 512 << 20;

struct Run<'a> {
    doc: &'a Document,
    fonts: &'a mut FontCache,
    out: PageText,
    ops: usize,
    budget: usize,
}

/// The characters of one page, at most `budget` of them.
pub(crate) fn page_text(
    doc: &Document,
    page: ObjectId,
    fonts: &mut FontCache,
    budget: usize,
) -> PageText {
    let dict = doc.get_dictionary(page).ok();
    let inherited = |key: &[u8]| -> Option<&Object> {
        let mut d = dict?;
        for _ in 0..32 {
            if let Ok(v) = d.get(key) {
                return Some(v);
            }
            d = d
                .get(b"Parent")
                .and_then(Object::as_reference)
                .and_then(|id| doc.get_dictionary(id))
                .ok()?;
        }
        None
    };
    let deref =
        |o: &'_ Object| -> Option<Object> { doc.dereference(o).ok().map(|(_, o)| o.clone()) };
    let mediabox: Vec<f32> = inherited(b"MediaBox")
        .and_then(deref)
        .and_then(|o| {
            o.as_array()
                .ok()
                .map(|a| a.iter().filter_map(num).collect())
        })
        .unwrap_or_default();
    let (x0, y0, x1, y1) = match mediabox[..] {
        [a, b, c, d] => (a.min(c), b.min(d), a.max(c), b.max(d)),
        _ => (0.0, 0.0, 612.0, 792.0),
    };
    let rotate = inherited(b"Rotate")
        .and_then(|o| o.as_i64().ok())
        .unwrap_or(0)
        .rem_euclid(360);
    // User space to a space where the page as displayed has its lower left corner at 0,0.
    let (ctm, width) = match rotate {
        90 => ([0.0, -1.0, 1.0, 0.0, -y0, x1], y1 - y0),
        180 => ([-1.0, 0.0, 0.0, -1.0, x1, y1], x1 - x0),
        270 => ([0.0, 1.0, -1.0, 0.0, y1, -x0], y1 - y0),
        _ => ([1.0, 0.0, 0.0, 1.0, -x0, -y0], x1 - x0),
    };
    let resources = page_resources(doc, page);
    let content = doc
        .get_page_content_with_limit(page, MAX_PAGE_CONTENT)
        .unwrap_or_default();
    let mut run = Run {
        doc,
        fonts,
        out: PageText {
            width,
            ..PageText::default()
        },
        ops: 0,
        budget,
    };
    let state = State {
        ctm,
        font: None,
        size: 0.0,
        char_space: 0.0,
        word_space: 0.0,
        scale: 1.0,
        leading: 0.0,
        rise: 0.0,
    };
    run.stream(&content, &resources, state, 0);
    run.out
}

/// The page's resource dictionary (its own or inherited), merged from all that apply.
fn page_resources(doc: &Document, page: ObjectId) -> Dictionary {
    let mut merged = Dictionary::new();
    if let Ok((direct, ids)) = doc.get_page_resources(page) {
        // Nearest first: later entries never replace earlier ones.
        let mut all: Vec<&Dictionary> = direct.into_iter().collect();
        all.extend(ids.iter().filter_map(|id| doc.get_dictionary(*id).ok()));
        for d in all {
            for (k, v) in d.iter() {
                if !merged.has(k) {
                    merged.set(k.clone(), v.clone());
                }
            }
        }
    }
    merged
}

impl Run<'_> {
    fn resource<'r>(
        &'r self,
        resources: &'r Dictionary,
        kind: &[u8],
        name: &[u8],
    ) -> Option<(Option<ObjectId>, &'r Object)> {
        let group = resources.get(kind).ok()?;
        let group = self.doc.dereference(group).ok()?.1.as_dict().ok()?;
        let entry = group.get(name).ok()?;
        self.doc.dereference(entry).ok()
    }

    fn font(&mut self, resources: &Dictionary, name: &[u8]) -> Rc<Font> {
        let Some((id, obj)) = self.resource(resources, b"Font", name) else {
            return Rc::new(Font::unknown());
        };
        let Ok(dict) = obj.as_dict() else {
            return Rc::new(Font::unknown());
        };
        if let Some(f) = id.and_then(|id| self.fonts.fonts.get(&id)) {
            return f.clone();
        }
        let f = Rc::new(Font::load(self.doc, dict));
        if let Some(id) = id {
            self.fonts.fonts.insert(id, f.clone());
        }
        f
    }

    fn stream(&mut self, content: &[u8], resources: &Dictionary, mut gs: State, depth: usize) {
        let mut stack: Vec<State> = Vec::new();
        let mut tm = IDENTITY;
        let mut tlm = IDENTITY;
        for op in Content::decode_iter(content) {
            let Ok(op) = op else { break };
            self.ops += 1;
            if self.ops > MAX_OPS || self.out.truncated {
                return;
            }
            let a = &op.operands;
            match op.operator.as_str() {
                "q" if stack.len() < 256 => stack.push(gs.clone()),
                "Q" => {
                    if let Some(s) = stack.pop() {
                        gs = s;
                    }
                }
                "cm" => {
                    if let Some(m) = matrix_of(a) {
                        gs.ctm = mul(&m, &gs.ctm);
                    }
                }
                "BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                "Tf" => {
                    if let [Object::Name(n), size] = &a[..] {
                        gs.font = Some(self.font(resources, n));
                        gs.size = num(size).unwrap_or(0.0);
                    }
                }
                "Tc" => gs.char_space = a.first().and_then(num).unwrap_or(0.0),
                "Tw" => gs.word_space = a.first().and_then(num).unwrap_or(0.0),
                "Tz" => gs.scale = a.first().and_then(num).unwrap_or(100.0) / 100.0,
                "TL" => gs.leading = a.first().and_then(num).unwrap_or(0.0),
                "Ts" => gs.rise = a.first().and_then(num).unwrap_or(0.0),
                "Td" | "TD" => {
                    if let [x, y] = &a[..] {
                        let (x, y) = (num(x).unwrap_or(0.0), num(y).unwrap_or(0.0));
                        if op.operator == "TD" {
                            gs.leading = -y;
                        }
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, x, y], &tlm);
                        tm = tlm;
                    }
                }
                "Tm" => {
                    if let Some(m) = matrix_of(a) {
                        tlm = m;
                        tm = m;
                    }
                }
                "T*" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                    tm = tlm;
                }
                "Tj" => {
                    if let Some(Object::String(s, _)) = a.first() {
                        self.show(s, &gs, &mut tm);
                    }
                }
                "'" | "\"" => {
                    if op.operator == "\"" && a.len() == 3 {
                        gs.word_space = num(&a[0]).unwrap_or(0.0);
                        gs.char_space = num(&a[1]).unwrap_or(0.0);
                    }
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                    tm = tlm;
                    if let Some(Object::String(s, _)) = a.last() {
                        self.show(s, &gs, &mut tm);
                    }
                }
                "TJ" => {
                    if let Some(Object::Array(items)) = a.first() {
                        for it in items {
                            match it {
                                Object::String(s, _) => self.show(s, &gs, &mut tm),
                                o => {
                                    if let Some(n) = num(o) {
                                        let tx = -n / 1000.0 * gs.size * gs.scale;
                                        tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                                    }
                                }
                            }
                        }
                    }
                }
                "BI" => self.out.images += 1,
                "Do" => {
                    if let Some(Object::Name(n)) = a.first() {
                        self.xobject(resources, n, &gs, depth);
                    }
                }
                _ => {}
            }
        }
    }

    fn xobject(&mut self, resources: &Dictionary, name: &[u8], gs: &State, depth: usize) {
        let Some((_, obj)) = self.resource(resources, b"XObject", name) else {
            return;
        };
        let Ok(stream) = obj.as_stream() else { return };
        match stream.dict.get(b"Subtype").and_then(Object::as_name) {
            Ok(b"Image") => self.out.images += 1,
            Ok(b"Form") if depth < MAX_FORM_DEPTH => {
                if self.fonts.decoded > MAX_FORM_BYTES {
                    self.out.too_costly = true;
                    self.out.truncated = true;
                    return;
                }
                let Ok(content) = stream
                    .decompressed_content_with_limit(MAX_PAGE_CONTENT)
                    .or_else(|_| {
                        if stream.filters().map(|f| f.is_empty()).unwrap_or(true) {
                            Ok(stream.content.clone())
                        } else {
                            Err(())
                        }
                    })
                else {
                    return;
                };
                let matrix = stream
                    .dict
                    .get(b"Matrix")
                    .ok()
                    .and_then(|o| o.as_array().ok())
                    .and_then(|a| matrix_of(a))
                    .unwrap_or(IDENTITY);
                let own = stream
                    .dict
                    .get(b"Resources")
                    .ok()
                    .and_then(|o| self.doc.dereference(o).ok())
                    .and_then(|(_, o)| o.as_dict().ok())
                    .cloned();
                self.fonts.decoded += content.len();
                let mut inner = gs.clone();
                inner.ctm = mul(&matrix, &gs.ctm);
                let res = own.unwrap_or_else(|| resources.clone());
                self.stream(&content, &res, inner, depth + 1);
            }
            _ => {}
        }
    }

    fn show(&mut self, bytes: &[u8], gs: &State, tm: &mut Matrix) {
        let Some(font) = gs.font.clone() else { return };
        let size = gs.size;
        let scale = gs.scale;
        font.each_code(bytes, |code| {
            let trm = mul(
                &[size * scale, 0.0, 0.0, size, 0.0, gs.rise],
                &mul(tm, &gs.ctm),
            );
            let tx = (code.width * size
                + gs.char_space
                + if code.word_space { gs.word_space } else { 0.0 })
                * scale;
            // The baseline must run left to right: a rotated or mirrored run is left out.
            let horizontal = trm[0] > 0.0 && trm[1].abs() <= trm[0] * 0.05;
            let advance = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], tm);
            let end = mul(&advance, &gs.ctm);
            if horizontal {
                let start = mul(tm, &gs.ctm);
                let x = trm[4];
                let y = trm[5];
                let w = (end[4] - start[4]).max(0.0);
                let glyph_size = (trm[2] * trm[2] + trm[3] * trm[3]).sqrt();
                match &code.text {
                    Some(_) if self.out.glyphs.len() >= self.budget => self.out.truncated = true,
                    Some(t) => {
                        let n = t.chars().count().max(1) as f32;
                        for (k, c) in t.chars().enumerate() {
                            // No line breaks or controls inside a line (a tab is a space);
                            // bidi controls and the like go too.
                            if c != '\t'
                                && (crate::termsafe::is_unsafe(c)
                                    || crate::termsafe::is_invisible(c))
                            {
                                continue;
                            }
                            self.out.glyphs.push(Glyph {
                                ch: fold_char(if c == '\t' { ' ' } else { c }),
                                x: x + w * k as f32 / n,
                                y,
                                w: w / n,
                                size: glyph_size,
                            });
                        }
                    }
                    None => self.out.unmapped += 1,
                }
            }
            *tm = advance;
        });
    }
}
