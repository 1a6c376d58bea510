//! `init` and `import`: new studies, real and awkward documents, per-run flags, re-import.

use super::*;

// ---------------------------------------------------------------------------------------------
// init
// ---------------------------------------------------------------------------------------------

#[test]
fn init_creates_a_study_and_refuses_an_existing_one() {
    let env = Env::new();
    let out = env.ok(&["init", "mystudy", "--name", "政策研究"]);
    assert!(out.contains("mystudy"), "{out}");
    assert!(out.contains("policy-tools"), "{out}");
    let dir = env.path().join("mystudy");
    let cfg = fs::read_to_string(dir.join("polcode.yaml")).unwrap();
    assert!(cfg.contains("name: 政策研究"), "{cfg}");
    assert!(cfg.contains("codebook: policy-tools"), "{cfg}");
    assert!(dir.join("documents").is_dir() && dir.join("codings").is_dir());

    let before = snapshot_tree(&dir);
    let err = env.fails(&["init", "mystudy", "--codebook", "planning-quality"]);
    assert!(err.contains("already holds a study"), "{err}");
    assert_eq!(
        snapshot_tree(&dir),
        before,
        "a refused init changed the study"
    );

    // The other bundled codebook, into the current directory.
    let here = env.path().join("here");
    fs::create_dir(&here).unwrap();
    assert_ok_with(
        env.cmd()
            .current_dir(&here)
            .args(["init", "--codebook", "planning-quality"]),
        "planning-quality",
    );
    assert!(here.join("polcode.yaml").is_file());
}

#[test]
fn init_with_an_unknown_or_broken_codebook_writes_nothing() {
    let env = Env::new();
    let err = env.fails(&["init", "s", "--codebook", "no-such-codebook"]);
    assert!(err.contains("no-such-codebook"), "{err}");
    assert!(
        err.contains("policy-tools"),
        "lists the bundled codebooks: {err}"
    );
    assert!(
        !env.path().join("s").exists(),
        "init left a directory behind"
    );

    fs::write(
        env.path().join("broken.yaml"),
        "name: broken\nnodes:\n  - id: a\n    name: {en: A, zh: 甲}\n    keyword: [人才]\n",
    )
    .unwrap();
    let err = env.fails(&["init", "s", "--codebook", "broken.yaml"]);
    assert!(err.contains("broken.yaml:5:5"), "{err}");
    assert!(
        !env.path().join("s").exists(),
        "init left a directory behind"
    );
}

#[test]
fn init_with_a_codebook_file_relative_to_the_current_directory() {
    let env = Env::new();
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("codebooks/policy-tools.yaml");
    fs::create_dir(env.path().join("books")).unwrap();
    fs::copy(&bundled, env.path().join("books/mine.yaml")).unwrap();
    env.ok(&["init", "studies/s", "--codebook", "books/mine.yaml"]);
    // Stored relative to the study, so the study opens from anywhere.
    let cfg = fs::read_to_string(env.path().join("studies/s/polcode.yaml")).unwrap();
    assert!(cfg.contains("codebook: ../../books/mine.yaml"), "{cfg}");
    let shown = env.ok_in(&env.path().join("studies/s"), &["codebook", "show"]);
    assert!(shown.contains("supply.human-resources"), "{shown}");
}

// ---------------------------------------------------------------------------------------------
// import
// ---------------------------------------------------------------------------------------------

