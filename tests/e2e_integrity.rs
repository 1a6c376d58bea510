//! End-to-end integrity: decisions never land on other text after a re-import, and no session
//! outlives its terminal. The real binary runs in tmux on a study made from a real document of
//! `../shared/corpus`:
//!
//! - a document gains a paragraph at the top and is re-imported while the coder's session is
//!   open: the session notices before its next decision and re-anchors;
//! - an import killed between saving documents and re-anchoring (`strace` kills it at its first
//!   `flock`): the next session start, the next import and `polcode reanchor` each complete it;
//! - the terminal goes away under `setsid -w` and `su -c` (no SIGHUP reaches polcode): it saves,
//!   releases the lock and exits.
//!
//! Skipped (with a message) without tmux or strace, except under CI, where `.ci/run` installs
//! them; skipped without `../shared/corpus`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::thread::sleep;
use std::time::{Duration, Instant};

use polcode_core::store::{is_anchored, read_codings, CoderStore, OpenMode};
use polcode_core::study::Study;

use crate::support::tmux;
use tmux::Tmux;

const BIN: &str = env!("CARGO_BIN_EXE_polcode");
/// A real document that opens with an addressee line and body paragraphs.
const DOC: &str = "05_national_CN_2022_digital-government-opinions.txt";
const NEW_PARAGRAPH: &str =
    "　　为做好新形势下的相关工作，经研究，现将有关事项补充说明如下，请结合实际认真贯彻落实。";

fn corpus_doc() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/docs")
        .join(DOC);
    if p.is_file() {
        Some(p)
    } else {
        println!("skipped: ../shared/corpus is not present");
        None
    }
}

fn strace_available() -> bool {
    tmux::tool_available(
        "strace",
        "-V",
        "strace",
        "an import killed at its first flock",
    )
}

