//! Finding where a value sits in codebook YAML source text, for errors that serde cannot place
//! (duplicate ids, bad keywords, scales, colours are found after parsing, when spans are gone).
//!
//! This is a line scanner for the block style the shipped codebooks use, with some flow-style
//! support (`keywords: [a, b]`, `{id: x, ...}`). It never fails: when it cannot find a more
//! precise spot it falls back to the node's `id:` entry, and then to 1:1.

use std::collections::HashMap;

/// A 1-based line and column (columns count characters, as libyaml does).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    /// The start of the file, used when nothing better is known.
    pub(crate) const START: Pos = Pos { line: 1, column: 1 };
}

/// A `key: value` entry found in the source (0-based line and character columns).
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeyAt {
    line: usize,
    key_col: usize,
    value_col: usize,
    /// Found inside a flow mapping (`{...}`), where block-indentation rules do not apply.
    flow: bool,
}

impl KeyAt {
    /// Where the value starts (or just after the colon when the value is on later lines).
    pub(crate) fn value_pos(&self) -> Pos {
        Pos {
            line: self.line + 1,
            column: self.value_col + 1,
        }
    }
}

/// The source text split into lines of characters, so no byte index ever cuts a character.
///
/// The mapping keys of every line and the `id:` entries by value are found once, in
/// [`Source::new`], so that placing every node's problems stays linear in the size of the file
/// (looking each node's `id:` up by scanning the text made 10,000 nodes take minutes).
pub(crate) struct Source {
    lines: Vec<Vec<char>>,
    /// Mapping keys on each line.
    keys: Vec<Vec<KeyAt>>,
    /// `id:` entries by their value, in file order.
    ids: HashMap<String, Vec<KeyAt>>,
}

