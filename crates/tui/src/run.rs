//! The event loop of `polcode code`: opens the study and the coder's store on a worker thread
//! while the "opening" frame is up (and `q`, Esc or Ctrl-C end the program meanwhile), draws the
//! first frame before slow work (the segmenter) finishes, turns keys into actions, carries out
//! effects (each decision appended and fsynced before the next key is read), handles hangups,
//! and suspends on Ctrl-Z or SIGTSTP (terminal restored, process stopped, redrawn on SIGCONT).

use std::io;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread;

use super::backend::LeanBackend;
use anyhow::{Context, Result};
use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::Terminal;

use super::app::{App, Status, StatusKind};
use super::effects::Flow;
use super::keymap::Keymap;
use super::overlay::Overlay;
use super::reload::{self, DocsWatch};
use super::terminal::{self, FrameWriter, Guard};
use super::theme::Theme;
use super::view;
use polcode_core::store::{CoderStore, Codings, OpenMode};
use polcode_core::study::Study;
use polcode_core::suggest::{Engine, Examples, Learner, Segmenter};

/// How to start a coding session.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub study_dir: PathBuf,
    pub coder: String,
    pub read_only: bool,
    pub theme: String,
    pub ascii: bool,
    /// Start in review mode.
    pub review: bool,
    /// `<config dir>/polcode`, where keymap.yaml and themes/ live.
    pub config_dir: Option<PathBuf>,
    /// Reconcile these coders' disagreements; `coder` is then the consensus coder.
    pub reconcile: Vec<String>,
    /// Walk only the paragraphs of the coder's blind double-coding sample.
    pub sample: Option<polcode_core::sample::Sample>,
}

enum Msg {
    Input(Event),
    /// The terminal is gone (read error or EOF): treat as a hangup.
    Hangup,
    Learner(Box<Learner>),
    /// The study and store are open (or could not be): the end of the "opening" frame.
    Prepared(Box<Result<Prepared>>),
    /// SIGTSTP from outside (`kill -TSTP`): suspend as Ctrl-Z does.
    Suspend,
    /// SIGCONT: whoever stopped the process may have left the terminal in cooked mode under a
    /// stale screen; take it back and draw everything.
    Continued,
}

impl RunOptions {
    /// A plain coding session of `coder` on the study in `study_dir`: dark theme, no
    /// reconcile, no sample, default keys (no config directory).
    pub fn plain(study_dir: &std::path::Path, coder: &str, read_only: bool) -> RunOptions {
        RunOptions {
            study_dir: study_dir.to_path_buf(),
            coder: coder.to_string(),
            read_only,
            theme: "dark".into(),
            ascii: false,
            review: false,
            config_dir: None,
            reconcile: Vec::new(),
            sample: None,
        }
    }
}

/// Everything a session needs, loaded: the app (holding the coder's store) and the theme.
pub struct Prepared {
    pub app: App,
    pub theme: Theme,
}

