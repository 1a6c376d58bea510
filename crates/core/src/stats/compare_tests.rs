//! Tests of `compare`: the hand-checked fixture under both scopes, and the counting path
//! against a matrix-by-matrix reference on random codings.

use super::*;
use crate::codebook::Codebook;
use crate::stats::agree::{fleiss_kappa_complete, Agreement};
use crate::stats::fixture;

fn close(a: &Agreement, b: f64) {
    let x = a.value().unwrap_or_else(|| panic!("undefined: {a}"));
    assert!((x - b).abs() < 1e-9, "{x} != {b}");
}

const DOC: Options = Options {
    scope: Scope::Document,
    boot: Boot::DEFAULT,
    list: true,
};

#[test]
fn fixture_by_hand() {
    let f = fixture::study();
    let r = compare(&f.codebook, &f.docs, &[&f.a, &f.b]);
    // Body paragraphs: d1#2-4, d2#2-3, d3#1-2 = 7; A decided all 7, B 5 (not d1#4, d3#2).
    assert_eq!(r.paragraphs, 7);
    assert_eq!(r.rated, [7, 5]);
    // Units: the 5 both decided.
    assert_eq!(r.nodes[1].units, 5);
    assert_eq!(r.nodes[1].complete, 5);
    // S1: both code d1#2 and d2#3, nothing else → perfect.
    close(r.nodes[1].cohen.as_ref().unwrap(), 1.0);
    // E1 over d1#2, d1#3, d2#2, d2#3, d3#1: A [0,0,0,0,1], B [0,1,0,0,0]: po = 3/5,
    // pe = 1/25 + 16/25 = 17/25 → κ = (15 − 17)/(25 − 17) = −1/4.
    close(&r.nodes[4].percent, 3.0 / 5.0);
    close(r.nodes[4].cohen.as_ref().unwrap(), -0.25);
    // E2: A [0,0,1,0,0], B [0,0,1,0,1]: po 4/5, pe = 2/25 + 12/25 = 14/25 → κ = 6/11.
    close(r.nodes[5].cohen.as_ref().unwrap(), 6.0 / 11.0);
    // Pooled over the 4 leaves (20 units): both 4, A only 2, B only 2, neither 12.
    // po = 0.8; pe = 0.3·0.3 + 0.7·0.7 = 0.58 → κ = 0.22/0.42 = 11/21.
    assert_eq!(r.pooled.units, 20);
    close(r.pooled.cohen.as_ref().unwrap(), 11.0 / 21.0);
    // α has an interval around it.
    let ci = r.pooled.alpha_ci.expect("interval");
    let a = r.pooled.alpha.value().unwrap();
    assert!(ci.low <= a && a <= ci.high, "{ci:?} {a}");
    // S1 scores: units d1#2 (2 vs 1) and d2#3 (3 vs 3). Coincidences o(1,2)=o(2,1)=1,
    // o(3,3)=2; n = 4; α interval = 1 − 3·2 / (2·(1·1·1 + 1·2·4 + 1·2·1)) = 8/11.
    let s1 = r.scores.iter().find(|s| s.node == Some(1)).unwrap();
    assert_eq!(s1.units, 2);
    close(&s1.alpha_interval, 8.0 / 11.0);
    // E1 is never scored: undefined, not 0.
    let e1 = r.scores.iter().find(|s| s.node == Some(4)).unwrap();
    assert_eq!(e1.units, 0);
    assert!(e1.alpha_ordinal.value().is_none());
    // One pooled score row: every scaled node is on 1–3.
    assert_eq!(r.scores_pooled.len(), 1);
    assert_eq!(r.scores_pooled[0].pooled.as_ref().unwrap().0, "1–3");
    // Disagreements among paragraphs both decided: d1#3, d2#3, d3#1.
    let ids: Vec<&str> = r.disagreements.iter().map(|d| d.para.as_str()).collect();
    assert_eq!(ids, ["d1#3", "d2#3", "d3#1"]);
    assert_eq!(
        r.disagreements[0].codes,
        [
            Some(vec!["S2".to_string()]),
            Some(vec!["E1".into(), "S2".into()])
        ]
    );
    let t = r.table(&f.codebook, crate::stats::agree_report::Layout::Default);
    assert_eq!(t.rows.len(), 7);
    assert!(t.to_text().contains("-0.2500"), "{}", t.to_text());
}

