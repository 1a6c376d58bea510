//! Semantic checks on a parsed codebook (ids, keywords, scales, colours), each problem placed
//! at its line and column in the source text.

use std::collections::{HashMap, HashSet};

use super::locate::{KeyAt, Pos, Source};
use super::Codebook;

/// Deepest node level allowed (roots are 0); real codebooks stay far below it.
pub const MAX_DEPTH: usize = 12;

/// All problems found, unsorted. `occurrence[i]` says which textual `id:` entry is node `i`.
pub(crate) fn check(cb: &Codebook, occurrence: &[usize], src: &Source) -> Vec<(Pos, String)> {
    let mut errors = Vec::new();
    if cb.name.trim().is_empty() {
        let pos = src.top_key("name").map_or(Pos::START, |k| k.value_pos());
        errors.push((pos, "the codebook has an empty `name`".to_string()));
    }
    if cb.nodes.is_empty() {
        let pos = src.top_key("nodes").map_or(Pos::START, |k| k.value_pos());
        errors.push((pos, "the codebook has no nodes".to_string()));
    }
    for (key, text) in [("name", &cb.name), ("description", &cb.description)] {
        if let Some(c) = unsafe_char(text) {
            let pos = src.top_key(key).map_or(Pos::START, |k| k.value_pos());
            errors.push((pos, unsafe_message(&format!("the codebook's {key}"), c)));
        }
    }
    let mut first_seen: HashMap<&str, usize> = HashMap::new();
    for (i, node) in cb.nodes.iter().enumerate() {
        let entry = src.id_entry(&node.id, occurrence[i]);
        let id_pos = entry.map_or(Pos::START, |k| k.value_pos());
        let mut err = |pos: Pos, msg: String| errors.push((pos, msg));
        let id = &node.id;

        if id.is_empty() {
            err(id_pos, "empty node id".into());
        } else if id.chars().any(char::is_whitespace) {
            err(id_pos, format!("node id {id:?} contains whitespace"));
        } else if let Some(&first) = first_seen.get(id.as_str()) {
            let line = src
                .id_entry(id, occurrence[first])
                .map_or(1, |k| k.value_pos().line);
            err(
                id_pos,
                format!("duplicate node id `{id}` (first used on line {line})"),
            );
        } else {
            first_seen.insert(id, i);
        }
        if let Some(msg) = parent_mismatch(cb, i) {
            err(id_pos, msg);
        }
        if node.depth > MAX_DEPTH {
            err(
                id_pos,
                format!("node `{id}` is nested deeper than {MAX_DEPTH} levels"),
            );
        }

        let at_key = |key: &str| entry.and_then(|e| src.sibling_key(&e, key));
        let kw_key = at_key("keywords");
        let ex_key = at_key("exclude_keywords");
        let item_pos = |key: Option<KeyAt>, value: &str, nth: usize| {
            key.and_then(|k| src.seq_item(&k, value, nth).or(Some(k.value_pos())))
                .unwrap_or(id_pos)
        };
        for (list, key, what) in [
            (&node.keywords, kw_key, "keyword"),
            (&node.exclude_keywords, ex_key, "exclusion keyword"),
        ] {
            let mut seen: HashSet<String> = HashSet::new();
            let mut nth: HashMap<&str, usize> = HashMap::new();
            for kw in list {
                let n = nth.entry(kw.as_str()).or_insert(0);
                let pos = item_pos(key, kw, *n);
                *n += 1;
                if kw.trim().is_empty() {
                    err(pos, format!("empty {what} in node `{id}`"));
                    continue;
                }
                if kw.trim() != kw {
                    err(
                        pos,
                        format!("{what} {kw:?} in node `{id}` has surrounding spaces"),
                    );
                }
                // Matching ignores case for English, so `AI` and `ai` are the same keyword.
                let folded = kw.trim().to_lowercase();
                if !seen.insert(folded) {
                    err(pos, format!("duplicate {what} {kw:?} in node `{id}`"));
                }
            }
        }
        let included: HashSet<String> = node
            .keywords
            .iter()
            .map(|k| k.trim().to_lowercase())
            .collect();
        for kw in &node.exclude_keywords {
            if !kw.trim().is_empty() && included.contains(&kw.trim().to_lowercase()) {
                err(
                    item_pos(ex_key, kw, 0),
                    format!("{kw:?} is both a keyword and an exclusion keyword of `{id}`"),
                );
            }
        }

        // Text shown on the terminal must not carry escape sequences or bidi overrides.
        let mut fields: Vec<(&str, &str, &str)> = vec![
            ("id", "id", id.as_str()),
            ("name", "English name", &node.name_en),
            ("name", "Chinese name", &node.name_zh),
            ("definition", "definition", &node.definition),
            ("include", "inclusion note", &node.include),
            ("exclude", "exclusion note", &node.exclude),
        ];
        for (key, what, list) in [
            ("examples", "example", &node.examples),
            ("keywords", "keyword", &node.keywords),
            (
                "exclude_keywords",
                "exclusion keyword",
                &node.exclude_keywords,
            ),
        ] {
            fields.extend(list.iter().map(|t| (key, what, t.as_str())));
        }
        if let Some(scale) = &node.scale {
            for l in &scale.levels {
                fields.push(("scale", "scale label", &l.label));
                fields.push(("scale", "scale description", &l.description));
            }
        }
        for (key, what, text) in fields {
            if let Some(c) = unsafe_char(text) {
                let pos = if key == "id" {
                    id_pos
                } else {
                    at_key(key).map_or(id_pos, |k| k.value_pos())
                };
                err(pos, unsafe_message(&format!("the {what} of `{id}`"), c));
            }
        }

        if let Some(scale) = &node.scale {
            let key = at_key("scale");
            let scale_pos = key.map_or(id_pos, |k| k.value_pos());
            if scale.levels.is_empty() {
                err(scale_pos, format!("the scale of `{id}` has no levels"));
            }
            let mut seen: HashMap<i32, usize> = HashMap::new();
            for level in &scale.levels {
                let n = seen.entry(level.value).or_insert(0);
                if *n > 0 {
                    let value = level.value.to_string();
                    let pos = key
                        .and_then(|k| src.nested_entry(&k, "value", &value, *n))
                        .unwrap_or(scale_pos);
                    err(pos, format!("the scale of `{id}` repeats value {value}"));
                }
                *n += 1;
            }
        }
        if let Some(color) = &node.color {
            if !is_hex_color(color) {
                let pos = at_key("color").map_or(id_pos, |k| k.value_pos());
                err(pos, format!("colour {color:?} of `{id}` is not #rrggbb"));
            }
        }
    }
    errors
}

