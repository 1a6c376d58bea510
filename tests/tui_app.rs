//! State-machine tests of the coding screen: a real demo study and a real codings store, keys
//! fed as strings through the same parser the keymap config uses (`"j j 2 <enter> u"`), and
//! assertions on state, effects and what landed on disk. No terminal, no sleeps.

use std::path::PathBuf;
use std::sync::Arc;

use polcode_core::store::{read_codings, Via};
use polcode_tui::app::{App, Effect};
use polcode_tui::keymap::{parse_keys, Keymap};
use polcode_tui::overlay::{InfoView, Overlay};

struct Session {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    app: App,
}

fn study_dir(tmp: &tempfile::TempDir) -> PathBuf {
    polcode_core::demo::ensure(tmp.path()).unwrap()
}

fn open(dir: &std::path::Path, coder: &str, read_only: bool) -> App {
    crate::support::session::open(dir, coder, read_only)
}

impl Session {
    fn new() -> Session {
        let tmp = tempfile::tempdir().unwrap();
        let dir = study_dir(&tmp);
        let app = open(&dir, "alice", false);
        Session {
            _tmp: tmp,
            dir,
            app,
        }
    }

    /// Feeds keys; records every decision durably before the next key, through the same
    /// effect interpreter the event loop uses.
    fn press(&mut self, keys: &str) -> Vec<Effect> {
        crate::support::session::press(&mut self.app, keys)
    }

    fn current_id(&self) -> String {
        self.app.para_id(self.app.unit().unwrap())
    }

    /// Moves to the first paragraph with at least `n` suggestions.
    fn go_to_suggested(&mut self, n: usize) {
        for i in 0..self.app.walk.units.len() {
            self.app.go(i);
            if self.app.suggestions().len() >= n {
                return;
            }
        }
        panic!("no paragraph with {n} suggestions in the demo");
    }

    fn on_disk(&self) -> polcode_core::store::Codings {
        read_codings(&self.dir.join("codings"), "alice").unwrap().0
    }
}

fn records(effects: &[Effect]) -> usize {
    effects
        .iter()
        .filter(|e| matches!(e, Effect::Record(_)))
        .count()
}

#[test]
fn x_marks_no_code_durably_and_moves_on() {
    let mut s = Session::new();
    let first = s.current_id();
    let e = s.press("x");
    assert_eq!(records(&e), 1);
    assert!(s.app.session.codings().get(&first).unwrap().no_code);
    assert_ne!(s.current_id(), first, "moved to the next paragraph to code");
    assert!(
        s.on_disk().get(&first).unwrap().no_code,
        "durable before the next key"
    );
}

#[test]
fn digits_toggle_suggestions_with_provenance_and_enter_moves_on() {
    let mut s = Session::new();
    s.go_to_suggested(2);
    let here = s.current_id();
    let second = s.app.suggestions()[1].node;
    let second_id = s.app.study.codebook.nodes[second].id.clone();
    s.press("2");
    let d = s.app.session.codings().get(&here).unwrap().clone();
    assert_eq!(d.nodes, vec![second_id.clone()]);
    assert!(matches!(
        d.via.get(&second_id),
        Some(Via::Suggestion { rank: 2, .. })
    ));
    // Toggling again removes it; toggling back adds it.
    s.press("2 2");
    assert_eq!(
        s.app.session.codings().get(&here).unwrap().nodes,
        vec![second_id]
    );
    s.press("<enter>");
    assert_ne!(s.current_id(), here);
    assert_eq!(s.on_disk().get(&here).unwrap().nodes.len(), 1);
}

