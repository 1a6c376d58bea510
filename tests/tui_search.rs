//! State-machine tests of the coding screen's text search on the demo study (ten blockchain
//! policies): the queue is what the core search finds, `n`/`N`/`Enter` follow it and stop at
//! its ends, `Esc` returns to the normal order, decisions on a hit carry the search in `via`,
//! and "code all hits" asks first, records one step, and undoes and redoes as one.

use std::path::PathBuf;

use polcode_core::search::{search, Matcher, Scope, Spec};
use polcode_core::store::{read_codings, Via};
use polcode_tui::app::{App, Effect};
use polcode_tui::keymap::parse_keys;
use polcode_tui::overlay::{ConfirmAll, Overlay};

struct Session {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    app: App,
}

impl Session {
    fn new() -> Session {
        let tmp = tempfile::tempdir().unwrap();
        Session::in_dir(tmp)
    }

    /// A session of alice on a demo study made in `tmp`.
    fn in_dir(tmp: tempfile::TempDir) -> Session {
        let dir = polcode_core::demo::ensure(tmp.path()).unwrap();
        let app = crate::support::session::open(&dir, "alice", false);
        Session {
            _tmp: tmp,
            dir,
            app,
        }
    }

    /// Feeds keys through the event loop's effect interpreter (every decision durable before
    /// the next key); returns how many decisions they asked to record.
    fn press(&mut self, keys: &str) -> usize {
        let effects = crate::support::session::press(&mut self.app, keys);
        crate::support::session::decisions(&effects)
    }

    fn typed(&mut self, text: &str) {
        for c in text.chars() {
            let ev = crossterm::event::KeyEvent::new(
                crossterm::event::KeyCode::Char(c),
                crossterm::event::KeyModifiers::NONE,
            );
            self.app.handle_key(ev);
        }
    }

    fn find(&mut self, pattern: &str) {
        self.press("f");
        self.typed(pattern);
        self.press("<enter>");
    }

    fn current_id(&self) -> String {
        self.app.para_id(self.app.unit().unwrap())
    }

    /// The paragraphs the command line's search lists (body paragraphs), in order.
    fn listed(&self, spec: &Spec) -> Vec<String> {
        let study = &self.app.study;
        let m = Matcher::for_study(spec, study).unwrap();
        search(&study.docs, &m, Scope::Body)
            .iter()
            .map(|h| {
                let d = &study.docs[h.doc];
                d.para_id(d.paragraphs[h.para].n)
            })
            .collect()
    }
}

#[test]
fn the_queue_is_the_core_search_and_n_enter_follow_it() {
    let mut s = Session::new();
    let listed = s.listed(&Spec::literal("数据"));
    assert!(listed.len() > 3, "{listed:?}");
    s.find("数据");
    let n = listed.len();
    let mut seen = vec![s.current_id()];
    assert_eq!(s.app.hit_position(), Some((1, n)));
    for k in 2..=n {
        // Alternate n and Enter (on a decided paragraph Enter goes on: to the next hit).
        if k % 2 == 0 {
            s.press("n");
        } else {
            s.press("x");
            assert_eq!(
                s.app.hit_position(),
                Some((k, n)),
                "x moves to the next hit"
            );
            seen.push(s.current_id());
            continue;
        }
        assert_eq!(s.app.hit_position(), Some((k, n)));
        seen.push(s.current_id());
    }
    assert_eq!(seen, listed);
    // No wrap at the end; N walks back.
    s.press("n");
    assert_eq!(s.app.hit_position(), Some((n, n)));
    assert!(s.app.status.as_ref().unwrap().text.contains("last hit"));
    s.press("N N");
    assert_eq!(s.app.hit_position(), Some((n - 2, n)));
    // Off the queue (j), n goes to the next hit after the cursor.
    let here = s.app.cursor.pos;
    s.press("j");
    if s.app.hit_position().is_none() {
        s.press("n");
        assert!(s.app.cursor.pos > here);
        assert!(s.app.hit_position().is_some());
    }
    // Esc: back to the normal order, n steps uncoded paragraphs again.
    s.press("<esc>");
    assert!(s.app.find.is_none());
    let before = s.app.cursor.pos;
    s.press("n");
    let now = s.app.unit().unwrap();
    assert!(s.app.cursor.pos != before);
    assert!(s.app.session.codings().get(&s.app.para_id(now)).is_none());
}