impl Source {
    /// Splits `text` into lines; `\r\n` counts as one break like in libyaml.
    pub(crate) fn new(text: &str) -> Source {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let lines: Vec<Vec<char>> = text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l).chars().collect())
            .collect();
        let keys: Vec<Vec<KeyAt>> = lines
            .iter()
            .enumerate()
            .map(|(l, chars)| keys_on_line(chars, l))
            .collect();
        let mut source = Source {
            lines,
            keys,
            ids: HashMap::new(),
        };
        let mut ids: HashMap<String, Vec<KeyAt>> = HashMap::new();
        for k in source.keys.iter().flatten() {
            if source.key_is(k, "id") {
                ids.entry(source.scalar_at(k)).or_default().push(*k);
            }
        }
        source.ids = ids;
        source
    }

    /// Whether the entry `k` has the key `name` (without allocating).
    fn key_is(&self, k: &KeyAt, name: &str) -> bool {
        let chars = &self.lines[k.line];
        let mut n = name.chars();
        let mut at = k.key_col;
        loop {
            match (chars.get(at), n.next()) {
                (Some(':'), None) => return true,
                (Some(c), Some(x)) if *c == x => at += 1,
                _ => return false,
            }
        }
    }

    /// Keys on lines `[start, end)`.
    fn keys_in(&self, start: usize, end: usize) -> impl Iterator<Item = &KeyAt> {
        self.keys[start..end].iter().flatten()
    }

    /// The first entry of a top-level key such as `name:` or `nodes:`.
    pub(crate) fn top_key(&self, key: &str) -> Option<KeyAt> {
        self.keys_in(0, self.lines.len())
            .find(|k| k.key_col == 0 && self.key_is(k, key))
            .copied()
    }

    /// The `nth` (0-based) `id:` entry whose value is `id`, or the last one if there are fewer
    /// (aliases can repeat a node without repeating its text).
    pub(crate) fn id_entry(&self, id: &str, nth: usize) -> Option<KeyAt> {
        let found = self.ids.get(id)?;
        found.get(nth).or(found.last()).copied()
    }

    /// The entry `key:` belonging to the same mapping (node) as `anchor`, an entry of that node.
    pub(crate) fn sibling_key(&self, anchor: &KeyAt, key: &str) -> Option<KeyAt> {
        if anchor.flow {
            return self.keys[anchor.line]
                .iter()
                .find(|k| k.flow && k.key_col > anchor.key_col && self.key_is(k, key))
                .copied();
        }
        let (start, end) = self.block_extent(anchor);
        self.keys_in(start, end)
            .find(|k| !k.flow && k.key_col == anchor.key_col && self.key_is(k, key))
            .copied()
    }

    /// The `nth` (0-based) item equal to `value` in the sequence that is the value of `key`.
    /// Scans the whole sequence: to place many items, use [`Source::seq_items`] once.
    #[cfg(test)]
    pub(crate) fn seq_item(&self, key: &KeyAt, value: &str, nth: usize) -> Option<Pos> {
        self.seq_items(key)
            .into_iter()
            .filter(|(_, v)| v == value)
            .nth(nth)
            .map(|(p, _)| p)
    }

    /// The `nth` (0-based) `field: value` entry (e.g. `value: 2` in scale levels) inside the
    /// block of `key`, whose scalar equals `value`.
    pub(crate) fn nested_entry(
        &self,
        key: &KeyAt,
        field: &str,
        value: &str,
        nth: usize,
    ) -> Option<Pos> {
        let (_, end) = self.block_extent(key);
        let mut end_line = end;
        // The block of `key` ends at the next line indented no deeper than the key itself.
        for l in key.line + 1..end {
            if let Some(ind) = content_indent(&self.lines[l]) {
                if ind <= key.key_col {
                    end_line = l;
                    break;
                }
            }
        }
        self.keys_in(key.line, end_line)
            .filter(|k| k.line > key.line || k.key_col > key.key_col)
            .filter(|k| self.key_is(k, field) && self.scalar_at(k) == value)
            .nth(nth)
            .map(|k| k.value_pos())
    }

    /// Lines `[start, end)` of the block mapping that contains the entry `anchor`.
    fn block_extent(&self, anchor: &KeyAt) -> (usize, usize) {
        let col = anchor.key_col;
        let mut start = anchor.line;
        // Walk back over earlier keys of the same mapping, up to its `- ` line.
        if !starts_item(&self.lines[start], col) {
            while start > 0 {
                let prev = &self.lines[start - 1];
                match content_indent(prev) {
                    None => start -= 1,
                    Some(_) if starts_item(prev, col) => {
                        start -= 1;
                        break;
                    }
                    Some(ind) if ind >= col => start -= 1,
                    Some(_) => break,
                }
            }
        }
        let mut end = anchor.line + 1;
        while end < self.lines.len() {
            match content_indent(&self.lines[end]) {
                Some(ind) if ind < col => break,
                _ => end += 1,
            }
        }
        (start, end)
    }

    /// All items of the sequence that is the value of `key`, with their positions.
    pub(crate) fn seq_items(&self, key: &KeyAt) -> Vec<(Pos, String)> {
        let line = &self.lines[key.line];
        let rest_start = skip_spaces(line, key.value_col);
        if line.get(rest_start) == Some(&'[') {
            return self.flow_items(key.line, rest_start + 1);
        }
        let mut items = Vec::new();
        let mut item_indent = None;
        for l in key.line + 1..self.lines.len() {
            let chars = &self.lines[l];
            let Some(ind) = content_indent(chars) else {
                continue;
            };
            let is_dash = chars[ind] == '-' && chars.get(ind + 1).is_none_or(|c| *c == ' ');
            if ind < key.key_col || (ind == key.key_col && !is_dash) {
                break;
            }
            match item_indent {
                None if is_dash => item_indent = Some(ind),
                None => break,
                Some(i) if ind < i => break,
                _ => {}
            }
            if is_dash && Some(ind) == item_indent {
                let at = skip_spaces(chars, ind + 1);
                let pos = Pos {
                    line: l + 1,
                    column: at + 1,
                };
                items.push((pos, decode_scalar(&chars[at..], false)));
            }
        }
        items
    }

    /// Items of a flow sequence starting at (`line`, `col`), which may span lines.
    fn flow_items(&self, mut line: usize, mut col: usize) -> Vec<(Pos, String)> {
        let mut items = Vec::new();
        let mut item: Option<(Pos, Vec<char>)> = None;
        let mut quote: Option<char> = None;
        let mut depth = 0usize;
        while line < self.lines.len() {
            let chars = &self.lines[line];
            while col < chars.len() {
                let c = chars[col];
                match (quote, c) {
                    (Some(q), _) if c == q => quote = None,
                    (Some(_), _) => {}
                    (None, '\'' | '"') => quote = Some(c),
                    (None, '[' | '{') => depth += 1,
                    (None, ']' | '}') if depth > 0 => depth -= 1,
                    (None, ']') | (None, ',') if depth == 0 => {
                        if let Some((pos, text)) = item.take() {
                            items.push((pos, decode_scalar(&text, true)));
                        }
                        if c == ']' {
                            return items;
                        }
                        col += 1;
                        continue;
                    }
                    (None, '#') if col > 0 && chars[col - 1] == ' ' => break,
                    _ => {}
                }
                match &mut item {
                    Some((_, text)) => text.push(c),
                    None if c != ' ' => {
                        let pos = Pos {
                            line: line + 1,
                            column: col + 1,
                        };
                        item = Some((pos, vec![c]));
                    }
                    None => {}
                }
                col += 1;
            }
            if let Some((_, text)) = &mut item {
                text.push(' ');
            }
            line += 1;
            col = 0;
        }
        items
    }

    fn scalar_at(&self, k: &KeyAt) -> String {
        let chars = &self.lines[k.line];
        let at = skip_spaces(chars, k.value_col).min(chars.len());
        decode_scalar(&chars[at..], k.flow)
    }
}

/// Column of the first non-space character, or `None` for blank and comment-only lines.
fn content_indent(chars: &[char]) -> Option<usize> {
    let ind = chars.iter().position(|c| *c != ' ')?;
    (chars[ind] != '#').then_some(ind)
}

/// Whether a `- ` at this line's indentation starts a mapping whose keys sit at `col`.
fn starts_item(chars: &[char], col: usize) -> bool {
    col >= 2 && chars.get(col - 2) == Some(&'-') && chars.get(col - 1) == Some(&' ')
}

