//! Converting selection positions written against a raw source (maybe with a BOM, maybe with
//! CRLF) to code-point positions in the normalised text, choosing the counting convention the
//! exporter used from evidence, and correcting single selections by their stored text.

use super::qdpx::{ImportedSelection, ImportedSource};

/// A counting convention: whether the exporter counted the BOM and the CR of each CRLF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct System {
    bom: bool,
    cr: bool,
}

/// For each position in `sys`, the position in the normalised text (one entry past the end).
fn table(raw: &str, sys: System) -> Vec<usize> {
    let chars: Vec<char> = raw.chars().collect();
    let mut t = Vec::with_capacity(chars.len() + 1);
    let mut n = 0usize;
    for (i, &c) in chars.iter().enumerate() {
        if i == 0 && c == '\u{feff}' {
            if sys.bom {
                t.push(n);
            }
            continue;
        }
        if c == '\r' && chars.get(i + 1) == Some(&'\n') {
            if sys.cr {
                t.push(n);
            }
            continue;
        }
        t.push(n);
        n += 1;
    }
    t.push(n);
    t
}

fn stored_matches(extracted: &str, stored: &str) -> bool {
    let stored = stored.replace("\r\n", "\n");
    if extracted == stored {
        return true;
    }
    // Some exporters store a truncated name ending in an ellipsis.
    let head = stored.trim_end_matches("...").trim_end_matches('…');
    head.len() < stored.len() && !head.is_empty() && extracted.starts_with(head)
}

fn extract(chars: &[char], s: usize, e: usize) -> String {
    chars[s.min(chars.len())..e.min(chars.len())]
        .iter()
        .collect()
}

fn convert(t: &[usize], s: i64, e: i64) -> Option<(usize, usize)> {
    let (s, e) = (usize::try_from(s).ok()?, usize::try_from(e).ok()?);
    let (a, b) = (*t.get(s)?, *t.get(e)?);
    (a <= b).then_some((a, b))
}

fn on_boundaries(chars: &[char], s: usize, e: usize) -> bool {
    (s == 0 || chars.get(s - 1) == Some(&'\n')) && (e == chars.len() || chars.get(e) == Some(&'\n'))
}

/// The nearest occurrence (in code points) of `needle` to `near`.
fn nearest(text: &str, needle: &str, near: usize) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    text.match_indices(needle)
        .map(|(b, _)| text[..b].chars().count())
        .min_by_key(|&p| p.abs_diff(near))
}

/// Places `sels` (raw positions) into `src.selections` with normalised positions.
pub(crate) fn place(
    raw: &str,
    src: &mut ImportedSource,
    sels: Vec<ImportedSelection>,
    warnings: &mut Vec<String>,
) {
    let has_bom = raw.starts_with('\u{feff}');
    let has_crlf = raw.contains("\r\n");
    let mut systems = Vec::new();
    // On equal evidence prefer the file as written minus the BOM: the BOM is not text, a CR is.
    for cr in if has_crlf {
        vec![true, false]
    } else {
        vec![false]
    } {
        for bom in if has_bom {
            vec![false, true]
        } else {
            vec![false]
        } {
            systems.push(System { bom, cr });
        }
    }
    let tables: Vec<Vec<usize>> = systems.iter().map(|&s| table(raw, s)).collect();
    let chars: Vec<char> = src.text.chars().collect();
    let score = |t: &[usize]| -> i64 {
        sels.iter()
            .map(|s| match convert(t, s.raw_start, s.raw_end) {
                None => -100,
                Some((a, b)) => match &s.stored_text {
                    Some(st) if stored_matches(&extract(&chars, a, b), st) => 10,
                    _ => i64::from(on_boundaries(&chars, a, b)),
                },
            })
            .sum()
    };
    let best = (0..systems.len())
        .max_by_key(|&i| (score(&tables[i]), std::cmp::Reverse(i)))
        .unwrap_or(0);
    if systems.len() > 1 {
        let s = systems[best];
        warnings.push(format!(
            "source {:?}: positions read as counting {}",
            src.name,
            match (s.bom, s.cr) {
                (true, true) => "the BOM and one character per CRLF",
                (true, false) => "the BOM as character 0",
                (false, true) => "one character per CRLF",
                (false, false) => "neither the BOM nor CRs (positions in the normalised text)",
            }
        ));
    }
    for mut sel in sels {
        let primary = convert(&tables[best], sel.raw_start, sel.raw_end);
        let mut placed = primary;
        if let Some(st) = sel.stored_text.clone() {
            let ok = |p: Option<(usize, usize)>| {
                p.is_some_and(|(a, b)| stored_matches(&extract(&chars, a, b), &st))
            };
            if !ok(placed) {
                let alt = tables
                    .iter()
                    .map(|t| convert(t, sel.raw_start, sel.raw_end))
                    .find(|&p| ok(p))
                    .flatten();
                let found = alt.or_else(|| {
                    let st_n = st.replace("\r\n", "\n");
                    let near = placed.map_or(0, |p| p.0);
                    nearest(&src.text, &st_n, near).map(|a| (a, a + st_n.chars().count()))
                });
                match found {
                    Some(p) => {
                        warnings.push(format!(
                            "source {:?}: selection {}..{} moved to {}..{} where its stored text is",
                            src.name, sel.raw_start, sel.raw_end, p.0, p.1
                        ));
                        placed = Some(p);
                    }
                    None if placed.is_some() => warnings.push(format!(
                        "source {:?}: selection {}..{} does not hold its stored text; kept at its position",
                        src.name, sel.raw_start, sel.raw_end
                    )),
                    None => {}
                }
            }
        }
        match placed {
            Some((a, b)) => {
                sel.start = a;
                sel.end = b;
                src.selections.push(sel);
            }
            None => src.invalid.push(format!(
                "source {:?}: selection {} ({}..{}, coder {}) lies outside the text ({} characters)",
                src.name,
                sel.guid,
                sel.raw_start,
                sel.raw_end,
                sel.coder,
                chars.len()
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_map_each_convention_to_normalised_positions() {
        let raw = "\u{feff}ab\r\ncd";
        // Normalised: "ab\ncd" (5 chars).
        assert_eq!(
            table(
                raw,
                System {
                    bom: false,
                    cr: false
                }
            ),
            vec![0, 1, 2, 3, 4, 5]
        );
        assert_eq!(
            table(
                raw,
                System {
                    bom: false,
                    cr: true
                }
            ),
            vec![0, 1, 2, 2, 3, 4, 5]
        );
        assert_eq!(
            table(
                raw,
                System {
                    bom: true,
                    cr: true
                }
            ),
            vec![0, 0, 1, 2, 2, 3, 4, 5]
        );
    }
}
