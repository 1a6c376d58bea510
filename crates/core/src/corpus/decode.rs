//! Turning the bytes of a text file into a `String`: byte-order marks, UTF-8, UTF-16, the
//! GB18030/GBK family guessed with chardetng (with the `cn` hint), a forced encoding, a count of
//! replaced bytes, and refusal of files that are not text at all.

use encoding_rs::{DecoderResult, Encoding, UTF_16BE, UTF_16LE, UTF_8};
use thiserror::Error;

/// The text of a file and how it was obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decoded {
    pub text: String,
    /// Name of the encoding used, e.g. `UTF-8`, `GBK`, `UTF-16LE`.
    pub encoding: &'static str,
    /// Number of malformed bytes that were replaced by U+FFFD (0 for a clean decode).
    pub replaced: usize,
}

/// Why a file could not be decoded as text.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum DecodeError {
    #[error("the file is empty")]
    Empty,
    #[error("this is a binary file ({0}), not text")]
    Binary(String),
}

/// Looks up an encoding by a WHATWG label (`gbk`, `gb18030`, `utf-8`, `utf-16le`, `big5`…),
/// case-insensitively. `cp936` and `gb2312` map to GBK as browsers do.
pub fn encoding_by_label(label: &str) -> Option<&'static Encoding> {
    let l = label.trim().to_ascii_lowercase();
    let l = match l.as_str() {
        "utf8" => "utf-8",
        "cp936" | "ms936" | "windows-936" => "gbk",
        "utf16" | "utf16le" => "utf-16le",
        "utf16be" => "utf-16be",
        other => other,
    };
    Encoding::for_label(l.as_bytes())
}

/// Decodes `bytes` as text.
///
/// Order: empty files and known binary formats are refused; a BOM decides (UTF-8, UTF-16 LE/BE);
/// `forced` decides next; valid UTF-8 is taken as UTF-8, and so is UTF-8 with a few malformed
/// bytes (replaced and counted, see `mostly_utf8`); anything else is guessed with
/// chardetng given the `cn` top-level domain, which favours GBK (decoded as GB18030, its
/// superset). NUL bytes or many control bytes outside UTF-16 mean binary.
pub(crate) fn decode(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some(kind) = binary_magic(bytes) {
        return Err(DecodeError::Binary(kind.to_string()));
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        if enc != UTF_16LE && enc != UTF_16BE {
            check_control_bytes(body)?;
        }
        return Ok(decode_counting(enc, body));
    }
    if let Some(enc) = forced {
        if enc != UTF_16LE && enc != UTF_16BE {
            check_control_bytes(bytes)?;
        }
        return Ok(decode_counting(enc, bytes));
    }
    check_control_bytes(bytes)?;
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: s.to_string(),
            encoding: UTF_8.name(),
            replaced: 0,
        });
    }
    if mostly_utf8(bytes) {
        return Ok(decode_counting(UTF_8, bytes));
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let enc = det.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    Ok(decode_counting(enc, bytes))
}

/// Whether bytes that are not valid UTF-8 are still UTF-8 text with some damage (a few bad
/// bytes from a bad copy or a cut download) rather than another encoding. Read as GBK, such a
/// file would turn every Chinese character into mojibake, so damage is better shown as U+FFFD.
/// The test: at least two well-formed non-ASCII characters per malformed byte. GBK text of the
/// real corpus read as UTF-8 gives at most 0.31 well-formed characters per malformed byte, so
/// the margin is wide; text with no non-ASCII character at all is left to the detector.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let mut good = 0usize;
    let mut bad = 0usize;
    for chunk in bytes.utf8_chunks() {
        good += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        bad += chunk.invalid().len();
    }
    good > 0 && good >= 2 * bad
}

/// Decodes without BOM sniffing, counting malformed bytes instead of only flagging them.
fn decode_counting(enc: &'static Encoding, bytes: &[u8]) -> Decoded {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 2 + 16);
    let mut replaced = 0usize;
    let mut src = bytes;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(src, &mut out, true);
        src = &src[read..];
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => {
                let need = decoder
                    .max_utf8_buffer_length_without_replacement(src.len())
                    .unwrap_or(src.len() * 3 + 16);
                out.reserve(need.max(16));
            }
            DecoderResult::Malformed(bad, _) => {
                replaced += usize::from(bad.max(1));
                out.push('\u{FFFD}');
            }
        }
    }
    Decoded {
        text: out,
        encoding: enc.name(),
        replaced,
    }
}

/// Recognises common binary formats by their first bytes.
fn binary_magic(b: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"PK\x03\x04", "ZIP archive (a .docx must be named .docx)"),
        (b"PK\x05\x06", "empty ZIP archive"),
        (b"%PDF-", "PDF document; extract its text first"),
        (b"\x7fELF", "ELF executable"),
        (b"GIF87a", "GIF image"),
        (b"GIF89a", "GIF image"),
        (b"\xff\xd8\xff", "JPEG image"),
        (b"\x1f\x8b", "gzip archive"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "legacy Office file (.doc/.xls); save as .docx",
        ),
        (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
        (b"Rar!\x1a\x07", "RAR archive"),
        (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
        (b"SQLite format 3\0", "SQLite database"),
        (b"{\\rtf", "RTF document; save as .docx or .txt"),
    ];
    MAGIC
        .iter()
        .find(|(m, _)| b.starts_with(m))
        .map(|(_, name)| *name)
}

