//! Imports the 41 real policy documents of `../shared/corpus` with their metadata CSV and checks
//! the splitting on their real formatting quirks (see that folder's README). Skipped, with a
//! message, when the corpus is not present.

use std::path::{Path, PathBuf};

use polcode_core::corpus::import::{read_document, read_meta_csv, ImportOptions};
use polcode_core::corpus::lines::{is_page_number, parse_marker, trim_pad, MarkerKind};
use polcode_core::corpus::{Document, Level, ParaKind};

fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    dir.join("metadata.csv").exists().then_some(dir)
}

/// All documents, imported once, in file-name order.
fn import_all(dir: &Path) -> Vec<(String, Document, Vec<String>)> {
    let opts = ImportOptions {
        meta: Some(read_meta_csv(&dir.join("metadata.csv")).expect("metadata.csv parses")),
        ..ImportOptions::default()
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut errors = Vec::new();
    let mut docs = Vec::new();
    for f in &files {
        match read_document(f, &opts) {
            Ok(imp) => {
                let name = f.file_name().unwrap().to_string_lossy().into_owned();
                docs.push((name, imp.doc, imp.warnings));
            }
            Err(e) => errors.push(e.to_string()),
        }
    }
    assert!(errors.is_empty(), "import errors: {errors:#?}");
    docs
}

fn doc<'a>(docs: &'a [(String, Document, Vec<String>)], prefix: &str) -> &'a Document {
    &docs
        .iter()
        .find(|(n, _, _)| n.starts_with(prefix))
        .unwrap()
        .1
}

fn bodies(d: &Document) -> Vec<&str> {
    d.paragraphs
        .iter()
        .filter(|p| p.kind == ParaKind::Body)
        .map(|p| p.text.as_str())
        .collect()
}

#[test]
#[cfg_attr(
    polcode_no_shared,
    ignore = "needs ../shared (absent when the tests were built; touch build.rs after adding it)"
)]
fn real_corpus_imports_and_splits_right() {
    let Some(dir) = corpus_dir() else {
        println!("skipped: ../shared/corpus is not present");
        return;
    };
    let docs = import_all(&dir);
    assert_eq!(docs.len(), 41);
    for (name, d, warnings) in &docs {
        assert!(warnings.is_empty(), "{name}: {warnings:?}");
        assert!(!d.paragraphs.is_empty(), "{name}");
        for p in &d.paragraphs {
            assert!(
                !is_page_number(&p.text),
                "{name}#{}: page number {:?}",
                p.n,
                p.text
            );
            assert!(
                !p.text.chars().any(|c| c.is_control()),
                "{name}#{}: control character",
                p.n
            );
            assert!(
                !p.text.is_empty() && p.text == trim_pad(&p.text),
                "{name}#{}",
                p.n
            );
        }
        let numbers: Vec<u32> = d.paragraphs.iter().map(|p| p.n).collect();
        assert_eq!(numbers, (1..=d.paragraphs.len() as u32).collect::<Vec<_>>());
        // Every document with `一、` numbering has recognised headings with section paths.
        if d.paragraphs.iter().any(|p| p.text.starts_with("二、")) {
            assert!(
                d.paragraphs
                    .iter()
                    .any(|p| p.section.starts_with("二、") && p.kind != ParaKind::NonBody),
                "{name}: no paragraph in section 二、"
            );
        }
    }
    hard_wrapped_files_are_rejoined(&docs);
    regulations_split_at_articles(&dir, &docs);
    headings_and_sections(&docs);
    non_body_lines(&docs);
    regions_and_places(&docs);
}

