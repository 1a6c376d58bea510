//! Render tests of the coding screen with ratatui's `TestBackend` at 80x24 and 120x40 (layout,
//! Chinese wrapping, highlight styles, too-small message), byte budgets per keystroke with a
//! `Vec`-backed crossterm backend at 120x40, and the byte-saving backend checked against
//! ratatui's own crossterm backend through a terminal emulator (vt100).

use std::sync::Arc;

use polcode_core::study::Study;
use polcode_tui::app::App;
use polcode_tui::backend::LeanBackend;
use polcode_tui::run::render;
use polcode_tui::terminal::FrameWriter;
use polcode_tui::theme::Theme;
use polcode_tui::view;
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::{Terminal, TerminalOptions, Viewport};
use unicode_width::UnicodeWidthStr;

fn app(tmp: &tempfile::TempDir) -> App {
    let dir = polcode_core::demo::ensure(tmp.path()).unwrap();
    crate::support::session::open(&dir, "alice", false)
}

fn press(app: &mut App, keys: &str) {
    crate::support::session::press(app, keys);
}

fn draw(app: &mut App, w: u16, h: u16) -> Buffer {
    let theme = Theme::bundled("dark");
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    app.tallies.prepare(&app.study, app.session.codings());
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
    for i in 0..app.walk.units.len() {
        app.go(i);
        if !app.suggestions().is_empty() && !app.here.highlights.is_empty() {
            return;
        }
    }
    panic!("no suggested paragraph");
}

#[test]
fn standard_layout_at_120x40_has_every_panel() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = app(&tmp);
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
    let mut a = app(&tmp);
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
    let mut a = app(&tmp);
    let text = rows(&draw(&mut a, 50, 15)).join("\n");
    assert!(text.contains("terminal too small"), "{text}");
}

#[test]
fn chinese_paragraph_wraps_without_losing_or_splitting_characters() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = app(&tmp);
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
    let mut a = app(&tmp);
    to_suggested(&mut a);
    let (start, end) = a.here.highlights[0];
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

#[test]
fn search_hits_are_drawn_in_the_search_style_and_the_header_counts_them() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = app(&tmp);
    a.run_find("供应链金融");
    let (k, n) = a.hit_position().expect("on the first hit");
    assert_eq!(k, 1);
    for (w, h) in [(120, 40), (80, 24)] {
        let buf = draw(&mut a, w, h);
        // A row as text: the cell after a wide character is its second half, not a space.
        let line = |y: u16| -> String {
            let mut out = String::new();
            let mut skip = false;
            for x in 0..w {
                let sym = buf[(x, y)].symbol();
                if !std::mem::take(&mut skip) {
                    out.push_str(sym);
                    skip = sym.width() == 2;
                }
            }
            out
        };
        assert!(
            line(1).contains(&format!("SEARCH \"供应链金融\": hit 1 of {n}")),
            "{}",
            line(1)
        );
        // Every character of the hit on screen has the search style (dark: black on magenta).
        // Below the header (whose SEARCH label has that style too); a wide character's
        // second cell holds no symbol.
        let cells: Vec<(u16, u16)> = (2..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .filter(|&(x, y)| {
                buf[(x, y)].bg == Color::LightMagenta && !buf[(x, y)].symbol().trim().is_empty()
            })
            .collect();
        let marked: String = cells.iter().map(|&(x, y)| buf[(x, y)].symbol()).collect();
        assert!(marked.starts_with("供应链金融"), "{w}x{h}: {marked:?}");
    }
}

fn vec_terminal() -> Terminal<LeanBackend<FrameWriter<Vec<u8>>>> {
    Terminal::with_options(
        LeanBackend::new(FrameWriter::new(Vec::new())),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 120, 40)),
        },
    )
    .unwrap()
}

