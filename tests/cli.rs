//! The `polcode` binary end to end, command by command, with valid and invalid inputs: exit
//! codes, messages, what lands in the files, and that nothing ever panics.
//!
//! Every test works in its own temporary directory with `POLCODE_DATA_DIR` and `POLCODE_CONFIG`
//! pointing inside it, so the user's real demo study and config are never touched. Tests that
//! read the real corpus in `../shared/corpus` print `SKIPPED` and pass when it is absent.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

use polcode::corpus::ParaKind;
use polcode::store::{CoderStore, Decision, OpenMode};
use polcode::study::Study;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A scratch area: a temporary directory used as the working directory, data dir and config dir.
struct Env {
    tmp: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            tmp: tempfile::tempdir().expect("tempdir"),
        }
    }

    fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// `polcode ARGS` run in the scratch directory with a clean environment.
    fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_polcode"));
        c.current_dir(self.path())
            .env("POLCODE_DATA_DIR", self.path().join("data"))
            .env("POLCODE_CONFIG", self.path().join("config"))
            .env_remove("POLCODE_STUDY")
            .env_remove("POLCODE_CODER")
            .env("USER", "tester")
            .env("NO_COLOR", "1");
        c
    }

    /// Runs `polcode ARGS` (no stdin) and checks it did not panic.
    fn run(&self, args: &[&str]) -> Output {
        let out = self.cmd().args(args).write_stdin("").output().expect("run polcode");
        no_panic(&out, args);
        out
    }

    /// Runs `polcode ARGS`, expecting success; returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "polcode {args:?} failed ({:?}):\nstdout: {}\nstderr: {}",
            out.status.code(),
            stdout(&out),
            stderr(&out)
        );
        stdout(&out)
    }

    /// Runs `polcode ARGS`, expecting exit code 1; returns stderr.
    fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "polcode {args:?} should fail with 1:\nstdout: {}\nstderr: {}",
            stdout(&out),
            stderr(&out)
        );
        stderr(&out)
    }

    /// Runs `polcode ARGS`, expecting a usage error from clap (exit code 2); returns stderr.
    fn usage_error(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "polcode {args:?} should be a usage error:\n{}",
            stderr(&out)
        );
        stderr(&out)
    }

    /// Creates the demo study inside the scratch data dir and returns its path.
    fn demo(&self) -> PathBuf {
        let out = self.ok(&["demo"]);
        let p = PathBuf::from(out.trim());
        assert_eq!(p, self.path().join("data").join("demo"));
        assert!(p.join("polcode.yaml").is_file());
        p
    }

    /// `polcode --study STUDY ARGS`, expecting success.
    fn ok_in(&self, study: &Path, args: &[&str]) -> String {
        let s = study.to_str().unwrap();
        let mut all = vec!["--study", s];
        all.extend_from_slice(args);
        self.ok(&all)
    }

    /// `polcode --study STUDY ARGS`.
    fn run_in(&self, study: &Path, args: &[&str]) -> Output {
        let s = study.to_str().unwrap();
        let mut all = vec!["--study", s];
        all.extend_from_slice(args);
        self.run(&all)
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn no_panic(out: &Output, args: &[&str]) {
    let err = stderr(out);
    assert!(
        !err.contains("panicked") && out.status.code() != Some(101),
        "polcode {args:?} panicked:\n{err}"
    );
}

/// The real corpus, or `None` after printing why the test is skipped.
fn corpus(test: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if p.join("metadata.csv").is_file() {
        Some(p)
    } else {
        println!("SKIPPED {test}: ../shared/corpus is absent");
        None
    }
}

/// The body paragraph ids of document `doc` (in order), read through the library.
fn body_paras(study: &Path, doc: &str) -> Vec<(String, String, usize)> {
    let s = Study::open(study).unwrap();
    let d = &s.docs[s.doc_index(doc).unwrap_or_else(|| panic!("no document {doc}"))];
    d.paragraphs
        .iter()
        .filter(|p| p.kind == ParaKind::Body)
        .map(|p| (d.para_id(p.n), p.hash.clone(), p.text.chars().count()))
        .collect()
}

/// Records `(paragraph id, nodes)` decisions for `coder` (an empty node list means "no code").
fn code(study: &Path, coder: &str, decisions: &[(&str, &[&str])]) {
    let s = Study::open(study).unwrap();
    let mut store = CoderStore::open(&s.codings_dir(), coder, OpenMode::ReadWrite).unwrap();
    for (para, nodes) in decisions {
        let p = s.paragraph(para).unwrap_or_else(|| panic!("no paragraph {para}"));
        store
            .record(Decision {
                para: para.to_string(),
                hash: p.para.hash.clone(),
                nodes: nodes.iter().map(|n| n.to_string()).collect(),
                no_code: nodes.is_empty(),
                scores: BTreeMap::new(),
                memo: None,
                coder: coder.to_string(),
                at: String::new(),
                via: BTreeMap::new(),
            })
            .unwrap();
    }
    store.close().unwrap();
}

const NAT: &str = "01_national_blockchain-opinions";
const BJ: &str = "03_beijing_blockchain-action-plan";
const GZ: &str = "04_guangzhou_blockchain-measures";

/// The hand-built coding of the demo used by the analysis tests (coder `alice`):
/// - national 01: body 1 → human-resources; body 2 → human-resources + capital-investment;
/// - Beijing 03 (east, provincial): body 1 → tax-incentives;
/// - Guangzhou 04 (east, municipal): body 1 → human-resources; body 2 → no code.
///
/// Returns the paragraph ids used: [nat1, nat2, bj1, gz1, gz2].
fn code_demo(study: &Path) -> [String; 5] {
    let nat = body_paras(study, NAT);
    let bj = body_paras(study, BJ);
    let gz = body_paras(study, GZ);
    let ids = [
        nat[0].0.clone(),
        nat[1].0.clone(),
        bj[0].0.clone(),
        gz[0].0.clone(),
        gz[1].0.clone(),
    ];
    code(
        study,
        "alice",
        &[
            (&ids[0], &["supply.human-resources"]),
            (&ids[1], &["supply.human-resources", "supply.capital-investment"]),
            (&ids[2], &["environment.tax-incentives"]),
            (&ids[3], &["supply.human-resources"]),
            (&ids[4], &[]),
        ],
    );
    ids
}

/// Every file under `dir` with its bytes, for "nothing changed" checks.
fn snapshot_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// The rows of a JSON table (`{title, header, rows, notes}`) keyed by their `id` column.
fn rows_by_id(table: &serde_json::Value) -> BTreeMap<String, serde_json::Value> {
    table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_string(), r.clone()))
        .collect()
}

