//! Header (study, document, place, progress) and footer (keys of the mode, status line).

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::action::Action;
use crate::app::{App, StatusKind};
use crate::keymap::KeyMode;
use crate::overlay::{Overlay, Prompt, PromptKind};
use crate::text::{pad, sanitize, truncate, width};
use crate::theme::{Slot, Theme};

/// Two header lines.
pub fn header(f: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let w = area.width as usize;
    let study = &app.study.config.name;
    let (Some(doc), Some(p)) = (app.doc(), app.para()) else {
        f.render_widget(
            Paragraph::new(Line::styled(study.clone(), theme.style(Slot::Title))),
            area,
        );
        return;
    };
    let title = sanitize(&doc.meta.title).into_owned();
    let ro = if app.session.read_only() {
        " [read-only]"
    } else {
        ""
    };
    // Who the decisions are signed as comes before the title, which is cut first.
    let who = format!("{study} | coder {}{ro} | ", app.session.coder());
    let line1 = Line::from(vec![
        Span::styled(who.clone(), theme.style(Slot::Label)),
        Span::styled(
            truncate(&title, w.saturating_sub(width(&who))),
            theme.style(Slot::Title),
        ),
    ]);
    let m = &doc.meta;
    let region = app
        .study
        .scheme
        .regions
        .iter()
        .find(|r| r.id == m.region)
        .map(|r| r.name_en.clone())
        .unwrap_or_else(|| match m.region.as_str() {
            "" => "no region".to_string(),
            r => r.to_string(),
        });
    let total = doc.paragraphs.len();
    let coded = app.coded_count();
    let units = app.walk.units.len().max(1);
    let section = if p.section.is_empty() {
        String::new()
    } else {
        format!(" | {}", sanitize(&p.section))
    };
    // In a blind double-coding sample the progress is the sample's, and says so (the mode
    // itself leads the line, below, so it is never cut off at 80 columns).
    let scope = if app.walk.sample().is_some() {
        "sample"
    } else {
        "corpus"
    };
    let place = format!(
        "{}{} {} | para {}/{}{} | {scope} {}/{} coded ({}%)",
        match m.issuer.trim() {
            "" => String::new(),
            i => format!("{} | ", sanitize(i)),
        },
        region,
        m.level.as_str(),
        p.n,
        total,
        section,
        coded,
        app.walk.units.len(),
        coded * 100 / units,
    );
    // In a text search the queue comes first, where the eye starts, so which order `n` and
    // `Enter` follow is never in doubt.
    let mut spans = Vec::new();
    let mut w = w;
    if app.walk.sample().is_some() {
        let label = truncate("BLIND SAMPLE | ", w);
        w = w.saturating_sub(width(&label));
        spans.push(Span::styled(label, theme.style(Slot::Search)));
    }
    if let Some(q) = &app.find {
        let label = match app.hit_position() {
            Some((k, n)) => format!("SEARCH \"{}\": hit {k} of {n}", sanitize(&q.query)),
            None => format!(
                "SEARCH \"{}\": not on a hit ({} in the queue)",
                sanitize(&q.query),
                q.units.len()
            ),
        };
        let label = truncate(&label, w);
        let used = width(&label);
        spans.push(Span::styled(label, theme.style(Slot::Search)));
        spans.push(Span::styled(
            truncate(&format!(" | {place}"), w.saturating_sub(used)),
            theme.style(Slot::Label),
        ));
    } else {
        spans.push(Span::styled(truncate(&place, w), theme.style(Slot::Label)));
    }
    let line2 = Line::from(spans);
    f.render_widget(Paragraph::new(vec![line1, line2]), area);
}

