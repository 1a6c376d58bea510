//! Tables that fit: every default table of `docs`, `stats` (each grouping), `freq`, `eval`
//! (one coder and `--coders`), `suggest report` and `agree`, run on the real corpus coded by two
//! coders, is at most 120 display columns wide (a CJK character counts 2) and at most 80 with
//! `--width 80`; `-f csv` is tidy. Skipped when `../shared/corpus` is absent.

use super::*;

use unicode_width::UnicodeWidthStr;

/// The real corpus imported with its metadata, every body paragraph decided by `alice` and
/// `bob` (a sub-tool chosen by position, bob differing on every fifth, some no-code).
fn coded_corpus(env: &Env, corpus: &Path) -> PathBuf {
    let s = empty_study(env);
    let docs = corpus.join("docs");
    let meta = corpus.join("metadata.csv");
    env.ok_in(
        &s,
        &[
            "import",
            docs.to_str().unwrap(),
            "--meta",
            meta.to_str().unwrap(),
        ],
    );
    let study = Study::open(&s).unwrap();
    let leaves: Vec<String> = study
        .codebook
        .nodes
        .iter()
        .filter(|n| n.children.is_empty())
        .map(|n| n.id.clone())
        .collect();
    let mut a: Vec<(String, Vec<&str>)> = Vec::new();
    let mut b: Vec<(String, Vec<&str>)> = Vec::new();
    let mut i = 0usize;
    for d in &study.docs {
        for p in d.paragraphs.iter().filter(|p| p.kind == ParaKind::Body) {
            i += 1;
            let id = d.para_id(p.n);
            let node = leaves[i % leaves.len()].as_str();
            let other = leaves[(i * 7) % leaves.len()].as_str();
            let mine: Vec<&str> = if i.is_multiple_of(9) {
                vec![]
            } else {
                vec![node]
            };
            let theirs: Vec<&str> = if i.is_multiple_of(5) {
                vec![other]
            } else {
                mine.clone()
            };
            a.push((id.clone(), mine));
            b.push((id, theirs));
        }
    }
    let as_refs = |v: &[(String, Vec<&str>)]| -> Vec<(String, Vec<String>)> {
        v.iter()
            .map(|(p, n)| (p.clone(), n.iter().map(|s| s.to_string()).collect()))
            .collect()
    };
    for (coder, list) in [("alice", as_refs(&a)), ("bob", as_refs(&b))] {
        let nodes: Vec<Vec<&str>> = list
            .iter()
            .map(|(_, n)| n.iter().map(String::as_str).collect())
            .collect();
        let decisions: Vec<(&str, &[&str])> = list
            .iter()
            .zip(&nodes)
            .map(|((p, _), n)| (p.as_str(), n.as_slice()))
            .collect();
        code(&s, coder, &decisions);
    }
    s
}

/// The widest line of `text`, in display columns.
fn widest(text: &str) -> (usize, String) {
    text.lines()
        .map(|l| (l.width(), l.to_string()))
        .max_by_key(|(w, _)| *w)
        .unwrap_or_default()
}

const TABLES: &[&[&str]] = &[
    &["docs"],
    &["stats"],
    &["stats", "--by", "level"],
    &["stats", "--by", "province"],
    &["stats", "--by", "year"],
    &["stats", "--by", "kind"],
    &["stats", "--by", "document"],
    &["stats", "--by", "none"],
    &["freq"],
    &["freq", "--by", "region"],
    &["eval", "--coder", "alice"],
    &["eval", "--coders", "alice", "bob"],
    &["suggest", "report"],
    &["agree", "alice", "bob"],
];

#[test]
#[cfg_attr(
    polcode_no_shared,
    ignore = "needs ../shared (absent when the tests were built; touch build.rs after adding it)"
)]
fn every_default_table_fits_120_columns_on_the_real_corpus() {
    let Some(corpus) = corpus("every_default_table_fits_120_columns_on_the_real_corpus") else {
        return;
    };
    let env = Env::new();
    let s = coded_corpus(&env, &corpus);
    for args in TABLES {
        let out = env.ok_in(&s, args);
        let (w, line) = widest(&out);
        println!("{w:4}  polcode {}", args.join(" "));
        assert!(w <= 120, "polcode {args:?}: {w} columns:\n{line}");
        assert!(out.lines().count() > 3, "polcode {args:?}:\n{out}");
        let mut narrow = args.to_vec();
        narrow.extend(["--width", "80"]);
        let out80 = env.ok_in(&s, &narrow);
        let (w, line) = widest(&out80);
        assert!(w <= 80, "polcode {narrow:?}: {w} columns:\n{line}");
        // Usable at 80: every number of the 120-column table is still there.
        let numbers = |t: &str| -> usize {
            t.split_whitespace()
                .filter(|x| {
                    x.chars().any(|c| c.is_ascii_digit())
                        && x.chars().all(|c| c.is_ascii_digit() || "./%()".contains(c))
                })
                .count()
        };
        assert!(
            numbers(&out80) >= numbers(&out) * 9 / 10,
            "polcode {narrow:?} lost figures:\n{out80}"
        );
    }
    // The full layout is wider, and has every column.
    let wide = env.ok_in(&s, &["stats", "--what", "tally", "--wide"]);
    assert!(widest(&wide).0 > 120);
    assert!(wide.contains("supply.public-infrastructure") && wide.contains("东部 docs"));
}

#[test]
#[cfg_attr(
    polcode_no_shared,
    ignore = "needs ../shared (absent when the tests were built; touch build.rs after adding it)"
)]
fn csv_is_tidy_on_the_real_corpus() {
    let Some(corpus) = corpus("csv_is_tidy_on_the_real_corpus") else {
        return;
    };
    let env = Env::new();
    let s = coded_corpus(&env, &corpus);
    for args in TABLES {
        let mut a = args.to_vec();
        a.extend(["-f", "csv"]);
        let csv = env.ok_in(&s, &a);
        let mut r = csv::Reader::from_reader(csv.as_bytes());
        let head: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
        if args[0] == "agree" {
            // Agreement's own layout belongs to `agree`; only the shape is shared.
            continue;
        }
        assert_eq!(&head[..2], ["table", "group"], "{a:?}: {head:?}");
        assert_eq!(
            &head[head.len() - 2..],
            ["measure", "value"],
            "{a:?}: {head:?}"
        );
        let mut n = 0;
        for rec in r.records() {
            let rec = rec.unwrap();
            n += 1;
            let value = &rec[head.len() - 1];
            assert!(
                value.is_empty()
                    || value.parse::<f64>().is_ok()
                    || &rec[head.len() - 2] == "picker_query",
                "{a:?}: value {value:?} is not a number: {rec:?}"
            );
            for f in rec.iter() {
                assert_eq!(f, f.trim(), "{a:?}: padded field in {rec:?}");
            }
        }
        assert!(n > 10, "{a:?}: {n} rows");
    }
    // Titles are not data: no table's title in the CSV.
    let csv = env.ok_in(&s, &["stats", "-f", "csv"]);
    assert!(!csv.contains("Tally by") && !csv.contains('%'), "{csv}");

    // The long export with the paragraph text, for close reading.
    let long = env.ok_in(&s, &["export", "-f", "csv", "--text"]);
    let mut r = csv::Reader::from_reader(long.as_bytes());
    assert_eq!(r.headers().unwrap().iter().next_back(), Some("text"));
    let study = Study::open(&s).unwrap();
    for rec in r.records().take(200) {
        let rec = rec.unwrap();
        let p = study.paragraph(&rec[1]).unwrap();
        assert_eq!(&rec[18], p.para.text, "{rec:?}");
    }
}
