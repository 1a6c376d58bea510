//! PDF import measured on PDFs that real tools make, at test time, from the 41 real documents
//! of `../shared/corpus` (no copy of their text is committed):
//!
//! - `libreoffice`: a .docx written here (one Word paragraph per line, two-character first-line
//!   indent, 16 pt Noto Serif CJK, A4 with official-document margins) converted by LibreOffice
//!   headless — simple (non-CID) embedded font subsets with `/ToUnicode`;
//! - `reportlab`: Python reportlab with `UnicodeCIDFont('STSong-Light')` — a Type0 font with
//!   the predefined CMap `UniGB-UCS2-H`, not embedded, no `/ToUnicode`; page numbers in the
//!   footer;
//! - `fpdf2`: Python fpdf2 embedding Noto Serif CJK — Type0, `Identity-H`, `/ToUnicode`.
//!
//! Each PDF is made once and kept under `target/pdf-corpus/<producer>/`, named by a hash of
//! the source file and of the recipe. The body paragraphs of each PDF import must equal those
//! of the .txt import for at least 38 of the 41 documents, per producer; and wherever poppler's
//! `pdftotext` recovers a document's characters exactly, polcode must too. A missing tool
//! prints SKIPPED and the producer is left out (`.ci/run` installs them all).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use polcode_core::corpus::import::{read_document, read_meta_csv, ImportOptions};
use polcode_core::corpus::lines::is_page_number;
use polcode_core::corpus::{Document, ParaKind};
use polcode_core::fsutil::hash_hex;

/// At least this many of the 41 documents must import from PDF with the body paragraphs of
/// their .txt import, per producer. LibreOffice's is the target; the other two
/// producers change the text themselves (reportlab turns `　` into a space and drops a space
/// where it wraps a line; fpdf2 breaks lines at `　` and at spaces, dropping them), which no
/// extractor can undo, so their floors are what they measure (33 and 28) less one.
fn floor(p: Producer) -> usize {
    match p {
        Producer::LibreOffice => 38,
        Producer::Reportlab => 32,
        Producer::Fpdf2 => 27,
    }
}

