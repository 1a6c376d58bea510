//! Crash and hangup torture: the real `polcode` binary in tmux, driven through a long coding
//! session and killed at seeded random points — `kill -9` more than 200 times (after
//! acknowledged keys, right after bursts of keys, and right after the key that triggers a
//! snapshot compaction), SIGHUP (as `kill -HUP` and as tmux closing the terminal, like an SSH
//! drop), SIGTERM, and clean quits. After every end: each decision the screen had acknowledged
//! (the header's "corpus N/M coded" count) is on disk, the files parse, the lock is free, no
//! temporary file outlives the next start, and the next start shows the same count. Then a
//! session under a file-size limit (`ulimit -f`, SIGXFSZ ignored): the status line says NOT
//! SAVED and nothing acknowledged is lost.
//!
//! The seed is fixed (override with `POLCODE_TORTURE_SEED`) so a failure can be replayed; the
//! number of `kill -9` with `POLCODE_TORTURE_KILLS` (default 200). Compaction runs every
//! 4 decisions here through `POLCODE_COMPACT_EVERY` (default 500) so that kills land near it.
//! Skipped with a message when tmux is missing, except under CI (`CI` set).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

use polcode_core::store::lock::CoderLock;
use polcode_core::store::{journal, read_codings, snapshot, CoderStore, OpenMode, StorePaths};

const COMPACT_EVERY: usize = 4;
const CODER: &str = "torture";

/// splitmix64: a tiny seeded generator, so a failing run can be replayed exactly.
use crate::support::tmux::{self, Server};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

/// Whether process `pid` has ended and been reaped by tmux. A zombie main thread is not
/// enough: the other threads may still be finishing a system call (an fsync) and the lock is
/// only released when the last of them is gone.
fn process_gone(pid: i32) -> bool {
    !Path::new(&format!("/proc/{pid}")).exists()
}

fn signal(pid: i32, sig: &str) {
    let st = Command::new("kill")
        .args([sig, &pid.to_string()])
        .status()
        .unwrap();
    assert!(st.success(), "kill {sig} {pid}");
}

/// The header's "corpus N/M coded" figures.
fn header(screen: &str) -> Option<(usize, usize)> {
    let i = screen.find("corpus ")?;
    let rest = &screen[i + "corpus ".len()..];
    let (n, rest) = rest.split_once('/')?;
    let m: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((n.trim().parse().ok()?, m.parse().ok()?))
}

fn coded_now(screen: &str) -> usize {
    header(screen)
        .unwrap_or_else(|| panic!("no corpus count on screen:\n{screen}"))
        .0
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_polcode")
}

