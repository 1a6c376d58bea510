//! The [`Table`] every statistic is reported as, and its renderings: terminal text aligned by
//! display width (CJK characters take two columns), CSV, Markdown and JSON.

use std::fmt::Write as _;

use serde_json::{Map, Value};
use unicode_width::UnicodeWidthStr;

use crate::termsafe::escape;

/// One cell of a table. Numbers keep their value so CSV and JSON get numbers, not strings.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Free text, left-aligned.
    Text(String),
    /// A count.
    Int(i64),
    /// A real number shown with `decimals` places.
    Num { value: f64, decimals: usize },
    /// A percentage value (already multiplied by 100) shown with `decimals` places and `%`.
    Pct { value: f64, decimals: usize },
    /// No value (empty in text, CSV and Markdown; `null` in JSON).
    Empty,
}

impl Cell {
    /// A text cell.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// A number with `decimals` places, or [`Cell::Empty`] for `None`.
    pub fn num(v: Option<f64>, decimals: usize) -> Cell {
        match v {
            Some(value) => Cell::Num { value, decimals },
            None => Cell::Empty,
        }
    }

    /// A percentage (0–100 scale) with `decimals` places, or [`Cell::Empty`] for `None`.
    pub fn pct(v: Option<f64>, decimals: usize) -> Cell {
        match v {
            Some(value) => Cell::Pct { value, decimals },
            None => Cell::Empty,
        }
    }

    /// How the cell reads in text, CSV and Markdown.
    pub fn display(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Num { value, decimals } => format!("{value:.decimals$}"),
            Cell::Pct { value, decimals } => format!("{value:.decimals$}%"),
            Cell::Empty => String::new(),
        }
    }

    fn is_numeric(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Num { .. } | Cell::Pct { .. })
    }

    fn json(&self) -> Value {
        match self {
            Cell::Text(s) => Value::String(s.clone()),
            Cell::Int(i) => Value::from(*i),
            // Rounded as displayed so JSON and text agree; non-finite values become null.
            Cell::Num { value, decimals } | Cell::Pct { value, decimals } => {
                let f = 10f64.powi(*decimals as i32);
                serde_json::Number::from_f64((value * f).round() / f)
                    .map(Value::Number)
                    .unwrap_or(Value::Null)
            }
            Cell::Empty => Value::Null,
        }
    }
}

/// A titled table with a header row, data rows and explanatory notes (what was counted, how).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Lines printed under the table: conventions, definitions, caveats.
    pub notes: Vec<String>,
}

/// Output format of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Csv,
    Markdown,
    Json,
}

impl Format {
    /// Parses `text`, `csv`, `md`/`markdown`, `json`.
    pub fn parse(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "text" | "txt" | "table" => Some(Format::Text),
            "csv" => Some(Format::Csv),
            "md" | "markdown" => Some(Format::Markdown),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

impl Table {
    /// A table with a title and header and no rows yet.
    pub fn new(title: impl Into<String>, header: Vec<String>) -> Table {
        Table {
            title: title.into(),
            header,
            rows: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Renders in the given format.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Text => self.to_text(),
            Format::Csv => self.to_csv(),
            Format::Markdown => self.to_markdown(),
            Format::Json => self.to_json(),
        }
    }

    /// Terminal text: columns padded to the widest cell by display width, numbers right-aligned.
    pub fn to_text(&self) -> String {
        let ncol = self.ncols();
        // Text from hand-edited files must not act on the terminal it is printed to, nor break
        // a row in two: every cell, the title, header and notes are escaped as one line.
        let cells: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| escape(&c.display()).into_owned())
                    .collect()
            })
            .collect();
        let header: Vec<String> = self.header.iter().map(|h| escape(h).into_owned()).collect();
        let mut widths = vec![0usize; ncol];
        for (i, h) in header.iter().enumerate() {
            widths[i] = widths[i].max(h.width());
        }
        for r in &cells {
            for (i, c) in r.iter().enumerate() {
                widths[i] = widths[i].max(c.width());
            }
        }
        let mut out = String::new();
        if !self.title.is_empty() {
            out.push_str(&escape(&self.title));
            out.push('\n');
        }
        let header: Vec<(String, bool)> = header.into_iter().map(|h| (h, false)).collect();
        push_line(&mut out, &header, &widths);
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        out.push_str(rule.join("  ").trim_end());
        out.push('\n');
        for (row, texts) in self.rows.iter().zip(&cells) {
            let line: Vec<(String, bool)> = row
                .iter()
                .zip(texts)
                .map(|(c, t)| (t.clone(), c.is_numeric()))
                .collect();
            push_line(&mut out, &line, &widths);
        }
        for n in &self.notes {
            out.push_str("  ");
            out.push_str(&escape(n));
            out.push('\n');
        }
        out
    }

    /// CSV: header row then data rows (title and notes are left out; they are not data). The
    /// cells are exact: the binary escapes CSV only when it goes to a terminal.
    pub fn to_csv(&self) -> String {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        // Writing to a Vec cannot fail; errors would only come from I/O.
        let _ = w.write_record(&self.header);
        for r in &self.rows {
            let _ = w.write_record(r.iter().map(Cell::display));
        }
        let bytes = w.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// GitHub-flavoured Markdown: title as a heading, notes as a list under the table.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        if !self.title.is_empty() {
            let _ = writeln!(out, "### {}\n", md_escape(&self.title));
        }
        let head: Vec<String> = self.header.iter().map(|h| md_escape(h)).collect();
        let _ = writeln!(out, "| {} |", head.join(" | "));
        let align: Vec<&str> = (0..self.ncols())
            .map(|i| {
                let numeric = self
                    .rows
                    .iter()
                    .any(|r| r.get(i).is_some_and(Cell::is_numeric));
                if numeric {
                    "---:"
                } else {
                    "---"
                }
            })
            .collect();
        let _ = writeln!(out, "| {} |", align.join(" | "));
        for r in &self.rows {
            let cells: Vec<String> = (0..self.ncols())
                .map(|i| {
                    r.get(i)
                        .map(|c| md_escape(&c.display()))
                        .unwrap_or_default()
                })
                .collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        if !self.notes.is_empty() {
            out.push('\n');
            for n in &self.notes {
                let _ = writeln!(out, "- {}", md_escape(n));
            }
        }
        out
    }

    /// JSON object `{title, header, rows: [{header: value}], notes}`; numbers stay numbers.
    /// Characters that must not reach a terminal are written as `\uXXXX` escapes
    /// ([`crate::termsafe::json_safe`]): the same value, safe to print.
    pub fn to_json(&self) -> String {
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|r| {
                let mut m = Map::new();
                for (i, h) in self.header.iter().enumerate() {
                    m.insert(h.clone(), r.get(i).map(Cell::json).unwrap_or(Value::Null));
                }
                Value::Object(m)
            })
            .collect();
        let v = serde_json::json!({
            "title": self.title,
            "header": self.header,
            "rows": rows,
            "notes": self.notes,
        });
        let json = serde_json::to_string_pretty(&v).unwrap_or_default();
        crate::termsafe::json_safe(&json).into_owned()
    }

    fn ncols(&self) -> usize {
        self.rows
            .iter()
            .map(Vec::len)
            .chain(std::iter::once(self.header.len()))
            .max()
            .unwrap_or(0)
    }
}