/// A dotted id names its parent: `supply.human-resources` must sit under `supply`.
fn parent_mismatch(cb: &Codebook, i: usize) -> Option<String> {
    let node = &cb.nodes[i];
    let (prefix, _) = node.id.rsplit_once('.')?;
    match node.parent {
        Some(p) if cb.nodes[p].id == prefix => None,
        Some(p) => Some(format!(
            "node `{}` is nested under `{}`, but its id names `{prefix}` as its parent",
            node.id, cb.nodes[p].id
        )),
        None if cb.get(prefix).is_some() => Some(format!(
            "node `{}` names `{prefix}` as its parent but is not nested under it",
            node.id
        )),
        None => Some(format!(
            "node `{}` names an unknown parent `{prefix}`",
            node.id
        )),
    }
}

/// The first character that must not reach a terminal ([`crate::termsafe`]; newline and tab
/// are allowed in multi-line fields): ESC starts escape sequences such as OSC 52 clipboard
/// writes, a bidirectional override reorders what is displayed.
fn unsafe_char(s: &str) -> Option<char> {
    crate::termsafe::first_unsafe_in_text(s)
}

fn unsafe_message(what: &str, c: char) -> String {
    format!(
        "{what} contains the control character U+{:04X}; control characters and bidi \
         overrides are not allowed (they would reach the terminal)",
        c as u32
    )
}

fn is_hex_color(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 7 && b[0] == b'#' && b[1..].iter().all(u8::is_ascii_hexdigit)
}
