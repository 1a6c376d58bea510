//! End-to-end text search in a real terminal (tmux) on the 41 real documents: `f 区块链` in the
//! coding screen visits exactly the paragraphs `polcode search 区块链` lists, in the same order
//! (`n` and `Enter` step the hits, the header counts "hit k of n"), every decision made there
//! records the search in its `via`, and `Esc` returns to the normal order. Then "code all
//! hits" (`A`): the confirmation names the paragraphs and documents, `y` codes them with
//! all-hits provenance, and one `u` takes them all back.
//!
//! Prints SKIPPED and passes without tmux (except under CI) or without `../shared/corpus`.

use std::path::Path;

use polcode_core::store::{journal::Record, read_codings, Via};

use crate::support::real;
use crate::support::tmux;

use real::{corpus, polcode, real_study};

use tmux::Tmux;

/// The journal's records so far, in the order they were made.
fn journal(study: &Path, coder: &str) -> Vec<Record> {
    let path = study.join("codings").join(format!("{coder}.journal"));
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
#[cfg_attr(
    polcode_no_shared,
    ignore = "needs ../shared (absent when the tests were built; touch build.rs after adding it)"
)]
fn searching_in_the_coding_screen_visits_what_polcode_search_lists() {
    let Some(corpus) = corpus() else { return };
    if !tmux::tmux_available("text search in the coding screen") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let study = real_study(tmp.path(), &corpus);

    // What the command line lists: the paragraphs with hits, in order.
    let json: serde_json::Value =
        serde_json::from_str(&polcode(&study, &["search", "区块链", "-f", "json"])).unwrap();
    let mut listed: Vec<String> = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["paragraph"].as_str().unwrap().to_string())
        .collect();
    listed.dedup();
    let n = listed.len();
    assert!(n > 10, "the real corpus has {n} paragraphs with 区块链");

    let cmd = format!(
        "cd {} && exec env POLCODE_CONFIG={} POLCODE_CODER=alice TERM=xterm-256color {} code",
        study.display(),
        tmp.path().join("config").display(),
        env!("CARGO_BIN_EXE_polcode"),
    );
    let t = Tmux::start("search", &cmd);
    t.wait_for("decisions saved");
    t.keys(&["f"]);
    t.wait_for("find:");
    t.keys(&["区块链", "Enter"]);
    t.wait_for(&format!("hit 1 of {n}"));

    // At every hit: decide (suggestion 1, or a node from the picker every third hit), check
    // it is saved, then move on with `n` or (every other hit) `Enter`, which in a search goes
    // to the next hit.
    for k in 1..=n {
        t.wait_for(&format!("hit {k} of {n}"));
        let before = journal(&study, "alice").len();
        if k % 3 == 0 {
            t.keys(&["/"]);
            t.wait_for("pick nodes");
            t.keys(&["supply.human-resources"]);
            t.wait_for("> supply.human-resources");
            t.keys(&["Enter"]);
        } else {
            t.keys(&["1"]);
        }
        t.wait_for("saved ");
        let start = std::time::Instant::now();
        while journal(&study, "alice").len() == before {
            assert!(
                start.elapsed() < std::time::Duration::from_secs(30),
                "no decision at hit {k}: {}",
                t.screen()
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        if k < n {
            t.keys(&[if k % 2 == 0 { "Enter" } else { "n" }]);
            t.wait_for(&format!("hit {} of {n}", k + 1));
        }
    }
    // The queue ends at the last hit; `n` says so rather than wrapping.
    t.keys(&["n"]);
    t.wait_for(&format!("last hit of {n}"));

    let recs = journal(&study, "alice");
    let visited: Vec<String> = recs.iter().map(|r| r.d.para.clone()).collect();
    assert_eq!(
        visited, listed,
        "decisions in visiting order = polcode search's list"
    );
    for r in &recs {
        assert_eq!(r.d.found.as_deref(), Some("区块链"), "{}", r.d.para);
        assert!(!r.d.via.is_empty(), "{}: no via", r.d.para);
        for (node, via) in r.d.via.iter() {
            assert_eq!(
                via.search_query(),
                Some("区块链"),
                "{} {node}: {via:?}",
                r.d.para
            );
            assert!(
                matches!(via.how(), Via::Suggestion { rank: 1, .. } | Via::Search),
                "{via:?}"
            );
        }
    }

    // Code all hits at one node: the confirmation counts paragraphs and documents.
    let docs = {
        let mut d: Vec<&str> = listed
            .iter()
            .map(|p| p.split('#').next().unwrap())
            .collect();
        d.dedup();
        d.len()
    };
    t.keys(&["A"]);
    t.wait_for("code all hits at");
    t.keys(&["demand.application-scenarios"]);
    t.wait_for("> demand.application-scenarios");
    t.keys(&["Enter"]);
    let already = recs
        .iter()
        .filter(|r| {
            r.d.nodes
                .iter()
                .any(|x| x == "demand.application-scenarios")
        })
        .count();
    let screen = t.wait_for("y code them");
    let to_code = n - already;
    assert!(
        screen.contains(&format!("Code {to_code} paragraphs in")),
        "{screen}"
    );
    if already == 0 {
        assert!(
            screen.contains(&format!("Code {n} paragraphs in {docs} documents")),
            "{screen}"
        );
    }
    t.keys(&["y"]);
    t.wait_for(&format!("saved {to_code} paragraphs in"));
    let recs2 = journal(&study, "alice");
    assert_eq!(recs2.len(), recs.len() + to_code);
    for r in &recs2[recs.len()..] {
        assert_eq!(
            r.d.via.get("demand.application-scenarios"),
            Some(&Via::AllHits {
                query: "区块链".into()
            })
        );
    }
    // One undo takes the whole step back (recorded as decisions like any other).
    t.keys(&["u"]);
    t.wait_for(&format!("undone on {to_code} paragraphs"));

    // Esc leaves the search: the header no longer says SEARCH, n steps uncoded paragraphs.
    t.keys(&["Escape"]);
    t.wait_for("back to the normal order");
    assert!(!t.screen().contains("SEARCH"), "{}", t.screen());
    t.keys(&["q"]);
    t.wait_exit();
    let (c, _) = read_codings(&study.join("codings"), "alice").unwrap();
    let coded: Vec<&String> = c.decisions.keys().collect();
    assert_eq!(
        coded.len(),
        n,
        "after the undo, the hits coded one by one remain"
    );
    for d in c.decisions.values() {
        assert!(d.via.values().all(|v| v.search_query() == Some("区块链")));
    }
}
