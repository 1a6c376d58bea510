//! Every figure of `polcode agree -f json` against the Python reference packages —
//! `krippendorff` (α nominal, ordinal, interval), scikit-learn (`cohen_kappa_score`, plain and
//! weighted) and statsmodels (`fleiss_kappa`) — plus percent agreement by hand, on random
//! studies made here: 2–4 coders, paragraphs left undecided (missing data), explicit no-codes,
//! codes on parents and leaves, rubric scores on the planning-quality codebook's 0–4 and 1–4
//! scales, and decisions on headings (which must count nowhere). The oracle builds its rating
//! matrices from the raw decisions itself (`tests/oracle/agree_oracle.py`).
//!
//! Python: `$POLCODE_ORACLE_PYTHON`, else `python3`. When the packages are missing the test
//! prints SKIPPED and passes (`.ci/run` installs them into a virtual environment).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use polcode_core::corpus::ParaKind;
use polcode_core::store::{CoderStore, Decision, OpenMode};
use polcode_core::study::Study;
use serde_json::{json, Value};

fn polcode(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_polcode"))
        .arg("--study")
        .arg(dir)
        .args(args)
        .env("POLCODE_DATA_DIR", dir.join(".data"))
        .env("POLCODE_CONFIG", dir.join(".config"))
        .env_remove("POLCODE_CODER")
        .output()
        .expect("run polcode");
    assert!(
        out.status.success(),
        "polcode {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn python() -> Option<PathBuf> {
    let py = std::env::var_os("POLCODE_ORACLE_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("python3"));
    let ok = Command::new(&py)
        .args(["-c", "import krippendorff, sklearn, statsmodels, numpy"])
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then_some(py)
}

/// splitmix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// A demo study on the planning-quality codebook (scales 0–4 and 1–4).
fn study(dir: &Path) -> Study {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/core/src/demo");
    polcode(
        dir,
        &[
            "init",
            dir.to_str().unwrap(),
            "--codebook",
            "planning-quality",
        ],
    );
    let mut args: Vec<String> = vec!["import".into()];
    let mut files: Vec<PathBuf> = std::fs::read_dir(&demo)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    args.extend(files.iter().map(|p| p.display().to_string()));
    args.push("--meta".into());
    args.push(demo.join("meta.csv").display().to_string());
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    polcode(dir, &refs);
    Study::open(dir).expect("open study")
}

/// One random case: `k` coders with the given share of paragraphs decided and chance of
/// copying the first coder; records their decisions and returns the plain layout the oracle
/// reads.
fn make_case(study: &Study, rng: &mut Rng, name: &str, k: usize, decide: u64, copy: u64) -> Value {
    let cb = &study.codebook;
    let body: Vec<(String, String)> = study
        .docs
        .iter()
        .flat_map(|d| {
            d.paragraphs
                .iter()
                .filter(|p| p.kind == ParaKind::Body)
                .map(|p| (d.para_id(p.n), p.hash.clone()))
        })
        .collect();
    let headings: Vec<(String, String)> = study
        .docs
        .iter()
        .flat_map(|d| {
            d.paragraphs
                .iter()
                .filter(|p| p.kind != ParaKind::Body)
                .map(|p| (d.para_id(p.n), p.hash.clone()))
        })
        .collect();
    assert!(!headings.is_empty(), "the demo has headings");
    let ids: Vec<&str> = cb.nodes.iter().map(|n| n.id.as_str()).collect();
    let mut first: BTreeMap<String, (Vec<String>, BTreeMap<String, i32>)> = BTreeMap::new();
    let mut coders = Vec::new();
    let mut decisions = serde_json::Map::new();
    for c in 0..k {
        let coder = format!("{name}c{c}");
        let mut ds = Vec::new();
        let mut plain = serde_json::Map::new();
        for (para, hash) in &body {
            if !rng.chance(decide) {
                continue;
            }
            let (nodes, scores) = match first.get(para) {
                Some(x) if c > 0 && rng.chance(copy) => x.clone(),
                _ => {
                    let mut nodes: Vec<String> = Vec::new();
                    if !rng.chance(15) {
                        for _ in 0..1 + rng.below(3) {
                            let id = ids[rng.below(ids.len())].to_string();
                            if !nodes.contains(&id) {
                                nodes.push(id);
                            }
                        }
                    }
                    let mut scores = BTreeMap::new();
                    for id in &nodes {
                        let node = cb.get(id).unwrap();
                        if let Some(s) = &node.scale {
                            if rng.chance(80) {
                                let l = &s.levels[rng.below(s.levels.len())];
                                scores.insert(id.clone(), l.value);
                            }
                        }
                    }
                    (nodes, scores)
                }
            };
            if c == 0 {
                first.insert(para.clone(), (nodes.clone(), scores.clone()));
            }
            plain.insert(
                para.clone(),
                json!({"nodes": nodes, "no_code": nodes.is_empty(), "scores": scores}),
            );
            ds.push(decision(&coder, para, hash, nodes, scores));
        }
        // Decisions on headings and other non-body lines: never units, so not in `plain`.
        for _ in 0..3 {
            let (para, hash) = &headings[rng.below(headings.len())];
            let id = ids[rng.below(ids.len())].to_string();
            ds.push(decision(&coder, para, hash, vec![id], BTreeMap::new()));
        }
        let mut store =
            CoderStore::open(&study.codings_dir(), &coder, OpenMode::ReadWrite).unwrap();
        store.record_all(ds).unwrap();
        store.close().unwrap();
        decisions.insert(coder.clone(), Value::Object(plain));
        coders.push(coder);
    }
    json!({
        "coders": coders,
        "paragraphs": body.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        "decisions": decisions,
        "nodes": cb.nodes.iter().map(|n| json!({
            "id": n.id,
            "parent": n.parent.map(|p| cb.nodes[p].id.clone()),
            "levels": n.scale.as_ref().map(|s| {
                let mut v: Vec<i32> = s.levels.iter().map(|l| l.value).collect();
                v.sort();
                v
            }).unwrap_or_default(),
        })).collect::<Vec<_>>(),
    })
}

fn decision(
    coder: &str,
    para: &str,
    hash: &str,
    nodes: Vec<String>,
    scores: BTreeMap<String, i32>,
) -> Decision {
    Decision {
        para: para.into(),
        hash: hash.into(),
        no_code: nodes.is_empty(),
        nodes,
        scores,
        memo: None,
        coder: coder.into(),
        at: String::new(),
        via: Default::default(),
        derived: None,
        found: None,
    }
}

/// Equal within the last bits of double precision (different summation orders), or both
/// undefined.
fn check(what: &str, ours: &Value, theirs: &Value, compared: &mut usize) {
    match (ours.as_f64(), theirs.as_f64()) {
        (Some(a), Some(b)) => {
            assert!(
                (a - b).abs() <= 1e-12 * b.abs().max(1.0),
                "{what}: polcode {a:?} != oracle {b:?}"
            );
            *compared += 1;
        }
        (None, None) => {}
        _ => panic!("{what}: polcode {ours} vs oracle {theirs}"),
    }
}

#[test]
fn every_agreement_figure_equals_the_python_oracles() {
    let Some(py) = python() else {
        println!(
            "SKIPPED: python with krippendorff, scikit-learn and statsmodels not found (set \
             POLCODE_ORACLE_PYTHON; .ci/run installs them)"
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("study");
    let study = study(&dir);
    let mut rng = Rng(2024);
    let mut cases = Vec::new();
    let mut outputs = Vec::new();
    let plans = [
        (2, 100, 70),
        (2, 60, 60),
        (2, 30, 50),
        (2, 90, 0),
        (3, 100, 60),
        (3, 70, 50),
        (3, 40, 80),
        (4, 100, 50),
        (4, 80, 70),
        (4, 50, 40),
        (2, 15, 90),
        (3, 95, 95),
    ];
    for (i, &(k, decide, copy)) in plans.iter().enumerate() {
        let case = make_case(&study, &mut rng, &format!("k{i}"), k, decide, copy);
        let names: Vec<String> = case["coders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect();
        let mut args: Vec<&str> = vec!["agree"];
        args.extend(names.iter().map(String::as_str));
        args.extend(["-f", "json", "--bootstrap", "200"]);
        let out: Value = serde_json::from_str(&polcode(&dir, &args)).expect("json");
        // The default text tables (coding and rubric scores) fit in 120 columns.
        let text_args: Vec<&str> = args[..args.len() - 4].to_vec();
        let text = polcode(&dir, &text_args);
        let widest = text
            .lines()
            .map(unicode_width::UnicodeWidthStr::width)
            .max()
            .unwrap_or(0);
        assert!(widest <= 120, "{widest} columns:\n{text}");
        cases.push(case);
        outputs.push(out);
    }
    let input = tmp.path().join("cases.json");
    std::fs::write(&input, serde_json::to_vec(&cases).unwrap()).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/agree_oracle.py");
    let out = Command::new(&py).arg(&script).arg(&input).output().unwrap();
    assert!(
        out.status.success(),
        "oracle: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let oracle: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut compared = 0;
    for (i, (ours, theirs)) in outputs
        .iter()
        .zip(oracle["results"].as_array().unwrap())
        .enumerate()
    {
        let two = cases[i]["coders"].as_array().unwrap().len() == 2;
        let mut measures = vec![
            "units",
            "units_all_rated",
            "percent_agreement",
            "fleiss_kappa",
            "alpha",
        ];
        if two {
            measures.push("cohen_kappa");
        }
        let rows = ours["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["id"].as_str().unwrap().to_string(), r.clone()))
            .chain(std::iter::once(("*".to_string(), ours["pooled"].clone())));
        for (id, row) in rows {
            let o = if id == "*" {
                &theirs["pooled"]
            } else {
                &theirs["nodes"][&id]
            };
            for m in &measures {
                check(
                    &format!("case {i} node {id} {m}"),
                    &row[m],
                    &o[m],
                    &mut compared,
                );
            }
            // The interval brackets α whenever both exist.
            if let (Some(a), Some(ci)) = (row["alpha"].as_f64(), row["alpha_ci95"].as_array()) {
                let (lo, hi) = (ci[0].as_f64().unwrap(), ci[1].as_f64().unwrap());
                assert!(
                    lo <= hi && lo <= a + 0.5 && hi >= a - 0.5,
                    "{id}: {lo} {a} {hi}"
                );
            }
        }
        let mut score_measures = vec!["units", "alpha_ordinal", "alpha_interval"];
        if two {
            score_measures.extend(["kappa_linear", "kappa_quadratic"]);
        }
        for row in ours["scores"].as_array().unwrap() {
            let id = row["id"].as_str().unwrap();
            for m in &score_measures {
                check(
                    &format!("case {i} scores {id} {m}"),
                    &row[m],
                    &theirs["scores"][id][m],
                    &mut compared,
                );
            }
        }
        let pooled = ours["scores_pooled"].as_array().unwrap();
        assert_eq!(pooled.len(), 2, "two scales: 0–4 and 1–4");
        for row in pooled {
            let key = match row["scale"].as_str().unwrap() {
                "0–4" => "0,1,2,3,4",
                "1–4" => "1,2,3,4",
                s => panic!("scale {s}"),
            };
            for m in &score_measures {
                check(
                    &format!("case {i} scores pooled {key} {m}"),
                    &row[m],
                    &theirs["scores_pooled"][key][m],
                    &mut compared,
                );
            }
        }
        // The headings' decisions were ignored and reported.
        for c in cases[i]["coders"].as_array().unwrap() {
            assert!(ours["non_body_decisions_ignored"][c.as_str().unwrap()].as_u64() >= Some(1));
        }
    }
    println!(
        "{compared} figures equal to the oracles ({})",
        oracle["versions"]
    );
    assert!(compared > 500, "only {compared} figures compared");
}
