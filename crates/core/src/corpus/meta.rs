//! The metadata CSV of an import (`--meta FILE`): one row per source file with title, issuer,
//! document number, date, level, province, city, region, kind and topic. Columns are found by
//! header name (the shape of `../shared/corpus/metadata.csv`); unknown columns are ignored.
//! Editorial notes such as ` [inferred]` or ` (per dataset)` are stripped from values.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::import::DocumentImportError;
use super::{Kind, Level};

/// One row of the metadata CSV. Empty strings and `None` mean "not given".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetaRow {
    pub title: String,
    pub issuer: String,
    pub doc_number: String,
    pub date: String,
    pub level: Option<Level>,
    pub province: String,
    pub city: String,
    pub region: String,
    pub kind: Option<Kind>,
    pub topic: String,
}

/// Metadata rows keyed by file name.
#[derive(Debug, Clone, Default)]
pub struct MetaTable {
    /// The CSV file, for messages.
    pub path: PathBuf,
    rows: HashMap<String, MetaRow>,
}

impl MetaTable {
    /// The row for a source file, matched by its file name (`01_x.txt`) or by the path as
    /// written in the `file` column.
    pub fn get(&self, file: &Path) -> Option<&MetaRow> {
        let name = file.file_name()?.to_string_lossy();
        self.rows
            .get(name.as_ref())
            .or_else(|| self.rows.get(file.to_string_lossy().as_ref()))
    }

    /// Number of rows.
    // Test-only: the tests count rows with it.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }
}

/// Reads a metadata CSV (UTF-8, with or without BOM). Errors name the file and line.
pub fn read_meta_csv(path: &Path) -> Result<MetaTable, DocumentImportError> {
    let bytes = super::import::read_source(path)?;
    parse_meta_csv(&bytes, path)
}

/// Parses metadata CSV bytes; `path` is used in messages only.
pub(crate) fn parse_meta_csv(bytes: &[u8], path: &Path) -> Result<MetaTable, DocumentImportError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let err = |line: u64, message: String| DocumentImportError::Meta {
        path: path.to_path_buf(),
        line,
        message,
    };
    if let Some(line) = unterminated_quote(bytes) {
        return Err(err(
            line,
            "a quoted value opened on this line is never closed, so the rest of the file would \
             be read as one value; close the quote (a quote inside a value is written \"\")"
                .to_string(),
        ));
    }
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = rdr.headers().map_err(|e| err(1, e.to_string()))?.clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let file_col = col("file")
        .or_else(|| col("filename"))
        .or_else(|| col("path"))
        .ok_or_else(|| err(1, "no `file` column in the header".to_string()))?;
    // The CSV's columns are the metadata fields, in the order the row below reads them.
    let cols = super::remeta::FIELDS.map(col);
    let mut rows = HashMap::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            err(line, e.to_string())
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        let get = |i: Option<usize>| {
            i.and_then(|i| rec.get(i))
                .map(clean_value)
                .unwrap_or_default()
        };
        let file = get(Some(file_col));
        if file.is_empty() {
            continue;
        }
        let level_s = get(cols[4]);
        let level = match level_s.as_str() {
            "" => None,
            s => Some(Level::parse(s).ok_or_else(|| {
                err(
                    line,
                    format!("unknown level {s:?} (national, provincial, municipal, county)"),
                )
            })?),
        };
        let kind_s = get(cols[8]);
        let kind = match kind_s.as_str() {
            "" => None,
            s => Some(
                Kind::parse(s)
                    .ok_or_else(|| err(line, format!("unknown kind {s:?} (special, related)")))?,
            ),
        };
        let row = MetaRow {
            title: get(cols[0]),
            issuer: get(cols[1]),
            doc_number: get(cols[2]),
            date: clean_date(&get(cols[3])),
            level,
            province: get(cols[5]),
            city: get(cols[6]),
            region: get(cols[7]),
            kind,
            topic: get(cols[9]),
        };
        if rows.insert(file.clone(), row).is_some() {
            return Err(err(line, format!("second row for file {file:?}")));
        }
    }
    Ok(MetaTable {
        path: path.to_path_buf(),
        rows,
    })
}

/// The line (1-based) where a quoted field opens that is still open at the end of the file.
/// The csv crate reads such a field to the end of the file without an error, silently turning
/// every later row into part of one value. Same rules as the reader: a quote opens a field
/// only at its start, `""` inside it is a quote.
fn unterminated_quote(bytes: &[u8]) -> Option<u64> {
    let mut line = 1u64;
    let mut at_field_start = true;
    let mut open_at: Option<u64> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match open_at {
            Some(_) if b == b'"' && bytes.get(i + 1) == Some(&b'"') => i += 1,
            Some(_) if b == b'"' => open_at = None,
            Some(_) => {}
            None if b == b'"' && at_field_start => open_at = Some(line),
            None => {}
        }
        if b == b'\n' {
            line += 1;
        }
        at_field_start = open_at.is_none() && matches!(b, b',' | b'\n' | b'\r');
        i += 1;
    }
    open_at
}

