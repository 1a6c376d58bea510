//! Unit tests of `corpus::formats`.
use std::io::Write;

use super::*;

fn docx(document_xml: &str) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    w.start_file("[Content_Types].xml", opts).unwrap();
    w.write_all(b"<?xml version=\"1.0\"?><Types/>").unwrap();
    w.start_file("word/document.xml", opts).unwrap();
    w.write_all(document_xml.as_bytes()).unwrap();
    w.finish().unwrap().into_inner()
}

#[test]
fn docx_paragraphs_runs_tabs_and_breaks() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body>
<w:p><w:r><w:t>一、总体要求</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">（一）加强人才培养。</w:t></w:r><w:r><w:t>各地区要&amp;落实</w:t></w:r><w:r><w:tab/><w:t>责任</w:t></w:r></w:p>
<w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t></w:r><w:del><w:r><w:delText>删除的</w:delText></w:r></w:del></w:p>
<w:p><w:r><w:instrText>PAGE</w:instrText></w:r></w:p>
</w:body></w:document>"#;
    let text = docx_to_text(&docx(xml)).unwrap();
    assert_eq!(
        text,
        "一、总体要求\n（一）加强人才培养。各地区要&落实 责任\n第一行\n第二行\n\n"
    );
}

#[test]
fn docx_errors_are_clear() {
    assert!(docx_to_text(b"not a zip").unwrap_err().contains("zip"));
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    w.start_file("other.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    let bytes = w.finish().unwrap().into_inner();
    assert!(docx_to_text(&bytes)
        .unwrap_err()
        .contains("word/document.xml"));
}

#[test]
fn markdown_markup_is_removed() {
    let md = "# 数字山东2019行动方案\n\n## 一、打造协同高效的数字政府\n\n> **1.推动**政务服务*数字化*转型，见[链接](https://example.com/a)。\n\n- `爱山东`APP\n\n---\n![图](x.png)\n[ref]: https://example.com\n```\n代码\n```\n";
    let text = markdown_to_text(md);
    let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines,
        [
            "数字山东2019行动方案",
            "一、打造协同高效的数字政府",
            "1.推动政务服务数字化转型，见链接。",
            "爱山东APP",
            "图",
            "代码",
        ]
    );
}

#[test]
fn format_by_extension() {
    assert_eq!(Format::of(Path::new("a/b.TXT")), Some(Format::Text));
    assert_eq!(Format::of(Path::new("x.htm")), Some(Format::Html));
    assert_eq!(Format::of(Path::new("x.docx")), Some(Format::Docx));
    assert_eq!(Format::of(Path::new("x.md")), Some(Format::Markdown));
    assert_eq!(Format::of(Path::new("x.PDF")), Some(Format::Pdf));
    assert_eq!(Format::of(Path::new("x.xlsx")), None);
}
