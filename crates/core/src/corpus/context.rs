//! Where a paragraph stands in its document: the texts of the headings above it (outermost
//! first) and its own lead clause (`（三）加强人才培养。` before the running text). Chinese
//! policy documents state the instrument a block of paragraphs deploys in these headings
//! (`保障措施`, `总体要求`, `加大财税支持`), so suggestions read them as evidence.

use super::{Document, ParaKind};

/// Longest lead clause taken as a heading of its own paragraph (characters, marker included).
const MAX_LEAD_CHARS: usize = 40;

/// The structure around one paragraph.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParaContext {
    /// Heading texts of the sections the paragraph is in, outermost first; for a section
    /// opened by a body paragraph with an inline heading, that paragraph's lead clause. A
    /// section the paragraph opens itself is not here but in `lead`.
    pub headings: Vec<String>,
    /// The paragraph's own lead clause, when it opens with a short sentence that reads as a
    /// heading (`坚持开放合作。`, `（五）强化人才支撑。`).
    pub lead: Option<String>,
}

/// The context of paragraph index `i` (0-based) of `doc`.
pub fn para_context(doc: &Document, i: usize) -> ParaContext {
    let Some(p) = doc.paragraphs.get(i) else {
        return ParaContext::default();
    };
    let mut found: Vec<(usize, String)> = Vec::new();
    if !p.section.is_empty() {
        // The paragraph that opened each enclosing section: the latest one at or before `i`
        // whose section differs from the one before it and is a prefix of this section path.
        for j in (0..i).rev() {
            let q = &doc.paragraphs[j];
            if q.kind == ParaKind::NonBody || q.section.is_empty() {
                continue;
            }
            let opens = j == 0 || doc.paragraphs[j - 1].section != q.section;
            if !opens || !p.section.starts_with(q.section.as_str()) {
                continue;
            }
            if found.iter().any(|(len, _)| *len == q.section.len()) {
                continue;
            }
            let text = match q.kind {
                ParaKind::Heading => Some(q.text.clone()),
                _ => lead_clause(&q.text).map(str::to_string),
            };
            if let Some(t) = text {
                found.push((q.section.len(), t));
            }
            if q.section.len() <= first_marker_len(&p.section) {
                break;
            }
        }
    }
    found.sort_by_key(|(len, _)| *len);
    ParaContext {
        headings: found.into_iter().map(|(_, t)| t).collect(),
        lead: lead_clause(&p.text).map(str::to_string),
    }
}

/// Byte length of the outermost marker of a section path (`三、` of `三、（二）`), so the walk
/// back stops once the outermost section is found.
fn first_marker_len(section: &str) -> usize {
    let mut end = 0;
    for (i, c) in section.char_indices() {
        end = i + c.len_utf8();
        if matches!(c, '、' | '）' | ')' | '.' | '．' | '章' | '条' | '节') {
            break;
        }
    }
    end
}

/// The first sentence of `text` when it is short enough to be a heading and more text
/// follows: `（三）加强人才培养。` of `（三）加强人才培养。支持高校……`.
pub fn lead_clause(text: &str) -> Option<&str> {
    let mut count = 0;
    for (i, c) in text.char_indices() {
        count += 1;
        if count > MAX_LEAD_CHARS {
            return None;
        }
        if matches!(c, '。' | '：' | ':' | '！') {
            let end = i + c.len_utf8();
            return (end < text.len()).then(|| &text[..end]);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Paragraph;

    fn doc(rows: &[(ParaKind, &str, &str)]) -> Document {
        Document {
            id: "d".into(),
            meta: Default::default(),
            paragraphs: rows
                .iter()
                .enumerate()
                .map(|(i, (kind, section, text))| Paragraph {
                    n: i as u32 + 1,
                    kind: *kind,
                    section: section.to_string(),
                    hash: format!("h{i}"),
                    text: text.to_string(),
                })
                .collect(),
        }
    }

    #[test]
    fn headings_outermost_first_and_inline_lead_clauses() {
        use ParaKind::*;
        let d = doc(&[
            (NonBody, "", "关于推动区块链发展的意见"),
            (Heading, "一、", "一、总体要求"),
            (Body, "一、", "坚持创新驱动。以技术创新为核心。"),
            (Heading, "三、", "三、保障措施"),
            (
                Body,
                "三、（一）",
                "（一）加强组织领导。建立工作协调机制，明确责任分工。",
            ),
            (Body, "三、（一）", "各地要抓好落实。"),
            (
                Body,
                "三、（二）",
                "（二）加大财税支持。对符合条件的企业给予奖励。",
            ),
        ]);
        let c = para_context(&d, 5);
        assert_eq!(c.headings, ["三、保障措施", "（一）加强组织领导。"]);
        assert_eq!(c.lead, None);
        let c = para_context(&d, 6);
        assert_eq!(
            c.headings,
            ["三、保障措施"],
            "its own lead clause is `lead`"
        );
        assert_eq!(c.lead.as_deref(), Some("（二）加大财税支持。"));
        let c = para_context(&d, 2);
        assert_eq!(c.headings, ["一、总体要求"]);
        assert_eq!(c.lead.as_deref(), Some("坚持创新驱动。"));
        assert_eq!(para_context(&d, 0), ParaContext::default());
    }

    #[test]
    fn lead_clause_needs_more_text_after_it_and_a_short_sentence() {
        assert_eq!(
            lead_clause("加强人才培养。支持高校开设课程。"),
            Some("加强人才培养。")
        );
        assert_eq!(lead_clause("加强人才培养。"), None);
        assert_eq!(lead_clause(&"很长".repeat(30)), None);
    }
}
