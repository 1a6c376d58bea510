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

/// What [`reanchor`] did.
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
pub fn reanchor(codings: &mut Codings, docs: &[Document]) -> AnchorReport {
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
