//! Statistics against outside oracles and real text: every example of
//! `../shared/agreement/vectors.json` to 6 decimals, word frequency on real Chinese policy text,
//! and tallies / coverage / agreement on the real corpus with generated codings.
//! Each test prints that it was skipped and passes when `../shared` is absent.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use polcode_core::codebook::{Codebook, Node};
use polcode_core::corpus::regions::{RegionDef, RegionScheme};
use polcode_core::corpus::{DocMeta, Document, Level, ParaKind, Paragraph};
use polcode_core::stats::agree::{
    cohen_kappa, cohen_kappa_table, fleiss_kappa, fleiss_kappa_counts, krippendorff_alpha,
    krippendorff_alpha_counts, percent_agreement, weighted_kappa_table, Agreement, Metric, Weights,
};
use polcode_core::stats::compare::compare;
use polcode_core::stats::coverage::{Aggregate, Coverage};
use polcode_core::stats::freq::{FreqOptions, WordFreq};
use polcode_core::stats::{By, Groups, Pool, Tally};
use polcode_core::store::{Codings, Decision};
use serde_json::Value;

fn shared(rel: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("shared")
        .join(rel);
    if p.exists() {
        Some(p)
    } else {
        println!("skipped: {} is absent", p.display());
        None
    }
}

// ---------------------------------------------------------------- agreement vectors

type Matrix = Vec<Vec<Option<f64>>>;

fn matrix(v: &Value) -> Matrix {
    v.as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            r.as_array()
                .expect("row")
                .iter()
                .map(Value::as_f64)
                .collect()
        })
        .collect()
}

fn table(v: &Value) -> Vec<Vec<f64>> {
    matrix(v)
        .into_iter()
        .map(|r| r.into_iter().map(|x| x.expect("number")).collect())
        .collect()
}

fn transpose(m: &Matrix) -> Matrix {
    let n = m.iter().map(Vec::len).max().unwrap_or(0);
    (0..n)
        .map(|j| m.iter().map(|r| r.get(j).copied().flatten()).collect())
        .collect()
}

