//! Test helpers: codebooks, documents and codings built in code (the YAML loader is written
//! elsewhere), and naive reading of the shared real corpus.

use std::path::PathBuf;

use crate::codebook::{Codebook, Node};
use crate::corpus::{DocMeta, Document, ParaKind, Paragraph};
use crate::store::{Codings, Decision};

/// One node: id, parent id, keywords, exclusion keywords.
pub(crate) type Spec<'a> = (&'a str, Option<&'a str>, &'a [&'a str], &'a [&'a str]);

/// Builds a codebook from node specs listed parents first.
pub(crate) fn codebook(spec: &[Spec]) -> Codebook {
    let mut cb = Codebook {
        name: "test".into(),
        ..Default::default()
    };
    for (id, parent, kws, excl) in spec {
        let parent = parent.map(|p| cb.index(p).expect("parent listed first"));
        let depth = parent.map_or(0, |p| cb.nodes[p].depth + 1);
        let i = cb.nodes.len();
        if let Some(p) = parent {
            cb.nodes[p].children.push(i);
        }
        cb.nodes.push(Node {
            id: id.to_string(),
            parent,
            depth,
            name_zh: id.to_string(),
            keywords: kws.iter().map(|s| s.to_string()).collect(),
            exclude_keywords: excl.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        });
    }
    cb
}

/// A small supply / environment / demand policy-tools codebook with realistic keywords.
pub(crate) fn policy_tools() -> Codebook {
    codebook(&[
        ("supply", None, &[], &[]),
        (
            "supply.talent",
            Some("supply"),
            &["人才", "培训", "高校", "学科", "引进"],
            &[],
        ),
        (
            "supply.funding",
            Some("supply"),
            &["资金", "财政", "专项资金", "补助"],
            &[],
        ),
        (
            "supply.tech",
            Some("supply"),
            &["研发", "技术攻关", "关键技术", "创新平台"],
            &[],
        ),
        (
            "supply.infra",
            Some("supply"),
            &["基础设施", "数据中心", "5G", "算力", "网络"],
            &[],
        ),
        ("env", None, &[], &[]),
        (
            "env.plan",
            Some("env"),
            &["规划", "目标", "发展战略", "总体要求"],
            &[],
        ),
        (
            "env.finance",
            Some("env"),
            &["融资", "贷款", "担保", "基金", "金融"],
            &[],
        ),
        ("env.tax", Some("env"), &["税收", "减免", "税"], &[]),
        (
            "env.regulation",
            Some("env"),
            &["法规", "标准", "监管", "知识产权"],
            &[],
        ),
        (
            "env.measures",
            Some("env"),
            &["试点", "示范", "宣传", "考核", "营商环境"],
            &[],
        ),
        ("demand", None, &[], &[]),
        (
            "demand.procurement",
            Some("demand"),
            &["政府采购", "采购"],
            &[],
        ),
        (
            "demand.outsourcing",
            Some("demand"),
            &["外包", "购买服务"],
            &[],
        ),
        (
            "demand.trade",
            Some("demand"),
            &["进出口", "贸易", "关税"],
            &[],
        ),
        (
            "demand.overseas",
            Some("demand"),
            &["海外", "国际合作", "境外", "一带一路"],
            &[],
        ),
        (
            "demand.application",
            Some("demand"),
            &["应用场景", "场景", "推广应用"],
            &[],
        ),
    ])
}

/// A document with body paragraphs numbered from 1.
pub(crate) fn document(id: &str, paragraphs: &[&str]) -> Document {
    Document {
        id: id.to_string(),
        meta: DocMeta::default(),
        paragraphs: paragraphs
            .iter()
            .enumerate()
            .map(|(i, t)| Paragraph {
                n: i as u32 + 1,
                kind: ParaKind::Body,
                section: String::new(),
                hash: String::new(),
                text: t.to_string(),
            })
            .collect(),
    }
}

/// Codings of `coder`: (paragraph id, node ids); no node ids means an explicit "no code".
pub(crate) fn codings(coder: &str, decisions: &[(&str, &[&str])]) -> Codings {
    let mut c = Codings {
        coder: coder.to_string(),
        ..Default::default()
    };
    for (para, nodes) in decisions {
        c.apply(Decision {
            para: para.to_string(),
            hash: String::new(),
            nodes: nodes.iter().map(|s| s.to_string()).collect(),
            no_code: nodes.is_empty(),
            scores: Default::default(),
            memo: None,
            coder: coder.to_string(),
            at: "2024-01-01T00:00:00Z".into(),
            via: Default::default(),
            derived: None,
            found: None,
        });
    }
    c
}

/// Non-empty trimmed lines of every `../shared/corpus/docs/*.txt` (file name, lines), or
/// `None` (after saying so) when the shared corpus is absent.
pub(crate) fn corpus_lines() -> Option<Vec<(String, Vec<String>)>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/docs");
    let Ok(rd) = std::fs::read_dir(&dir) else {
        println!("skipped: {} not found", dir.display());
        return None;
    };
    let mut files: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    files.sort();
    let mut out = Vec::new();
    for f in files
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "txt"))
    {
        let text = std::fs::read_to_string(&f).ok()?;
        let lines = text
            .lines()
            .map(|l| l.trim_matches(|c: char| c.is_whitespace()).to_string())
            .filter(|l| !l.is_empty())
            .collect();
        out.push((f.file_name()?.to_string_lossy().into_owned(), lines));
    }
    Some(out)
}
