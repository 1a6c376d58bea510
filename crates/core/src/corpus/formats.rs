//! Extracting plain text from the supported container formats: Markdown (markup removed) and
//! Word `.docx` (paragraphs of `word/document.xml`); HTML character references for
//! [`super::html`], which lays out web pages. Plain text passes through unchanged.

use std::io::{Cursor, Read};
use std::path::Path;

use quick_xml::events::Event;

/// File formats `polcode import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Text,
    Markdown,
    Docx,
    Html,
    /// A PDF with a text layer (see [`super::pdf`]).
    Pdf,
}

impl Format {
    /// The format of a file by its extension (`.txt`, `.md`, `.docx`, `.html`/`.htm`, `.pdf`).
    pub(crate) fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "docx" => Some(Format::Docx),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }
}

/// Text of Markdown: heading markers, block quotes, emphasis, inline code, link and image
/// targets, reference definitions, fences and rules removed. Lines are kept as lines (policy
/// texts put one paragraph per line; hard wrapping is undone later by the splitter).
pub(crate) fn markdown_to_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    for line in md.lines() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") || is_rule(t) || is_ref_definition(t) {
            out.push('\n');
            continue;
        }
        let mut s = t;
        while let Some(r) = s.strip_prefix('>') {
            s = r.trim_start();
        }
        let hashes = s.chars().take_while(|&c| c == '#').count();
        if (1..=6).contains(&hashes) && s[hashes..].starts_with([' ', '\t']) {
            s = s[hashes..].trim().trim_end_matches('#').trim_end();
        }
        for bullet in ["- ", "* ", "+ "] {
            if let Some(r) = s.strip_prefix(bullet) {
                s = r;
                break;
            }
        }
        out.push_str(&inline_markdown(s));
        out.push('\n');
    }
    out
}

fn is_rule(t: &str) -> bool {
    let c: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    c.len() >= 3
        && (c.chars().all(|x| x == '-')
            || c.chars().all(|x| x == '*')
            || c.chars().all(|x| x == '_'))
}

fn is_ref_definition(t: &str) -> bool {
    t.starts_with('[') && t.contains("]:") && !t.contains("](")
}

/// Removes `**`, `__`, `*x*`, `` `x` ``, `~~`, and keeps only the text of links and images.
fn inline_markdown(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if i + 1 < chars.len() && chars[i + 1].is_ascii_punctuation() => {
                out.push(chars[i + 1]);
                i += 2;
                continue;
            }
            '!' if chars.get(i + 1) == Some(&'[') => {
                i += 1;
                continue;
            }
            '[' => {
                if let Some((text_end, url_end)) = link_at(&chars, i) {
                    out.extend(&chars[i + 1..text_end]);
                    i = url_end + 1;
                    continue;
                }
            }
            '*' | '`' | '~' => {
                i += 1;
                continue;
            }
            '_' if chars.get(i + 1) == Some(&'_') => {
                i += 2;
                continue;
            }
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    out
}

/// For `[text](url)` starting at `open`: the index of `]` and of the closing `)`.
fn link_at(chars: &[char], open: usize) -> Option<(usize, usize)> {
    let close = open + chars[open..].iter().position(|&c| c == ']')?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = close + 1 + chars[close + 1..].iter().position(|&c| c == ')')?;
    Some((close, end))
}

/// Largest `word/document.xml` read from a `.docx` (uncompressed). Real policy documents are a
/// few MiB; this keeps a zip bomb from exhausting memory.
pub(crate) const MAX_DOCX_XML: u64 = 128 << 20;

/// Text of a `.docx`: one line per `w:p` paragraph; `w:t` text runs, `w:tab` as a space,
/// `w:br`/`w:cr` as line breaks; deleted text and field codes skipped.
pub(crate) fn docx_to_text(bytes: &[u8]) -> Result<String, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("not a valid .docx (zip): {e}"))?;
    let mut xml = Vec::new();
    // The size in the zip directory can lie; read at most one byte past the limit to know.
    zip.by_name("word/document.xml")
        .map_err(|_| "not a Word document: word/document.xml is missing".to_string())?
        .take(MAX_DOCX_XML + 1)
        .read_to_end(&mut xml)
        .map_err(|e| format!("cannot read word/document.xml: {e}"))?;
    if xml.len() as u64 > MAX_DOCX_XML {
        return Err(format!(
            "word/document.xml unpacks to more than {} MiB (a zip bomb?); not imported",
            MAX_DOCX_XML >> 20
        ));
    }
    let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
    let mut buf = Vec::new();
    let mut out = String::new();
    let mut in_text = false;
    loop {
        let ev = reader.read_event_into(&mut buf).map_err(|e| {
            format!(
                "word/document.xml at byte {}: {e}",
                reader.buffer_position()
            )
        })?;
        match ev {
            Event::Start(e) => in_text = e.local_name().as_ref() == b"t",
            Event::Empty(e) => match e.local_name().as_ref() {
                b"tab" => out.push(' '),
                b"br" | b"cr" => out.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text => {
                let s = t
                    .unescape()
                    .map_err(|e| format!("word/document.xml: {e}"))?;
                out.push_str(&s);
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => out.push('\n'),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// Decodes named (common ones), decimal and hexadecimal character references.
pub(crate) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let semi = rest[1..].find(';').map(|i| i + 1).filter(|&i| i <= 12);
        let decoded = semi.and_then(|i| entity(&rest[1..i]).map(|c| (c, i)));
        match decoded {
            Some((c, i)) => {
                out.push(c);
                rest = &rest[i + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "middot" => '·',
        "bull" => '•',
        "times" => '×',
        "divide" => '÷',
        "copy" => '©',
        "reg" => '®',
        "deg" => '°',
        "plusmn" => '±',
        "yen" => '¥',
        "laquo" => '«',
        "raquo" => '»',
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