#[test]
fn byte_budgets_per_keystroke_at_120x40() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = app(&tmp);
    let theme = Theme::bundled("dark");
    let mut t = vec_terminal();
    let first = render(&mut t, &mut a, &theme).unwrap();
    assert!(
        first > 2000,
        "the first frame paints the screen ({first} B)"
    );
    // An unchanged frame costs only the synchronized-update brackets.
    let idle = render(&mut t, &mut a, &theme).unwrap();
    assert!(
        idle <= 16,
        "idle frame {idle} B: only the synchronized-update brackets"
    );

    press(&mut a, "<space>");
    render(&mut t, &mut a, &theme).unwrap();
    press(&mut a, "<down>");
    let sel = render(&mut t, &mut a, &theme).unwrap();
    assert!(
        sel <= 256,
        "moving the picker selection wrote {sel} B (budget 256)"
    );
    press(&mut a, "t");
    let refilter = render(&mut t, &mut a, &theme).unwrap();
    // All nine rows of long node names change here (the order is by score), and their text
    // alone is ~800 B; see BENCHMARKS.md for the 1,000-node picker.
    assert!(
        refilter <= 1024,
        "re-filtering the picker wrote {refilter} B (budget 1 KB)"
    );
    press(&mut a, "<esc> m");
    render(&mut t, &mut a, &theme).unwrap();
    press(&mut a, "a");
    let typed = render(&mut t, &mut a, &theme).unwrap();
    assert!(
        typed <= 64,
        "typing a memo character wrote {typed} B (budget 64)"
    );
    press(&mut a, "好");
    let typed_cjk = render(&mut t, &mut a, &theme).unwrap();
    assert!(
        typed_cjk <= 64,
        "typing a Chinese character wrote {typed_cjk} B (budget 64)"
    );
    eprintln!("bytes at 120x40: first frame {first}, idle {idle}, picker move {sel}, picker re-filter {refilter}, memo char {typed}, memo CJK char {typed_cjk}");
}

/// What the eye sees in one emulated cell: the text, its ink (none on a blank: a space shows
/// no colour or weight), and what shows on blanks too (background, underline, inverse).
type Seen = (
    String,
    Option<(vt100::Color, bool, bool, bool)>,
    vt100::Color,
    bool,
    bool,
);

fn seen(c: &vt100::Cell) -> Seen {
    // An erased cell and a printed space look the same.
    let text = match c.contents() {
        "" if !c.is_wide_continuation() => " ".to_string(),
        t => t.to_string(),
    };
    let ink = (text != " ").then(|| (c.fgcolor(), c.bold(), c.dim(), c.italic()));
    (text, ink, c.bgcolor(), c.underline(), c.inverse())
}

/// The emulator's colour for a ratatui colour (crossterm's 256-colour numbering).
fn emulated(c: Color) -> vt100::Color {
    let named = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    match c {
        Color::Reset => vt100::Color::Default,
        Color::Indexed(i) => vt100::Color::Idx(i),
        Color::Rgb(r, g, b) => vt100::Color::Rgb(r, g, b),
        _ => vt100::Color::Idx(named.iter().position(|n| *n == c).unwrap() as u8),
    }
}

/// Every cell of `ours` looks like the same cell of `reference`, except where the reference left
/// a stale background on the orphaned half of an overwritten wide glyph (ratatui's diff does not
/// repaint it) and ours shows the background the buffer asks for.
fn assert_same_screen(reference: &vt100::Screen, ours: &vt100::Screen, want: &Buffer, what: &str) {
    let (rows, cols) = ours.size();
    for y in 0..rows.get() {
        for x in 0..cols.get() {
            let (r, o) = (
                seen(reference.cell(y, x).unwrap()),
                seen(ours.cell(y, x).unwrap()),
            );
            if r == o {
                continue;
            }
            let want_bg = emulated(want[(x, y)].bg);
            assert!(
                r.0 == o.0 && r.1 == o.1 && o.2 == want_bg && r.2 != want_bg,
                "{what}: cell ({x}, {y}) is {o:?}, ratatui's backend shows {r:?}"
            );
        }
    }
}

#[test]
fn byte_saving_backend_shows_what_ratatuis_backend_shows() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = app(&tmp);
    let theme = Theme::bundled("dark");
    let opts = || TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, 120, 40)),
    };
    let mut reference = Terminal::with_options(CrosstermBackend::new(Vec::new()), opts()).unwrap();
    let mut ours = vec_terminal();
    let new_emulator = || vt100::Parser::new(40.try_into().unwrap(), 120.try_into().unwrap(), 0);
    let (mut seen_ref, mut seen_ours) = (new_emulator(), new_emulator());
    let (mut bytes_ref, mut bytes_ours) = (0, 0);
    let steps = [
        "",
        "j",
        "j",
        "1",
        "j",
        "2 <enter>",
        "<space>",
        "<down>",
        "t",
        "a",
        "<backspace>",
        "<backspace> 政",
        "<esc>",
        "m",
        "a",
        "好",
        "<esc>",
        "J",
        "k",
        "u",
        "?",
        "<esc>",
        "v",
        "<esc>",
        "S",
        "<esc>",
        "G",
        "g",
    ];
    for keys in steps {
        press(&mut a, keys);
        app_frame(&mut reference, &mut a, &theme);
        let want = render_frame(&mut ours, &mut a, &theme);
        let r = std::mem::take(reference.backend_mut().writer_mut());
        let o = ours.backend().writer().inner()[bytes_ours..].to_vec();
        bytes_ref += r.len();
        bytes_ours += o.len();
        seen_ref.process(&r);
        seen_ours.process(&o);
        assert_same_screen(seen_ref.screen(), seen_ours.screen(), &want, keys);
    }
    eprintln!(
        "{} frames: ratatui's backend {bytes_ref} B, ours {bytes_ours} B",
        steps.len()
    );
    assert!(
        bytes_ours * 10 < bytes_ref * 6,
        "ours {bytes_ours} B is not under 60% of {bytes_ref} B"
    );
}