#[test]
fn enter_with_nothing_chosen_confirms_the_predicted_set_in_one_decision() {
    let mut s = Session::new();
    // A paragraph with a predicted set of at least one node.
    let found = (0..s.app.walk.units.len()).find(|&i| {
        s.app.go(i);
        !s.app.here.offer.no_code && !s.app.here.offer.predicted.is_empty()
    });
    assert!(
        found.is_some(),
        "no paragraph with a prediction in the demo"
    );
    let here = s.current_id();
    let offer = s.app.here.offer.clone();
    let cb = s.app.study.codebook.clone();
    let want: Vec<String> = offer
        .predicted
        .iter()
        .map(|&n| cb.nodes[n].id.clone())
        .collect();
    let e = s.press("<enter>");
    assert_eq!(records(&e), 1, "the whole set is one decision");
    let d = s.app.session.codings().get(&here).unwrap().clone();
    assert_eq!(d.nodes, want);
    for &n in &offer.predicted {
        let rank = offer.rank_of(n).unwrap();
        assert!(
            matches!(d.via.get(&cb.nodes[n].id), Some(Via::Predicted { rank: r, .. }) if *r == rank),
            "{:?}",
            d.via
        );
    }
    assert_ne!(s.current_id(), here, "and moves on");
    assert_eq!(s.on_disk().get(&here).unwrap().nodes, want);
}

#[test]
fn enter_on_a_no_code_prediction_records_no_code_and_says_why() {
    let mut s = Session::new();
    let found = (0..s.app.walk.units.len()).find(|&i| {
        s.app.go(i);
        s.app.here.offer.no_code
    });
    assert!(
        found.is_some(),
        "no paragraph predicted as no code in the demo"
    );
    let here = s.current_id();
    assert!(!s.app.here.offer.no_code_why.is_empty());
    let e = s.press("<enter>");
    assert_eq!(records(&e), 1);
    let d = s.app.session.codings().get(&here).unwrap();
    assert!(d.no_code && d.nodes.is_empty());
    assert_ne!(s.current_id(), here);
}

#[test]
fn digits_mean_the_row_the_coder_read_and_rows_never_move_on_the_paragraph() {
    use polcode_core::suggest::{Learner, Segmenter};
    let mut s = Session::new();
    // With the learner in place, as in a real session after the first frame.
    let study = s.app.study.clone();
    let seg = Arc::new(Segmenter::for_docs(&study.codebook, &study.docs));
    s.app.set_learner(Learner::from_codings(
        seg,
        &study.codebook,
        &study.docs,
        s.app.session.codings(),
    ));
    s.go_to_suggested(4);
    let here = s.current_id();
    let rows: Vec<usize> = s.app.suggestions().iter().map(|x| x.node).collect();
    let cb = s.app.study.codebook.clone();
    let id = |k: usize| cb.nodes[rows[k - 1]].id.clone();
    // `3 3` chooses and un-chooses the same node; the rows stay where they were.
    s.press("3");
    assert_eq!(
        s.app.session.codings().get(&here).unwrap().nodes,
        vec![id(3)]
    );
    s.press("3");
    assert!(s
        .app
        .session
        .codings()
        .get(&here)
        .is_none_or(|d| d.nodes.is_empty()));
    // `1 4` chooses rows 1 and 4 as they were first read.
    s.press("1 4");
    assert_eq!(
        s.app.session.codings().get(&here).unwrap().nodes,
        vec![id(1), id(4)]
    );
    let now: Vec<usize> = s.app.suggestions().iter().map(|x| x.node).collect();
    assert_eq!(now, rows, "the list did not re-sort");
    // Undo on the same paragraph keeps the rows too.
    s.press("u");
    let now: Vec<usize> = s.app.suggestions().iter().map(|x| x.node).collect();
    assert_eq!(now, rows);
    assert_eq!(
        s.app.session.codings().get(&here).unwrap().nodes,
        vec![id(1)]
    );
}

