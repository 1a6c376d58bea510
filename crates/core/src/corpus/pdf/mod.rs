//! Text of a PDF with a text layer, Chinese first: fonts with `/ToUnicode` maps, composite
//! (Type0/CID) fonts with the predefined Adobe-GB1 CMaps, simple fonts by their encodings;
//! characters placed by position (`content`), gathered into lines in reading order
//! (`layout`), running headers, footers and page numbers removed (`furniture`), and lines that
//! the PDF wrapped at its margin joined into paragraphs (`paragraphs`). The result is plain
//! text, one paragraph per line, that the splitter then reads like any other import.
//!
//! The PDF file itself is parsed by `lopdf` (objects, streams and filters, the standard
//! security handler with an empty user password, content stream tokens); everything about
//! text is done here. A PDF without text (a scan), one that needs a password and one that
//! cannot be read each get their own message.

mod cmap;
mod content;
mod font;
mod furniture;
mod layout;
mod paragraphs;
mod predefined;

use std::fmt;

/// Why a PDF gives no text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfError {
    /// Not a PDF lopdf can read.
    Unreadable(String),
    /// Encrypted with a password the user must give.
    Encrypted,
    /// Pages but no text: a scan (images) or drawings only.
    NoText { pages: usize, images: usize },
    /// Text drawn in fonts that do not say which characters they show.
    NoUnicode { shown: usize, unmapped: usize },
    /// More characters than an import holds in memory.
    TooMuchText,
}

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PdfError::Unreadable(e) => write!(f, "not a readable PDF ({e}); not imported"),
            PdfError::Encrypted => write!(
                f,
                "the PDF is encrypted and needs a password to open; save an unprotected copy \
                 (or its text) and import that"
            ),
            PdfError::NoText { pages, images } if *images > 0 => write!(
                f,
                "the PDF has no text layer ({pages} page{}, {images} image{}): it looks like a \
                 scan; run OCR on it first (e.g. ocrmypdf) and import the result",
                plural(*pages),
                plural(*images)
            ),
            PdfError::NoText { pages, .. } => write!(
                f,
                "the PDF has no text on any of its {pages} page{}; nothing to import",
                plural(*pages)
            ),
            PdfError::TooMuchText => write!(
                f,
                "the PDF draws more than {} million characters; not imported (split it)",
                content::MAX_GLYPHS / 1_000_000
            ),
            PdfError::NoUnicode { shown, unmapped } => write!(
                f,
                "{unmapped} of the {shown} characters in the PDF are drawn in fonts that do not \
                 say which characters they are (no /ToUnicode map); its text cannot be read \
                 reliably; extract it with another tool or OCR"
            ),
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Largest total of decompressed stream data a PDF may unpack to.
const MAX_DECOMPRESSED: usize = 512 << 20;

/// The text of a PDF: one paragraph per line, pages in order.
pub fn pdf_to_text(bytes: &[u8]) -> Result<String, PdfError> {
    // A bug in the parser on a hostile file must cost this file, not the whole import.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let (lines, width) = pdf_lines(bytes)?;
        Ok(paragraphs::join(&lines, width))
    }))
    .unwrap_or_else(|_| Err(PdfError::Unreadable("the parser gave up".to_string())))
}

/// The lines of all pages, in reading order, without running headers, footers and page
/// numbers.
/// Also the most common page width.
fn pdf_lines(bytes: &[u8]) -> Result<(Vec<layout::Line>, f32), PdfError> {
    if !bytes.starts_with(b"%PDF")
        && !bytes[..bytes.len().min(1024)]
            .windows(4)
            .any(|w| w == b"%PDF")
    {
        return Err(PdfError::Unreadable("no %PDF header".to_string()));
    }
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(MAX_DECOMPRESSED),
        ..lopdf::LoadOptions::default()
    };
    let doc = lopdf::Document::load_mem_with_options(bytes, options).map_err(|e| match e {
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => PdfError::Encrypted,
        e => PdfError::Unreadable(e.to_string()),
    })?;
    if doc.is_encrypted() {
        return Err(PdfError::Encrypted);
    }
    let page_ids: Vec<lopdf::ObjectId> = doc.get_pages().into_values().collect();
    if page_ids.is_empty() {
        return Err(PdfError::Unreadable("no pages".to_string()));
    }
    let mut fonts = content::FontCache::new();
    let mut pages = Vec::with_capacity(page_ids.len());
    let (mut images, mut shown, mut unmapped) = (0, 0, 0);
    let mut widths = Vec::with_capacity(page_ids.len());
    let mut budget = content::MAX_GLYPHS;
    for (n, id) in page_ids.iter().enumerate() {
        let page = content::page_text(&doc, *id, &mut fonts, budget);
        budget = budget
            .checked_sub(page.glyphs.len())
            .ok_or(PdfError::TooMuchText)?;
        if page.too_costly {
            return Err(PdfError::Unreadable(format!(
                "its drawings unpack to more than {} MiB (a form drawn over and over?)",
                content::MAX_FORM_BYTES >> 20
            )));
        }
        if page.truncated {
            return Err(PdfError::TooMuchText);
        }
        images += page.images;
        widths.push(page.width);
        unmapped += page.unmapped;
        shown += page.unmapped + page.glyphs.iter().filter(|g| !g.ch.is_whitespace()).count();
        pages.push(layout::lines(&page.glyphs, n));
    }
    let visible = shown - unmapped;
    if visible == 0 && unmapped == 0 {
        return Err(PdfError::NoText {
            pages: page_ids.len(),
            images,
        });
    }
    if unmapped * 2 > shown {
        return Err(PdfError::NoUnicode { shown, unmapped });
    }
    furniture::remove(&mut pages);
    widths.sort_by(f32::total_cmp);
    let width = widths[widths.len() / 2];
    Ok((pages.into_iter().flatten().collect(), width))
}

/// The lines of a PDF with where they sit (page, baseline, left and right edge, font size),
/// for finding out why a PDF imports the way it does.
#[doc(hidden)]
pub fn pdf_layout_dump(bytes: &[u8]) -> Result<String, PdfError> {
    let (lines, width) = pdf_lines(bytes)?;
    Ok(paragraphs::explain(&lines, width))
}

/// The characters of one page with their positions, for debugging.
#[doc(hidden)]
pub fn pdf_glyph_dump(bytes: &[u8], page: usize) -> String {
    let Ok(doc) = lopdf::Document::load_mem(bytes) else {
        return String::new();
    };
    let Some(id) = doc.get_pages().into_values().nth(page) else {
        return String::new();
    };
    let mut fonts = content::FontCache::new();
    content::page_text(&doc, id, &mut fonts, content::MAX_GLYPHS)
        .glyphs
        .iter()
        .map(|g| {
            format!(
                "{} x{:.2} y{:.2} w{:.2} s{:.1}\n",
                g.ch, g.x, g.y, g.w, g.size
            )
        })
        .collect()
}

#[cfg(test)]
mod tests;