#[test]
fn document_scope_is_the_old_convention() {
    let f = fixture::study();
    let r = compare_with(&f.codebook, &f.docs, &[&f.a, &f.b], &DOC);
    assert_eq!(r.rated, [7, 7]);
    // E1: A {d1#4, d3#1}, B {d1#3}: po = 4/7, pe = 2/7·1/7 + 5/7·6/7 = 32/49 → κ = −4/17.
    close(&r.nodes[4].percent, 4.0 / 7.0);
    close(r.nodes[4].cohen.as_ref().unwrap(), -4.0 / 17.0);
    close(r.nodes[5].cohen.as_ref().unwrap(), 10.0 / 17.0);
    // Pooled: both 4, A only 3, B only 2, neither 19 → κ = 0.5.
    assert_eq!(r.pooled.units, 28);
    close(r.pooled.cohen.as_ref().unwrap(), 0.5);
    let ids: Vec<&str> = r.disagreements.iter().map(|d| d.para.as_str()).collect();
    assert_eq!(ids, ["d1#3", "d1#4", "d2#3", "d3#1"]);
    let t = r.table(&f.codebook, crate::stats::agree_report::Layout::Default);
    assert!(t.title.contains("--scope document"), "{}", t.title);
}

#[test]
fn untouched_document_is_missing_not_agreement() {
    let f = fixture::study();
    let mut b = f.b.clone();
    // B drops document d3 entirely: its 2 paragraphs are no longer pairable.
    b.decisions.retain(|k, _| !k.starts_with("d3#"));
    let r = compare_with(&f.codebook, &f.docs, &[&f.a, &b], &DOC);
    assert_eq!(r.nodes[0].units, 5);
    let one = compare(&f.codebook, &f.docs, &[&f.a]);
    assert!(one.nodes[0].cohen.is_none());
    assert_eq!(
        one.nodes[0].alpha,
        Agreement::Undefined {
            reason: crate::stats::agree::NO_PAIRS.into()
        }
    );
}

#[test]
fn a_decision_on_a_heading_is_never_a_unit() {
    let f = fixture::study();
    let mut a = f.a.clone();
    let mut b = f.b.clone();
    // d2#1 is a heading, d1#1 a non-body line.
    a.apply(fixture::decision("A", "d2#1", &["S1"], &[]));
    b.apply(fixture::decision("B", "d2#1", &["E1"], &[]));
    b.apply(fixture::decision("B", "d1#1", &["E1"], &[]));
    let r = compare(&f.codebook, &f.docs, &[&a, &b]);
    let base = compare(&f.codebook, &f.docs, &[&f.a, &f.b]);
    assert_eq!(r.nodes, base.nodes);
    assert_eq!(r.disagreements, base.disagreements);
    assert_eq!(r.non_body, [1, 2]);
}