#[test]
fn x_on_a_coded_paragraph_says_what_it_replaced_and_u_restores_it() {
    let mut s = Session::new();
    s.go_to_suggested(2);
    let here = s.current_id();
    let cb = s.app.study.codebook.clone();
    let rows: Vec<usize> = s.app.suggestions().iter().map(|x| x.node).collect();
    s.press("1 2");
    let before = s.app.session.codings().get(&here).unwrap().nodes.clone();
    assert_eq!(before.len(), 2);
    s.press("x");
    assert!(s.app.session.codings().get(&here).unwrap().no_code);
    let st = s.app.status.clone().unwrap().text;
    for &n in &rows[..2] {
        let short = cb.nodes[n].name_zh.split('/').next().unwrap();
        assert!(st.contains(short), "{st}");
    }
    assert!(st.contains("replaced") && st.contains("u restores"), "{st}");
    assert_eq!(
        s.app.status.as_ref().unwrap().kind,
        polcode_tui::app::StatusKind::Warn
    );
    s.press("u");
    assert_eq!(s.current_id(), here);
    assert_eq!(s.app.session.codings().get(&here).unwrap().nodes, before);
}

#[test]
fn undo_and_redo_work_across_paragraphs_and_are_durable() {
    let mut s = Session::new();
    let a = s.current_id();
    s.press("x");
    let b = s.current_id();
    s.press("x");
    assert!(s.app.session.codings().get(&b).is_some());
    s.press("u");
    assert_eq!(s.current_id(), b, "undo goes to the paragraph it changes");
    assert!(s.app.session.codings().get(&b).is_none());
    s.press("u");
    assert_eq!(s.current_id(), a);
    assert!(
        s.on_disk().get(&a).is_none(),
        "undo is recorded like any decision"
    );
    s.press("<c-r>");
    assert!(s.app.session.codings().get(&a).unwrap().no_code);
    assert!(s.on_disk().get(&a).unwrap().no_code);
    // A new decision after undo clears the redo stack.
    s.press("u j x <c-r>");
    assert!(matches!(&s.app.status, Some(st) if st.text.contains("nothing to redo")));
}

#[test]
fn picker_finds_nodes_by_english_and_chinese_and_records_search() {
    let mut s = Session::new();
    let here = s.current_id();
    s.press("<space>");
    assert!(matches!(s.app.overlay, Some(Overlay::Picker(_))));
    s.press("t a x <enter>");
    assert!(s.app.overlay.is_none());
    let d = s.app.session.codings().get(&here).unwrap().clone();
    assert_eq!(d.nodes, vec!["environment.tax-incentives".to_string()]);
    assert_eq!(d.via.get("environment.tax-incentives"), Some(&Via::Search));
    // Tab toggles and stays open: choose two nodes by their Chinese names.
    s.press("/ 人 才 <tab>");
    assert!(matches!(s.app.overlay, Some(Overlay::Picker(_))));
    s.press("<esc>");
    let d = s.app.session.codings().get(&here).unwrap();
    assert_eq!(d.nodes.len(), 2, "{:?}", d.nodes);
    assert!(d.nodes.contains(&"supply.human-resources".to_string()));
}

#[test]
fn memo_takes_chinese_text_and_is_saved_on_escape() {
    let mut s = Session::new();
    let here = s.current_id();
    s.press("m");
    assert!(matches!(s.app.overlay, Some(Overlay::Memo(_))));
    s.press("人 才 政 策 <space> o k <esc>");
    assert_eq!(
        s.app.session.codings().get(&here).unwrap().memo.as_deref(),
        Some("人才政策 ok")
    );
    assert_eq!(
        s.on_disk().get(&here).unwrap().memo.as_deref(),
        Some("人才政策 ok")
    );
}

#[test]
fn jump_prompt_goes_to_a_document_and_paragraph() {
    let mut s = Session::new();
    s.press(": 0 3 # 5 <enter>");
    let id = s.current_id();
    assert!(id.starts_with("03_beijing"), "{id}");
    let n: u32 = id.rsplit('#').next().unwrap().parse().unwrap();
    assert!(n >= 5);
    s.press(": 北 京 <enter>");
    assert!(s.current_id().starts_with("03_beijing"));
    s.press(": n o p e <enter>");
    assert!(matches!(&s.app.status, Some(st) if st.text.contains("no document")));
}

