//! Writing command output: a closed pipe (`polcode docs | head`) ends the program quietly
//! instead of panicking as `println!` would.

use std::io::{self, Write};

/// Writes `text` to standard output.
pub fn print(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// Writes `text` to standard error, ignoring failures (nothing better can be done).
pub fn eprint(text: &str) -> io::Result<()> {
    let mut err = io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    Ok(())
}

/// Whether an error chain bottoms out in a closed pipe.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// The error and its causes on one line, `outer: cause: cause`, like anyhow's `{:#}` but
/// without repeating a cause whose text the message already ends with (the library errors
/// print their source in their own message, e.g. `file: No such file or directory`).
pub fn error_line(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if line.is_empty() {
            line = text;
        } else if !line.ends_with(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_line_does_not_repeat_a_cause_already_in_the_message() {
        let io = io::Error::new(io::ErrorKind::NotFound, "No such file");
        let e = anyhow::Error::new(io)
            .context("a.txt: No such file")
            .context("importing");
        assert_eq!(error_line(&e), "importing: a.txt: No such file");
        let e = anyhow::anyhow!("inner").context("outer");
        assert_eq!(error_line(&e), "outer: inner");
    }
}
