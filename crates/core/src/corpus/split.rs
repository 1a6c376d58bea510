//! Splitting normalised document text into paragraphs: re-joining hard-wrapped (PDF-extracted)
//! lines, dropping bare page numbers, flattening tables, marking non-body lines (titles,
//! database headers, document numbers, addressees, signatures, dates, footers, tables of
//! contents), recognising headings and building each paragraph's section path.
//!
//! Rules, in order:
//! - A document is *hard-wrapped* when many lines share one display width and most of them end
//!   mid-sentence. There a line joins the next one when it is at least ~85% of that width, does
//!   not end a sentence, and the next line does not start a numbered item, a dash item or a
//!   non-body line. Elsewhere every non-empty line is a paragraph.
//! - Bare page numbers (`3`, `- 3 -`, `—3—`, `第3页`) are not text of the document: they are
//!   dropped, with the blank lines around them, so a page break inside a wrapped paragraph does
//!   not split it. Numbers inside a flattened table are kept (see below).
//! - A run of six or more short lines, a third of them numeric cells, is a flattened table: one
//!   body paragraph with its cells joined by ` | `.
//! - A numbering marker alone with a short title is a [`ParaKind::Heading`]; a marker followed
//!   by running text on the same line (`（一）加强人才培养。各地区要……`) is one body
//!   paragraph. Items of a `；`-separated enumeration (`（一）…；`) are body text and do not
//!   enter the section path.
//! - Section paths concatenate the markers of the enclosing headings in rank order
//!   (`第X章` > `第X节` > `第X条` > `一、` > `（一）` > `1.` > `（1）` > `①`), e.g. `三、（二）1.`
//!   or, in regulations, `第二章第五条` (the usual way to cite an article). A heading's own
//!   marker is part of its path; a document title resets the path.

use unicode_width::UnicodeWidthStr;

use super::lines::{self, is_pad, parse_marker, trim_pad, MarkerKind};
use super::{ParaKind, Paragraph};
use crate::fsutil::hash_hex;

/// The paragraphs of a document and its title as found in the text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SplitDoc {
    pub paragraphs: Vec<Paragraph>,
    /// The title at the top of the text (joined when it spans several lines), if there is one.
    pub title: Option<String>,
}

/// Splits normalised text into paragraphs numbered from 1 (see the module docs for the rules).
// Test-only: the tests split without a title.
#[cfg(test)]
pub(crate) fn split(text: &str) -> Vec<Paragraph> {
    split_doc(text).paragraphs
}

/// Splits normalised text into paragraphs numbered from 1 (see the module docs for the rules),
/// also returning the title found at the top of the text.
pub(crate) fn split_doc(text: &str) -> SplitDoc {
    let raw: Vec<&str> = text.lines().map(trim_pad).collect();
    let units = build_units(&raw);
    let (units, title) = merge_top_title(units);
    let kinds = classify(&units);
    let paragraphs = assign_sections(&units, &kinds);
    SplitDoc { paragraphs, title }
}

/// Kinds and section paths for paragraphs whose boundaries are already fixed, one text per
/// paragraph (the lines of a REFI-QDA source that polcode or another tool exported): the rules
/// of [`split_doc`] — titles, tables of contents, headings, signatures, dates, release notes —
/// without re-joining, splitting or dropping anything, so paragraph `n` is still the `n`th text
/// and selections placed on those positions stay valid.
pub(crate) fn classify_fixed(texts: &[&str]) -> Vec<Paragraph> {
    let units: Vec<Unit> = texts
        .iter()
        .map(|t| {
            let mut u = Unit::new(t.to_string());
            if lines::is_toc_line(t) {
                u.forced = Some(ParaKind::NonBody);
            }
            u
        })
        .collect();
    // No title unit is marked: in the front lines a title reads as one to unit_kind anyway,
    // and the mark only matters where split() joins a title broken over lines.
    let kinds = classify(&units);
    assign_sections(&units, &kinds)
}

/// A candidate paragraph before classification.
#[derive(Debug, Clone)]
struct Unit {
    text: String,
    /// Set when the kind is already known (table of contents, table, title).
    forced: Option<ParaKind>,
    table: bool,
    title: bool,
}

