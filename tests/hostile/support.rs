//! Shared helpers of the hostile-input tests: running polcode, making studies, comparing
//! every file byte for byte.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hostile")
        .join(name)
}

/// Every file under `dir` with its bytes (what "nothing was changed" is checked against).
pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            let ft = e.file_type().unwrap();
            if ft.is_dir() {
                stack.push(p);
            } else if ft.is_file() {
                out.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    fs::read(&p).unwrap(),
                );
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    fs::read_link(&p)
                        .map(|t| t.to_string_lossy().into_owned().into_bytes())
                        .unwrap_or_default(),
                );
            }
        }
    }
    out
}

pub fn assert_same_tree(before: &BTreeMap<PathBuf, Vec<u8>>, dir: &Path, what: &str) {
    let after = tree(dir);
    for (p, b) in before {
        match after.get(p) {
            None => panic!("{what}: {} disappeared", p.display()),
            Some(a) => assert!(a == b, "{what}: {} was changed", p.display()),
        }
    }
    let added: Vec<_> = after.keys().filter(|p| !before.contains_key(*p)).collect();
    assert!(added.is_empty(), "{what}: files appeared: {added:?}");
}

pub struct Env {
    tmp: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            tmp: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// Runs polcode in `cwd` with its config and data dirs inside the test's temp dir.
    pub fn run(&self, cwd: &Path, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_polcode"))
            .args(args)
            .current_dir(cwd)
            .env("POLCODE_DATA_DIR", self.path().join("data"))
            .env("POLCODE_CONFIG", self.path().join("config"))
            .env_remove("POLCODE_STUDY")
            .env_remove("POLCODE_COMPACT_EVERY")
            .output()
            .unwrap()
    }

    /// A new empty study with the bundled policy-tools codebook.
    pub fn study(&self, name: &str) -> PathBuf {
        let dir = self.path().join(name);
        let o = self.run(self.path(), &["init", name, "--codebook", "policy-tools"]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        dir
    }

    /// The demo study (ten real documents).
    pub fn demo(&self) -> PathBuf {
        let o = self.run(self.path(), &["demo"]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        PathBuf::from(text(&o.stdout).trim())
    }
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Lines of the demo's first document longer than 20 characters, after its title: real
/// Chinese policy text (the fixtures were made from the same lines).
pub fn demo_lines() -> Vec<String> {
    let t = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("crates/core/src/demo/01_national_blockchain-opinions.txt"),
    )
    .unwrap();
    t.lines()
        .map(str::trim)
        .filter(|l| l.chars().count() > 20)
        .skip(1)
        .map(String::from)
        .collect()
}

/// Imports `file` into a fresh study; returns (exit code, stdout, stderr, study dir).
pub fn import_one(env: &Env, file: &Path) -> (i32, String, String, PathBuf) {
    let study = env.study("s");
    let before_input = fs::read(file).unwrap();
    let o = env.run(
        &study,
        &["import", file.to_str().unwrap(), "--level", "national"],
    );
    assert_eq!(
        fs::read(file).unwrap(),
        before_input,
        "the input file was changed"
    );
    (
        o.status.code().unwrap_or(-1),
        text(&o.stdout),
        text(&o.stderr),
        study,
    )
}

/// A refused import: exact message, exit code 1, no document written.
pub fn assert_import_refused(file: &Path, reason: &str) {
    let env = Env::new();
    let (code, out, err, study) = import_one(&env, file);
    let f = file.display();
    assert_eq!(
        out,
        format!("imported: 0 new, 0 updated, 0 unchanged, 1 failed\nerror: {f}: {reason}\n"),
        "stderr: {err}"
    );
    assert_eq!(code, 1);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(fs::read_dir(study.join("documents")).unwrap().count(), 0);
}

pub fn stored_docs(study: &Path) -> Vec<(PathBuf, String)> {
    let mut v: Vec<_> = fs::read_dir(study.join("documents"))
        .unwrap()
        .flatten()
        .map(|e| (e.path(), fs::read_to_string(e.path()).unwrap()))
        .collect();
    v.sort();
    v
}

/// `polcode check`: its stdout, with the study byte-for-byte unchanged.
pub fn check(env: &Env, study: &Path) -> (i32, String) {
    let before = tree(study);
    let o = env.run(study, &["check"]);
    assert_same_tree(&before, study, "polcode check");
    assert!(!text(&o.stderr).contains("panicked"));
    (
        o.status.code().unwrap_or(-1),
        text(&o.stdout) + &text(&o.stderr),
    )
}

pub fn problems(report: &str) -> Vec<&str> {
    report
        .lines()
        .filter_map(|l| l.strip_prefix("problem: "))
        .collect()
}

/// 90 KB of real text aliased 20,000 times (1.8 GB expanded) — serde_yaml alone aborted.
pub fn alias_bomb_yaml(prefix: &str, anchor_line: &str, alias_line: &str) -> String {
    let big = demo_lines().concat().repeat(30);
    let refs = vec!["*a"; 20_000].join(",");
    format!(
        "{prefix}{}{}\n",
        anchor_line.replace("BIG", &big),
        alias_line.replace("REFS", &refs)
    )
}

impl Env {
    /// Like [`Env::run`], but kills polcode and fails the test if it has not finished after
    /// `guard` seconds: for inputs that used to make it hang (a FIFO, a symlink loop), so
    /// that a regression fails instead of blocking the test run. Not a speed assertion: the
    /// guard is many times what the work takes.
    pub fn run_guarded(&self, cwd: &Path, args: &[&str], guard: u64) -> Output {
        use std::io::Read;
        use std::process::Stdio;
        let mut child = Command::new(env!("CARGO_BIN_EXE_polcode"))
            .args(args)
            .current_dir(cwd)
            .env("POLCODE_DATA_DIR", self.path().join("data"))
            .env("POLCODE_CONFIG", self.path().join("config"))
            .env_remove("POLCODE_STUDY")
            .env_remove("POLCODE_COMPACT_EVERY")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let drain = |mut r: Box<dyn Read + Send>| {
            std::thread::spawn(move || {
                let mut b = Vec::new();
                let _ = r.read_to_end(&mut b);
                b
            })
        };
        let out = drain(Box::new(child.stdout.take().unwrap()));
        let err = drain(Box::new(child.stderr.take().unwrap()));
        let start = std::time::Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if start.elapsed().as_secs() >= guard {
                let _ = child.kill();
                let _ = child.wait();
                panic!("polcode {args:?} was still running after {guard} s (hung); killed");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        Output {
            status,
            stdout: out.join().unwrap(),
            stderr: err.join().unwrap(),
        }
    }
}
