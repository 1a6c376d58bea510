//! The [`Table`] every statistic is reported as, and its renderings: terminal text aligned by
//! display width (CJK characters take two columns) and fitted to a width ([`fit`]), tidy CSV
//! ([`tidy`]), Markdown and JSON.
//!
//! A table is built once, in its full (wide) layout, with a [`Column`] describing each column:
//! what it is in tidy data (a key of the row, or a measure of a group) and how the compact
//! layout shows it (short header, hidden, or joined to another column of its group). The
//! compact layout, the fitted text, the tidy CSV and the JSON all come from that one table.

use std::fmt::Write as _;

use serde_json::{Map, Value};
use unicode_width::UnicodeWidthStr;

use crate::termsafe::escape;

pub(crate) mod fit;
pub(crate) mod tidy;

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
    /// A count out of a total, shown `num/den` (tidy data gives `num`, and `den` as the
    /// measure `<measure>_of`).
    Frac { num: i64, den: i64 },
    /// Text with a shorter form for the compact layout (a node's label in one language, say).
    Label { full: String, short: String },
    /// Figures joined into one cell by the compact layout (`168 (18)`): text aligned right.
    Joined(String),
    /// No value (empty in text, CSV and Markdown; `null` in JSON).
    Empty,
}

impl Cell {
    /// A text cell.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// A number with `decimals` places, or [`Cell::Empty`] for `None`.
    pub(crate) fn num(v: Option<f64>, decimals: usize) -> Cell {
        match v {
            Some(value) => Cell::Num { value, decimals },
            None => Cell::Empty,
        }
    }

    /// A percentage (0–100 scale) with `decimals` places, or [`Cell::Empty`] for `None`.
    pub(crate) fn pct(v: Option<f64>, decimals: usize) -> Cell {
        match v {
            Some(value) => Cell::Pct { value, decimals },
            None => Cell::Empty,
        }
    }

    /// A label with a short form for the compact layout.
    pub fn label(full: impl Into<String>, short: impl Into<String>) -> Cell {
        Cell::Label {
            full: full.into(),
            short: short.into(),
        }
    }

    /// How the cell reads in text, CSV and Markdown.
    pub(crate) fn display(&self) -> String {
        match self {
            Cell::Text(s) | Cell::Label { full: s, .. } | Cell::Joined(s) => s.clone(),
            Cell::Frac { num, den } => format!("{num}/{den}"),
            Cell::Int(i) => i.to_string(),
            Cell::Num { value, decimals } => format!("{value:.decimals$}"),
            Cell::Pct { value, decimals } => format!("{value:.decimals$}%"),
            Cell::Empty => String::new(),
        }
    }

    /// The value in its numeric form, at full precision: `None` for text, empty cells and
    /// non-finite numbers.
    pub(crate) fn number(&self) -> Option<f64> {
        match self {
            Cell::Int(i) => Some(*i as f64),
            Cell::Num { value, .. } | Cell::Pct { value, .. } => {
                value.is_finite().then_some(*value)
            }
            Cell::Frac { num, .. } => Some(*num as f64),
            _ => None,
        }
    }

    pub(crate) fn is_numeric(&self) -> bool {
        matches!(
            self,
            Cell::Int(_)
                | Cell::Num { .. }
                | Cell::Pct { .. }
                | Cell::Frac { .. }
                | Cell::Joined(_)
        )
    }

    /// The compact layout's form: a label's short text, everything else as [`Cell::display`].
    pub(crate) fn compact_display(&self) -> String {
        match self {
            Cell::Label { short, .. } => short.clone(),
            c => c.display(),
        }
    }

    /// JSON at full precision (the text rounds for reading; data keeps every digit):
    /// non-finite numbers become null, a fraction `{num, den}`.
    fn json(&self) -> Value {
        match self {
            Cell::Text(s) | Cell::Label { full: s, .. } | Cell::Joined(s) => {
                Value::String(s.clone())
            }
            Cell::Int(i) => Value::from(*i),
            Cell::Num { value, .. } | Cell::Pct { value, .. } => {
                serde_json::Number::from_f64(*value)
                    .map(Value::Number)
                    .unwrap_or(Value::Null)
            }
            Cell::Frac { num, den } => serde_json::json!({ "num": num, "den": den }),
            Cell::Empty => Value::Null,
        }
    }
}

/// What a column is in tidy data.
#[derive(Debug, Clone, PartialEq)]
pub enum Role {
    /// Identifies the row: one tidy column of this name (`node_id`, `node`, `doc_id`, `word`).
    Key(String),
    /// An observation per row: the `measure` (`refs`, `coverage_pct`) of `group` (a region, a
    /// coder, a model; `None` for a table without groups or a total over them).
    Value {
        group: Option<String>,
        measure: String,
    },
}

