//! REFI-QDA exchange and tidy exports on a small coded study built in code: schema validation
//! with xmllint, referential checks, byte-identical re-export, round trip through import, the
//! importer quirks (renamed .qde, CRLF, BOM, wrong offsets), and CSV/matrix field by field.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::Path;
use std::process::Command;

use polcode_core::codebook::{Codebook, Node};
use polcode_core::corpus::{DocMeta, Document, Kind, Level, ParaKind, Paragraph};
use polcode_core::export::*;
use polcode_core::refi_import::*;
use polcode_core::store::{Codings, Decision, SuggestSource, Via};

const REFI: &str = "../shared/refi";

fn node(id: &str, parent: Option<usize>, zh: &str, en: &str, color: &str) -> Node {
    Node {
        id: id.into(),
        parent,
        depth: usize::from(parent.is_some()),
        name_zh: zh.into(),
        name_en: en.into(),
        definition: format!("{zh}类政策工具。"),
        keywords: vec![zh.into()],
        color: Some(color.into()),
        ..Node::default()
    }
}

fn codebook() -> Codebook {
    let mut nodes = vec![
        node("supply", None, "供给型", "Supply-side", "#1f77b4"),
        node("supply.talent", Some(0), "人才培养", "Talent", "#aec7e8"),
        node(
            "supply.capital",
            Some(0),
            "资金投入",
            "Capital investment",
            "#17becf",
        ),
        node("demand", None, "需求型", "Demand-side", "#d62728"),
        node(
            "demand.scenarios",
            Some(3),
            "应用场景",
            "Application scenarios",
            "#ff9896",
        ),
    ];
    nodes[0].children = vec![1, 2];
    nodes[3].children = vec![4];
    nodes[1].include = "培养、引进人才".into();
    Codebook {
        name: "tools".into(),
        description: String::new(),
        nodes,
    }
}

fn para(n: u32, kind: ParaKind, section: &str, text: &str) -> Paragraph {
    Paragraph {
        n,
        kind,
        section: section.into(),
        hash: polcode_core::fsutil::hash_hex(text.as_bytes(), 16),
        text: text.into(),
    }
}

fn docs() -> Vec<Document> {
    let d1 = Document {
        id: "d1_jinan".into(),
        meta: DocMeta {
            title: "济南市人工智能产业发展行动计划".into(),
            issuer: "济南市人民政府".into(),
            doc_number: "济政发〔2024〕1号".into(),
            date: "2024-03-01".into(),
            level: Level::Municipal,
            province: "山东".into(),
            city: "济南".into(),
            region: "east".into(),
            kind: Kind::Special,
            ..DocMeta::default()
        },
        paragraphs: vec![
            para(1, ParaKind::Heading, "一、", "一、加强人才支撑"),
            para(
                2,
                ParaKind::Body,
                "一、",
                "　　支持高校设立人工智能学院，对引进的领军人才给予最高500万元资助。",
            ),
            para(
                3,
                ParaKind::Body,
                "一、",
                "各区县要\"高度重视\"，确保<各项>任务落实 & 见效。",
            ),
        ],
    };
    let d2 = Document {
        id: "d2_national".into(),
        meta: DocMeta {
            title: "关于加快场景创新的指导意见".into(),
            issuer: "科技部".into(),
            date: "2022".into(),
            level: Level::National,
            region: "national".into(),
            kind: Kind::Related,
            ..DocMeta::default()
        },
        paragraphs: vec![
            para(
                1,
                ParaKind::Body,
                "",
                "在𠀀𠀁等生僻字地名开展智慧农业场景示范🚀，打造应用样板。",
            ),
            para(
                2,
                ParaKind::Body,
                "",
                "鼓励金融机构为场景项目提供贷款贴息😀。",
            ),
            para(3, ParaKind::NonBody, "", "（此件公开发布）"),
        ],
    };
    vec![d1, d2]
}

fn dec(coder: &str, p: &str, nodes: &[&str], memo: Option<&str>, at: &str) -> Decision {
    let text_hash = String::from("h");
    Decision {
        para: p.into(),
        hash: text_hash,
        nodes: nodes.iter().map(|s| s.to_string()).collect(),
        no_code: false,
        scores: BTreeMap::new(),
        memo: memo.map(str::to_string),
        coder: coder.into(),
        at: at.into(),
        via: nodes.iter().map(|n| (n.to_string(), Via::Search)).collect(),
        derived: None,
        found: None,
    }
}

