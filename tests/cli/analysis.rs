//! `stats`, `freq`, `chart`, `agree`, `eval` and `suggest report` on a hand-coded demo.

use super::*;

// ---------------------------------------------------------------------------------------------
// stats
// ---------------------------------------------------------------------------------------------

/// Column `heading` of the row `id` in a JSON table.
fn cell(table: &serde_json::Value, id: &str, heading: &str) -> serde_json::Value {
    let rows = rows_by_id(table);
    let row = rows.get(id).unwrap_or_else(|| panic!("no row {id}"));
    row.get(heading)
        .unwrap_or_else(|| panic!("no column {heading:?} in {}", table["header"]))
        .clone()
}

fn approx(v: &serde_json::Value, want: f64) {
    let got = v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"));
    assert!((got - want).abs() < 0.006, "got {got}, want {want:.4}");
}

#[test]
fn stats_tally_and_coverage_match_a_hand_count() {
    let env = Env::new();
    let demo = env.demo();
    code_demo(&demo);
    let stats = |args: &[&str]| {
        let mut all = vec!["stats", "--format", "json"];
        all.extend_from_slice(args);
        parse_json(&env.ok_in(&demo, &all))
    };

    // Tally by region: national = documents 01 and 02, east = 03 and 04 (中央 / 东部 in the headings).
    let t = stats(&["--what", "tally"]);
    let tally = &t[0];
    assert!(tally["title"]
        .as_str()
        .unwrap()
        .starts_with("Tally by region"));
    for (id, nat_docs, nat_refs, east_docs, east_refs) in [
        ("supply", 1, 2, 1, 1), // nat1 and nat2 (coded at two children, counted once), gz1
        ("supply.human-resources", 1, 2, 1, 1),
        ("supply.capital-investment", 1, 1, 0, 0),
        ("environment", 0, 0, 1, 1),
        ("environment.tax-incentives", 0, 0, 1, 1),
        ("demand", 0, 0, 0, 0),
    ] {
        assert_eq!(cell(tally, id, "中央 docs"), nat_docs, "{id}");
        assert_eq!(cell(tally, id, "中央 refs"), nat_refs, "{id}");
        assert_eq!(cell(tally, id, "东部 docs"), east_docs, "{id}");
        assert_eq!(cell(tally, id, "东部 refs"), east_refs, "{id}");
        assert_eq!(cell(tally, id, "西部 refs"), 0, "{id}");
    }
    assert_eq!(cell(tally, "supply", "total docs"), 2);
    assert_eq!(cell(tally, "supply", "total refs"), 3);

    // Coverage: characters of coded body paragraphs over body characters.
    let chars = |doc: &str| -> Vec<usize> { body_paras(&demo, doc).iter().map(|p| p.2).collect() };
    let (nat, bj, gz) = (chars(NAT), chars(BJ), chars(GZ));
    let total = |v: &[usize]| v.iter().sum::<usize>() as f64;
    let cov = stats(&["--what", "coverage"]);
    assert_eq!(cov.as_array().unwrap().len(), 3, "three aggregations");
    let (mean, pooled, sum) = (&cov[0], &cov[1], &cov[2]);
    assert!(mean["title"]
        .as_str()
        .unwrap()
        .contains("mean of document coverages"));
    assert!(pooled["title"]
        .as_str()
        .unwrap()
        .contains("total coded characters"));
    assert!(sum["title"]
        .as_str()
        .unwrap()
        .contains("sum of document coverages"));
    let nat_supply = 100.0 * (nat[0] + nat[1]) as f64 / total(&nat);
    let gz_supply = 100.0 * gz[0] as f64 / total(&gz);
    let bj_env = 100.0 * bj[0] as f64 / total(&bj);
    // The national group also holds document 02, which has no codes.
    approx(&cell(mean, "supply", "中央 coverage"), nat_supply / 2.0);
    approx(&cell(sum, "supply", "中央 coverage"), nat_supply);
    approx(&cell(mean, "supply", "东部 coverage"), gz_supply / 2.0); // 03 has none
    approx(&cell(sum, "supply", "东部 coverage"), gz_supply);
    approx(
        &cell(pooled, "supply", "东部 coverage"),
        100.0 * gz[0] as f64 / (total(&bj) + total(&gz)),
    );
    approx(&cell(mean, "environment", "东部 coverage"), bj_env / 2.0);
    approx(
        &cell(sum, "supply.capital-investment", "中央 coverage"),
        100.0 * nat[1] as f64 / total(&nat),
    );
    approx(&cell(mean, "demand", "东部 coverage"), 0.0);

    // all = tally + three coverage tables (no rubric: policy-tools has no scales).
    assert_eq!(stats(&[]).as_array().unwrap().len(), 4);
}