#[test]
fn navigation_keys_move_over_paragraphs_and_documents() {
    let mut s = Session::new();
    s.press("g");
    assert_eq!(s.app.cursor.pos, 0);
    s.press("j j k");
    assert_eq!(s.app.cursor.pos, 1);
    s.press("J");
    let doc = s.app.unit().unwrap().doc;
    assert_eq!(doc, 1);
    s.press("K");
    assert_eq!(s.app.unit().unwrap().doc, 0);
    s.press("G");
    assert_eq!(s.app.cursor.pos, s.app.walk.units.len() - 1);
    s.press("g x n");
    assert_eq!(s.app.cursor.pos, 2, "n skips coded paragraphs");
    s.press("N");
    assert_eq!(
        s.app.cursor.pos, 1,
        "N goes back to the previous uncoded one"
    );
}

#[test]
fn tallies_update_the_instant_a_decision_is_recorded() {
    let mut s = Session::new();
    let cb = s.app.study.codebook.clone();
    let node = cb.index("environment.tax-incentives").unwrap();
    let parent = cb.index("environment").unwrap();
    let region = s
        .app
        .tallies
        .columns()
        .iter()
        .position(|(k, _)| k == "national")
        .unwrap();
    assert_eq!(s.app.tallies.tally.refs(region, node), 0);
    s.press("<space> t a x <enter>");
    assert_eq!(s.app.tallies.tally.refs(region, node), 1);
    assert_eq!(s.app.tallies.tally.refs(region, parent), 1);
    s.press("u");
    assert_eq!(s.app.tallies.tally.refs(region, node), 0);
}

#[test]
fn a_new_session_resumes_at_the_first_uncoded_paragraph() {
    let mut s = Session::new();
    s.press("x x x");
    let next = s.current_id();
    s.app.close().unwrap();
    let app = open(&s.dir, "alice", false);
    assert_eq!(app.para_id(app.unit().unwrap()), next);
}

#[test]
fn read_only_sessions_record_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = study_dir(&tmp);
    let mut app = open(&dir, "bob", true);
    let k = parse_keys("x").unwrap()[0];
    let effects = app.handle_key(k.to_event());
    assert!(effects.is_empty());
    assert!(matches!(&app.status, Some(st) if st.text.contains("read-only")));
}

#[test]
fn review_filters_decisions_and_jumps_into_one() {
    let mut s = Session::new();
    s.press("x");
    s.press("J <space> t a x <enter>");
    let taxed = s.current_id();
    s.press("g v");
    let Some(Overlay::Review(r)) = &s.app.overlay else {
        panic!("review mode")
    };
    assert_eq!(r.rows.len(), 2);
    s.press("n o d e : e n v");
    let Some(Overlay::Review(r)) = &s.app.overlay else {
        panic!("review mode")
    };
    assert_eq!(r.rows.len(), 1);
    s.press("<enter>");
    assert!(s.app.overlay.is_none());
    assert_eq!(s.current_id(), taxed);
}

