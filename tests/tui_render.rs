//! Render tests of the coding screen with ratatui's `TestBackend` at 80x24 and 120x40 (layout,
//! Chinese wrapping, highlight styles, too-small message), and byte budgets per keystroke with a
//! `Vec`-backed crossterm backend at 120x40.

use std::sync::Arc;

use polcode::store::{CoderStore, OpenMode};
use polcode::study::Study;
use polcode::suggest::Engine;
use polcode::tui::app::{App, Effect};
use polcode::tui::backend::CjkBackend;
use polcode::tui::keymap::{parse_keys, Keymap};
use polcode::tui::run::render;
use polcode::tui::terminal::FrameWriter;
use polcode::tui::theme::Theme;
use polcode::tui::view;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::{Terminal, TerminalOptions, Viewport};

fn app(tmp: &tempfile::TempDir) -> (App, CoderStore) {
    let dir = polcode::demo::ensure(tmp.path()).unwrap();
    let study = Arc::new(Study::open(&dir).unwrap());
    let store = CoderStore::open(&study.codings_dir(), "alice", OpenMode::ReadWrite).unwrap();
    let texts: Vec<&str> = study
        .docs
        .iter()
        .flat_map(|d| d.paragraphs.iter().map(|p| p.text.as_str()))
        .collect();
    let engine = Arc::new(Engine::new(&study.codebook, &texts));
    let app = App::new(
        study,
        "alice",
        store.codings().clone(),
        engine,
        Keymap::defaults(),
        false,
    );
    (app, store)
}

fn press(app: &mut App, store: &mut CoderStore, keys: &str) {
    for k in parse_keys(keys).unwrap() {
        for e in app.handle_key(k.to_event()) {
            if let Effect::Record(d) = e {
                store.record(d.clone()).unwrap();
                app.recorded(d);
            }
        }
    }
}

fn draw(app: &mut App, w: u16, h: u16) -> Buffer {
    let theme = Theme::bundled("dark");
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    app.tallies.prepare(&app.study, &app.codings);
    t.draw(|f| view::draw(f, app, &theme)).unwrap();
    t.backend().buffer().clone()
}

/// Screen rows as strings, with the blank cell after a wide character dropped.
fn rows(buf: &Buffer) -> Vec<String> {
    let area = buf.area;
    (0..area.height)
        .map(|y| {
            let mut s = String::new();
            let mut x = 0;
            while x < area.width {
                let cell = &buf[(x, y)];
                let sym = cell.symbol();
                s.push_str(sym);
                x += unicode_width::UnicodeWidthStr::width(sym).max(1) as u16;
            }
            s
        })
        .collect()
}

/// Moves to the first paragraph with a keyword suggestion.
fn to_suggested(app: &mut App) {
    for i in 0..app.units.len() {
        app.go(i);
        if !app.suggestions.is_empty() && !app.highlights.is_empty() {
            return;
        }
    }
    panic!("no suggested paragraph");
}

#[test]
fn standard_layout_at_120x40_has_every_panel() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut a, _s) = app(&tmp);
    to_suggested(&mut a);
    let buf = draw(&mut a, 120, 40);
    let text = rows(&buf).join("\n");
    for needle in [
        "polcode demo",
        "suggestions",
        "codes",
        "tallies",
        "Nat",
        "East",
        "Cent",
        "West",
        "NE",
        "供给型",
        "? help",
        "q quit",
        "corpus 0/",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    assert!(text.contains("1 [ ] "), "numbered suggestions:\n{text}");
}

#[test]
fn compact_layout_at_80x24_keeps_paragraph_suggestions_and_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut a, _s) = app(&tmp);
    to_suggested(&mut a);
    let buf = draw(&mut a, 80, 24);
    let text = rows(&buf).join("\n");
    for needle in ["suggestions", "codes", "1 [ ] ", "q quit"] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    // The current paragraph's first characters are on screen.
    let p = a.para().unwrap().text.chars().take(6).collect::<String>();
    assert!(text.contains(&p), "paragraph start {p:?} missing:\n{text}");
}

#[test]
fn too_small_terminal_says_so_instead_of_drawing_garbage() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut a, _s) = app(&tmp);
    let text = rows(&draw(&mut a, 50, 15)).join("\n");
    assert!(text.contains("terminal too small"), "{text}");
}

