//! `export` in every format, `import-codebook` and `import-qdpx`.

use super::*;

// ---------------------------------------------------------------------------------------------
// export, import-codebook, import-qdpx
// ---------------------------------------------------------------------------------------------

#[test]
fn export_in_every_format() {
    let env = Env::new();
    let demo = env.demo();
    let ids = code_demo(&demo);
    let d = demo.to_str().unwrap();

    let qdc = env.ok_in(&demo, &["export", "--format", "qdc"]);
    assert!(qdc.starts_with("<?xml"), "{qdc}");
    assert!(qdc.contains("<CodeBook") && qdc.contains("供给型"), "{qdc}");

    // qdpx is a zip: refused on standard output, written with -o, holding project.qde.
    let err = env.fails(&["--study", d, "export", "--format", "qdpx"]);
    assert!(err.contains("--output"), "{err}");
    let qdpx = env.path().join("demo.qdpx");
    env.ok_in(
        &demo,
        &["export", "-f", "qdpx", "-o", qdpx.to_str().unwrap()],
    );
    let mut zip = zip::ZipArchive::new(fs::File::open(&qdpx).unwrap()).unwrap();
    let names: Vec<String> = zip.file_names().map(str::to_string).collect();
    assert!(names.iter().any(|n| n == "project.qde"), "{names:?}");
    assert_eq!(
        names.iter().filter(|n| n.starts_with("sources/")).count(),
        10,
        "{names:?}"
    );
    let mut qde = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("project.qde").unwrap(), &mut qde).unwrap();
    // Four coded paragraphs and one explicit no-code mark (carried in the description).
    assert_eq!(qde.matches("<PlainTextSelection").count(), 5, "{qde}");
    // Two exports are identical (stable GUIDs).
    let again = env.path().join("again.qdpx");
    env.ok_in(
        &demo,
        &["export", "-f", "qdpx", "-o", again.to_str().unwrap()],
    );
    assert_eq!(fs::read(&qdpx).unwrap(), fs::read(&again).unwrap());

    // Tidy CSV: one row per decision and node.
    let csv = env.ok_in(&demo, &["export", "-f", "csv"]);
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    for col in [
        "doc_id", "para_id", "section", "node", "parent", "coder", "score", "memo", "region",
        "level", "province", "date",
    ] {
        assert!(
            header.iter().any(|h| h == col),
            "{col} missing in {header:?}"
        );
    }
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let coded_nodes = rows.iter().filter(|r| !r[col("node")].is_empty()).count();
    assert_eq!(coded_nodes, 5, "five (paragraph, node) pairs: {csv}");
    let hr = rows
        .iter()
        .find(|r| &r[col("para_id")] == ids[3].as_str() && !r[col("node")].is_empty())
        .expect("Guangzhou row");
    assert_eq!(&hr[col("node")], "supply.human-resources");
    assert_eq!(&hr[col("parent")], "supply");
    assert_eq!(&hr[col("region")], "east");
    assert_eq!(&hr[col("province")], "广东");
    let bom = env.run_in(&demo, &["export", "-f", "csv", "--bom"]);
    assert!(bom.stdout.starts_with("\u{feff}".as_bytes()));

    // Matrix: one row per paragraph, 0/1 per coder and node.
    let m = env.ok_in(&demo, &["export", "-f", "matrix"]);
    let mut r = csv::Reader::from_reader(m.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let c = header
        .iter()
        .position(|h| h == "alice:supply.capital-investment")
        .expect("node column");
    let p = header.iter().position(|h| h == "para_id").unwrap();
    let ones: Vec<String> = r
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[c] == "1")
        .map(|r| r[p].to_string())
        .collect();
    assert_eq!(ones, [ids[1].clone()]);
    let err = env.fails(&["--study", d, "export", "-f", "matrix", "--consensus", "zed"]);
    assert!(err.contains("--consensus \"zed\""), "{err}");
    let rolled = env.ok_in(
        &demo,
        &[
            "export",
            "-f",
            "matrix",
            "--roll-up",
            "--consensus",
            "alice",
        ],
    );
    let mut r = csv::Reader::from_reader(rolled.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let sup = header
        .iter()
        .position(|h| h == "supply")
        .expect("consensus column");
    let env_col = header.iter().position(|h| h == "environment").unwrap();
    let row = r
        .records()
        .map(Result::unwrap)
        .find(|r| r[p] == ids[0])
        .expect("row of the first national paragraph");
    assert_eq!(
        (&row[sup], &row[env_col]),
        ("1", "0"),
        "a parent rolls up its child"
    );

    // JSON: parses, with the codebook and every decision.
    let j = parse_json(&env.ok_in(&demo, &["export", "-f", "json"]));
    let text = j.to_string();
    assert!(
        j["codebook"].as_array().unwrap().len() == 18,
        "{}",
        &text[..300]
    );
    for id in &ids {
        assert!(
            text.contains(id.as_str()),
            "{id} missing from the JSON export"
        );
    }
    parse_json(&env.ok_in(&demo, &["export", "-f", "matrix-json"]));

    // A format outside the six is a usage error naming it and every choice, before the study
    // is read (so also outside one); the names are spelled exactly.
    for bad in ["docx", "CSV", "matrix_json"] {
        let err = env.usage_error(&["--study", d, "export", "-f", bad]);
        assert!(
            err.contains(bad)
                && err.contains("[possible values: qdc, qdpx, csv, matrix, json, matrix-json]"),
            "{err}"
        );
    }
    env.usage_error(&["export", "--format", "docx"]);
    env.usage_error(&["--study", d, "export"]);
    assert!(env
        .fails(&["--study", d, "export", "-f", "csv", "--coder", "zed"])
        .contains("zed"));
}

