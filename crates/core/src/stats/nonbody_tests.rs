//! The one rule for headings, page numbers and other non-body lines, checked across every
//! figure: a decision on one changes no tally, coverage, rubric score, agreement figure or
//! reconciliation plan (issue 13: one coded heading used to give docs 1, refs 1, coverage 0%).

use super::compare::compare;
use super::consensus::plan;
use super::coverage::{Aggregate, Coverage};
use super::fixture;
use super::rubric::Rubric;
use super::{By, Groups, Pool, Tally};
use crate::store::Codings;

#[test]
fn decisions_on_non_body_lines_count_nowhere() {
    let f = fixture::study();
    let groups = || Groups::new(By::Region, &f.scheme, &f.docs);
    let with = |c: &Codings, coder: &str| {
        let mut c = c.clone();
        // d1#1 is a non-body line, d2#1 a heading: coded, scored.
        c.apply(fixture::decision(coder, "d1#1", &["S1"], &[("S1", 3)]));
        c.apply(fixture::decision(coder, "d2#1", &["E2"], &[]));
        c
    };
    let (a, b) = (with(&f.a, "A"), with(&f.b, "B"));
    for pool in [Pool::Pooled, Pool::Union] {
        let base = Tally::build(&f.codebook, &f.docs, groups(), &[&f.a, &f.b], pool);
        let now = Tally::build(&f.codebook, &f.docs, groups(), &[&a, &b], pool);
        assert_eq!(base.matrices(), now.matrices(), "{pool:?}");
        let base = Coverage::build(&f.codebook, &f.docs, groups(), &[&f.a, &f.b], pool);
        let now = Coverage::build(&f.codebook, &f.docs, groups(), &[&a, &b], pool);
        for g in 0..groups().len() {
            for n in 0..f.codebook.nodes.len() {
                for agg in Aggregate::ALL {
                    assert_eq!(base.group_pct(g, n, agg), now.group_pct(g, n, agg));
                }
            }
        }
    }
    let base = Rubric::build(&f.codebook, &f.docs, groups(), &[&f.a, &f.b]);
    let now = Rubric::build(&f.codebook, &f.docs, groups(), &[&a, &b]);
    for d in 0..f.docs.len() {
        for n in 0..f.codebook.nodes.len() {
            assert_eq!(base.doc_score(d, n), now.doc_score(d, n));
        }
    }
    let (base, now) = (
        compare(&f.codebook, &f.docs, &[&f.a, &f.b]),
        compare(&f.codebook, &f.docs, &[&a, &b]),
    );
    assert_eq!(base.nodes, now.nodes);
    assert_eq!(base.scores, now.scores);
    assert_eq!(now.non_body, [2, 2]);
    let empty = Codings {
        coder: "C".into(),
        ..Default::default()
    };
    assert_eq!(
        plan(&f.docs, &[&f.a, &f.b], &empty, "t"),
        plan(&f.docs, &[&a, &b], &empty, "t")
    );
}