/// Loads the study, opens the coder's store (taking the lock unless read-only), builds the
/// keyword engine, suggestions and tallies. Benchmarks call this to time start-up.
pub fn prepare(opts: &RunOptions) -> Result<Prepared> {
    let mode = if opts.read_only {
        OpenMode::ReadOnly
    } else {
        OpenMode::ReadWrite
    };
    // The study plus its keyword engine, and the coder's decisions, are independent: build
    // them on two cores. Only in a real study, so a wrong directory never gets a `codings/`
    // folder from the store.
    let open_study = || -> Result<(Study, Engine)> {
        let study = Study::open(&opts.study_dir)
            .with_context(|| format!("opening study {}", opts.study_dir.display()))?;
        let texts: Vec<&str> = polcode_core::corpus::paragraph_texts(&study.docs).collect();
        let engine = Engine::new(&study.codebook, &texts);
        Ok((study, engine))
    };
    let open_store =
        || CoderStore::open(&Study::codings_dir_of(&opts.study_dir), &opts.coder, mode);
    let (study, store) = if opts
        .study_dir
        .join(polcode_core::study::CONFIG_FILE)
        .is_file()
    {
        thread::scope(|s| {
            let store = s.spawn(open_store);
            let study = open_study();
            (study, store.join().expect("opening the store panicked"))
        })
    } else {
        (Ok(open_study()?), open_store())
    };
    let (mut study, engine) = study?;
    let mut store = store?;
    // Decisions made on text a re-import has changed since (an import interrupted before it
    // re-anchored, or one that ran while this coder's session was open) follow their text now.
    let moved = reload::reanchor(&mut store, &study.docs)?;
    if !opts.read_only {
        // Best effort: listing the coder in polcode.yaml is a convenience, not a decision.
        let _ = study.add_coder(&opts.coder);
    }
    // Reconciling: the coders' versions, and the paragraphs they all decided alike carried
    // into the consensus now (one journal append), so the screen walks only disagreements.
    let mut others = Vec::new();
    for c in &opts.reconcile {
        let (cd, _) = polcode_core::store::read_anchored(&study.codings_dir(), c, &study.docs)?;
        others.push(cd);
    }
    if !opts.reconcile.is_empty() && !opts.read_only {
        let refs: Vec<&Codings> = others.iter().collect();
        // The store stamps the carried decisions as it records them.
        let plan = polcode_core::stats::consensus::plan(&study.docs, &refs, store.codings(), "");
        // Marked derived before anything is written to it: a crash (or a read-only
        // polcode.yaml) between the two must never leave a consensus that pooling counts as a
        // third coder.
        study
            .mark_derived(&opts.coder, &opts.reconcile)
            .context("marking the consensus coder as derived in polcode.yaml")?;
        if !plan.carry.is_empty() {
            store
                .record_all(plan.carry)
                .context("carrying the agreed paragraphs into the consensus")?;
        }
    }
    let study = Arc::new(study);
    let engine = Arc::new(engine);
    let keymap_file = opts.config_dir.as_ref().map(|d| d.join("keymap.yaml"));
    let (keymap, key_err) = Keymap::load(keymap_file.as_deref());
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let (mut theme, theme_err) = Theme::load(&opts.theme, opts.config_dir.as_deref(), no_color);
    if opts.ascii {
        theme.border = super::theme::BorderKind::Ascii;
    }
    // Every start-up warning, the store's first: a keymap or theme problem must never hide a
    // repaired journal.
    let mut warnings = store.warnings().to_vec();
    warnings.extend(moved);
    warnings.extend(key_err);
    warnings.extend(theme_err);
    let mut app = App::new(study.clone(), store, engine, keymap);
    if !opts.reconcile.is_empty() {
        app.start_reconcile(others);
    }
    if let Some(sample) = &opts.sample {
        // The other coders, compared on the stats screen and never shown.
        let mut others = Vec::new();
        for c in study.primary_coders() {
            if c != opts.coder {
                let (cd, _) =
                    polcode_core::store::read_anchored(&study.codings_dir(), &c, &study.docs)?;
                others.push(cd);
            }
        }
        app.start_sample(sample.clone(), others);
    }
    // Reconcile and sample sessions open with a line of their own; the warnings go before it.
    app.status = startup_status(warnings, app.status.take());
    if opts.review {
        app.update(super::action::Action::Review);
    }
    Ok(Prepared { app, theme })
}

/// The status line a session opens with: every start-up warning in the order given (the
/// store's, the re-anchoring's, the keymap's, the theme's), then what the session's mode said
/// (reconcile, sample), joined by ` | `. A warning when there is any warning at all.
pub fn startup_status(warnings: Vec<String>, mode_line: Option<Status>) -> Option<Status> {
    if warnings.is_empty() {
        return mode_line;
    }
    let mut kind = StatusKind::Warn;
    let mut parts = warnings;
    if let Some(s) = mode_line {
        if s.kind == StatusKind::Error {
            kind = StatusKind::Error;
        }
        parts.push(s.text);
    }
    Some(Status {
        kind,
        text: parts.join(" | "),
    })
}

/// Draws one frame of `app` in one write (with synchronized-update codes); returns its bytes.
pub fn render<W: io::Write>(
    term: &mut Terminal<LeanBackend<FrameWriter<W>>>,
    app: &mut App,
    theme: &Theme,
) -> io::Result<usize> {
    app.tallies.prepare(&app.study, app.session.codings());
    term.backend_mut().writer_mut().begin_frame()?;
    term.draw(|f| view::draw(f, app, theme))?;
    term.backend_mut().writer_mut().end_frame()?;
    Ok(term.backend().writer().last_frame_bytes)
}