/// Asserts `got` equals the published figure to the 6 decimals it is given with.
fn check(name: &str, key: &str, results: &Value, got: &Agreement) {
    let want = results[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{name}: no result {key}"));
    let v = got
        .value()
        .unwrap_or_else(|| panic!("{name} {key}: undefined ({got})"));
    assert!(
        (v - want).abs() <= 5.0e-7 + 1e-12,
        "{name} {key}: got {v:.9}, want {want}"
    );
    println!("{name:28} {key:36} {v:.6}");
}

#[test]
#[cfg_attr(
    polcode_no_shared,
    ignore = "needs ../shared (absent when the tests were built; touch build.rs after adding it)"
)]
fn every_agreement_vector() {
    let Some(path) = shared("agreement/vectors.json") else {
        return;
    };
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let vectors = json["vectors"].as_array().unwrap();
    let mut done = 0;
    for vec in vectors {
        let name = vec["name"].as_str().unwrap();
        let r = &vec["results"];
        let inputs = &vec["inputs"];
        match name {
            "kripp2011_4x12" | "wikipedia_kalpha_3x15" => {
                let m = matrix(inputs);
                for (key, metric) in [
                    ("krippendorff.nominal", Metric::Nominal),
                    ("krippendorff.ordinal", Metric::Ordinal),
                    ("krippendorff.interval", Metric::Interval),
                    ("krippendorff.ratio", Metric::Ratio),
                ] {
                    if r.get(key).is_some() {
                        check(name, key, r, &krippendorff_alpha(&m, metric));
                    }
                }
            }
            "kripp2011_binary_2x10" => {
                let m = matrix(inputs);
                check(
                    name,
                    "krippendorff.nominal",
                    r,
                    &krippendorff_alpha(&m, Metric::Nominal),
                );
                check(name, "sklearn.cohen_kappa", r, &cohen_kappa(&m[0], &m[1]));
            }
            "kripp2011_nominal_2x12" => {
                // Letters a–e as 1–5, as the entry's source says.
                let letters = |k: &str| -> Vec<Option<f64>> {
                    inputs[k]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|s| {
                            let c = s.as_str().unwrap().chars().next().unwrap();
                            Some(f64::from(c as u32 - 'a' as u32 + 1))
                        })
                        .collect()
                };
                let m = vec![letters("A"), letters("B")];
                check(
                    name,
                    "krippendorff.nominal",
                    r,
                    &krippendorff_alpha(&m, Metric::Nominal),
                );
                check(name, "sklearn.cohen_kappa", r, &cohen_kappa(&m[0], &m[1]));
            }
            "wikipedia_cohen_50" => {
                let t = table(&inputs["table"]);
                check(name, "sklearn.cohen_kappa", r, &cohen_kappa_table(&t));
                // Percent agreement from the same table laid out as ratings.
                let (mut a, mut b) = (Vec::new(), Vec::new());
                for (i, row) in t.iter().enumerate() {
                    for (j, n) in row.iter().enumerate() {
                        for _ in 0..*n as usize {
                            a.push(Some(i as f64));
                            b.push(Some(j as f64));
                        }
                    }
                }
                check(name, "percent_agreement", r, &percent_agreement(&[a, b]));
            }
            "sas_table10_cohen" => {
                let t = table(&inputs["table"]);
                check(name, "sklearn.kappa", r, &cohen_kappa_table(&t));
                check(
                    name,
                    "sklearn.kappa_linear",
                    r,
                    &weighted_kappa_table(&t, Weights::Linear),
                );
                check(
                    name,
                    "sklearn.kappa_quadratic",
                    r,
                    &weighted_kappa_table(&t, Weights::Quadratic),
                );
            }
            "wikipedia_fleiss_10x14" => {
                let c = table(&inputs["counts"]);
                check(
                    name,
                    "statsmodels.fleiss_kappa",
                    r,
                    &fleiss_kappa_counts(&c),
                );
                let cats = [1.0, 2.0, 3.0, 4.0, 5.0];
                check(
                    name,
                    "krippendorff.nominal(value_counts)",
                    r,
                    &krippendorff_alpha_counts(&c, &cats, Metric::Nominal),
                );
            }
            "fleiss1971_diagnoses_30x6" => {
                // Rows are subjects here; our matrices are coders × units.
                let m = transpose(&matrix(&inputs["ratings_rows=subjects_cols=raters"]));
                check(name, "statsmodels.fleiss_kappa", r, &fleiss_kappa(&m));
                check(
                    name,
                    "krippendorff.nominal",
                    r,
                    &krippendorff_alpha(&m, Metric::Nominal),
                );
            }
            "edge_cases" => {
                // All ratings equal: the packages raise or give NaN; we say undefined.
                let same: Matrix = vec![vec![Some(3.0); 5]; 2];
                assert!(matches!(
                    krippendorff_alpha(&same, Metric::Nominal),
                    Agreement::Undefined { .. }
                ));
                assert!(matches!(
                    cohen_kappa(&same[0], &same[1]),
                    Agreement::Undefined { .. }
                ));
                let a: Vec<Option<f64>> = [0., 1., 0., 1.].iter().map(|x| Some(*x)).collect();
                let b: Vec<Option<f64>> = [1., 0., 1., 0.].iter().map(|x| Some(*x)).collect();
                check(
                    name,
                    "sklearn_kappa_total_disagreement_2cat",
                    r,
                    &cohen_kappa(&a, &b),
                );
                check(
                    name,
                    "krippendorff_total_disagreement_2cat",
                    r,
                    &krippendorff_alpha(&[a, b], Metric::Nominal),
                );
            }
            other => panic!("vector {other} is not reproduced by this test yet"),
        }
        done += 1;
    }
    assert_eq!(done, vectors.len());
}

// ---------------------------------------------------------------- the real corpus

/// Reads the corpus: one body paragraph per non-empty line (the importer is another module;
/// this is enough for counting), region from level and province.
fn corpus() -> Option<Vec<Document>> {
    let dir = shared("corpus")?;
    let mut rd = csv::Reader::from_path(dir.join("metadata.csv")).unwrap();
    let mut docs = Vec::new();
    for rec in rd.records() {
        let rec = rec.unwrap();
        let file = &rec[0];
        let bytes = std::fs::read(dir.join("docs").join(file)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let paragraphs: Vec<Paragraph> = text
            .split(['\n', '\r'])
            .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}'))
            .filter(|l| !l.is_empty())
            .enumerate()
            .map(|(i, l)| Paragraph {
                n: i as u32 + 1,
                kind: ParaKind::Body,
                section: String::new(),
                hash: String::new(),
                text: l.to_string(),
            })
            .collect();
        let level = Level::parse(&rec[5]).unwrap_or_default();
        let province = rec[6].to_string();
        let region = match province.as_str() {
            "" => "national",
            "安徽" => "central",
            _ => "east",
        };
        docs.push(Document {
            id: file.trim_end_matches(".txt").to_string(),
            meta: DocMeta {
                title: rec[1].to_string(),
                date: rec[4].chars().take(10).collect(),
                level,
                province,
                region: region.into(),
                ..DocMeta::default()
            },
            paragraphs,
        });
    }
    Some(docs)
}