fn parse_json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}):\n{s}"))
}

// ---------------------------------------------------------------------------------------------
// --help, --version, completions
// ---------------------------------------------------------------------------------------------

const COMMANDS: &[&[&str]] = &[
    &["init"],
    &["import"],
    &["docs"],
    &["codebook"],
    &["codebook", "show"],
    &["codebook", "check"],
    &["check"],
    &["code"],
    &["review"],
    &["stats"],
    &["freq"],
    &["chart"],
    &["agree"],
    &["reconcile"],
    &["eval"],
    &["suggest"],
    &["suggest", "report"],
    &["export"],
    &["import-codebook"],
    &["import-qdpx"],
    &["demo"],
    &["completions"],
];

#[test]
fn help_on_every_command_and_version() {
    let env = Env::new();
    let top = env.ok(&["--help"]);
    for c in COMMANDS.iter().filter(|c| c.len() == 1) {
        assert!(top.contains(c[0]), "--help does not list {}:\n{top}", c[0]);
    }
    for c in COMMANDS {
        let mut args = c.to_vec();
        args.push("--help");
        let out = env.ok(&args);
        assert!(out.contains("Usage: polcode"), "{args:?}:\n{out}");
        assert!(out.contains("--help"), "{args:?}:\n{out}");
    }
    let v = env.ok(&["--version"]);
    assert_eq!(v.trim(), format!("polcode {}", env!("CARGO_PKG_VERSION")));
    // Nothing was created by asking for help.
    assert!(!env.path().join("data").exists());
}

#[test]
fn completions_for_each_shell() {
    let env = Env::new();
    let bash = env.ok(&["completions", "bash"]);
    assert!(bash.contains("_polcode()"), "{bash}");
    assert!(bash.contains("import-qdpx"));
    for shell in ["zsh", "fish"] {
        assert!(!env.ok(&["completions", shell]).is_empty());
    }
    let err = env.usage_error(&["completions", "tcsh"]);
    assert!(err.contains("tcsh"), "{err}");
}

#[test]
fn unknown_command_and_flag_are_usage_errors() {
    let env = Env::new();
    env.usage_error(&["frobnicate"]);
    env.usage_error(&["docs", "--nonsense"]);
    env.usage_error(&["agree", "onlyone"]);
}

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
    assert_eq!(snapshot_tree(&dir), before, "a refused init changed the study");

    // The other bundled codebook, into the current directory.
    let here = env.path().join("here");
    fs::create_dir(&here).unwrap();
    env.cmd()
        .current_dir(&here)
        .args(["init", "--codebook", "planning-quality"])
        .assert()
        .success()
        .stdout(contains("planning-quality"));
    assert!(here.join("polcode.yaml").is_file());
}

