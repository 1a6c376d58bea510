//! A small hand-checked study for the stats tests: 3 documents in 2 regions, a codebook of
//! 2 parents with 2 children each, and 2 coders. Every figure the tests assert is derived by
//! hand from the layout below.
//!
//! ```text
//! nodes: 0 S 供给型 { 1 S1 人才培养, 2 S2 资金投入 }   3 E 环境型 { 4 E1 税收优惠, 5 E2 法规管制 }
//!        (children carry a 1–3 scale)
//! d1 east/provincial/山东/2019   #1 non-body (9)  #2 body 7  #3 body 14  #4 body 9   body = 30
//! d2 east/municipal/上海/2020    #1 heading  (6)  #2 body 12 #3 body 14              body = 26
//! d3 central/provincial/安徽/2020 #1 body 7  #2 body 9                                body = 16
//!
//!            A                          B
//! d1#2   S1 (S1=2)                  S1 (S1=1)
//! d1#3   S2 (S2=3)                  S2, E1
//! d1#4   E1                         —
//! d2#2   E2                         E2
//! d2#3   S1, S2 (S1=3, S2=1)        S1 (S1=3)
//! d3#1   E1                         E2
//! d3#2   no-code                    —
//! ```

use std::collections::BTreeMap;

use crate::codebook::{Codebook, Node, Scale, ScaleLevel};
use crate::corpus::regions::{RegionDef, RegionScheme};
use crate::corpus::{DocMeta, Document, Kind, Level, ParaKind, Paragraph};
use crate::store::{Codings, Decision};

/// The fixture's pieces.
pub(crate) struct Fixture {
    pub codebook: Codebook,
    pub scheme: RegionScheme,
    pub docs: Vec<Document>,
    pub a: Codings,
    pub b: Codings,
}

/// The five NBS regions in scheme order.
pub(crate) fn scheme() -> RegionScheme {
    let r = |id: &str, en: &str, zh: &str| RegionDef {
        id: id.into(),
        name_en: en.into(),
        name_zh: zh.into(),
        provinces: Vec::new(),
    };
    RegionScheme {
        name: "nbs2011".into(),
        regions: vec![
            r("national", "National", "国家"),
            r("east", "East", "东部"),
            r("central", "Central", "中部"),
            r("west", "West", "西部"),
            r("northeast", "Northeast", "东北"),
        ],
    }
}

fn node(id: &str, zh: &str, en: &str, parent: Option<usize>, children: Vec<usize>) -> Node {
    let scale = parent.map(|_| Scale {
        levels: (1..=3)
            .map(|v| ScaleLevel {
                value: v,
                label: v.to_string(),
                description: String::new(),
            })
            .collect(),
    });
    Node {
        id: id.into(),
        parent,
        depth: usize::from(parent.is_some()),
        children,
        name_zh: zh.into(),
        name_en: en.into(),
        keywords: vec![format!("{zh}关键词")],
        scale,
        ..Node::default()
    }
}

/// The 2-parent / 4-child codebook.
pub(crate) fn codebook() -> Codebook {
    Codebook {
        name: "fixture".into(),
        description: String::new(),
        nodes: vec![
            node("S", "供给型", "supply", None, vec![1, 2]),
            node("S1", "人才培养", "talent", Some(0), vec![]),
            node("S2", "资金投入", "funding", Some(0), vec![]),
            node("E", "环境型", "environment", None, vec![4, 5]),
            node("E1", "税收优惠", "tax", Some(3), vec![]),
            node("E2", "法规管制", "regulation", Some(3), vec![]),
        ],
    }
}

/// A document from `(kind, text)` paragraphs.
pub(crate) fn doc(
    id: &str,
    region: &str,
    level: Level,
    province: &str,
    date: &str,
    paras: &[(ParaKind, &str)],
) -> Document {
    Document {
        id: id.into(),
        meta: DocMeta {
            title: id.into(),
            date: date.into(),
            level,
            province: province.into(),
            region: region.into(),
            kind: Kind::Special,
            ..DocMeta::default()
        },
        paragraphs: paras
            .iter()
            .enumerate()
            .map(|(i, (kind, text))| Paragraph {
                n: i as u32 + 1,
                kind: *kind,
                section: String::new(),
                hash: String::new(),
                text: (*text).into(),
            })
            .collect(),
    }
}

/// A decision of `coder` on `para` with nodes and scores.
pub(crate) fn decision(
    coder: &str,
    para: &str,
    nodes: &[&str],
    scores: &[(&str, i32)],
) -> Decision {
    Decision {
        para: para.into(),
        hash: String::new(),
        nodes: nodes.iter().map(|s| s.to_string()).collect(),
        no_code: nodes.is_empty(),
        scores: scores
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .collect::<BTreeMap<_, _>>(),
        memo: None,
        coder: coder.into(),
        at: "2026-01-01T00:00:00Z".into(),
        via: Default::default(),
        derived: None,
        found: None,
    }
}

/// Codings of `coder` from decisions.
pub(crate) fn codings(coder: &str, ds: Vec<Decision>) -> Codings {
    let mut c = Codings {
        coder: coder.into(),
        ..Codings::default()
    };
    for d in ds {
        c.apply(d);
    }
    c
}

/// The whole fixture.
pub(crate) fn study() -> Fixture {
    use ParaKind::{Body, Heading, NonBody};
    let docs = vec![
        doc(
            "d1",
            "east",
            Level::Provincial,
            "山东",
            "2019-05-01",
            &[
                (NonBody, "山东省人工智能政策"),
                (Body, "加强人才培养。"),
                (Body, "设立专项资金，支持企业研发。"),
                (Body, "落实税收优惠政策。"),
            ],
        ),
        doc(
            "d2",
            "east",
            Level::Municipal,
            "上海",
            "2020-01-01",
            &[
                (Heading, "一、总体要求"),
                (Body, "完善法规制度，加强监管。"),
                (Body, "引进高端人才，提供资金支持。"),
            ],
        ),
        doc(
            "d3",
            "central",
            Level::Provincial,
            "安徽",
            "2020-03-01",
            &[(Body, "实施减税降费。"), (Body, "其他事项另行通知。")],
        ),
    ];
    let a = codings(
        "A",
        vec![
            decision("A", "d1#2", &["S1"], &[("S1", 2)]),
            decision("A", "d1#3", &["S2"], &[("S2", 3)]),
            decision("A", "d1#4", &["E1"], &[]),
            decision("A", "d2#2", &["E2"], &[]),
            decision("A", "d2#3", &["S1", "S2"], &[("S1", 3), ("S2", 1)]),
            decision("A", "d3#1", &["E1"], &[]),
            decision("A", "d3#2", &[], &[]),
        ],
    );
    let b = codings(
        "B",
        vec![
            decision("B", "d1#2", &["S1"], &[("S1", 1)]),
            decision("B", "d1#3", &["S2", "E1"], &[]),
            decision("B", "d2#2", &["E2"], &[]),
            decision("B", "d2#3", &["S1"], &[("S1", 3)]),
            decision("B", "d3#1", &["E2"], &[]),
        ],
    );
    Fixture {
        codebook: codebook(),
        scheme: scheme(),
        docs,
        a,
        b,
    }
}