/// Draws `app` into ratatui's plain crossterm backend.
fn app_frame(t: &mut Terminal<CrosstermBackend<Vec<u8>>>, app: &mut App, theme: &Theme) {
    app.tallies.prepare(&app.study, app.session.codings());
    t.draw(|f| view::draw(f, app, theme)).unwrap();
}

/// Draws `app` as the TUI does and returns the buffer drawn.
fn render_frame(
    t: &mut Terminal<LeanBackend<FrameWriter<Vec<u8>>>>,
    app: &mut App,
    theme: &Theme,
) -> Buffer {
    app.tallies.prepare(&app.study, app.session.codings());
    let w = t.backend_mut().writer_mut();
    w.begin_frame().unwrap();
    let buf = t
        .draw(|f| view::draw(f, app, theme))
        .unwrap()
        .buffer
        .clone();
    t.backend_mut().writer_mut().end_frame().unwrap();
    buf
}

/// A session with the learned model in place, as after the first frame of a real session.
fn with_learner(a: &mut App) {
    use polcode_core::suggest::{Learner, Segmenter};
    let study = a.study.clone();
    let seg = Arc::new(Segmenter::for_docs(&study.codebook, &study.docs));
    a.set_learner(Learner::from_codings(
        seg,
        &study.codebook,
        &study.docs,
        a.session.codings(),
    ));
}

/// Moves to the first paragraph with at least `n` suggestion rows.
fn to_rows(a: &mut App, n: usize) {
    for i in 0..a.walk.units.len() {
        a.go(i);
        if a.suggestions().len() >= n {
            return;
        }
    }
    panic!("no paragraph with {n} suggestions");
}

#[test]
fn toggling_a_suggestion_stays_within_512_bytes_at_120x40() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = app(&tmp);
    with_learner(&mut a);
    to_rows(&mut a, 4);
    let theme = Theme::bundled("dark");
    let mut t = vec_terminal();
    render(&mut t, &mut a, &theme).unwrap();
    let mut worst = 0;
    // Choose, choose another, un-choose: each redraws the mark in place, the codes panel,
    // the tallies, the header count and the status line, and nothing moves.
    for keys in ["3", "1", "3", "1"] {
        press(&mut a, keys);
        let bytes = render(&mut t, &mut a, &theme).unwrap();
        eprintln!("toggle {keys}: {bytes} B");
        assert!(bytes <= 512, "toggle {keys} wrote {bytes} B (budget 512)");
        worst = worst.max(bytes);
    }
    eprintln!("toggle keystroke at 120x40: at most {worst} B");
}

/// Records `d` through the session's effect interpreter, as a key's decision is.
fn record(a: &mut App, d: polcode_core::store::Decision) {
    let effects = a.propose_decision(d);
    a.carry_out(effects);
}

/// A decision on the paragraph under the cursor with `nodes`, a score on the second and a memo.
fn rich_decision(a: &App, nodes: &[&str], memo: &str) -> polcode_core::store::Decision {
    use polcode_core::store::{Decision, Via};
    let u = a.unit().unwrap();
    let doc = &a.study.docs[u.doc];
    let p = &doc.paragraphs[u.para];
    Decision {
        para: doc.para_id(p.n),
        hash: p.hash.clone(),
        nodes: nodes.iter().map(|s| s.to_string()).collect(),
        no_code: false,
        scores: [(nodes[1].to_string(), 3)].into_iter().collect(),
        memo: Some(memo.to_string()),
        coder: a.session.coder().to_string(),
        at: "2026-01-01T00:00:00Z".into(),
        via: nodes.iter().map(|n| (n.to_string(), Via::Search)).collect(),
        derived: None,
        found: None,
    }
}