#[test]
fn reconcile_takes_a_coders_version_with_one_key() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = study_dir(&tmp);
    // Two coders who disagree on the first two paragraphs.
    for (coder, keys) in [
        ("ann", "x <space> t a x <enter>"),
        ("ben", "<space> t a x <enter> n x"),
    ] {
        let app = open(&dir, coder, false);
        let mut s = Session {
            _tmp: tempfile::tempdir().unwrap(),
            dir: dir.clone(),
            app,
        };
        s.press(keys);
        s.app.close().unwrap();
    }
    let mut app = open(&dir, "consensus", false);
    let ann = read_codings(&dir.join("codings"), "ann").unwrap().0;
    let ben = read_codings(&dir.join("codings"), "ben").unwrap().0;
    app.start_reconcile(vec![ann.clone(), ben]);
    assert!(!app.walk.units.is_empty());
    let mut s = Session {
        _tmp: tempfile::tempdir().unwrap(),
        dir: dir.clone(),
        app,
    };
    let first = s.current_id();
    // Enter takes nothing the reconcile screen does not show (the predicted set is not on it).
    let e = s.press("<enter>");
    assert_eq!(records(&e), 0);
    assert_eq!(s.current_id(), first);
    s.press("1");
    let d = s.app.session.codings().get(&first).unwrap().clone();
    let theirs = ann.get(&first).unwrap();
    assert_eq!(d.nodes, theirs.nodes);
    assert_eq!(d.no_code, theirs.no_code || theirs.nodes.is_empty());
    let on_disk = read_codings(&dir.join("codings"), "consensus").unwrap().0;
    assert!(
        on_disk.get(&first).is_some(),
        "the consensus coder is its own durable file"
    );

    // The status never claims agreed paragraphs are in the consensus when they were not
    // carried: a read-only session writes nothing (here, a coder compared with itself).
    let mut ro = open(&dir, "consensus2", true);
    ro.start_reconcile(vec![ann.clone(), ann.clone()]);
    let text = &ro.status.as_ref().unwrap().text;
    assert!(text.contains("read-only, nothing is written"), "{text}");
    let mut rw = open(&dir, "consensus3", false);
    rw.start_reconcile(vec![ann.clone(), ann]);
    let text = &rw.status.as_ref().unwrap().text;
    assert!(
        text.contains("carried when reconcile starts again"),
        "{text}"
    );
}

#[test]
fn user_keymap_is_used_by_the_app() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = study_dir(&tmp);
    let mut app = open(&dir, "carol", false);
    let mut km = Keymap::defaults();
    km.merge_str("normal:\n  no-code: [z]\n", "keymap.yaml")
        .unwrap();
    app.session.keymap = km;
    let mut s = Session {
        _tmp: tempfile::tempdir().unwrap(),
        dir,
        app,
    };
    let here = s.current_id();
    s.press("x");
    assert!(
        s.app.session.codings().get(&here).is_none(),
        "x is no longer bound"
    );
    s.press("z");
    assert!(s.app.session.codings().get(&here).unwrap().no_code);
}

#[test]
fn decisions_made_before_the_learner_arrives_are_learned_on_arrival() {
    use polcode_core::suggest::{Learner, Segmenter};
    let mut s = Session::new();
    let initial = s.app.session.codings().clone();
    s.press("<space> t a x <enter> <enter> x");
    let coded = s
        .app
        .codings()
        .decisions
        .values()
        .filter(|d| d.is_coded())
        .count();
    assert!(coded >= 2);
    // The learner is built from the codings as they were at start-up, as the session's thread does.
    let study = s.app.study.clone();
    let seg = Arc::new(Segmenter::for_docs(&study.codebook, &study.docs));
    let learner = Learner::from_codings(seg, &study.codebook, &study.docs, &initial);
    assert_eq!(learner.decisions(), 0);
    s.app.set_learner(learner);
    assert_eq!(
        s.app.learning.learner.as_ref().unwrap().decisions() as usize,
        coded
    );
    // And from then on decisions are learned as they are recorded.
    s.press("x");
    assert_eq!(
        s.app.learning.learner.as_ref().unwrap().decisions() as usize,
        coded + 1
    );
}

/// After documents changed on disk the session reloads them; the learned model (built on the
/// old text) is dropped, and what is coded until the new one arrives is learned on arrival.
#[test]
fn a_reload_queues_decisions_for_the_new_learner() {
    use polcode_core::suggest::{Learner, Segmenter};
    let mut s = Session::new();
    let study = s.app.study.clone();
    let seg = Arc::new(Segmenter::for_docs(&study.codebook, &study.docs));
    let none = s.app.codings().clone();
    s.app.set_learner(Learner::from_codings(
        seg.clone(),
        &study.codebook,
        &study.docs,
        &none,
    ));
    s.press("x");
    polcode_tui::reload::reload(&mut s.app).unwrap();
    assert!(
        s.app.learning.learner.is_none(),
        "the old text's model is dropped"
    );
    // The new model starts from the codings at the reload, as the session's thread does.
    let at_reload = s.app.codings().clone();
    s.press("x");
    let study = s.app.study.clone();
    s.app.set_learner(Learner::from_codings(
        seg,
        &study.codebook,
        &study.docs,
        &at_reload,
    ));
    assert_eq!(s.app.learning.learner.as_ref().unwrap().decisions(), 2);
}

