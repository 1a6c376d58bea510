//! CMaps embedded in a PDF: a font's `/ToUnicode` map (codes to Unicode text) and an embedded
//! `/Encoding` CMap of a composite font (only its code space ranges are used, to cut a string
//! into codes). The PostScript-like syntax is tokenised leniently: unknown operators are
//! skipped, and a malformed entry drops that entry, never the map.

use std::collections::HashMap;

/// One code space range: codes of `len` bytes whose every byte lies between the bytes of
/// `lo` and `hi` at the same position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CodeRange {
    pub len: u8,
    pub lo: [u8; 4],
    pub hi: [u8; 4],
}

impl CodeRange {
    fn contains(&self, bytes: &[u8]) -> bool {
        bytes.len() == self.len as usize
            && bytes
                .iter()
                .enumerate()
                .all(|(i, &b)| self.lo[i] <= b && b <= self.hi[i])
    }
}

/// How a string of a font is cut into codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CodeSpace {
    ranges: Vec<CodeRange>,
}

impl CodeSpace {
    /// Every code is `len` bytes (1 for simple fonts, 2 for `Identity-H`).
    pub(crate) fn fixed(len: u8) -> CodeSpace {
        CodeSpace {
            ranges: vec![CodeRange {
                len,
                lo: [0; 4],
                hi: [0xff; 4],
            }],
        }
    }

    /// The given ranges; an empty list means two-byte codes.
    pub(crate) fn new(ranges: Vec<CodeRange>) -> CodeSpace {
        if ranges.is_empty() {
            CodeSpace::fixed(2)
        } else {
            CodeSpace { ranges }
        }
    }

    /// Cuts `bytes` into codes `(code, length)`: the shortest prefix inside a range is a code;
    /// a byte that starts no code is taken alone (PDF 32000-1, 9.7.6.2).
    pub(crate) fn codes<'a>(&'a self, bytes: &'a [u8]) -> impl Iterator<Item = (u32, u8)> + 'a {
        let mut i = 0;
        std::iter::from_fn(move || {
            if i >= bytes.len() {
                return None;
            }
            let rest = &bytes[i..];
            let mut take = 0usize;
            for n in 1..=4usize.min(rest.len()) {
                if self.ranges.iter().any(|r| r.contains(&rest[..n])) {
                    take = n;
                    break;
                }
            }
            if take == 0 {
                // No range matches: take as many bytes as the shortest range that starts with a
                // matching first byte, else one byte.
                take = self
                    .ranges
                    .iter()
                    .filter(|r| r.lo[0] <= rest[0] && rest[0] <= r.hi[0])
                    .map(|r| r.len as usize)
                    .min()
                    .unwrap_or(1)
                    .min(rest.len());
            }
            let code = rest[..take]
                .iter()
                .fold(0u32, |acc, &b| (acc << 8) | b as u32);
            i += take;
            Some((code, take as u8))
        })
    }
}

/// A `/ToUnicode` map: code (with its length) to text.
#[derive(Debug, Clone, Default)]
pub(crate) struct ToUnicode {
    chars: HashMap<u64, String>,
    /// `(lo, hi, len, first)`: code `lo + k` maps to `first` with its last character plus `k`.
    ranges: Vec<(u32, u32, u8, String)>,
    pub space: Vec<CodeRange>,
}

fn key(code: u32, len: u8) -> u64 {
    ((len as u64) << 32) | code as u64
}

impl ToUnicode {
    /// The text of a code, if the map has it.
    pub(crate) fn get(&self, code: u32, len: u8) -> Option<std::borrow::Cow<'_, str>> {
        if let Some(s) = self.chars.get(&key(code, len)) {
            return Some(std::borrow::Cow::Borrowed(s));
        }
        let r = self
            .ranges
            .iter()
            .find(|(lo, hi, l, _)| *l == len && *lo <= code && code <= *hi)?;
        let mut s: Vec<char> = r.3.chars().collect();
        let last = s.pop()?;
        // A hostile range can point past the last code point: no character, not an overflow.
        let c = char::from_u32((last as u32).checked_add(code - r.0)?)?;
        s.push(c);
        Some(std::borrow::Cow::Owned(s.into_iter().collect()))
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.chars.is_empty() && self.ranges.is_empty()
    }
}