/// Changing how a producer's PDFs are made changes this, so the cache is made anew.
const RECIPE: &str = "pdf-recipe-1";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn corpus_docs() -> Option<Vec<PathBuf>> {
    let dir = root().join("../shared/corpus/docs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    (!files.is_empty()).then_some(files)
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

fn have(cmd: &str, arg: &str) -> bool {
    Command::new(cmd)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The Python with reportlab and fpdf2: `$POLCODE_PDF_PYTHON`, or the venv `.ci/run` makes.
fn python() -> Option<PathBuf> {
    let py = std::env::var_os("POLCODE_PDF_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("pdf-tools/venv/bin/python"));
    Command::new(&py)
        .args(["-c", "import reportlab, fpdf"])
        .output()
        .is_ok_and(|o| o.status.success())
        .then_some(py)
}

const CJK_FONT: &str = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Producer {
    LibreOffice,
    Reportlab,
    Fpdf2,
}

impl Producer {
    fn name(self) -> &'static str {
        match self {
            Producer::LibreOffice => "libreoffice",
            Producer::Reportlab => "reportlab",
            Producer::Fpdf2 => "fpdf2",
        }
    }

    fn missing_tool(self) -> Option<&'static str> {
        match self {
            Producer::LibreOffice if !have("soffice", "--version") => {
                Some("soffice (Debian libreoffice-writer-nogui)")
            }
            Producer::LibreOffice | Producer::Fpdf2 if !Path::new(CJK_FONT).exists() => {
                Some("Noto Serif CJK (Debian fonts-noto-cjk)")
            }
            Producer::Reportlab | Producer::Fpdf2 if python().is_none() => {
                Some("a Python with reportlab and fpdf2 (target/pdf-tools/venv, made by .ci/run)")
            }
            _ => None,
        }
    }
}

/// The cached PDF of `src` by `producer`.
fn cached(producer: Producer, src: &Path) -> PathBuf {
    let bytes = std::fs::read(src).unwrap();
    let mut keyed = bytes;
    keyed.extend_from_slice(RECIPE.as_bytes());
    keyed.extend_from_slice(producer.name().as_bytes());
    if producer != Producer::LibreOffice {
        keyed.extend_from_slice(&std::fs::read(root().join("tests/pdf/make_pdfs.py")).unwrap());
    }
    let stem = src.file_stem().unwrap().to_string_lossy();
    let prefix: String = stem.chars().take(3).collect();
    target_dir()
        .join("pdf-corpus")
        .join(producer.name())
        .join(format!("{prefix}{}.pdf", hash_hex(&keyed, 16)))
}

/// A .docx of a text file: one Word paragraph per non-empty line, left-aligned with a
/// two-character first-line indent, 16 pt Noto Serif CJK SC, A4 with the margins of GB/T 9704.
/// (Justified paragraphs are not used: LibreOffice 7.4 then drops a `、` or `，` that falls at
/// the end of a line from the PDF altogether, which no extractor can bring back.)
fn docx_of(src: &Path, dst: &Path) {
    let text = std::fs::read_to_string(src).unwrap();
    let text = text
        .trim_start_matches('\u{feff}')
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let pad = |c: char| c == ' ' || c == '\t' || c == '\u{3000}' || c == '\u{a0}';
    let mut body = String::new();
    for line in text.split('\n') {
        let t = line.trim_matches(pad);
        if t.is_empty() {
            continue;
        }
        body.push_str(
            "<w:p><w:pPr><w:jc w:val=\"left\"/><w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/></w:pPr>\
             <w:r><w:t xml:space=\"preserve\">",
        );
        body.push_str(&polcode_core::xmltext::text(t));
        body.push_str("</w:t></w:r></w:p>");
    }
    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w=\"{W}\"><w:body>{body}\
         <w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"2098\" w:right=\"1474\" \
         w:bottom=\"1984\" w:left=\"1588\" w:header=\"851\" w:footer=\"992\"/></w:sectPr></w:body></w:document>"
    );
    let styles = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:styles xmlns:w=\"{W}\"><w:docDefaults>\
         <w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Noto Serif CJK SC\" w:eastAsia=\"Noto Serif CJK SC\" \
         w:hAnsi=\"Noto Serif CJK SC\"/><w:sz w:val=\"32\"/><w:lang w:eastAsia=\"zh-CN\"/></w:rPr>\
         </w:rPrDefault></w:docDefaults></w:styles>"
    );
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const PKG: &str = "http://schemas.openxmlformats.org/package/2006";
    let parts = [
        (
            "[Content_Types].xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"{PKG}/content-types\">\
                 <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
                 <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
                 <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
                 <Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/></Types>"
            ),
        ),
        (
            "_rels/.rels",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"{PKG}/relationships\">\
                 <Relationship Id=\"rId1\" Type=\"{REL}/officeDocument\" Target=\"word/document.xml\"/></Relationships>"
            ),
        ),
        (
            "word/_rels/document.xml.rels",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"{PKG}/relationships\">\
                 <Relationship Id=\"rId1\" Type=\"{REL}/styles\" Target=\"styles.xml\"/></Relationships>"
            ),
        ),
        ("word/document.xml", document),
        ("word/styles.xml", styles),
    ];
    let mut zip = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    for (name, content) in parts {
        zip.start_file(name, opts).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

/// Makes the PDFs of `sources` that are not cached yet, all in one run of the tool.
fn make(producer: Producer, sources: &[PathBuf]) -> Result<(), String> {
    let todo: Vec<(&PathBuf, PathBuf)> = sources
        .iter()
        .map(|s| (s, cached(producer, s)))
        .filter(|(_, d)| !d.exists())
        .collect();
    if todo.is_empty() {
        return Ok(());
    }
    let out = target_dir().join("pdf-corpus").join(producer.name());
    std::fs::create_dir_all(&out).unwrap();
    let work = tempfile::tempdir().unwrap();
    eprintln!("making {} PDFs with {}", todo.len(), producer.name());
    let status = match producer {
        Producer::LibreOffice => {
            let mut docx = Vec::new();
            for (src, dst) in &todo {
                let d = work
                    .path()
                    .join(dst.file_name().unwrap())
                    .with_extension("docx");
                docx_of(src, &d);
                docx.push(d);
            }
            let profile = format!("file://{}", work.path().join("profile").display());
            Command::new("soffice")
                .arg(format!("-env:UserInstallation={profile}"))
                .args(["--headless", "--convert-to", "pdf", "--outdir"])
                .arg(work.path())
                .args(&docx)
                .output()
        }
        Producer::Reportlab | Producer::Fpdf2 => {
            let list = work.path().join("list.txt");
            let mut s = String::new();
            for (src, dst) in &todo {
                let tmp = work.path().join(dst.file_name().unwrap());
                s.push_str(&format!("{}\t{}\n", src.display(), tmp.display()));
            }
            std::fs::write(&list, s).unwrap();
            Command::new(python().unwrap())
                .arg(root().join("tests/pdf/make_pdfs.py"))
                .arg(producer.name())
                .arg(&list)
                .output()
        }
    }
    .map_err(|e| e.to_string())?;
    if !status.status.success() {
        return Err(String::from_utf8_lossy(&status.stderr).into_owned());
    }
    for (_, dst) in &todo {
        let made = work.path().join(dst.file_name().unwrap());
        std::fs::rename(&made, dst)
            .or_else(|_| std::fs::copy(&made, dst).map(|_| ()))
            .map_err(|e| format!("{}: {e}", made.display()))?;
    }
    Ok(())
}

fn import(path: &Path) -> Result<Document, String> {
    let dir = root().join("../shared/corpus");
    static META: OnceLock<ImportOptions> = OnceLock::new();
    let opts = META.get_or_init(|| ImportOptions {
        meta: Some(read_meta_csv(&dir.join("metadata.csv")).expect("metadata.csv parses")),
        ..ImportOptions::default()
    });
    read_document(path, opts)
        .map(|i| i.doc)
        .map_err(|e| e.to_string())
}

fn bodies(d: &Document) -> Vec<&str> {
    d.paragraphs
        .iter()
        .filter(|p| p.kind == ParaKind::Body)
        .map(|p| p.text.as_str())
        .collect()
}

/// The characters of a text without white space and without bare page-number lines.
fn chars_of(text: &str) -> String {
    text.lines()
        .filter(|l| !is_page_number(l.trim()))
        .flat_map(|l| l.chars())
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .collect()
}

/// Where two texts first differ, shown briefly.
fn first_difference(a: &str, b: &str) -> String {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let i = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let show = |v: &[char]| {
        v[i.saturating_sub(12).min(v.len())..(i + 12).min(v.len())]
            .iter()
            .collect::<String>()
    };
    format!("at char {i}: txt {:?} / pdf {:?}", show(&a), show(&b))
}

struct Outcome {
    same_bodies: usize,
    same_chars: usize,
    poppler_chars: Option<usize>,
    /// Documents whose characters pdftotext recovers exactly and polcode does not.
    behind_poppler: Vec<String>,
    failures: Vec<String>,
}

fn measure(producer: Producer, sources: &[PathBuf]) -> Outcome {
    let poppler = have("pdftotext", "-v");
    let mut out = Outcome {
        same_bodies: 0,
        same_chars: 0,
        poppler_chars: poppler.then_some(0),
        behind_poppler: Vec::new(),
        failures: Vec::new(),
    };
    for src in sources {
        let name: String = src
            .file_name()
            .unwrap()
            .to_string_lossy()
            .chars()
            .take(3)
            .collect();
        let pdf = cached(producer, src);
        let txt_doc = import(src).unwrap();
        if std::env::var_os("POLCODE_PDF_DUMP").is_some() {
            let text = polcode_core::corpus::pdf::pdf_to_text(&std::fs::read(&pdf).unwrap());
            std::fs::write(
                pdf.with_extension("txt"),
                text.unwrap_or_else(|e| e.to_string()),
            )
            .unwrap();
            let dump = polcode_core::corpus::pdf::pdf_layout_dump(&std::fs::read(&pdf).unwrap());
            std::fs::write(
                pdf.with_extension("lines"),
                dump.unwrap_or_else(|e| e.to_string()),
            )
            .unwrap();
            if let Ok(p) = std::env::var("POLCODE_PDF_GLYPHS") {
                let bytes = std::fs::read(&pdf).unwrap();
                std::fs::write(
                    pdf.with_extension("glyphs"),
                    polcode_core::corpus::pdf::pdf_glyph_dump(&bytes, p.parse().unwrap()),
                )
                .unwrap();
            }
        }
        let pdf_doc = match import(&pdf) {
            Ok(d) => d,
            Err(e) => {
                out.failures.push(format!("{name} error: {e}"));
                continue;
            }
        };
        let (a, b) = (bodies(&txt_doc), bodies(&pdf_doc));
        if a == b {
            out.same_bodies += 1;
        } else {
            let k = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
            out.failures.push(format!(
                "{name} body paragraphs {} (txt) vs {} (pdf), first difference in #{} {}",
                a.len(),
                b.len(),
                k + 1,
                first_difference(a.get(k).unwrap_or(&""), b.get(k).unwrap_or(&"")),
            ));
        }
        let source = std::fs::read_to_string(src).unwrap();
        let want = chars_of(&source);
        // The extracted text before splitting (the splitter joins table cells with ` | `).
        let extracted =
            polcode_core::corpus::pdf::pdf_to_text(&std::fs::read(&pdf).unwrap()).unwrap();
        let ours = chars_of(&polcode_core::corpus::normalize::normalize(&extracted));
        let ours_ok = ours == want;
        out.same_chars += ours_ok as usize;
        if !ours_ok {
            out.failures.push(format!(
                "{name} characters differ {}",
                first_difference(&want, &ours)
            ));
        }
        if poppler {
            let o = Command::new("pdftotext")
                .args(["-enc", "UTF-8"])
                .arg(&pdf)
                .arg("-")
                .output()
                .unwrap();
            let theirs = chars_of(&String::from_utf8_lossy(&o.stdout));
            let poppler_ok = theirs == want;
            if let Some(n) = out.poppler_chars.as_mut() {
                *n += poppler_ok as usize;
            }
            if poppler_ok && !ours_ok {
                out.behind_poppler.push(name.clone());
            }
        }
    }
    out
}

#[test]
#[cfg_attr(
    polcode_no_shared,
    ignore = "needs ../shared (absent when the tests were built; touch build.rs after adding it)"
)]
fn pdf_import_matches_text_import() {
    let Some(sources) = corpus_docs() else {
        println!("SKIPPED: ../shared/corpus is not present");
        return;
    };
    let mut results = BTreeMap::new();
    for producer in [Producer::LibreOffice, Producer::Reportlab, Producer::Fpdf2] {
        if let Some(tool) = producer.missing_tool() {
            println!("SKIPPED {}: {tool} is missing", producer.name());
            continue;
        }
        if let Err(e) = make(producer, &sources) {
            panic!("{}: making the PDFs failed: {e}", producer.name());
        }
        // Which cached PDF is which document, for bench/pdf.sh.
        let manifest: String = sources
            .iter()
            .map(|s| {
                let stem = s.file_stem().unwrap().to_string_lossy();
                format!("{stem}\t{}\n", cached(producer, s).display())
            })
            .collect();
        let dir = target_dir().join("pdf-corpus").join(producer.name());
        std::fs::write(dir.join("current.tsv"), manifest).unwrap();
        results.insert(producer, measure(producer, &sources));
    }
    let mut short = Vec::new();
    for (producer, r) in &results {
        println!(
            "{}: {}/{} documents with the body paragraphs of the .txt import; characters exact: \
             polcode {}/{}, pdftotext {}",
            producer.name(),
            r.same_bodies,
            sources.len(),
            r.same_chars,
            sources.len(),
            r.poppler_chars
                .map_or("not installed".to_string(), |n| format!(
                    "{n}/{}",
                    sources.len()
                ))
        );
        for f in &r.failures {
            println!("  {f}");
        }
        if !r.behind_poppler.is_empty() {
            short.push(format!(
                "{}: pdftotext recovers the characters of {:?}, polcode does not",
                producer.name(),
                r.behind_poppler
            ));
        }
        if r.same_bodies < floor(*producer) {
            short.push(format!(
                "{}: {}/{} documents right, fewer than {}",
                producer.name(),
                r.same_bodies,
                sources.len(),
                floor(*producer)
            ));
        }
    }
    assert!(short.is_empty(), "{short:#?}");
}

