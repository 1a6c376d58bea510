//! Unit tests of `corpus::pdf` on small PDFs built here with lopdf: one font kind each, a
//! footer, a scan, an empty page and damaged files. (Real producers' PDFs of the real corpus
//! are measured in `tests/pdf_real.rs`.)

use lopdf::{dictionary, Document, Object, Stream};

use super::*;

/// A PDF of A4 pages, each drawn by its content stream, with font `/F1` (and an image `/Im1`).
fn pdf(font: lopdf::Dictionary, to_unicode: Option<&str>, pages: &[String]) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let mut font = font;
    if let Some(cmap) = to_unicode {
        let id = doc.add_object(Stream::new(dictionary! {}, cmap.as_bytes().to_vec()));
        font.set("ToUnicode", id);
    }
    let font_id = doc.add_object(font);
    let image = doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => 1, "Height" => 1,
            "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
        },
        vec![0x80],
    ));
    let resources = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
        "XObject" => dictionary! { "Im1" => image },
    });
    let pages_id = doc.new_object_id();
    let mut kids = Vec::new();
    for content in pages {
        let c = doc.add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
        kids.push(Object::Reference(doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => c,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        })));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => count, "Resources" => resources,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn hex_utf16(s: &str) -> String {
    s.encode_utf16().map(|u| format!("{u:04X}")).collect()
}

fn st_song() -> lopdf::Dictionary {
    dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "STSong-Light",
        "Encoding" => "UniGB-UCS2-H",
        "DescendantFonts" => vec![Object::Dictionary(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "STSong-Light",
            "CIDSystemInfo" => dictionary! {
                "Registry" => Object::string_literal("Adobe"),
                "Ordering" => Object::string_literal("GB1"), "Supplement" => 2,
            },
            "DW" => 1000,
        })],
    }
}

/// Lines of 12 pt text from the left margin at 72, 20 pt apart from the top, first-line
/// indented by two characters, shown as UCS-2 codes; plus a footer `- n -`.
fn page_of(lines: &[(&str, bool)], n: usize) -> String {
    let mut s = String::from("BT /F1 12 Tf\n");
    for (k, (text, indent)) in lines.iter().enumerate() {
        let x = if *indent { 96 } else { 72 };
        let y = 760 - 20 * k;
        s.push_str(&format!("1 0 0 1 {x} {y} Tm <{}> Tj\n", hex_utf16(text)));
    }
    s.push_str(&format!(
        "1 0 0 1 290 40 Tm <{}> Tj\nET\n",
        hex_utf16(&format!("- {n} -"))
    ));
    s
}

/// 36 characters fill a line from 72 to 504 at 12 pt; an indented first line holds 34.
fn full(c: char, n: usize, last: char) -> String {
    let mut s: String = std::iter::repeat_n(c, n - 1).collect();
    s.push(last);
    s
}

#[test]
fn predefined_gb1_cmap_lines_joined_footer_removed() {
    let p1 = page_of(
        &[
            ("一、总体要求", true),
            (&full('甲', 34, '乙'), true),
            (&full('丙', 36, '。'), false),
            ("丁丁丁。", false),
            (&full('戊', 34, '戊'), true),
        ],
        1,
    );
    let p2 = page_of(&[(&full('己', 36, '己'), false), ("庚庚。", false)], 2);
    let p3 = page_of(&[("（一）加强组织领导。", true)], 3);
    let text = pdf_to_text(&pdf(st_song(), None, &[p1, p2, p3])).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert_eq!(lines[0], "一、总体要求");
    // A full stop at the margin inside an indented paragraph does not end it.
    assert_eq!(
        lines[1],
        format!("{}{}丁丁丁。", full('甲', 34, '乙'), full('丙', 36, '。'))
    );
    // The paragraph goes on over the page break; the footers are gone.
    assert!(lines[2].starts_with("戊") && lines[2].ends_with("庚庚。"));
    assert_eq!(lines[3], "（一）加强组织领导。");
}