fn codings() -> Vec<Codings> {
    let mut alice = Codings {
        coder: "alice".into(),
        ..Codings::default()
    };
    let mut a1 = dec(
        "alice",
        "d1_jinan#2",
        &["supply.talent", "supply.capital"],
        Some("人才与资金并举；\n见第2段"),
        "2024-05-01T08:00:00Z",
    );
    a1.scores.insert("supply.capital".into(), 3);
    a1.via.insert(
        "supply.talent".into(),
        Via::Suggestion {
            rank: 1,
            source: SuggestSource::Keyword,
        },
    );
    alice.apply(a1);
    let mut a2 = dec("alice", "d1_jinan#3", &[], None, "2024-05-01T08:01:00Z");
    a2.no_code = true;
    alice.apply(a2);
    alice.apply(dec(
        "alice",
        "d2_national#1",
        &["demand.scenarios"],
        None,
        "2024-05-01T08:02:00+08:00",
    ));
    let mut bob = Codings {
        coder: "bob".into(),
        ..Codings::default()
    };
    bob.apply(dec(
        "bob",
        "d1_jinan#2",
        &["supply.talent"],
        None,
        "2024-05-02T09:00:00Z",
    ));
    bob.apply(dec(
        "bob",
        "d2_national#1",
        &["demand.scenarios"],
        Some("含𠀀字的地名"),
        "2024-05-02T09:01:00Z",
    ));
    bob.apply(dec(
        "bob",
        "d2_national#2",
        &["supply.capital"],
        None,
        "2024-05-02T09:02:00Z",
    ));
    vec![alice, bob]
}

fn export() -> Vec<u8> {
    project_qdpx(
        "试点研究",
        &codebook(),
        &docs(),
        &codings(),
        &QdpxOptions::default(),
        None,
    )
    .expect("export")
}

/// Validates `xml` against `schema` with xmllint. Skips (passes) when ../shared is absent;
/// fails when xmllint is missing unless POLCODE_SKIP_XMLLINT=1.
fn xmllint(schema: &str, xml: &[u8]) {
    if !Path::new(REFI).exists() {
        println!("skipped: {REFI} is absent, schema validation not run");
        return;
    }
    if Command::new("xmllint").arg("--version").output().is_err() {
        if std::env::var("POLCODE_SKIP_XMLLINT").as_deref() == Ok("1") {
            println!("skipped: xmllint not installed (POLCODE_SKIP_XMLLINT=1)");
            return;
        }
        panic!("xmllint not found: install it with `apt-get install -y libxml2-utils` (or set POLCODE_SKIP_XMLLINT=1)");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("doc.xml");
    std::fs::write(&f, xml).expect("write");
    let out = Command::new("xmllint")
        .args(["--noout", "--schema", &format!("{REFI}/{schema}")])
        .arg(&f)
        .output()
        .expect("run xmllint");
    assert!(
        out.status.success(),
        "xmllint {schema}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut out = BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).expect("entry");
        let mut b = Vec::new();
        f.read_to_end(&mut b).expect("read");
        out.insert(f.name().to_string(), b);
    }
    out
}

fn rezip(files: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (n, b) in files {
        z.start_file(n.as_str(), zip::write::SimpleFileOptions::default())
            .expect("start");
        z.write_all(b).expect("write");
    }
    z.finish().expect("finish").into_inner()
}

#[test]
fn codebook_qdc_is_valid_and_reads_back() {
    let cb = codebook();
    let x = codebook_qdc(&cb);
    xmllint("Codebook.xsd", x.as_bytes());
    let back = import_qdc(&x).expect("import");
    assert_eq!(back.codes.len(), 2);
    assert_eq!(back.codes[0].name_zh, "供给型");
    assert_eq!(back.codes[0].name_en, "Supply-side");
    assert_eq!(back.codes[0].color.as_deref(), Some("#1f77b4"));
    assert_eq!(back.codes[0].children[0].include, "培养、引进人才");
    assert_eq!(back.codes[0].children[0].definition, "人才培养类政策工具。");
    let ids: Vec<String> = assign_ids(&back).into_iter().map(|(_, id)| id).collect();
    let orig: Vec<&str> = cb.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, orig);
    let y = qdc_to_codebook_yaml(&back, "tools");
    let v: serde_yaml::Value = serde_yaml::from_str(&y).expect("yaml");
    assert_eq!(v["nodes"][1]["children"][0]["id"], "demand.scenarios");
    assert_eq!(
        v["nodes"][1]["children"][0]["name"]["en"],
        "Application scenarios"
    );
}