fn scheme() -> RegionScheme {
    let r = |id: &str, zh: &str| RegionDef {
        id: id.into(),
        name_en: id.into(),
        name_zh: zh.into(),
        provinces: Vec::new(),
    };
    RegionScheme {
        name: "nbs2011".into(),
        regions: vec![
            r("national", "国家"),
            r("east", "东部"),
            r("central", "中部"),
            r("west", "西部"),
            r("northeast", "东北"),
        ],
    }
}

/// Supply (talent, funding) and environment (tax, standards), one keyword per leaf.
fn codebook() -> Codebook {
    let n = |id: &str, zh: &str, parent: Option<usize>, children: Vec<usize>, kw: &[&str]| Node {
        id: id.into(),
        name_zh: zh.into(),
        parent,
        children,
        depth: usize::from(parent.is_some()),
        keywords: kw.iter().map(|s| s.to_string()).collect(),
        ..Node::default()
    };
    Codebook {
        name: "policy tools".into(),
        description: String::new(),
        nodes: vec![
            n("supply", "供给型", None, vec![1, 2], &["人工智能"]),
            n("talent", "人才培养", Some(0), vec![], &["人才"]),
            n("funding", "资金投入", Some(0), vec![], &["资金"]),
            n("environment", "环境型", None, vec![4, 5], &[]),
            n("tax", "税收优惠", Some(3), vec![], &["税收"]),
            n("standard", "标准体系", Some(3), vec![], &["标准"]),
        ],
    }
}

const LEAVES: [(&str, &str); 4] = [
    ("talent", "人才"),
    ("funding", "资金"),
    ("tax", "税收"),
    ("standard", "标准"),
];

/// Codes every paragraph containing a leaf's keyword at that leaf; `skip`: every paragraph
/// whose number is a multiple of it is marked no-code instead (a second coder who misses some).
fn keyword_coder(name: &str, docs: &[Document], skip: u32) -> Codings {
    let mut c = Codings {
        coder: name.into(),
        ..Codings::default()
    };
    for d in docs {
        for p in &d.paragraphs {
            let nodes: Vec<String> = LEAVES
                .iter()
                .filter(|(_, kw)| p.text.contains(kw))
                .map(|(id, _)| id.to_string())
                .collect();
            if nodes.is_empty() {
                continue;
            }
            // The second coder read these paragraphs too, and marked them no-code.
            let nodes = if p.n % skip == 0 { Vec::new() } else { nodes };
            c.apply(Decision {
                para: d.para_id(p.n),
                hash: String::new(),
                no_code: nodes.is_empty(),
                nodes,
                scores: BTreeMap::new(),
                memo: None,
                coder: name.into(),
                at: String::new(),
                via: Default::default(),
                derived: None,
                found: None,
            });
        }
    }
    c
}

#[test]
#[cfg_attr(
    polcode_no_shared,
    ignore = "needs ../shared (absent when the tests were built; touch build.rs after adding it)"
)]
fn word_frequency_of_a_real_plan() {
    let Some(docs) = corpus() else { return };
    let cb = codebook();
    let doc01: Vec<Document> = docs
        .into_iter()
        .filter(|d| d.id.starts_with("01_"))
        .collect();
    let wf = WordFreq::new(&cb, &[], &doc01);
    let groups = Groups::new(By::None, &scheme(), &doc01);
    let opts = FreqOptions {
        top: usize::MAX,
        ..FreqOptions::default()
    };
    let out = wf.count(&doc01, &groups, &opts);
    let rows = &out[0].rows;
    let top: Vec<&str> = rows.iter().take(10).map(|r| r.word.as_str()).collect();
    println!("top words of 01: {top:?}");
    assert_eq!(rows[0].word, "人工智能", "top words: {top:?}");
    // Stop words and short words never appear; percentages add up to 100.
    assert!(rows
        .iter()
        .all(|r| r.len >= 2 && r.word != "加强" && r.word != "推进"));
    let total: f64 = rows.iter().map(|r| r.pct).sum();
    assert!((total - 100.0).abs() < 1e-6);
    // Count of 人工智能 matches its occurrences in the text, less any jieba merged away.
    let occurrences: usize = doc01[0]
        .paragraphs
        .iter()
        .map(|p| p.text.matches("人工智能").count())
        .sum();
    assert!(rows[0].count <= occurrences as f64 && rows[0].count >= 0.9 * occurrences as f64);
}

