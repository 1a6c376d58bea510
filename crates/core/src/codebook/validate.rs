//! Semantic checks on a parsed codebook (ids, keywords, scales, colours), each problem placed
//! at its line and column in the source text.

use std::collections::{HashMap, HashSet};

use super::locate::{KeyAt, Pos, Source};
use super::Codebook;

/// Deepest node level allowed (roots are 0); real codebooks stay far below it.
pub(crate) const MAX_DEPTH: usize = 12;

/// Longest keyword (or exclusion keyword), in characters. Keywords are words and short
/// phrases (the bundled codebooks' longest has 24 characters); one of 100,000 characters kept
/// the coding screen building its keyword matcher for over a minute.
pub(crate) const MAX_KEYWORD_CHARS: usize = 100;

/// Most keywords in one node's `keywords` (and, separately, its `exclude_keywords`).
pub(crate) const MAX_KEYWORDS_PER_NODE: usize = 1_000;

/// Most keywords and exclusion keywords in the whole codebook (the bundled ones have a few
/// hundred); the keyword matcher is built from all of them at every start.
pub(crate) const MAX_KEYWORDS: usize = 50_000;

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
    // Ids by value and by look-alike form, so each node is checked in constant time.
    let mut first_seen: HashMap<&str, usize> = HashMap::new();
    let mut look_alike: HashMap<String, usize> = HashMap::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, node) in cb.nodes.iter().enumerate() {
        index.entry(node.id.as_str()).or_insert(i);
    }
    let mut keywords_so_far = 0usize;
    let mut total_reported = false;
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
        } else if let Some(c) = crate::lookalike::invisible_char(id) {
            first_seen.insert(id, i);
            err(
                id_pos,
                format!(
                    "node id {id:?} contains the invisible character U+{:04X}; ids must look \
                     like what they are",
                    c as u32
                ),
            );
        } else {
            first_seen.insert(id, i);
            match look_alike.entry(crate::lookalike::skeleton(id)) {
                std::collections::hash_map::Entry::Occupied(e) => {
                    let other = &cb.nodes[*e.get()].id;
                    let line = src
                        .id_entry(other, occurrence[*e.get()])
                        .map_or(1, |k| k.value_pos().line);
                    err(
                        id_pos,
                        format!(
                            "node id {id:?} looks like {other:?} on line {line}: ids may not \
                             differ only in case, width, Unicode normalisation or invisible \
                             characters"
                        ),
                    );
                }
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(i);
                }
            }
        }
        if let Some(msg) = parent_mismatch(cb, &index, i) {
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
        // Every item's position, found in one pass over each list (not one pass per item).
        let positions = |key: Option<KeyAt>| {
            let mut by_value: HashMap<String, Vec<Pos>> = HashMap::new();
            for (pos, value) in key.map(|k| src.seq_items(&k)).unwrap_or_default() {
                by_value.entry(value).or_default().push(pos);
            }
            by_value
        };
        let kw_positions = positions(kw_key);
        let ex_positions = positions(ex_key);
        let item_pos =
            |by_value: &HashMap<String, Vec<Pos>>, key: Option<KeyAt>, value: &str, nth: usize| {
                by_value
                    .get(value)
                    .and_then(|v| v.get(nth))
                    .copied()
                    .or(key.map(|k| k.value_pos()))
                    .unwrap_or(id_pos)
            };
        for (list, key, by_value, what) in [
            (&node.keywords, kw_key, &kw_positions, "keyword"),
            (
                &node.exclude_keywords,
                ex_key,
                &ex_positions,
                "exclusion keyword",
            ),
        ] {
            if list.len() > MAX_KEYWORDS_PER_NODE {
                err(
                    key.map_or(id_pos, |k| k.value_pos()),
                    format!(
                        "node `{id}` has {} {what}s; at most {MAX_KEYWORDS_PER_NODE} are \
                         allowed per node (keep the words that tell it apart)",
                        list.len()
                    ),
                );
            }
            let mut seen: HashSet<String> = HashSet::new();
            let mut nth: HashMap<&str, usize> = HashMap::new();
            for kw in list {
                let n = nth.entry(kw.as_str()).or_insert(0);
                let pos = item_pos(by_value, key, kw, *n);
                *n += 1;
                keywords_so_far += 1;
                if keywords_so_far > MAX_KEYWORDS && !total_reported {
                    total_reported = true;
                    err(
                        pos,
                        format!(
                            "more than {MAX_KEYWORDS} keywords and exclusion keywords in the \
                             codebook (this is number {keywords_so_far}); at most \
                             {MAX_KEYWORDS} are allowed"
                        ),
                    );
                }
                let chars = kw.chars().count();
                if chars > MAX_KEYWORD_CHARS {
                    err(
                        pos,
                        format!(
                            "{what} of `{id}` is {chars} characters long; at most \
                             {MAX_KEYWORD_CHARS} are allowed"
                        ),
                    );
                    continue;
                }
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
                    item_pos(&ex_positions, ex_key, kw, 0),
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
fn parent_mismatch(cb: &Codebook, index: &HashMap<&str, usize>, i: usize) -> Option<String> {
    let node = &cb.nodes[i];
    let (prefix, _) = node.id.rsplit_once('.')?;
    match node.parent {
        Some(p) if cb.nodes[p].id == prefix => None,
        Some(p) => Some(format!(
            "node `{}` is nested under `{}`, but its id names `{prefix}` as its parent",
            node.id, cb.nodes[p].id
        )),
        None if index.contains_key(prefix) => Some(format!(
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
