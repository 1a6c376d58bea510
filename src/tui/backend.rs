//! A crossterm backend that sends fewer bytes for Chinese text. ratatui's crossterm backend
//! moves the cursor explicitly before every cell that does not follow the previous one by
//! exactly one column, so after each wide (CJK) character it emits a `MoveTo` (~8 bytes) even
//! though the terminal's cursor is already in the right place. This wrapper feeds it, after a
//! wide character, an empty filler cell for the continuation column: nothing is printed for it,
//! and the next cell needs no cursor move. Over SSH this halves the bytes of a Chinese repaint.

use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use unicode_width::UnicodeWidthStr;

/// [`CrosstermBackend`] with width-aware cursor tracking (see the module docs).
pub struct CjkBackend<W: Write> {
    inner: CrosstermBackend<W>,
}

impl<W: Write> CjkBackend<W> {
    /// Wraps a writer.
    pub fn new(writer: W) -> Self {
        CjkBackend {
            inner: CrosstermBackend::new(writer),
        }
    }

    /// The writer.
    pub fn writer(&self) -> &W {
        self.inner.writer()
    }

    /// The writer, mutably (for frame brackets).
    pub fn writer_mut(&mut self) -> &mut W {
        self.inner.writer_mut()
    }
}

impl<W: Write> Backend for CjkBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let cells: Vec<(u16, u16, &Cell)> = content.collect();
        // One filler per wide cell directly followed (two columns on) by the next changed cell.
        let mut fillers: Vec<Cell> = Vec::new();
        let mut at: Vec<usize> = Vec::new();
        for (i, (x, y, c)) in cells.iter().enumerate() {
            let next_is_adjacent = cells
                .get(i + 1)
                .is_some_and(|(nx, ny, _)| ny == y && *nx == x.saturating_add(2));
            if next_is_adjacent && c.symbol().width() == 2 {
                let mut f = (*c).clone();
                f.set_symbol("");
                fillers.push(f);
                at.push(i);
            }
        }
        let mut merged: Vec<(u16, u16, &Cell)> = Vec::with_capacity(cells.len() + fillers.len());
        let mut k = 0;
        for (i, item) in cells.iter().enumerate() {
            merged.push(*item);
            if at.get(k) == Some(&i) {
                merged.push((item.0 + 1, item.1, &fillers[k]));
                k += 1;
            }
        }
        self.inner.draw(merged.into_iter())
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> io::Result<Size> {
        self.inner.size()
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::widgets::Paragraph;
    use ratatui::{Terminal, TerminalOptions, Viewport};

    fn frame_bytes<B: Backend>(t: &mut Terminal<B>, text: &str) {
        t.draw(|f| f.render_widget(Paragraph::new(text), f.area()))
            .ok();
    }

    #[test]
    fn chinese_text_needs_no_cursor_move_per_character() {
        let opts = || TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 40, 2)),
        };
        let text = "推进区块链在政务服务中的应用";
        let mut plain = Terminal::with_options(CrosstermBackend::new(Vec::new()), opts()).unwrap();
        frame_bytes(&mut plain, text);
        let mut cjk = Terminal::with_options(CjkBackend::new(Vec::new()), opts()).unwrap();
        frame_bytes(&mut cjk, text);
        let (a, b) = (
            plain.backend().writer().clone(),
            cjk.backend().writer().clone(),
        );
        // Same characters on screen, far fewer bytes.
        let strip = |v: &[u8]| {
            String::from_utf8_lossy(v)
                .chars()
                .filter(|c| !c.is_ascii())
                .collect::<String>()
        };
        assert_eq!(strip(&a), strip(&b));
        assert!(strip(&b).contains("推进区块链"));
        assert!(
            b.len() + 8 * 10 < a.len(),
            "plain {} B, cjk {} B",
            a.len(),
            b.len()
        );
    }
}
