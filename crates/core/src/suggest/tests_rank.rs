//! Tests of keyword ranking: exclusions, parents from children, IDF, length, ties, spans.

use super::testkit::codebook;
use super::{Engine, Suggestion};
use crate::store::SuggestSource;

fn nodes(s: &[Suggestion]) -> Vec<usize> {
    s.iter().map(|s| s.node).collect()
}

#[test]
fn exclusion_keywords_suppress_the_node_and_its_descendants() {
    let cb = codebook(&[
        ("supply", None, &[], &["招商引资"]),
        ("supply.talent", Some("supply"), &["人才"], &[]),
        ("env", None, &["人才"], &["人才公寓"]),
    ]);
    let e = Engine::new(&cb, &[]);
    // Child and other root tie (codebook order), the parent gets half of its child.
    assert_eq!(nodes(&e.suggest("加强人才培养", None, 5)), vec![1, 2, 0]);
    // An exclusion on the parent removes the child and the parent, not the other root.
    assert_eq!(nodes(&e.suggest("招商引资和人才引进", None, 5)), vec![2]);
    // An exclusion of the node itself.
    let s = e.suggest("建设人才公寓", None, 5);
    assert!(s.iter().all(|s| s.node != 2), "{s:?}");
    assert!(s.iter().any(|s| s.node == 1));
}

#[test]
fn parents_rank_from_their_children() {
    let cb = codebook(&[
        ("p", None, &[], &[]),
        ("p.a", Some("p"), &["人才"], &[]),
        ("p.b", Some("p"), &["资金"], &[]),
        ("p.c", Some("p"), &["研发"], &[]),
    ]);
    let e = Engine::new(&cb, &[]);
    // One child supported: the child first, the parent below it.
    let s = e.suggest("培养人才", None, 5);
    assert_eq!(nodes(&s), vec![1, 0]);
    assert!(s[1].score < s[0].score);
    assert_eq!(s[1].hits.len(), 1, "the parent shows its child's hit");
    // Evidence spread over three children: the parent first.
    let s = e.suggest("人才、资金、研发", None, 5);
    assert_eq!(s[0].node, 0);
    assert_eq!(nodes(&s)[1..], [1, 2, 3]);
}

#[test]
fn specific_keywords_outweigh_common_ones() {
    let cb = codebook(&[
        ("common", None, &["发展"], &[]),
        ("rare", None, &["区块链"], &[]),
    ]);
    let paras = [
        "推动发展",
        "发展经济",
        "高质量发展",
        "发展区块链技术",
        "促进发展",
    ];
    let e = Engine::new(&cb, &paras);
    assert_eq!(e.doc_freq("发展"), Some(5));
    assert_eq!(e.doc_freq("区块链"), Some(1));
    let s = e.suggest("发展区块链", None, 5);
    assert_eq!(nodes(&s), vec![1, 0]);
}

#[test]
fn longer_paragraphs_score_a_hit_lower() {
    let cb = codebook(&[("a", None, &["人才"], &[])]);
    let e = Engine::new(&cb, &["一段平均长度的政策文本内容共计二十个字符左右吧"]);
    let short = e.suggest("引进人才", None, 1)[0].score;
    let long = e.suggest(
        &format!("引进人才{}", "并且持续优化相关服务".repeat(20)),
        None,
        1,
    )[0]
    .score;
    assert!(short > long, "{short} vs {long}");
}

#[test]
fn ties_follow_codebook_order_deterministically() {
    let ab = codebook(&[("x", None, &["数据"], &[]), ("y", None, &["数据"], &[])]);
    let ba = codebook(&[("y", None, &["数据"], &[]), ("x", None, &["数据"], &[])]);
    for cb in [&ab, &ba] {
        let e = Engine::new(cb, &[]);
        for _ in 0..3 {
            let s = e.suggest("开放数据", None, 5);
            assert_eq!(nodes(&s), vec![0, 1]);
            assert_eq!(s[0].score, s[1].score);
        }
    }
}

#[test]
fn hits_carry_character_spans_weights_and_why() {
    let cb = codebook(&[("env", None, &["营商环境", "政务服务", "AI"], &[])]);
    let e = Engine::new(&cb, &[]);
    let text = "优化营商环境，提升政务服务和AI水平，营商环境";
    let s = &e.suggest(text, None, 3)[0];
    assert_eq!(s.source, SuggestSource::Keyword);
    let spans: Vec<(&str, usize, usize)> = s
        .hits
        .iter()
        .map(|h| (h.keyword.as_str(), h.start, h.end))
        .collect();
    assert_eq!(
        spans,
        vec![
            ("营商环境", 2, 6),
            ("政务服务", 9, 13),
            ("AI", 14, 16),
            ("营商环境", 19, 23)
        ]
    );
    let chars: Vec<char> = text.chars().collect();
    for h in &s.hits {
        assert_eq!(chars[h.start..h.end].iter().collect::<String>(), h.keyword);
    }
    let total: f32 = s.hits.iter().map(|h| h.weight).sum();
    assert!((total - s.score).abs() < 1e-4, "{total} vs {}", s.score);
    assert!(s.why.starts_with("营商环境 ×2"), "{}", s.why);
}

#[test]
fn highlights_are_leftmost_longest_and_skip_exclusions() {
    let cb = codebook(&[("a", None, &["营商", "营商环境", "环境建设"], &["建设"])]);
    let e = Engine::new(&cb, &[]);
    assert_eq!(e.highlights("优化营商环境建设"), vec![(2, 6)]);
    assert!(e.highlights("加强建设").is_empty());
}

#[test]
fn no_keywords_no_suggestions() {
    let cb = codebook(&[("a", None, &["人才"], &[])]);
    let e = Engine::new(&cb, &[]);
    assert!(e.suggest("本意见自印发之日起施行", None, 5).is_empty());
    assert!(e.suggest("引进人才", None, 0).is_empty());
    assert!(Engine::new(&Default::default(), &[])
        .suggest("人才", None, 3)
        .is_empty());
}
