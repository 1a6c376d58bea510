//! Benchmarks of the coding screen on a generated study of 600 documents and 20,000 decisions
//! (`benches/common`): start-up (loading frame, `prepare`, first full frame, learner), the next
//! paragraph (`j` + render), the fuzzy picker per keystroke over a 1,000-node codebook, and the
//! bytes each keystroke sends at 120x40. Percentiles of single calls first, then criterion.
//!
//! `tui --startup-once DIR` opens DIR once the way `polcode code` does and exits: run under
//! `/usr/bin/time -v` it gives the peak memory of a real session start. `tui --next-loop DIR N`
//! presses `j` N times after start-up, for a profiler.

mod common;

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use criterion::Criterion;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use polcode_benchdata::word_codebook;
use polcode_core::store::{CoderStore, OpenMode};
use polcode_core::study::{read_config, Study};
use polcode_core::suggest::{Engine, Examples, Learner, Segmenter};
use polcode_tui::app::App;
use polcode_tui::backend::LeanBackend;
use polcode_tui::keymap::Keymap;
use polcode_tui::run::{prepare, render, Prepared, RunOptions};
use polcode_tui::terminal::FrameWriter;
use polcode_tui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

type Term = Terminal<LeanBackend<FrameWriter<Vec<u8>>>>;

fn new_term() -> Term {
    Terminal::with_options(
        LeanBackend::new(FrameWriter::new(Vec::new())),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 120, 40)),
        },
    )
    .expect("a Vec-backed terminal")
}

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

fn opts(dir: &Path) -> RunOptions {
    RunOptions::plain(dir, "c1", false)
}

fn startup(dir: &Path) -> (f64, f64, f64, Prepared, Term) {
    let t = Instant::now();
    let o = opts(dir);
    read_config(dir).expect("a study");
    let mut term = new_term();
    let w = term.backend_mut().writer_mut();
    w.begin_frame().unwrap();
    let text = format!("polcode: opening {} for c1 ...", dir.display());
    term.draw(|f| f.render_widget(ratatui::widgets::Paragraph::new(text.as_str()), f.area()))
        .unwrap();
    term.backend_mut().writer_mut().end_frame().unwrap();
    let loading = t.elapsed().as_secs_f64() * 1e3;
    let mut p = prepare(&o).expect("prepare");
    let prepared = t.elapsed().as_secs_f64() * 1e3;
    render(&mut term, &mut p.app, &p.theme).unwrap();
    let full = t.elapsed().as_secs_f64() * 1e3;
    (loading, prepared, full, p, term)
}

