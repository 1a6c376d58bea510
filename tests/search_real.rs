//! `polcode search` on the 41 real documents against independent counts: Python's `str.count`
//! per paragraph over the same stored paragraph texts, and for every pattern the hits the
//! command prints (JSON) equal to the library's. Prints SKIPPED and passes when `../shared` or
//! python3 is absent (CI installs python3).

use std::process::Command;

use polcode_core::corpus::ParaKind;
use polcode_core::search::{search, Matcher, Scope, Spec};
use polcode_core::study::Study;

use crate::support::real;
use crate::support::tmux;

use real::{corpus, polcode, real_study};

/// Patterns a researcher of these documents would search for: single terms, an alternative
/// pair, a term with an ASCII letter, one that never occurs.
const PATTERNS: &[&str] = &[
    "区块链",
    "人工智能",
    "数据",
    "5G",
    "数字经济|数字政府",
    "不存在的词语",
];

#[test]
#[cfg_attr(
    polcode_no_shared,
    ignore = "needs ../shared (absent when the tests were built; touch build.rs after adding it)"
)]
fn hits_equal_python_str_count_per_paragraph_on_the_real_corpus() {
    let Some(corpus) = corpus() else { return };
    if !tmux::tool_available("python3", "--version", "python3", "search counts") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = real_study(tmp.path(), &corpus);
    let study = Study::open(&dir).unwrap();
    assert_eq!(study.docs.len(), 41);
    // The body paragraphs as the study stores them, one JSON string per line.
    let paras: Vec<(String, &str)> = study
        .docs
        .iter()
        .flat_map(|d| {
            d.paragraphs
                .iter()
                .filter(|p| p.kind == ParaKind::Body)
                .map(|p| (d.para_id(p.n), p.text.as_str()))
        })
        .collect();
    let input = tmp.path().join("paras.jsonl");
    let lines: Vec<String> = paras
        .iter()
        .map(|(_, t)| serde_json::to_string(t).unwrap())
        .collect();
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    // Python sums str.count over the alternatives (none of them can overlap another here).
    let script = r#"
import json, sys
pats = [p.split("|") for p in json.loads(sys.argv[2])]
texts = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
print(json.dumps([[sum(t.count(a) for a in alts) for t in texts] for alts in pats]))
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&input)
        .arg(serde_json::to_string(PATTERNS).unwrap())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let python: Vec<Vec<usize>> = serde_json::from_slice(&out.stdout).unwrap();

    for (pi, pat) in PATTERNS.iter().enumerate() {
        let m = Matcher::for_study(&Spec::literal(pat), &study).unwrap();
        let hits = search(&study.docs, &m, Scope::Body);
        // Per paragraph, in reading order.
        let mut ours = vec![0usize; paras.len()];
        let index: std::collections::HashMap<&str, usize> = paras
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (id.as_str(), i))
            .collect();
        for h in &hits {
            let d = &study.docs[h.doc];
            let id = d.para_id(d.paragraphs[h.para].n);
            ours[index[id.as_str()]] = h.spans.len();
        }
        assert_eq!(ours, python[pi], "{pat}: per-paragraph counts differ");
        let total: usize = python[pi].iter().sum();
        // The command line prints the same hits: one JSON row per hit, in the same paragraphs.
        let json: serde_json::Value =
            serde_json::from_str(&polcode(&dir, &["search", pat, "-f", "json"])).unwrap();
        let rows = json["rows"].as_array().unwrap();
        assert_eq!(rows.len(), total, "{pat}: command rows");
        let mut listed: Vec<&str> = rows
            .iter()
            .map(|r| r["paragraph"].as_str().unwrap())
            .collect();
        listed.dedup();
        let with_hits: Vec<&str> = paras
            .iter()
            .zip(&python[pi])
            .filter(|(_, n)| **n > 0)
            .map(|((id, _), _)| id.as_str())
            .collect();
        assert_eq!(listed, with_hits, "{pat}: paragraphs listed");
        eprintln!(
            "{pat}: {total} hits in {} paragraphs (python str.count agrees)",
            with_hits.len()
        );
    }
    // The corpus README: 20 of the 41 documents mention 区块链.
    let m = Matcher::for_study(&Spec::literal("区块链"), &study).unwrap();
    let docs = polcode_core::search::totals(&search(&study.docs, &m, Scope::All)).documents;
    assert_eq!(docs, 20);
}

#[test]
#[cfg_attr(
    polcode_no_shared,
    ignore = "needs ../shared (absent when the tests were built; touch build.rs after adding it)"
)]
fn by_region_counts_documents_and_paragraphs_with_hits() {
    let Some(corpus) = corpus() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = real_study(tmp.path(), &corpus);
    let study = Study::open(&dir).unwrap();
    let json: serde_json::Value = serde_json::from_str(&polcode(
        &dir,
        &["search", "区块链", "--by", "region", "-f", "json"],
    ))
    .unwrap();
    let rows = json["rows"].as_array().unwrap();
    let total = rows.last().unwrap();
    assert_eq!(total["region"], "total");
    // Independently: documents and body paragraphs containing the term, by str::contains.
    let body = |d: &polcode_core::corpus::Document| {
        d.paragraphs
            .iter()
            .filter(|p| p.kind == ParaKind::Body && p.text.contains("区块链"))
            .count()
    };
    let docs = study.docs.iter().filter(|d| body(d) > 0).count();
    let paras: usize = study.docs.iter().map(body).sum();
    assert_eq!(total["documents with hits"], docs as u64);
    assert_eq!(total["paragraphs with hits"], paras as u64);
    assert_eq!(total["documents"], 41);
    let group_sum: u64 = rows[..rows.len() - 1]
        .iter()
        .map(|r| r["paragraphs with hits"].as_u64().unwrap())
        .sum();
    assert_eq!(group_sum, paras as u64);
}