#[test]
#[cfg_attr(
    polcode_no_shared,
    ignore = "needs ../shared (absent when the tests were built; touch build.rs after adding it)"
)]
fn tallies_and_agreement_on_the_corpus() {
    let Some(docs) = corpus() else { return };
    let cb = codebook();
    let a = keyword_coder("A", &docs, u32::MAX);
    let b = keyword_coder("B", &docs, 7);
    let groups = Groups::new(By::Region, &scheme(), &docs);
    let ta = Tally::build(&cb, &docs, groups.clone(), &[&a], Pool::Pooled);
    // Independent count: paragraphs containing the keyword, per region; parents = any child.
    for (g, _) in groups.keys.iter().enumerate() {
        let in_g: Vec<&Document> = groups.docs_in(g).map(|d| &docs[d]).collect();
        let count = |kws: &[&str]| -> (u32, u32) {
            let per_doc: Vec<u32> = in_g
                .iter()
                .map(|d| {
                    d.paragraphs
                        .iter()
                        .filter(|p| p.kind == polcode_core::corpus::ParaKind::Body)
                        .filter(|p| kws.iter().any(|k| p.text.contains(k)))
                        .count() as u32
                })
                .collect();
            (
                per_doc.iter().filter(|n| **n > 0).count() as u32,
                per_doc.iter().sum(),
            )
        };
        for (node, kws) in [
            (0, vec!["人才", "资金"]),
            (1, vec!["人才"]),
            (3, vec!["税收", "标准"]),
            (5, vec!["标准"]),
        ] {
            assert_eq!(
                (ta.docs(g, node), ta.refs(g, node)),
                count(&kws),
                "group {g} node {node}"
            );
        }
    }
    assert!(
        ta.total_refs(0) > 100,
        "the corpus talks about talent and funding"
    );
    // Pooled ≥ union ≥ each coder; pooled ≤ 2 × union.
    let pooled = Tally::build(&cb, &docs, groups.clone(), &[&a, &b], Pool::Pooled);
    let union = Tally::build(&cb, &docs, groups.clone(), &[&a, &b], Pool::Union);
    for n in 0..cb.nodes.len() {
        let (p, u) = (pooled.total_refs(n), union.total_refs(n));
        assert!(
            u <= p && p <= 2 * u && u == ta.total_refs(n),
            "node {n}: {p} {u}"
        );
    }
    // Coverage: ratio and mean within 0–100%; the sum is the mean times the documents.
    let cov = Coverage::build(&cb, &docs, groups.clone(), &[&a], Pool::Pooled);
    for g in 0..groups.len() {
        let n_docs = groups.docs_in(g).count() as f64;
        for node in 0..cb.nodes.len() {
            let (Some(m), Some(r), Some(s)) = (
                cov.group_pct(g, node, Aggregate::MeanOfDocs),
                cov.group_pct(g, node, Aggregate::Ratio),
                cov.group_pct(g, node, Aggregate::SumOfDocs),
            ) else {
                assert_eq!(n_docs, 0.0);
                continue;
            };
            assert!((0.0..=100.0).contains(&m) && (0.0..=100.0).contains(&r));
            assert!((s - m * n_docs).abs() < 1e-6);
        }
    }
    // B misses every 7th paragraph, so agreement is high but not perfect.
    let report = compare(&cb, &docs, &[&a, &b]);
    let k = report.pooled.cohen.clone().unwrap().value().unwrap();
    assert!(k > 0.8 && k < 1.0, "pooled kappa {k}");
    assert!(!report.disagreements.is_empty());
    assert!(report.disagreements.iter().all(|d| d.n % 7 == 0));
    println!(
        "{}",
        report
            .table(&cb, polcode_core::stats::agree_report::Layout::Default)
            .to_text()
    );
}