#[test]
fn the_coded_count_stays_equal_to_a_recount() {
    let mut s = Session::new();
    let recount = |a: &App| {
        a.walk
            .units
            .iter()
            .filter(|u| {
                a.session
                    .codings()
                    .get(&a.para_id(**u))
                    .is_some_and(|d| d.is_coded())
            })
            .count()
    };
    for keys in [
        "x",
        "x",
        "u",
        "<c-r>",
        "<space> t a x <enter>",
        "x",
        "m o k <esc>",
        "u",
        "u",
        "u",
    ] {
        s.press(keys);
        assert_eq!(s.app.coded_count(), recount(&s.app), "after {keys:?}");
    }
}

#[test]
fn esc_and_a_key_read_together_as_alt_key_are_both_handled() {
    // Over a slow link "Esc q" can arrive in one read, which crossterm decodes as Alt-q.
    let mut s = Session::new();
    s.press("<space>");
    assert!(matches!(s.app.overlay, Some(Overlay::Picker(_))));
    let e = s.press("alt-q");
    assert!(s.app.overlay.is_none());
    assert!(e.iter().any(|e| matches!(e, Effect::Quit)), "{e:?}");
    // And in the coding screen Alt-x is Esc then x: the paragraph is marked "no code".
    let first = s.current_id();
    let e = s.press("alt-x");
    assert_eq!(records(&e), 1);
    assert!(s.on_disk().get(&first).unwrap().no_code);
}

#[test]
fn esc_and_a_key_read_together_close_the_memo_and_apply_the_key() {
    // "Esc q" typed in the memo over tmux or SSH reaches polcode as Alt-q: the memo is saved
    // and closed, then q quits; nothing after it is typed into the memo.
    let mut s = Session::new();
    let here = s.current_id();
    s.press("m n o t e");
    let e = s.press("alt-q");
    assert!(s.app.overlay.is_none(), "the memo is closed");
    assert!(e.iter().any(|e| matches!(e, Effect::Quit)), "{e:?}");
    assert_eq!(
        s.on_disk().get(&here).unwrap().memo.as_deref(),
        Some("note")
    );
    // Esc j: saved, then the next paragraph.
    let mut s = Session::new();
    let here = s.current_id();
    s.press("m a b");
    s.press("alt-j");
    assert!(s.app.overlay.is_none());
    assert_ne!(s.current_id(), here, "j moved on after the memo closed");
    assert_eq!(s.on_disk().get(&here).unwrap().memo.as_deref(), Some("ab"));
}