#[test]
fn qdpx_is_valid_consistent_and_reproducible() {
    let a = export();
    assert_eq!(a, export(), "two exports of the same study differ");
    let files = unzip(&a);
    xmllint("Project.xsd", &files["project.qde"]);
    assert!(validate_qdpx(&a).expect("readable").is_empty());
    // Every selection's text equals its paragraph, positions in code points.
    let imp = import_qdpx(&a).expect("import");
    assert!(imp.warnings.is_empty(), "{:?}", imp.warnings);
    let ds = docs();
    for (src, doc) in imp.sources.iter().zip(&ds) {
        let raw =
            String::from_utf8(files[&format!("sources/{}.txt", src.guid)].clone()).expect("utf8");
        assert_eq!(raw, doc.text());
        let chars: Vec<char> = raw.chars().collect();
        for s in &src.selections {
            let t: String = chars[s.raw_start as usize..s.raw_end as usize]
                .iter()
                .collect();
            assert_eq!(Some(&t), s.stored_text.as_ref());
            assert!(doc.paragraphs.iter().any(|p| p.text == t));
        }
    }
    let qde = String::from_utf8(files["project.qde"].clone()).expect("utf8");
    assert!(
        qde.contains("startPosition=\"0\" endPosition=\"28\""),
        "non-BMP counted as one"
    );
    // validate_refs catches what the schema cannot.
    let broken = qde
        .replacen("<CodeRef targetGUID=\"", "<CodeRef targetGUID=\"0", 1)
        .replacen(
            "startPosition=\"0\" endPosition=\"28\"",
            "startPosition=\"31\" endPosition=\"28\"",
            1,
        );
    let lengths: BTreeMap<String, usize> = imp
        .sources
        .iter()
        .map(|s| (s.guid.clone(), s.text.chars().count()))
        .collect();
    let p = validate_refs(&broken, &lengths);
    assert!(p.iter().any(|m| m.contains("does not exist")), "{p:?}");
    assert!(p.iter().any(|m| m.contains("reversed")), "{p:?}");
}

/// Imports `bytes` into a fresh study and checks it equals the original.
fn assert_round_trip(bytes: &[u8]) -> QdpxImport {
    let imp = import_qdpx(bytes).expect("import");
    // Positions, converted to the normalised text, are exactly those of the clean export.
    let clean = import_qdpx(&export()).expect("clean import");
    for (a, b) in imp.sources.iter().zip(&clean.sources) {
        let pa: Vec<(usize, usize)> = a.selections.iter().map(|s| (s.start, s.end)).collect();
        let pb: Vec<(usize, usize)> = b.selections.iter().map(|s| (s.start, s.end)).collect();
        assert_eq!(pa, pb, "selection positions in {}", a.name);
    }
    let (docs_in, layouts) = import_documents(&imp);
    let orig = docs();
    assert_eq!(docs_in.len(), orig.len());
    for (a, b) in docs_in.iter().zip(&orig) {
        assert_eq!(a.id, b.id);
        assert_eq!(a.text(), b.text());
        let ta: Vec<&str> = a.paragraphs.iter().map(|p| p.text.as_str()).collect();
        let tb: Vec<&str> = b.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(ta, tb);
        let ka: Vec<(ParaKind, &str)> = a
            .paragraphs
            .iter()
            .map(|p| (p.kind, p.section.as_str()))
            .collect();
        let kb: Vec<(ParaKind, &str)> = b
            .paragraphs
            .iter()
            .map(|p| (p.kind, p.section.as_str()))
            .collect();
        assert_eq!(ka, kb, "paragraph kinds and sections of {}", a.id);
        assert_eq!(a.meta.title, b.meta.title);
        assert_eq!((a.meta.level, a.meta.kind), (b.meta.level, b.meta.kind));
        assert_eq!(
            (&a.meta.province, &a.meta.date, &a.meta.region),
            (&b.meta.province, &b.meta.date, &b.meta.region)
        );
    }
    let (map, missing) = code_to_node(&imp, &codebook());
    assert!(missing.is_empty());
    assert_eq!(map, fresh_code_map(&imp));
    let ci = import_codings(&imp, &layouts, &map, "2000-01-01T00:00:00Z");
    assert!(ci.unplaced.is_empty(), "{:?}", ci.unplaced);
    assert!(ci.unknown_codes.is_empty());
    let orig_c = codings();
    assert_eq!(ci.codings.len(), orig_c.len());
    for (a, b) in ci.codings.iter().zip(&orig_c) {
        assert_eq!(a.coder, b.coder);
        let ka: Vec<&String> = a.decisions.keys().collect();
        let kb: Vec<&String> = b.decisions.keys().collect();
        assert_eq!(ka, kb);
        for (da, db) in a.decisions.values().zip(b.decisions.values()) {
            assert_eq!(da.nodes, db.nodes, "{}", da.para);
            assert_eq!(da.memo, db.memo);
            assert_eq!(da.no_code, db.no_code);
            assert_eq!(da.scores, db.scores);
            assert!(da.via.values().all(|v| *v == Via::Imported));
        }
    }
    imp
}