#[test]
fn stats_by_every_grouping_and_in_every_format() {
    let env = Env::new();
    let demo = env.demo();
    code_demo(&demo);
    let tally = |by: &str| {
        parse_json(&env.ok_in(
            &demo,
            &["stats", "--what", "tally", "--by", by, "-f", "json"],
        ))
    };
    let t = tally("level");
    assert_eq!(cell(&t[0], "supply", "national refs"), 2);
    assert_eq!(cell(&t[0], "supply", "municipal refs"), 1); // Guangzhou
    assert_eq!(cell(&t[0], "environment", "provincial refs"), 1); // Beijing
    let t = tally("province");
    assert_eq!(cell(&t[0], "environment", "北京 refs"), 1);
    assert_eq!(cell(&t[0], "supply", "广东 refs"), 1);
    let t = tally("year");
    assert_eq!(cell(&t[0], "supply", "2025 refs"), 3);
    let t = tally("kind");
    assert_eq!(cell(&t[0], "supply", "total refs"), 3);
    let t = tally("document");
    assert_eq!(cell(&t[0], "supply", &format!("{NAT} refs")), 2);
    assert_eq!(cell(&t[0], "supply", &format!("{GZ} docs")), 1);
    assert_eq!(cell(&t[0], "supply", &format!("{BJ} refs")), 0);
    let t = tally("none");
    assert_eq!(cell(&t[0], "supply", "refs"), 3);

    // CSV: tidy, one row per figure, plain numbers, names without indentation.
    let csv = env.ok_in(&demo, &["stats", "--what", "tally", "-f", "csv"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("table,group,node_id,node,measure,value"),
        "{csv}"
    );
    assert!(
        csv.contains("\ntally,total,supply,供给型 Supply-side tools,docs,2\n")
            && csv.contains("\ntally,total,supply,供给型 Supply-side tools,refs,3\n"),
        "{csv}"
    );
    assert!(!csv.contains(",  "), "no indentation: {csv}");
    let all = env.ok_in(&demo, &["stats", "-f", "csv"]);
    let tables: std::collections::BTreeSet<&str> = all
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .collect();
    assert_eq!(
        tables.into_iter().collect::<Vec<_>>(),
        ["coverage_mean", "coverage_ratio", "coverage_sum", "tally"],
        "{all}"
    );
    assert!(!all.contains('%'), "numbers without %: {all}");
    // Markdown: a heading and a pipe table; compact by default, every column with --wide.
    let md = env.ok_in(&demo, &["stats", "--what", "tally", "-f", "md"]);
    assert!(
        md.contains("| node | 中央 |") && md.contains("| --- |"),
        "{md}"
    );
    let md = env.ok_in(&demo, &["stats", "--what", "tally", "-f", "md", "--wide"]);
    assert!(md.contains("| id | node | 中央 docs | 中央 refs |"), "{md}");
    // Text, all tables.
    let text = env.ok_in(&demo, &["stats"]);
    assert!(
        text.contains("Tally by region") && text.contains("Coverage by region"),
        "{text}"
    );
    assert!(text.contains("人才培养"), "{text}");

    // A value outside a flag's fixed set is a usage error (exit 2) naming the value and the
    // choices; the same spellings as before still work, in any case where they did.
    for (args, want) in [
        (&["stats", "--by", "planet"][..], "region, level, province"),
        (&["stats", "--format", "xml"], "text, csv, md, json"),
        (
            &["stats", "--what", "everything"],
            "tally, coverage, rubric, all",
        ),
        (&["stats", "--pool", "soup"], "pooled, union"),
    ] {
        let err = env.usage_error(&[&["--study", demo.to_str().unwrap()][..], args].concat());
        assert!(
            err.contains(want) && err.contains(args[2]),
            "{args:?}: {err}"
        );
    }
    let d = demo.to_str().unwrap();
    let csv = env.ok(&["--study", d, "stats", "--what", "tally", "-f", "csv"]);
    assert_eq!(
        env.ok(&["--study", d, "stats", "--what", "tally", "-f", "CSV", "--by", "Region"]),
        csv
    );
    // Bad values only the study can refuse fail as before (exit 1).
    for (args, want) in [
        (&["stats", "--coder", "nobody"][..], "no coder \"nobody\""),
        (&["stats", "--what", "rubric"], "no node with a scale"),
    ] {
        let err = env.fails(&[&["--study", d][..], args].concat());
        assert!(err.contains(want), "{args:?}: {err}");
    }
    // A study without coders says how to get some.
    let fresh = env.path().join("fresh");
    env.ok(&["init", fresh.to_str().unwrap()]);
    let err = env.fails(&["--study", fresh.to_str().unwrap(), "stats"]);
    assert!(err.contains("no coders in this study yet"), "{err}");
}

#[test]
fn stats_rubric_scores_on_the_planning_codebook() {
    let env = Env::new();
    let demo = env.demo();
    let s = env.path().join("plans");
    env.ok(&[
        "init",
        s.to_str().unwrap(),
        "--codebook",
        "planning-quality",
    ]);
    let src = demo.join("sources");
    env.ok_in(
        &s,
        &[
            "import",
            src.to_str().unwrap(),
            "--meta",
            src.join("meta.csv").to_str().unwrap(),
        ],
    );
    let paras = body_paras(&s, BJ);
    let st = Study::open(&s).unwrap();
    let scored: Vec<&str> = st
        .codebook
        .nodes
        .iter()
        .filter(|n| n.scale.is_some())
        .map(|n| n.id.as_str())
        .collect();
    let goals = *scored
        .iter()
        .find(|id| **id == "goals")
        .expect("a goals node");
    let mut store = CoderStore::open(&s.join("codings"), "alice", OpenMode::ReadWrite).unwrap();
    let p = st.paragraph(&paras[0].0).unwrap();
    store
        .record(Decision {
            para: paras[0].0.clone(),
            hash: p.para.hash.clone(),
            nodes: vec![goals.to_string()],
            no_code: false,
            scores: BTreeMap::from([(goals.to_string(), 3)]),
            memo: Some("量化目标：产业规模超过500亿元".into()),
            coder: "alice".into(),
            at: String::new(),
            via: Default::default(),
            derived: None,
            found: None,
        })
        .unwrap();
    store.close().unwrap();
    let r = parse_json(&env.ok_in(&s, &["stats", "--what", "rubric", "-f", "json"]));
    let heading = r[0]["header"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap())
        .find(|h| h.starts_with("东部") && h.ends_with("mean"))
        .expect("an east mean column")
        .to_string();
    approx(&cell(&r[0], "goals", &heading), 3.0);
    assert!(env.ok_in(&s, &["check"]).contains("ok: no problems found"));
}

// ---------------------------------------------------------------------------------------------
// freq, chart
// ---------------------------------------------------------------------------------------------

#[test]
fn freq_counts_chinese_words_per_group() {
    let env = Env::new();
    let demo = env.demo();
    let out = env.ok_in(&demo, &["freq", "--top", "10"]);
    assert!(out.contains("word") && out.contains("weighted %"), "{out}");
    // Words of the demo texts, and the study's stop words left out.
    for w in ["企业", "支持", "应用"] {
        assert!(out.contains(w), "{w}: {out}");
    }
    assert!(
        !out.lines()
            .any(|l| l.split_whitespace().nth(2) == Some("措施")),
        "{out}"
    );

    let csv = env.ok_in(
        &demo,
        &["freq", "--top", "3", "--by", "region", "-f", "csv"],
    );
    // Tidy: `table, group, group_label, rank, word, measure, value`.
    assert!(
        csv.starts_with("table,group,group_label,rank,word,measure,value\n"),
        "{csv}"
    );
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let groups: std::collections::BTreeSet<String> =
        rows.records().map(|r| r.unwrap()[2].to_string()).collect();
    assert_eq!(groups.len(), 5, "five regions: {csv}");
    assert!(groups.contains("东北"), "{groups:?}");
    assert!(csv.contains("\nfreq,northeast,东北,1,"), "{csv}");

    let j = parse_json(&env.ok_in(&demo, &["freq", "--top", "5", "-f", "json"]));
    let rows = j["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    let counts: Vec<i64> = rows.iter().map(|r| r["count"].as_i64().unwrap()).collect();
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "sorted by count: {counts:?}"
    );
    assert!(rows.iter().all(|r| r["length"].as_i64().unwrap() >= 2));

    let err = env.usage_error(&["--study", demo.to_str().unwrap(), "freq", "--by", "galaxy"]);
    assert!(err.contains("galaxy"), "{err}");
    env.usage_error(&["--study", demo.to_str().unwrap(), "freq", "--top", "many"]);
}

#[test]
fn search_lists_hits_in_context_aligned_and_counts_by_group() {
    use unicode_width::UnicodeWidthStr;
    let env = Env::new();
    let demo = env.demo();
    let out = env.ok_in(&demo, &["search", "区块链|供应链金融", "--context", "6"]);
    // Text: every hit starts in the same display column (CJK characters are two wide).
    let hit_lines: Vec<&str> = out.lines().filter(|l| l.contains("#")).collect();
    assert!(hit_lines.len() > 20, "{out}");
    let cols: std::collections::BTreeSet<usize> = hit_lines
        .iter()
        .map(|l| {
            let at = ["区块链", "供应链金融"]
                .iter()
                .filter_map(|h| l.find(&format!("  {h}  ")))
                .min()
                .expect("the hit between two-space gaps");
            l[..at].width()
        })
        .collect();
    assert_eq!(cols.len(), 1, "hits not aligned: {out}");
    assert!(
        out.contains("hits in") && out.contains("paragraphs of"),
        "{out}"
    );

    let j = parse_json(&env.ok_in(&demo, &["search", "供应链金融", "-f", "json"]));
    let rows = j["rows"].as_array().unwrap();
    assert!(!rows.is_empty());
    for r in rows {
        assert_eq!(r["hit"], "供应链金融");
        let para = r["paragraph"].as_str().unwrap();
        assert!(para.starts_with(r["document"].as_str().unwrap()), "{r}");
    }
    let csv = env.ok_in(&demo, &["search", "供应链金融", "-f", "csv"]);
    assert!(
        csv.starts_with("document,region,level,paragraph,left,hit,right\n"),
        "{csv}"
    );
    let md = env.ok_in(
        &demo,
        &["search", "供应链金融", "--by", "region", "-f", "md"],
    );
    assert!(md.contains("| region | documents with hits |"), "{md}");
    assert!(md.contains("| total |"), "{md}");

    // Options: a regular expression, synonym groups of polcode.yaml, whole words.
    let n = |args: &[&str]| -> usize {
        let mut a = vec!["search"];
        a.extend_from_slice(args);
        a.extend(["-f", "json"]);
        parse_json(&env.ok_in(&demo, &a))["rows"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(n(&["-r", "供应链金?融"]), n(&["供应链金融|供应链融"]));
    let yaml = demo.join("polcode.yaml");
    let cfg = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, format!("{cfg}synonyms:\n- [供应链金融, 存证]\n")).unwrap();
    assert_eq!(n(&["--synonyms", "存证"]), n(&["供应链金融|存证"]));
    assert!(n(&["-w", "区块"]) <= n(&["区块"]));

    for (args, says) in [
        (vec!["search", "a||b"], "empty alternative"),
        (vec!["search", "-r", "a("], "invalid regular expression"),
        (vec!["search", "-r", "-s", "a"], "synonyms"),
    ] {
        let mut a = vec!["--study", demo.to_str().unwrap()];
        a.extend(args);
        let err = env.fails(&a);
        assert!(err.contains(says), "{says}: {err}");
    }
    let err = env.usage_error(&[
        "--study",
        demo.to_str().unwrap(),
        "search",
        "x",
        "--by",
        "galaxy",
    ]);
    assert!(
        err.contains("galaxy") && err.contains("region, level"),
        "{err}"
    );
}

#[test]
fn chart_writes_valid_svg() {
    let env = Env::new();
    let demo = env.demo();
    code_demo(&demo);
    let svg = env.ok_in(&demo, &["chart"]);
    assert!(
        svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
        "{svg}"
    );
    for label in ["供给型", "环境型", "需求型", "东部", "东北"] {
        assert!(svg.contains(label), "{label}");
    }
    let out = env.path().join("supply.svg");
    let err = stderr(&env.run_in(
        &demo,
        &[
            "chart",
            "--metric",
            "refs",
            "--children-of",
            "supply",
            "--by",
            "level",
            "--lang",
            "en",
            "-o",
            out.to_str().unwrap(),
        ],
    ));
    assert!(err.contains("wrote"), "{err}");
    let file = fs::read_to_string(&out).unwrap();
    assert!(
        file.contains(">Talent and training<"),
        "children of supply, in English"
    );
    assert!(!file.contains("人才培养"), "one language");
    assert!(file.contains("reference points"));
    assert!(file.contains("municipal"));
    // Chinese by default, every region shown, the empty ones marked.
    assert!(svg.contains("参考点数") || svg.contains("覆盖率"), "{svg}");
    for region in ["中央", "东部", "中部", "西部", "东北"] {
        assert!(
            svg.contains(&format!(">{region}</text>")),
            "{region}: {svg}"
        );
    }
    if std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok()
    {
        fs::write(env.path().join("region.svg"), &svg).unwrap();
        for f in ["region.svg", "supply.svg"] {
            let st = std::process::Command::new("xmllint")
                .args(["--noout", f])
                .current_dir(env.path())
                .output()
                .unwrap();
            assert!(st.status.success(), "{f}: {}", stderr(&st));
        }
    } else {
        println!("xmllint not installed: SVG checked by text only");
    }
    let d = demo.to_str().unwrap();
    assert!(env
        .fails(&["--study", d, "chart", "--children-of", "supply.nonsense"])
        .contains("supply.nonsense"));
    assert!(env
        .usage_error(&["--study", d, "chart", "--metric", "pie"])
        .contains("coverage, refs"));
    // A chart has no --format (it would have been ignored).
    env.usage_error(&["--study", d, "chart", "--format", "csv"]);
    let err = env.fails(&["--study", d, "chart", "-o", "/nonexistent-dir/c.svg"]);
    assert!(err.contains("/nonexistent-dir/c.svg"), "{err}");
    assert!(env
        .usage_error(&["--study", d, "chart", "--lang", "fr"])
        .contains("zh, en"));
}

/// PNG and text-as-paths SVG, drawn in-process with the system's fonts: the Chinese text is
/// drawn (not empty boxes), and the paths SVG looks the same with no font at all.
#[test]
fn chart_png_and_paths_render_chinese() {
    use polcode_core::stats::chart::render::Fonts;
    use resvg::tiny_skia::Pixmap;
    let fonts = Fonts::system();
    if !fonts.covers('覆') {
        println!("SKIPPED chart_png_and_paths_render_chinese: no Chinese font installed (fonts-noto-cjk)");
        return;
    }
    let env = Env::new();
    let demo = env.demo();
    code_demo(&demo);
    let png = env.path().join("c.png");
    let paths = env.path().join("c.svg");
    env.ok_in(&demo, &["chart", "-o", png.to_str().unwrap()]);
    env.ok_in(
        &demo,
        &["chart", "--text-to-paths", "-o", paths.to_str().unwrap()],
    );
    let bytes = fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG"), "a PNG");
    let text = Pixmap::decode_png(&bytes).unwrap();
    let svg = fs::read_to_string(&paths).unwrap();
    assert!(!svg.contains("<text"), "every text became a path");
    // The paths, drawn with no font at all, give the same picture.
    let bare = Pixmap::decode_png(&Fonts::none().to_png(&svg, 2.0).unwrap()).unwrap();
    assert_eq!((text.width(), text.height()), (bare.width(), bare.height()));
    let differ = text
        .pixels()
        .iter()
        .zip(bare.pixels())
        .filter(|(a, b)| a.red().abs_diff(b.red()) > 64)
        .count();
    assert!(
        differ * 1000 < text.pixels().len(),
        "{differ} pixels differ"
    );
    // The title's Chinese is drawn: dark pixels in the title band.
    let dark_in_title = (0..text.width() * 80)
        .filter(|&i| text.pixels()[i as usize].red() < 100)
        .count();
    assert!(
        dark_in_title > 200,
        "{dark_in_title} dark pixels in the title"
    );
    // Without any font, the same chart as text would be empty boxes: refused, not drawn.
    assert!(!Fonts::none().missing("覆盖率").is_empty());
}

// ---------------------------------------------------------------------------------------------
// agree, eval, suggest report
// ---------------------------------------------------------------------------------------------

#[test]
fn agree_between_two_coders() {
    let env = Env::new();
    let demo = env.demo();
    let ids = code_demo(&demo);
    // bob agrees with alice except on Guangzhou's first paragraph (capital instead of talent).
    code(
        &demo,
        "bob",
        &[
            (&ids[0], &["supply.human-resources"]),
            (
                &ids[1],
                &["supply.human-resources", "supply.capital-investment"],
            ),
            (&ids[2], &["environment.tax-incentives"]),
            (&ids[3], &["supply.capital-investment"]),
            (&ids[4], &[]),
        ],
    );
    let j = parse_json(&env.ok_in(&demo, &["agree", "alice", "bob", "-f", "json", "--list"]));
    let node = |j: &serde_json::Value, id: &str| -> serde_json::Value {
        j["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("no node {id}"))
            .clone()
    };
    // Units: the 5 paragraphs both decided (undecided paragraphs are missing, not "not coded").
    assert_eq!(j["scope"], "decided");
    let talent = node(&j, "supply.human-resources");
    assert_eq!(talent["units"], 5);
    // Talent: alice 3 of the 5, bob 2, one disagreement: po = 4/5, pe = 12/25 → κ = 8/13.
    approx(&talent["percent_agreement"], 80.0);
    approx(&talent["cohen_kappa"], 8.0 / 13.0);
    // Full precision, not rounded to 4 decimals.
    assert_eq!(talent["cohen_kappa"].as_f64(), Some(8.0 / 13.0));
    let ci = talent["alpha_ci95"].as_array().expect("interval");
    assert!(ci[0].as_f64() <= talent["alpha"].as_f64());
    // Same codes throughout: perfect; never used: undefined with a reason, not 0 or 1.
    approx(&node(&j, "environment.tax-incentives")["cohen_kappa"], 1.0);
    let unused = node(&j, "demand.industry-chain");
    assert!(unused["cohen_kappa"].is_null(), "{unused}");
    assert!(
        unused["undefined"]["cohen_kappa"]
            .as_str()
            .unwrap()
            .contains("expected disagreement is 0"),
        "{unused}"
    );
    // The disagreement list names Guangzhou's paragraph.
    let listed = serde_json::to_string(&j["disagreements"]).unwrap();
    assert!(listed.contains(&ids[3]), "{listed}");
    assert!(!listed.contains(&ids[0]), "{listed}");
    // The same seed gives the same interval; another seed another one.
    let again = parse_json(&env.ok_in(&demo, &["agree", "alice", "bob", "-f", "json"]));
    assert_eq!(
        node(&again, "supply.human-resources")["alpha_ci95"],
        talent["alpha_ci95"]
    );

    // The old convention on request: every body paragraph of the documents both coded in.
    let doc = parse_json(&env.ok_in(
        &demo,
        &["agree", "alice", "bob", "-f", "json", "--scope", "document"],
    ));
    assert_eq!(doc["scope"], "document");
    let units = (body_paras(&demo, NAT).len()
        + body_paras(&demo, BJ).len()
        + body_paras(&demo, GZ).len()) as i64;
    assert_eq!(node(&doc, "supply.human-resources")["units"], units);

    // Tidy CSV at full precision.
    let csv = env.ok_in(&demo, &["agree", "alice", "bob", "-f", "csv"]);
    assert!(
        csv.starts_with("table,group,node_id,node,paragraph,coder,measure,value\n"),
        "{csv}"
    );
    // The conventions travel with the figures.
    assert!(
        csv.contains("\nconventions,alice+bob,,,,,scope,decided\n")
            && csv.contains(",bootstrap_seed,1\n"),
        "{csv}"
    );
    // Listed disagreements keep paragraph and coder out of the node columns.
    let listed = env.ok_in(&demo, &["agree", "alice", "bob", "-f", "csv", "--list"]);
    let row = listed
        .lines()
        .find(|l| l.starts_with("disagreements,") && l.contains(",codes,"))
        .expect("a disagreement row");
    let cells: Vec<&str> = row.split(',').collect();
    assert!(
        cells[2].is_empty() && cells[3].is_empty() && cells[4].contains('#'),
        "{row}"
    );
    assert!(cells[5] == "alice" || cells[5] == "bob", "{row}");
    let kappa = format!("{:?}", 8.0f64 / 13.0);
    assert!(
        csv.contains("supply.human-resources,") && csv.contains(&kappa),
        "{csv}"
    );

    let text = env.ok_in(&demo, &["agree", "alice", "bob"]);
    assert!(text.contains("Agreement of alice, bob"), "{text}");
    assert!(text.contains("unit: decided body paragraph"), "{text}");
    let widest = text
        .lines()
        .map(unicode_width::UnicodeWidthStr::width)
        .max()
        .unwrap();
    assert!(widest <= 120, "{widest} columns:\n{text}");
    let d = demo.to_str().unwrap();
    assert!(env
        .fails(&["--study", d, "agree", "alice", "zed"])
        .contains("no coder \"zed\""));
    assert!(env
        .fails(&["--study", d, "agree", "alice", "alice"])
        .contains("twice"));
    assert!(env
        .usage_error(&["--study", d, "agree", "alice", "bob", "-f", "pdf"])
        .contains("pdf"));
}

#[test]
fn eval_and_suggest_report() {
    let env = Env::new();
    let demo = env.demo();
    code_demo(&demo);
    let text = env.ok_in(&demo, &["eval", "--coder", "alice", "--keywords-only"]);
    assert!(
        text.contains("coder alice: 4 paragraphs with codes, 1 no-code, in 3 documents"),
        "{text}"
    );
    assert!(
        text.contains("top-1") && text.contains("supply.human-resources"),
        "{text}"
    );
    let j = parse_json(&env.ok_in(&demo, &["eval", "--coder", "alice", "-f", "json"]));
    assert_eq!(j["coder"], "alice");
    assert_eq!(j["keywords"]["evaluated"], 4);
    let csv = env.ok_in(&demo, &["eval", "--coder", "alice", "-f", "csv"]);
    assert!(
        csv.starts_with("table,group,model,node_id,measure,value\n"),
        "{csv}"
    );
    // The default coder is $POLCODE_CODER.
    assert_ok_with(
        env.cmd()
            .args(["--study", demo.to_str().unwrap(), "eval", "--keywords-only"])
            .env("POLCODE_CODER", "alice"),
        "coder alice",
    );

    let report = env.ok_in(&demo, &["suggest", "report"]);
    assert!(
        report.contains("Rule audit per node: 5 coded paragraphs, coders: alice"),
        "{report}"
    );
    assert!(report.contains("supply.human-resources"));
    let csv = env.ok_in(&demo, &["suggest", "report", "-f", "csv"]);
    assert!(
        csv.starts_with("table,group,node_id,keyword,kind,measure,value\n"),
        "{csv}"
    );

    let d = demo.to_str().unwrap();
    assert!(env
        .fails(&["--study", d, "eval", "--coder", "nobody"])
        .contains("nobody"));
    // Every format the other tables have: Markdown and JSON too.
    let md = env.ok_in(&demo, &["eval", "--coder", "alice", "-f", "md"]);
    assert!(md.contains("| model | top-1 |"), "{md}");
    let j = parse_json(&env.ok_in(&demo, &["suggest", "report", "-f", "json"]));
    assert_eq!(j[0]["table"], "audit_nodes");
    assert!(env
        .usage_error(&["--study", d, "eval", "--coder", "alice", "-f", "xml"])
        .contains("text, csv, md, json"));
    assert!(env
        .usage_error(&["--study", d, "suggest", "report", "-f", "xml"])
        .contains("text, csv, md, json"));
    assert!(env
        .fails(&["--study", d, "suggest", "report", "--coder", "zed"])
        .contains("zed"));
}

#[test]
#[cfg_attr(
    polcode_no_shared,
    ignore = "needs ../shared (absent when the tests were built; touch build.rs after adding it)"
)]
fn devset_load_and_eval_against_two_coders() {
    let Some(corpus) = corpus("devset_load_and_eval_against_two_coders") else {
        return;
    };
    let devset = corpus.join("../devset/devset.yaml");
    if !devset.is_file() {
        println!("SKIPPED devset_load_and_eval_against_two_coders: ../shared/devset is absent");
        return;
    }
    let env = Env::new();
    let study = env.path().join("dev");
    let (c, d, s) = (
        corpus.to_str().unwrap(),
        devset.to_str().unwrap(),
        study.to_str().unwrap(),
    );
    let out = env.ok(&["devset", "load", d, "--corpus", c, "--out", s]);
    assert!(
        out.contains("400 items, 400 matched") && out.contains("coder_a, coder_b"),
        "{out}"
    );
    // Hidden from the help.
    assert!(!env.ok(&["--help"]).contains("devset"));

    let text = env.ok_in(
        &study,
        &["eval", "--coders", "coder_a", "coder_b", "--keywords-only"],
    );
    assert!(
        text.contains("400 paragraphs both decided in 38 documents"),
        "{text}"
    );
    assert!(text.contains("368 with agreed nodes"), "{text}");
    assert!(
        text.contains("Agreed set:") && text.contains("keys:"),
        "{text}"
    );
    let md = env.ok_in(
        &study,
        &["eval", "--coders", "coder_a", "coder_b", "-f", "md"],
    );
    assert!(
        md.contains("| keywords+learning |") && md.contains("### Learning curve"),
        "{md}"
    );
    assert!(md.contains("| 200 |"), "{md}");
    let j = parse_json(&env.ok_in(
        &study,
        &[
            "eval",
            "--coders",
            "coder_a",
            "coder_b",
            "--keywords-only",
            "-f",
            "json",
        ],
    ));
    assert_eq!(j["models"][0]["model"], "keywords");
    assert_eq!(j["models"][0]["coded"], 368);
    assert!(j["notes"].as_array().unwrap().len() >= 5);
    let csv = env.ok_in(
        &study,
        &[
            "eval",
            "--coders",
            "coder_a",
            "coder_b",
            "--keywords-only",
            "-f",
            "csv",
        ],
    );
    assert!(
        csv.starts_with("table,group,model,node_id,measure,value\n"),
        "{csv}"
    );
    assert!(
        csv.contains("\neval_pair_counts,,keywords,,top1,271\n")
            && csv.contains("\neval_pair_counts,,keywords,,top1_of,368\n"),
        "{csv}"
    );

    // Errors: one coder twice, an unknown coder, --coder with --coders, a bad format, and
    // loading into a study that exists.
    assert!(env
        .fails(&["--study", s, "eval", "--coders", "coder_a", "coder_a"])
        .contains("twice"));
    assert!(env
        .fails(&["--study", s, "eval", "--coders", "coder_a", "zed"])
        .contains("zed"));
    // A usage error (clap's exit code 2).
    let both = env.run(&[
        "--study", s, "eval", "--coder", "coder_a", "--coders", "coder_a", "coder_b",
    ]);
    assert_eq!(both.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&both.stderr).contains("cannot be used with"));
    assert!(env
        .usage_error(&["--study", s, "eval", "--coders", "coder_a", "coder_b", "-f", "pdf"])
        .contains("text, csv, md, json"));
    assert!(env
        .fails(&["devset", "load", d, "--corpus", c, "--out", s])
        .contains("already"));
    // The single-coder evaluation still works on the same study.
    let one = env.ok_in(&study, &["eval", "--coder", "coder_a", "--keywords-only"]);
    assert!(
        one.contains("coder coder_a: 370 paragraphs with codes"),
        "{one}"
    );
}