/// The demo study, enlarged with renamed copies of its (real) documents so a long session
/// does not run out of paragraphs.
fn make_study(tmp: &Path, copies: usize) -> PathBuf {
    let out = Command::new(bin())
        .arg("demo")
        .env("POLCODE_DATA_DIR", tmp.join("data"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let study = PathBuf::from(String::from_utf8(out.stdout).unwrap().trim());
    if copies > 0 {
        let extra = tmp.join("copies");
        fs::create_dir_all(&extra).unwrap();
        for e in fs::read_dir(study.join("sources")).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "txt") {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                for c in 0..copies {
                    fs::copy(&p, extra.join(format!("c{c:02}_{name}"))).unwrap();
                }
            }
        }
        let out = Command::new(bin())
            .args(["import"])
            .arg(&extra)
            .current_dir(&study)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    study
}

fn polcode_cmd(tmp: &Path, study: &Path, coder: &str, compact_every: usize) -> String {
    // `exec` so the pane's pid is polcode itself and signals reach it directly.
    format!(
        "cd {} && exec env POLCODE_CONFIG={} POLCODE_CODER={coder} POLCODE_COMPACT_EVERY={compact_every} \
         TERM=xterm-256color {}",
        study.display(),
        tmp.join("config").display(),
        bin()
    )
}

/// Paragraph ids the coder has coded, read the way statistics read them (no lock).
fn coded_on_disk(study: &Path, coder: &str) -> BTreeSet<String> {
    let (c, _warnings) = read_codings(&study.join("codings"), coder)
        .unwrap_or_else(|e| panic!("codings do not load after a kill: {e}"));
    c.decisions
        .values()
        .filter(|d| d.is_coded())
        .map(|d| d.para.clone())
        .collect()
}

fn temp_files(codings: &Path, coder: &str) -> Vec<String> {
    let prefix = format!(".{coder}.yaml.tmp-");
    fs::read_dir(codings)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(&prefix))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether the journal still holds records the snapshot already has: the kill came after the
/// snapshot's rename and before the journal was emptied.
fn journal_behind_snapshot(paths: &StorePaths) -> bool {
    let Ok(replay) = journal::read(&paths.journal) else {
        return false;
    };
    let seq = snapshot::read(&paths.snapshot, CODER)
        .ok()
        .flatten()
        .map_or(0, |s| s.seq);
    replay.records.iter().any(|r| r.seq <= seq)
}

#[derive(Default, Debug)]
struct Tally {
    runs: usize,
    kill9: usize,
    kill9_after_burst: usize,
    kill9_compaction_window: usize,
    caught_mid_snapshot_write: usize,
    caught_before_journal_truncate: usize,
    sighup: usize,
    tty_hangup: usize,
    sigterm: usize,
    quits: usize,
    acknowledged: usize,
    keys_sent: usize,
    torn_tails_seen: usize,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum End {
    Kill9,
    Burst,
    Compaction,
    Hup,
    TtyHangup,
    Term,
    Quit,
}

#[test]
fn kill_9_sighup_sigterm_torture_loses_nothing_acknowledged() {
    if !tmux::tmux_available("the torture run") {
        return;
    }
    let seed: u64 = std::env::var("POLCODE_TORTURE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_250_517);
    let want_kills: usize = std::env::var("POLCODE_TORTURE_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let mut rng = Rng(seed);
    let tmp = tempfile::tempdir().unwrap();
    // 17 × the demo's 76 body paragraphs: room for well over a thousand decisions.
    let study = make_study(tmp.path(), 16);
    let codings = study.join("codings");
    let paths = StorePaths::new(&codings, CODER);
    let cmd = polcode_cmd(tmp.path(), &study, CODER, COMPACT_EVERY);
    let t = Server::start("main", true);
    let started = Instant::now();
    let mut tally = Tally::default();
    let mut expected: BTreeSet<String> = BTreeSet::new();
    let mut total = usize::MAX;

    while tally.kill9 < want_kills || tally.runs < 12 {
        let run = tally.runs;
        tally.runs += 1;
        let s = format!("r{run}");
        t.spawn(&s, &cmd);
        let first = t.wait_for(&s, &["suggestions"]);
        let (shown, m) = header(&first).expect("header");
        total = m;
        // The next start resumes: the count on screen is what is on disk.
        assert_eq!(
            shown,
            expected.len(),
            "run {run} (seed {seed}): start shows {shown} coded, disk has {}",
            expected.len()
        );
        assert!(
            temp_files(&codings, CODER).is_empty(),
            "run {run}: stale snapshot temp files survive a start: {:?}",
            temp_files(&codings, CODER)
        );
        assert!(
            expected.len() + 40 < total,
            "seed {seed}: the study ran out of uncoded paragraphs"
        );
        let pid = t.pid(&s);
        let end = match run % 40 {
            7 | 27 => End::Hup,
            13 | 33 => End::Term,
            19 => End::TtyHangup,
            39 => End::Quit,
            _ => match rng.range(0, 9) {
                0..=3 => End::Kill9,
                4..=6 => End::Burst,
                _ => End::Compaction,
            },
        };
        // Acknowledged keys first: each `x` marks the paragraph "no code" and moves on.
        let mut acked = shown;
        let mut session_records = 0usize;
        let acked_keys = match end {
            End::Compaction => {
                // Stop one short of a multiple of COMPACT_EVERY; the next key compacts.
                let k = rng.range(0, 2) as usize * COMPACT_EVERY;
                k + COMPACT_EVERY - 1
            }
            End::Burst => rng.range(0, 2) as usize,
            _ => rng.range(0, 4) as usize,
        };
        for _ in 0..acked_keys {
            t.keys(&s, &["x"]);
            tally.keys_sent += 1;
            acked += 1;
            session_records += 1;
            t.wait_for(&s, &[&format!("corpus {acked}/")]);
        }
        match end {
            End::Kill9 => {
                sleep(Duration::from_millis(rng.range(0, 15)));
                signal(pid, "-KILL");
                tally.kill9 += 1;
            }
            End::Burst => {
                let n = rng.range(2, 12) as usize;
                let burst = vec!["x"; n];
                t.keys(&s, &burst);
                tally.keys_sent += n;
                sleep(Duration::from_millis(rng.range(0, 8)));
                // Whatever this capture shows was drawn, so acknowledged, before the kill.
                acked = coded_now(&t.screen(&s)).max(acked);
                signal(pid, "-KILL");
                tally.kill9 += 1;
                tally.kill9_after_burst += 1;
            }
            End::Compaction => {
                assert_eq!(session_records % COMPACT_EVERY, COMPACT_EVERY - 1);
                t.keys(&s, &["x"]);
                tally.keys_sent += 1;
                // The journal append, fsync, snapshot render, write, fsync and rename take a few
                // milliseconds here; spread the kill over that window.
                sleep(Duration::from_micros(rng.range(0, 12_000)));
                signal(pid, "-KILL");
                tally.kill9 += 1;
                tally.kill9_compaction_window += 1;
            }
            End::Hup => {
                signal(pid, "-HUP");
                tally.sighup += 1;
            }
            End::Term => {
                signal(pid, "-TERM");
                tally.sigterm += 1;
            }
            End::TtyHangup => {
                // tmux closes the pty and sends SIGHUP, as sshd does when a connection drops.
                t.kill_session(&s);
                tally.tty_hangup += 1;
            }
            End::Quit => {
                t.keys(&s, &["q"]);
                tally.quits += 1;
            }
        }
        if end == End::TtyHangup {
            let start = Instant::now();
            while !process_gone(pid) {
                assert!(
                    start.elapsed() < Duration::from_secs(30),
                    "polcode ignored the hangup"
                );
                sleep(Duration::from_millis(5));
            }
        } else {
            t.wait_dead(&s);
            t.kill_session(&s);
        }

        // Evidence of where the kill landed (for the figures), before anything reopens.
        if !temp_files(&codings, CODER).is_empty() {
            tally.caught_mid_snapshot_write += 1;
        }
        if journal_behind_snapshot(&paths) {
            tally.caught_before_journal_truncate += 1;
        }
        if journal::read(&paths.journal).is_ok_and(|r| r.dirty_tail) {
            tally.torn_tails_seen += 1;
        }
        // Every acknowledged decision is on disk, and nothing earlier went missing.
        let now = coded_on_disk(&study, CODER);
        assert!(
            now.is_superset(&expected),
            "run {run} (seed {seed}, {end:?}): decisions lost: {:?}",
            expected.difference(&now).collect::<Vec<_>>()
        );
        assert!(
            now.len() >= acked,
            "run {run} (seed {seed}, {end:?}): screen acknowledged {acked}, disk has {}",
            now.len()
        );
        if end == End::Quit {
            assert_eq!(
                fs::metadata(&paths.journal).map_or(0, |m| m.len()),
                0,
                "quit compacts"
            );
        }
        tally.acknowledged = now.len();
        expected = now;
        // The lock is free. Usually probed without touching the data (so the next polcode
        // start meets the files exactly as the kill left them); every fifth run a full
        // read-write open and close, as the brief of `polcode check` users would do.
        if run % 5 == 4 {
            let st = CoderStore::open(&codings, CODER, OpenMode::ReadWrite)
                .unwrap_or_else(|e| panic!("run {run}: cannot reopen after {end:?}: {e}"));
            st.close().unwrap();
        } else {
            drop(
                CoderLock::acquire(&paths.lock)
                    .unwrap_or_else(|e| panic!("run {run}: lock left behind after {end:?}: {e}")),
            );
        }
    }

    // A last start resumes with the same count and a clean quit empties the journal.
    let s = "final";
    t.spawn(s, &cmd);
    let first = t.wait_for(s, &["suggestions"]);
    assert_eq!(coded_now(&first), expected.len());
    t.keys(s, &["q"]);
    t.wait_dead(s);
    assert_eq!(coded_on_disk(&study, CODER), expected);
    assert_eq!(fs::metadata(&paths.journal).map_or(0, |m| m.len()), 0);
    assert!(temp_files(&codings, CODER).is_empty());

    let total_kills = tally.kill9 + tally.sighup + tally.tty_hangup + tally.sigterm;
    eprintln!(
        "torture (seed {seed}): {} runs, {total_kills} kills survived — kill -9: {} ({} right \
         after a burst of keys, {} in the compaction window; caught mid snapshot write {} times, \
         between snapshot rename and journal truncation {} times; torn journal tails {}), \
         SIGHUP {}, tty hangup {}, SIGTERM {}, quits {}; {} keys sent, {} decisions on disk of \
         {total} paragraphs; {:.1} s",
        tally.runs,
        tally.kill9,
        tally.kill9_after_burst,
        tally.kill9_compaction_window,
        tally.caught_mid_snapshot_write,
        tally.caught_before_journal_truncate,
        tally.torn_tails_seen,
        tally.sighup,
        tally.tty_hangup,
        tally.sigterm,
        tally.quits,
        tally.keys_sent,
        tally.acknowledged,
        started.elapsed().as_secs_f64()
    );
    assert!(tally.kill9 >= want_kills);
    assert!(tally.sighup >= 1 && tally.sigterm >= 1 && tally.tty_hangup >= 1);
}

/// Codes `n` paragraphs with `x`, each waited for, starting from `from` coded.
fn code_acked(t: &Server, session: &str, from: usize, n: usize) {
    for i in 1..=n {
        t.keys(session, &["x"]);
        t.wait_for(session, &[&format!("corpus {}/", from + i)]);
    }
}

#[test]
fn disk_full_says_not_saved_and_loses_nothing() {
    if !tmux::tmux_available("the torture run") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let study = make_study(tmp.path(), 1);
    let coder = "full";
    let t = Server::start("full", true);
    let plain = polcode_cmd(tmp.path(), &study, coder, 100_000);
    // A first session without a limit leaves a snapshot bigger than the limit below, so the
    // closing snapshot of the limited session cannot be written either.
    t.spawn("s0", &plain);
    t.wait_for("s0", &["suggestions"]);
    let before = 60;
    code_acked(&t, "s0", 0, before);
    t.keys("s0", &["q"]);
    t.wait_dead("s0");
    t.kill_session("s0");
    assert_eq!(coded_on_disk(&study, coder).len(), before);
    let snapshot_bytes_before = fs::read(study.join(format!("codings/{coder}.yaml"))).unwrap();

    // No compaction during the session: the journal is the file that hits the limit. `sh`'s
    // `ulimit -f` counts 512-byte blocks (dash) or KiB (bash): 4 or 8 KiB, reached after a few
    // dozen decisions either way.
    // (tmux drops what a process prints just before it exits, so stderr goes to a file.)
    let stderr = tmp.path().join("stderr.txt");
    let code_file = tmp.path().join("exit-code.txt");
    let cmd = format!(
        "exec sh -c \"trap '' XFSZ; ulimit -f 8; {} 2>{}; echo \\$? >{}\"",
        plain.replacen("&& exec env", "&& env", 1),
        stderr.display(),
        code_file.display()
    );
    t.spawn("s", &cmd);
    t.wait_for("s", &["suggestions"]);
    let mut acked = before;
    let mut status = String::new();
    for _ in 0..80 {
        t.keys("s", &["x"]);
        let next = format!("corpus {}/", acked + 1);
        let s = t.wait_for("s", &[&next, "NOT SAVED"]);
        if s.contains("NOT SAVED") {
            status = s
                .lines()
                .find(|l| l.contains("NOT SAVED"))
                .unwrap()
                .trim()
                .to_string();
            assert_eq!(coded_now(&s), acked, "a failed decision was counted");
            break;
        }
        acked += 1;
    }
    assert!(
        !status.is_empty(),
        "the file-size limit was never reached after {acked} decisions"
    );
    assert!(
        acked > before,
        "the limit was hit before the first decision"
    );
    assert!(
        status.contains("NOT SAVED:") && status.contains(&format!("codings/{coder}.journal")),
        "status line does not name the journal: {status}"
    );
    // Still refused, still nothing counted; then quit: the closing snapshot fails too.
    t.keys("s", &["x"]);
    let s = t.wait_for("s", &["NOT SAVED"]);
    assert_eq!(coded_now(&s), acked);
    t.keys("s", &["q"]);
    t.wait_dead("s");
    let after_exit = t.screen("s");
    let start = std::time::Instant::now();
    while !code_file.exists() {
        assert!(start.elapsed() < Duration::from_secs(30), "no exit code");
        sleep(Duration::from_millis(5));
    }
    assert_eq!(
        fs::read_to_string(&code_file).unwrap().trim(),
        "1",
        "exit code; screen:\n{after_exit}"
    );
    let exit_message = fs::read_to_string(&stderr).unwrap();
    assert!(
        exit_message.starts_with("polcode: error: codings not compacted on close: ")
            && exit_message.contains(&format!("codings/{coder}.yaml"))
            && exit_message.contains("File too large")
            && exit_message.contains("nothing is lost")
            && exit_message.contains(&format!("codings/{coder}.journal and is replayed")),
        "exit message: {exit_message}"
    );
    // The old snapshot is untouched (the failed replace left it whole) and the journal holds
    // the rest: every acknowledged decision is there.
    assert_eq!(
        fs::read(study.join(format!("codings/{coder}.yaml"))).unwrap(),
        snapshot_bytes_before
    );
    assert_eq!(
        coded_on_disk(&study, coder).len(),
        acked,
        "after the disk filled: acknowledged {acked}; exit screen:\n{after_exit}"
    );
    assert!(
        temp_files(&study.join("codings"), coder).is_empty(),
        "the failed snapshot left its temp file"
    );
    // Without the limit the next session resumes with every acknowledged decision.
    t.kill_session("s");
    t.spawn("s2", &plain);
    let s = t.wait_for("s2", &["suggestions"]);
    assert_eq!(coded_now(&s), acked);
    code_acked(&t, "s2", acked, 1);
    t.keys("s2", &["q"]);
    t.wait_dead("s2");
    assert_eq!(coded_on_disk(&study, coder).len(), acked + 1);
    eprintln!(
        "disk full: {} decisions acknowledged under the limit before it was hit; status line: \
         {status}; exit message: {}",
        acked - before,
        exit_message.trim()
    );
}
