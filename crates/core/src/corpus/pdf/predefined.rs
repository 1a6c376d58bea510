//! The predefined CMaps of composite fonts (PDF 32000-1, 9.7.5.2) that carry their text in a
//! Unicode or national encoding, so a code gives its character without the CMap's own data:
//! `UniGB-UCS2-H` and `UniGB-UTF16-H` (Adobe-GB1, used without `/ToUnicode` by PDFs that
//! name a non-embedded standard font such as STSong-Light), `GBK-EUC-H`, `GB-EUC-H`,
//! `GBpc-EUC-H`, `GBK2K-H`, `GBKp-EUC-H`, the `Uni*-UCS2`/`UTF16` maps of the other CJK
//! collections and `ETen-B5-H`/`B5pc-H`; each with its vertical `-V` twin. `Identity-H` gives
//! CIDs, which name no character by themselves: such a font needs its `/ToUnicode`.

use encoding_rs::{Encoding, BIG5, GB18030, GBK};

use super::cmap::{CodeRange, CodeSpace};

/// How the codes of a predefined CMap become text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decoder {
    /// Two-byte UCS-2 codes are the characters.
    Ucs2,
    /// UTF-16BE: two bytes, or four for a surrogate pair.
    Utf16,
    /// A national multi-byte encoding (GBK, GB 18030, Big5); one-byte codes are ASCII.
    National(&'static Encoding),
    /// Identity: codes are CIDs, text only from `/ToUnicode`.
    Identity,
}

/// A predefined CMap by name: how to cut strings into codes and how codes become text.
pub(crate) fn lookup(name: &str) -> Option<(CodeSpace, Decoder)> {
    let base = name
        .strip_suffix("-H")
        .or_else(|| name.strip_suffix("-V"))?;
    let two = || CodeSpace::fixed(2);
    let euc = |lead_lo: u8, trail_lo: u8| {
        CodeSpace::new(vec![
            range(1, [0x00, 0, 0, 0], [0x80, 0, 0, 0]),
            range(2, [lead_lo, trail_lo, 0, 0], [0xfe, 0xfe, 0, 0]),
        ])
    };
    Some(match base {
        "Identity" => (two(), Decoder::Identity),
        "UniGB-UCS2" | "UniCNS-UCS2" | "UniJIS-UCS2" | "UniKS-UCS2" => (two(), Decoder::Ucs2),
        "UniGB-UTF16" | "UniCNS-UTF16" | "UniJIS-UTF16" | "UniKS-UTF16" => (
            CodeSpace::new(vec![
                range(2, [0x00, 0x00, 0, 0], [0xd7, 0xff, 0, 0]),
                range(4, [0xd8, 0x00, 0xdc, 0x00], [0xdb, 0xff, 0xdf, 0xff]),
                range(2, [0xe0, 0x00, 0, 0], [0xff, 0xff, 0, 0]),
            ]),
            Decoder::Utf16,
        ),
        "GB-EUC" | "GBpc-EUC" | "GBT-EUC" | "GBTpc-EUC" => {
            (euc(0xa1, 0xa1), Decoder::National(GBK))
        }
        "GBK-EUC" | "GBKp-EUC" => (euc(0x81, 0x40), Decoder::National(GBK)),
        "GBK2K" => (
            CodeSpace::new(vec![
                range(1, [0x00, 0, 0, 0], [0x80, 0, 0, 0]),
                range(2, [0x81, 0x40, 0, 0], [0xfe, 0x7e, 0, 0]),
                range(2, [0x81, 0x80, 0, 0], [0xfe, 0xfe, 0, 0]),
                range(4, [0x81, 0x30, 0x81, 0x30], [0xfe, 0x39, 0xfe, 0x39]),
            ]),
            Decoder::National(GB18030),
        ),
        "ETen-B5" | "B5pc" | "HKscs-B5" | "ETenms-B5" => (euc(0x81, 0x40), Decoder::National(BIG5)),
        _ => return None,
    })
}

fn range(len: u8, lo: [u8; 4], hi: [u8; 4]) -> CodeRange {
    CodeRange { len, lo, hi }
}

/// The text of one code under `decoder`, if it names a character.
pub(crate) fn decode(decoder: Decoder, code: u32, len: u8) -> Option<String> {
    let bytes = &code.to_be_bytes()[4 - len as usize..];
    match decoder {
        Decoder::Identity => None,
        Decoder::Ucs2 if len == 2 => char::from_u32(code).map(String::from),
        Decoder::Ucs2 => None,
        Decoder::Utf16 => {
            let units: Vec<u16> = bytes
                .chunks(2)
                .map(|p| ((p[0] as u16) << 8) | p.get(1).copied().unwrap_or(0) as u16)
                .collect();
            let s: String = char::decode_utf16(units).filter_map(Result::ok).collect();
            (!s.is_empty()).then_some(s)
        }
        Decoder::National(enc) => {
            if len == 1 {
                return (code < 0x80).then(|| char::from(code as u8).to_string());
            }
            let (s, had_errors) = enc.decode_without_bom_handling(bytes);
            (!had_errors && !s.is_empty()).then(|| s.into_owned())
        }
    }
}

/// The CID of a one-byte ASCII code in the Adobe CJK collections (CIDs 1–95 are the
/// proportional ASCII glyphs from space on), for looking up its width.
pub(crate) fn ascii_cid(decoder: Decoder, code: u32) -> Option<u32> {
    match decoder {
        Decoder::Identity => None,
        _ => (0x20..0x7f).contains(&code).then(|| code - 0x1f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(name: &str, bytes: &[u8]) -> String {
        let (space, dec) = lookup(name).unwrap();
        space
            .codes(bytes)
            .filter_map(|(c, l)| decode(dec, c, l))
            .collect()
    }

    #[test]
    fn adobe_gb1_unicode_and_national_cmaps() {
        assert_eq!(text("UniGB-UCS2-H", &[0x4e, 0x2d, 0x56, 0xfd]), "中国");
        assert_eq!(text("UniGB-UCS2-V", &[0x00, 0x41]), "A");
        assert_eq!(
            text("UniGB-UTF16-H", &[0x65, 0x70, 0xd8, 0x40, 0xdc, 0x0b]),
            "数\u{2000b}"
        );
        assert_eq!(text("GBK-EUC-H", &[0xd6, 0xd0, b'1', 0xb9, 0xfa]), "中1国");
        assert_eq!(text("GB-EUC-H", &[0xca, 0xfd]), "数");
        assert_eq!(text("ETen-B5-H", &[0xa4, 0xa4]), "中");
        assert_eq!(text("Identity-H", &[0x12, 0x34]), "");
        assert!(lookup("Adobe-Japan1-6").is_none());
        assert_eq!(ascii_cid(Decoder::Ucs2, 0x41), Some(34));
    }
}
