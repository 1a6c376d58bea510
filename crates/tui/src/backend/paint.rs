//! Turns ratatui's list of changed cells into few bytes. Between two changed cells the painter
//! either moves the cursor or, when that is shorter, prints the unchanged cells in between
//! again (known from [`Screen`]); runs of blank cells are erased with `ESC[nX` when that is
//! shorter than printing spaces. Moves set the column absolutely (carriage return or `ESC[nG`)
//! and reach a row just below with line feeds, else `ESC[r;cH` without default parameters.
//! Styles go through [`sgr`], one sequence per change. Column and row are only taken as known
//! while every glyph printed since the last absolute move has a width all terminals agree on,
//! so a glyph drawn wider than unicode-width says cannot shift anything past the next move.

use std::io::{self, Write};

use ratatui::buffer::Cell;
use unicode_width::UnicodeWidthStr;

use super::screen::{Screen, Slot};
use super::sgr::{self, Pen};

/// Where the terminal's cursor is, as far as the painter knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cursor {
    x: u16,
    y: u16,
    /// False after printing a glyph whose width terminals disagree on (box drawing, emoji,
    /// combining marks): the cursor is then only good for printing the very next cell, as
    /// ratatui itself assumes, not for anything that counts columns.
    exact: bool,
}

/// Paints frames and remembers the screen, pen and cursor between them.
#[derive(Debug, Default)]
pub struct Painter {
    screen: Screen,
    pen: Pen,
    cursor: Option<Cursor>,
}

impl Painter {
    /// Writes the changed `cells` (in screen order, as ratatui's diff yields them) to `out`,
    /// leaving the pen reset.
    pub fn draw<'a, I>(&mut self, out: &mut impl Write, cells: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let cells: Vec<(u16, u16, &Cell)> = cells.collect();
        let mut buf = Vec::with_capacity(4096);
        let mut i = 0;
        while i < cells.len() {
            let (x, y, cell) = cells[i];
            if let Some((used, columns)) = self.erasable(&cells[i..]) {
                self.go_to(x, y, Pen::default(), &mut buf);
                self.erase(x, y, columns, &mut buf);
                i += used;
            } else {
                self.go_to(x, y, Pen::of(cell), &mut buf);
                self.print(x, y, cell, &mut buf);
                i += 1;
            }
        }
        sgr::change(self.pen, Pen::default(), &mut buf);
        self.pen = Pen::default();
        out.write_all(&buf)
    }

    /// The cursor was put at (`x`, `y`) by an absolute move.
    pub fn moved_to(&mut self, x: u16, y: u16) {
        self.cursor = Some(Cursor { x, y, exact: true });
    }

    /// The whole screen was erased (the pen is always reset between frames, so it is blank).
    /// That happens after a resize, when the terminal may have moved the cursor.
    pub fn erased(&mut self) {
        self.screen.blank();
        self.cursor = None;
    }

    /// Something this painter cannot follow happened to the screen or the cursor.
    pub fn lost(&mut self) {
        self.screen.forget();
        self.cursor = None;
    }

    /// Brings the cursor to (`x`, `y`) for a cell printed with `next`: by the shorter of a
    /// cursor move and rewriting the cells in between.
    fn go_to(&mut self, x: u16, y: u16, next: Pen, buf: &mut Vec<u8>) {
        if self.cursor.is_some_and(|c| c.x == x && c.y == y) {
            return;
        }
        let mut jump = Vec::new();
        self.jump(x, y, &mut jump);
        let jump_cost = jump.len() + sgr::cost(self.pen, next);
        if let Some((walk, pen)) = self.walk(x, y, jump_cost) {
            if walk.len() + sgr::cost(pen, next) < jump_cost {
                buf.extend_from_slice(&walk);
                self.pen = pen;
                self.cursor = Some(Cursor { x, y, exact: true });
                return;
            }
        }
        buf.extend_from_slice(&jump);
        self.moved_to(x, y);
    }

    /// The shortest move to (`x`, `y`) that does not depend on the cursor's column: a carriage
    /// return or `ESC[nG` for the column, after up to three line feeds when the row is just
    /// below (a line feed keeps the column, or goes to column 0 where the tty adds a carriage
    /// return; either way the column move follows). A line feed on the bottom row would scroll,
    /// but the target row is below the cursor, so the cursor is not on the bottom row.
    fn jump(&self, x: u16, y: u16, out: &mut Vec<u8>) {
        let full = if x == 0 {
            format!("\x1b[{}H", y + 1)
        } else {
            format!("\x1b[{};{}H", y + 1, x + 1)
        };
        let column = if x == 0 {
            "\r".to_string()
        } else {
            format!("\x1b[{}G", x + 1)
        };
        let down = match self.cursor {
            Some(c) if c.exact && y >= c.y && y - c.y <= 3 => usize::from(y - c.y),
            _ => usize::MAX,
        };
        if down != usize::MAX && down + column.len() < full.len() {
            out.extend(std::iter::repeat_n(b'\n', down));
            out.extend_from_slice(column.as_bytes());
        } else {
            out.extend_from_slice(full.as_bytes());
        }
    }

    /// The bytes that reprint the unchanged cells from the cursor up to column `x` of its row,
    /// and the pen they leave, if every one of them is known and under `budget` bytes.
    fn walk(&self, x: u16, y: u16, budget: usize) -> Option<(Vec<u8>, Pen)> {
        let c = self.cursor.filter(|c| c.exact && c.y == y && c.x < x)?;
        if usize::from(x - c.x) >= budget {
            return None;
        }
        let (mut out, mut pen, mut col) = (Vec::new(), self.pen, c.x);
        while col < x {
            let Slot::Glyph(cell) = self.screen.get(col, y) else {
                return None;
            };
            let w = settled_width(cell.symbol())?;
            if col + w > x {
                return None;
            }
            sgr::change(pen, Pen::of(cell), &mut out);
            pen = Pen::of(cell);
            out.extend_from_slice(cell.symbol().as_bytes());
            if out.len() >= budget {
                return None;
            }
            col += w;
        }
        Some((out, pen))
    }

    /// If `cells` starts with a run of blank cells on one row that is cheaper to erase with
    /// `ESC[nX` than to print, the number of cells in it and the columns to erase. The run may
    /// take in unchanged columns that are already blank, to join blanks on both sides.
    fn erasable(&self, cells: &[(u16, u16, &Cell)]) -> Option<(usize, u16)> {
        let (x, y, first) = cells[0];
        if !is_blank(first) || self.screen.get(x, y) == &Slot::Covered {
            return None;
        }
        let (mut used, mut end) = (1, x + 1);
        loop {
            // Erase whole glyphs only: a run that ends on the left half of a wide glyph takes in
            // its right half, which is blank once the left half is gone (see `Screen::put`).
            while self.screen.get(end, y) == &Slot::Covered {
                end += 1;
            }
            let Some(&(nx, ny, cell)) = cells.get(used) else {
                break;
            };
            let joinable = ny == y
                && is_blank(cell)
                && (end..nx)
                    .all(|c| matches!(self.screen.get(c, y), Slot::Glyph(g) if is_blank(g)));
            if !joinable {
                break;
            }
            used += 1;
            end = end.max(nx + 1);
        }
        let columns = end - x;
        // Printing would leave the cursor right before the next cell; erasing leaves it at the
        // start of the run, so a next cell on this row then needs a move.
        let then_move = match cells.get(used) {
            Some(&(nx, ny, _)) if ny == y && nx == end => format!("\x1b[{}G", nx + 1).len(),
            _ => 0,
        };
        (erase_sequence(columns).len() + then_move < usize::from(columns))
            .then_some((used, columns))
    }

    /// Erases `columns` cells from (`x`, `y`), where the cursor is; it does not move.
    fn erase(&mut self, x: u16, y: u16, columns: u16, buf: &mut Vec<u8>) {
        sgr::change(self.pen, Pen::default(), buf);
        self.pen = Pen::default();
        buf.extend_from_slice(erase_sequence(columns).as_bytes());
        let blank = Cell::default();
        for c in x..x + columns {
            self.screen.put(c, y, &blank, 1);
        }
    }

    fn print(&mut self, x: u16, y: u16, cell: &Cell, buf: &mut Vec<u8>) {
        let pen = Pen::of(cell);
        sgr::change(self.pen, pen, buf);
        self.pen = pen;
        let symbol = cell.symbol();
        buf.extend_from_slice(symbol.as_bytes());
        let width = symbol.width() as u16;
        self.screen.put(x, y, cell, width);
        let exact = self.cursor.is_some_and(|c| c.exact) && settled_width(symbol).is_some();
        self.cursor = Some(Cursor {
            x: x.saturating_add(width),
            y,
            exact,
        });
    }
}

