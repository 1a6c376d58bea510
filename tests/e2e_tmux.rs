//! End-to-end: the real `polcode` binary in a real terminal (tmux), driven with send-keys and
//! read with capture-pane. Codes paragraphs of the demo study, quits, and checks the YAML on
//! disk; then the same with `kill -9` and with SIGHUP mid-session, checking that every decision
//! the screen acknowledged is on disk and that the next start works.
//!
//! The picker's rows as tmux shows them are compared with the same rows drawn in-process, so the
//! byte-saving backend's moves, erases and rewrites are checked in a real terminal too.
//!
//! Skipped (with a message) when tmux is missing, except under CI (`CI` set), where `.ci/run`
//! installs it and a missing tmux is a failure.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

use polcode_core::store::{read_codings, CoderStore, OpenMode};
use polcode_core::study::Study;
use polcode_tui::keymap::parse_keys;
use polcode_tui::theme::Theme;
use polcode_tui::view;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use unicode_width::UnicodeWidthStr;

use crate::support::tmux;

use tmux::Tmux;

fn available() -> bool {
    tmux::tmux_available("the coding screen in a real terminal")
}

fn setup(name: &str) -> (tempfile::TempDir, PathBuf, String) {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let bin = env!("CARGO_BIN_EXE_polcode");
    let out = Command::new(bin)
        .arg("demo")
        .env("POLCODE_DATA_DIR", &data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let study = PathBuf::from(String::from_utf8(out.stdout).unwrap().trim());
    assert!(study.join("polcode.yaml").is_file());
    // `exec` so the pane's pid is polcode itself (signals in the tests reach it directly).
    let cmd = format!(
        "cd {} && exec env POLCODE_CONFIG={} POLCODE_CODER=alice-{name} TERM=xterm-256color {bin}",
        study.display(),
        tmp.path().join("config").display(),
    );
    (tmp, study, cmd)
}

/// Reads the header's "corpus N/M coded" figure.
fn coded_on_screen(screen: &str) -> usize {
    let i = screen
        .find("corpus ")
        .expect("header shows corpus progress");
    screen[i + 7..]
        .split('/')
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// Presses `key` and waits until the coded count on screen becomes `expect` (acknowledged).
fn code_one(t: &Tmux, key: &str, expect: usize) {
    t.keys(&[key]);
    t.wait_for(&format!("corpus {expect}/"));
}

fn decisions(study: &Path, coder: &str) -> usize {
    let (c, _) = read_codings(&study.join("codings"), coder).unwrap();
    c.decisions.values().filter(|d| d.is_coded()).count()
}

#[test]
fn codes_quits_and_the_yaml_holds_every_decision() {
    if !available() {
        return;
    }
    let (_tmp, study, cmd) = setup("quit");
    let t = Tmux::start("quit", &cmd);
    let s = t.wait_for("suggestions");
    assert_eq!(coded_on_screen(&s), 0);
    // x marks no code and moves on; the picker finds a node by English name.
    code_one(&t, "x", 1);
    t.keys(&["Space"]);
    t.wait_for("pick nodes");
    for c in ["t", "a", "x"] {
        t.keys(&[c]);
    }
    t.keys(&["Enter"]);
    t.wait_for("corpus 2/");
    // Find a paragraph with a keyword suggestion, then Enter confirms what is predicted there
    // (the predicted set, or no code) in one decision.
    t.keys(&["n"]);
    for _ in 0..20 {
        sleep(Duration::from_millis(100));
        if t.screen().contains("1 [ ] ") {
            break;
        }
        t.keys(&["n"]);
    }
    assert!(
        t.screen().contains("1 [ ] "),
        "no paragraph with suggestions:\n{}",
        t.screen()
    );
    code_one(&t, "Enter", 3);
    // u undoes a decision, durably; x redoes the mark.
    t.keys(&["x"]);
    t.wait_for("corpus 4/");
    t.keys(&["u"]);
    t.wait_for("corpus 3/");
    t.keys(&["x"]);
    t.wait_for("corpus 4/");
    t.keys(&["q"]);
    t.wait_exit();
    let coder = "alice-quit";
    let snapshot = std::fs::read_to_string(study.join(format!("codings/{coder}.yaml"))).unwrap();
    assert!(
        snapshot.contains("environment.tax-incentives"),
        "{snapshot}"
    );
    assert!(snapshot.contains("\"no_code\":true"), "{snapshot}");
    assert_eq!(decisions(&study, coder), 4);
    // Quitting compacts: the journal is empty and the lock is free.
    let journal = study.join(format!("codings/{coder}.journal"));
    assert_eq!(std::fs::metadata(&journal).map(|m| m.len()).unwrap_or(0), 0);
    CoderStore::open(&study.join("codings"), coder, OpenMode::ReadWrite).expect("lock released");
}

fn killed_mid_session(signal: &str, name: &str) {
    if !available() {
        return;
    }
    let (_tmp, study, cmd) = setup(name);
    let coder = format!("alice-{name}");
    let t = Tmux::start(name, &cmd);
    t.wait_for("suggestions");
    for i in 1..=3 {
        code_one(&t, "x", i);
    }
    let pid = t.pid();
    let st = Command::new("kill")
        .args([signal, &pid.to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    t.wait_exit();
    // Every acknowledged decision is on disk, the files parse, and the lock is free.
    assert_eq!(decisions(&study, &coder), 3);
    {
        let s = CoderStore::open(&study.join("codings"), &coder, OpenMode::ReadWrite)
            .expect("no lock left behind");
        s.close().unwrap();
    }
    // The next start resumes after the coded paragraphs and can record more.
    let t2 = Tmux::start(&format!("{name}2"), &cmd);
    let s = t2.wait_for("suggestions");
    assert_eq!(coded_on_screen(&s), 3);
    code_one(&t2, "x", 4);
    t2.keys(&["q"]);
    t2.wait_exit();
    assert_eq!(decisions(&study, &coder), 4);
}

#[test]
fn kill_9_loses_nothing_acknowledged() {
    killed_mid_session("-KILL", "kill9");
}

#[test]
fn sighup_loses_nothing_and_leaves_no_lock() {
    killed_mid_session("-HUP", "hup");
}

#[test]
fn sigterm_loses_nothing() {
    killed_mid_session("-TERM", "term");
}

/// The picker popup on a 120x40 screen: rows 14..26, columns 15..105.
const POPUP_ROWS: std::ops::Range<usize> = 14..26;
const POPUP_COLUMNS: std::ops::Range<usize> = 15..105;

/// The part of a screen line between two display columns (a wide character takes two).
fn columns(line: &str, range: std::ops::Range<usize>) -> String {
    let mut at = 0;
    let mut out = String::new();
    for c in line.chars() {
        if range.contains(&at) {
            out.push(c);
        }
        at += c.to_string().width();
    }
    out.trim_end().to_string()
}

/// The popup's rows after `keys` (from the coding screen), drawn in-process with TestBackend.
fn expected_popup(study_dir: &Path, keys: &str) -> Vec<String> {
    // Read-only: the tmux session of the same coder holds the lock, and nothing is recorded.
    let mut app = crate::support::session::open(study_dir, "alice-pick", true);
    for k in parse_keys(keys).unwrap() {
        app.handle_key(k.to_event());
    }
    let mut t = Terminal::new(TestBackend::new(120, 40)).unwrap();
    app.tallies.prepare(&app.study, app.session.codings());
    t.draw(|f| view::draw(f, &app, &Theme::bundled("dark")))
        .unwrap();
    let buf = t.backend().buffer();
    POPUP_ROWS
        .map(|y| {
            let mut line = String::new();
            let mut x = 0;
            while x < 120 {
                let sym = buf[(x, y as u16)].symbol();
                line.push_str(sym);
                x += sym.width().max(1) as u16;
            }
            columns(&line, POPUP_COLUMNS)
        })
        .collect()
}

#[test]
fn picker_rows_in_tmux_are_the_rows_drawn() {
    if !available() {
        return;
    }
    let (_tmp, study, cmd) = setup("pick");
    let t = Tmux::start("pick", &cmd);
    t.wait_for("suggestions");
    let mut typed = String::new();
    // Open, move, narrow, widen again, a Chinese query, no match, and back.
    for keys in [
        "<space>",
        "<down>",
        "t",
        "a",
        "<backspace>",
        "<backspace>",
        "政",
        "策",
        "<backspace>",
        "<backspace>",
        "<down>",
        "<down>",
        "x",
    ] {
        typed.push(' ');
        typed.push_str(keys);
        let tmux_key = match keys {
            "<space>" => "Space",
            "<down>" => "Down",
            "<backspace>" => "BSpace",
            k => k,
        };
        t.keys(&[tmux_key]);
        let want = expected_popup(&study, &typed);
        assert!(
            want[0].contains("pick nodes") && want[1].starts_with("│> "),
            "{want:?}"
        );
        // Wait for the query line (row 1 of the popup), then compare every row.
        t.wait_for(&want[1]);
        let start = Instant::now();
        loop {
            let screen = t.screen();
            let lines: Vec<&str> = screen.lines().collect();
            let got: Vec<String> = POPUP_ROWS
                .map(|y| columns(lines.get(y).copied().unwrap_or(""), POPUP_COLUMNS))
                .collect();
            if got == want {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "after{typed}: tmux shows\n{}\nbut the frame drawn is\n{}",
                got.join("\n"),
                want.join("\n")
            );
            sleep(Duration::from_millis(50));
        }
    }
    // Escape and q sent together can reach polcode in one read, which is Alt-q: wait for the
    // popup to close before quitting.
    t.keys(&["Escape"]);
    let start = Instant::now();
    while t.screen().contains("pick nodes") {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the picker did not close"
        );
        sleep(Duration::from_millis(50));
    }
    t.keys(&["q"]);
    t.wait_exit();
}

/// polcode started from an interactive shell inside tmux (not `exec`ed, so the shell does job
/// control): the tmux server, the study, the coder and polcode's pid once its screen is up.
struct ShellSession {
    _tmp: tempfile::TempDir,
    study: PathBuf,
    coder: String,
    t: Tmux,
}

const PROMPT: &str = "SHELL-READY$";

impl ShellSession {
    fn start(name: &str) -> ShellSession {
        let (tmp, study, _) = setup(name);
        let coder = format!("alice-{name}");
        let t = Tmux::start(
            name,
            &format!("env PS1='{PROMPT} ' bash --norc --noprofile -i"),
        );
        t.wait_for(PROMPT);
        let line = format!(
            "cd {} && POLCODE_CONFIG={} POLCODE_CODER={coder} TERM=xterm-256color {}",
            study.display(),
            tmp.path().join("config").display(),
            env!("CARGO_BIN_EXE_polcode"),
        );
        t.run(&["send-keys", "-t", "t", "-l", &line]);
        t.keys(&["Enter"]);
        t.wait_for("suggestions");
        ShellSession {
            _tmp: tmp,
            study,
            coder,
            t,
        }
    }

    /// polcode's pid: the shell's only child.
    fn polcode_pid(&self) -> String {
        let out = Command::new("pgrep")
            .args(["-P", &self.t.pid().to_string()])
            .output()
            .unwrap();
        let pids = String::from_utf8_lossy(&out.stdout).trim().to_string();
        assert!(
            !pids.is_empty() && !pids.contains('\n'),
            "children: {pids:?}"
        );
        pids
    }

    /// `ps -o stat=` of polcode: `T` when stopped.
    fn state(&self, pid: &str) -> String {
        let out = Command::new("ps")
            .args(["-o", "stat=", "-p", pid])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Waits (hang guard, not a speed assertion) until polcode's state starts with `want`.
    fn wait_state(&self, pid: &str, want: char) {
        let start = Instant::now();
        while !self.state(pid).starts_with(want) {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "polcode state {:?}, wanted {want}; screen:\n{}",
                self.state(pid),
                self.t.screen()
            );
            sleep(Duration::from_millis(50));
        }
    }

    /// Every decision on disk, coded or not.
    fn all_decisions(&self) -> usize {
        read_codings(&self.study.join("codings"), &self.coder)
            .unwrap()
            .0
            .decisions
            .len()
    }

    /// Types `fg⏎` at the shell and waits for the coding screen to be drawn again, whole: no
    /// line of the shell's left on it. After SIGSTOP the stale frame (with "suggestions") is
    /// still on the alternate screen under the shell's lines until polcode redraws, so the
    /// wait is for the whole condition, not for the first sight of "suggestions".
    fn fg(&self) {
        self.t.run(&["send-keys", "-t", "t", "-l", "fg"]);
        self.t.keys(&["Enter"]);
        self.t.wait_until(
            "the coding screen drawn afresh over the shell's lines",
            |s| s.contains("suggestions") && !s.contains(PROMPT) && !s.contains("Stopped"),
        );
    }
}

#[test]
fn ctrl_z_and_sigtstp_suspend_to_the_shell_and_fg_brings_back_a_working_screen() {
    if !available() {
        return;
    }
    let s = ShellSession::start("tstp");
    let pid = s.polcode_pid();

    // Ctrl-Z: the shell's prompt is back, polcode is stopped, nothing was recorded.
    s.t.keys(&["C-z"]);
    s.wait_state(&pid, 'T');
    // The shell's "Stopped" line, not the prompt: the prompt before the command is on screen
    // again as soon as polcode leaves the alternate screen, before the shell reports the job.
    let screen = s.t.wait_for("Stopped");
    assert!(screen.contains(PROMPT), "{screen}");
    // `fg⏎` goes to the shell, never to the session (before, `g` jumped and Enter recorded).
    s.fg();
    s.wait_state(&pid, 'S');
    assert_eq!(s.all_decisions(), 0, "fg⏎ recorded nothing");
    // Raw mode is back: one key, no Enter, is handled.
    s.t.keys(&["x"]);
    s.t.wait_for("corpus 1/");

    // SIGTSTP from outside: the same suspension.
    assert!(Command::new("kill")
        .args(["-TSTP", &pid])
        .status()
        .unwrap()
        .success());
    s.wait_state(&pid, 'T');
    s.t.wait_for(PROMPT);
    s.fg();
    s.t.keys(&["x"]);
    s.t.wait_for("corpus 2/");

    // SIGSTOP cannot be caught: the shell takes the terminal back in cooked mode under
    // polcode's screen; on SIGCONT (fg) polcode takes raw mode back and redraws.
    assert!(Command::new("kill")
        .args(["-STOP", &pid])
        .status()
        .unwrap()
        .success());
    s.wait_state(&pid, 'T');
    s.t.wait_for(PROMPT);
    s.fg();
    s.t.keys(&["x"]);
    s.t.wait_for("corpus 3/");

    s.t.keys(&["q"]);
    s.t.wait_for(PROMPT);
    assert_eq!(s.all_decisions(), 3, "exactly the three x presses");
}

/// Starts polcode (exec'd) on a study with one document file replaced by a FIFO: reading the
/// study blocks forever (while the coder's store, opened alongside, holds the lock), which
/// keeps start-up in the "opening" frame as a huge codebook or study would.
fn blocked_start(name: &str) -> (tempfile::TempDir, PathBuf, Tmux) {
    let (tmp, study, cmd) = setup(name);
    let doc = std::fs::read_dir(study.join("documents"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "yaml"))
        .unwrap();
    std::fs::remove_file(&doc).unwrap();
    assert!(Command::new("mkfifo").arg(&doc).status().unwrap().success());
    let t = Tmux::start(name, &cmd);
    t.wait_for("polcode: opening");
    (tmp, study, t)
}

#[test]
fn q_and_ctrl_c_end_the_program_while_the_study_is_opening() {
    if !available() {
        return;
    }
    for (name, key) in [("openq", "q"), ("openc", "C-c"), ("openesc", "Escape")] {
        let (_tmp, study, t) = blocked_start(name);
        // The worker is stuck reading the FIFO; the session is still there, in its first frame.
        sleep(Duration::from_millis(300));
        assert!(
            t.screen().contains("polcode: opening"),
            "start-up is blocked:\n{}",
            t.screen()
        );
        t.keys(&[key]);
        t.wait_exit();
        // The lock went with the process.
        CoderStore::open(
            &study.join("codings"),
            &format!("alice-{name}"),
            OpenMode::ReadWrite,
        )
        .unwrap_or_else(|e| panic!("{key}: lock not released: {e}"));
    }
}

#[test]
fn ctrl_z_without_a_job_control_shell_keeps_the_session() {
    if !available() {
        return;
    }
    // `exec`ed into the pane, polcode leads its session: stopped, nobody could type `fg`.
    let (_tmp, study, cmd) = setup("nojobs");
    let t = Tmux::start("nojobs", &cmd);
    t.wait_for("suggestions");
    t.keys(&["C-z"]);
    t.wait_for("nothing to suspend to");
    code_one(&t, "x", 1);
    t.keys(&["q"]);
    t.wait_exit();
    assert_eq!(decisions(&study, "alice-nojobs"), 1);
}

/// Records `decisions` (paragraph id, nodes; empty = no-code) for `coder` in `study`.
fn record(study: &Path, coder: &str, decisions: &[(String, Vec<&str>)]) {
    let s = Study::open(study).unwrap();
    let mut store = CoderStore::open(&s.codings_dir(), coder, OpenMode::ReadWrite).unwrap();
    for (para, nodes) in decisions {
        let p = s.paragraph(para).unwrap();
        store
            .record(polcode_core::store::Decision {
                para: para.clone(),
                hash: p.para.hash.clone(),
                nodes: nodes.iter().map(|n| n.to_string()).collect(),
                no_code: nodes.is_empty(),
                scores: Default::default(),
                memo: None,
                coder: coder.into(),
                at: String::new(),
                via: Default::default(),
                derived: None,
                found: None,
            })
            .unwrap();
    }
    store.close().unwrap();
}

#[test]
fn reconcile_carries_every_agreed_paragraph_and_walks_the_rest() {
    use polcode_core::store::Derivation;
    if !available() {
        return;
    }
    let (tmp, study, _) = setup("reconcile");
    let s = Study::open(&study).unwrap();
    let body: Vec<String> = s
        .docs
        .iter()
        .flat_map(|d| {
            d.paragraphs
                .iter()
                .filter(|p| p.kind == polcode_core::corpus::ParaKind::Body)
                .map(|p| d.para_id(p.n))
        })
        .take(24)
        .collect();
    // alice decides all 24; bob the first 20: 16 alike (4 of them no-code), 4 different.
    let talent = "supply.human-resources";
    let tax = "environment.tax-incentives";
    let alice: Vec<(String, Vec<&str>)> = body
        .iter()
        .enumerate()
        .map(|(i, p)| (p.clone(), if i % 5 == 4 { vec![] } else { vec![talent] }))
        .collect();
    let bob: Vec<(String, Vec<&str>)> = alice[..20]
        .iter()
        .enumerate()
        .map(|(i, (p, n))| (p.clone(), if i % 5 == 1 { vec![tax] } else { n.clone() }))
        .collect();
    record(&study, "alice", &alice);
    record(&study, "bob", &bob);
    let bin = env!("CARGO_BIN_EXE_polcode");
    let cmd = format!(
        "cd {} && exec env POLCODE_CONFIG={} TERM=xterm-256color {bin} reconcile alice bob \
         --into consensus",
        study.display(),
        tmp.path().join("config").display(),
    );
    let t = Tmux::start("reconcile", &cmd);
    let screen = t.wait_for("paragraphs to reconcile");
    assert!(screen.contains("4 paragraphs to reconcile"), "{screen}");
    assert!(screen.contains("16 agreed"), "{screen}");
    // Each `1` takes alice's version of a walked paragraph.
    for i in 1..=4 {
        t.keys(&["1"]);
        t.wait_for(&format!("corpus {i}/4"));
    }
    t.keys(&["q"]);
    t.wait_exit();

    let (consensus, _) = read_codings(&study.join("codings"), "consensus").unwrap();
    // A decision for every paragraph both coders decided: 16 carried + 4 reconciled.
    for (i, (p, _)) in bob.iter().enumerate() {
        let d = consensus
            .get(p)
            .unwrap_or_else(|| panic!("consensus lacks {p}"));
        assert!(d.is_coded(), "{p}");
        let want_reconciled = i % 5 == 1;
        match &d.derived {
            Some(Derivation::Reconciled { coders }) if want_reconciled => {
                assert_eq!(coders, &["alice", "bob"]);
                assert_eq!(d.nodes, [talent]);
            }
            Some(Derivation::Agreed { coders }) if !want_reconciled => {
                assert_eq!(coders, &["alice", "bob"]);
            }
            other => panic!("{p}: {other:?}"),
        }
    }
    // Paragraphs only alice decided are left for later.
    for (p, _) in &alice[20..] {
        assert!(consensus.get(p).is_none(), "{p}");
    }
    assert_eq!(consensus.decisions.len(), 20);
    // polcode.yaml marks the consensus as derived; stats pool alice and bob only, and say so.
    let yaml = std::fs::read_to_string(study.join("polcode.yaml")).unwrap();
    assert!(
        yaml.contains("derived:") && yaml.contains("consensus:"),
        "{yaml}"
    );
    let out = Command::new(bin)
        .args([
            "--study",
            study.to_str().unwrap(),
            "stats",
            "--what",
            "tally",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("alice, bob"), "{text}");
    assert!(
        text.contains("not pooled: derived coder(s) consensus"),
        "{text}"
    );
    // A second run carries nothing new and walks the same 4 (already decided) paragraphs.
    let t = Tmux::start("reconcile2", &cmd);
    let screen = t.wait_for("paragraphs to reconcile");
    assert!(screen.contains("corpus 4/4"), "{screen}");
    t.keys(&["q"]);
    t.wait_exit();
    let (again, _) = read_codings(&study.join("codings"), "consensus").unwrap();
    assert_eq!(again.decisions, consensus.decisions);
}

#[test]
fn a_sample_session_walks_only_the_sample_and_reports_agreement_on_it() {
    if !available() {
        return;
    }
    let (tmp, study, _) = setup("sample");
    let bin = env!("CARGO_BIN_EXE_polcode");
    let out = Command::new(bin)
        .args([
            "--study",
            study.to_str().unwrap(),
            "sample",
            "--coder",
            "bob",
        ])
        .args(["--share", "0.1", "--stratify", "region", "--seed", "5"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sample = polcode_core::sample::load(&study, "bob").unwrap().unwrap();
    let n = sample.paragraphs.len();
    assert!(n >= 5, "{n}");
    // alice has coded the whole sample: no-code on all but the first, talent there.
    let alice: Vec<(String, Vec<&str>)> = sample
        .paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let nodes = if i == 0 {
                vec!["supply.human-resources"]
            } else {
                vec![]
            };
            (p.clone(), nodes)
        })
        .collect();
    record(&study, "alice", &alice);
    let cmd = format!(
        "cd {} && exec env POLCODE_CONFIG={} TERM=xterm-256color {bin} code --coder bob --sample",
        study.display(),
        tmp.path().join("config").display(),
    );
    let t = Tmux::start("sample", &cmd);
    let screen = t.wait_for("double-coding sample");
    assert!(screen.contains(&format!("sample 0/{n}")), "{screen}");
    assert!(screen.contains("BLIND SAMPLE"), "{screen}");
    // No other coder's codes on the screen: alice's talent code is nowhere.
    assert!(!screen.contains("alice"), "{screen}");
    for k in 1..=3 {
        t.keys(&["x"]);
        t.wait_for(&format!("sample {k}/{n}"));
    }
    t.keys(&["S"]);
    // The demo's reference coder is one of the others too.
    let stats = t.wait_for("sample agreement with alice");
    assert!(stats.contains("you decided 3 of"), "{stats}");
    t.keys(&["Escape"]);
    t.keys(&["q"]);
    t.wait_exit();
    let (bob, _) = read_codings(&study.join("codings"), "bob").unwrap();
    assert_eq!(bob.decisions.len(), 3);
    for id in bob.decisions.keys() {
        assert!(sample.paragraphs.contains(id), "{id} is not in the sample");
    }
    // The agreement report on the sample: 3 paragraphs both decided so far.
    let out = Command::new(bin)
        .args([
            "--study",
            study.to_str().unwrap(),
            "agree",
            "alice",
            "bob",
            "--sample",
        ])
        .args(["-f", "json"])
        .output()
        .unwrap();
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["nodes"][0]["units"], 3, "{j}");
}