/// A token of a CMap file.
#[derive(Debug, Clone, PartialEq)]
enum Tok<'a> {
    Hex(Vec<u8>),
    Int(i64),
    Name(&'a [u8]),
    Word(&'a [u8]),
    Open,
    Close,
}

fn tokens(data: &[u8]) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() {
        let c = data[i];
        match c {
            b'%' => {
                while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if data.get(i + 1) == Some(&b'<') => i += 2,
            b'>' if data.get(i + 1) == Some(&b'>') => i += 2,
            b'<' => {
                let start = i + 1;
                let end = data[start..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(data.len(), |p| start + p);
                out.push(Tok::Hex(hex_bytes(&data[start..end])));
                i = end + 1;
            }
            b'[' => {
                out.push(Tok::Open);
                i += 1;
            }
            b']' => {
                out.push(Tok::Close);
                i += 1;
            }
            b'(' => {
                // A literal string (in CMap names and registry entries): skipped whole.
                let mut depth = 0;
                while i < data.len() {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            b'/' => {
                let start = i + 1;
                i = start;
                while i < data.len() && is_regular(data[i]) {
                    i += 1;
                }
                out.push(Tok::Name(&data[start..i]));
            }
            c if c.is_ascii_whitespace() || c == 0 => i += 1,
            _ => {
                let start = i;
                while i < data.len() && is_regular(data[i]) {
                    i += 1;
                }
                if i == start {
                    i += 1;
                    continue;
                }
                let w = &data[start..i];
                match std::str::from_utf8(w).ok().and_then(|s| s.parse().ok()) {
                    Some(n) => out.push(Tok::Int(n)),
                    None => out.push(Tok::Word(w)),
                }
            }
        }
    }
    out
}

fn is_regular(b: u8) -> bool {
    !b.is_ascii_whitespace() && !b"()<>[]{}/%".contains(&b) && b != 0
}

fn hex_bytes(s: &[u8]) -> Vec<u8> {
    let digits: Vec<u8> = s
        .iter()
        .filter_map(|&b| (b as char).to_digit(16).map(|d| d as u8))
        .collect();
    digits
        .chunks(2)
        .map(|p| (p[0] << 4) | p.get(1).copied().unwrap_or(0))
        .collect()
}

fn code_of(b: &[u8]) -> Option<(u32, u8)> {
    (!b.is_empty() && b.len() <= 4).then(|| {
        (
            b.iter().fold(0u32, |a, &x| (a << 8) | x as u32),
            b.len() as u8,
        )
    })
}

/// UTF-16BE text of a ToUnicode destination; unpaired surrogates are dropped.
fn utf16_text(b: &[u8]) -> String {
    let units: Vec<u16> = b
        .chunks(2)
        .map(|p| ((p[0] as u16) << 8) | p.get(1).copied().unwrap_or(0) as u16)
        .collect();
    char::decode_utf16(units).filter_map(Result::ok).collect()
}

/// Largest range expanded into single entries; wider ranges are kept as ranges.
const MAX_EXPAND: u32 = 256;
/// Most entries read from one CMap (a hostile file cannot make the map huge).
const MAX_ENTRIES: usize = 200_000;

/// Parses the code space ranges and `bf` mappings of a CMap stream.
pub(crate) fn parse_to_unicode(data: &[u8]) -> ToUnicode {
    let toks = tokens(data);
    let mut map = ToUnicode::default();
    let mut i = 0;
    let mut entries = 0usize;
    while i < toks.len() {
        let Tok::Word(w) = &toks[i] else {
            i += 1;
            continue;
        };
        i += 1;
        match *w {
            b"begincodespacerange" => {
                while let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi))) = (toks.get(i), toks.get(i + 1))
                {
                    if lo.len() == hi.len() && (1..=4).contains(&lo.len()) {
                        let mut r = CodeRange {
                            len: lo.len() as u8,
                            lo: [0; 4],
                            hi: [0; 4],
                        };
                        r.lo[..lo.len()].copy_from_slice(lo);
                        r.hi[..hi.len()].copy_from_slice(hi);
                        map.space.push(r);
                    }
                    i += 2;
                }
            }
            b"beginbfchar" => {
                while let (Some(Tok::Hex(src)), Some(dst)) = (toks.get(i), toks.get(i + 1)) {
                    if let (Some((code, len)), Tok::Hex(dst)) = (code_of(src), dst) {
                        if entries < MAX_ENTRIES {
                            map.chars.insert(key(code, len), utf16_text(dst));
                            entries += 1;
                        }
                    }
                    i += 2;
                }
            }
            b"beginbfrange" => {
                while let (Some(Tok::Hex(lo)), Some(Tok::Hex(hi))) = (toks.get(i), toks.get(i + 1))
                {
                    i += 2;
                    let range = code_of(lo)
                        .zip(code_of(hi))
                        .filter(|((a, la), (b, lb))| la == lb && a <= b);
                    match toks.get(i) {
                        Some(Tok::Hex(dst)) => {
                            i += 1;
                            let Some(((lo, len), (hi, _))) = range else {
                                continue;
                            };
                            let first = utf16_text(dst);
                            if first.is_empty() {
                                continue;
                            }
                            if hi - lo < MAX_EXPAND {
                                let mut chars: Vec<char> = first.chars().collect();
                                let last = chars.pop().unwrap_or('\0') as u32;
                                for k in 0..=(hi - lo) {
                                    if entries >= MAX_ENTRIES {
                                        break;
                                    }
                                    if let Some(c) = char::from_u32(last + k) {
                                        let mut s: String = chars.iter().collect();
                                        s.push(c);
                                        map.chars.insert(key(lo + k, len), s);
                                        entries += 1;
                                    }
                                }
                            } else if entries < MAX_ENTRIES {
                                map.ranges.push((lo, hi, len, first));
                                entries += 1;
                            }
                        }
                        Some(Tok::Open) => {
                            i += 1;
                            let mut k = 0u32;
                            while let Some(Tok::Hex(dst)) = toks.get(i) {
                                if let Some(((lo, len), (hi, _))) = range {
                                    if lo + k <= hi && entries < MAX_ENTRIES {
                                        map.chars.insert(key(lo + k, len), utf16_text(dst));
                                        entries += 1;
                                    }
                                }
                                k += 1;
                                i += 1;
                            }
                            if toks.get(i) == Some(&Tok::Close) {
                                i += 1;
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    map
}

/// The code space ranges of an embedded CMap and the name of the CMap it builds on
/// (`usecmap`), if any.
pub(crate) fn parse_code_space(data: &[u8]) -> (Vec<CodeRange>, Option<String>) {
    let map = parse_to_unicode(data);
    let toks = tokens(data);
    let base = toks.windows(2).find_map(|w| match (&w[0], &w[1]) {
        (Tok::Name(n), Tok::Word(b"usecmap")) => Some(String::from_utf8_lossy(n).into_owned()),
        _ => None,
    });
    (map.space, base)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CMAP: &str = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /Adobe-Identity-UCS def
1 begincodespacerange <0000> <FFFF> endcodespacerange
3 beginbfchar
<0003> <0020>
<0010> <4E2D>
<0011> <D835DC00>
endbfchar
2 beginbfrange
<0020> <0022> <656F>
<0030> <0031> [<0066006C> <5B57>]
endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end";

    #[test]
    fn bfchar_bfrange_and_arrays() {
        let m = parse_to_unicode(CMAP.as_bytes());
        assert_eq!(m.get(0x10, 2).as_deref(), Some("中"));
        assert_eq!(m.get(0x03, 2).as_deref(), Some(" "));
        assert_eq!(m.get(0x11, 2).as_deref(), Some("\u{1D400}"));
        assert_eq!(m.get(0x21, 2).as_deref(), Some("数"));
        assert_eq!(m.get(0x22, 2).as_deref(), Some("\u{6571}"));
        assert_eq!(m.get(0x30, 2).as_deref(), Some("fl"));
        assert_eq!(m.get(0x31, 2).as_deref(), Some("字"));
        assert_eq!(m.get(0x10, 1), None);
        assert_eq!(m.space.len(), 1);
    }

    #[test]
    fn wide_ranges_are_kept_as_ranges() {
        let m = parse_to_unicode(b"1 beginbfrange <0000> <FFFF> <0000> endbfrange");
        assert_eq!(m.get(0x4E2D, 2).as_deref(), Some("中"));
    }

    #[test]
    fn mixed_code_space_cuts_one_and_two_byte_codes() {
        let (space, base) = parse_code_space(
            b"/GBK-EUC-H usecmap 2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange",
        );
        assert_eq!(base.as_deref(), Some("GBK-EUC-H"));
        let cs = CodeSpace::new(space);
        let codes: Vec<(u32, u8)> = cs.codes(&[0x41, 0xD6, 0xD0, 0x31]).collect();
        assert_eq!(codes, vec![(0x41, 1), (0xD6D0, 2), (0x31, 1)]);
        let two: Vec<(u32, u8)> = CodeSpace::fixed(2).codes(&[0, 1, 0xff]).collect();
        assert_eq!(two, vec![(1, 2), (0xff, 1)]);
    }

    #[test]
    fn garbage_never_panics() {
        for s in [
            &b"beginbfrange <00> endbfrange"[..],
            b"beginbfchar <> <> <",
            b"begincodespacerange <0000> <FF> endcodespacerange",
            b"beginbfrange <10> <01> <41> <00> <05> [<41>",
            b"(unterminated \\",
        ] {
            let m = parse_to_unicode(s);
            let _ = m.get(0, 1);
        }
    }
}