#[test]
fn init_with_an_unknown_or_broken_codebook_writes_nothing() {
    let env = Env::new();
    let err = env.fails(&["init", "s", "--codebook", "no-such-codebook"]);
    assert!(err.contains("no-such-codebook"), "{err}");
    assert!(err.contains("policy-tools"), "lists the bundled codebooks: {err}");
    assert!(!env.path().join("s").exists(), "init left a directory behind");

    fs::write(
        env.path().join("broken.yaml"),
        "name: broken\nnodes:\n  - id: a\n    name: {en: A, zh: 甲}\n    keyword: [人才]\n",
    )
    .unwrap();
    let err = env.fails(&["init", "s", "--codebook", "broken.yaml"]);
    assert!(err.contains("broken.yaml:5:5"), "{err}");
    assert!(!env.path().join("s").exists(), "init left a directory behind");
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

/// A fresh empty study `s` in the scratch directory.
fn empty_study(env: &Env) -> PathBuf {
    env.ok(&["init", "s"]);
    env.path().join("s")
}

#[test]
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
    assert!(out.contains("imported: 4 new, 0 updated, 0 unchanged, 0 failed"), "{out}");

    let listing = env.ok_in(&s, &["docs"]);
    assert!(listing.starts_with("4 documents in s\n"), "{listing}");
    for (id, region, level, province, date) in [
        ("01_national_CN_2017_ai-dev-plan", "national", "national", "", "2017-07-08"),
        ("24_municipal_SD-Jinan_2020_ai-pilot-zone-policies", "east", "municipal", "山东", ""),
        ("34_provincial_GD_2021_public-data-measures", "east", "provincial", "广东", ""),
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
    let yaml = fs::read_to_string(s.join("documents/01_national_CN_2017_ai-dev-plan.yaml")).unwrap();
    assert!(yaml.contains("issuer: 国务院"), "{}", &yaml[..400.min(yaml.len())]);

    // Importing the same files again changes nothing.
    let again = env.ok_in(&s, &args);
    assert!(again.contains("0 new, 0 updated, 4 unchanged, 0 failed"), "{again}");
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
    assert!(std::str::from_utf8(&gbk).is_err(), "the test file must not be UTF-8");
    fs::write(env.path().join("jinan-gbk.txt"), &gbk).unwrap();
    let out = env.ok_in(&s, &["import", "jinan-gbk.txt"]);
    assert!(out.contains("1 new"), "{out}");
    let st = Study::open(&s).unwrap();
    let d = &st.docs[st.doc_index("jinan-gbk").expect("document id from the file name")];
    assert!(d.text().contains("对引进的区块链高层次人才给予住房补贴"), "{}", d.text());
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
    assert_eq!(err.matches("No such file").count(), 1, "cause repeated: {err}");

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
    fs::write(dir.join("notes.pdf"), b"%PDF-1.4").unwrap();
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
    assert!(listing.contains("central") && listing.contains("2024-03-05"), "{listing}");

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
    let original = fs::read_to_string(demo.join("sources/03_beijing_blockchain-action-plan.txt")).unwrap();
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

    let (codings, _) = polcode::store::read_codings(&s.join("codings"), "alice").unwrap();
    assert_eq!(codings.decisions.len() + codings.orphans.len(), 2, "a decision was lost");
    let st = Study::open(&s).unwrap();
    let moved = codings.decisions.values().next().unwrap();
    assert_eq!(st.paragraph(&moved.para).unwrap().para.text, kept);
    assert_eq!(moved.nodes, ["supply.public-infrastructure"]);
    assert_eq!(codings.orphans[0].decision.nodes, ["environment.financial-support"]);

    // check reports the orphan and fails.
    let out = env.run_in(&s, &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("orphaned"), "{}", stdout(&out));
}

// ---------------------------------------------------------------------------------------------
// docs, and quiet exit when the reader goes away
// ---------------------------------------------------------------------------------------------

#[test]
fn docs_lists_the_demo_with_progress() {
    let env = Env::new();
    let demo = env.demo();
    let out = env.ok_in(&demo, &["docs"]);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("10 documents in polcode demo"));
    let header = lines.next().unwrap();
    for col in ["id", "title", "region", "level", "province", "date", "body", "all"] {
        assert!(header.split_whitespace().any(|c| c == col), "{header}");
    }
    assert!(out.contains("国务院办公厅关于推动区块链技术和产业创新发展的指导意见"));
    for region in ["national", "east", "central", "west", "northeast"] {
        assert!(out.contains(region), "{region}: {out}");
    }

    code_demo(&demo);
    let body = body_paras(&demo, GZ).len();
    let out = env.ok_in(&demo, &["docs", "--coder", "alice"]);
    assert!(out.lines().nth(1).unwrap().contains("coded:alice"), "{out}");
    let gz = out.lines().find(|l| l.starts_with(GZ)).unwrap();
    assert!(gz.ends_with(&format!("2/{body}")), "{gz}");
    // From inside the study (a subdirectory), no --study needed.
    env.cmd()
        .current_dir(demo.join("documents"))
        .arg("docs")
        .assert()
        .success()
        .stdout(contains("coded:alice"));
}