#[test]
#[cfg_attr(
    polcode_no_shared,
    ignore = "needs ../shared (absent when the tests were built; touch build.rs after adding it)"
)]
fn import_real_documents_with_metadata() {
    let Some(corpus) = corpus("import_real_documents_with_metadata") else {
        return;
    };
    let env = Env::new();
    let s = empty_study(&env);
    let docs = corpus.join("docs");
    let files = [
        "01_national_CN_2017_ai-dev-plan.txt",
        "11_national_CN_2021_14th-fyp-smart-manufacturing.txt",
        "24_municipal_SD-Jinan_2020_ai-pilot-zone-policies.txt",
        "34_provincial_GD_2021_public-data-measures.txt",
    ];
    let mut args = vec!["import".to_string()];
    args.extend(files.iter().map(|f| docs.join(f).display().to_string()));
    args.push("--meta".into());
    args.push(corpus.join("metadata.csv").display().to_string());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = env.ok_in(&s, &args);
    assert!(
        out.contains("imported: 4 new, 0 updated, 0 unchanged, 0 failed"),
        "{out}"
    );

    let listing = env.ok_in(&s, &["docs", "--wide"]);
    assert!(listing.starts_with("4 documents in s\n"), "{listing}");
    for (id, region, level, province, date) in [
        (
            "01_national_CN_2017_ai-dev-plan",
            "national",
            "national",
            "",
            "2017-07-08",
        ),
        (
            "24_municipal_SD-Jinan_2020_ai-pilot-zone-policies",
            "east",
            "municipal",
            "山东",
            "",
        ),
        (
            "34_provincial_GD_2021_public-data-measures",
            "east",
            "provincial",
            "广东",
            "",
        ),
    ] {
        let line = listing
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("{id} not listed:\n{listing}"));
        for want in [region, level, province, date] {
            assert!(line.contains(want), "{want:?} missing in {line:?}");
        }
    }
    assert!(listing.contains("新一代人工智能发展规划"), "{listing}");
    // The documents are in the study as YAML with their metadata.
    let yaml =
        fs::read_to_string(s.join("documents/01_national_CN_2017_ai-dev-plan.yaml")).unwrap();
    assert!(
        yaml.contains("issuer: 国务院"),
        "{}",
        &yaml[..400.min(yaml.len())]
    );

    // Importing the same files again changes nothing.
    let again = env.ok_in(&s, &args);
    assert!(
        again.contains("0 new, 0 updated, 4 unchanged, 0 failed"),
        "{again}"
    );
}

