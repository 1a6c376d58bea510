//! Hostile documents given to `polcode import`: empty, binary, renamed images, NUL bytes,
//! broken encodings, a 10 MB paragraph, terminal escapes, a .docx zip bomb.

use std::fs;

use polcode_core::study::Study;

use super::support::*;

// ---- documents ------------------------------------------------------------------------------

#[test]
fn empty_file_is_refused_by_name() {
    assert_import_refused(&fixture("empty.txt"), "the file is empty");
}

#[test]
fn binary_file_is_refused_by_name() {
    let env = Env::new();
    // The first 4 KiB of a real executable (this test binary).
    let exe = fs::read(std::env::current_exe().unwrap()).unwrap();
    let p = env.path().join("program.txt");
    fs::write(&p, &exe[..4096]).unwrap();
    assert_import_refused(&p, "this is a binary file (ELF executable), not text");
}

#[test]
fn png_renamed_txt_is_refused_by_name() {
    let env = Env::new();
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0".to_vec();
    png.extend((0..2000u32).map(|i| (i * 7 % 251) as u8));
    let p = env.path().join("政策截图.txt");
    fs::write(&p, &png).unwrap();
    assert_import_refused(&p, "this is a binary file (PNG image), not text");
}

#[test]
fn nul_bytes_are_refused_with_their_offset() {
    let first = demo_lines()[0].len();
    assert_import_refused(
        &fixture("nul.txt"),
        &format!(
            "this is a binary file (NUL byte at offset {first}; if it is UTF-16 without a \
             byte-order mark, pass --encoding utf-16le), not text"
        ),
    );
}

#[test]
fn invalid_utf8_keeps_the_chinese_and_says_how_many_bytes_were_replaced() {
    let env = Env::new();
    let file = fixture("invalid-utf8.txt");
    let (code, out, err, study) = import_one(&env, &file);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        out,
        format!(
            "imported: 1 new, 0 updated, 0 unchanged, 0 failed\nwarning: {}: decoded as UTF-8 \
             with 2 replaced bytes (shown as \u{FFFD})\n",
            file.display()
        )
    );
    let lines = demo_lines();
    let s = Study::open(&study).unwrap();
    let paras: Vec<&str> = s.docs[0]
        .paragraphs
        .iter()
        .map(|p| p.text.as_str())
        .collect();
    let a: Vec<char> = lines[0].chars().collect();
    let half = a.len() / 2;
    let expect: String = a[..half].iter().collect::<String>()
        + "\u{FFFD}\u{FFFD}"
        + &a[half..].iter().collect::<String>();
    assert_eq!(paras, [expect.as_str(), lines[1].as_str()]);
}

#[test]
fn truncated_gbk_is_read_as_gbk_and_the_cut_character_reported() {
    let env = Env::new();
    let file = fixture("truncated-gbk.txt");
    let (code, out, _, study) = import_one(&env, &file);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        format!(
            "imported: 1 new, 0 updated, 0 unchanged, 0 failed\nwarning: {}: decoded as GBK \
             with 1 replaced byte (shown as \u{FFFD})\n",
            file.display()
        )
    );
    let lines = demo_lines();
    let s = Study::open(&study).unwrap();
    let last = &s.docs[0].paragraphs.last().unwrap().text;
    let mut cut: String = lines[1].clone();
    cut.pop();
    cut.push('\u{FFFD}');
    assert_eq!(s.docs[0].paragraphs[0].text, lines[0]);
    assert_eq!(last, &cut);
}

#[test]
fn ten_megabyte_single_paragraph_imports_and_wraps() {
    let env = Env::new();
    let line = demo_lines().into_iter().max_by_key(|l| l.len()).unwrap();
    let big = line.repeat(10 * 1024 * 1024 / line.len() + 1);
    assert!(big.len() >= 10 * 1024 * 1024);
    let p = env.path().join("big.txt");
    fs::write(&p, &big).unwrap();
    let (code, out, err, study) = import_one(&env, &p);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out, "imported: 1 new, 0 updated, 0 unchanged, 0 failed\n");
    let s = Study::open(&study).unwrap();
    assert_eq!(s.docs[0].paragraphs.len(), 1);
    assert_eq!(s.docs[0].paragraphs[0].text, big);
    // The TUI's wrapper (display width, CJK-aware) covers it exactly, never past the width.
    let width = 78;
    let lines = polcode_tui::text::wrap(&big, width);
    let chars: Vec<char> = big.chars().collect();
    let mut at = 0;
    for l in &lines {
        assert!(l.start >= at && l.end >= l.start && l.end <= chars.len());
        let w: usize = chars[l.start..l.end]
            .iter()
            .map(|&c| polcode_tui::text::char_width(c))
            .sum();
        assert!(w <= width, "line of width {w}");
        at = l.end;
    }
    assert_eq!(at, chars.len());
    let columns: usize = chars
        .iter()
        .map(|&c| polcode_tui::text::char_width(c))
        .sum();
    assert!(lines.len() >= columns / width, "{} lines", lines.len());
}