#[test]
fn decisions_on_a_hit_carry_the_search_and_off_the_queue_they_do_not() {
    let mut s = Session::new();
    s.find("-w 区块链");
    assert_eq!(s.app.find.as_ref().unwrap().query, "-w 区块链");
    let first = s.current_id();
    assert_eq!(s.press("1 2"), 2);
    let d = s.app.session.codings().get(&first).unwrap().clone();
    assert_eq!(d.via.len(), 2);
    for v in d.via.values() {
        assert_eq!(v.search_query(), Some("-w 区块链"));
        assert!(matches!(v.how(), Via::Suggestion { .. }), "{v:?}");
    }
    // Toggling off and on again keeps one mark; undo restores the state before.
    s.press("u");
    assert_eq!(s.app.session.codings().get(&first).unwrap().via.len(), 1);
    // A paragraph that is not a hit: no search provenance even while the search is on.
    let mut moved = false;
    for _ in 0..50 {
        s.press("j");
        if s.app.hit_position().is_none() {
            moved = true;
            break;
        }
    }
    assert!(moved, "a paragraph without 区块链 in the demo");
    let off = s.current_id();
    s.press("1");
    let d = s.app.session.codings().get(&off).unwrap();
    assert!(d.via.values().all(|v| v.search_query().is_none()), "{d:?}");
    assert_eq!(d.found, None, "{d:?}");
    // The decision as a whole carries the search too, a "no code" mark included.
    assert_eq!(
        s.app
            .session
            .codings()
            .get(&first)
            .unwrap()
            .found
            .as_deref(),
        Some("-w 区块链")
    );
    s.press("n");
    let second = s.current_id();
    assert!(s.app.hit_position().is_some());
    s.press("x");
    let d = s.app.session.codings().get(&second).unwrap();
    assert!(d.no_code && d.via.is_empty(), "{d:?}");
    assert_eq!(d.found.as_deref(), Some("-w 区块链"));
    // On disk as in memory.
    let (c, _) = read_codings(&s.dir.join("codings"), "alice").unwrap();
    assert_eq!(
        c.get(&first)
            .unwrap()
            .via
            .values()
            .next()
            .unwrap()
            .search_query(),
        Some("-w 区块链")
    );
}

#[test]
fn code_all_hits_asks_first_records_one_step_and_undoes_as_one() {
    let mut s = Session::new();
    s.find("供应链金融|存证");
    let q = s.app.find.as_ref().unwrap().clone();
    let n = q.units.len();
    assert!(n >= 2, "{n}");
    // One hit already coded at the node: left as it is.
    s.press("/");
    s.typed("supply.technology-infrastructure");
    s.press("<enter>");
    let first = s.current_id();
    assert!(s.app.session.codings().get(&first).is_some());
    // Nothing without a search.
    s.press("<esc> A");
    assert!(s.app.overlay.is_none());
    s.find("供应链金融|存证");
    s.press("A");
    s.typed("supply.technology-infrastructure");
    s.press("<enter>");
    let Some(Overlay::ConfirmAll(ConfirmAll { plan })) = &s.app.overlay else {
        panic!("no confirmation: {:?}", s.app.overlay);
    };
    assert_eq!((plan.paragraphs, plan.already), (n - 1, 1));
    // Any key but y cancels, recording nothing.
    assert_eq!(s.press("n"), 0);
    assert!(s.app.overlay.is_none());
    s.press("A");
    s.typed("supply.technology-infrastructure");
    s.press("<enter>");
    assert_eq!(s.press("y"), n - 1);
    for &u in &q.units {
        let id = s.app.para_id(s.app.walk.units[u]);
        let d = s.app.session.codings().get(&id).unwrap();
        assert!(d
            .nodes
            .contains(&"supply.technology-infrastructure".to_string()));
    }
    let all = Via::AllHits {
        query: "供应链金融|存证".into(),
    };
    let coded_all = q
        .units
        .iter()
        .filter(|&&u| {
            let id = s.app.para_id(s.app.walk.units[u]);
            s.app
                .codings()
                .get(&id)
                .unwrap()
                .via
                .values()
                .any(|v| *v == all)
        })
        .count();
    assert_eq!(coded_all, n - 1);
    // One undo takes the whole step back; redo brings it again.
    assert_eq!(s.press("u"), n - 1);
    let left = q
        .units
        .iter()
        .filter(|&&u| {
            s.app
                .session
                .codings()
                .get(&s.app.para_id(s.app.walk.units[u]))
                .is_some()
        })
        .count();
    assert_eq!(left, 1, "only the paragraph coded by hand");
    assert_eq!(s.press("<c-r>"), n - 1);
    let (c, _) = read_codings(&s.dir.join("codings"), "alice").unwrap();
    assert_eq!(c.decisions.len(), n);
}