#[test]
fn import_gbk_empty_binary_and_missing_files() {
    let env = Env::new();
    let s = empty_study(&env);
    let text = "济南市人民政府关于加快区块链产业发展的若干措施\n\n一、加强人才支撑\n\n\
                对引进的区块链高层次人才给予住房补贴，支持高校设立区块链相关专业。\n\n\
                二、加大资金投入\n\n设立区块链产业发展专项资金，对重点项目给予贷款贴息。\n";
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&gbk).is_err(),
        "the test file must not be UTF-8"
    );
    fs::write(env.path().join("jinan-gbk.txt"), &gbk).unwrap();
    let out = env.ok_in(&s, &["import", "jinan-gbk.txt"]);
    assert!(out.contains("1 new"), "{out}");
    let st = Study::open(&s).unwrap();
    let d = &st.docs[st
        .doc_index("jinan-gbk")
        .expect("document id from the file name")];
    assert!(
        d.text().contains("对引进的区块链高层次人才给予住房补贴"),
        "{}",
        d.text()
    );
    // Province and region found from the issuer in the title.
    assert_eq!(d.meta.province, "山东");
    assert_eq!(d.meta.region, "east");

    // Empty file: refused, named, exit 1.
    fs::write(env.path().join("empty.txt"), "").unwrap();
    let out = env.run_in(&s, &["import", "empty.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("empty.txt"), "{}", stdout(&out));
    assert!(stdout(&out).contains("empty"), "{}", stdout(&out));

    // A PNG, with a .png and with a .txt name: refused naming the file.
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\0IEND\xaeB`\x82";
    fs::write(env.path().join("scan.png"), png).unwrap();
    fs::write(env.path().join("scan.txt"), png).unwrap();
    for name in ["scan.png", "scan.txt"] {
        let out = env.run_in(&s, &["import", name]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stdout(&out));
        let msg = stdout(&out);
        assert!(msg.contains(&format!("error: {name}")), "{msg}");
    }
    assert!(stdout(&env.run_in(&s, &["import", "scan.txt"])).contains("binary"));

    // A missing file.
    let err = env.fails(&["--study", "s", "import", "nowhere.txt"]);
    assert!(err.contains("nowhere.txt"), "{err}");
    assert_eq!(
        err.matches("No such file").count(),
        1,
        "cause repeated: {err}"
    );

    // Only the GBK document made it in.
    assert_eq!(Study::open(&s).unwrap().docs.len(), 1);
}

#[test]
fn import_a_directory_with_per_run_flags() {
    let env = Env::new();
    let demo = env.demo();
    let s = empty_study(&env);
    let dir = env.path().join("incoming");
    fs::create_dir_all(dir.join("sub")).unwrap();
    for (name, to) in [
        ("03_beijing_blockchain-action-plan.txt", "a.txt"),
        ("05_hunan_blockchain-plan.txt", "sub/b.txt"),
    ] {
        fs::copy(demo.join("sources").join(name), dir.join(to)).unwrap();
    }
    fs::write(dir.join("notes.xlsx"), b"PK\x03\x04").unwrap();
    let out = env.ok_in(
        &s,
        &[
            "import",
            "incoming",
            "--level",
            "municipal",
            "--province",
            "河南",
            "--issuer",
            "郑州市人民政府",
            "--date",
            "2024-03-05",
            "--kind",
            "related",
        ],
    );
    assert!(out.contains("2 new"), "{out}");
    let st = Study::open(&s).unwrap();
    assert_eq!(st.docs.len(), 2);
    for d in &st.docs {
        assert_eq!(d.meta.level.as_str(), "municipal");
        assert_eq!(d.meta.province, "河南");
        assert_eq!(d.meta.region, "central");
        assert_eq!(d.meta.issuer, "郑州市人民政府");
        assert_eq!(d.meta.date, "2024-03-05");
        assert_eq!(d.meta.kind.as_str(), "related");
    }
    let listing = env.ok_in(&s, &["docs"]);
    assert!(
        listing.contains("central") && listing.contains("2024-03-05"),
        "{listing}"
    );

    // Bad flag values are refused before anything is read.
    for (flag, value, want) in [
        ("--level", "galactic", "national, provincial"),
        ("--kind", "maybe", "special, related"),
        ("--date", "2024-13-01", "YYYY-MM-DD"),
        ("--encoding", "klingon", "klingon"),
    ] {
        let err = env.fails(&["--study", "s", "import", "incoming", flag, value]);
        assert!(err.contains(value) && err.contains(want), "{flag}: {err}");
    }
}

#[test]
fn reimport_of_an_edited_document_reanchors_and_loses_nothing() {
    let env = Env::new();
    let demo = env.demo();
    let s = empty_study(&env);
    let src = env.path().join("beijing.txt");
    let original =
        fs::read_to_string(demo.join("sources/03_beijing_blockchain-action-plan.txt")).unwrap();
    fs::write(&src, &original).unwrap();
    env.ok_in(&s, &["import", "beijing.txt"]);
    let paras = body_paras(&s, "beijing");
    let st = Study::open(&s).unwrap();
    let text_of = |id: &str| st.paragraph(id).unwrap().para.text.clone();
    let kept = text_of(&paras[1].0); // 建设算力基础设施 …
    let changed = text_of(&paras[4].0); // 推动金融创新 …
    code(
        &s,
        "alice",
        &[
            (&paras[1].0, &["supply.public-infrastructure"]),
            (&paras[4].0, &["environment.financial-support"]),
        ],
    );

    // Insert a paragraph before them (so both shift) and rewrite the second one.
    let rewritten = "（四）推动金融创新。本条内容已经全部重写，与原来的段落完全不同。";
    let edited = original
        .replacen(
            "二、重点任务\n",
            "二、重点任务\n新增加的一段说明文字，用来让后面的段落编号全部移动。\n",
            1,
        )
        .replacen(&changed, rewritten, 1);
    assert_ne!(edited, original);
    fs::write(&src, &edited).unwrap();
    let out = env.ok_in(&s, &["import", "beijing.txt"]);
    assert!(out.contains("1 updated"), "{out}");
    assert!(out.contains("codings of alice"), "{out}");
    assert!(out.contains("1 moved"), "{out}");
    assert!(out.contains("1 orphaned"), "{out}");

    let (codings, _) = polcode_core::store::read_codings(&s.join("codings"), "alice").unwrap();
    assert_eq!(
        codings.decisions.len() + codings.orphans.len(),
        2,
        "a decision was lost"
    );
    let st = Study::open(&s).unwrap();
    let moved = codings.decisions.values().next().unwrap();
    assert_eq!(st.paragraph(&moved.para).unwrap().para.text, kept);
    assert_eq!(moved.nodes, ["supply.public-infrastructure"]);
    assert_eq!(
        codings.orphans[0].decision.nodes,
        ["environment.financial-support"]
    );

    // check reports the orphan and fails.
    let out = env.run_in(&s, &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("orphaned"), "{}", stdout(&out));
}

#[test]
fn init_writes_a_gitignore_for_lock_files_and_keeps_an_existing_one() {
    let env = Env::new();
    let dir = empty_study(&env);
    let ignore = fs::read_to_string(dir.join(".gitignore")).unwrap();
    assert!(ignore.contains("codings/*.lock"), "{ignore}");
    assert!(
        !ignore.contains("journal\n"),
        "journals hold decisions and are committed"
    );
    let mine = env.path().join("mine");
    fs::create_dir(&mine).unwrap();
    fs::write(mine.join(".gitignore"), "*.pdf\n").unwrap();
    assert_ok_with(env.cmd().current_dir(&mine).arg("init"), "");
    assert_eq!(
        fs::read_to_string(mine.join(".gitignore")).unwrap(),
        "*.pdf\n"
    );
}

#[test]
fn reimport_with_an_issuer_rederives_the_place_and_says_what_changed() {
    let env = Env::new();
    let dir = empty_study(&env);
    let src = env.path().join("order.txt");
    fs::write(
        &src,
        "关于加快公共数据开放的若干措施\n为推进公共数据开放，制定本措施。\n一、支持数据开放平台建设。\n",
    )
    .unwrap();
    let first = env.ok_in(&dir, &["import", src.to_str().unwrap()]);
    assert!(first.contains("1 new"), "{first}");
    let doc = fs::read_to_string(dir.join("documents/order.yaml")).unwrap();
    assert!(!doc.contains("region:"), "{doc}");
    // Never absolute: the file lies outside the study, so its name alone.
    assert!(doc.contains("source_file: order.txt\n"), "{doc}");

    let again = env.ok_in(
        &dir,
        &[
            "import",
            src.to_str().unwrap(),
            "--issuer",
            "上海市人民政府",
        ],
    );
    assert!(again.contains("1 updated"), "{again}");
    assert!(
        again.contains("metadata of order: issuer: — → 上海市人民政府"),
        "{again}"
    );
    assert!(again.contains("region: — → east"), "{again}");
    let doc = fs::read_to_string(dir.join("documents/order.yaml")).unwrap();
    assert!(
        doc.contains("province: 上海") && doc.contains("level: provincial"),
        "{doc}"
    );

    // A source inside the study is stored relative to it.
    fs::create_dir(dir.join("sources")).unwrap();
    fs::copy(&src, dir.join("sources/inside.txt")).unwrap();
    let inside = dir.join("sources/inside.txt");
    env.ok_in(&dir, &["import", inside.to_str().unwrap()]);
    let doc = fs::read_to_string(dir.join("documents/inside.yaml")).unwrap();
    assert!(doc.contains("source_file: sources/inside.txt\n"), "{doc}");
}
