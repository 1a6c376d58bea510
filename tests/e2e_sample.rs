//! A blind double-coding sample in a real terminal (tmux) on the 41 real documents (issue 13,
//! item 6): `polcode sample` draws it, `polcode code --sample` shows "BLIND SAMPLE", starts at
//! the first sampled paragraph and every motion (`Enter`, `j`, `k`, `G`) stays on sampled
//! paragraphs in their order; what is decided lands on exactly those paragraphs.
//!
//! Prints SKIPPED and passes without tmux (except under CI) or without `../shared/corpus`.

use std::path::PathBuf;

use polcode_core::store::read_codings;

use crate::support::real;
use crate::support::tmux;

use real::{corpus, polcode, real_study};

use tmux::Tmux;

/// `para 22/178` of the header: the paragraph number on screen.
fn para_on_screen(screen: &str) -> u32 {
    let at = screen.find("| para ").expect("header with the paragraph") + "| para ".len();
    screen[at..].split('/').next().unwrap().parse().unwrap()
}

#[test]
#[cfg_attr(
    polcode_no_shared,
    ignore = "needs ../shared (absent when the tests were built; touch build.rs after adding it)"
)]
fn coding_a_blind_sample_walks_only_the_sampled_paragraphs() {
    let Some(corpus) = corpus() else { return };
    if !tmux::tmux_available("coding a blind sample") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let study: PathBuf = real_study(tmp.path(), &corpus);
    polcode(
        &study,
        &[
            "sample", "--coder", "bob", "--share", "0.05", "--seed", "11",
        ],
    );
    let sample = polcode_core::sample::load(&study, "bob").unwrap().unwrap();
    let ids: Vec<String> = sample.paragraphs.clone();
    let n_of = |id: &str| -> u32 { id.rsplit('#').next().unwrap().parse().unwrap() };

    let cmd = format!(
        "cd {} && exec env POLCODE_CONFIG={} TERM=xterm-256color {} code --coder bob --sample",
        study.display(),
        tmp.path().join("config").display(),
        env!("CARGO_BIN_EXE_polcode"),
    );
    let t = Tmux::start("sample", &cmd);
    let screen = t.wait_for("BLIND SAMPLE");
    assert!(
        screen.contains(&format!("sample 0/{} coded", ids.len())),
        "{screen}"
    );
    assert_eq!(para_on_screen(&screen), n_of(&ids[0]), "{screen}");

    // Decide the first five with Enter (the predicted set or no code); each moves to the next
    // sampled paragraph.
    for (k, next) in ids.iter().enumerate().take(6).skip(1) {
        t.wait_for(&format!("sample {}/", k - 1));
        t.keys(&["Enter"]);
        t.wait_for("saved ");
        let screen = t.wait_for(&format!("| para {}/", n_of(next)));
        assert!(screen.contains("BLIND SAMPLE"), "{screen}");
    }
    // j and k step over sampled paragraphs only; G goes to the last one.
    t.keys(&["j"]);
    t.wait_for(&format!("| para {}/", n_of(&ids[6])));
    t.keys(&["k"]);
    t.wait_for(&format!("| para {}/", n_of(&ids[5])));
    t.keys(&["G"]);
    t.wait_for(&format!("| para {}/", n_of(ids.last().unwrap())));
    t.keys(&["q"]);
    t.wait_exit();

    let (codings, _) = read_codings(&study.join("codings"), "bob").unwrap();
    let decided: Vec<&String> = codings.decisions.keys().collect();
    let mut want: Vec<&String> = ids[..5].iter().collect();
    want.sort();
    assert_eq!(decided, want, "decisions off the sample");
}