fn polcode(study: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--study")
        .arg(study)
        .args(args)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A study with the real document imported from a copy in `src/`; returns (study, source file).
fn study_with_doc(tmp: &Path, corpus: &Path) -> (PathBuf, PathBuf) {
    let study = tmp.join("study");
    let src = tmp.join("src").join("opinions.txt");
    std::fs::create_dir_all(src.parent().unwrap()).unwrap();
    std::fs::copy(corpus, &src).unwrap();
    let o = Command::new(BIN)
        .args(["init", "--codebook", "policy-tools"])
        .arg(&study)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let o = polcode(&study, &["import", src.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    (study, src)
}

/// Puts a new body paragraph right after the document's first line.
fn add_paragraph_at_top(src: &Path) {
    let old = std::fs::read_to_string(src).unwrap();
    let (first, rest) = old.split_once('\n').unwrap();
    std::fs::write(src, format!("{first}\n{NEW_PARAGRAPH}\n{rest}")).unwrap();
}

/// The texts of the first `n` body paragraphs, in reading order.
fn first_body_texts(study: &Path, n: usize) -> BTreeSet<String> {
    let st = Study::open(study).unwrap();
    polcode_core::corpus::body_units(&st.docs)
        .into_iter()
        .take(n)
        .map(|(d, p)| st.docs[d].paragraphs[p].text.clone())
        .collect()
}

/// The texts the coder's decisions sit on now, checking that each decision's paragraph still
/// has the text hash it was made on (read straight from the files: no re-anchoring).
fn decided_texts(study: &Path, coder: &str) -> (bool, BTreeSet<String>) {
    let st = Study::open(study).unwrap();
    let (c, _) = read_codings(&st.codings_dir(), coder).unwrap();
    let texts = c
        .decisions
        .values()
        .filter_map(|d| st.paragraph(&d.para).map(|r| r.para.text.clone()))
        .collect();
    (is_anchored(&c, &st.docs), texts)
}

fn code_cmd(study: &Path, coder: &str) -> String {
    format!(
        "cd {} && exec env POLCODE_CODER={coder} TERM=xterm-256color {BIN}",
        study.display()
    )
}

/// Codes the first `n` paragraphs as "no code" in a session, then quits.
fn code_first(study: &Path, coder: &str, n: usize, name: &str) {
    let t = Tmux::start(name, &code_cmd(study, coder));
    t.wait_for("suggestions");
    for i in 1..=n {
        t.keys(&["x"]);
        t.wait_for(&format!("corpus {i}/"));
    }
    t.keys(&["q"]);
    t.wait_exit();
}

#[test]
fn reimport_while_a_session_is_open_never_moves_a_decision_to_other_text() {
    let Some(corpus) = corpus_doc() else { return };
    if !tmux::tmux_available("re-import under an open session") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (study, src) = study_with_doc(tmp.path(), &corpus);
    let expected = first_body_texts(&study, 4);
    let t = Tmux::start("reimport", &code_cmd(&study, "a"));
    t.wait_for("suggestions");
    for i in 1..=3 {
        t.keys(&["x"]);
        t.wait_for(&format!("corpus {i}/"));
    }
    // Another process re-imports the document with a new paragraph at the top.
    add_paragraph_at_top(&src);
    let o = polcode(&study, &["import", src.to_str().unwrap()]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("1 updated"), "{out}");
    assert!(
        out.contains("codings of a: a session is open"),
        "the import says the open session re-anchors: {out}"
    );
    // The next key is not applied: the session reloads and re-anchors first.
    t.keys(&["x"]);
    let s = t.wait_for("documents changed by a re-import");
    assert!(s.contains("corpus 3/"), "{s}");
    assert!(
        !s.contains(NEW_PARAGRAPH.trim_start_matches('　')),
        "stays on the paragraph the coder was reading:\n{s}"
    );
    t.keys(&["x"]);
    t.wait_for("corpus 4/");
    t.keys(&["q"]);
    t.wait_exit();
    let (anchored, texts) = decided_texts(&study, "a");
    assert!(anchored, "every decision sits on the text it was made on");
    assert_eq!(texts, expected);
    let o = polcode(&study, &["check"]);
    assert!(o.status.success(), "{}", text(&o));
}

/// Codes three paragraphs, then re-imports with a paragraph added at the top under strace,
/// which kills the import at its first `flock` (taking a coder's lock to re-anchor): the
/// documents are saved, the codings are not re-anchored. Returns the texts coded.
fn interrupted_import(study: &Path, src: &Path, name: &str) -> BTreeSet<String> {
    let expected = first_body_texts(study, 3);
    code_first(study, "a", 3, name);
    assert_eq!(decided_texts(study, "a"), (true, expected.clone()));
    add_paragraph_at_top(src);
    let o = Command::new("strace")
        .args(["-f", "-o", "/dev/null", "-e", "trace=flock", "-e"])
        .arg("inject=flock:signal=KILL:when=1")
        .arg(BIN)
        .arg("--study")
        .arg(study)
        .arg("import")
        .arg(src)
        .output()
        .unwrap();
    assert!(!o.status.success(), "the import was killed: {}", text(&o));
    let st = Study::open(study).unwrap();
    assert!(
        st.docs[0]
            .paragraphs
            .iter()
            .any(|p| NEW_PARAGRAPH.contains(&p.text)),
        "the documents were saved before the kill"
    );
    let (anchored, _) = decided_texts(study, "a");
    assert!(!anchored, "the kill came before re-anchoring");
    expected
}

#[test]
fn an_interrupted_import_is_completed_by_the_next_session() {
    let Some(corpus) = corpus_doc() else { return };
    if !tmux::tmux_available("interrupted import") || !strace_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (study, src) = study_with_doc(tmp.path(), &corpus);
    let expected = interrupted_import(&study, &src, "int-session1");
    // Readers never count a decision on other text, even before anything is saved.
    let st = Study::open(&study).unwrap();
    let (c, warnings) =
        polcode_core::store::read_anchored(&st.codings_dir(), "a", &st.docs).unwrap();
    assert!(is_anchored(&c, &st.docs));
    assert!(warnings.iter().any(|w| w.contains("polcode reanchor")));
    let o = polcode(&study, &["check"]);
    assert!(
        text(&o).contains("`polcode reanchor` re-anchors it"),
        "{}",
        text(&o)
    );
    // The coder's next session re-anchors at start and says so.
    let t = Tmux::start("int-session2", &code_cmd(&study, "a"));
    let s = t.wait_for("documents changed by a re-import");
    assert!(s.contains("corpus 3/"), "{s}");
    t.keys(&["q"]);
    t.wait_exit();
    assert_eq!(decided_texts(&study, "a"), (true, expected));
}

#[test]
fn an_interrupted_import_is_completed_by_the_next_import_or_reanchor() {
    let Some(corpus) = corpus_doc() else { return };
    if !tmux::tmux_available("interrupted import") || !strace_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (study, src) = study_with_doc(tmp.path(), &corpus);
    let expected = interrupted_import(&study, &src, "int-import");
    // The same import again: no document changes, but the re-anchoring is completed.
    let o = polcode(&study, &["import", src.to_str().unwrap()]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("0 new, 0 updated, 1 unchanged"), "{out}");
    assert!(out.contains("codings of a: 0 kept, 3 moved"), "{out}");
    assert_eq!(decided_texts(&study, "a"), (true, expected.clone()));

    // And with `polcode reanchor`.
    let tmp2 = tempfile::tempdir().unwrap();
    let (study2, src2) = study_with_doc(tmp2.path(), &corpus);
    let expected2 = interrupted_import(&study2, &src2, "int-reanchor");
    let o = polcode(&study2, &["reanchor"]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("codings of a: 0 kept, 3 moved"), "{out}");
    assert_eq!(decided_texts(&study2, "a"), (true, expected2));
    let o = polcode(&study2, &["reanchor"]);
    assert!(
        text(&o).contains("codings of a: every decision sits on the text it was made on"),
        "{}",
        text(&o)
    );
}

/// Runs a session under `wrapper` (which keeps polcode out of the terminal's session, so no
/// SIGHUP reaches it), codes one paragraph, kills the tmux server, and checks that polcode
/// exits by itself, saved, with the lock free.
fn hangup_without_sighup(wrapper: &str, name: &str) {
    let Some(corpus) = corpus_doc() else { return };
    if !tmux::tmux_available("terminal hangup without SIGHUP") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (study, _) = study_with_doc(tmp.path(), &corpus);
    let coder = format!("h-{name}");
    let inner = format!(
        "cd {} && env POLCODE_CODER={coder} TERM=xterm-256color {BIN}",
        study.display()
    );
    let cmd = wrapper.replace("CMD", &inner);
    let t = Tmux::start(name, &cmd);
    t.wait_for("suggestions");
    t.keys(&["x"]);
    t.wait_for("corpus 1/");
    // Let start-up work (the learner, built on a thread) finish first: a frame drawn after the
    // hangup fails to write and ends the session on its own, which would hide the case where
    // nothing is left to draw and only the input side can notice.
    sleep(Duration::from_secs(3));
    t.run(&["kill-server"]);
    // Hang guard, not a speed assertion: the lock must come free without anyone's help.
    let codings = study.join("codings");
    let start = Instant::now();
    let store = loop {
        match CoderStore::open(&codings, &coder, OpenMode::ReadWrite) {
            Ok(s) => break s,
            Err(e) => {
                assert!(
                    start.elapsed() < Duration::from_secs(30),
                    "the session outlived its terminal: {e}"
                );
                sleep(Duration::from_millis(100));
            }
        }
    };
    assert_eq!(store.codings().decisions.len(), 1);
    drop(store);
    // It closed properly: the snapshot holds the decision and the journal is empty.
    let journal = codings.join(format!("{coder}.journal"));
    assert_eq!(std::fs::metadata(&journal).map(|m| m.len()).unwrap_or(0), 0);
    let snapshot = std::fs::read_to_string(codings.join(format!("{coder}.yaml"))).unwrap();
    assert!(snapshot.contains("\"no_code\":true"), "{snapshot}");
    // Nothing of the session is left running (the wrapper's shell goes once polcode has).
    loop {
        let left = Command::new("pgrep")
            .args(["-f", &format!("POLCODE_CODER={coder}")])
            .output()
            .unwrap();
        let pids = String::from_utf8_lossy(&left.stdout).trim().to_string();
        if pids.is_empty() {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "still running: {pids}"
        );
        sleep(Duration::from_millis(100));
    }
}

#[test]
fn setsid_session_exits_when_the_terminal_goes() {
    hangup_without_sighup("setsid -w sh -c 'CMD'", "setsid");
}

#[test]
fn su_session_exits_when_the_terminal_goes() {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if !root {
        println!("skipped: `su root -c` needs root here");
        return;
    }
    hangup_without_sighup("su root -c 'CMD'", "su");
}