const PARTIAL_CHILD: &str = "POLCODE_TUI_PARTIAL_UNDO_CHILD_DIR";

/// Runs in a child process whose SIGXFSZ is ignored: codes every hit at one node, then lets
/// the journal grow by about one more record (RLIMIT_FSIZE, so further writes fail with EFBIG,
/// as on a full disk) and undoes the step. Writes what it saw to `outcome.txt`.
#[test]
#[ignore = "child of an_undo_of_all_hits_saved_only_in_part_keeps_the_rest_undoable"]
fn partial_undo_child() {
    use rustix::process::{setrlimit, Resource, Rlimit};
    let Some(dir) = std::env::var_os(PARTIAL_CHILD).map(PathBuf::from) else {
        return;
    };
    let tmp = tempfile::tempdir_in(&dir).unwrap();
    let mut s = Session::in_dir(tmp);
    s.find("供应链金融|存证");
    let q = s.app.find.as_ref().unwrap().clone();
    assert!(q.units.len() >= 3, "{}", q.units.len());
    s.press("A");
    s.typed("supply.technology-infrastructure");
    s.press("<enter>");
    let coded = s.press("y");
    let still = |s: &Session| {
        q.units
            .iter()
            .filter(|&&u| {
                let id = s.app.para_id(s.app.walk.units[u]);
                s.app.codings().get(&id).is_some_and(|d| {
                    d.nodes
                        .contains(&"supply.technology-infrastructure".to_string())
                })
            })
            .count()
    };
    assert_eq!(still(&s), coded);
    // The undo, as the event loop gets it: one record of every paragraph's state before.
    let effects = s.app.handle_key(parse_keys("u").unwrap()[0].to_event());
    let Some(Effect::Record(r)) = effects.first() else {
        panic!("undo of all hits is one record: {effects:?}");
    };
    assert_eq!(r.decisions.len(), coded);
    // Room for the first journal line of the undo and not the second: a line as the store
    // writes it (stamped, with its sequence number and checksum), and half of one more.
    let journal = s.dir.join("codings").join("alice.journal");
    let len = std::fs::metadata(&journal).unwrap().len();
    let mut first = r.decisions[0].clone();
    first.at = polcode_core::fsutil::now_rfc3339();
    let rec = polcode_core::store::journal::Record {
        seq: 1_000_000,
        d: first,
    };
    let line = polcode_core::store::journal::encode(&rec).unwrap().len() as u64;
    let limit = Rlimit {
        current: Some(len + line + line / 2),
        maximum: None,
    };
    setrlimit(Resource::Fsize, limit).unwrap();
    s.app.carry_out(effects);
    let status = s.app.status.clone().unwrap().text;
    let after_failure = still(&s);
    // The disk has room again: the rest of the step is still undoable, with one more `u`.
    setrlimit(
        Resource::Fsize,
        Rlimit {
            current: None,
            maximum: None,
        },
    )
    .unwrap();
    let undone = s.press("u");
    std::fs::write(
        dir.join("outcome.txt"),
        format!(
            "{coded}\n{after_failure}\n{undone}\n{}\n{status}\n",
            still(&s)
        ),
    )
    .unwrap();
}

#[test]
fn an_undo_of_all_hits_saved_only_in_part_keeps_the_rest_undoable() {
    let tmp = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; exec \"$0\" --exact tui_search::partial_undo_child --ignored --test-threads 1")
        .arg(&exe)
        .env(PARTIAL_CHILD, tmp.path())
        .output()
        .unwrap();
    let outcome = std::fs::read_to_string(tmp.path().join("outcome.txt")).unwrap_or_default();
    assert!(
        out.status.success() && !outcome.is_empty(),
        "child failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = outcome.lines().collect();
    let n = |i: usize| lines[i].parse::<usize>().unwrap();
    let (coded, after_failure, undone, left) = (n(0), n(1), n(2), n(3));
    let status = lines[4];
    // The undo was saved for exactly one paragraph before the disk filled, and says so: that
    // one is redone with Ctrl-r, the rest is undone with u.
    assert_eq!(after_failure, coded - 1, "{outcome}");
    assert!(
        status.starts_with("NOT SAVED: ")
            && status.contains(&format!(
                "(1 of {coded} undone; Ctrl-r redoes those, u undoes the rest)"
            )),
        "{status}"
    );
    // The rest is still coded and one more `u` takes it back.
    assert_eq!(undone, coded - 1, "{outcome}");
    assert_eq!(left, 0, "{outcome}");
}