#[test]
fn round_trip_keeps_documents_paragraphs_codes_and_memos() {
    assert_round_trip(&export());
}

/// Rewrites the project: sources through `src`, each selection's positions through `pos`
/// (given the source text as exported and the position), and the qde text through `qde`.
fn rewrite(
    name: &str,
    src: &dyn Fn(&str) -> String,
    pos: &dyn Fn(&str, usize) -> usize,
    qde: &dyn Fn(String) -> String,
) -> Vec<u8> {
    let files = unzip(&export());
    let texts: BTreeMap<String, String> = files
        .iter()
        .filter_map(|(k, v)| {
            Some((
                k.strip_prefix("sources/")?
                    .strip_suffix(".txt")?
                    .to_string(),
                String::from_utf8(v.clone()).ok()?,
            ))
        })
        .collect();
    let q = String::from_utf8(files["project.qde"].clone()).expect("utf8");
    let mut out = String::new();
    let mut current = String::new();
    for line in q.lines() {
        let mut line = line.to_string();
        if let Some(i) = line.find("<TextSource guid=\"") {
            current = line[i + 18..i + 54].to_string();
        }
        for attr in ["startPosition=\"", "endPosition=\""] {
            if let Some(i) = line.find(attr) {
                let j = i + attr.len();
                let k = j + line[j..].find('"').expect("quote");
                let p: usize = line[j..k].parse().expect("number");
                line = format!("{}{}{}", &line[..j], pos(&texts[&current], p), &line[k..]);
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    let mut nf = BTreeMap::new();
    for (k, v) in files {
        if k == "project.qde" {
            nf.insert(name.to_string(), qde(out.clone()).into_bytes());
        } else {
            nf.insert(k, src(&String::from_utf8(v).expect("utf8")).into_bytes());
        }
    }
    rezip(&nf)
}

fn crlf(t: &str) -> String {
    t.replace('\n', "\r\n")
}
fn shift_per_line(t: &str, p: usize) -> usize {
    p + t.chars().take(p).filter(|&c| c == '\n').count()
}
fn drop_names(q: String) -> String {
    q.lines()
        .map(
            |l| match (l.find(" name=\""), l.contains("<PlainTextSelection")) {
                (Some(i), true) => {
                    let j = i + 7 + l[i + 7..].find('"').expect("quote");
                    format!("{}{}", &l[..i], &l[j + 1..])
                }
                _ => l.to_string(),
            },
        )
        .collect::<Vec<_>>()
        .join("\n")
}
fn same(q: String) -> String {
    q
}

#[test]
fn quirk_root_qde_not_named_project_qde() {
    let b = rewrite("Pilot Study.qde", &|t| t.to_string(), &|_, p| p, &same);
    let imp = assert_round_trip(&b);
    assert!(
        imp.warnings
            .iter()
            .any(|w| w.contains("not \"project.qde\"")),
        "{:?}",
        imp.warnings
    );
}

#[test]
fn quirk_crlf_sources_with_and_without_stored_text() {
    // Exporter counted one character per CRLF; selections carry their text.
    assert_round_trip(&rewrite("project.qde", &crlf, &shift_per_line, &same));
    // Same without stored text: decided by line boundaries.
    assert_round_trip(&rewrite("project.qde", &crlf, &shift_per_line, &drop_names));
    // CRLF file but positions in LF text.
    assert_round_trip(&rewrite("project.qde", &crlf, &|_, p| p, &drop_names));
}

#[test]
fn quirk_bom_sources_counted_or_not() {
    let bom = |t: &str| format!("\u{feff}{t}");
    let imp = assert_round_trip(&rewrite("project.qde", &bom, &|_, p| p + 1, &same));
    assert!(imp.warnings.iter().any(|w| w.contains("BOM")));
    assert_round_trip(&rewrite("project.qde", &bom, &|_, p| p + 1, &drop_names));
    assert_round_trip(&rewrite("project.qde", &bom, &|_, p| p, &drop_names));
    // BOM and CRLF together, both counted.
    let both = |t: &str| format!("\u{feff}{}", crlf(t));
    assert_round_trip(&rewrite(
        "project.qde",
        &both,
        &|t, p| shift_per_line(t, p) + 1,
        &same,
    ));
}

#[test]
fn stored_text_corrects_a_misplaced_selection_and_partial_ones_are_reported() {
    // Shift only the d2 selections by three characters: the stored text moves them back.
    let b = rewrite(
        "project.qde",
        &|t| t.to_string(),
        &|t, p| if t.starts_with("在") { p + 3 } else { p },
        &same,
    );
    let imp = assert_round_trip(&b);
    assert!(imp.warnings.iter().any(|w| w.contains("moved to")));
    // Without stored text, a selection covering under half a paragraph is reported, not lost.
    let b = rewrite(
        "project.qde",
        &|t| t.to_string(),
        &|t, p| {
            if t.starts_with("在") && p == 0 {
                20
            } else {
                p
            }
        },
        &drop_names,
    );
    let imp = import_qdpx(&b).expect("import");
    let (_, layouts) = import_documents(&imp);
    let ci = import_codings(
        &imp,
        &layouts,
        &fresh_code_map(&imp),
        "2000-01-01T00:00:00Z",
    );
    assert_eq!(ci.unplaced.len(), 2, "{:?}", ci.unplaced);
    assert!(ci.unplaced[0].contains("29%"), "{:?}", ci.unplaced);
}

fn read_csv(bytes: &[u8]) -> Vec<BTreeMap<String, String>> {
    let mut r = ::csv::Reader::from_reader(bytes);
    let h: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    r.records()
        .map(|rec| {
            h.iter()
                .cloned()
                .zip(rec.expect("record").iter().map(str::to_string))
                .collect()
        })
        .collect()
}

#[test]
fn long_csv_field_by_field() {
    let mut calls = 0;
    let mut prog = |_: usize, _: usize| calls += 1;
    let b = long_csv(
        &codebook(),
        &docs(),
        &codings(),
        CsvOptions::default(),
        Some(&mut prog),
    )
    .expect("csv");
    assert!(calls > 0);
    assert!(!b.starts_with("\u{feff}".as_bytes()));
    let rows = read_csv(&b);
    let key: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| (r["para_id"].clone(), r["coder"].clone(), r["node"].clone()))
        .collect();
    let exp = [
        ("d1_jinan#2", "alice", "supply.talent"),
        ("d1_jinan#2", "alice", "supply.capital"),
        ("d1_jinan#2", "bob", "supply.talent"),
        ("d1_jinan#3", "alice", ""),
        ("d2_national#1", "alice", "demand.scenarios"),
        ("d2_national#1", "bob", "demand.scenarios"),
        ("d2_national#2", "bob", "supply.capital"),
    ];
    let exp: Vec<(String, String, String)> = exp
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(key, exp);
    let r = &rows[1];
    assert_eq!(r["doc_id"], "d1_jinan");
    assert_eq!(r["para_n"], "2");
    assert_eq!(r["section"], "一、");
    assert_eq!(r["parent"], "supply");
    assert_eq!(r["score"], "3");
    assert_eq!(r["memo"], "人才与资金并举；\n见第2段");
    assert_eq!(r["via"], "search");
    assert_eq!(rows[0]["via"], "suggestion:keyword:1");
    assert_eq!(r["timestamp"], "2024-05-01T08:00:00Z");
    assert_eq!(
        (
            r["region"].as_str(),
            r["level"].as_str(),
            r["province"].as_str()
        ),
        ("east", "municipal", "山东")
    );
    assert_eq!(
        (
            r["date"].as_str(),
            r["kind"].as_str(),
            r["no_code"].as_str()
        ),
        ("2024-03-01", "special", "0")
    );
    assert_eq!(rows[3]["no_code"], "1");
    assert_eq!(rows[3]["parent"], "");
    assert_eq!(rows[4]["level"], "national");
    let with_bom = long_csv(
        &codebook(),
        &docs(),
        &codings(),
        CsvOptions {
            bom: true,
            text: false,
        },
        None,
    )
    .expect("csv");
    assert_eq!(&with_bom[3..], &b[..]);
}

#[test]
fn matrix_field_by_field_per_coder_and_majority() {
    let cb = codebook();
    let b = matrix_csv(&cb, &docs(), &codings(), &MatrixOptions::default(), None).expect("csv");
    let rows = read_csv(&b);
    // Body paragraphs only: d1#2, d1#3, d2#1, d2#2.
    let ids: Vec<&str> = rows.iter().map(|r| r["para_id"].as_str()).collect();
    assert_eq!(
        ids,
        ["d1_jinan#2", "d1_jinan#3", "d2_national#1", "d2_national#2"]
    );
    let r = &rows[0];
    assert_eq!(r["alice:supply.talent"], "1");
    assert_eq!(r["alice:supply.capital"], "1");
    assert_eq!(r["alice:supply"], "0");
    assert_eq!(r["bob:supply.capital"], "0");
    assert_eq!(r["region"], "east");
    assert_eq!(r["year"], "2024");
    assert_eq!(
        rows[1]["alice:supply.talent"], "0",
        "no-code counts as coded"
    );
    assert_eq!(rows[1]["bob:supply.talent"], "", "uncoded is missing");
    assert_eq!(rows[3]["alice:supply.capital"], "");
    let maj = MatrixOptions {
        mode: MatrixMode::Majority,
        ..Default::default()
    };
    let rows = read_csv(&matrix_csv(&cb, &docs(), &codings(), &maj, None).expect("csv"));
    assert_eq!(rows[0]["supply.talent"], "1");
    assert_eq!(rows[0]["supply.capital"], "0", "one of two is no majority");
    assert_eq!(rows[2]["demand.scenarios"], "1");
    assert_eq!(rows[3]["supply.capital"], "1", "bob alone coded it");
    let up = MatrixOptions {
        mode: MatrixMode::Coder("bob".into()),
        roll_up: true,
        ..Default::default()
    };
    let rows = read_csv(&matrix_csv(&cb, &docs(), &codings(), &up, None).expect("csv"));
    assert_eq!(rows[0]["supply"], "1");
    assert_eq!(rows[0]["demand"], "0");
    let j = matrix_json(&cb, &docs(), &codings(), &maj, None).expect("json");
    let v: serde_json::Value = serde_json::from_str(&j).expect("parse");
    assert_eq!(v[1]["supply.talent"], serde_json::json!(0));
    let s = study_json("试点研究", &cb, &docs(), &codings(), None).expect("json");
    let v: serde_json::Value = serde_json::from_str(&s).expect("parse");
    assert_eq!(v["decisions"].as_array().map(Vec::len), Some(7));
    assert_eq!(v["codebook"][1]["parent"], "supply");
}

#[test]
#[cfg_attr(
    polcode_no_shared,
    ignore = "needs ../shared (absent when the tests were built; touch build.rs after adding it)"
)]
fn real_corpus_documents_survive_the_round_trip() {
    let dir = Path::new("../shared/corpus/docs");
    if !dir.exists() {
        println!("skipped: ../shared/corpus is absent");
        return;
    }
    let mut docs = Vec::new();
    let mut alice = Codings {
        coder: "alice".into(),
        ..Default::default()
    };
    let mut bob = Codings {
        coder: "bob".into(),
        ..Default::default()
    };
    for f in [
        "24_municipal_SD-Jinan_2020_ai-pilot-zone-policies.txt",
        "29_municipal_SD-Qingdao_2023_ai-industrial-park-policies.txt",
    ] {
        let text = std::fs::read_to_string(dir.join(f))
            .expect("read")
            .replace("\r\n", "\n");
        let id = f.trim_end_matches(".txt").to_string();
        let paragraphs: Vec<Paragraph> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .enumerate()
            .map(|(i, l)| para(i as u32 + 1, ParaKind::Body, "", l))
            .collect();
        for p in &paragraphs {
            let pid = format!("{id}#{}", p.n);
            let node = if p.text.contains("人才") {
                "supply.talent"
            } else {
                "supply.capital"
            };
            alice.apply(dec("alice", &pid, &[node], None, "2024-01-01T00:00:00Z"));
            if p.n % 2 == 0 {
                bob.apply(dec(
                    "bob",
                    &pid,
                    &["demand.scenarios"],
                    Some(&p.text.chars().take(5).collect::<String>()),
                    "2024-01-02T00:00:00Z",
                ));
            }
        }
        docs.push(Document {
            id,
            meta: DocMeta {
                title: f.into(),
                ..Default::default()
            },
            paragraphs,
        });
    }
    let cs = vec![alice, bob];
    let b = project_qdpx(
        "corpus",
        &codebook(),
        &docs,
        &cs,
        &QdpxOptions::default(),
        None,
    )
    .expect("export");
    xmllint("Project.xsd", &unzip(&b)["project.qde"]);
    assert!(validate_qdpx(&b).expect("read").is_empty());
    let imp = import_qdpx(&b).expect("import");
    let (din, lay) = import_documents(&imp);
    for (a, d) in din.iter().zip(&docs) {
        assert_eq!(a.text(), d.text());
    }
    let ci = import_codings(&imp, &lay, &fresh_code_map(&imp), "x");
    assert!(ci.unplaced.is_empty());
    for (a, b) in ci.codings.iter().zip(&cs) {
        assert_eq!(a.decisions.len(), b.decisions.len());
        for (x, y) in a.decisions.values().zip(b.decisions.values()) {
            assert_eq!((&x.para, &x.nodes, &x.memo), (&y.para, &y.nodes, &y.memo));
        }
    }
}

