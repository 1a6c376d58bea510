//! Complete consensus: what `polcode reconcile A B --into C` carries into the consensus coder
//! and what it walks. A body paragraph every reconciled coder decided (nodes or an explicit
//! no-code) with the same node set and the same rubric scores is carried into the consensus
//! as it is, marked [`Derivation::Agreed`]; one they decided differently is walked on the
//! reconcile screen. A paragraph not every coder has decided yet is neither: reconcile again
//! once they have. A consensus decision already there is never overwritten.

use std::collections::BTreeMap;

use crate::corpus::{Document, ParaKind};
use crate::store::{Codings, Decision, Derivation};

/// A paragraph by position: document index and 0-based paragraph index.
pub(crate) type At = (usize, usize);

/// What reconciling `coders` into a consensus coder does.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// Decisions to record for the consensus coder: the agreed paragraphs it has no decision
    /// on yet.
    pub carry: Vec<Decision>,
    /// The paragraphs every coder decided, differently: the reconcile screen's work list.
    pub walk: Vec<At>,
    /// Paragraphs every coder decided alike (carried now or already in the consensus).
    pub agreed: usize,
    /// Body paragraphs some but not all coders decided: left for later.
    pub partial: usize,
}

impl Plan {}

/// A coder's decision reduced to what reconciling compares: sorted node set and scores.
fn key(d: &Decision) -> (Vec<&str>, &BTreeMap<String, i32>) {
    let mut nodes: Vec<&str> = d.nodes.iter().map(String::as_str).collect();
    nodes.sort_unstable();
    nodes.dedup();
    (nodes, &d.scores)
}

/// Plans the reconciliation of `coders` into `consensus` over the body paragraphs of `docs`;
/// carried decisions are stamped `at`.
pub fn plan(docs: &[Document], coders: &[&Codings], consensus: &Codings, at: &str) -> Plan {
    let names: Vec<String> = coders.iter().map(|c| c.coder.clone()).collect();
    let mut out = Plan::default();
    for (d, doc) in docs.iter().enumerate() {
        for (p, para) in doc.paragraphs.iter().enumerate() {
            if para.kind != ParaKind::Body {
                continue;
            }
            let id = doc.para_id(para.n);
            let decided: Vec<&Decision> = coders
                .iter()
                .filter_map(|c| c.get(&id).filter(|x| x.is_coded()))
                .collect();
            if decided.len() < coders.len() {
                out.partial += usize::from(!decided.is_empty());
                continue;
            }
            let first = key(decided[0]);
            if decided[1..].iter().any(|x| key(x) != first) {
                out.walk.push((d, p));
                continue;
            }
            out.agreed += 1;
            if consensus.get(&id).is_some_and(Decision::is_coded) {
                continue;
            }
            let src = decided[0];
            let mut nodes = src.nodes.clone();
            let mut seen = std::collections::HashSet::new();
            nodes.retain(|n| seen.insert(n.clone()));
            out.carry.push(Decision {
                para: id,
                hash: para.hash.clone(),
                no_code: nodes.is_empty(),
                nodes,
                scores: src.scores.clone(),
                memo: None,
                coder: consensus.coder.clone(),
                at: at.to_string(),
                via: Default::default(),
                derived: Some(Derivation::Agreed {
                    coders: names.clone(),
                }),
                found: None,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::fixture;

    #[test]
    fn fixture_plan() {
        let f = fixture::study();
        let c = Codings {
            coder: "C".into(),
            ..Default::default()
        };
        let p = plan(&f.docs, &[&f.a, &f.b], &c, "2025-01-01T00:00:00Z");
        // Both decided: d1#2 (same nodes, scores 2 vs 1), d1#3, d2#2, d2#3, d3#1.
        // Alike: d2#2 (E2, no scores on either). Different: d1#2 (scores), d1#3, d2#3, d3#1.
        // Partial: d1#4 and d3#2 (B has not decided them).
        let ids: Vec<&str> = p.carry.iter().map(|d| d.para.as_str()).collect();
        assert_eq!(ids, ["d2#2"]);
        assert_eq!(p.agreed, 1);
        assert_eq!(p.walk, [(0, 1), (0, 2), (1, 2), (2, 0)]);
        assert_eq!(p.partial, 2);
        let d = &p.carry[0];
        assert_eq!(d.nodes, ["E2"]);
        assert_eq!(d.coder, "C");
        assert_eq!(
            d.derived,
            Some(Derivation::Agreed {
                coders: vec!["A".into(), "B".into()]
            })
        );
        // A consensus decision already there is kept, not carried again.
        let mut c2 = c.clone();
        c2.apply(fixture::decision("C", "d2#2", &["E1"], &[]));
        let p2 = plan(&f.docs, &[&f.a, &f.b], &c2, "x");
        assert!(p2.carry.is_empty());
        assert_eq!(p2.agreed, 1);
    }

    #[test]
    fn no_code_agreement_is_carried() {
        let f = fixture::study();
        let mut b = f.b.clone();
        b.apply(fixture::decision("B", "d3#2", &[], &[]));
        // fixture::decision with no nodes is a no-code mark.
        assert!(b.get("d3#2").is_some_and(Decision::is_coded));
        let c = Codings {
            coder: "C".into(),
            ..Default::default()
        };
        let p = plan(&f.docs, &[&f.a, &b], &c, "x");
        let d = p.carry.iter().find(|d| d.para == "d3#2").expect("carried");
        assert!(d.no_code && d.nodes.is_empty());
    }
}