const THREE: [&str; 3] = [
    "supply.human-resources",
    "environment.tax-incentives",
    "demand.application-scenarios",
];

#[test]
fn every_chosen_node_score_and_memo_are_on_screen_at_both_sizes() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = app(&tmp);
    to_rows(&mut a, 1);
    let d = rich_decision(&a, &THREE, "人才与税收并举 check");
    record(&mut a, d);
    let cb = a.study.codebook.clone();
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let text = rows(&draw(&mut a, w, h)).join("\n");
        for id in THREE {
            let name = cb.get(id).unwrap().name_zh.split('/').next().unwrap();
            assert!(text.contains(name), "{w}x{h}: {name} missing:\n{text}");
        }
        assert!(text.contains("score 3"), "{w}x{h}: score missing:\n{text}");
        assert!(
            text.contains("memo: 人才与税收并举 check"),
            "{w}x{h}: memo missing:\n{text}"
        );
        assert!(
            text.contains("q quit"),
            "{w}x{h}: footer pushed off:\n{text}"
        );
    }
}

#[test]
fn reconcile_shows_each_coders_whole_version_at_both_sizes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = polcode_core::demo::ensure(tmp.path()).unwrap();
    let study = Study::open(&dir).unwrap();
    let versions: [(&str, [&str; 3], &str); 2] = [
        ("ann", THREE, "ann 的备注"),
        (
            "ben",
            [
                "supply.human-resources",
                "supply.capital-investment",
                "environment.regulation",
            ],
            "ben 的备注",
        ),
    ];
    for (coder, nodes, memo) in &versions {
        let mut a = crate::support::session::open(&dir, coder, false);
        a.go(0);
        for n in nodes {
            assert!(
                study.codebook.get(n).is_some(),
                "{n} is not in the codebook"
            );
        }
        let d = rich_decision(&a, nodes, memo);
        record(&mut a, d);
        a.close().unwrap();
    }
    // The reconcile session as `polcode reconcile` opens it.
    let mut opts = crate::support::session::options(&dir, "consensus", false);
    opts.reconcile = vec!["ann".into(), "ben".into()];
    let mut a = polcode_tui::run::prepare(&opts).unwrap().app;
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let text = rows(&draw(&mut a, w, h)).join("\n");
        for (coder, nodes, memo) in &versions {
            assert!(text.contains(coder), "{w}x{h}: {coder} missing:\n{text}");
            for n in nodes {
                let name = study
                    .codebook
                    .get(n)
                    .unwrap()
                    .name_zh
                    .split('/')
                    .next()
                    .unwrap();
                assert!(
                    text.contains(name),
                    "{w}x{h}: {coder}'s {name} missing:\n{text}"
                );
            }
            assert!(text.contains(memo), "{w}x{h}: {memo} missing:\n{text}");
        }
        assert!(text.contains("score 3"), "{w}x{h}:\n{text}");
    }
}

#[test]
fn definition_overlay_and_picker_details_show_the_codebook_notes() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = app(&tmp);
    to_rows(&mut a, 2);
    let cb = a.study.codebook.clone();
    let first = a.suggestions()[0].node;
    let second = a.suggestions()[1].node;
    // A fragment of each note, from its start (wrapping may split the rest).
    let head = |t: &str| t.chars().take(8).collect::<String>();
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        press(&mut a, "i");
        let text = rows(&draw(&mut a, w, h)).join("\n");
        let n = &cb.nodes[first];
        for needle in [
            "definition",
            "include",
            "exclude",
            "example",
            n.name_zh.as_str(),
            &head(&n.definition),
            &head(&n.include),
        ] {
            assert!(
                text.contains(needle),
                "{w}x{h}: {needle:?} missing:\n{text}"
            );
        }
        // The digit of a row shows that row.
        press(&mut a, "2");
        let text = rows(&draw(&mut a, w, h)).join("\n");
        let n = &cb.nodes[second];
        assert!(text.contains("row 2 of"), "{w}x{h}:\n{text}");
        assert!(text.contains(&head(&n.definition)), "{w}x{h}:\n{text}");
        press(&mut a, "<esc>");

        // The picker's details pane follows the highlighted row.
        press(&mut a, "<space> t a x <f1>");
        let text = rows(&draw(&mut a, w, h)).join("\n");
        let n = cb.get("environment.tax-incentives").unwrap();
        assert!(text.contains("details"), "{w}x{h}:\n{text}");
        assert!(text.contains(&head(&n.definition)), "{w}x{h}:\n{text}");
        assert!(text.contains(&head(&n.exclude)), "{w}x{h}:\n{text}");
        press(&mut a, "<f1>");
        let text = rows(&draw(&mut a, w, h)).join("\n");
        assert!(
            !text.contains(&head(&n.exclude)),
            "{w}x{h}: F1 hides it:\n{text}"
        );
        press(&mut a, "<esc>");
    }
}