/// Refuses data with NUL bytes or a high share of control bytes (outside tab, LF, CR, FF, ESC).
fn check_control_bytes(b: &[u8]) -> Result<(), DecodeError> {
    if let Some(pos) = b.iter().position(|&c| c == 0) {
        return Err(DecodeError::Binary(format!(
            "NUL byte at offset {pos}; if it is UTF-16 without a byte-order mark, pass --encoding utf-16le"
        )));
    }
    let sample = &b[..b.len().min(64 * 1024)];
    let controls = sample
        .iter()
        .filter(|&&c| c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    if controls * 100 > sample.len() * 5 && controls > 4 {
        return Err(DecodeError::Binary(format!(
            "{controls} control bytes in the first {} bytes",
            sample.len()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str =
        "为深入贯彻落实党中央、国务院决策部署，加快推进区块链技术和产业创新发展，制定本方案。";

    #[test]
    fn utf8_plain_and_with_bom() {
        let d = decode(SAMPLE.as_bytes(), None).unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding, d.replaced),
            (SAMPLE, "UTF-8", 0)
        );
        let mut b = vec![0xef, 0xbb, 0xbf];
        b.extend_from_slice(SAMPLE.as_bytes());
        let d = decode(&b, None).unwrap();
        assert_eq!(d.text, SAMPLE, "BOM removed");
    }

    #[test]
    fn gbk_is_detected_with_cn_hint() {
        let (bytes, _, bad) = encoding_rs::GBK.encode(SAMPLE);
        assert!(!bad);
        let d = decode(&bytes, None).unwrap();
        assert_eq!(d.text, SAMPLE);
        assert!(
            d.encoding == "GBK" || d.encoding == "gb18030",
            "{}",
            d.encoding
        );
        assert_eq!(d.replaced, 0);
    }

    #[test]
    fn truncated_gbk_counts_replacements() {
        let (bytes, _, _) = encoding_rs::GBK.encode(SAMPLE);
        let cut = &bytes[..bytes.len() - 1]; // ends inside the last double-byte 。
        let d = decode(cut, Some(encoding_rs::GBK)).unwrap();
        assert_eq!(d.replaced, 1);
        assert!(d.text.ends_with("本方案\u{FFFD}"), "{}", d.text);
        // Detection without --encoding also decodes it, reporting the damage.
        let d = decode(cut, None).unwrap();
        assert!(d.replaced >= 1);
        assert!(d.text.starts_with("为深入贯彻落实"));
    }

    #[test]
    fn damaged_utf8_stays_utf8_and_gbk_is_not_mistaken_for_it() {
        let mut b = "第一条 ".as_bytes().to_vec();
        b.extend_from_slice(b"\xff\xfe ");
        b.extend_from_slice("促进发展".as_bytes());
        let d = decode(&b, None).unwrap();
        assert_eq!((d.encoding, d.replaced), ("UTF-8", 2));
        assert_eq!(d.text, "第一条 \u{FFFD}\u{FFFD} 促进发展");
        // A UTF-8 file cut inside its last character.
        let cut = &SAMPLE.as_bytes()[..SAMPLE.len() - 1];
        let d = decode(cut, None).unwrap();
        assert_eq!((d.encoding, d.replaced), ("UTF-8", 2));
        assert!(d.text.starts_with("为深入贯彻落实"));
        // GBK with one bad byte is still GBK.
        let (g, _, _) = encoding_rs::GBK.encode(SAMPLE);
        let mut g = g.into_owned();
        g.push(0xff);
        let d = decode(&g, None).unwrap();
        assert!(d.text.starts_with(SAMPLE), "{}", d.text);
    }

    #[test]
    fn utf16_with_bom_both_orders() {
        let mut le = vec![0xff, 0xfe];
        let mut be = vec![0xfe, 0xff];
        for u in SAMPLE.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        let d = decode(&le, None).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (SAMPLE, "UTF-16LE"));
        let d = decode(&be, None).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (SAMPLE, "UTF-16BE"));
    }

    #[test]
    fn forced_encoding_wins_over_detection() {
        let (bytes, _, _) = encoding_rs::BIG5.encode("區塊鏈技術");
        let d = decode(&bytes, encoding_by_label("big5")).unwrap();
        assert_eq!(d.text, "區塊鏈技術");
        assert_eq!(d.encoding, "Big5");
        assert_eq!(encoding_by_label("GB18030").unwrap().name(), "gb18030");
        assert_eq!(encoding_by_label("cp936").unwrap().name(), "GBK");
        assert!(encoding_by_label("klingon").is_none());
    }

    #[test]
    fn binary_and_empty_files_are_refused() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        match decode(png, None) {
            Err(DecodeError::Binary(m)) => assert!(m.contains("PNG")),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            decode(b"%PDF-1.7\n", None),
            Err(DecodeError::Binary(_))
        ));
        assert!(matches!(
            decode(b"abc\0def", None),
            Err(DecodeError::Binary(_))
        ));
        let noisy: Vec<u8> = (0u8..200)
            .map(|i| if i % 3 == 0 { 1 } else { b'a' })
            .collect();
        assert!(matches!(decode(&noisy, None), Err(DecodeError::Binary(_))));
        assert_eq!(decode(b"", None), Err(DecodeError::Empty));
    }
}
