//! The one way the command line writes to standard output and standard error. Every byte goes
//! through here, so nothing from the data (file names, documents, codebooks, codings files,
//! arguments quoted in errors) reaches a terminal as a command ([`polcode_core::termsafe`]):
//!
//! - human-readable text — reports, tables as text or Markdown, messages, warnings, errors,
//!   progress — is escaped wherever it goes (terminal, pipe or file redirect): [`print`],
//!   [`eprint`], [`warn`], [`error_line`]; a value from data inside a one-line message is
//!   escaped whole with `termsafe::escape` where it is formatted, so a newline cannot forge a
//!   line;
//! - data formats are exact in files (`-o FILE`) and pipes, and escaped only when standard
//!   output is a terminal ([`print_data`]): CSV, SVG, XML exports; JSON is always made safe with
//!   JSON's own `\uXXXX` escapes, which keeps the value exact.
//!
//! A closed pipe (`polcode docs | head`) ends the program quietly instead of panicking as
//! `println!` would.

use std::io::{self, IsTerminal, Write};

use polcode_core::termsafe;

/// Writes human-readable `text` to standard output, its lines kept and everything else unsafe
/// escaped.
pub fn print(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(termsafe::escape_text(text).as_bytes())?;
    out.flush()
}

/// What [`print_data`] writes: JSON is escaped in its own syntax, anything else as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Data {
    /// JSON: unsafe characters become `\uXXXX`, so the output parses to the same value.
    Json,
    /// CSV: exact unless standard output is a terminal; there every field is escaped as one
    /// line (a line break inside a quoted field would start a line of its own on screen).
    Csv,
    /// SVG, XML: exact unless standard output is a terminal.
    Text,
}

/// Writes machine-readable output to standard output: exact to a pipe or file, escaped when
/// standard output is a terminal (a person reads it there; a program never does).
pub fn print_data(bytes: &[u8], kind: Data) -> io::Result<()> {
    let mut out = io::stdout().lock();
    match kind {
        Data::Json => {
            let text = String::from_utf8_lossy(bytes);
            out.write_all(termsafe::json_safe(&text).as_bytes())?;
        }
        Data::Csv if out.is_terminal() => out.write_all(&csv_for_terminal(bytes))?,
        Data::Text if out.is_terminal() => {
            let text = String::from_utf8_lossy(bytes);
            out.write_all(termsafe::escape_text(&text).as_bytes())?;
        }
        Data::Csv | Data::Text => out.write_all(bytes)?,
    }
    out.flush()
}

/// Writes binary data (a PNG) to standard output, which must not be a terminal.
pub fn print_binary(bytes: &[u8]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    if out.is_terminal() {
        return Err(io::Error::other(
            "binary output (PNG) is not for a terminal: give -o FILE or redirect it",
        ));
    }
    out.write_all(bytes)?;
    out.flush()
}

/// CSV with every field escaped as one line; anything that does not parse as CSV is escaped
/// as text.
fn csv_for_terminal(bytes: &[u8]) -> Vec<u8> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for record in reader.records() {
        let Ok(record) = record else {
            return termsafe::escape_text(&String::from_utf8_lossy(bytes))
                .into_owned()
                .into_bytes();
        };
        let fields = record.iter().map(|f| termsafe::escape(f).into_owned());
        if writer.write_record(fields).is_err() {
            break;
        }
    }
    writer.into_inner().unwrap_or_default()
}

/// Writes a report rendered in `format`: CSV and JSON as data ([`print_data`]), text and
/// Markdown as human-readable text ([`print`]).
pub fn print_report(text: &str, format: polcode_core::stats::Format) -> io::Result<()> {
    use polcode_core::stats::Format;
    match format {
        Format::Csv => print_data(text.as_bytes(), Data::Csv),
        Format::Json => print_data(text.as_bytes(), Data::Json),
        Format::Text | Format::Markdown => print(text),
    }
}

/// How tables are laid out for `--wide` and `--width`: fitted to the width given, else to the
/// terminal's when standard output is one, else to 120 columns.
pub fn layout(wide: bool, width: Option<usize>) -> polcode_core::stats::Layout {
    let width = width.or_else(|| {
        let out = io::stdout();
        out.is_terminal()
            .then(|| rustix::termios::tcgetwinsize(&out).ok())
            .flatten()
            .map(|w| usize::from(w.ws_col))
            .filter(|&c| c > 0)
    });
    polcode_core::stats::Layout {
        wide,
        width: Some(width.unwrap_or(polcode_core::stats::Layout::DEFAULT_WIDTH)),
    }
}

/// Writes human-readable `text` to standard error, escaped as [`print`] does. A failed write is
/// returned as [`print`] returns it: a command that must say something (a warning, what it
/// wrote, an error) fails rather than reporting success unheard, and a closed pipe ends the
/// program quietly through [`is_broken_pipe`]. Callers with nothing better to do (the last
/// error message, prompts) ignore the result.
pub fn eprint(text: &str) -> io::Result<()> {
    let mut err = io::stderr().lock();
    err.write_all(termsafe::escape_text(text).as_bytes())?;
    err.flush()
}

/// A path for a message, escaped as one line (a file name may hold anything but `/` and NUL).
pub fn path(p: &std::path::Path) -> String {
    termsafe::escape(&p.display().to_string()).into_owned()
}

/// Writes `warning: <w>` as one line to standard error, `w` escaped whole (warnings quote file
/// names and parser messages).
pub fn warn(w: &str) -> io::Result<()> {
    eprint(&format!("warning: {}\n", termsafe::escape(w)))
}

/// Whether an error chain bottoms out in a closed pipe.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// The error and its causes on one line, `outer: cause: cause`, like anyhow's `{:#}` (the
/// core's errors hold their cause in their message and chain nothing, so no cause shows twice).
/// Escaped whole: errors quote paths, arguments and, through serde, keys from hostile files.
pub fn error_line(e: &anyhow::Error) -> String {
    let line = e
        .chain()
        .map(|cause| cause.to_string())
        .collect::<Vec<_>>()
        .join(": ");
    termsafe::escape(&line).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_line_joins_the_chain_and_a_core_error_shows_its_cause_once() {
        let e = anyhow::anyhow!("inner").context("outer");
        assert_eq!(error_line(&e), "outer: inner");
        let io = io::Error::new(io::ErrorKind::NotFound, "No such file");
        let e = anyhow::Error::new(polcode_core::study::StudyError::io(
            std::path::Path::new("a.txt"),
            io,
        ))
        .context("importing");
        assert_eq!(error_line(&e), "importing: a.txt: No such file");
    }

    #[test]
    fn csv_on_a_terminal_keeps_one_line_per_record() {
        let csv = "title,n\n\"a\nFORGED\u{1b}[2J\",1\n";
        let out = String::from_utf8(csv_for_terminal(csv.as_bytes())).unwrap();
        assert_eq!(out, "title,n\na\\u{a}FORGED\\u{1b}[2J,1\n");
    }

    #[test]
    fn error_line_escapes_what_the_error_quotes() {
        let e = anyhow::anyhow!("unknown field `x\u{1b}]52;c;aGk=\u{7}\ny`").context("a\u{202e}b");
        assert_eq!(
            error_line(&e),
            "a\\u{202e}b: unknown field `x\\u{1b}]52;c;aGk=\\u{7}\\u{a}y`"
        );
    }
}
