//! Mapping character-span selections (REFI-QDA) onto paragraphs (polcode's unit of coding).
//!
//! The rule ([`COVERAGE_RULE`]): a selection codes every paragraph of which it covers at least
//! half of the characters (code points). A selection that covers no paragraph that much is not
//! dropped: it is reported as unplaced, with the paragraph it overlaps most and by how much.

/// The mapping rule, as reported to the user after an import.
pub(crate) const COVERAGE_RULE: &str = "a selection codes each paragraph of which it covers at least 50% of the characters; selections covering no paragraph that much are reported as unplaced";

/// A selection that codes no paragraph under [`COVERAGE_RULE`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unplaced {
    /// Index into the selections given to [`map_selections`].
    pub selection: usize,
    /// The paragraph it overlaps most, if any.
    pub best_paragraph: Option<usize>,
    /// The share of that paragraph it covers, 0.0–1.0.
    pub best_share: f64,
}

/// Where each selection landed.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Mapping {
    /// Per selection (same order as given): the indices of the paragraphs it codes.
    pub placed: Vec<Vec<usize>>,
    pub unplaced: Vec<Unplaced>,
}

/// The spans `(start, end)` in code points of the non-blank lines of `text`: the paragraphs a
/// plain-text source has before the real splitter runs.
pub(crate) fn line_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0usize;
    for line in text.split('\n') {
        let len = line.chars().count();
        if !line.trim().is_empty() {
            out.push((start, start + len));
        }
        start += len + 1;
    }
    out
}

/// Maps `selections` onto `paragraphs` (both `(start, end)` in code points, end exclusive;
/// paragraphs in text order and not overlapping) under [`COVERAGE_RULE`].
pub(crate) fn map_selections(
    paragraphs: &[(usize, usize)],
    selections: &[(usize, usize)],
) -> Mapping {
    let mut m = Mapping::default();
    for (si, &(s, e)) in selections.iter().enumerate() {
        let first = paragraphs.partition_point(|&(_, pe)| pe <= s);
        let mut hits = Vec::new();
        let mut best: Option<(usize, f64)> = None;
        for (pi, &(ps, pe)) in paragraphs.iter().enumerate().skip(first) {
            if ps >= e {
                break;
            }
            let len = pe.saturating_sub(ps);
            if len == 0 {
                continue;
            }
            let overlap = e.min(pe).saturating_sub(s.max(ps));
            if overlap * 2 >= len {
                hits.push(pi);
            }
            let share = overlap as f64 / len as f64;
            if overlap > 0 && best.is_none_or(|(_, b)| share > b) {
                best = Some((pi, share));
            }
        }
        if hits.is_empty() {
            m.unplaced.push(Unplaced {
                selection: si,
                best_paragraph: best.map(|b| b.0),
                best_share: best.map_or(0.0, |b| b.1),
            });
        }
        m.placed.push(hits);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_coverage_codes_a_paragraph_less_does_not() {
        // Paragraphs of 10, 4 and 6 characters.
        let paras = [(0, 10), (11, 15), (16, 22)];
        let sels = [
            (0, 10),  // exactly the first
            (5, 10),  // half of the first: codes it
            (6, 10),  // 40%: unplaced, best = first
            (8, 22),  // crosses: 2/10 of first, all of second and third
            (10, 11), // only the newline
            (30, 40), // beyond the text
        ];
        let m = map_selections(&paras, &sels);
        assert_eq!(m.placed[0], vec![0]);
        assert_eq!(m.placed[1], vec![0]);
        assert!(m.placed[2].is_empty());
        assert_eq!(m.placed[3], vec![1, 2]);
        let un: Vec<usize> = m.unplaced.iter().map(|u| u.selection).collect();
        assert_eq!(un, vec![2, 4, 5]);
        assert_eq!(m.unplaced[0].best_paragraph, Some(0));
        assert!((m.unplaced[0].best_share - 0.4).abs() < 1e-9);
        assert_eq!(m.unplaced[1].best_paragraph, None);
    }

    #[test]
    fn line_spans_count_code_points_and_skip_blank_lines() {
        let t = "𠀀一\n\n  \n二三";
        assert_eq!(line_spans(t), vec![(0, 2), (7, 9)]);
    }
}