#[test]
fn chinese_paragraph_wraps_without_losing_or_splitting_characters() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut a, _s) = app(&tmp);
    to_suggested(&mut a);
    let para: String = a.para().unwrap().text.clone();
    for (w, h) in [(80u16, 24u16), (120, 40), (97, 30)] {
        let buf = draw(&mut a, w, h);
        // The paragraph panel is the left-most box: the text between the first two borders.
        let panel: String = rows(&buf)
            .iter()
            .filter(|r| r.starts_with('│'))
            .map(|r| r[3..].split('│').next().unwrap_or("").to_string())
            .collect::<Vec<_>>()
            .join("");
        let head: String = para.chars().take(40).collect();
        assert!(
            panel.replace(' ', "").contains(&head.replace(' ', "")),
            "{w}x{h}: the first 40 characters are not drawn contiguously:\n{panel}"
        );
        // No row starts with closing punctuation inside the paragraph panel.
        for r in rows(&buf) {
            let inner = r.trim_start_matches(['│', '╭', '╰']).trim_start();
            assert!(
                !inner.starts_with('，') && !inner.starts_with('。'),
                "{w}x{h}: row starts with punctuation: {r}"
            );
        }
    }
}

#[test]
fn keyword_hits_are_drawn_in_the_highlight_style() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut a, _s) = app(&tmp);
    to_suggested(&mut a);
    let (start, end) = a.highlights[0];
    let kw: String = a
        .para()
        .unwrap()
        .text
        .chars()
        .skip(start)
        .take(end - start)
        .collect();
    let buf = draw(&mut a, 120, 40);
    let first = kw.chars().next().unwrap().to_string();
    let hit = (0..40)
        .flat_map(|y| (0..70).map(move |x| (x, y)))
        .find(|&(x, y)| buf[(x, y)].symbol() == first && buf[(x, y)].bg == Color::Yellow);
    assert!(hit.is_some(), "keyword {kw:?} is not highlighted");
}

fn vec_terminal() -> Terminal<CjkBackend<FrameWriter<Vec<u8>>>> {
    Terminal::with_options(
        CjkBackend::new(FrameWriter::new(Vec::new())),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 120, 40)),
        },
    )
    .unwrap()
}

#[test]
fn byte_budgets_per_keystroke_at_120x40() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut a, mut s) = app(&tmp);
    let theme = Theme::bundled("dark");
    let mut t = vec_terminal();
    let first = render(&mut t, &mut a, &theme).unwrap();
    assert!(
        first > 2000,
        "the first frame paints the screen ({first} B)"
    );
    // An unchanged frame costs only the synchronized-update brackets.
    let idle = render(&mut t, &mut a, &theme).unwrap();
    assert!(idle <= 64, "idle frame {idle} B");

    press(&mut a, &mut s, "<space>");
    render(&mut t, &mut a, &theme).unwrap();
    press(&mut a, &mut s, "<down>");
    let sel = render(&mut t, &mut a, &theme).unwrap();
    assert!(
        sel <= 512,
        "moving the picker selection wrote {sel} B (budget 512)"
    );
    press(&mut a, &mut s, "t");
    let refilter = render(&mut t, &mut a, &theme).unwrap();
    assert!(
        refilter <= 2048,
        "re-filtering the picker wrote {refilter} B (budget 2 KB)"
    );
    press(&mut a, &mut s, "<esc> m");
    render(&mut t, &mut a, &theme).unwrap();
    press(&mut a, &mut s, "a");
    let typed = render(&mut t, &mut a, &theme).unwrap();
    assert!(
        typed <= 512,
        "typing a memo character wrote {typed} B (budget 512)"
    );
    press(&mut a, &mut s, "好");
    let typed_cjk = render(&mut t, &mut a, &theme).unwrap();
    assert!(
        typed_cjk <= 512,
        "typing a Chinese character wrote {typed_cjk} B (budget 512)"
    );
    eprintln!("bytes at 120x40: first frame {first}, idle {idle}, picker move {sel}, picker re-filter {refilter}, memo char {typed}, memo CJK char {typed_cjk}");
}