#[test]
fn identity_h_with_to_unicode_and_simple_fonts() {
    let cmap = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <0000> <FFFF> endcodespacerange
3 beginbfchar <0001> <6570> <0002> <636E> <0011> <7D20> endbfchar
1 beginbfrange <0010> <0010> <8981> endbfrange
endcmap end end";
    let font = dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "ABCDEF+SimSun",
        "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Dictionary(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "ABCDEF+SimSun",
            "W" => vec![1.into(), vec![Object::Integer(1000), Object::Integer(1000)].into()],
        })],
    };
    let page = "BT /F1 12 Tf 72 700 Td <0001000200100011> Tj ET".to_string();
    assert_eq!(
        pdf_to_text(&pdf(font, Some(cmap), &[page])).unwrap(),
        "数据要素\n"
    );

    let helvetica = dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    };
    let page = "BT /F1 12 Tf 72 700 Td (Data \\2233\\224) Tj ET".to_string();
    assert_eq!(
        pdf_to_text(&pdf(helvetica, None, &[page])).unwrap(),
        "Data “3”\n"
    );
}

#[test]
fn scans_empty_pages_and_unmapped_fonts_are_refused_clearly() {
    let scan = "q 595 0 0 842 0 0 cm /Im1 Do Q".to_string();
    let e = pdf_to_text(&pdf(st_song(), None, &[scan.clone(), scan])).unwrap_err();
    assert_eq!(
        e,
        PdfError::NoText {
            pages: 2,
            images: 2
        }
    );
    assert!(e.to_string().contains("scan") && e.to_string().contains("OCR"));
    let e = pdf_to_text(&pdf(st_song(), None, &[String::new()])).unwrap_err();
    assert!(
        e.to_string().contains("no text on any of its 1 page;"),
        "{e}"
    );
    // Identity-H with no /ToUnicode: the codes name glyphs, not characters.
    let bare = dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "XYZ", "Encoding" => "Identity-H",
    };
    let page = "BT /F1 12 Tf 72 700 Td <00010002> Tj ET".to_string();
    let e = pdf_to_text(&pdf(bare, None, &[page])).unwrap_err();
    assert_eq!(
        e,
        PdfError::NoUnicode {
            shown: 2,
            unmapped: 2
        }
    );
}

#[test]
fn damaged_files_are_refused_not_panicked_on() {
    let good = pdf(st_song(), None, &[page_of(&[("数据", true)], 1)]);
    assert!(matches!(
        pdf_to_text(b"not a pdf"),
        Err(PdfError::Unreadable(_))
    ));
    assert!(pdf_to_text(b"").is_err());
    for cut in [10, good.len() / 3, good.len() / 2, good.len() - 40] {
        let _ = pdf_to_text(&good[..cut]);
    }
    let mut flipped = good.clone();
    for k in (0..flipped.len()).step_by(37) {
        flipped[k] ^= 0x5a;
    }
    let _ = pdf_to_text(&flipped);
    assert!(PdfError::Encrypted.to_string().contains("password"));
}

#[test]
fn a_form_drawn_over_and_over_is_refused_not_unpacked_without_end() {
    // One 4 MiB form (blank content) drawn 200 times: 800 MiB to decode, past the file's
    // budget. The file itself is small.
    let mut doc = Document::with_version("1.5");
    let form = doc.add_object(Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Form" },
        vec![b' '; 4 << 20],
    ));
    let resources = doc.add_object(dictionary! { "XObject" => dictionary! { "Fm0" => form } });
    let pages_id = doc.new_object_id();
    let content = doc.add_object(Stream::new(
        dictionary! {},
        "/Fm0 Do\n".repeat(200).into_bytes(),
    ));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![Object::Reference(page)], "Count" => 1,
            "Resources" => resources,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    let err = pdf_to_text(&bytes).unwrap_err().to_string();
    assert!(err.contains("unpack to more than 512 MiB"), "{err}");
}
