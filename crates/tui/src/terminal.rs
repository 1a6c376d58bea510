//! Terminal set-up and tear-down: raw mode and the alternate screen, a panic hook and a drop
//! guard that restore the terminal, and a frame writer that sends each frame in one `write()`
//! wrapped in synchronized-update escape codes.

use std::io::{self, Write};

use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, BeginSynchronizedUpdate, EndSynchronizedUpdate,
    EnterAlternateScreen, LeaveAlternateScreen,
};
use crossterm::{cursor, execute, queue};

/// Buffers everything written to it until [`FrameWriter::commit`], so a frame (with its
/// synchronized-update brackets) leaves in one `write()` — ratatui's own `flush()` calls are
/// absorbed.
pub struct FrameWriter<W: Write> {
    inner: W,
    buf: Vec<u8>,
    /// Bytes sent by the last commit (for byte-budget tests and benchmarks).
    pub last_frame_bytes: usize,
}

impl<W: Write> FrameWriter<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        FrameWriter {
            inner,
            buf: Vec::with_capacity(64 * 1024),
            last_frame_bytes: 0,
        }
    }

    /// Sends the buffered bytes with one write and flushes the underlying stream.
    pub fn commit(&mut self) -> io::Result<()> {
        self.last_frame_bytes = self.buf.len();
        if !self.buf.is_empty() {
            self.inner.write_all(&self.buf)?;
            self.buf.clear();
        }
        self.inner.flush()
    }

    /// Starts a frame: the synchronized-update begin code goes first in the buffer.
    pub fn begin_frame(&mut self) -> io::Result<()> {
        queue!(self.buf, BeginSynchronizedUpdate)
    }

    /// Ends a frame and sends it.
    pub fn end_frame(&mut self) -> io::Result<()> {
        queue!(self.buf, EndSynchronizedUpdate)?;
        self.commit()
    }

    /// The wrapped writer.
    pub fn inner(&self) -> &W {
        &self.inner
    }
}

impl<W: Write> Write for FrameWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Enters raw mode and the alternate screen; installs a panic hook that restores the terminal
/// before the panic message is printed.
pub fn enter() -> io::Result<()> {
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        prev(info);
    }));
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen, cursor::Hide)?;
    Ok(())
}

/// Takes the terminal back after the process was stopped and continued: raw mode and the
/// alternate screen again. Whoever stopped the process (a shell after `kill -STOP`) may have
/// put the terminal back in cooked mode, while crossterm still believes raw mode is on and
/// would skip `enable_raw_mode`; leaving it first makes the switch real.
pub fn reenter() -> io::Result<()> {
    let _ = disable_raw_mode();
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen, cursor::Hide)?;
    Ok(())
}

/// Leaves the alternate screen and raw mode, ignoring errors (the terminal may be gone).
pub fn restore() {
    let mut out = io::stdout();
    let _ = execute!(
        out,
        EndSynchronizedUpdate,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
}

/// Restores the terminal when dropped, whatever path leaves the event loop.
pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_is_one_write_with_sync_brackets() {
        let mut w = FrameWriter::new(Vec::new());
        w.begin_frame().unwrap();
        w.write_all(b"hello").unwrap();
        w.flush().unwrap();
        assert!(
            w.inner().is_empty(),
            "flush is absorbed until the frame ends"
        );
        w.end_frame().unwrap();
        let out = String::from_utf8(w.inner().clone()).unwrap();
        assert!(out.starts_with("\u{1b}[?2026h"));
        assert!(out.ends_with("\u{1b}[?2026l"));
        assert!(out.contains("hello"));
    }
}
