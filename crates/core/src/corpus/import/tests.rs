//! Unit tests of `corpus::import`.
use std::io::Write;

use super::*;
use crate::corpus::ParaKind;

const NOTICE: &str = "济南市人民政府关于印发\n济南市新一代人工智能高质量发展行动计划的通知\n济政发〔2024〕5号\n各区县人民政府，市政府各部门：\n　　为加快全市人工智能产业创新发展，制定本行动计划。\n　　一、总体要求\n　　（一）发展思路。坚持以习近平新时代中国特色社会主义思想为指导。\n济南市人民政府\n2024年6月27日\n（此件公开发布）\n";

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::File::create(&p).unwrap().write_all(bytes).unwrap();
    p
}

#[test]
fn gbk_text_file_gets_title_location_and_region() {
    let dir = tempfile::tempdir().unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode(NOTICE);
    let p = write(dir.path(), "27 济南 行动计划.txt", &gbk);
    let imp = read_document(&p, &ImportOptions::default()).unwrap();
    let m = &imp.doc.meta;
    assert_eq!(imp.doc.id, "27-济南-行动计划");
    assert_eq!(
        m.title,
        "济南市人民政府关于印发济南市新一代人工智能高质量发展行动计划的通知"
    );
    assert_eq!(
        (m.province.as_str(), m.city.as_str(), m.level),
        ("山东", "济南", Level::Municipal)
    );
    assert_eq!(m.region, "east");
    assert!(imp.warnings.is_empty(), "{:?}", imp.warnings);
    let kinds: Vec<ParaKind> = imp.doc.paragraphs.iter().map(|p| p.kind).collect();
    use ParaKind::*;
    assert_eq!(
        kinds,
        [NonBody, NonBody, NonBody, Body, Heading, Body, NonBody, NonBody, NonBody]
    );
    assert_eq!(imp.doc.paragraphs[5].section, "一、（一）");
    assert_eq!(m.content_hash.len(), 16);
}

#[test]
fn truncated_gbk_warns_with_replaced_count() {
    let dir = tempfile::tempdir().unwrap();
    let (gbk, _, _) =
        encoding_rs::GBK.encode("国务院关于加快推进农业机械化的指导意见\n各地区要加强组织领导。");
    let p = write(dir.path(), "t.txt", &gbk[..gbk.len() - 1]);
    let opts = ImportOptions {
        encoding: Some(encoding_rs::GBK),
        ..ImportOptions::default()
    };
    let imp = read_document(&p, &opts).unwrap();
    assert!(
        imp.warnings.iter().any(|w| w.contains("1 replaced byte")),
        "{:?}",
        imp.warnings
    );
    assert_eq!(
        imp.doc.meta.level,
        Level::National,
        "detected from the title"
    );
    assert_eq!(imp.doc.meta.region, "national");
}

#[test]
fn errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "picture.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let e = read_document(&p, &ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("picture.txt") && e.contains("PNG"), "{e}");
    let p = write(dir.path(), "empty.md", b"");
    let e = read_document(&p, &ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("empty.md") && e.contains("empty"), "{e}");
    let p = write(
        dir.path(),
        "only-controls.txt",
        b"\x1b[2J\x1b]52;c;AAAA\x07\n",
    );
    let e = read_document(&p, &ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("only-controls.txt") && e.contains("no text"),
        "{e}"
    );
    let p = write(dir.path(), "x.xlsx", b"PK\x03\x04");
    assert!(matches!(
        read_document(&p, &ImportOptions::default()),
        Err(DocumentImportError::Unsupported { .. })
    ));
    // A PDF that is only a header: refused, naming the file.
    let p = write(dir.path(), "x.pdf", b"%PDF-1.4");
    let e = read_document(&p, &ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("x.pdf: not a readable PDF"), "{e}");
    let missing = dir.path().join("missing.txt");
    assert!(read_document(&missing, &ImportOptions::default())
        .unwrap_err()
        .to_string()
        .contains("missing.txt"));
}

#[test]
fn metadata_row_beats_options_beats_detection() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "a.txt", NOTICE.as_bytes());
    let csv = write(
        dir.path(),
        "meta.csv",
        "file,title,issuer,date,level,province,city,kind\na.txt,行动计划 [inferred],,2024-06-27 (per dataset),,,,special\n".as_bytes(),
    );
    let opts = ImportOptions {
        issuer: Some("青岛市人民政府".into()),
        kind: Some(Kind::Related),
        meta: Some(read_meta_csv(&csv).unwrap()),
        ..ImportOptions::default()
    };
    let m = read_document(&p, &opts).unwrap().doc.meta;
    assert_eq!(m.title, "行动计划");
    assert_eq!(m.date, "2024-06-27");
    assert_eq!(m.kind, Kind::Special);
    assert_eq!(m.issuer, "青岛市人民政府");
    assert_eq!((m.city.as_str(), m.province.as_str()), ("青岛", "山东"));
    let other = write(dir.path(), "b.txt", NOTICE.as_bytes());
    let imp = read_document(&other, &opts).unwrap();
    assert!(
        imp.warnings.iter().any(|w| w.contains("no row in")),
        "{:?}",
        imp.warnings
    );
}

#[test]
fn docx_and_html_import() {
    let dir = tempfile::tempdir().unwrap();
    let xml = "<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>山东省人民政府关于印发数字山东行动方案的通知</w:t></w:r></w:p><w:p><w:r><w:t>一、打造协同高效的数字政府</w:t></w:r></w:p><w:p><w:r><w:t>1.推动政务服务数字化转型。整合面向社会服务的政务信息系统。</w:t></w:r></w:p></w:body></w:document>";
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    w.write_all(xml.as_bytes()).unwrap();
    let p = write(dir.path(), "sd.docx", &w.finish().unwrap().into_inner());
    let d = read_document(&p, &ImportOptions::default()).unwrap().doc;
    assert_eq!(d.meta.title, "山东省人民政府关于印发数字山东行动方案的通知");
    assert_eq!(
        (d.meta.province.as_str(), d.meta.level),
        ("山东", Level::Provincial)
    );
    assert_eq!(d.paragraphs[2].section, "一、1.");

    let html = "<html><head><meta charset=\"gbk\"><title>安徽省支持工业互联网发展若干政策</title></head><body><p>一、支持平台建设</p><p>培育各类工业互联网平台&#12290;</p></body></html>";
    let (gbk, _, _) = encoding_rs::GBK.encode(html);
    let p = write(dir.path(), "ah.html", &gbk);
    let d = read_document(&p, &ImportOptions::default()).unwrap().doc;
    assert_eq!(d.meta.title, "安徽省支持工业互联网发展若干政策");
    assert_eq!(d.meta.region, "central");
    assert_eq!(
        d.paragraphs
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>(),
        ["一、支持平台建设", "培育各类工业互联网平台。"]
    );
}

#[test]
fn doc_ids_are_sanitised() {
    assert_eq!(
        doc_id(Path::new("a/01_national CN (2017).txt")),
        "01_national-CN-2017"
    );
    assert_eq!(doc_id(Path::new("数字山东.md")), "数字山东");
    assert_eq!(doc_id(Path::new("+++.txt")), "doc");
}