/// Escape sequences in any form, in the text and in the metadata CSV, never reach the stored
/// document (and so never a terminal); the text around them is kept.
#[test]
fn terminal_escapes_never_survive_import() {
    let env = Env::new();
    let file = fixture("escapes.txt");
    let meta = env.path().join("meta.csv");
    fs::write(
        &meta,
        "file,title,issuer,doc_number\nescapes.txt,\"\u{1b}]52;c;ZXZpbA==\u{7}关于\u{1b}[2J区块链的意见\",\
         国务院\u{1b}[31m办公厅,\"国办发\u{202e}〔2025〕1号\"\n",
    )
    .unwrap();
    let study = env.study("s");
    let o = env.run(
        &study,
        &[
            "import",
            file.to_str().unwrap(),
            "--meta",
            meta.to_str().unwrap(),
        ],
    );
    // (The issuer from the CSV, once cleaned, makes the level national: no warning.)
    assert_eq!(
        text(&o.stdout),
        "imported: 1 new, 0 updated, 0 unchanged, 0 failed\n"
    );
    let docs = stored_docs(&study);
    let (_, yaml) = &docs[0];
    for bad in [
        "\u{1b}",
        "\u{7}",
        "\u{9b}",
        "\u{202e}",
        "\u{202c}",
        "\u{2066}",
        "\u{2069}",
        "\\e",
        "\\x1B",
        "\\u001B",
        "\\a",
        "52;",
        "cm0gLXJmIH4K",
        "ZXZpbA==",
        "evil.example",
        "[2J",
        "[31m",
        "$qm",
    ] {
        assert!(!yaml.contains(bad), "{bad:?} survived import:\n{yaml}");
    }
    let lines = demo_lines();
    let s = Study::open(&study).unwrap();
    let d = &s.docs[0];
    assert_eq!(d.meta.title, "关于区块链的意见");
    assert_eq!(d.meta.issuer, "国务院办公厅");
    assert_eq!(d.meta.doc_number, "国办发〔2025〕1号");
    let texts: Vec<&str> = d.paragraphs.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "一、总体要求",
            lines[0].as_str(),
            lines[1].as_str(),
            &format!("{}链接", lines[2]),
            "策政隔离。"
        ]
    );
    // A hand-edited document with an escape in its metadata is reported by check.
    let (doc_path, yaml) = &docs[0];
    let edited = yaml.replacen(
        "title: 关于区块链的意见",
        "title: \"关于\\e[2J区块链的意见\"",
        1,
    );
    assert_ne!(&edited, yaml);
    fs::write(doc_path, &edited).unwrap();
    let (_, out) = check(&env, &study);
    assert_eq!(
        problems(&out),
        [format!(
            "documents/{}.yaml: metadata field title contains control characters",
            d.id
        )]
    );
    fs::write(doc_path, yaml).unwrap();
    // What the CLI prints about the study is clean too.
    for args in [&["docs"][..], &["check"]] {
        let o = env.run(&study, args);
        let all = text(&o.stdout) + &text(&o.stderr);
        assert!(!all.contains('\u{1b}') && !all.contains('\u{7}'), "{all}");
    }
}

#[test]
fn docx_zip_bomb_is_refused_without_exhausting_memory() {
    use std::io::Write;
    let env = Env::new();
    let p = env.path().join("bomb.docx");
    {
        let f = fs::File::create(&p).unwrap();
        let mut z = zip::ZipWriter::new(f);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        z.start_file("word/document.xml", opts).unwrap();
        let zeros = vec![b' '; 1 << 20];
        for _ in 0..129 {
            z.write_all(&zeros).unwrap();
        }
        z.finish().unwrap();
    }
    assert!(fs::metadata(&p).unwrap().len() < 1 << 20, "compressed");
    assert_import_refused(
        &p,
        "word/document.xml unpacks to more than 128 MiB (a zip bomb?); not imported",
    );
}

/// A stored document whose paragraph numbers are out of place (a hand edit, a bad merge) is
/// refused when the study loads, naming the file, its line and the paragraph, and nothing is
/// changed: paragraph ids and every screen find a paragraph by its number.
#[test]
fn a_document_file_with_a_paragraph_numbered_out_of_place_is_refused() {
    let env = Env::new();
    let study = env.demo();
    let (doc_path, yaml) = stored_docs(&study).remove(0);
    // The third paragraph's line says 4 (the fourth says 4 as well).
    let line = yaml
        .lines()
        .position(|l| l.starts_with("- {\"n\":3,"))
        .expect("a flow-style paragraph line")
        + 1;
    let edited = yaml.replacen("- {\"n\":3,", "- {\"n\":4,", 1);
    fs::write(&doc_path, &edited).unwrap();
    let want = format!(
        "/documents/{}:{line}: paragraph 3 is numbered 4: a document's paragraphs must be \
         numbered 1, 2, 3… in file order; correct the number or restore the file",
        doc_path.file_name().unwrap().to_str().unwrap()
    );
    let before = tree(&study);
    let o = env.run(&study, &["docs"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains(&want), "{}", text(&o.stderr));
    assert_same_tree(&before, &study, "polcode docs");
    let (code, out) = check(&env, &study);
    assert_ne!(code, 0, "{out}");
    assert!(problems(&out).iter().any(|p| p.ends_with(&want)), "{out}");
    assert_eq!(fs::read_to_string(&doc_path).unwrap(), edited);
}