/// A PDF that needs a password, one with only an owner password (opens without one, as most
/// "protected" government PDFs do), and a scan without a text layer, made by reportlab.
#[test]
#[cfg_attr(
    polcode_no_shared,
    ignore = "needs ../shared (absent when the tests were built; touch build.rs after adding it)"
)]
fn encrypted_and_scanned_pdfs() {
    let (Some(sources), Some(py)) = (corpus_docs(), python()) else {
        println!("SKIPPED: needs ../shared/corpus and target/pdf-tools/venv (made by .ci/run)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let run = |producer: &str, dst: &Path| {
        let list = dir.path().join("list.txt");
        std::fs::write(
            &list,
            format!("{}\t{}\n", sources[4].display(), dst.display()),
        )
        .unwrap();
        let o = Command::new(&py)
            .arg(root().join("tests/pdf/make_pdfs.py"))
            .arg(producer)
            .arg(&list)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let locked = dir.path().join("locked.pdf");
    run("encrypted", &locked);
    let e = import(&locked).unwrap_err();
    assert!(
        e.starts_with(&locked.display().to_string()) && e.contains("password"),
        "{e}"
    );
    let owner = dir.path().join("locked.owner.pdf");
    let d = import(&owner).unwrap();
    assert!(
        d.text().starts_with("各省、自治区、直辖市人民政府"),
        "{}",
        d.text()
    );
    let scan = dir.path().join("scan.pdf");
    run("scan", &scan);
    let e = import(&scan).unwrap_err();
    assert!(
        e.starts_with(&scan.display().to_string())
            && e.contains("no text layer (2 pages, 2 images)"),
        "{e}"
    );
    println!("{e}");
}