/// Strips editorial notes: a trailing ` [ … ]`, a trailing ASCII ` ( … )`, and values that
/// are only a note such as `(not in text)`.
pub(crate) fn clean_value(v: &str) -> String {
    let mut s = v.trim();
    loop {
        let before = s;
        if s.ends_with(']') {
            if let Some(i) = s.rfind(" [") {
                s = s[..i].trim_end();
            }
        }
        if s.ends_with(')') {
            if let Some(i) = s.rfind(" (") {
                s = s[..i].trim_end();
            }
        }
        if before == s {
            break;
        }
    }
    if (s.starts_with('(') && s.ends_with(')')) || (s.starts_with('[') && s.ends_with(']')) {
        return String::new();
    }
    s.to_string()
}

/// Keeps the leading `YYYY`, `YYYY-MM` or `YYYY-MM-DD` of a date value.
fn clean_date(s: &str) -> String {
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '-'))
        .unwrap_or(s.len());
    s[..end].trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_stripped() {
        assert_eq!(
            clean_value("国发〔2017〕35号 [inferred]"),
            "国发〔2017〕35号"
        );
        assert_eq!(
            clean_value("数字山东2019行动方案 [Chinese title inferred]"),
            "数字山东2019行动方案"
        );
        assert_eq!(clean_value("(not in text)"), "");
        assert_eq!(
            clean_value("教育部 (dataset lists \"State Council\"; gov.cn repost)"),
            "教育部"
        );
        assert_eq!(
            clean_value("促进新一代人工智能产业发展三年行动计划（2018－2020年）"),
            "促进新一代人工智能产业发展三年行动计划（2018－2020年）"
        );
        assert_eq!(
            clean_date("2019-05-17 (signature in text; dataset 2019-05-24)"),
            "2019-05-17"
        );
        assert_eq!(clean_date("2020-06 (effective 2020-06-17)"), "2020-06");
    }

    #[test]
    fn an_unterminated_quote_is_found_at_its_line_and_closed_ones_pass() {
        // Closed quotes, `""` inside a value, a value spanning two lines, a quote inside an
        // unquoted value: all read as the csv crate reads them.
        let ok = "file,title\na.txt,\"甲 \"\"乙\"\"\"\nb.txt,\"两\n行\"\nc.txt,x\"y\n";
        assert_eq!(unterminated_quote(ok.as_bytes()), None);
        assert_eq!(
            parse_meta_csv(ok.as_bytes(), Path::new("m.csv"))
                .unwrap()
                .len(),
            3
        );
        let bad = "file,title\na.txt,甲\nb.txt,\"乙\nc.txt,丙\nd.txt,丁\n";
        assert_eq!(unterminated_quote(bad.as_bytes()), Some(3));
        let e = parse_meta_csv(bad.as_bytes(), Path::new("m.csv")).unwrap_err();
        assert!(e.to_string().starts_with("m.csv:3: a quoted value"), "{e}");
    }

    #[test]
    fn parses_rows_and_reports_bad_values_with_line() {
        let csv = "\u{feff}file,title,issuer,level,province,city,kind,extra\n\
                   a.txt,甲 [inferred],济南市人民政府,municipal,山东,济南,special,x\n\
                   b.txt,\"乙, 丙\",国务院,national,,,,\n";
        let t = parse_meta_csv(csv.as_bytes(), Path::new("m.csv")).unwrap();
        assert_eq!(t.len(), 2);
        let a = t.get(Path::new("docs/a.txt")).unwrap();
        assert_eq!(
            (a.title.as_str(), a.level, a.kind),
            ("甲", Some(Level::Municipal), Some(Kind::Special))
        );
        assert_eq!(t.get(Path::new("b.txt")).unwrap().title, "乙, 丙");
        let bad = "file,level\na.txt,national\nb.txt,galactic\n";
        let e = parse_meta_csv(bad.as_bytes(), Path::new("m.csv"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("m.csv:3:") && e.contains("galactic"), "{e}");
        let nofile = parse_meta_csv(b"title\nx\n", Path::new("m.csv"))
            .unwrap_err()
            .to_string();
        assert!(
            nofile.contains("m.csv:1") && nofile.contains("file"),
            "{nofile}"
        );
    }
}
