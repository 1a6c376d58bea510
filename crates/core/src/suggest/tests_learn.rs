//! Tests of learning from the coder, the leave-one-document-out evaluation and the rule audit.

use std::sync::{Arc, OnceLock};

use super::testkit::{codebook, codings, document, policy_tools};
use super::{evaluate, report, Engine, EvalOpts, Learner, Segmenter};
use crate::codebook::Codebook;
use crate::store::SuggestSource;

/// jieba takes a while to build; share one per codebook across tests.
fn policy_seg() -> (Codebook, Arc<Segmenter>) {
    static SEG: OnceLock<Arc<Segmenter>> = OnceLock::new();
    let cb = policy_tools();
    let seg = SEG
        .get_or_init(|| Arc::new(Segmenter::new(&cb, [])))
        .clone();
    (cb, seg)
}

fn rank_of(e: &Engine, text: &str, l: Option<&Learner>, node: usize) -> Option<usize> {
    e.suggest(text, l, 10).iter().position(|s| s.node == node)
}

#[test]
fn types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Engine>();
    check::<Segmenter>();
    check::<Learner>();
}

#[test]
fn segmenter_keeps_keywords_whole() {
    let (_, seg) = policy_seg();
    assert!(seg.cut("持续优化营商环境").contains(&"营商环境"));
    assert!(seg.words("推进5G网络和AI应用").contains(&"5g".to_string()));
}

#[test]
fn learning_moves_a_node_up_after_a_few_decisions() {
    let (cb, seg) = policy_seg();
    let e = Engine::new(&cb, &[]);
    let target = cb.index("env.measures").unwrap();
    let probe = "加快数字孪生网络建设";
    assert_eq!(rank_of(&e, probe, None, target), None);
    let mut l = Learner::new(seg);
    let coded = [
        "推动数字孪生工厂建设",
        "支持数字孪生园区发展",
        "鼓励企业开展数字孪生应用",
    ];
    // Learning carries at most 30% of a score and grows with the number of decisions, so a
    // node with no keyword evidence appears after a handful of decisions, not after one.
    l.learn(coded[0], &[target]);
    let after_one = rank_of(&e, probe, Some(&l), target);
    assert_ne!(
        after_one,
        Some(0),
        "one decision does not outrank keyword evidence"
    );
    for t in coded.iter().cycle().take(8) {
        l.learn(t, &[target]);
    }
    let after_nine = rank_of(&e, probe, Some(&l), target).expect("suggested after 9 decisions");
    assert!(
        after_one.is_none_or(|r| after_nine <= r),
        "rank does not fall with more decisions"
    );
    for t in coded.iter().cycle().take(12) {
        l.learn(t, &[target]);
    }
    let s = e.suggest(probe, Some(&l), 5);
    let at = s
        .iter()
        .position(|x| x.node == target)
        .expect("still suggested");
    // Capped at 30% of a score, learning alone lifts the node into the top three here, behind
    // the two nodes with keyword evidence (网络), ahead of everything else.
    assert!(at <= 2 && at <= after_nine, "{s:?}");
    assert_eq!(s[at].source, SuggestSource::Learned);
    assert!(s[at].hits.is_empty());
    assert!(s[at].why.contains("learned"), "{}", s[at].why);
}

#[test]
fn repeated_rejections_drop_a_node_for_that_keyword() {
    let cb = codebook(&[("x", None, &["平台"], &[]), ("y", None, &["平台"], &[])]);
    let seg = Arc::new(Segmenter::new(&cb, []));
    let e = Engine::new(&cb, &[]);
    let probe = "建设公共服务平台";
    let before = e.suggest(probe, None, 5);
    assert_eq!(before[0].node, 0, "tie goes to codebook order");
    let mut l = Learner::new(seg);
    for t in ["打造创新平台", "完善交易平台", "建设数据平台"] {
        l.learn(t, &[1]);
    }
    assert_eq!(l.votes("平台", 0), (0, 3));
    assert_eq!(l.votes("平台", 1), (3, 0));
    assert!((l.keyword_factor("平台", 0) - 0.25).abs() < 1e-6);
    let after = e.suggest(probe, Some(&l), 5);
    assert_eq!(after[0].node, 1, "{after:?}");
    let x_after = after.iter().find(|s| s.node == 0).map_or(0.0, |s| s.score);
    assert!(x_after < before[0].score);
}