/// Key hints for the mode, and the status line.
pub fn footer(f: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let km = &app.session.keymap;
    let hint = |mode: KeyMode, a: Action, what: &str| -> Vec<Span<'static>> {
        let label = km.label(mode, a);
        if label.is_empty() {
            return Vec::new();
        }
        vec![
            Span::styled(label, theme.style(Slot::Key)),
            Span::styled(format!(" {what}  "), theme.style(Slot::Footer)),
        ]
    };
    let (n, prompt) = (KeyMode::Normal, KeyMode::Prompt);
    let mut spans: Vec<Span> = Vec::new();
    match &app.overlay {
        Some(Overlay::Prompt(Prompt {
            kind: PromptKind::Jump,
            input,
        })) => {
            let (go, cancel) = (
                km.key(prompt, Action::Accept),
                km.key(prompt, Action::Cancel),
            );
            spans.push(Span::styled(":", theme.style(Slot::Key)));
            spans.push(Span::raw(input.clone()));
            spans.push(Span::styled(
                format!("   doc id, doc#n, n or title text; {go} go, {cancel} cancel"),
                theme.style(Slot::Footer),
            ));
        }
        Some(Overlay::Prompt(Prompt {
            kind: PromptKind::Find,
            input,
        })) => {
            let (go, cancel) = (
                km.key(prompt, Action::Accept),
                km.key(prompt, Action::Cancel),
            );
            spans.push(Span::styled("find: ", theme.style(Slot::Key)));
            spans.push(Span::raw(sanitize(input).into_owned()));
            spans.push(Span::styled(
                format!(
                    "   text, a|b; -w words, -r regex, -s synonyms; {go} search, {cancel} cancel"
                ),
                theme.style(Slot::Footer),
            ));
        }
        // `y` is the answer itself, not a binding (see `App::handle_key`).
        Some(Overlay::ConfirmAll(_)) => spans.push(Span::styled(
            format!(
                "code all hits? y codes them ({} takes them all back), any other key cancels",
                km.key(n, Action::Undo)
            ),
            theme.style(Slot::Warn),
        )),
        Some(Overlay::Score(_)) => spans.push(Span::styled(
            "score: type the level digit (any other key cancels)",
            theme.style(Slot::Key),
        )),
        Some(Overlay::Picker(_)) => {
            let p = KeyMode::Picker;
            spans.extend(hint(p, Action::Accept, "toggle+close"));
            spans.extend(hint(p, Action::Mark, "toggle"));
            spans.extend(hint(p, Action::Cancel, "close"));
            spans.extend(hint(p, Action::Info, "details"));
        }
        Some(Overlay::Info(_)) => {
            let i = KeyMode::Info;
            spans.push(Span::styled("1-9", theme.style(Slot::Key)));
            spans.push(Span::styled(" row  ", theme.style(Slot::Footer)));
            spans.extend(hint(i, Action::Down, "next row"));
            spans.extend(hint(i, Action::Up, "previous row"));
            spans.extend(hint(i, Action::Mark, "choose/unchoose"));
            spans.extend(hint(i, Action::Cancel, "close"));
        }
        Some(Overlay::Memo(_)) => spans.extend(hint(KeyMode::Memo, Action::Accept, "save memo")),
        _ => {
            // Says what Enter will record on this paragraph, from the same offer it confirms;
            // padded to one width so the hints after it do not move (and repaint) on a toggle.
            // Each of them also moves on, as `Enter` always does.
            let variants = ["next", "take *", "take no code"];
            let searching = app.find.is_some();
            let now = if !app.nothing_chosen() || app.walk.reconciling() {
                variants[0]
            } else if app.here.offer.no_code {
                variants[2]
            } else if !app.here.offer.predicted.is_empty() {
                variants[1]
            } else {
                variants[0]
            };
            // Below 100 columns the room is worth more than the bytes: no padding.
            let confirm = if area.width >= 100 {
                pad(now, variants.iter().map(|v| width(v)).max().unwrap_or(0))
            } else {
                now.to_string()
            };
            // Hints in order of importance; help and quit always fit, the rest as space allows.
            let optional: Vec<(Action, &str)> = if searching {
                vec![
                    (Action::Confirm, confirm.as_str()),
                    (Action::NextUncoded, "next hit"),
                    (Action::EndFind, "leave search"),
                    (Action::NoCode, "no code"),
                    (Action::OpenPicker, "pick node"),
                    (Action::CodeAllHits, "code all hits"),
                    (Action::Undo, "undo"),
                    (Action::Info, "definition"),
                    (Action::Memo, "memo"),
                ]
            } else {
                vec![
                    (Action::Confirm, confirm.as_str()),
                    (Action::NoCode, "no code"),
                    (Action::OpenPicker, "pick node"),
                    (Action::Find, "find text"),
                    (Action::Info, "definition"),
                    (Action::Undo, "undo"),
                    (Action::Memo, "memo"),
                    (Action::NextUncoded, "next uncoded"),
                    (Action::TallyMetric, "tallies"),
                ]
            };
            let essential: Vec<Span> = [(Action::Help, "help"), (Action::Quit, "quit")]
                .iter()
                .flat_map(|(a, w)| hint(n, *a, w))
                .collect();
            let span_w = |v: &[Span]| v.iter().map(|s| width(&s.content)).sum::<usize>();
            let budget = (area.width as usize).saturating_sub(span_w(&essential));
            let digits = if app.walk.reconciling() {
                " take version  "
            } else {
                " toggle  "
            };
            spans.push(Span::styled(km.toggles(n), theme.style(Slot::Key)));
            spans.push(Span::styled(digits, theme.style(Slot::Footer)));
            for (a, what) in optional {
                if a == Action::Info && app.walk.reconciling() {
                    continue;
                }
                let h = hint(n, a, what);
                if span_w(&spans) + span_w(&h) > budget {
                    break;
                }
                spans.extend(h);
            }
            spans.extend(essential);
        }
    }
    let status = match &app.status {
        Some(s) => {
            let slot = match s.kind {
                StatusKind::Info => Slot::Footer,
                StatusKind::Ok => Slot::Ok,
                StatusKind::Warn => Slot::Warn,
                StatusKind::Error => Slot::Error,
            };
            Line::styled(
                truncate(&sanitize(&s.text), area.width as usize),
                theme.style(slot),
            )
        }
        None => Line::styled(
            format!("{} decisions saved this session", app.session.saved),
            theme.style(Slot::Footer),
        ),
    };
    f.render_widget(Paragraph::new(vec![Line::from(spans), status]), area);
}
