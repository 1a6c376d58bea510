//! The `polcode` binary end to end, command by command, with valid and invalid inputs: exit
//! codes, messages, what lands in the files, and that nothing ever panics.
//!
//! Every test works in its own temporary directory with `POLCODE_DATA_DIR` and `POLCODE_CONFIG`
//! pointing inside it, so the user's real demo study and config are never touched. Tests that
//! read the real corpus in `../shared/corpus` print `SKIPPED` and pass when it is absent.
//!
//! One test binary: this file holds the helpers (a scratch [`Env`], running the binary, a
//! hand-built coding of the demo written through `CoderStore`); the modules hold the tests.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use std::io::Write as _;
use std::process::{Command, Stdio};

use polcode_core::corpus::ParaKind;
use polcode_core::store::{CoderStore, Decision, OpenMode};
use polcode_core::study::Study;

mod analysis;
mod basics;
mod exchange;
mod inspect;
mod setup;
mod tables;

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
        let out = self
            .cmd()
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run polcode");
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
        // The demo ships the `reference` coder; the figures checked by hand here are for the
        // coders these tests write, so it is set aside (its own tests live in crates/core/src/demo).
        let reference = p.join("codings").join("reference.yaml");
        if reference.is_file() {
            std::fs::remove_file(reference).unwrap();
        }
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

/// Runs `c` with `input` on its standard input, closed after it (a program that exits without
/// reading it is fine).
fn output_with_stdin(c: &mut Command, input: &str) -> Output {
    let mut child = c
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run polcode");
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    child.wait_with_output().expect("wait for polcode")
}

/// Runs `c`, asserting that it exits 0 and that its standard output contains `needle`.
fn assert_ok_with(c: &mut Command, needle: &str) {
    let out = c.output().expect("run polcode");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(text.contains(needle), "{needle:?} not in:\n{text}");
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
    let d = &s.docs[s
        .doc_index(doc)
        .unwrap_or_else(|| panic!("no document {doc}"))];
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
        let p = s
            .paragraph(para)
            .unwrap_or_else(|| panic!("no paragraph {para}"));
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
                via: Default::default(),
                derived: None,
                found: None,
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
            (
                &ids[1],
                &["supply.human-resources", "supply.capital-investment"],
            ),
            (&ids[2], &["environment.tax-incentives"]),
            (&ids[3], &["supply.human-resources"]),
            (&ids[4], &[]),
        ],
    );
    ids
}

/// A fresh empty study `s` in the scratch directory.
fn empty_study(env: &Env) -> PathBuf {
    env.ok(&["init", "s"]);
    env.path().join("s")
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