#[test]
fn unlearning_restores_the_empty_model_and_rebuild_matches_live() {
    let (cb, seg) = policy_seg();
    let talent = cb.index("supply.talent").unwrap();
    let fund = cb.index("supply.funding").unwrap();
    let texts = [
        "引进高层次人才团队",
        "设立专项资金支持企业",
        "本办法自发布之日起施行",
    ];
    let mut live = Learner::new(seg.clone());
    live.learn(texts[0], &[talent]);
    live.learn(texts[1], &[fund, talent]);
    live.learn(texts[2], &[]);
    let docs = vec![document("d", &texts)];
    let cod = codings(
        "a",
        &[
            ("d#1", &["supply.talent"]),
            ("d#2", &["supply.funding", "supply.talent"]),
            ("d#3", &[]),
        ],
    );
    let rebuilt = Learner::from_codings(seg.clone(), &cb, &docs, &cod);
    assert_eq!(rebuilt.decisions(), 3);
    let probe = "支持人才引进和资金补助";
    assert_eq!(live.predict(probe), rebuilt.predict(probe));
    assert!(live.predict(probe)[fund] > 0.0);

    live.unlearn(texts[2], &[]);
    live.unlearn(texts[1], &[fund, talent]);
    live.unlearn(texts[0], &[talent]);
    assert_eq!(live.decisions(), 0);
    assert!(live.predict(probe).iter().all(|&p| p == 0.0));
    assert_eq!(live.keyword_factor("人才", talent), 1.0);
    assert_eq!(
        format!("{:?}", live.predict("")),
        format!("{:?}", Learner::new(seg).predict(""))
    );
}

#[test]
fn evaluation_never_trains_on_the_scored_paragraph() {
    let (cb, seg) = policy_seg();
    // No keyword fires in these paragraphs: only learning can suggest anything. `zorbium`
    // appears only in document a, so trade can be predicted for a#1 only by training on it.
    let docs = vec![
        document("a", &["采用zorbium工艺改造生产线"]),
        document("b", &["采用quixel方法提升质量"]),
        document("c", &["采用quixel方法提升效率"]),
        document("d", &["其他事项另行通知"]),
    ];
    let cod = codings(
        "a",
        &[
            ("a#1", &["demand.trade"]),
            ("b#1", &["demand.outsourcing"]),
            ("c#1", &["demand.outsourcing"]),
            ("d#1", &[]),
        ],
    );
    let opts = EvalOpts {
        learning: true,
        segmenter: Some(seg),
    };
    let r = evaluate(&cb, &docs, &cod, &opts);
    assert_eq!(r.documents, 4);
    assert_eq!(r.no_code, 1);
    assert_eq!(
        (
            r.keywords.evaluated,
            r.keywords.top1,
            r.keywords.with_suggestion
        ),
        (3, 0, 0)
    );
    let l = r.learning.as_ref().unwrap();
    let node = |id: &str| l.nodes.iter().find(|n| n.id == id).unwrap();
    // Learning from other documents works (b and c teach each other) ...
    assert_eq!(node("demand.outsourcing").correct, 2);
    assert_eq!(node("demand.outsourcing").recall, Some(1.0));
    // ... but a#1 is never predicted from itself.
    assert_eq!(node("demand.trade").correct, 0);
    assert_eq!(node("demand.trade").predicted, 0);
    assert_eq!((l.top1, l.evaluated), (2, 3));

    let json: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
    assert_eq!(json["learning"]["top1"], 2);
    let csv = r.to_csv();
    assert!(
        csv.lines()
            .any(|l| l == "eval_models,,keywords+learning,,with_suggestion_of,3"),
        "{csv}"
    );
    assert!(r.to_table().contains("66.7%"), "{}", r.to_table());
}

#[test]
fn audit_counts_fired_accepted_and_missed() {
    let cb = codebook(&[
        ("talent", None, &["人才"], &[]),
        ("funding", None, &["资金"], &["贷款"]),
        ("finance", None, &["贷款", "资金"], &[]),
    ]);
    let docs = vec![document(
        "d",
        &["培养人才", "人才资金", "贷款支持", "其他内容", "资金"],
    )];
    let decisions: &[(&str, &[&str])] = &[
        ("d#1", &["talent"]),
        ("d#2", &["funding"]),
        ("d#3", &["funding"]),
        ("d#4", &["talent"]),
        ("d#5", &[]),
    ];
    let a = codings("a", decisions);
    let r = report(&cb, &docs, &[&a]);
    assert_eq!(r.paragraphs, 5);
    let n: Vec<(usize, usize, usize, usize)> = r
        .nodes
        .iter()
        .map(|n| (n.fired, n.accepted, n.chosen, n.missed))
        .collect();
    assert_eq!(n, vec![(2, 1, 2, 1), (2, 1, 2, 1), (3, 0, 0, 0)]);
    let k: Vec<(&str, &str, bool, usize, usize)> = r
        .keywords
        .iter()
        .map(|k| {
            (
                k.node.as_str(),
                k.keyword.as_str(),
                k.exclude,
                k.fired,
                k.accepted,
            )
        })
        .collect();
    assert_eq!(
        k,
        vec![
            ("talent", "人才", false, 2, 1),
            ("funding", "资金", false, 2, 1),
            ("funding", "贷款", true, 1, 1),
            ("finance", "贷款", false, 1, 0),
            ("finance", "资金", false, 2, 0),
        ]
    );
    let b = codings("b", decisions);
    let both = report(&cb, &docs, &[&a, &b]);
    assert_eq!(both.nodes[0].fired, 4);
    assert!(both.to_table().contains("人才"));
    assert!(
        both.to_csv()
            .contains("audit_keywords,,talent,人才,keyword,precision_pct,50\n"),
        "{}",
        both.to_csv()
    );
}