impl Unit {
    fn new(text: String) -> Unit {
        Unit {
            text,
            forced: None,
            table: false,
            title: false,
        }
    }
}

/// One input line after the first pass.
#[derive(Debug, Clone, PartialEq)]
enum Line<'a> {
    Blank,
    Text(&'a str),
    Toc(&'a str),
    Table(String),
}

fn build_units(raw: &[&str]) -> Vec<Unit> {
    let lines = first_pass(raw);
    let width = wrap_width(&lines);
    let mut units = Vec::new();
    // The paragraph being built and the display width of its last physical line.
    let mut cur: Option<(String, usize)> = None;
    let flush = |cur: &mut Option<(String, usize)>, units: &mut Vec<Unit>| {
        if let Some((t, _)) = cur.take() {
            units.push(Unit::new(t));
        }
    };
    for line in &lines {
        match line {
            Line::Blank => flush(&mut cur, &mut units),
            Line::Toc(t) => {
                flush(&mut cur, &mut units);
                let mut u = Unit::new(t.to_string());
                u.forced = Some(ParaKind::NonBody);
                units.push(u);
            }
            Line::Table(t) => {
                flush(&mut cur, &mut units);
                let mut u = Unit::new(t.clone());
                u.table = true;
                units.push(u);
            }
            Line::Text(t) => {
                let pieces = match width {
                    Some(_) => split_glued_headings(t),
                    None => vec![*t],
                };
                for piece in pieces {
                    match (&mut cur, width) {
                        (Some((c, last)), Some(w)) if continues(c, *last, piece, w) => {
                            if ends_ascii_word(c) && starts_ascii_word(piece) {
                                c.push(' ');
                            }
                            c.push_str(piece);
                            *last = piece.width();
                        }
                        _ => {
                            flush(&mut cur, &mut units);
                            cur = Some((piece.to_string(), piece.width()));
                        }
                    }
                }
            }
        }
    }
    flush(&mut cur, &mut units);
    units
}

/// Marks tables of contents and flattened tables, and drops page numbers with their blanks.
fn first_pass<'a>(raw: &[&'a str]) -> Vec<Line<'a>> {
    let table = table_runs(raw);
    let mut out: Vec<Line<'a>> = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if let Some(&end) = table.get(&i) {
            let cells: Vec<&str> = raw[i..end]
                .iter()
                .copied()
                .filter(|l| !l.is_empty())
                .collect();
            out.push(Line::Table(cells.join(" | ")));
            i = end;
            continue;
        }
        let l = raw[i];
        if l.is_empty() {
            out.push(Line::Blank);
        } else if lines::is_page_number(l) {
            while out.last() == Some(&Line::Blank) {
                out.pop();
            }
            i += 1;
            while i < raw.len() && raw[i].is_empty() {
                i += 1;
            }
            continue;
        } else if lines::is_toc_line(l) {
            out.push(Line::Toc(l));
        } else {
            out.push(Line::Text(l));
        }
        i += 1;
    }
    out
}

/// Start index → end index (exclusive) of each flattened table.
fn table_runs(raw: &[&str]) -> std::collections::HashMap<usize, usize> {
    let cell = |l: &str| {
        !l.is_empty()
            && l.chars().count() <= 30
            && !lines::ends_sentence(l)
            && !l.ends_with(['；', '：'])
            && !lines::is_toc_line(l)
    };
    let mut runs = std::collections::HashMap::new();
    let mut i = 0;
    while i < raw.len() {
        if !cell(raw[i]) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < raw.len() && cell(raw[j]) {
            j += 1;
        }
        let numeric = raw[i..j]
            .iter()
            .filter(|l| lines::is_numeric_cell(l))
            .count();
        let n = j - i;
        if n >= 6 && numeric * 3 >= n && numeric >= 3 {
            runs.insert(i, j);
        }
        i = j;
    }
    runs
}