/// Runs the coding TUI until the user quits or the terminal goes away. The first frame (an
/// "opening" screen) is drawn before the study is read, so start-up never shows a blank
/// terminal. [`prepare`] runs on a worker thread while this one keeps reading keys: `q`, Esc
/// and Ctrl-C end the program there (a huge study or codebook must not hold the terminal and
/// the lock hostage); other keys are queued and handled once the study is open.
pub fn run(opts: RunOptions) -> Result<()> {
    // Fail fast, before touching the terminal, when this is not a study at all.
    polcode_core::study::read_config(&opts.study_dir)?;
    // Held while decisions are written and while the store closes; the signal thread takes it
    // before it ends the process.
    let write_gate = Arc::new(Mutex::new(()));
    let hung_up = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel();
    spawn_signal_thread(write_gate.clone(), hung_up.clone(), tx.clone())?;

    terminal::enter().context("setting up the terminal")?;
    let guard = Guard;
    let backend = LeanBackend::new(FrameWriter::new(io::stdout()));
    let mut term = Terminal::new(backend)?;
    draw_loading(&mut term, &opts)?;
    spawn_input_thread(tx.clone());
    spawn_hangup_watch(tx.clone());
    {
        let (opts, tx) = (opts.clone(), tx.clone());
        thread::spawn(move || {
            let _ = tx.send(Msg::Prepared(Box::new(prepare(&opts))));
        });
    }
    let (prepared, queued) = match wait_prepared(&mut term, &opts, &rx) {
        Ok(Some(p)) => p,
        // Quit or hangup while opening: the worker may hold the coder's lock; the OS releases
        // it when the process ends, which it does as soon as this returns.
        Ok(None) => {
            drop(guard);
            return Ok(());
        }
        Err(e) => {
            drop(guard);
            return Err(e);
        }
    };
    let Prepared { mut app, theme } = prepared;
    app.set_write_gate(write_gate);
    let mut watch = DocsWatch::new(&opts.study_dir);
    let result = event_loop(
        &mut term,
        &mut app,
        &theme,
        Channel { rx: &rx, tx: &tx },
        queued,
        &hung_up,
        &mut watch,
    );
    drop(guard);
    // Close (snapshot + journal truncation) under the write gate, so a signal cannot race it.
    app.close()?;
    result
}

/// The "opening" frame's loop: waits for [`prepare`] on the worker while handling keys.
/// Returns the prepared session and the keys typed meanwhile, or `None` when the user quit
/// (`q`, Esc, Ctrl-C) or the terminal went away.
fn wait_prepared(
    term: &mut Terminal<LeanBackend<FrameWriter<io::Stdout>>>,
    opts: &RunOptions,
    rx: &Receiver<Msg>,
) -> Result<Option<(Prepared, Vec<Msg>)>> {
    let mut queued = Vec::new();
    loop {
        let Ok(msg) = rx.recv() else { return Ok(None) };
        match msg {
            Msg::Prepared(p) => return Ok(Some(((*p)?, queued))),
            Msg::Hangup => return Ok(None),
            Msg::Input(Event::Key(k)) if k.kind == KeyEventKind::Press => {
                if is_suspend(&k) {
                    suspend(term)?;
                    draw_loading(term, opts)?;
                } else if is_quit_while_opening(&k) {
                    return Ok(None);
                } else {
                    queued.push(Msg::Input(Event::Key(k)));
                }
            }
            Msg::Input(Event::Resize(_, _)) => {
                term.autoresize()?;
                draw_loading(term, opts)?;
            }
            Msg::Suspend => {
                suspend(term)?;
                draw_loading(term, opts)?;
            }
            Msg::Continued => {
                resume(term)?;
                draw_loading(term, opts)?;
            }
            Msg::Input(_) | Msg::Learner(_) => {}
        }
    }
}