/// ECH: erases `n` characters from the cursor on, in the current (default) colours.
fn erase_sequence(n: u16) -> String {
    format!("\x1b[{n}X")
}

/// A space in the default style: what an erased cell looks like.
fn is_blank(cell: &Cell) -> bool {
    cell.symbol() == " " && Pen::of(cell) == Pen::default()
}

/// The width of `symbol` if every terminal agrees on it: printable ASCII, or one East Asian
/// wide character (CJK ideographs and punctuation, kana, hangul, fullwidth forms). Box drawing,
/// emoji and other ambiguous or recently changed widths are `None`.
fn settled_width(symbol: &str) -> Option<u16> {
    let mut chars = symbol.chars();
    let (c, None) = (chars.next()?, chars.next()) else {
        return None;
    };
    if c.is_ascii_graphic() || c == ' ' {
        return Some(1);
    }
    let wide_block = matches!(c,
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{20000}'..='\u{3FFFD}');
    (wide_block && symbol.width() == 2 && symbol.width_cjk() == 2).then_some(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unambiguous_widths_are_settled() {
        for (s, w) in [
            ("a", Some(1)),
            (" ", Some(1)),
            ("中", Some(2)),
            ("，", Some(2)),
        ] {
            assert_eq!(settled_width(s), w, "{s:?}");
        }
        for s in ["─", "│", "…", "😀", "é", "\u{301}", "", "ab", "\t"] {
            assert_eq!(settled_width(s), None, "{s:?}");
        }
    }
}
