//! What the terminal shows, as far as the painter knows: one slot per column. The painter reads
//! it to rewrite a few unchanged cells instead of moving the cursor over them, so a slot is only
//! trusted when this backend wrote it (or cleared it) and nothing can have disturbed it since.

use ratatui::buffer::Cell;

/// One column of one row.
#[derive(Debug, Clone, PartialEq)]
pub enum Slot {
    /// Not known (never trusted for rewriting).
    Unknown,
    /// A cell printed here (a wide one also covers the next column).
    Glyph(Cell),
    /// The right half of the wide glyph in the column before.
    Covered,
}

/// The known screen. Columns and rows never written hold `outside`.
#[derive(Debug)]
pub struct Screen {
    rows: Vec<Vec<Slot>>,
    outside: Slot,
}

impl Default for Screen {
    /// A blank screen: the alternate screen starts blank, and ratatui's first diff (against an
    /// empty buffer) already relies on that.
    fn default() -> Self {
        Screen {
            rows: Vec::new(),
            outside: Slot::Glyph(Cell::default()),
        }
    }
}

impl Screen {
    /// The slot at column `x`, row `y`.
    pub fn get(&self, x: u16, y: u16) -> &Slot {
        self.rows
            .get(y as usize)
            .and_then(|r| r.get(x as usize))
            .unwrap_or(&self.outside)
    }

    /// After an erase of the whole screen: every cell blank.
    pub fn blank(&mut self) {
        *self = Screen::default();
    }

    /// After anything this backend cannot follow (scrolling, a partial erase): trust nothing.
    pub fn forget(&mut self) {
        self.rows.clear();
        self.outside = Slot::Unknown;
    }

    /// Records `cell`, `width` columns wide, printed at (`x`, `y`).
    pub fn put(&mut self, x: u16, y: u16, cell: &Cell, width: u16) {
        let (x, y) = (x as usize, y as usize);
        if width == 0 {
            // Zero-width text joins whatever is before it, in a way terminals disagree on.
            self.set(x, y, Slot::Unknown);
            if x > 0 {
                self.set(x - 1, y, Slot::Unknown);
            }
            return;
        }
        let end = x + width as usize;
        // Printing over the right half of a wide glyph erases (or corrupts) its left half.
        if x > 0 && self.slot(x, y) == &Slot::Covered {
            self.set(x - 1, y, Slot::Unknown);
        }
        // Printing over its left half blanks the right half: terminals erase it, and ratatui,
        // which reset that cell when it drew the wide glyph, holds a blank there too. Should a
        // terminal leave a stray half, rewriting the blank would only repair it.
        if self.slot(end, y) == &Slot::Covered {
            self.set(end, y, Slot::Glyph(Cell::default()));
        }
        self.set(x, y, Slot::Glyph(cell.clone()));
        for c in x + 1..end {
            self.set(c, y, Slot::Covered);
        }
    }

    fn slot(&self, x: usize, y: usize) -> &Slot {
        self.rows
            .get(y)
            .and_then(|r| r.get(x))
            .unwrap_or(&self.outside)
    }

    fn set(&mut self, x: usize, y: usize, slot: Slot) {
        if self.rows.len() <= y {
            self.rows.resize(y + 1, Vec::new());
        }
        let row = &mut self.rows[y];
        if row.len() <= x {
            row.resize(x + 1, self.outside.clone());
        }
        row[x] = slot;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(s: &'static str) -> Slot {
        Slot::Glyph(Cell::new(s))
    }

    #[test]
    fn wide_glyphs_cover_the_next_column_and_partial_overwrites_are_followed() {
        let mut s = Screen::default();
        assert_eq!(s.get(5, 5), &glyph(" "));
        s.put(2, 0, &Cell::new("中"), 2);
        assert_eq!((s.get(2, 0), s.get(3, 0)), (&glyph("中"), &Slot::Covered));
        // A narrow glyph over the right half: the left half is no longer known.
        s.put(3, 0, &Cell::new("a"), 1);
        assert_eq!((s.get(2, 0), s.get(3, 0)), (&Slot::Unknown, &glyph("a")));
        // A wide glyph whose right half lands on another wide glyph's left half.
        s.put(6, 0, &Cell::new("文"), 2);
        s.put(5, 0, &Cell::new("国"), 2);
        assert_eq!(s.get(6, 0), &Slot::Covered);
        assert_eq!(s.get(7, 0), &glyph(" "));
        s.forget();
        assert_eq!(s.get(5, 0), &Slot::Unknown);
        s.blank();
        assert_eq!(s.get(5, 0), &glyph(" "));
    }
}