#[test]
fn piping_into_head_exits_quietly() {
    let env = Env::new();
    let demo = env.demo();
    let bin = env!("CARGO_BIN_EXE_polcode");
    // Small output (docs) and output far larger than a pipe buffer (freq per document).
    for args in ["docs", "freq --by document --top 100000", "completions zsh"] {
        let script = format!("'{bin}' --study '{}' {args} | head -1", demo.display());
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(&script)
            .env("POLCODE_DATA_DIR", env.path().join("data"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{script}");
        assert_eq!(stdout(&out).lines().count(), 1, "{script}");
        assert_eq!(stderr(&out), "", "{script}");
    }
}

// ---------------------------------------------------------------------------------------------
// codebook show / check
// ---------------------------------------------------------------------------------------------

/// A codebook with three problems (an empty keyword, a duplicate id, an unknown parent).
const BROKEN_CODEBOOK: &str = "name: broken
nodes:
  - id: talent
    name: {en: Talent, zh: 人才}
    keywords: [人才, \"\"]
  - id: talent
    name: {en: Again, zh: 重复}
  - id: money.tax
    name: {en: Tax, zh: 税收}
";

#[test]
fn codebook_show_and_check_bundled_and_study() {
    let env = Env::new();
    let tree = env.ok(&["codebook", "show", "policy-tools"]);
    for id in ["supply", "environment.tax-incentives", "demand.application-scenarios", "供给型"] {
        assert!(tree.contains(id), "{id}: {tree}");
    }
    let detail = env.ok(&["codebook", "show", "--detail", "policy-tools"]);
    assert!(detail.len() > tree.len());
    assert!(detail.contains("人才"), "keywords shown with --detail");
    let rubric = env.ok(&["codebook", "show", "--detail", "planning-quality"]);
    assert!(rubric.contains("goals"), "{rubric}");

    for name in ["policy-tools", "planning-quality"] {
        let out = env.ok(&["codebook", "check", name]);
        assert!(out.contains("ok"), "{out}");
    }
    // The study's codebook, found from the study.
    let demo = env.demo();
    assert!(env.ok_in(&demo, &["codebook", "check"]).contains("ok (18 nodes)"));
    assert_eq!(env.ok_in(&demo, &["codebook", "show"]), tree);
    // A codebook file checks like a bundled one.
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("codebooks/planning-quality.yaml");
    assert!(env.ok(&["codebook", "check", file.to_str().unwrap()]).contains("ok"));
}

#[test]
fn codebook_check_reports_every_problem_with_its_position() {
    let env = Env::new();
    fs::write(env.path().join("broken.yaml"), BROKEN_CODEBOOK).unwrap();
    let out = env.run(&["codebook", "check", "broken.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("broken.yaml:5:20: empty keyword"), "{text}");
    assert!(text.contains("broken.yaml:6:9: duplicate node id"), "{text}");
    assert!(text.contains("broken.yaml:8:9:"), "{text}");
    assert!(text.contains("3 problem(s)"), "{text}");

    let err = env.fails(&["codebook", "show", "broken.yaml"]);
    assert!(err.contains("broken.yaml:5:20"), "{err}");

    // Not YAML at all.
    fs::write(env.path().join("garbage.yaml"), "name: x\nnodes: [\n  - id: : :\n").unwrap();
    let out = env.run(&["codebook", "check", "garbage.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("garbage.yaml:3:"), "{}", stdout(&out));

    for verb in ["show", "check"] {
        let err = env.fails(&["codebook", verb, "no-such-book"]);
        assert!(err.contains("no-such-book") && err.contains("policy-tools"), "{err}");
    }
}

// ---------------------------------------------------------------------------------------------
// check
// ---------------------------------------------------------------------------------------------

#[test]
fn check_a_clean_study() {
    let env = Env::new();
    let demo = env.demo();
    code_demo(&demo);
    let out = env.ok_in(&demo, &["check"]);
    assert!(out.contains("ok: no problems found"), "{out}");
    assert!(out.contains("10 documents"), "{out}");
    assert!(out.contains("coder alice: 5 decisions"), "{out}");
}

#[test]
fn check_reports_every_damage_and_changes_nothing() {
    let env = Env::new();
    let demo = env.demo();
    let ids = code_demo(&demo);
    let codings = demo.join("codings");
    // bob: malformed YAML (an unclosed flow sequence on line 7).
    fs::write(
        codings.join("bob.yaml"),
        format!(
            "coder: bob\nformat: 1\nseq: 1\ndecisions:\n- para: {}\n  hash: abc\n  nodes: [supply\n",
            ids[0]
        ),
    )
    .unwrap();
    // carol: a node the codebook does not have.
    code(&demo, "carol", &[(&ids[2], &["supply.teleportation"])]);
    // dave: an orphan kept from an earlier re-import.
    fs::write(
        codings.join("dave.yaml"),
        format!(
            "coder: dave\nformat: 1\nseq: 1\ndecisions: []\norphans:\n- decision:\n    para: {BJ}#99\n    \
             hash: 0123456789abcdef\n    nodes: [supply]\n    coder: dave\n    at: 2025-01-01T00:00:00Z\n  \
             reason: paragraph no longer in the document\n"
        ),
    )
    .unwrap();
    // A hand-edited document.
    let doc = demo.join(format!("documents/{GZ}.yaml"));
    let yaml = fs::read_to_string(&doc).unwrap();
    let (meta, paras) = yaml.split_once("paragraphs:").unwrap();
    let edited = format!("{meta}paragraphs:{}", paras.replacen("区块链", "区快链", 1));
    fs::write(&doc, edited).unwrap();
    // erin: a session holding the lock while check runs.
    let held = CoderStore::open(&codings, "erin", OpenMode::ReadWrite).unwrap();

    let before = snapshot_tree(&demo);
    let out = env.run_in(&demo, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("bob.yaml:8:1:"), "malformed YAML with its line: {text}");
    assert!(text.contains("unknown node \"supply.teleportation\""), "{text}");
    assert!(text.contains("carol.yaml"), "{text}");
    assert!(text.contains("dave.yaml: 1 orphaned decision"), "{text}");
    assert!(text.contains(&format!("documents/{GZ}.yaml")), "{text}");
    assert!(text.contains("erin.lock is locked by a running session"), "{text}");
    assert!(text.contains("nothing was changed"), "{text}");
    assert_eq!(snapshot_tree(&demo), before, "check changed a file");
    drop(held);

    // A broken polcode.yaml is reported with its line too.
    fs::write(demo.join("polcode.yaml"), "name: demo\ncodebook: [policy-tools\n").unwrap();
    let out = env.run_in(&demo, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("polcode.yaml:"), "{}", stdout(&out));
}

// ---------------------------------------------------------------------------------------------
// Commands outside a study; the coding screen without a terminal
// ---------------------------------------------------------------------------------------------

#[test]
fn commands_outside_a_study_say_so() {
    let env = Env::new();
    for args in [
        &["docs"][..],
        &["check"],
        &["import", "x.txt"],
        &["codebook", "show"],
        &["codebook", "check"],
        &["stats"],
        &["freq"],
        &["chart"],
        &["agree", "a", "b"],
        &["eval", "--coder", "a"],
        &["suggest", "report"],
        &["export", "--format", "csv"],
        &["import-qdpx", "x.qdpx"],
        &["code"],
        &["review"],
        &["reconcile", "a", "b", "--into", "c"],
    ] {
        let err = env.fails(args);
        assert!(err.starts_with("polcode: error: no study here"), "{args:?}: {err}");
    }
    // --study naming a directory that is not a study.
    fs::create_dir(env.path().join("plain")).unwrap();
    let err = env.fails(&["--study", "plain", "docs"]);
    assert!(err.contains("not a polcode study"), "{err}");
    // POLCODE_STUDY works like --study.
    let demo = env.demo();
    env.cmd()
        .env("POLCODE_STUDY", &demo)
        .arg("docs")
        .assert()
        .success()
        .stdout(contains("10 documents"));
}

#[test]
fn the_coding_screen_needs_a_terminal() {
    let env = Env::new();
    let demo = env.demo();
    let before = snapshot_tree(&demo);
    for args in [
        &["code", "--coder", "alice"][..],
        &["review"],
        &["reconcile", "alice", "bob", "--into", "consensus"],
        &[],
    ] {
        let out = env.cmd().current_dir(&demo).args(args).write_stdin("q").output().unwrap();
        no_panic(&out, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(stderr(&out).contains("needs a terminal"), "{args:?}: {}", stderr(&out));
    }
    assert_eq!(snapshot_tree(&demo), before);
    let err = env.fails(&["--study", demo.to_str().unwrap(), "reconcile", "a", "b", "--into", "a"]);
    assert!(err.contains("--into"), "{err}");
    let err = env.fails(&["--study", demo.to_str().unwrap(), "code", "--coder", "../evil"]);
    assert!(err.contains("invalid coder name") || err.contains("needs a terminal"), "{err}");
}

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
    assert!(tally["title"].as_str().unwrap().starts_with("Tally by region"));
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
    assert!(mean["title"].as_str().unwrap().contains("mean of document coverages"));
    assert!(pooled["title"].as_str().unwrap().contains("total coded characters"));
    assert!(sum["title"].as_str().unwrap().contains("sum of document coverages"));
    let nat_supply = 100.0 * (nat[0] + nat[1]) as f64 / total(&nat);
    let gz_supply = 100.0 * gz[0] as f64 / total(&gz);
    let bj_env = 100.0 * bj[0] as f64 / total(&bj);
    // The national group also holds document 02, which has no codes.
    approx(&cell(mean, "supply", "中央 coverage"), nat_supply / 2.0);
    approx(&cell(sum, "supply", "中央 coverage"), nat_supply);
    approx(&cell(mean, "supply", "东部 coverage"), gz_supply / 2.0); // 03 has none
    approx(&cell(sum, "supply", "东部 coverage"), gz_supply);
    approx(&cell(pooled, "supply", "东部 coverage"), 100.0 * gz[0] as f64 / (total(&bj) + total(&gz)));
    approx(&cell(mean, "environment", "东部 coverage"), bj_env / 2.0);
    approx(&cell(sum, "supply.capital-investment", "中央 coverage"), 100.0 * nat[1] as f64 / total(&nat));
    approx(&cell(mean, "demand", "东部 coverage"), 0.0);

    // all = tally + three coverage tables (no rubric: policy-tools has no scales).
    assert_eq!(stats(&[]).as_array().unwrap().len(), 4);
}

#[test]
fn stats_by_every_grouping_and_in_every_format() {
    let env = Env::new();
    let demo = env.demo();
    code_demo(&demo);
    let tally = |by: &str| parse_json(&env.ok_in(&demo, &["stats", "--what", "tally", "--by", by, "-f", "json"]));
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

    // CSV: a header row, then one row per node with the same figures.
    let csv = env.ok_in(&demo, &["stats", "--what", "tally", "-f", "csv"]);
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().starts_with("id,node,中央 docs,中央 refs"), "{csv}");
    assert!(csv.lines().any(|l| l.starts_with("supply,") && l.ends_with(",2,3")), "{csv}");
    // Markdown: a heading and a pipe table.
    let md = env.ok_in(&demo, &["stats", "--what", "tally", "-f", "md"]);
    assert!(md.contains("| id | node |") && md.contains("| --- |"), "{md}");
    // Text, all tables.
    let text = env.ok_in(&demo, &["stats"]);
    assert!(text.contains("Tally by region") && text.contains("Coverage by region"), "{text}");
    assert!(text.contains("人才培养"), "{text}");

    // Bad values name themselves and the choices.
    for (args, want) in [
        (&["stats", "--by", "planet"][..], "region, level, province"),
        (&["stats", "--format", "xml"], "text, csv, md, json"),
        (&["stats", "--what", "everything"], "tally, coverage, rubric, all"),
        (&["stats", "--pool", "soup"], "pooled, union"),
        (&["stats", "--coder", "nobody"], "no coder \"nobody\""),
        (&["stats", "--what", "rubric"], "no node with a scale"),
    ] {
        let err = env.fails(&[&["--study", demo.to_str().unwrap()][..], args].concat());
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
    env.ok(&["init", s.to_str().unwrap(), "--codebook", "planning-quality"]);
    let src = demo.join("sources");
    env.ok_in(&s, &["import", src.to_str().unwrap(), "--meta", src.join("meta.csv").to_str().unwrap()]);
    let paras = body_paras(&s, BJ);
    let st = Study::open(&s).unwrap();
    let scored: Vec<&str> = st.codebook.nodes.iter().filter(|n| n.scale.is_some()).map(|n| n.id.as_str()).collect();
    let goals = *scored.iter().find(|id| **id == "goals").expect("a goals node");
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
            via: BTreeMap::new(),
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
    assert!(!out.lines().any(|l| l.split_whitespace().nth(2) == Some("措施")), "{out}");

    let csv = env.ok_in(&demo, &["freq", "--top", "3", "--by", "region", "-f", "csv"]);
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let groups: std::collections::BTreeSet<String> =
        rows.records().map(|r| r.unwrap()[0].to_string()).collect();
    assert_eq!(groups.len(), 5, "five regions: {csv}");
    assert!(groups.contains("东北"), "{groups:?}");

    let j = parse_json(&env.ok_in(&demo, &["freq", "--top", "5", "-f", "json"]));
    let rows = j["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    let counts: Vec<i64> = rows.iter().map(|r| r["count"].as_i64().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "sorted by count: {counts:?}");
    assert!(rows.iter().all(|r| r["length"].as_i64().unwrap() >= 2));

    let err = env.fails(&["--study", demo.to_str().unwrap(), "freq", "--by", "galaxy"]);
    assert!(err.contains("galaxy"), "{err}");
    env.usage_error(&["--study", demo.to_str().unwrap(), "freq", "--top", "many"]);
}

#[test]
fn chart_writes_valid_svg() {
    let env = Env::new();
    let demo = env.demo();
    code_demo(&demo);
    let svg = env.ok_in(&demo, &["chart"]);
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"), "{svg}");
    for label in ["供给型", "环境型", "需求型", "东部", "东北"] {
        assert!(svg.contains(label), "{label}");
    }
    let out = env.path().join("supply.svg");
    let err = stderr(&env.run_in(
        &demo,
        &["chart", "--metric", "refs", "--children-of", "supply", "--by", "level", "-o", out.to_str().unwrap()],
    ));
    assert!(err.contains("wrote"), "{err}");
    let file = fs::read_to_string(&out).unwrap();
    assert!(file.contains("人才培养"), "children of supply");
    assert!(file.contains("reference points"));
    assert!(file.contains("municipal"));
    if std::process::Command::new("xmllint").arg("--version").output().is_ok() {
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
    assert!(env.fails(&["--study", d, "chart", "--children-of", "supply.nonsense"]).contains("supply.nonsense"));
    assert!(env.fails(&["--study", d, "chart", "--metric", "pie"]).contains("coverage, refs"));
    // A chart has no --format (it would have been ignored).
    env.usage_error(&["--study", d, "chart", "--format", "csv"]);
    let err = env.fails(&["--study", d, "chart", "-o", "/nonexistent-dir/c.svg"]);
    assert!(err.contains("/nonexistent-dir/c.svg"), "{err}");
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
            (&ids[1], &["supply.human-resources", "supply.capital-investment"]),
            (&ids[2], &["environment.tax-incentives"]),
            (&ids[3], &["supply.capital-investment"]),
            (&ids[4], &[]),
        ],
    );
    let j = parse_json(&env.ok_in(&demo, &["agree", "alice", "bob", "-f", "json", "--list"]));
    let t = &j[0];
    // Units: the body paragraphs of the three documents both coded in (01, 03, 04).
    let units = (body_paras(&demo, NAT).len() + body_paras(&demo, BJ).len() + body_paras(&demo, GZ).len()) as i64;
    assert_eq!(cell(t, "supply.human-resources", "units"), units);
    // Talent: alice 3 paragraphs, bob 2, one disagreement.
    let n = units as f64;
    approx(&cell(t, "supply.human-resources", "agreement"), 100.0 * (n - 1.0) / n);
    let po = (n - 1.0) / n;
    let pe = (3.0 / n) * (2.0 / n) + ((n - 3.0) / n) * ((n - 2.0) / n);
    approx(&cell(t, "supply.human-resources", "cohen κ"), (po - pe) / (1.0 - pe));
    // Same codes throughout: perfect; never used: undefined with a reason, not 0 or 1.
    approx(&cell(t, "environment.tax-incentives", "cohen κ"), 1.0);
    let undefined = cell(t, "demand.industry-chain", "cohen κ");
    assert!(undefined.as_str().unwrap().starts_with("undefined:"), "{undefined}");
    // The disagreement list names Guangzhou's paragraph.
    let list = j.as_array().unwrap().last().unwrap();
    let listed = serde_json::to_string(&list["rows"]).unwrap();
    assert!(listed.contains(&ids[3]), "{listed}");
    assert!(!listed.contains(&ids[0]), "{listed}");

    let text = env.ok_in(&demo, &["agree", "alice", "bob"]);
    assert!(text.contains("Agreement of alice, bob"), "{text}");
    let d = demo.to_str().unwrap();
    assert!(env.fails(&["--study", d, "agree", "alice", "zed"]).contains("no coder \"zed\""));
    assert!(env.fails(&["--study", d, "agree", "alice", "alice"]).contains("twice"));
    assert!(env.fails(&["--study", d, "agree", "alice", "bob", "-f", "pdf"]).contains("pdf"));
}

#[test]
fn eval_and_suggest_report() {
    let env = Env::new();
    let demo = env.demo();
    code_demo(&demo);
    let text = env.ok_in(&demo, &["eval", "--coder", "alice", "--keywords-only"]);
    assert!(text.contains("coder alice: 4 paragraphs with codes, 1 no-code, in 3 documents"), "{text}");
    assert!(text.contains("top-1") && text.contains("supply.human-resources"), "{text}");
    let j = parse_json(&env.ok_in(&demo, &["eval", "--coder", "alice", "-f", "json"]));
    assert_eq!(j["coder"], "alice");
    assert_eq!(j["keywords"]["evaluated"], 4);
    let csv = env.ok_in(&demo, &["eval", "--coder", "alice", "-f", "csv"]);
    assert!(csv.starts_with("model,node,"), "{csv}");
    // The default coder is $POLCODE_CODER.
    env.cmd()
        .args(["--study", demo.to_str().unwrap(), "eval", "--keywords-only"])
        .env("POLCODE_CODER", "alice")
        .assert()
        .success()
        .stdout(contains("coder alice"));

    let report = env.ok_in(&demo, &["suggest", "report"]);
    assert!(report.contains("rule audit: 5 coded paragraphs, coders: alice"), "{report}");
    assert!(report.contains("supply.human-resources"));
    let csv = env.ok_in(&demo, &["suggest", "report", "-f", "csv"]);
    assert!(csv.starts_with("node,keyword,kind,fired,accepted,precision,chosen,missed\n"), "{csv}");

    let d = demo.to_str().unwrap();
    assert!(env.fails(&["--study", d, "eval", "--coder", "nobody"]).contains("nobody"));
    assert!(env.fails(&["--study", d, "eval", "--coder", "alice", "-f", "md"]).contains("text, csv, json"));
    assert!(env.fails(&["--study", d, "suggest", "report", "-f", "json"]).contains("text, csv"));
    assert!(env.fails(&["--study", d, "suggest", "report", "--coder", "zed"]).contains("zed"));
}

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
    env.ok_in(&demo, &["export", "-f", "qdpx", "-o", qdpx.to_str().unwrap()]);
    let mut zip = zip::ZipArchive::new(fs::File::open(&qdpx).unwrap()).unwrap();
    let names: Vec<String> = zip.file_names().map(str::to_string).collect();
    assert!(names.iter().any(|n| n == "project.qde"), "{names:?}");
    assert_eq!(names.iter().filter(|n| n.starts_with("sources/")).count(), 10, "{names:?}");
    let mut qde = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("project.qde").unwrap(), &mut qde).unwrap();
    // Four coded paragraphs and one explicit no-code mark (carried in the description).
    assert_eq!(qde.matches("<PlainTextSelection").count(), 5, "{qde}");
    // Two exports are identical (stable GUIDs).
    let again = env.path().join("again.qdpx");
    env.ok_in(&demo, &["export", "-f", "qdpx", "-o", again.to_str().unwrap()]);
    assert_eq!(fs::read(&qdpx).unwrap(), fs::read(&again).unwrap());

    // Tidy CSV: one row per decision and node.
    let csv = env.ok_in(&demo, &["export", "-f", "csv"]);
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    for col in ["doc_id", "para_id", "section", "node", "parent", "coder", "score", "memo", "region", "level", "province", "date"] {
        assert!(header.iter().any(|h| h == col), "{col} missing in {header:?}");
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
    let c = header.iter().position(|h| h == "alice:supply.capital-investment").expect("node column");
    let p = header.iter().position(|h| h == "para_id").unwrap();
    let ones: Vec<String> = r
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[c] == "1")
        .map(|r| r[p].to_string())
        .collect();
    assert_eq!(ones, [ids[1].clone()]);
    let rolled = env.ok_in(&demo, &["export", "-f", "matrix", "--roll-up", "--consensus", "alice"]);
    assert!(rolled.lines().next().unwrap().contains("supply"), "{rolled}");

    // JSON: parses, with the codebook and every decision.
    let j = parse_json(&env.ok_in(&demo, &["export", "-f", "json"]));
    let text = j.to_string();
    assert!(j["codebook"].as_array().unwrap().len() == 18, "{}", &text[..300]);
    for id in &ids {
        assert!(text.contains(id.as_str()), "{id} missing from the JSON export");
    }
    parse_json(&env.ok_in(&demo, &["export", "-f", "matrix-json"]));

    let err = env.fails(&["--study", d, "export", "-f", "docx"]);
    assert!(err.contains("docx") && err.contains("qdc, qdpx, csv"), "{err}");
    env.usage_error(&["--study", d, "export"]);
    assert!(env.fails(&["--study", d, "export", "-f", "csv", "--coder", "zed"]).contains("zed"));
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
    assert!(env.ok(&["codebook", "check", yaml.to_str().unwrap()]).contains("ok (18 nodes)"));
    let shown = env.ok(&["codebook", "show", yaml.to_str().unwrap()]);
    assert!(shown.contains("supply.human-resources") && shown.contains("人才培养"), "{shown}");

    // Never overwrites.
    let before = fs::read(&yaml).unwrap();
    let err = env.fails(&["--study", "s", "import-codebook", qdc.to_str().unwrap()]);
    assert!(err.contains("exists") && err.contains("nothing was overwritten"), "{err}");
    assert_eq!(fs::read(&yaml).unwrap(), before);

    // --out relative to the current directory and --use: stored relative to the study.
    fs::create_dir(env.path().join("books")).unwrap();
    let out = env.ok(&["--study", "s", "import-codebook", "tools.qdc", "--out", "books/t.yaml", "--use"]);
    assert!(out.contains("the study now uses ../books/t.yaml"), "{out}");
    assert!(env.ok_in(&s, &["check"]).contains("ok: no problems found"));
    assert!(env.ok_in(&s, &["codebook", "check"]).contains("t.yaml: ok"));

    // Wrong inputs.
    let qdpx = env.path().join("p.qdpx");
    env.ok_in(&demo, &["export", "-f", "qdpx", "-o", qdpx.to_str().unwrap()]);
    let err = env.fails(&["import-codebook", qdpx.to_str().unwrap()]);
    assert!(err.contains("import-qdpx"), "{err}");
    fs::write(env.path().join("not.qdc"), "<CodeBook><Codes><Code").unwrap();
    assert!(env.fails(&["import-codebook", "not.qdc"]).contains("not.qdc"));
    assert!(env.fails(&["import-codebook", "missing.qdc"]).contains("missing.qdc"));
}

#[test]
fn import_qdpx_round_trip_into_a_fresh_study() {
    let env = Env::new();
    let demo = env.demo();
    let ids = code_demo(&demo);
    code(&demo, "bob", &[(&ids[0], &["supply.human-resources"]), (&ids[2], &["demand.industry-chain"])]);
    let qdpx = env.path().join("demo.qdpx");
    env.ok_in(&demo, &["export", "-f", "qdpx", "-o", qdpx.to_str().unwrap()]);

    let s = empty_study(&env);
    let out = env.ok_in(&s, &["import-qdpx", qdpx.to_str().unwrap()]);
    assert!(out.contains("imported 10 documents"), "{out}");
    assert!(!out.contains("not placed"), "{out}");
    let coded = |study: &Path, coder: &str| {
        let (c, _) = polcode::store::read_codings(&study.join("codings"), coder).unwrap();
        c.decisions
            .values()
            .filter(|d| !d.nodes.is_empty())
            .map(|d| (d.para.clone(), d.nodes.clone()))
            .collect::<BTreeMap<_, _>>()
    };
    let decisions = |study: &Path, coder: &str| {
        let (c, _) = polcode::store::read_codings(&study.join("codings"), coder).unwrap();
        (c.decisions.len(), c.decisions.values().filter(|d| d.no_code).count())
    };
    for coder in ["alice", "bob"] {
        assert_eq!(coded(&s, coder), coded(&demo, coder), "{coder}'s codes changed on the way");
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
    let original = fs::read_to_string(demo.join("sources/03_beijing_blockchain-action-plan.txt")).unwrap();
    let dir = env.path().join("edited");
    fs::create_dir(&dir).unwrap();
    let edited = original.replacen("二、重点任务\n", "二、重点任务\n一段后来删掉的说明文字，只在旧版本里有。\n", 1);
    fs::write(dir.join(format!("{BJ}.txt")), &edited).unwrap();
    env.ok_in(&s, &["import", dir.to_str().unwrap()]);
    let paras = body_paras(&s, BJ);
    let st = Study::open(&s).unwrap();
    let target = paras.iter().find(|p| st.paragraph(&p.0).unwrap().para.text.contains("人才引进")).unwrap();
    code(&s, "carol", &[(&target.0, &["supply.human-resources"])]);

    // The qdpx holds the original text: the document is replaced and carol's decision follows
    // its paragraph.
    let qdpx = env.path().join("demo.qdpx");
    env.ok_in(&demo, &["export", "-f", "qdpx", "-o", qdpx.to_str().unwrap()]);
    let out = env.ok_in(&s, &["import-qdpx", qdpx.to_str().unwrap()]);
    assert!(out.contains(&format!("document {BJ} already exists")), "{out}");
    assert!(out.contains("codings of carol") && out.contains("1 moved"), "{out}");
    let (c, _) = polcode::store::read_codings(&s.join("codings"), "carol").unwrap();
    let st = Study::open(&s).unwrap();
    let d = c.decisions.values().next().unwrap();
    assert!(st.paragraph(&d.para).unwrap().para.text.contains("人才引进"));
    assert!(env.ok_in(&s, &["check"]).contains("ok: no problems found"));
}
