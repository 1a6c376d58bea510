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