/// A message standard error cannot take (a full disk) fails the command instead of passing as
/// success unheard; a closed pipe there ends quietly, as on standard output. The file itself
/// is written first either way.
#[test]
fn export_fails_when_its_message_cannot_be_written() {
    let env = Env::new();
    let demo = env.demo();
    let book = env.path().join("book.qdc");
    let run = |stderr: std::process::Stdio| {
        // Not assert_cmd: it always pipes standard error.
        std::process::Command::new(env!("CARGO_BIN_EXE_polcode"))
            .args([
                "--study",
                demo.to_str().unwrap(),
                "export",
                "-f",
                "qdc",
                "-o",
            ])
            .arg(&book)
            .env("POLCODE_DATA_DIR", env.path().join("data"))
            .env("POLCODE_CONFIG", env.path().join("config"))
            .stdout(std::process::Stdio::null())
            .stderr(stderr)
            .status()
            .unwrap()
    };
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    assert_eq!(run(full.into()).code(), Some(1));
    assert!(fs::read_to_string(&book).unwrap().contains("<CodeBook"));
    fs::remove_file(&book).unwrap();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    assert!(run(writer.into()).success());
    assert!(book.is_file());
}

#[test]
fn import_codebook_from_another_study() {
    let env = Env::new();
    let demo = env.demo();
    let qdc = env.path().join("tools.qdc");
    env.ok_in(&demo, &["export", "-f", "qdc", "-o", qdc.to_str().unwrap()]);

    let s = empty_study(&env);
    let out = env.ok_in(&s, &["import-codebook", qdc.to_str().unwrap()]);
    assert!(out.contains("tools.codebook.yaml (18 codes)"), "{out}");
    let yaml = s.join("tools.codebook.yaml");
    assert!(env
        .ok(&["codebook", "check", yaml.to_str().unwrap()])
        .contains("ok (18 nodes)"));
    let shown = env.ok(&["codebook", "show", yaml.to_str().unwrap()]);
    assert!(
        shown.contains("supply.human-resources") && shown.contains("人才培养"),
        "{shown}"
    );

    // Never overwrites.
    let before = fs::read(&yaml).unwrap();
    let err = env.fails(&["--study", "s", "import-codebook", qdc.to_str().unwrap()]);
    assert!(
        err.contains("exists") && err.contains("nothing was overwritten"),
        "{err}"
    );
    assert_eq!(fs::read(&yaml).unwrap(), before);

    // --out relative to the current directory and --use: stored relative to the study.
    fs::create_dir(env.path().join("books")).unwrap();
    let out = env.ok(&[
        "--study",
        "s",
        "import-codebook",
        "tools.qdc",
        "--out",
        "books/t.yaml",
        "--use",
    ]);
    assert!(out.contains("the study now uses ../books/t.yaml"), "{out}");
    assert!(env.ok_in(&s, &["check"]).contains("ok: no problems found"));
    assert!(env.ok_in(&s, &["codebook", "check"]).contains("t.yaml: ok"));

    // Wrong inputs.
    let qdpx = env.path().join("p.qdpx");
    env.ok_in(
        &demo,
        &["export", "-f", "qdpx", "-o", qdpx.to_str().unwrap()],
    );
    let err = env.fails(&["import-codebook", qdpx.to_str().unwrap()]);
    assert!(err.contains("import-qdpx"), "{err}");
    fs::write(env.path().join("not.qdc"), "<CodeBook><Codes><Code").unwrap();
    assert!(env
        .fails(&["import-codebook", "not.qdc"])
        .contains("not.qdc"));
    assert!(env
        .fails(&["import-codebook", "missing.qdc"])
        .contains("missing.qdc"));
}

