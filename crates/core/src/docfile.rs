//! The file of one imported document, `documents/<id>.yaml`: `id` and `meta` as ordinary YAML,
//! then `paragraphs:` with one flow-style line per paragraph (see [`crate::flowyaml`]), so a
//! re-import that changes one paragraph changes one line, and 600 documents load in tens of
//! milliseconds. Files in any other valid YAML layout (hand-edited) still load.

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
/// carry line and column).
pub fn parse(path: &Path, text: &str) -> Result<Document, StudyError> {
    if let Some((header, lists)) = flowyaml::split_lists(text, &["paragraphs"]) {
        if let (Ok(h), Some(paragraphs)) = (
            serde_yaml::from_str::<Header>(header),
            flowyaml::parse_items::<Paragraph>(&lists[0]),
        ) {
            return Ok(Document {
                id: h.id,
                meta: h.meta,
                paragraphs,
            });
        }
    }
    // The full parser, behind the alias-bomb guard shared by every YAML file polcode reads.
    crate::fsutil::yaml_from_str(text).map_err(|e| StudyError::yaml(path, &e))
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
}