/// `q`, Esc or Ctrl-C (raw mode turns off ISIG, so Ctrl-C is a key, not SIGINT).
fn is_quit_while_opening(k: &KeyEvent) -> bool {
    match k.code {
        KeyCode::Char('q') | KeyCode::Esc => k.modifiers.is_empty(),
        KeyCode::Char('c') => k.modifiers == KeyModifiers::CONTROL,
        _ => false,
    }
}

/// Ctrl-Z: raw mode turns off ISIG, so the terminal sends it as a key instead of SIGTSTP. It
/// is never a command of the coding screen: a user who presses it expects the shell back, and
/// whatever they type next (`fg⏎`) must not reach the session as keys.
fn is_suspend(k: &KeyEvent) -> bool {
    k.code == KeyCode::Char('z') && k.modifiers == KeyModifiers::CONTROL
}

/// Whether a job-control shell can bring the process back after it stops: it runs in a process
/// group of its own, which is neither the session's (polcode `exec`ed in a tmux pane or as an
/// SSH command: nobody would be left to type `fg`) nor its parent's (a shell without job
/// control, `sh -c`). Stopping otherwise would leave a session that only `kill -CONT` revives.
fn can_suspend() -> bool {
    use rustix::process::{getpgid, getpgrp, getppid, getsid};
    let group = getpgrp();
    let session = getsid(None).ok();
    let parent_group = getppid().and_then(|p| getpgid(Some(p)).ok());
    session != Some(group) && parent_group != Some(group)
}

/// Hands the terminal back to the shell and stops the process as SIGTSTP's default action
/// would; returns once the process is continued (`fg`), with the terminal taken back and
/// cleared so the next frame is drawn whole. Runs on the thread that draws, so no frame can
/// be written in between; the coder's lock stays held while stopped.
fn suspend(term: &mut Terminal<LeanBackend<FrameWriter<io::Stdout>>>) -> Result<()> {
    if !can_suspend() {
        return Ok(());
    }
    terminal::restore();
    // SIGTSTP has a handler (the signal thread), so raising it would not stop; signal-hook's
    // emulation of its default action raises SIGSTOP, which the shell reports as a stopped job.
    signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGTSTP)?;
    resume(term)
}

/// Takes the terminal back after the process was stopped and continued, and forgets what is on
/// screen so the next frame is drawn in full.
fn resume(term: &mut Terminal<LeanBackend<FrameWriter<io::Stdout>>>) -> Result<()> {
    use ratatui::backend::{Backend, ClearType};
    terminal::reenter().context("taking the terminal back after a stop")?;
    // Not `Terminal::clear`: it asks the terminal for the cursor position, and the answer goes
    // to the input thread's reader instead. Erasing and forgetting both buffers redraws all.
    term.autoresize()?;
    term.backend_mut().clear_region(ClearType::All)?;
    term.swap_buffers();
    term.swap_buffers();
    Ok(())
}

fn draw_loading<W: io::Write>(
    term: &mut Terminal<LeanBackend<FrameWriter<W>>>,
    opts: &RunOptions,
) -> Result<()> {
    let text = format!(
        "polcode: opening {} for {} ...",
        super::text::sanitize(&opts.study_dir.display().to_string()),
        opts.coder
    );
    term.backend_mut().writer_mut().begin_frame()?;
    term.draw(|f| {
        f.render_widget(ratatui::widgets::Paragraph::new(text.as_str()), f.area());
    })?;
    term.backend_mut().writer_mut().end_frame()?;
    Ok(())
}

/// The learner starts from the codings as a frame shows them; gathering its examples waits
/// until that frame is on screen.
fn start_learner(app: &App, tx: &Sender<Msg>) {
    let examples = Examples::new(&app.study.codebook, &app.study.docs, app.session.codings());
    spawn_learner(app.study.clone(), examples, tx.clone());
}

/// The event channel, both ends (the learner thread is given a sender).
struct Channel<'a> {
    rx: &'a Receiver<Msg>,
    tx: &'a Sender<Msg>,
}