fn push_line(out: &mut String, cells: &[(String, bool)], widths: &[usize]) {
    let mut line = String::new();
    for (i, w) in widths.iter().enumerate() {
        if i > 0 {
            line.push_str("  ");
        }
        let (text, right) = cells
            .get(i)
            .map(|(t, r)| (t.as_str(), *r))
            .unwrap_or(("", false));
        let pad = w.saturating_sub(text.width());
        if right {
            line.push_str(&" ".repeat(pad));
            line.push_str(text);
        } else {
            line.push_str(text);
            line.push_str(&" ".repeat(pad));
        }
    }
    out.push_str(line.trim_end());
    out.push('\n');
}

fn md_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t = Table::new("节点 tally", vec!["node".into(), "refs".into()]);
        t.rows
            .push(vec![Cell::text("供给型 supply"), Cell::Int(12)]);
        t.rows
            .push(vec![Cell::text("a|b"), Cell::pct(Some(33.333), 1)]);
        t.notes.push("pooled".into());
        t
    }

    #[test]
    fn text_aligns_by_display_width() {
        let s = sample().to_text();
        let lines: Vec<&str> = s.lines().collect();
        // "供给型 supply" is 13 columns wide (3 CJK chars × 2 + 7), so "refs" starts at column 15;
        // the refs column is 5 wide ("33.3%"), numbers right-aligned in it.
        assert_eq!(lines[1], "node           refs");
        assert_eq!(lines[3], "供给型 supply     12");
        assert_eq!(lines[4], format!("a|b{}33.3%", " ".repeat(12)));
        assert_eq!(lines[5], "  pooled");
    }

    #[test]
    fn csv_markdown_json() {
        let t = sample();
        assert_eq!(t.to_csv(), "node,refs\n供给型 supply,12\na|b,33.3%\n");
        let md = t.to_markdown();
        assert!(md.contains("| node | refs |\n| --- | ---: |\n"));
        assert!(md.contains("| a\\|b | 33.3% |"));
        let v: Value = serde_json::from_str(&t.to_json()).unwrap();
        assert_eq!(v["rows"][0]["refs"], 12);
        assert_eq!(v["rows"][1]["refs"], 33.3);
        assert_eq!(v["notes"][0], "pooled");
    }
}

#[cfg(test)]
mod escape_tests {
    use super::*;

    #[test]
    fn terminal_tables_never_carry_escape_sequences() {
        let mut t = Table::new("t", vec!["title".into()]);
        t.rows
            .push(vec![Cell::text("标题\u{1b}]52;c;aGk=\u{7}\u{202e}x")]);
        let out = t.to_text();
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{202e}'),
            "{out:?}"
        );
        assert!(out.contains("\\u{1b}]52;c;aGk="), "{out}");
    }
}