#[test]
fn definition_view_moves_over_rows_chooses_and_closes() {
    let mut s = Session::new();
    s.go_to_suggested(3);
    let here = s.current_id();
    let rows: Vec<usize> = s.app.suggestions().iter().map(|x| x.node).collect();
    s.press("i");
    assert!(matches!(
        s.app.overlay,
        Some(Overlay::Info(InfoView { row: 0, .. }))
    ));
    s.press("j j k");
    assert!(matches!(
        s.app.overlay,
        Some(Overlay::Info(InfoView { row: 1, .. }))
    ));
    s.press("3");
    assert!(matches!(
        s.app.overlay,
        Some(Overlay::Info(InfoView { row: 2, .. }))
    ));
    // A digit moves to its row (or, past the last row, stays); nothing is recorded by moving.
    let e = s.press("9");
    assert_eq!(records(&e), 0);
    if rows.len() < 9 {
        assert!(matches!(
            s.app.overlay,
            Some(Overlay::Info(InfoView { row: 2, .. }))
        ));
    } else {
        assert!(matches!(
            s.app.overlay,
            Some(Overlay::Info(InfoView { row: 8, .. }))
        ));
        s.press("3");
    }
    // Tab chooses the node shown, as its digit would, and the view stays open.
    s.press("<tab>");
    assert!(matches!(
        s.app.overlay,
        Some(Overlay::Info(InfoView { row: 2, .. }))
    ));
    let d = s.app.session.codings().get(&here).unwrap();
    let id = &s.app.study.codebook.nodes[rows[2]].id;
    assert_eq!(d.nodes, vec![id.clone()]);
    assert!(matches!(
        d.via.get(id),
        Some(Via::Suggestion { rank: 3, .. })
    ));
    s.press("<esc>");
    assert!(s.app.overlay.is_none());
    // In the picker F1 (or Ctrl-d) toggles the details pane and leaves the query alone.
    s.press("<space> t a x <f1>");
    let Some(Overlay::Picker(p)) = &s.app.overlay else {
        panic!("picker")
    };
    assert!(p.details && p.query == "tax");
    s.press("<c-d>");
    let Some(Overlay::Picker(p)) = &s.app.overlay else {
        panic!("picker")
    };
    assert!(!p.details);
}

#[test]
fn startup_reports_a_repaired_journal_alongside_keymap_and_theme_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = study_dir(&tmp);
    // A journal whose last (only) record was torn by a crash: the store repairs it and warns.
    let journal = dir.join("codings").join("alice.journal");
    std::fs::create_dir_all(journal.parent().unwrap()).unwrap();
    std::fs::write(&journal, b"{\"seq\":1,\"d\":{\"para\":\"x").unwrap();
    // A keymap with an unknown action, and a theme that does not exist.
    let config = tmp.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("keymap.yaml"), "normal:\n  fly: [f]\n").unwrap();
    let opts = polcode_tui::run::RunOptions {
        study_dir: dir.clone(),
        coder: "alice".into(),
        read_only: false,
        theme: "nope".into(),
        ascii: false,
        review: false,
        config_dir: Some(config),
        reconcile: Vec::new(),
        sample: None,
    };
    let p = polcode_tui::run::prepare(&opts).unwrap();
    let st = p.app.status.clone().unwrap();
    assert_eq!(st.kind, polcode_tui::app::StatusKind::Warn);
    let torn = st.text.find("torn last journal record").expect(&st.text);
    let keys = st.text.find("keymap.yaml:2").expect(&st.text);
    let theme = st.text.find("unknown theme \"nope\"").expect(&st.text);
    assert!(torn < keys && keys < theme, "{}", st.text);
    p.app.close().unwrap();
}

#[test]
fn messages_name_the_key_the_users_keymap_binds_to_undo() {
    let mut s = Session::new();
    let file = s._tmp.path().join("keymap.yaml");
    std::fs::write(&file, "normal:\n  undo: [z]\n").unwrap();
    let (km, err) = Keymap::load(Some(&file));
    assert!(err.is_none(), "{err:?}");
    s.app.session.keymap = km;
    s.go_to_suggested(1);
    let here = s.current_id();
    s.press("1");
    let before = s.app.session.codings().get(&here).unwrap().nodes.clone();
    s.press("x");
    let st = s.app.status.clone().unwrap().text;
    assert!(
        st.contains("replaced") && st.contains("; z restores"),
        "{st}"
    );
    assert!(!st.contains("u restores"), "{st}");
    // `u` is no longer bound; the key the message names brings the codes back.
    s.press("u");
    assert!(s.app.session.codings().get(&here).unwrap().no_code);
    s.press("z");
    assert_eq!(s.current_id(), here);
    assert_eq!(s.app.session.codings().get(&here).unwrap().nodes, before);
}