#[test]
fn import_qdpx_round_trip_into_a_fresh_study() {
    let env = Env::new();
    let demo = env.demo();
    let ids = code_demo(&demo);
    code(
        &demo,
        "bob",
        &[
            (&ids[0], &["supply.human-resources"]),
            (&ids[2], &["demand.industry-chain"]),
        ],
    );
    let qdpx = env.path().join("demo.qdpx");
    env.ok_in(
        &demo,
        &["export", "-f", "qdpx", "-o", qdpx.to_str().unwrap()],
    );

    let s = empty_study(&env);
    let out = env.ok_in(&s, &["import-qdpx", qdpx.to_str().unwrap()]);
    assert!(out.contains("imported 10 documents"), "{out}");
    assert!(!out.contains("not placed"), "{out}");
    let coded = |study: &Path, coder: &str| {
        let (c, _) = polcode_core::store::read_codings(&study.join("codings"), coder).unwrap();
        c.decisions
            .values()
            .filter(|d| !d.nodes.is_empty())
            .map(|d| (d.para.clone(), d.nodes.clone()))
            .collect::<BTreeMap<_, _>>()
    };
    let decisions = |study: &Path, coder: &str| {
        let (c, _) = polcode_core::store::read_codings(&study.join("codings"), coder).unwrap();
        (
            c.decisions.len(),
            c.decisions.values().filter(|d| d.no_code).count(),
        )
    };
    for coder in ["alice", "bob"] {
        assert_eq!(
            coded(&s, coder),
            coded(&demo, coder),
            "{coder}'s codes changed on the way"
        );
        assert_eq!(decisions(&s, coder), decisions(&demo, coder), "{coder}");
    }
    assert_eq!(decisions(&s, "alice"), (5, 1));
    let st = Study::open(&s).unwrap();
    let orig = Study::open(&demo).unwrap();
    assert_eq!(st.docs.len(), orig.docs.len());
    for (a, b) in st.docs.iter().zip(&orig.docs) {
        assert_eq!(a.id, b.id);
        assert_eq!(a.text(), b.text(), "{}", a.id);
    }
    assert!(env.ok_in(&s, &["check"]).contains("ok: no problems found"));

    // Into the study it came from: the documents are the same, so they are kept as they are
    // (paragraph kinds included) and the decisions land on the same paragraphs.
    let before: Vec<_> = Study::open(&demo).unwrap().docs;
    let out = env.ok_in(&demo, &["import-qdpx", qdpx.to_str().unwrap()]);
    assert!(!out.contains("replaced"), "{out}");
    assert_eq!(Study::open(&demo).unwrap().docs, before);
    assert_eq!(coded(&demo, "alice").len(), 4);

    let err = env.fails(&["--study", "s", "import-qdpx", "nowhere.qdpx"]);
    assert!(err.contains("nowhere.qdpx"), "{err}");
    fs::write(env.path().join("fake.qdpx"), "not a zip").unwrap();
    let err = env.fails(&["--study", "s", "import-qdpx", "fake.qdpx"]);
    assert!(err.contains("fake.qdpx") && err.contains("zip"), "{err}");
}

#[test]
fn import_qdpx_over_changed_documents_reanchors() {
    let env = Env::new();
    let demo = env.demo();
    // A study with Beijing's document imported from an edited copy and coded by carol.
    let s = empty_study(&env);
    let original =
        fs::read_to_string(demo.join("sources/03_beijing_blockchain-action-plan.txt")).unwrap();
    let dir = env.path().join("edited");
    fs::create_dir(&dir).unwrap();
    let edited = original.replacen(
        "二、重点任务\n",
        "二、重点任务\n一段后来删掉的说明文字，只在旧版本里有。\n",
        1,
    );
    fs::write(dir.join(format!("{BJ}.txt")), &edited).unwrap();
    env.ok_in(&s, &["import", dir.to_str().unwrap()]);
    let paras = body_paras(&s, BJ);
    let st = Study::open(&s).unwrap();
    let target = paras
        .iter()
        .find(|p| st.paragraph(&p.0).unwrap().para.text.contains("人才引进"))
        .unwrap();
    code(&s, "carol", &[(&target.0, &["supply.human-resources"])]);

    // The qdpx holds the original text: the document is replaced and carol's decision follows
    // its paragraph.
    let qdpx = env.path().join("demo.qdpx");
    env.ok_in(
        &demo,
        &["export", "-f", "qdpx", "-o", qdpx.to_str().unwrap()],
    );
    let out = env.ok_in(&s, &["import-qdpx", qdpx.to_str().unwrap()]);
    assert!(
        out.contains(&format!("document {BJ} already exists")),
        "{out}"
    );
    assert!(
        out.contains("codings of carol") && out.contains("1 moved"),
        "{out}"
    );
    let (c, _) = polcode_core::store::read_codings(&s.join("codings"), "carol").unwrap();
    let st = Study::open(&s).unwrap();
    let d = c.decisions.values().next().unwrap();
    assert!(st
        .paragraph(&d.para)
        .unwrap()
        .para
        .text
        .contains("人才引进"));
    assert!(env.ok_in(&s, &["check"]).contains("ok: no problems found"));
}