/// `compare` as it was before it counted: a coders × units matrix per node and all
/// leaves stacked, fed to the generic functions, and each paragraph looked up by id. The
/// reference the counting version must reproduce.
fn reference(cb: &Codebook, docs: &[Document], coders: &[&Codings], opts: &Options) -> AgreeReport {
    use crate::stats::agree::{cohen_kappa, percent_agreement};
    use std::collections::HashSet;
    let nodes = NodeIndex::new(cb);
    let index = DocIndex::new(docs);
    let units = crate::corpus::body_units(docs);
    // Per coder and unit: `None` not rated, else the decision found by id (if any).
    let rated: Vec<Vec<Option<Option<&Decision>>>> = coders
        .iter()
        .map(|c| {
            let touched: HashSet<usize> = c
                .decisions
                .keys()
                .filter_map(|p| parse_para_id(p).and_then(|(d, _)| index.doc(d)))
                .collect();
            units
                .iter()
                .map(|(d, p)| {
                    let dec = c.get(&docs[*d].para_id(*p as u32 + 1));
                    let rates = match opts.scope {
                        Scope::Decided => dec.is_some_and(Decision::is_coded),
                        Scope::Document => touched.contains(d),
                    };
                    rates.then_some(dec)
                })
                .collect()
        })
        .collect();
    let closures: Vec<Vec<Option<Vec<usize>>>> = rated
        .iter()
        .map(|row| {
            row.iter()
                .map(|r| r.map(|dec| dec.map(|d| nodes.closure(&d.nodes)).unwrap_or_default()))
                .collect()
        })
        .collect();
    let binary = |node: usize| -> Vec<Vec<Option<f64>>> {
        closures
            .iter()
            .map(|row| {
                row.iter()
                    .map(|s| s.as_ref().map(|s| f64::from(u8::from(s.contains(&node)))))
                    .collect()
            })
            .collect()
    };
    let complete = |m: &[Vec<Option<f64>>]| -> usize {
        let n = m.iter().map(Vec::len).max().unwrap_or(0);
        if m.len() < 2 {
            return 0;
        }
        (0..n)
            .filter(|u| m.iter().all(|r| r.get(*u).copied().flatten().is_some()))
            .count()
    };
    let row = |node: Option<usize>, m: &[Vec<Option<f64>>], stream: u64| {
        let alpha = krippendorff_alpha(m, Metric::Nominal);
        NodeAgreement {
            node,
            units: pairable(m),
            complete: complete(m),
            percent: percent_agreement(m),
            cohen: (m.len() == 2).then(|| cohen_kappa(&m[0], &m[1])),
            fleiss: fleiss_kappa_complete(m),
            alpha_ci: alpha
                .value()
                .and_then(|_| alpha_interval(m, Metric::Nominal, opts.boot, stream)),
            alpha,
        }
    };
    let n_nodes = cb.nodes.len();
    let leaves = (0..n_nodes).filter(|i| cb.is_leaf(*i));
    let scaled: Vec<usize> = (0..n_nodes)
        .filter(|i| cb.nodes[*i].scale.is_some())
        .collect();
    let score_matrix = |node: usize| -> Vec<Vec<Option<f64>>> {
        let id = &cb.nodes[node].id;
        rated
            .iter()
            .map(|row| {
                row.iter()
                    .map(|r| {
                        r.flatten()
                            .and_then(|d| d.scores.get(id))
                            .map(|v| f64::from(*v))
                    })
                    .collect()
            })
            .collect()
    };
    // The fixture's scales are all 1–3.
    let levels = [1.0, 2.0, 3.0];
    let stream = |k: usize| (n_nodes + 1 + 2 * k) as u64;
    let mut pooled_scores = score_agreement(
        None,
        &stack(scaled.iter().map(|n| score_matrix(*n))),
        &levels,
        opts.boot,
        stream(scaled.len()),
    );
    pooled_scores.pooled = Some(("1–3".into(), scaled.clone()));
    AgreeReport {
        coders: coders.iter().map(|c| c.coder.clone()).collect(),
        options: *opts,
        paragraphs: units.len(),
        rated: rated
            .iter()
            .map(|r| r.iter().filter(|x| x.is_some()).count())
            .collect(),
        non_body: coders
            .iter()
            .map(|c| {
                c.decisions
                    .keys()
                    .filter_map(|id| index.locate(id))
                    .filter(|&(d, p)| docs[d].paragraphs[p].kind != ParaKind::Body)
                    .count()
            })
            .collect(),
        nodes: (0..n_nodes)
            .map(|i| row(Some(i), &binary(i), i as u64))
            .collect(),
        pooled: row(None, &stack(leaves.map(binary)), n_nodes as u64),
        scores: scaled
            .iter()
            .enumerate()
            .map(|(k, n)| {
                score_agreement(Some(*n), &score_matrix(*n), &levels, opts.boot, stream(k))
            })
            .collect(),
        scores_pooled: if scaled.is_empty() {
            Vec::new()
        } else {
            vec![pooled_scores]
        },
        disagreements: reference_disagreements(docs, coders, opts.scope),
    }
}