#[test]
fn suggestion_rows_that_do_not_fit_at_80x24_are_announced_not_hidden() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = app(&tmp);
    to_rows(&mut a, 1);
    // Nine rows and a no-code line: more than the compact layout gives the panel.
    let proto = a.here.offer.suggestions[0].clone();
    a.here.offer.suggestions = (0..9)
        .map(|i| polcode_core::suggest::Suggestion {
            node: i + 1,
            ..proto.clone()
        })
        .collect();
    a.here.offer.no_code = true;
    a.here.offer.no_code_why = "test".into();
    let text = rows(&draw(&mut a, 80, 24)).join("\n");
    assert!(text.contains("more rows (i shows every row)"), "{text}");
    let text = rows(&draw(&mut a, 120, 40)).join("\n");
    assert!(
        !text.contains("more rows"),
        "all nine fit at 120x40:\n{text}"
    );
    assert!(text.contains("9 [ ] "), "{text}");
}

#[test]
fn the_no_code_reason_is_wrapped_not_cut() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = app(&tmp);
    to_rows(&mut a, 1);
    a.here.offer.predicted.clear();
    a.here.offer.no_code = true;
    a.here.offer.no_code_why = "91% likely: boilerplate opening, addressed to agencies, END".into();
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let text = rows(&draw(&mut a, w, h)).join("\n");
        assert!(text.contains("* no code predicted: 91% likely"), "{text}");
        assert!(text.contains("END"), "{w}x{h}: the reason is cut:\n{text}");
        assert!(text.contains("Enter take no code"), "{w}x{h}:\n{text}");
    }
}

/// The stats screen (`S`) gives each of the fifteen sub-tools its own one-character key under
/// its bar and in the legend (nodes 10–15 were all drawn as `1`).
#[test]
fn stats_screen_labels_every_bar_distinctly() {
    let tmp = tempfile::tempdir().unwrap();
    let mut app = app(&tmp);
    press(&mut app, "S");
    for (w, h) in [(120, 40), (80, 24)] {
        let screen = rows(&draw(&mut app, w, h));
        let all = screen.join("\n");
        assert!(
            screen.iter().any(|r| r.contains("123456789abcdef")),
            "{w}x{h}: bar keys\n{all}"
        );
        for (k, name) in [
            ("[1]", "公共基础设施"),
            ("[a]", "税收优惠"),
            ("[f]", "产业链"),
        ] {
            assert!(all.contains(k), "{w}x{h}: {k}\n{all}");
            if w == 120 {
                assert!(
                    all.contains(&format!("{k} {name}")),
                    "{w}x{h}: {name}\n{all}"
                );
            }
        }
    }
}

#[test]
fn key_hints_on_screen_follow_the_users_keymap() {
    let tmp = tempfile::tempdir().unwrap();
    let mut a = app(&tmp);
    let mut user = String::from("normal:\n  undo: [z]\n");
    for (k, c) in "asdfghjkl".chars().enumerate() {
        user.push_str(&format!("  toggle-{}: [{c}]\n", k + 1));
    }
    user.push_str("help:\n  cancel: [<f10>]\nstats:\n  cancel: [<esc>]\n");
    a.session.keymap.merge_str(&user, "keymap.yaml").unwrap();
    to_suggested(&mut a);
    let screen = rows(&draw(&mut a, 120, 40));
    let text = screen.join("\n");
    let keys = screen.iter().find(|r| r.contains(" toggle ")).expect(&text);
    assert!(keys.starts_with("asdfghjkl toggle "), "{keys}");
    assert!(keys.contains(" z undo "), "{keys}");
    a.update(polcode_tui::action::Action::Help);
    let text = rows(&draw(&mut a, 120, 40)).join("\n");
    assert!(text.contains("help (F10 closes, j/k scroll)"), "{text}");
    assert!(text.contains("asdfghjkl"), "{text}");
    a.update(polcode_tui::action::Action::Cancel);
    a.update(polcode_tui::action::Action::Stats);
    let text = rows(&draw(&mut a, 120, 40)).join("\n");
    assert!(text.contains("(t metric, T children, Esc back)"), "{text}");
}