/// How the compact layout shows a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show {
    /// As it is (under its short header, if it has one).
    Column,
    /// Left out (the wide layout, CSV and JSON still have it).
    Hidden,
    /// In parentheses after the first shown column of the same group: `168 (18)`.
    Paren,
}

/// The description of one column: its role in tidy data and its compact form.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub role: Role,
    /// Header in the compact layout (default: the full header).
    pub short: Option<String>,
    pub show: Show,
    /// Whether fitting to a width may cut this column's text (`~` marks the cut).
    pub shrink: bool,
}

impl Column {
    /// A key column: text identifying the row, never cut.
    pub fn key(name: &str) -> Column {
        Column {
            role: Role::Key(name.to_string()),
            short: None,
            show: Show::Column,
            shrink: false,
        }
    }

    /// A label column: identifies the row for people; cut to fit a narrow width.
    pub fn label(name: &str) -> Column {
        Column {
            shrink: true,
            ..Column::key(name)
        }
    }

    /// A measure of a group (`None`: no group, or a total).
    pub fn value(group: Option<&str>, measure: &str) -> Column {
        Column {
            role: Role::Value {
                group: group.map(str::to_string),
                measure: measure.to_string(),
            },
            short: None,
            show: Show::Column,
            shrink: false,
        }
    }

    /// The same column under a short header in the compact layout.
    pub fn short(mut self, header: impl Into<String>) -> Column {
        self.short = Some(header.into());
        self
    }

    /// The same column left out of the compact layout.
    pub fn hidden(mut self) -> Column {
        self.show = Show::Hidden;
        self
    }

    /// The same column shown in parentheses after its group's first column when compact.
    pub(crate) fn paren(mut self) -> Column {
        self.show = Show::Paren;
        self
    }

    fn group(&self) -> Option<&str> {
        match &self.role {
            Role::Value { group, .. } => group.as_deref(),
            Role::Key(_) => None,
        }
    }
}

/// A titled table with a header row, data rows and explanatory notes (what was counted, how).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// A short machine name (`tally`, `coverage_mean`): the `table` column of tidy CSV.
    pub id: String,
    pub title: String,
    pub header: Vec<String>,
    /// One per header cell, or empty: then text columns are keys and numeric ones measures
    /// named by their header (`Table::column`).
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    /// Lines printed under the table: conventions, definitions, caveats.
    pub notes: Vec<String>,
}

/// How tables are laid out for people: compact (the default, fitted to a width) or wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Layout {
    /// The full layout: every column under its full header, nothing cut.
    pub wide: bool,
    /// Fit text to this many display columns (`None`: no limit). Ignored when `wide`.
    pub width: Option<usize>,
}

impl Layout {
    /// The width tables are fitted to when standard output is not a terminal.
    pub const DEFAULT_WIDTH: usize = 120;
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
    pub(crate) fn new(title: impl Into<String>, header: Vec<String>) -> Table {
        Table {
            title: title.into(),
            header,
            ..Table::default()
        }
    }

    /// A table whose columns are described: `(full header, column)` pairs.
    pub fn with_columns(
        id: &str,
        title: impl Into<String>,
        columns: Vec<(String, Column)>,
    ) -> Table {
        let (header, columns) = columns.into_iter().unzip();
        Table {
            id: id.to_string(),
            title: title.into(),
            header,
            columns,
            ..Table::default()
        }
    }

    /// The description of column `i`: the given one, or (for tables built without) a key
    /// when no cell of the column is a number, else a measure named by the header.
    pub(crate) fn column(&self, i: usize) -> Column {
        if let Some(c) = self.columns.get(i) {
            return c.clone();
        }
        let name = self.header.get(i).cloned().unwrap_or_default();
        let numeric = self
            .rows
            .iter()
            .any(|r| r.get(i).is_some_and(Cell::is_numeric));
        if numeric {
            Column::value(None, &tidy::snake(&name))
        } else {
            Column::label(&tidy::snake(&name))
        }
    }

    /// Renders in the given format, compact and without a width limit (see
    /// [`Table::render_with`]).
    pub fn render(&self, format: Format) -> String {
        self.render_with(format, Layout::default())
    }

    /// Renders in the given format and layout: text in the compact layout fitted to
    /// `layout.width` (or wide), Markdown compact or wide, CSV tidy, JSON the full table.
    pub fn render_with(&self, format: Format, layout: Layout) -> String {
        match format {
            Format::Text if layout.wide => self.to_text(),
            Format::Text => match layout.width {
                Some(w) => fit::fit(&self.compact(), w),
                None => self.compact().to_text(),
            },
            Format::Csv => tidy::tidy_csv(std::slice::from_ref(self)),
            Format::Markdown if layout.wide => self.to_markdown(),
            Format::Markdown => self.compact().to_markdown(),
            Format::Json => self.to_json(),
        }
    }