/// `disagreements` as it was: every coder's node set cloned per paragraph.
fn reference_disagreements(
    docs: &[Document],
    coders: &[&Codings],
    scope: Scope,
) -> Vec<Disagreement> {
    let index = DocIndex::new(docs);
    let mut out = Vec::new();
    for (di, doc) in docs.iter().enumerate() {
        for p in doc.paragraphs.iter().filter(|p| p.kind == ParaKind::Body) {
            let id = doc.para_id(p.n);
            let codes: Vec<Option<Vec<String>>> = coders
                .iter()
                .map(|c| {
                    let dec = c.get(&id);
                    let rates = match scope {
                        Scope::Decided => dec.is_some_and(Decision::is_coded),
                        Scope::Document => c
                            .decisions
                            .keys()
                            .any(|k| parse_para_id(k).and_then(|(d, _)| index.doc(d)) == Some(di)),
                    };
                    rates.then(|| {
                        let mut v = dec.map(|d| d.nodes.clone()).unwrap_or_default();
                        v.sort();
                        v.dedup();
                        v
                    })
                })
                .collect();
            let present: Vec<&Vec<String>> = codes.iter().flatten().collect();
            if present.len() >= 2 && present.windows(2).any(|w| w[0] != w[1]) {
                out.push(Disagreement {
                    para: id,
                    doc: di,
                    n: p.n,
                    codes,
                });
            }
        }
    }
    out
}

fn same(new: &Agreement, old: &Agreement) {
    match (new, old) {
        (Agreement::Value(a), Agreement::Value(b)) => {
            assert!((a - b).abs() < 1e-12, "{a} != {b}")
        }
        _ => assert_eq!(new, old),
    }
}

fn same_ci(new: &Option<Interval>, old: &Option<Interval>) {
    match (new, old) {
        (Some(a), Some(b)) => assert!(
            (a.low - b.low).abs() < 1e-9 && (a.high - b.high).abs() < 1e-9,
            "{a:?} != {b:?}"
        ),
        _ => assert_eq!(new, old),
    }
}

fn assert_matches_reference(cb: &Codebook, docs: &[Document], coders: &[&Codings]) {
    for opts in [Options::default(), DOC] {
        let new = compare_with(cb, docs, coders, &opts);
        let old = reference(cb, docs, coders, &opts);
        let rows = |r: &AgreeReport| -> Vec<NodeAgreement> {
            r.nodes
                .iter()
                .chain(std::iter::once(&r.pooled))
                .cloned()
                .collect()
        };
        for (new, old) in rows(&new).iter().zip(&rows(&old)) {
            assert_eq!(
                (new.node, new.units, new.complete),
                (old.node, old.units, old.complete)
            );
            same(&new.percent, &old.percent);
            same(&new.fleiss, &old.fleiss);
            same(&new.alpha, &old.alpha);
            same_ci(&new.alpha_ci, &old.alpha_ci);
            match (&new.cohen, &old.cohen) {
                (Some(a), Some(b)) => same(a, b),
                (a, b) => assert_eq!(a, b),
            }
        }
        assert_eq!(new.nodes.len(), old.nodes.len());
        assert_eq!(
            (
                &new.coders,
                new.paragraphs,
                &new.rated,
                &new.scores,
                &new.scores_pooled
            ),
            (
                &old.coders,
                old.paragraphs,
                &old.rated,
                &old.scores,
                &old.scores_pooled
            )
        );
        assert_eq!(new.disagreements, old.disagreements);
        assert_eq!(disagreements(docs, coders, opts.scope), old.disagreements);
    }
}