/// Times the parts of `prepare()` one by one (5 runs each, p50 reported).
fn prepare_breakdown(dir: &Path) {
    let study = Study::open(dir).unwrap();
    let runs = common::time_n(5, |_| {
        std::hint::black_box(Study::open(dir).unwrap());
    });
    common::report(
        "prepare.study",
        "  prepare: Study::open (600 documents)",
        &common::spread(runs),
    );
    let cd = study.codings_dir();
    let runs = common::time_n(5, |_| {
        std::hint::black_box(CoderStore::open(&cd, "c1", OpenMode::ReadOnly).unwrap());
    });
    common::report(
        "prepare.store",
        "  prepare: CoderStore::open (20k decisions)",
        &common::spread(runs),
    );
    let texts: Vec<&str> = study
        .docs
        .iter()
        .flat_map(|d| d.paragraphs.iter().map(|p| p.text.as_str()))
        .collect();
    let runs = common::time_n(5, |_| {
        std::hint::black_box(Engine::new(&study.codebook, &texts));
    });
    common::report(
        "prepare.engine",
        "  prepare: Engine::new (IDF over all paragraphs)",
        &common::spread(runs),
    );
    let engine = Arc::new(Engine::new(&study.codebook, &texts));
    let study = Arc::new(study);
    // App::new alone: the store (timed above) is opened outside the timed part.
    let runs: Vec<f64> = (0..5)
        .map(|_| {
            let store = CoderStore::open(&cd, "c1", OpenMode::ReadOnly).unwrap();
            let (keymap, _) = Keymap::load(None);
            let t = Instant::now();
            std::hint::black_box(App::new(study.clone(), store, engine.clone(), keymap));
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    common::report(
        "prepare.app",
        "  prepare: App::new (units, tallies, resume position, suggestions)",
        &common::spread(runs),
    );
}

fn learner_for(app: &App) -> Learner {
    // As tui::run does: compact examples on the UI thread, segmenter + model on the other.
    let examples = Examples::new(&app.study.codebook, &app.study.docs, app.session.codings());
    let seg = Arc::new(Segmenter::for_docs(&app.study.codebook, &app.study.docs));
    Learner::from_examples(seg, &app.study.docs, &examples)
}

/// The process's peak resident set so far (VmHWM), in kB; 0 where /proc is missing.
fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// One start of a session, learner included, for `/usr/bin/time -v`.
fn startup_once(dir: &Path) {
    let t = Instant::now();
    let (loading, prepared, full, mut p, mut term) = startup(dir);
    let hwm_first = peak_kb();
    // The real TUI builds the segmenter and learner on a thread after the first frame.
    let l = learner_for(&p.app);
    p.app.set_learner(l);
    render(&mut term, &mut p.app, &p.theme).unwrap();
    println!(
        "loading frame {loading:.1} ms, prepared {prepared:.1} ms, first full frame {full:.1} ms, \
         learner ready and redrawn {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    println!(
        "peak RSS at the first full frame {} kB, after the learner {} kB",
        hwm_first,
        peak_kb()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--startup-once") {
        let dir = args.get(i + 1).expect("--startup-once DIR");
        startup_once(Path::new(dir));
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--next-loop") {
        // For profilers: a session start, then N × (j + render) with the learner in place.
        let dir = args.get(i + 1).expect("--next-loop DIR N");
        let n: usize = args.get(i + 2).and_then(|s| s.parse().ok()).unwrap_or(5000);
        let (_, _, _, mut p, mut term) = startup(Path::new(dir));
        let l = learner_for(&p.app);
        p.app.set_learner(l);
        let t = Instant::now();
        for _ in 0..n {
            p.app.handle_key(key(KeyCode::Char('j')));
            render(&mut term, &mut p.app, &p.theme).unwrap();
        }
        println!(
            "{n} x (j + render): {:.3} ms each",
            t.elapsed().as_secs_f64() * 1e3 / n as f64
        );
        return;
    }
    let Some(dir) = common::study("s600") else {
        println!("skipped: ../shared/corpus not found");
        return;
    };

    // Start-up, repeated in this process (page cache warm, as on a second start).
    let mut loading = Vec::new();
    let mut prep = Vec::new();
    let mut full = Vec::new();
    let mut first_bytes = 0;
    for _ in 0..15 {
        let (l, p, f, _, term) = startup(&dir);
        first_bytes = term.backend().writer().last_frame_bytes;
        loading.push(l);
        prep.push(p);
        full.push(f);
    }
    common::report(
        "startup.loading",
        "start to loading frame (600 docs, 20k decisions)",
        &common::spread(loading),
    );
    common::report(
        "startup.prepare",
        "start to prepare() done",
        &common::spread(prep),
    );
    common::report(
        "startup.full",
        "start to first full frame: suggestions + tallies drawn",
        &common::spread(full),
    );
    common::value(
        "bytes.first",
        "bytes of the first full frame at 120x40",
        first_bytes as f64,
        "B",
    );
    prepare_breakdown(&dir);
    let (_, _, _, mut p, mut term) = startup(&dir);
    // The first seconds of a session: keyword suggestions only, the learner not built yet.
    let units = p.app.walk.units.len();
    let early = common::time_n(1000, |_| {
        p.app.handle_key(key(KeyCode::Char('j')));
        render(&mut term, &mut p.app, &p.theme).unwrap();
    });
    common::report(
        "next.nolearner",
        "next paragraph before the learner arrives (keyword suggestions only)",
        &common::spread(early),
    );
    let t = Instant::now();
    let t0 = t.elapsed();
    let l = learner_for(&p.app);
    p.app.set_learner(l);
    common::value(
        "startup.learner",
        "learner (jieba + 20k decisions) built after the first frame",
        (t.elapsed() - t0).as_secs_f64() * 1e3,
        "ms",
    );
    render(&mut term, &mut p.app, &p.theme).unwrap();

    // Next paragraph with the learner in place (steady state), wrapping to the start at the end.
    let mut bytes_j = Vec::new();
    let (mut key_ms, mut render_ms) = (Vec::new(), Vec::new());
    let next = common::time_n(3000, |_| {
        let k = if p.app.cursor.pos + 1 >= units {
            KeyCode::Char('g')
        } else {
            KeyCode::Char('j')
        };
        let t = Instant::now();
        p.app.press(key(k));
        let t1 = Instant::now();
        bytes_j.push(render(&mut term, &mut p.app, &p.theme).unwrap() as f64);
        key_ms.push((t1 - t).as_secs_f64() * 1e3);
        render_ms.push(t1.elapsed().as_secs_f64() * 1e3);
    });
    common::report(
        "next.key",
        "  of which handle_key (move, suggestions with learner, tallies)",
        &common::spread(key_ms),
    );
    common::report(
        "next.render",
        "  of which render (layout, wrap, diff, escape codes)",
        &common::spread(render_ms),
    );
    common::report(
        "next",
        "next paragraph: j + suggestions + tallies + render",
        &common::spread(next),
    );
    common::report(
        "bytes.next",
        "bytes per j at 120x40",
        &common::spread(bytes_j),
    );

    // Fuzzy picker over a 1,000-node codebook (names: real corpus words).
    let study: &Study = &p.app.study;
    let texts: Vec<&str> = study
        .docs
        .iter()
        .flat_map(|d| d.paragraphs.iter().map(|p| p.text.as_str()))
        .collect();
    let words = common::corpus_words(&texts[..texts.len().min(4000)]);
    let cb = word_codebook(&words, 40, 24, 1);
    assert_eq!(cb.nodes.len(), 1000);
    let mut big = study.clone();
    big.codebook = cb;
    let engine = Arc::new(Engine::new(&big.codebook, &texts));
    let big = Arc::new(big);
    let (keymap, _) = Keymap::load(None);
    let (theme, _) = Theme::load("dark", None, false);
    // A coder with no codings yet, read-only: the picker records nothing here.
    let store = CoderStore::open(&study.codings_dir(), "picker-bench", OpenMode::ReadOnly).unwrap();
    let mut app = App::new(big.clone(), store, engine, keymap);
    let mut pt = new_term();
    render(&mut pt, &mut app, &theme).unwrap();
    let queries: Vec<String> = big
        .codebook
        .nodes
        .iter()
        .step_by(7)
        .map(|n| n.name_zh.clone())
        .collect();
    let (mut typed, mut moved, mut typed_b, mut moved_b) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut type_key = Vec::new();
    for q in &queries {
        app.handle_key(key(KeyCode::Char(' ')));
        render(&mut pt, &mut app, &theme).unwrap();
        for c in q.chars() {
            let t = Instant::now();
            app.handle_key(key(KeyCode::Char(c)));
            type_key.push(t.elapsed().as_secs_f64() * 1e3);
            let b = render(&mut pt, &mut app, &theme).unwrap();
            typed.push(t.elapsed().as_secs_f64() * 1e3);
            typed_b.push(b as f64);
        }
        app.handle_key(key(KeyCode::Backspace));
        app.handle_key(key(KeyCode::Backspace));
        render(&mut pt, &mut app, &theme).unwrap();
        for _ in 0..3 {
            let t = Instant::now();
            app.handle_key(key(KeyCode::Down));
            let b = render(&mut pt, &mut app, &theme).unwrap();
            moved.push(t.elapsed().as_secs_f64() * 1e3);
            moved_b.push(b as f64);
        }
        app.handle_key(key(KeyCode::Esc));
        render(&mut pt, &mut app, &theme).unwrap();
    }
    common::report(
        "picker.type",
        "picker, 1,000 nodes: type a character + render",
        &common::spread(typed),
    );
    common::report(
        "picker.type.key",
        "  of which handle_key (nucleo refilter of 1,000 haystacks)",
        &common::spread(type_key),
    );
    common::report(
        "picker.down",
        "picker, 1,000 nodes: selection down + render (full list)",
        &common::spread(moved),
    );
    common::report(
        "bytes.type",
        "bytes per typed character in the picker",
        &common::spread(typed_b),
    );
    common::report(
        "bytes.down",
        "bytes per selection move in the picker",
        &common::spread(moved_b),
    );

    let mut c = Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3))
        .configure_from_args();
    c.bench_function("tui/next-paragraph", |b| {
        b.iter(|| {
            let k = if p.app.cursor.pos + 1 >= units {
                KeyCode::Char('g')
            } else {
                KeyCode::Char('j')
            };
            p.app.press(key(k));
            black_box(render(&mut term, &mut p.app, &p.theme).unwrap())
        })
    });
    app.handle_key(key(KeyCode::Char(' ')));
    let mut flip = false;
    c.bench_function("tui/picker-type-char", |b| {
        b.iter(|| {
            flip = !flip;
            let k = if flip {
                KeyCode::Char('发')
            } else {
                KeyCode::Backspace
            };
            app.handle_key(key(k));
            black_box(render(&mut pt, &mut app, &theme).unwrap())
        })
    });
    // The session above holds c1's lock; start-ups below take it again.
    drop(p);
    let mut g = c.benchmark_group("startup");
    g.sample_size(10);
    g.bench_function("prepare+first-frame", |b| {
        b.iter(|| black_box(startup(&dir).2))
    });
    g.finish();
    c.final_summary();
}
