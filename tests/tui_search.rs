//! State-machine tests of the coding screen's text search on the demo study (ten blockchain
//! policies): the queue is what the core search finds, `n`/`N`/`Enter` follow it and stop at
//! its ends, `Esc` returns to the normal order, decisions on a hit carry the search in `via`,
//! and "code all hits" asks first, records one step, and undoes and redoes as one.

use std::path::PathBuf;
use std::sync::Arc;

use polcode_core::search::{search, Matcher, Scope, Spec};
use polcode_core::store::{read_codings, CoderStore, OpenMode, Via};
use polcode_core::study::Study;
use polcode_core::suggest::Engine;
use polcode_tui::app::{App, Effect, Mode};
use polcode_tui::keymap::{parse_keys, Keymap};

struct Session {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    app: App,
    store: CoderStore,
}

impl Session {
    fn new() -> Session {
        let tmp = tempfile::tempdir().unwrap();
        let dir = polcode_core::demo::ensure(tmp.path()).unwrap();
        let study = Arc::new(Study::open(&dir).unwrap());
        let store = CoderStore::open(&study.codings_dir(), "alice", OpenMode::ReadWrite).unwrap();
        let texts: Vec<&str> = polcode_core::corpus::paragraph_texts(&study.docs).collect();
        let engine = Arc::new(Engine::new(&study.codebook, &texts));
        let app = App::new(
            study,
            "alice",
            store.codings().clone(),
            engine,
            Keymap::defaults(),
            false,
        );
        Session {
            _tmp: tmp,
            dir,
            app,
            store,
        }
    }

    /// Feeds keys; records every decision durably before the next key, as the event loop does.
    fn press(&mut self, keys: &str) -> usize {
        let mut n = 0;
        for k in parse_keys(keys).unwrap() {
            for e in self.app.handle_key(k.to_event()) {
                match e {
                    Effect::Record(d) => {
                        self.store.record((*d).clone()).unwrap();
                        self.app.recorded(*d);
                        n += 1;
                    }
                    Effect::RecordAll(ds) => {
                        for d in &ds {
                            self.store.record(d.clone()).unwrap();
                        }
                        n += ds.len();
                        self.app.recorded_all(ds);
                    }
                    Effect::Quit => {}
                }
            }
        }
        n
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
    let here = s.app.pos;
    s.press("j");
    if s.app.hit_position().is_none() {
        s.press("n");
        assert!(s.app.pos > here);
        assert!(s.app.hit_position().is_some());
    }
    // Esc: back to the normal order, n steps uncoded paragraphs again.
    s.press("<esc>");
    assert!(s.app.find.is_none());
    let before = s.app.pos;
    s.press("n");
    let now = s.app.unit().unwrap();
    assert!(s.app.pos != before);
    assert!(s.app.codings.get(&s.app.para_id(now)).is_none());
}

#[test]
fn decisions_on_a_hit_carry_the_search_and_off_the_queue_they_do_not() {
    let mut s = Session::new();
    s.find("-w 区块链");
    assert_eq!(s.app.find.as_ref().unwrap().query, "-w 区块链");
    let first = s.current_id();
    assert_eq!(s.press("1 2"), 2);
    let d = s.app.codings.get(&first).unwrap().clone();
    assert_eq!(d.via.len(), 2);
    for v in d.via.values() {
        assert_eq!(v.search_query(), Some("-w 区块链"));
        assert!(matches!(v.how(), Via::Suggestion { .. }), "{v:?}");
    }
    // Toggling off and on again keeps one mark; undo restores the state before.
    s.press("u");
    assert_eq!(s.app.codings.get(&first).unwrap().via.len(), 1);
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
    let d = s.app.codings.get(&off).unwrap();
    assert!(d.via.values().all(|v| v.search_query().is_none()), "{d:?}");
    assert_eq!(d.found, None, "{d:?}");
    // The decision as a whole carries the search too, a "no code" mark included.
    assert_eq!(
        s.app.codings.get(&first).unwrap().found.as_deref(),
        Some("-w 区块链")
    );
    s.press("n");
    let second = s.current_id();
    assert!(s.app.hit_position().is_some());
    s.press("x");
    let d = s.app.codings.get(&second).unwrap();
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
    assert!(s.app.codings.get(&first).is_some());
    // Nothing without a search.
    s.press("<esc> A");
    assert!(matches!(s.app.mode, Mode::Normal));
    s.find("供应链金融|存证");
    s.press("A");
    s.typed("supply.technology-infrastructure");
    s.press("<enter>");
    let Mode::ConfirmAll(plan) = &s.app.mode else {
        panic!("no confirmation: {:?}", s.app.mode);
    };
    assert_eq!((plan.paragraphs, plan.already), (n - 1, 1));
    // Any key but y cancels, recording nothing.
    assert_eq!(s.press("n"), 0);
    assert!(matches!(s.app.mode, Mode::Normal));
    s.press("A");
    s.typed("supply.technology-infrastructure");
    s.press("<enter>");
    assert_eq!(s.press("y"), n - 1);
    for &u in &q.units {
        let id = s.app.para_id(s.app.units[u]);
        let d = s.app.codings.get(&id).unwrap();
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
            let id = s.app.para_id(s.app.units[u]);
            s.app
                .codings
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
        .filter(|&&u| s.app.codings.get(&s.app.para_id(s.app.units[u])).is_some())
        .count();
    assert_eq!(left, 1, "only the paragraph coded by hand");
    assert_eq!(s.press("<c-r>"), n - 1);
    let (c, _) = read_codings(&s.dir.join("codings"), "alice").unwrap();
    assert_eq!(c.decisions.len(), n);
}

#[test]
fn an_undo_of_all_hits_saved_only_in_part_keeps_the_rest_undoable() {
    let mut s = Session::new();
    s.find("供应链金融|存证");
    let q = s.app.find.as_ref().unwrap().clone();
    assert!(q.units.len() >= 3, "{}", q.units.len());
    s.press("A");
    s.typed("supply.technology-infrastructure");
    s.press("<enter>");
    let coded = s.press("y");
    // Undo, with the disk failing after the first decision: as the event loop reports it.
    let effects = s.app.handle_key(parse_keys("u").unwrap()[0].to_event());
    let Some(Effect::RecordAll(ds)) = effects.into_iter().next() else {
        panic!("undo of all hits is one RecordAll");
    };
    assert_eq!(ds.len(), coded);
    s.store.record(ds[0].clone()).unwrap();
    s.app.recorded_all(vec![ds[0].clone()]);
    s.app.record_all_failed("disk full", 1, ds.len());
    // The rest is still coded and one more `u` takes it back.
    let still = |s: &Session| {
        q.units
            .iter()
            .filter(|&&u| {
                let id = s.app.para_id(s.app.units[u]);
                s.app.codings.get(&id).is_some_and(|d| {
                    d.nodes
                        .contains(&"supply.technology-infrastructure".to_string())
                })
            })
            .count()
    };
    assert_eq!(still(&s), coded - 1);
    assert_eq!(s.press("u"), coded - 1);
    assert_eq!(still(&s), 0);
}
