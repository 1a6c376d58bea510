//! Re-anchoring after a re-import: decisions follow their paragraph's text (by hash) to its
//! new position; those that cannot be placed become orphans with a reason — never dropped —
//! and orphans whose paragraph comes back are restored.

use std::collections::{HashMap, HashSet};

use super::snapshot::para_order;
use super::{Codings, Decision, Orphan};
use crate::corpus::{para_id, parse_para_id, Document};

/// A decision that changed paragraph id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    pub from: String,
    pub to: String,
}

/// A decision that became an orphan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Orphaned {
    /// Its paragraph id before re-anchoring.
    pub para: String,
    pub reason: String,
}

/// What `reanchor` did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnchorReport {
    /// Decisions whose paragraph id and text hash still match.
    pub kept: usize,
    /// Decisions moved to the paragraph that now has their text.
    pub moved: Vec<Moved>,
    /// Decisions that could not be placed and are now orphans.
    pub orphaned: Vec<Orphaned>,
    /// Orphans placed again (`from` = old paragraph id, `to` = where it went; may be equal).
    pub restored: Vec<Moved>,
    /// Orphans that still cannot be placed.
    pub still_orphaned: usize,
}

impl AnchorReport {
    /// Whether nothing moved, was orphaned or restored.
    pub fn is_unchanged(&self) -> bool {
        self.moved.is_empty() && self.orphaned.is_empty() && self.restored.is_empty()
    }

    /// One line for users: what moved, came back or became an orphan.
    pub fn summary(&self) -> String {
        format!(
            "{} kept, {} moved to the paragraphs that now have their text, {} restored, {} orphaned (kept, see `polcode check`)",
            self.kept,
            self.moved.len(),
            self.restored.len(),
            self.orphaned.len()
        )
    }
}

/// Whether every decision sits on a paragraph whose text hash is the one it was made on, and
/// no orphan waits to be placed. One lookup per decision, nothing allocated per paragraph, so
/// every reader can afford to ask before trusting the codings.
pub fn is_anchored(codings: &Codings, docs: &[Document]) -> bool {
    if !codings.orphans.is_empty() {
        return false;
    }
    let by_doc: HashMap<&str, &Document> = docs.iter().map(|d| (d.id.as_str(), d)).collect();
    codings.decisions.values().all(|d| {
        parse_para_id(&d.para)
            .and_then(|(doc, n)| {
                let p = by_doc
                    .get(doc)?
                    .paragraphs
                    .get((n as usize).checked_sub(1)?)?;
                Some(p.n == n && p.hash == d.hash)
            })
            .unwrap_or(false)
    })
}

/// Re-anchors in memory when [`is_anchored`] says the codings do not fit `docs` (all the
/// study's documents); `None` when they already fit. Readers that may not write (statistics,
/// exports, read-only sessions) use this so that nothing is ever counted against text it was
/// not made on; sessions that hold the lock persist the result instead.
pub(crate) fn anchor_in_memory(codings: &mut Codings, docs: &[Document]) -> Option<AnchorReport> {
    (!is_anchored(codings, docs)).then(|| reanchor(codings, docs))
}

/// Where a decision's text now lives, or why it cannot be placed.
enum Place {
    At(String),
    Nowhere(String),
}

