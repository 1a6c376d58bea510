//! `Engine::offer` on the bundled policy-tools codebook and its prior: what the coding screen
//! offers on typical policy paragraphs, and the keyword offer of a codebook without a prior.

use super::Engine;
use crate::codebook::{bundled, load_str, Codebook};
use crate::corpus::context::ParaContext;

fn policy_tools() -> Codebook {
    load_str(bundled::get("policy-tools").unwrap(), "policy-tools").unwrap()
}

const TEXTS: &[&str] = &[
    "加强人才培养，引进高层次人才，完善人才评价机制。",
    "本意见自印发之日起施行。",
    "推进政务服务一网通办，深化区块链在政务领域的应用。",
    "对符合条件的企业减按15%的税率征收企业所得税。",
];

fn ids(cb: &Codebook, nodes: &[usize]) -> Vec<String> {
    nodes.iter().map(|&n| cb.nodes[n].id.clone()).collect()
}

#[test]
fn the_bundled_prior_predicts_sets_and_no_code() {
    let cb = policy_tools();
    let engine = Engine::new(&cb, TEXTS);
    assert!(engine.prior().is_some(), "policy-tools ships a prior");
    let ctx = ParaContext::default();
    let o = engine.offer(TEXTS[0], &ctx, None, 9);
    assert_eq!(
        o.suggestions.len(),
        9,
        "nine rows: every digit means something"
    );
    assert!(!o.no_code);
    assert_eq!(ids(&cb, &o.predicted), ["supply.human-resources"]);
    assert!(
        o.suggestions[0].why.contains("人才"),
        "{}",
        o.suggestions[0].why
    );
    let o = engine.offer(TEXTS[1], &ctx, None, 9);
    assert!(o.no_code && o.predicted.is_empty(), "{o:?}");
    assert!(o.no_code_why.contains('%'), "{}", o.no_code_why);
    let o = engine.offer(TEXTS[3], &ctx, None, 9);
    assert_eq!(
        cb.nodes[o.suggestions[0].node].id,
        "environment.tax-incentives"
    );
    // Rows are leaves, each once, best first.
    let mut seen = std::collections::HashSet::new();
    for w in o.suggestions.windows(2) {
        assert!(w[0].score >= w[1].score);
    }
    assert!(o
        .suggestions
        .iter()
        .all(|s| cb.is_leaf(s.node) && seen.insert(s.node)));
}

#[test]
fn department_names_in_responsibility_notes_are_not_instruments() {
    let cb = policy_tools();
    let engine = Engine::new(&cb, TEXTS);
    let ctx = ParaContext::default();
    let plain = "推进政务服务一网通办，深化区块链在政务领域的应用。";
    let noted = "推进政务服务一网通办，深化区块链在政务领域的应用。（省人力资源社会保障厅、省财政厅、省委宣传部牵头）";
    let score = |text: &str, id: &str| {
        let o = engine.offer(text, &ctx, None, 15);
        let n = cb.index(id).unwrap();
        o.suggestions
            .iter()
            .find(|s| s.node == n)
            .map_or(0.0, |s| s.score)
    };
    for id in [
        "supply.human-resources",
        "supply.capital-investment",
        "environment.public-opinion",
    ] {
        let (a, b) = (score(plain, id), score(noted, id));
        assert!(
            (a - b).abs() < 0.05,
            "{id}: {a} without the note, {b} with it"
        );
    }
}

#[test]
fn without_a_prior_headings_and_lead_clauses_count_as_keyword_evidence() {
    let mut cb = policy_tools();
    cb.name = "my-tools".into();
    let engine = Engine::new(&cb, TEXTS);
    assert!(engine.prior().is_none());
    let text = "对符合条件的企业给予支持，具体办法另行制定。";
    let bare = engine.offer(text, &ParaContext::default(), None, 9);
    let ctx = ParaContext {
        headings: vec!["三、加大税收优惠力度".into()],
        lead: None,
    };
    let headed = engine.offer(text, &ctx, None, 9);
    let tax = cb.index("environment.tax-incentives").unwrap();
    assert!(!bare.suggestions.iter().any(|s| s.node == tax));
    let s = headed
        .suggestions
        .iter()
        .find(|s| s.node == tax)
        .expect("tax from the heading");
    assert_eq!(s.why, "keywords in the heading");
}