fn event_loop(
    term: &mut Terminal<LeanBackend<FrameWriter<io::Stdout>>>,
    app: &mut App,
    theme: &Theme,
    chan: Channel,
    mut queued: Vec<Msg>,
    hung_up: &AtomicBool,
    watch: &mut DocsWatch,
) -> Result<()> {
    let Channel { rx, tx } = chan;
    let mut dirty = true;
    let mut after_first_frame = Some(|app: &App| start_learner(app, tx));
    loop {
        if dirty {
            if hung_up.load(Ordering::SeqCst) {
                return Ok(());
            }
            if render(term, app, theme).is_err() {
                // Writing to the terminal failed: it is gone. Everything is already saved.
                return Ok(());
            }
            dirty = false;
            if let Some(f) = after_first_frame.take() {
                f(app);
            }
        }
        // Keys typed while the study was opening come first, then the channel.
        let mut msgs = std::mem::take(&mut queued);
        if msgs.is_empty() {
            let Ok(first) = rx.recv() else { return Ok(()) };
            msgs.push(first);
        }
        // Drain whatever else is queued before drawing again.
        msgs.extend(rx.try_iter());
        for msg in msgs {
            match msg {
                Msg::Hangup => return Ok(()),
                Msg::Suspend => {
                    suspend(term)?;
                    dirty = true;
                }
                Msg::Continued => {
                    resume(term)?;
                    dirty = true;
                }
                Msg::Input(Event::Key(k)) if k.kind == KeyEventKind::Press && is_suspend(&k) => {
                    if !can_suspend() {
                        // Ctrl-z itself is not a binding: it is caught before the keymap.
                        let quit = app
                            .session
                            .keymap
                            .key(super::keymap::KeyMode::Normal, super::action::Action::Quit);
                        app.info(
                            StatusKind::Info,
                            format!(
                                "Ctrl-z: polcode was not started from a shell with job control, \
                                 so there is nothing to suspend to ({quit} quits; everything is \
                                 saved)"
                            ),
                        );
                    }
                    suspend(term)?;
                    dirty = true;
                }
                Msg::Learner(l) => {
                    app.set_learner(*l);
                    dirty = true;
                }
                Msg::Input(Event::Resize(_, _)) => {
                    term.autoresize()?;
                    dirty = true;
                }
                Msg::Input(Event::Key(k)) if k.kind == KeyEventKind::Press => {
                    dirty = true;
                    // Another process replaced documents: reload and re-anchor before this
                    // key can record anything against text the coder did not read. Not while
                    // the coder types a memo, a query or a jump (the reload would drop what is
                    // typed): a decision made from there carries its text's hash, so it is
                    // re-anchored with the rest at the next key outside them.
                    let typing = matches!(
                        app.overlay,
                        Some(Overlay::Memo(_) | Overlay::Picker(_) | Overlay::Prompt(_))
                    );
                    if !typing && watch.changed() {
                        if follow_documents(app) {
                            watch.mark_seen();
                            start_learner(app, tx);
                        }
                        continue;
                    }
                    if app.press(k) == Flow::Quit {
                        return Ok(());
                    }
                }
                Msg::Input(_) | Msg::Prepared(_) => {}
            }
        }
    }
}

/// Reloads the study after documents changed on disk (see [`reload`]); the status line says
/// what happened. Returns whether the reload succeeded.
fn follow_documents(app: &mut App) -> bool {
    match reload::reload(app) {
        Ok(msg) => {
            app.info(StatusKind::Warn, msg);
            true
        }
        Err(e) => {
            app.info(
                StatusKind::Error,
                format!("documents changed on disk and could not be reloaded: {e}; no key is applied until they can be"),
            );
            false
        }
    }
}

/// Reads terminal events on their own thread; a read error (the tty is gone) ends it with a
/// hangup message instead of spinning.
fn spawn_input_thread(tx: Sender<Msg>) {
    thread::spawn(move || loop {
        match event::read() {
            Ok(ev) => {
                if tx.send(Msg::Input(ev)).is_err() {
                    return;
                }
            }
            Err(_) => {
                let _ = tx.send(Msg::Hangup);
                return;
            }
        }
    });
}

