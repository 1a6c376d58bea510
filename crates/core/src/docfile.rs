//! The file of one imported document, `documents/<id>.yaml`: `id` and `meta` as ordinary YAML,
//! then `paragraphs:` with one flow-style line per paragraph (see `crate::flowyaml`), so a
//! re-import that changes one paragraph changes one line, and 600 documents load in tens of
//! milliseconds. Files in any other valid YAML layout (hand-edited) still load. A file whose
//! paragraphs are not numbered 1, 2, 3… in order is refused when it loads, naming the file, the
//! line (where known) and the paragraph: everything else finds a paragraph by that number.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::corpus::{DocMeta, Document, Paragraph};
use crate::flowyaml;
use crate::study::StudyError;

#[derive(Serialize, Deserialize)]
struct Header {
    id: String,
    meta: DocMeta,
}

/// The text of a document file.
pub fn to_yaml(doc: &Document, path: &Path) -> Result<String, StudyError> {
    let invalid =
        |e: &dyn std::fmt::Display| StudyError::Invalid(format!("{}: {e}", path.display()));
    let header = Header {
        id: doc.id.clone(),
        meta: doc.meta.clone(),
    };
    let mut out = serde_yaml::to_string(&header).map_err(|e| invalid(&e))?;
    flowyaml::write_list(&mut out, "paragraphs", &doc.paragraphs).map_err(|e| invalid(&e))?;
    Ok(out)
}

/// Parses a document file: the fast path for files polcode wrote, else full YAML (whose errors
/// carry line and column). A file whose paragraphs are not numbered 1, 2, 3… in order is
/// refused ([`check_numbering`]).
pub(crate) fn parse(path: &Path, text: &str) -> Result<Document, StudyError> {
    if let Some((header, lists)) = flowyaml::split_lists(text, &["paragraphs"]) {
        if let (Ok(h), Some(paragraphs)) = (
            serde_yaml::from_str::<Header>(header),
            flowyaml::parse_items::<Paragraph>(&lists[0]),
        ) {
            let doc = Document {
                id: h.id,
                meta: h.meta,
                paragraphs,
            };
            check_numbering(path, &doc, |i| Some(line_of(text, lists[0][i])))?;
            return Ok(doc);
        }
    }
    // The full parser, behind the alias-bomb guard shared by every YAML file polcode reads.
    let doc = crate::fsutil::yaml_from_str(text).map_err(|e| StudyError::yaml(path, &e))?;
    // serde_yaml gives no position per list item, so here the message names the paragraph only.
    check_numbering(path, &doc, |_| None)?;
    Ok(doc)
}

/// Refuses a document whose paragraph `n` is not its place in the file (index + 1): paragraph
/// ids, the coding screen, reconciling and agreement all find a paragraph by its number, so a
/// file that breaks this (a hand edit, a bad merge) would put decisions on the wrong text.
/// `line` gives the file line of the paragraph at an index, where it is known.
fn check_numbering(
    path: &Path,
    doc: &Document,
    line: impl Fn(usize) -> Option<usize>,
) -> Result<(), StudyError> {
    let Some((i, p)) = doc
        .paragraphs
        .iter()
        .enumerate()
        .find(|(i, p)| p.n as usize != i + 1)
    else {
        return Ok(());
    };
    let at = match line(i) {
        Some(l) => format!("{}:{l}", path.display()),
        None => path.display().to_string(),
    };
    Err(StudyError::Invalid(format!(
        "{at}: paragraph {} is numbered {}: a document's paragraphs must be numbered 1, 2, 3… in \
         file order; correct the number or restore the file",
        i + 1,
        p.n
    )))
}

/// The 1-based line of `item`, a slice of `text`.
fn line_of(text: &str, item: &str) -> usize {
    let offset = item.as_ptr() as usize - text.as_ptr() as usize;
    text[..offset].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::ParaKind;

    fn doc() -> Document {
        Document {
            id: "d1".into(),
            meta: DocMeta {
                title: "关于推动区块链发展的意见".into(),
                region: "east".into(),
                ..DocMeta::default()
            },
            paragraphs: vec![
                Paragraph {
                    n: 1,
                    kind: ParaKind::Heading,
                    section: "一、".into(),
                    hash: "h1".into(),
                    text: "一、总体要求".into(),
                },
                Paragraph {
                    n: 2,
                    kind: ParaKind::Body,
                    section: "一、".into(),
                    hash: "h2".into(),
                    text: "支持\"链上\"存证：\t𠀀".into(),
                },
            ],
        }
    }

    #[test]
    fn round_trips_through_both_parsers() {
        let p = Path::new("documents/d1.yaml");
        let text = to_yaml(&doc(), p).unwrap();
        assert!(text.contains("\n- {\"n\":2,"), "{text}");
        assert_eq!(parse(p, &text).unwrap(), doc());
        let full: Document = serde_yaml::from_str(&text).unwrap();
        assert_eq!(full, doc());
    }

    #[test]
    fn hand_edited_block_style_still_loads_and_errors_carry_lines() {
        let p = Path::new("documents/d1.yaml");
        let block = serde_yaml::to_string(&doc()).unwrap();
        assert_eq!(parse(p, &block).unwrap(), doc());
        let broken = to_yaml(&doc(), p)
            .unwrap()
            .replace("\"n\":2", "\"n\":\"two\"");
        let e = parse(p, &broken).unwrap_err().to_string();
        assert!(e.starts_with("documents/d1.yaml:"), "{e}");
    }

    #[test]
    fn a_paragraph_numbered_out_of_place_is_refused_with_file_line_and_paragraph() {
        let p = Path::new("documents/d1.yaml");
        let good = to_yaml(&doc(), p).unwrap();
        let line = good.lines().position(|l| l.contains("\"n\":2")).unwrap() + 1;
        let bad = good.replace("\"n\":2", "\"n\":3");
        let e = parse(p, &bad).unwrap_err().to_string();
        assert_eq!(
            e,
            format!(
                "documents/d1.yaml:{line}: paragraph 2 is numbered 3: a document's paragraphs \
                 must be numbered 1, 2, 3… in file order; correct the number or restore the file"
            )
        );
        // The same in a hand-edited block-style file, which has no line per paragraph.
        let mut d = doc();
        d.paragraphs[0].n = 0;
        let block = serde_yaml::to_string(&d).unwrap();
        let e = parse(p, &block).unwrap_err().to_string();
        assert!(
            e.starts_with("documents/d1.yaml: paragraph 1 is numbered 0:"),
            "{e}"
        );
    }
}