fn hard_wrapped_files_are_rejoined(docs: &[(String, Document, Vec<String>)]) {
    // A sentence of each file that the PDF extraction broke over lines (and, in 10, over a
    // page number), which must come back whole in one paragraph.
    let whole = [
        ("10_", "紧扣检测装备精准、可靠、智能、集成发展趋势"),
        (
            "11_",
            "第十四个五年规划和 2035 年远景目标纲要》，加快推动智能制造发展，编制本规划。",
        ),
        (
            "12_",
            "智慧健康养老产业是以智能产品和信息系统平台为载体，面向人民群众的健康及养老服务需求",
        ),
    ];
    for (prefix, sentence) in whole {
        let d = doc(docs, prefix);
        let b = bodies(d);
        assert!(
            b.iter().any(|t| t.contains(sentence)),
            "{prefix}: sentence not whole"
        );
        let mut lens: Vec<usize> = b.iter().map(|t| t.chars().count()).collect();
        lens.sort_unstable();
        let median = lens[lens.len() / 2];
        assert!(
            median > 60,
            "{prefix}: median body paragraph {median} chars"
        );
        // The TOC of 11 is non-body, and no body paragraph ends in the middle of a line
        // that the wrap width would have continued.
        if prefix == "11_" {
            assert!(d.paragraphs[..18]
                .iter()
                .all(|p| p.kind == ParaKind::NonBody));
        }
    }
}

fn regulations_split_at_articles(dir: &Path, docs: &[(String, Document, Vec<String>)]) {
    for (prefix, last) in [("34_", 57), ("35_", 49)] {
        let d = doc(docs, prefix);
        let name = &docs
            .iter()
            .find(|(n, _, _)| n.starts_with(prefix))
            .unwrap()
            .0;
        let raw = std::fs::read_to_string(dir.join("docs").join(name)).unwrap();
        let raw_articles = raw
            .lines()
            .filter(|l| parse_marker(trim_pad(l)).is_some_and(|m| m.kind == MarkerKind::Article))
            .count();
        let articles: Vec<&str> = d
            .paragraphs
            .iter()
            .filter(|p| parse_marker(&p.text).is_some_and(|m| m.kind == MarkerKind::Article))
            .map(|p| p.section.as_str())
            .collect();
        assert_eq!(articles.len(), last, "{prefix}");
        assert_eq!(articles.len(), raw_articles, "{prefix}");
        // Each article paragraph carries its chapter and article in its section path.
        assert!(articles
            .iter()
            .all(|s| s.starts_with('第') && s.contains('章') && s.ends_with('条')));
        assert!(d
            .paragraphs
            .iter()
            .filter(|p| p.kind == ParaKind::Heading)
            .any(|p| p.text.starts_with("第一章")));
    }
    let d = doc(docs, "34_");
    let p = d
        .paragraphs
        .iter()
        .find(|p| p.text.starts_with("第五条"))
        .unwrap();
    assert_eq!(
        (p.kind, p.section.as_str()),
        (ParaKind::Body, "第一章第五条")
    );
    let d = doc(docs, "35_");
    let p = d
        .paragraphs
        .iter()
        .find(|p| p.text.starts_with("第一条"))
        .unwrap();
    assert_eq!(
        p.kind,
        ParaKind::Heading,
        "a caption-only article is a heading"
    );
    let next = &d.paragraphs[p.n as usize];
    assert_eq!(
        (next.kind, next.section.as_str()),
        (ParaKind::Body, "第一章第一条")
    );
}