#[test]
fn prior_train_makes_a_model_the_engine_can_read_and_makes_it_again_byte_for_byte() {
    let env = Env::new();
    // The demo as shipped, with its `reference` coder (Env::demo sets it aside).
    let demo = PathBuf::from(env.ok(&["demo"]).trim());
    let spec = format!("{}=reference", demo.display());
    let a = env.path().join("a.tsv");
    let b = env.path().join("b.tsv");
    for out in [&a, &b] {
        let text = env.ok(&["prior", "train", "-o", out.to_str().unwrap(), &spec]);
        assert!(
            text.contains("76 labelled paragraphs (reference)"),
            "{text}"
        );
    }
    let model = fs::read_to_string(&a).unwrap();
    assert_eq!(
        model.as_bytes(),
        fs::read(&b).unwrap(),
        "training is deterministic"
    );
    let prior =
        polcode_core::suggest::prior::Prior::from_tsv(&model).expect("the model reads back");
    assert!(prior.classes.iter().any(|c| c == "supply.human-resources"));
    assert!(prior.classes.iter().any(|c| c == "none"));
    // Hidden from the help; bad specs are refused with the reason.
    assert!(!env.ok(&["--help"]).contains("prior"));
    let out = env.run(&[
        "prior",
        "train",
        "-o",
        a.to_str().unwrap(),
        "no-equals-sign",
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("expected STUDY_DIR=CODER"),
        "{}",
        stderr(&out)
    );
    let out = env.run(&[
        "prior",
        "train",
        "-o",
        a.to_str().unwrap(),
        &format!("{}=nobody", demo.display()),
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("coder nobody has no decisions"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_blind_double_coding_sample_and_agreement_on_it() {
    let env = Env::new();
    let demo = env.demo();
    let d = demo.to_str().unwrap();
    let draw = |seed: &str, extra: &[&str]| -> String {
        let mut args = vec![
            "--study",
            d,
            "sample",
            "--coder",
            "bob",
            "--share",
            "0.2",
            "--stratify",
            "region,level",
            "--seed",
            seed,
        ];
        args.extend_from_slice(extra);
        env.ok(&args)
    };
    let out = draw("3", &[]);
    assert!(out.contains("stratified by region × level"), "{out}");
    let file = demo.join("samples/bob.yaml");
    let first = std::fs::read_to_string(&file).unwrap();
    // Drawn once: a second draw is refused unless asked for.
    assert!(env
        .fails(&["--study", d, "sample", "--coder", "bob"])
        .contains("--redraw"));
    // The same seed draws the same paragraphs; another seed others.
    draw("3", &["--redraw"]);
    let ids = |text: &str| -> Vec<String> {
        let s: polcode_core::sample::Sample = serde_yaml::from_str(text).unwrap();
        s.paragraphs
    };
    let again = std::fs::read_to_string(&file).unwrap();
    assert_eq!(ids(&first), ids(&again));
    draw("4", &["--redraw"]);
    let other = ids(&std::fs::read_to_string(&file).unwrap());
    assert_ne!(ids(&first), other);
    draw("3", &["--redraw"]);
    let sample = ids(&first);
    // 20% of the body paragraphs, each stratum in proportion (largest remainders).
    let s = polcode_core::study::Study::open(&demo).unwrap();
    let body = polcode_core::corpus::body_units(&s.docs).len();
    assert_eq!(sample.len(), (0.2 * body as f64).round() as usize);
    for id in &sample {
        let p = s.paragraph(id).unwrap();
        assert_eq!(p.para.kind, polcode_core::corpus::ParaKind::Body, "{id}");
    }
    // alice codes every sampled paragraph; bob the first half of his sample so far.
    let talent = ["supply.human-resources"];
    let none: [&str; 0] = [];
    let alice: Vec<(&str, &[&str])> = sample
        .iter()
        .enumerate()
        .map(|(i, p)| (p.as_str(), if i % 3 == 0 { &talent[..] } else { &none[..] }))
        .collect();
    code(&demo, "alice", &alice);
    let half = sample.len() / 2;
    code(&demo, "bob", &alice[..half]);
    let j = parse_json(&env.ok_in(&demo, &["agree", "--sample", "-f", "json"]));
    assert_eq!(j["coders"], serde_json::json!(["alice", "bob"]));
    assert!(j["sample"].as_str().unwrap().contains("bob"), "{j}");
    let pooled = &j["pooled"];
    // Overlap so far: the half bob has decided, all alike.
    let leaves = 15;
    assert_eq!(pooled["units"], (half * leaves) as u64);
    approx(&pooled["percent_agreement"], 100.0);
    let text = env.ok_in(&demo, &["agree", "--sample"]);
    assert!(text.contains("double-coding sample"), "{text}");
    // No sample: a clear error.
    assert!(env
        .fails(&["--study", d, "agree", "alice", "carol", "--sample"])
        .contains("no double-coding sample"));
}