/// Re-anchors `codings` to `docs`, which must be all of the study's documents. A decision stays
/// when its paragraph id exists with the same text hash; otherwise it moves to an unclaimed
/// paragraph with that hash in the same document (the nearest one), else anywhere in the study
/// if exactly one paragraph has it; otherwise it becomes an orphan. Current decisions are
/// placed before orphans (newest orphan first), so an old orphan never displaces newer work.
pub(crate) fn reanchor(codings: &mut Codings, docs: &[Document]) -> AnchorReport {
    let by_doc: HashMap<&str, &Document> = docs.iter().map(|d| (d.id.as_str(), d)).collect();
    let mut by_hash: HashMap<&str, Vec<String>> = HashMap::new();
    for doc in docs {
        for p in &doc.paragraphs {
            by_hash
                .entry(p.hash.as_str())
                .or_default()
                .push(doc.para_id(p.n));
        }
    }
    let para_hash = |id: &str| -> Option<&str> {
        let (doc, n) = parse_para_id(id)?;
        let p = by_doc
            .get(doc)?
            .paragraphs
            .get((n as usize).checked_sub(1)?)?;
        (p.n == n).then_some(p.hash.as_str())
    };

    let mut current: Vec<Decision> = std::mem::take(&mut codings.decisions)
        .into_values()
        .collect();
    current.sort_by(|a, b| para_order(&a.para, &b.para));
    let mut orphans = std::mem::take(&mut codings.orphans);
    orphans.sort_by(|a, b| b.decision.at.cmp(&a.decision.at));

    let mut report = AnchorReport::default();
    let mut claimed: HashSet<String> = HashSet::new();
    // Pass 1: everything still in place claims its paragraph first.
    let mut unplaced = Vec::new();
    for d in current {
        if para_hash(&d.para) == Some(d.hash.as_str()) && claimed.insert(d.para.clone()) {
            report.kept += 1;
            codings.decisions.insert(d.para.clone(), d);
        } else {
            unplaced.push(d);
        }
    }
    // Pass 2: moved decisions, then orphans.
    for mut d in unplaced {
        match place(
            &d,
            &by_doc,
            &by_hash,
            &claimed,
            para_hash(&d.para).is_some(),
        ) {
            Place::At(to) => {
                claimed.insert(to.clone());
                report.moved.push(Moved {
                    from: std::mem::replace(&mut d.para, to.clone()),
                    to: to.clone(),
                });
                codings.decisions.insert(to, d);
            }
            Place::Nowhere(reason) => {
                report.orphaned.push(Orphaned {
                    para: d.para.clone(),
                    reason: reason.clone(),
                });
                codings.orphans.push(Orphan {
                    decision: d,
                    reason,
                });
            }
        }
    }
    for mut o in orphans {
        let exists = para_hash(&o.decision.para).is_some();
        match place(&o.decision, &by_doc, &by_hash, &claimed, exists) {
            Place::At(to) => {
                claimed.insert(to.clone());
                report.restored.push(Moved {
                    from: std::mem::replace(&mut o.decision.para, to.clone()),
                    to: to.clone(),
                });
                codings.decisions.insert(to, o.decision);
            }
            Place::Nowhere(reason) => {
                report.still_orphaned += 1;
                o.reason = reason;
                codings.orphans.push(o);
            }
        }
    }
    report
}