/// The fixture's documents plus the awkward ones: a second document with id `d1` and
/// a document whose paragraph numbers are not their positions.
fn odd_docs() -> Vec<Document> {
    use crate::corpus::{Level, ParaKind::Body};
    let mut docs = fixture::study().docs;
    docs.push(fixture::doc(
        "d1",
        "west",
        Level::Municipal,
        "重庆",
        "2021-01-01",
        &[
            (Body, "一"),
            (Body, "二"),
            (Body, "三"),
            (Body, "四"),
            (Body, "五"),
        ],
    ));
    let mut d4 = fixture::doc(
        "d4",
        "east",
        Level::Provincial,
        "江苏",
        "2022-01-01",
        &[(Body, "甲"), (Body, "乙"), (Body, "丙")],
    );
    d4.paragraphs[1].n = 3;
    d4.paragraphs[2].n = 5;
    docs.push(d4);
    docs
}

/// `n` random decisions per coder, with the awkward cases mixed in: no-code marks, unknown
/// nodes, non-body paragraphs, ids with a leading zero or a paragraph past the end, unknown
/// documents, scores; each coder skips one whole document.
fn random_coders(seed: u64, coders: usize, n: usize) -> Vec<Codings> {
    let mut x = seed;
    let mut next = move |below: usize| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((x >> 33) as usize) % below
    };
    let picks = ["S", "S1", "S2", "E", "E1", "E2", "X"];
    let paras = [
        "d1#1", "d1#2", "d1#3", "d1#4", "d1#5", "d2#1", "d2#2", "d2#3", "d3#1", "d3#2", "d1#02",
        "d2#9", "d9#1", "d4#1", "d4#2", "d4#3", "d4#5",
    ];
    (0..coders)
        .map(|c| {
            let name = format!("c{c}");
            let skip = format!("d{}#", 1 + next(5));
            let ds = (0..n)
                .filter_map(|_| {
                    let para = paras[next(paras.len())];
                    let k = next(3);
                    let nodes: Vec<&str> = (0..k).map(|_| picks[next(picks.len())]).collect();
                    let mut scores: Vec<(&str, i32)> = Vec::new();
                    for id in &nodes {
                        if id.len() == 2 && next(2) == 0 {
                            scores.push((*id, 1 + next(3) as i32));
                        }
                    }
                    (!para.starts_with(&skip))
                        .then(|| fixture::decision(&name, para, &nodes, &scores))
                })
                .collect();
            fixture::codings(&name, ds)
        })
        .collect()
}

#[test]
fn counts_equal_the_matrix_path() {
    let f = fixture::study();
    for coders in [&[&f.a, &f.b][..], &[&f.a], &[], &[&f.a, &f.b, &f.a]] {
        assert_matches_reference(&f.codebook, &f.docs, coders);
    }
    let docs = odd_docs();
    for seed in 0..300 {
        let cs = random_coders(seed, 1 + (seed as usize % 4), 1 + seed as usize % 15);
        let refs: Vec<&Codings> = cs.iter().collect();
        assert_matches_reference(&f.codebook, &f.docs, &refs);
        assert_matches_reference(&f.codebook, &docs, &refs);
    }
}

#[test]
fn odd_paragraph_ids_touch_the_document_but_rate_nothing() {
    let f = fixture::study();
    // A's only decision in d3 is on a paragraph past its end: d3 is rated (all 0) by A.
    let mut a = f.a.clone();
    a.decisions.retain(|k, _| !k.starts_with("d3#"));
    a.apply(fixture::decision("A", "d3#9", &["E1"], &[]));
    // "d1#02" is not the id of d1#2, so B's code there is not found.
    let mut b = f.b.clone();
    b.decisions.remove("d1#2");
    b.apply(fixture::decision("B", "d1#02", &["S1"], &[]));
    let r = compare_with(&f.codebook, &f.docs, &[&a, &b], &DOC);
    assert_eq!(r.nodes[1].units, 7);
    // S1: A codes d1#2 and d2#3, B only d2#3 → one disagreement in 7.
    close(&r.nodes[1].percent, 6.0 / 7.0);
    assert_matches_reference(&f.codebook, &f.docs, &[&a, &b]);
}