fn headings_and_sections(docs: &[(String, Document, Vec<String>)]) {
    let d = doc(docs, "01_");
    let h = d
        .paragraphs
        .iter()
        .find(|p| p.text == "一、战略态势")
        .unwrap();
    assert_eq!((h.kind, h.section.as_str()), (ParaKind::Heading, "一、"));
    // 02: a sub-heading alone on its line, then its body in the nested section.
    let d = doc(docs, "02_");
    let h = d
        .paragraphs
        .iter()
        .find(|p| p.text == "（一）指导思想")
        .unwrap();
    assert_eq!(
        (h.kind, h.section.as_str()),
        (ParaKind::Heading, "一、（一）")
    );
    assert_eq!(d.paragraphs[h.n as usize].section, "一、（一）");
    // 07: inline （一） headings stay with their body as one body paragraph.
    let d = doc(docs, "07_");
    let p = d
        .paragraphs
        .iter()
        .find(|p| p.text.starts_with("（一）指导思想。"))
        .unwrap();
    assert_eq!((p.kind, p.section.as_str()), (ParaKind::Body, "一、（一）"));
    assert!(p.text.chars().count() > 40);
    // 24: `1．` items with a full-width period.
    let d = doc(docs, "24_");
    assert!(d.paragraphs.iter().any(|p| p.section == "一、1．"));
    // 25: `（1）` items below `1.`-level numbering.
    let d = doc(docs, "25_");
    assert!(d.paragraphs.iter().any(|p| p.section.ends_with("（1）")));
}

fn non_body_lines(docs: &[(String, Document, Vec<String>)]) {
    for prefix in ["31_", "32_", "33_", "34_", "35_"] {
        let d = doc(docs, prefix);
        for key in ["【法宝引证码】", "原文链接"] {
            let p = d.paragraphs.iter().find(|p| p.text.starts_with(key));
            assert_eq!(p.map(|p| p.kind), Some(ParaKind::NonBody), "{prefix} {key}");
        }
        // The title is given twice at the top; both copies are non-body.
        assert!(
            d.paragraphs[2].kind == ParaKind::NonBody && d.paragraphs[3].kind == ParaKind::NonBody
        );
    }
    for prefix in ["36_", "37_", "38_", "39_", "40_"] {
        let d = doc(docs, prefix);
        let n = d.paragraphs.len();
        let tail: Vec<ParaKind> = d.paragraphs[n - 3..].iter().map(|p| p.kind).collect();
        assert_eq!(
            tail,
            [ParaKind::NonBody; 3],
            "{prefix}: signature, date, release note"
        );
        assert_eq!(d.paragraphs[n - 1].text, "（此件公开发布）");
        // Title (joined from its 2–3 lines), document number and addressee come first.
        assert!(
            d.paragraphs[..3]
                .iter()
                .all(|p| p.kind == ParaKind::NonBody),
            "{prefix}"
        );
        assert!(d.paragraphs[0].text.ends_with("意见") || d.paragraphs[0].text.ends_with("通知"));
        assert_eq!(
            d.paragraphs[3].kind,
            ParaKind::Body,
            "{prefix}: preamble is body"
        );
    }
    let d = doc(docs, "19_");
    let n = d.paragraphs.len();
    assert!(
        d.paragraphs[n - 1].text.ends_with("印发") && d.paragraphs[n - 1].kind == ParaKind::NonBody
    );
    assert!(
        d.paragraphs[n - 2].text.starts_with("抄送")
            && d.paragraphs[n - 2].kind == ParaKind::NonBody
    );
}

fn regions_and_places(docs: &[(String, Document, Vec<String>)]) {
    for (name, d, _) in docs {
        let m = &d.meta;
        let num: u32 = name[..2].parse().unwrap();
        let expected = match num {
            1..=17 | 36..=41 => "national",
            18..=30 | 33..=35 => "east",
            31 | 32 => "central",
            _ => unreachable!(),
        };
        assert_eq!(m.region, expected, "{name}");
        if expected == "national" {
            assert_eq!(
                (m.level, m.province.as_str()),
                (Level::National, ""),
                "{name}"
            );
        }
        if (24..=27).contains(&num) {
            assert_eq!(
                (m.level, m.city.as_str(), m.province.as_str()),
                (Level::Municipal, "济南", "山东"),
                "{name}"
            );
        }
        if (18..=30).contains(&num) {
            assert_eq!(m.province, "山东", "{name}");
        }
        assert!(
            !m.title.contains('[') && !m.title.is_empty(),
            "{name}: {}",
            m.title
        );
        assert_eq!(m.content_hash.len(), 16);
    }
}