/// Waits, without waking, for the terminal to hang up: `poll(2)` on standard input asking for
/// no event returns only with POLLHUP/POLLERR/POLLNVAL. Needed because a process that is not
/// the terminal's session leader (`su -c`, `setsid`, a launcher ignoring HUP) gets no SIGHUP,
/// and crossterm then spins on `read() = 0` inside `event::read` instead of returning an error.
fn spawn_hangup_watch(tx: Sender<Msg>) {
    use rustix::event::{poll, PollFd, PollFlags};
    use std::io::IsTerminal;
    let stdin = io::stdin();
    if !stdin.is_terminal() {
        return;
    }
    thread::spawn(move || {
        let stdin = io::stdin();
        loop {
            let mut fds = [PollFd::new(&stdin, PollFlags::empty())];
            match poll(&mut fds, None) {
                Ok(_) => {
                    let gone = PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL;
                    if fds[0].revents().intersects(gone) {
                        let _ = tx.send(Msg::Hangup);
                        return;
                    }
                }
                Err(rustix::io::Errno::INTR) => {}
                Err(_) => return,
            }
        }
    });
}

/// Builds the segmenter (≈0.1 s) and the learned model off the UI thread.
fn spawn_learner(study: Arc<Study>, examples: Examples, tx: Sender<Msg>) {
    thread::spawn(move || {
        let seg = Arc::new(Segmenter::for_docs(&study.codebook, &study.docs));
        let learner = Learner::from_examples(seg, &study.docs, &examples);
        let _ = tx.send(Msg::Learner(Box::new(learner)));
    });
}

/// SIGHUP (SSH dropped), SIGTERM and SIGINT: wait for any decision being written, restore the
/// terminal if it is still there, and exit. Every acknowledged decision is already in the
/// journal, so nothing is lost; the OS releases the lock with the process. SIGTSTP and SIGCONT
/// are passed to the loop that draws ([`Msg::Suspend`], [`Msg::Continued`]): only it may touch
/// the terminal while a session runs.
fn spawn_signal_thread(
    write_gate: Arc<Mutex<()>>,
    hung_up: Arc<AtomicBool>,
    tx: Sender<Msg>,
) -> Result<()> {
    use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGTERM, SIGTSTP};
    let mut signals =
        signal_hook::iterator::Signals::new([SIGHUP, SIGTERM, SIGINT, SIGTSTP, SIGCONT])?;
    thread::spawn(move || {
        let mut fatal = signals.forever().filter(|&sig| match sig {
            SIGTSTP => {
                let _ = tx.send(Msg::Suspend);
                false
            }
            SIGCONT => {
                let _ = tx.send(Msg::Continued);
                false
            }
            _ => true,
        });
        if let Some(sig) = fatal.next() {
            hung_up.store(true, Ordering::SeqCst);
            let held = write_gate.lock().unwrap_or_else(|e| e.into_inner());
            if sig != SIGHUP {
                // The terminal is still there on SIGTERM/SIGINT; after a hangup writing to it
                // could fail or block, so leave it alone.
                terminal::restore();
            }
            let code = 128 + sig;
            drop(held);
            std::process::exit(code);
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_startup_warning_is_shown_the_stores_first() {
        let store = "codings/alice.journal:3: torn last journal record ignored".to_string();
        let keys = "keymap.yaml:2: unknown action \"fly\"; using default keys".to_string();
        let theme = "themes/mine.yaml:3:3: unknown style slot; using dark".to_string();
        let s = startup_status(vec![store.clone(), keys.clone(), theme.clone()], None).unwrap();
        assert_eq!(s.kind, StatusKind::Warn);
        assert_eq!(s.text, format!("{store} | {keys} | {theme}"));
    }

    #[test]
    fn the_modes_line_follows_the_warnings_and_stands_alone_without_them() {
        let sample = Status {
            kind: StatusKind::Info,
            text: "double-coding sample: 12 paragraphs".to_string(),
        };
        assert_eq!(
            startup_status(Vec::new(), Some(sample.clone())),
            Some(sample.clone())
        );
        assert_eq!(startup_status(Vec::new(), None), None);
        let s = startup_status(vec!["torn".to_string()], Some(sample)).unwrap();
        assert_eq!(s.kind, StatusKind::Warn);
        assert_eq!(s.text, "torn | double-coding sample: 12 paragraphs");
    }
}