/// The common line width of a hard-wrapped document, or `None` if it is not hard-wrapped.
fn wrap_width(lines: &[Line]) -> Option<usize> {
    let widths: Vec<(usize, bool)> = lines
        .iter()
        .filter_map(|l| match l {
            Line::Text(t) => Some((t.width(), lines::ends_sentence(t))),
            _ => None,
        })
        .collect();
    if widths.len() < 15 {
        return None;
    }
    let mut counts = std::collections::HashMap::new();
    for &(w, _) in &widths {
        if w >= 20 {
            *counts.entry(w).or_insert(0usize) += 1;
        }
    }
    let (&mode, _) = counts.iter().max_by_key(|(&w, &c)| (c, w))?;
    let band: Vec<&(usize, bool)> = widths
        .iter()
        .filter(|(w, _)| *w + 6 >= mode && *w <= mode + 4)
        .collect();
    let open = band.iter().filter(|(_, fin)| !fin).count();
    (band.len() * 10 >= widths.len() * 4 && open * 2 >= band.len() && mode <= 200).then_some(mode)
}

/// Whether `next` continues the wrapped paragraph `cur`, whose last line is `last` columns wide.
fn continues(cur: &str, last: usize, next: &str, width: usize) -> bool {
    last * 100 >= width * 85 && !lines::ends_sentence(cur) && !starts_block(next)
}

/// A line that must start its own paragraph.
pub(crate) fn starts_block(line: &str) -> bool {
    parse_marker(line).is_some()
        || line.starts_with('—')
        || line.starts_with("【")
        || lines::is_db_header(line)
        || lines::is_date_line(line)
        || lines::is_release_note(line)
        || lines::is_doc_number(line)
        || lines::is_footer(line)
        || lines::is_title_like(line, 60)
        || lines::is_attachment_label(line)
}

/// In PDF extractions a heading is sometimes glued after the sentence that precedes it
/// (`…工厂建设。（三）技术装备推广工程`): cut the line before such a marker.
fn split_glued_headings(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in line.char_indices() {
        if c != '。' || i < start {
            continue;
        }
        let cut = i + c.len_utf8();
        let after = line[cut..].trim_start_matches(is_pad);
        if after.is_empty() {
            break;
        }
        if let Some(m) = parse_marker(after) {
            if matches!(
                m.kind,
                MarkerKind::Cn | MarkerKind::ParenCn | MarkerKind::Num
            ) {
                out.push(&line[start..cut]);
                start = line.len() - after.len();
            }
        }
    }
    out.push(&line[start..]);
    out
}

fn ends_ascii_word(s: &str) -> bool {
    s.chars().last().is_some_and(|c| c.is_ascii_alphanumeric())
}

fn starts_ascii_word(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
}

/// Joins a title spread over the first lines (`国务院关于加快推进农业机械化和` /
/// `农机装备产业转型升级的指导意见`, or a title followed by `（2021-2025 年）`) into one unit.
fn merge_top_title(mut units: Vec<Unit>) -> (Vec<Unit>, Option<String>) {
    let start = units
        .iter()
        .position(|u| !lines::is_db_header(&u.text))
        .unwrap_or(units.len());
    let candidate = |u: &Unit| {
        u.forced.is_none()
            && !u.table
            && u.text.chars().count() <= 150
            && !u.text.contains(['。', '；', '：', ':'])
            && parse_marker(&u.text).is_none()
            && !lines::is_doc_number(&u.text)
            && !lines::is_date_line(&u.text)
    };
    // The title is the first lines up to one ending in a document-type word; lines before
    // that last one are short fragments (a title broken over lines).
    let mut end = None;
    for (k, u) in units.iter().enumerate().skip(start).take(4) {
        let chars = u.text.chars().count();
        if !candidate(u) || (k > start && chars > 40) {
            break;
        }
        if lines::is_title_like(&u.text, 150) {
            end = Some(k);
            break;
        }
        if chars > 40 {
            break;
        }
    }
    let Some(mut end) = end else {
        return (units, None);
    };
    if units
        .get(end + 1)
        .is_some_and(|u| lines::is_year_range(&u.text))
    {
        end += 1;
    }
    let joined: String = units[start..=end].iter().map(|u| u.text.as_str()).collect();
    let mut title = Unit::new(joined.clone());
    title.title = true;
    title.forced = Some(ParaKind::NonBody);
    units.splice(start..=end, [title]);
    (units, Some(joined))
}