#[test]
#[cfg_attr(
    polcode_no_shared,
    ignore = "needs ../shared (absent when the tests were built; touch build.rs after adding it)"
)]
fn real_documents_keep_paragraph_kinds_through_a_fresh_import() {
    // Split by polcode's importer, exported, imported into a study that has none of them: the
    // titles, headings, signatures and dates come back as what they were, not as body.
    let dir = Path::new("../shared/corpus/docs");
    if !dir.exists() {
        println!("skipped: ../shared/corpus is absent");
        return;
    }
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let opts = polcode_core::corpus::import::ImportOptions::default();
    let docs: Vec<Document> = files
        .iter()
        .map(|f| {
            polcode_core::corpus::import::read_document(f, &opts)
                .unwrap()
                .doc
        })
        .collect();
    let b = project_qdpx(
        "corpus",
        &codebook(),
        &docs,
        &[],
        &QdpxOptions::default(),
        None,
    )
    .expect("export");
    let (din, _) = import_documents(&import_qdpx(&b).expect("import"));
    assert_eq!(din.len(), docs.len());
    let (mut same, mut total, mut nonbody) = (0, 0, 0);
    for (a, d) in din.iter().zip(&docs) {
        assert_eq!(a.paragraphs.len(), d.paragraphs.len(), "{}", d.id);
        for (x, y) in a.paragraphs.iter().zip(&d.paragraphs) {
            assert_eq!(x.text, y.text);
            total += 1;
            nonbody += usize::from(y.kind != ParaKind::Body);
            if (x.kind, &x.section) == (y.kind, &y.section) {
                same += 1;
            } else {
                println!(
                    "{}#{}: {:?} {:?} vs {:?} {:?}: {}",
                    d.id,
                    y.n,
                    x.kind,
                    x.section,
                    y.kind,
                    y.section,
                    y.text.chars().take(40).collect::<String>()
                );
            }
        }
    }
    println!("{same} of {total} paragraphs keep kind and section ({nonbody} not body)");
    assert!(nonbody > 500, "{nonbody}");
    assert_eq!(same, total);
}