fn skip_spaces(chars: &[char], mut at: usize) -> usize {
    while chars.get(at) == Some(&' ') {
        at += 1;
    }
    at
}

/// Mapping keys on one line: the block key after indentation and `- ` markers, and keys right
/// after `{` or `,` in flow mappings.
fn keys_on_line(chars: &[char], line: usize) -> Vec<KeyAt> {
    let mut keys = Vec::new();
    let mut at = skip_spaces(chars, 0);
    while chars.get(at) == Some(&'-') && chars.get(at + 1) == Some(&' ') {
        at = skip_spaces(chars, at + 2);
    }
    if let Some(k) = key_at(chars, line, at, false) {
        keys.push(k);
    }
    let mut quote = None;
    for (i, c) in chars.iter().enumerate() {
        match (quote, *c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(*c),
            (None, '{' | ',') => {
                if let Some(k) = key_at(chars, line, skip_spaces(chars, i + 1), true) {
                    keys.push(k);
                }
            }
            (None, '#') if i > 0 && chars[i - 1] == ' ' => break,
            _ => {}
        }
    }
    keys
}

fn key_at(chars: &[char], line: usize, at: usize, flow: bool) -> Option<KeyAt> {
    let len = chars[at.min(chars.len())..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '_' || **c == '-')
        .count();
    if len == 0 || chars.get(at + len) != Some(&':') {
        return None;
    }
    let after = chars.get(at + len + 1);
    if !(after.is_none() || after == Some(&' ')) {
        return None;
    }
    Some(KeyAt {
        line,
        key_col: at,
        value_col: skip_spaces(chars, at + len + 1),
        flow,
    })
}

/// The value of a scalar written at the start of `chars`: quoted, or plain up to a comment
/// (and, in flow context, up to `,` `]` `}`).
pub(crate) fn decode_scalar(chars: &[char], flow: bool) -> String {
    match chars.first() {
        Some('\'') => {
            let mut out = String::new();
            let mut i = 1;
            while i < chars.len() {
                match chars[i] {
                    '\'' if chars.get(i + 1) == Some(&'\'') => {
                        out.push('\'');
                        i += 1;
                    }
                    '\'' => break,
                    c => out.push(c),
                }
                i += 1;
            }
            out
        }
        Some('"') => {
            let mut out = String::new();
            let mut i = 1;
            while i < chars.len() {
                match chars[i] {
                    '\\' if i + 1 < chars.len() => {
                        i += 1;
                        out.push(match chars[i] {
                            'n' => '\n',
                            't' => '\t',
                            c => c,
                        });
                    }
                    '"' => break,
                    c => out.push(c),
                }
                i += 1;
            }
            out
        }
        _ => {
            let mut out = String::new();
            for (i, c) in chars.iter().enumerate() {
                if (*c == '#' && i > 0 && chars[i - 1] == ' ')
                    || (flow && matches!(c, ',' | ']' | '}'))
                {
                    break;
                }
                out.push(*c);
            }
            out.trim().to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "name: t\nnodes:\n  - id: a\n    keywords: [x, 'y', \"z\"]\n    children:\n      - id: a.b\n        keywords:\n          - 人才\n          - 人才 # again\n        color: '#fff'\n    color: \"#00ff00\"\n  - {id: c, color: red}\n";

    #[test]
    fn finds_ids_keys_and_items() {
        let s = Source::new(TEXT);
        let a = s.id_entry("a", 0).unwrap();
        assert_eq!(a.value_pos(), Pos { line: 3, column: 9 });
        let kw = s.sibling_key(&a, "keywords").unwrap();
        assert_eq!(
            s.seq_item(&kw, "z", 0),
            Some(Pos {
                line: 4,
                column: 24
            })
        );
        // The child's colour is not the parent's.
        let color = s.sibling_key(&a, "color").unwrap();
        assert_eq!(
            color.value_pos(),
            Pos {
                line: 11,
                column: 12
            }
        );
        let b = s.id_entry("a.b", 0).unwrap();
        let kw = s.sibling_key(&b, "keywords").unwrap();
        assert_eq!(
            s.seq_item(&kw, "人才", 1),
            Some(Pos {
                line: 9,
                column: 13
            })
        );
        let c = s.id_entry("c", 0).unwrap();
        assert_eq!(
            c.value_pos(),
            Pos {
                line: 12,
                column: 10
            }
        );
        let color = s.sibling_key(&c, "color").unwrap();
        assert_eq!(
            color.value_pos(),
            Pos {
                line: 12,
                column: 20
            }
        );
        assert_eq!(s.top_key("nodes").unwrap().value_pos().line, 2);
    }

    #[test]
    fn decodes_scalars() {
        let d = |s: &str, f| decode_scalar(&s.chars().collect::<Vec<_>>(), f);
        assert_eq!(d("'it''s' # c", false), "it's");
        assert_eq!(d("\"a\\\"b\"", false), "a\"b");
        assert_eq!(d("税收 优惠 # note", false), "税收 优惠");
        assert_eq!(d("x, y]", true), "x");
    }
}