/// Kind of each unit; signatures are found by walking back from date lines.
fn classify(units: &[Unit]) -> Vec<ParaKind> {
    let mut kinds: Vec<ParaKind> = Vec::with_capacity(units.len());
    for (i, u) in units.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| units[p].text.as_str());
        kinds.push(unit_kind(u, i, prev));
    }
    for (i, u) in units.iter().enumerate() {
        if !(lines::is_date_line(&u.text) || lines::is_footer(&u.text)) {
            continue;
        }
        let mut j = i;
        while j > 0 && i - j < 6 {
            j -= 1;
            let t = &units[j].text;
            if units[j].title || !lines::is_signature_like(t) {
                break;
            }
            kinds[j] = ParaKind::NonBody;
        }
    }
    kinds
}

fn unit_kind(u: &Unit, i: usize, prev: Option<&str>) -> ParaKind {
    if let Some(k) = u.forced {
        return k;
    }
    if u.table {
        return ParaKind::Body;
    }
    let t = u.text.as_str();
    let front = i < 8;
    if lines::is_db_header(t)
        || lines::is_date_line(t)
        || lines::is_footer(t)
        || lines::is_release_note(t)
        || lines::is_doc_number(t)
        || lines::is_attachment_label(t)
        || (front && lines::is_addressee(t))
        || lines::is_transmittal(t)
        || lines::is_title_like(t, if front { 150 } else { 60 })
    {
        return ParaKind::NonBody;
    }
    if t.starts_with("专栏") && t.chars().count() <= 40 && !t.contains('。') {
        return ParaKind::Heading;
    }
    match parse_marker(t) {
        Some(m) => match role(&m, t, prev) {
            Role::Heading => ParaKind::Heading,
            Role::Inline | Role::ListItem => ParaKind::Body,
        },
        None => ParaKind::Body,
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Heading,
    Inline,
    ListItem,
}

/// Heading alone, inline heading with body, or item of an enumeration.
fn role(m: &lines::Marker, line: &str, prev: Option<&str>) -> Role {
    let rest = m.rest.as_str();
    let n = rest.chars().count();
    match m.kind {
        MarkerKind::Article => {
            let caption = (rest.starts_with('（') && rest.ends_with('）') && !rest.contains('。'))
                || rest.is_empty();
            if caption {
                Role::Heading
            } else {
                Role::Inline
            }
        }
        MarkerKind::Chapter | MarkerKind::Section => {
            if n <= 30 && !rest.contains('。') {
                Role::Heading
            } else {
                Role::Inline
            }
        }
        _ => {
            let prev = prev.map(|p| p.trim_end_matches(is_pad)).unwrap_or("");
            let enumerated =
                prev.ends_with('；') || (prev.ends_with(['：', ':']) && line.ends_with('；'));
            if enumerated && !matches!(m.kind, MarkerKind::Cn) {
                return Role::ListItem;
            }
            let body = rest.strip_suffix('。').unwrap_or(rest);
            let short = n <= 30
                && !body.contains(['。', '；', '！', '？'])
                && !rest.ends_with(['，', '、', '：', ':', '；']);
            if short {
                Role::Heading
            } else {
                Role::Inline
            }
        }
    }
}

fn assign_sections(units: &[Unit], kinds: &[ParaKind]) -> Vec<Paragraph> {
    let mut stack: Vec<(MarkerKind, String)> = Vec::new();
    let mut out = Vec::with_capacity(units.len());
    for (i, (u, &kind)) in units.iter().zip(kinds).enumerate() {
        if u.title && i > 0 {
            stack.clear();
        }
        if kind != ParaKind::NonBody && !u.table {
            if let Some(m) = parse_marker(&u.text) {
                let prev = i.checked_sub(1).map(|p| units[p].text.as_str());
                if role(&m, &u.text, prev) != Role::ListItem {
                    stack.retain(|(k, _)| *k < m.kind);
                    stack.push((m.kind, m.text));
                }
            }
        }
        // Non-body lines (titles, signatures, TOC entries) belong to no section.
        let section: String = if kind == ParaKind::NonBody {
            String::new()
        } else {
            stack.iter().map(|(_, t)| t.as_str()).collect()
        };
        out.push(Paragraph {
            n: (out.len() + 1) as u32,
            kind,
            section,
            hash: hash_hex(u.text.as_bytes(), 16),
            text: u.text.clone(),
        });
    }
    out
}

#[cfg(test)]
mod tests;