    /// The compact layout: hidden columns left out, `Paren` columns joined to their group's
    /// column as `a (b)`, short headers and short labels. Its columns keep their roles.
    pub(crate) fn compact(&self) -> Table {
        let ncol = self.ncols();
        let cols: Vec<Column> = (0..ncol).map(|i| self.column(i)).collect();
        // Which shown column each `Paren` column joins.
        let target = |i: usize| -> Option<usize> {
            let g = cols[i].group();
            (0..ncol).find(|&j| j != i && cols[j].show == Show::Column && cols[j].group() == g)
        };
        let shown: Vec<usize> = (0..ncol)
            .filter(|&i| cols[i].show == Show::Column)
            .collect();
        let joins: Vec<(usize, usize)> = (0..ncol)
            .filter(|&i| cols[i].show == Show::Paren)
            .filter_map(|i| target(i).map(|j| (i, j)))
            .collect();
        let mut out = Table {
            id: self.id.clone(),
            title: self.title.clone(),
            notes: self.notes.clone(),
            ..Table::default()
        };
        for &i in &shown {
            let c = &cols[i];
            out.header.push(
                c.short
                    .clone()
                    .unwrap_or_else(|| self.header.get(i).cloned().unwrap_or_default()),
            );
            out.columns.push(Column {
                show: Show::Column,
                ..c.clone()
            });
        }
        for r in &self.rows {
            let row = shown
                .iter()
                .map(|&i| {
                    let cell = r.get(i).cloned().unwrap_or(Cell::Empty);
                    let extra: Vec<String> = joins
                        .iter()
                        .filter(|(_, j)| *j == i)
                        .filter_map(|(p, _)| r.get(*p))
                        .map(Cell::compact_display)
                        .filter(|s| !s.is_empty())
                        .collect();
                    match (&cell, extra.is_empty()) {
                        (Cell::Label { short, .. }, true) => Cell::Text(short.clone()),
                        (_, true) => cell,
                        (_, false) => Cell::Joined(format!(
                            "{} ({})",
                            cell.compact_display(),
                            extra.join(", ")
                        )),
                    }
                })
                .collect();
            out.rows.push(row);
        }
        out
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
    /// The wide layout as CSV (one table, header and rows as they are); `-f csv` gives
    /// [`tidy::tidy_csv`] instead.
    pub(crate) fn to_csv(&self) -> String {
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
    pub(crate) fn to_markdown(&self) -> String {
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

    /// JSON object `{table, title, header, rows: [{header: value}], notes}`; numbers stay
    /// numbers, at full precision.
    /// Characters that must not reach a terminal are written as `\uXXXX` escapes
    /// ([`crate::termsafe::json_safe`]): the same value, safe to print.
    pub(crate) fn to_json(&self) -> String {
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
            "table": self.id,
            "title": self.title,
            "header": self.header,
            "rows": rows,
            "notes": self.notes,
        });
        let json = serde_json::to_string_pretty(&v).unwrap_or_default();
        crate::termsafe::json_safe(&json).into_owned()
    }

    pub(crate) fn ncols(&self) -> usize {
        self.rows
            .iter()
            .map(Vec::len)
            .chain(std::iter::once(self.header.len()))
            .max()
            .unwrap_or(0)
    }
}

/// Several tables in one format: text and Markdown one after another (blank line between),
/// CSV as one tidy CSV over all of them, JSON as an array.
pub fn render_tables(tables: &[Table], format: Format, layout: Layout) -> String {
    match format {
        Format::Csv => tidy::tidy_csv(tables),
        Format::Json => {
            let parts: Vec<String> = tables.iter().map(Table::to_json).collect();
            format!("[{}]\n", parts.join(",\n"))
        }
        _ => tables
            .iter()
            .map(|t| t.render_with(format, layout))
            .collect::<Vec<_>>()
            .join("\n"),
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
        assert_eq!(
            t.render(Format::Csv),
            "table,group,node,measure,value\ntable1,,供给型 supply,refs,12\ntable1,,a|b,refs,33.333\n"
        );
        let md = t.to_markdown();
        assert!(md.contains("| node | refs |\n| --- | ---: |\n"));
        assert!(md.contains("| a\\|b | 33.3% |"));
        let v: Value = serde_json::from_str(&t.to_json()).unwrap();
        assert_eq!(v["rows"][0]["refs"], 12);
        assert_eq!(v["rows"][1]["refs"], 33.333);
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