/// Finds an unclaimed paragraph for `d`'s text (see [`reanchor`]).
fn place(
    d: &Decision,
    by_doc: &HashMap<&str, &Document>,
    by_hash: &HashMap<&str, Vec<String>>,
    claimed: &HashSet<String>,
    para_exists: bool,
) -> Place {
    let (doc_id, n) = match parse_para_id(&d.para) {
        Some(x) => x,
        None => return Place::Nowhere(format!("{:?} is not a paragraph id", d.para)),
    };
    let same_text = by_hash.get(d.hash.as_str()).map_or(&[][..], |v| &v[..]);
    if let Some(doc) = by_doc.get(doc_id) {
        // Nearest unclaimed paragraph with the same text in the same document.
        let best = doc
            .paragraphs
            .iter()
            .filter(|p| p.hash == d.hash)
            .map(|p| para_id(doc_id, p.n))
            .filter(|id| !claimed.contains(id))
            .min_by_key(|id| parse_para_id(id).map_or(u32::MAX, |(_, m)| m.abs_diff(n)));
        if let Some(id) = best {
            return Place::At(id);
        }
    }
    match same_text {
        [only] if !claimed.contains(only) => return Place::At(only.clone()),
        [only] => {
            return Place::Nowhere(format!(
                "its text is now paragraph {only}, which already carries another decision"
            ))
        }
        [] => {}
        many => {
            return Place::Nowhere(format!(
                "its text is in {} paragraphs of other documents ({}); place it by hand",
                many.len(),
                many.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
            ))
        }
    }
    Place::Nowhere(if !by_doc.contains_key(doc_id) {
        format!("document {doc_id} is not in the study")
    } else if para_exists {
        "text changed: the paragraph was edited and its old text is nowhere in the study".into()
    } else {
        "paragraph missing: the document has fewer paragraphs now and the text is gone".into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Paragraph;

    fn doc(id: &str, texts: &[&str]) -> Document {
        Document {
            id: id.into(),
            meta: Default::default(),
            paragraphs: texts
                .iter()
                .enumerate()
                .map(|(i, t)| Paragraph {
                    n: i as u32 + 1,
                    kind: Default::default(),
                    section: String::new(),
                    hash: format!("h:{t}"),
                    text: t.to_string(),
                })
                .collect(),
        }
    }

    fn coded(paras: &[(&str, &str)]) -> Codings {
        let mut c = Codings {
            coder: "li".into(),
            ..Default::default()
        };
        for (para, text) in paras {
            c.apply(Decision {
                para: para.to_string(),
                hash: format!("h:{text}"),
                nodes: vec!["supply".into()],
                no_code: false,
                scores: Default::default(),
                memo: None,
                coder: "li".into(),
                at: "2024-01-01T00:00:00Z".into(),
                via: Default::default(),
                derived: None,
                found: None,
            });
        }
        c
    }

    #[test]
    fn moves_across_documents_only_when_unique() {
        // "乙" moved from document a to b (unique); "丙" now appears in two other documents.
        let mut c = coded(&[("a#1", "甲"), ("a#2", "乙"), ("a#3", "丙")]);
        let docs = [
            doc("a", &["甲"]),
            doc("b", &["乙", "丙"]),
            doc("c", &["丙"]),
        ];
        let r = reanchor(&mut c, &docs);
        assert_eq!(r.kept, 1);
        assert_eq!(
            r.moved,
            [Moved {
                from: "a#2".into(),
                to: "b#1".into()
            }]
        );
        assert_eq!(r.orphaned.len(), 1);
        assert!(r.orphaned[0].reason.contains("place it by hand"), "{r:?}");
        assert!(r.orphaned[0].reason.contains("b#2"), "{r:?}");
    }

    #[test]
    fn missing_document_and_claimed_paragraph_are_reasons() {
        // Both decisions carry text "乙"; only one paragraph has it now.
        let mut c = coded(&[("a#1", "乙"), ("a#2", "乙"), ("gone#1", "丁")]);
        let docs = [doc("a", &["甲", "乙"])];
        let r = reanchor(&mut c, &docs);
        assert_eq!(r.kept, 1, "a#2 keeps its paragraph");
        let reasons: Vec<&str> = r.orphaned.iter().map(|o| o.reason.as_str()).collect();
        assert_eq!(reasons.len(), 2);
        assert!(reasons[0].contains("already carries"), "{reasons:?}");
        assert!(
            reasons[1].contains("document gone is not in the study"),
            "{reasons:?}"
        );
        assert_eq!(c.orphans.len(), 2);
        assert_eq!(c.decisions.len(), 1);
        // Re-running changes nothing: orphans stay, nothing is lost or duplicated.
        let again = reanchor(&mut c, &docs);
        assert!(again.is_unchanged());
        assert_eq!(again.still_orphaned, 2);
    }

    #[test]
    fn is_anchored_sees_changed_text_missing_paragraphs_and_orphans() {
        let docs = [doc("a", &["甲", "乙"])];
        let mut c = coded(&[("a#1", "甲"), ("a#2", "乙")]);
        assert!(is_anchored(&c, &docs));
        assert!(anchor_in_memory(&mut c, &docs).is_none());
        // A new paragraph at the top: both decisions now name other text.
        let shifted = [doc("a", &["新", "甲", "乙"])];
        assert!(!is_anchored(&c, &shifted));
        let r = anchor_in_memory(&mut c, &shifted).expect("re-anchored");
        assert_eq!(r.moved.len(), 2);
        assert_eq!(c.get("a#2").unwrap().hash, "h:甲");
        assert_eq!(c.get("a#3").unwrap().hash, "h:乙");
        assert!(c.get("a#1").is_none(), "nothing sits on the new text");
        assert!(is_anchored(&c, &shifted));
        // A paragraph id past the end, or in no document, is not anchored either.
        assert!(!is_anchored(&coded(&[("a#9", "甲")]), &docs));
        assert!(!is_anchored(&coded(&[("z#1", "甲")]), &docs));
    }

    #[test]
    fn newest_orphan_wins_a_returning_paragraph() {
        let mut c = coded(&[]);
        for (at, node) in [("2024-01-01", "old"), ("2024-03-01", "new")] {
            let mut d = coded(&[("a#1", "甲")]).decisions.remove("a#1").unwrap();
            d.at = at.into();
            d.nodes = vec![node.into()];
            c.orphans.push(Orphan {
                decision: d,
                reason: "paragraph missing".into(),
            });
        }
        let r = reanchor(&mut c, &[doc("a", &["甲"])]);
        assert_eq!(r.restored.len(), 1);
        assert_eq!(r.still_orphaned, 1);
        assert_eq!(c.get("a#1").unwrap().nodes, ["new"]);
        assert_eq!(c.orphans[0].decision.nodes, ["old"]);
    }
}
