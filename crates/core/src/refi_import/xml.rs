//! A small element tree for the REFI-QDA readers (namespace prefixes dropped, so `qda:Code`
//! and `Code` read alike), with errors naming the file and line. The writers' escaping is
//! [`crate::xmltext`].

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::RefiImportError;

/// One element of a parsed document: local name, attributes, children and direct text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub text: String,
    /// 1-based line of the start tag, for messages.
    pub line: usize,
}

impl Element {
    /// The value of attribute `name` (local name), if present.
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Direct children named `name`.
    pub(crate) fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The first direct child named `name`.
    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Visits this element and every descendant, depth first.
    pub(crate) fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Element)) {
        f(self);
        for c in &self.children {
            c.walk(f);
        }
    }
}

fn line_of(src: &str, byte: usize) -> usize {
    let end = byte.min(src.len());
    src.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn local(name: &[u8]) -> String {
    let s = String::from_utf8_lossy(name);
    match s.rsplit_once(':') {
        Some((_, l)) => l.to_string(),
        None => s.into_owned(),
    }
}

fn start(e: &BytesStart<'_>, line: usize, file: &str) -> Result<Element, RefiImportError> {
    let mut el = Element {
        name: local(e.name().as_ref()),
        line,
        ..Element::default()
    };
    for a in e.attributes() {
        let a = a.map_err(|err| RefiImportError::Xml {
            file: file.to_string(),
            line,
            message: err.to_string(),
        })?;
        let key = local(a.key.as_ref());
        if key == "xmlns" || a.key.as_ref().starts_with(b"xmlns:") {
            continue;
        }
        let v = a.unescape_value().map_err(|err| RefiImportError::Xml {
            file: file.to_string(),
            line,
            message: err.to_string(),
        })?;
        el.attrs.push((key, v.into_owned()));
    }
    Ok(el)
}

/// Parses `src` into its root element; `file` names it in errors.
pub(crate) fn parse(src: &str, file: &str) -> Result<Element, RefiImportError> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let mut reader = Reader::from_str(src);
    let mut stack: Vec<Element> = Vec::new();
    let err = |pos: usize, message: String| RefiImportError::Xml {
        file: file.to_string(),
        line: line_of(src, pos),
        message,
    };
    loop {
        let pos = reader.buffer_position() as usize;
        let ev = reader
            .read_event()
            .map_err(|e| err(reader.error_position() as usize, e.to_string()))?;
        match ev {
            Event::Start(e) => stack.push(start(&e, line_of(src, pos), file)?),
            Event::Empty(e) => {
                let el = start(&e, line_of(src, pos), file)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => return Ok(el),
                }
            }
            Event::End(_) => {
                let el = stack
                    .pop()
                    .ok_or_else(|| err(pos, "unexpected end tag".into()))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => return Ok(el),
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    let s = t.unescape().map_err(|e| err(pos, e.to_string()))?;
                    top.text.push_str(&s);
                }
            }
            Event::CData(c) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&String::from_utf8_lossy(&c.into_inner()));
                }
            }
            Event::Eof => return Err(err(pos, "document ends before its root element".into())),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xmltext::{attr, text};

    #[test]
    fn escaped_attributes_round_trip_through_the_parser() {
        let v = "a<b>&\"c\"\n\td\r𠀀";
        let doc = format!(
            "<r xmlns=\"urn:x\"><e v=\"{}\">{}</e></r>",
            attr(v),
            text(v)
        );
        let root = parse(&doc, "t.xml").expect("parses");
        let e = root.child("e").expect("child");
        assert_eq!(e.attr("v"), Some(v));
        assert_eq!(e.text, v);
    }

    #[test]
    fn malformed_xml_names_file_and_line() {
        let e = parse("<a>\n<b>\n</a>", "x.qdc").unwrap_err().to_string();
        assert!(e.starts_with("x.qdc:"), "{e}");
    }
}
