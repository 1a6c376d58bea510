//! Importing one source file as a [`Document`]: read the bytes, extract the text of its format,
//! decode, normalise, split into paragraphs, and fill in the metadata from the metadata CSV,
//! the per-run options and what can be detected (title, province, city, level, region).
//!
//! Precedence for each metadata field: the file's row in the metadata CSV, then the per-run
//! option (`--level`, `--province`, …), then detection from the text, issuer or title.

use std::path::{Path, PathBuf};

use encoding_rs::Encoding;
use thiserror::Error;

use super::decode::{decode, DecodeError};
use super::derive;
use super::formats::{self, Format};
use super::gazetteer::{city_lookup, detect_location, province_short};
use super::meta::{MetaRow, MetaTable};
use super::normalize::normalize;
use super::regions::RegionScheme;
use super::split::split_doc;
use super::{DocMeta, Document, Kind, Level};
use crate::fsutil::hash_hex;

pub use super::meta::read_meta_csv;

/// What can go wrong importing a document file (or its metadata CSV); every message names the
/// file. Not the REFI-QDA importers' error, which is `export::RefiImportError`.
#[derive(Debug, Error)]
pub enum DocumentImportError {
    #[error("{path}: {cause}")]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("{path}: {cause}")]
    Decode { path: PathBuf, cause: DecodeError },
    #[error("{path}: {message}")]
    Format { path: PathBuf, message: String },
    #[error("{path}: unsupported file type (expected .txt, .md, .docx, .html, .htm or .pdf)")]
    Unsupported { path: PathBuf },
    #[error("{path}: {kind}, not a regular file; not read")]
    NotRegular { path: PathBuf, kind: &'static str },
    #[error(
        "{path}: the file is {size}, over the limit of {limit} MiB for a file to import; \
         split it into smaller files"
    )]
    TooLarge {
        path: PathBuf,
        size: String,
        limit: u64,
    },
    #[error("{path}: no text left after removing markup and control characters")]
    NoText { path: PathBuf },
    #[error("{path}:{line}: {message}")]
    Meta {
        path: PathBuf,
        line: u64,
        message: String,
    },
}

impl DocumentImportError {
    /// Wraps an I/O error with the file it concerns.
    pub(crate) fn io(path: &Path, cause: std::io::Error) -> Self {
        DocumentImportError::Io {
            path: path.to_path_buf(),
            cause,
        }
    }
}

/// Largest source file read (.txt, .md, .html, .docx), checked from the file's metadata before
/// anything is read. Real policy documents are well under 1 MiB; a 60 MiB text file takes about
/// 400 MB of memory to import, so this keeps an import within a 1 GB memory limit. A `.docx` is
/// also limited by what its text unpacks to ([`formats::MAX_DOCX_XML`]).
pub(crate) const MAX_SOURCE_FILE: u64 = 64 << 20;

/// The bytes of a source file: only a regular file (a FIFO or device is never opened, since
/// opening a FIFO for reading blocks until a writer comes), and only up to
/// [`MAX_SOURCE_FILE`], checked before reading and again while reading (the file may grow).
pub(crate) fn read_source(path: &Path) -> Result<Vec<u8>, DocumentImportError> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| DocumentImportError::io(path, e))?;
    let too_large = |size: u64| DocumentImportError::TooLarge {
        path: path.to_path_buf(),
        size: crate::fsutil::human_size(size),
        limit: MAX_SOURCE_FILE >> 20,
    };
    if !meta.is_file() {
        return Err(DocumentImportError::NotRegular {
            path: path.to_path_buf(),
            kind: crate::fsutil::file_kind(meta.file_type()),
        });
    }
    if meta.len() > MAX_SOURCE_FILE {
        return Err(too_large(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(|e| DocumentImportError::io(path, e))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_SOURCE_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| DocumentImportError::io(path, e))?;
    if bytes.len() as u64 > MAX_SOURCE_FILE {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Options of one import run. Unset fields are taken from the metadata CSV or detected.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Forced encoding (`--encoding`); `None` detects it.
    pub encoding: Option<&'static Encoding>,
    pub level: Option<Level>,
    pub province: Option<String>,
    pub city: Option<String>,
    pub issuer: Option<String>,
    pub date: Option<String>,
    pub kind: Option<Kind>,
    pub title: Option<String>,
    pub doc_number: Option<String>,
    pub topic: Option<String>,
    /// Rows of the metadata CSV (`--meta`), looked up by file name.
    pub meta: Option<MetaTable>,
    /// Region scheme used to fill [`DocMeta::region`].
    pub scheme: RegionScheme,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            encoding: None,
            level: None,
            province: None,
            city: None,
            issuer: None,
            date: None,
            kind: None,
            title: None,
            doc_number: None,
            topic: None,
            meta: None,
            scheme: RegionScheme::nbs2011(),
        }
    }
}

/// An imported document and what the user should know about it.
#[derive(Debug, Clone)]
pub struct Imported {
    pub doc: Document,
    /// E.g. `decoded with 3 replaced bytes`, `no row in metadata.csv`.
    pub warnings: Vec<String>,
}

/// Reads, decodes, normalises and splits one file and fills in its metadata.
pub fn read_document(path: &Path, opts: &ImportOptions) -> Result<Imported, DocumentImportError> {
    let format = Format::of(path).ok_or_else(|| DocumentImportError::Unsupported {
        path: path.to_path_buf(),
    })?;
    let bytes = read_source(path)?;
    let mut warnings = Vec::new();
    let decode_err = |cause| DocumentImportError::Decode {
        path: path.to_path_buf(),
        cause,
    };
    let (raw, html_title) = match format {
        Format::Docx => {
            let text =
                formats::docx_to_text(&bytes).map_err(|message| DocumentImportError::Format {
                    path: path.to_path_buf(),
                    message,
                })?;
            (text, None)
        }
        Format::Pdf => {
            let text =
                super::pdf::pdf_to_text(&bytes).map_err(|e| DocumentImportError::Format {
                    path: path.to_path_buf(),
                    message: e.to_string(),
                })?;
            (text, None)
        }
        Format::Text | Format::Markdown | Format::Html => {
            let forced = opts.encoding.or_else(|| {
                (format == Format::Html)
                    .then(|| html_charset(&bytes))
                    .flatten()
            });
            let d = decode(&bytes, forced).map_err(decode_err)?;
            if d.replaced > 0 {
                warnings.push(format!(
                    "decoded as {} with {} replaced byte{} (shown as \u{FFFD})",
                    d.encoding,
                    d.replaced,
                    if d.replaced == 1 { "" } else { "s" }
                ));
            }
            match format {
                Format::Markdown => (formats::markdown_to_text(&d.text), None),
                Format::Html => {
                    let page = super::html::page_text(&d.text);
                    if page.left_out > 0 {
                        warnings.push(format!(
                            "web page: kept the article, left out {} characters of navigation, \
                             footer and other page chrome",
                            page.left_out
                        ));
                    }
                    (page.text, page.title)
                }
                _ => (d.text, None),
            }
        }
    };
    let text = normalize(&raw);
    let split = split_doc(&text);
    if split.paragraphs.is_empty() {
        return Err(DocumentImportError::NoText {
            path: path.to_path_buf(),
        });
    }
    let row = match &opts.meta {
        Some(table) => {
            let row = table.get(path);
            if row.is_none() {
                warnings.push(format!("no row in {}", table.path.display()));
            }
            row
        }
        None => None,
    };
    let detected_title = split.title.or(html_title.map(|t| normalize(&t)));
    let meta = build_meta(path, row, opts, detected_title, &text, &mut warnings);
    Ok(Imported {
        doc: Document {
            id: doc_id(path),
            meta,
            paragraphs: split.paragraphs,
        },
        warnings,
    })
}

/// The CSV row's value if set, else the option's, else `fallback`; sanitised (see
/// [`clean_field`]), since metadata is shown on the terminal like the text is.
fn pick(row: Option<&str>, opt: &Option<String>, fallback: impl FnOnce() -> String) -> String {
    let v = match row.filter(|s| !s.is_empty()) {
        Some(s) => s.to_string(),
        None => match opt.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => s.to_string(),
            None => fallback(),
        },
    };
    clean_field(&v)
}

/// A one-line metadata value: normalised like document text (escape sequences, control
/// characters and bidi overrides removed, NFC) with line breaks turned into spaces.
pub(crate) fn clean_field(s: &str) -> String {
    normalize(s)
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn build_meta(
    path: &Path,
    row: Option<&MetaRow>,
    opts: &ImportOptions,
    detected_title: Option<String>,
    text: &str,
    warnings: &mut Vec<String>,
) -> DocMeta {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let title = pick(row.map(|r| r.title.as_str()), &opts.title, || {
        detected_title.clone().unwrap_or_else(|| stem.clone())
    });
    let issuer = pick(row.map(|r| r.issuer.as_str()), &opts.issuer, String::new);
    let detected = detect_location(&issuer, &title).or_else(|| derive::location_from_text(text));
    // A place found in the text never mixes with a province the user gave: its city and level
    // belong to its own province.
    let given_province = pick(
        row.map(|r| r.province.as_str()),
        &opts.province,
        String::new,
    );
    let given_province = province_short(&given_province)
        .map(str::to_string)
        .unwrap_or(given_province);
    let detected = detected.filter(|l| given_province.is_empty() || l.province == given_province);
    let mut province = pick(row.map(|r| r.province.as_str()), &opts.province, || {
        detected
            .as_ref()
            .map(|l| l.province.clone())
            .unwrap_or_default()
    });
    let city = pick(row.map(|r| r.city.as_str()), &opts.city, || {
        detected
            .as_ref()
            .map(|l| l.city.clone())
            .unwrap_or_default()
    });
    if let Some(short) = province_short(&province) {
        province = short.to_string();
    }
    let city = match city_lookup(&city) {
        Some((p, c)) => {
            if province.is_empty() {
                province = p.to_string();
            }
            c.to_string()
        }
        None => city,
    };
    let level = row
        .and_then(|r| r.level)
        .or(opts.level)
        .or(detected.as_ref().map(|l| l.level))
        .unwrap_or(if !city.is_empty() {
            Level::Municipal
        } else if !province.is_empty() {
            Level::Provincial
        } else {
            Level::Unknown
        });
    let region = match row.map(|r| r.region.as_str()).filter(|s| !s.is_empty()) {
        Some(r) => clean_field(r),
        None => opts
            .scheme
            .region_for(level, &province)
            .map(|r| r.id.clone())
            .unwrap_or_default(),
    };
    if level == Level::Unknown {
        warnings.push("level unknown: set it with --level or a metadata row".to_string());
    } else if region.is_empty() {
        warnings.push(format!(
            "no region for province {province:?} in scheme {}",
            opts.scheme.name
        ));
    }
    DocMeta {
        title,
        issuer,
        doc_number: pick(
            row.map(|r| r.doc_number.as_str()),
            &opts.doc_number,
            String::new,
        ),
        date: pick(row.map(|r| r.date.as_str()), &opts.date, || {
            derive::date_from_text(text).unwrap_or_default()
        }),
        level,
        province,
        city,
        region,
        kind: row.and_then(|r| r.kind).or(opts.kind).unwrap_or_default(),
        topic: pick(row.map(|r| r.topic.as_str()), &opts.topic, String::new),
        source_file: clean_field(&path.to_string_lossy()),
        given: Some(given_fields(row, opts)),
        content_hash: hash_hex(text.as_bytes(), 16),
    }
}

/// The metadata fields given explicitly, by a non-empty CSV value or an import flag.
fn given_fields(row: Option<&MetaRow>, opts: &ImportOptions) -> Vec<String> {
    let set = |v: Option<&str>| v.is_some_and(|v| !v.trim().is_empty());
    let row_has = |f: fn(&MetaRow) -> &str| set(row.map(f));
    let fields: [(&str, bool); 10] = [
        ("title", row_has(|r| &r.title) || set(opts.title.as_deref())),
        (
            "issuer",
            row_has(|r| &r.issuer) || set(opts.issuer.as_deref()),
        ),
        (
            "doc_number",
            row_has(|r| &r.doc_number) || set(opts.doc_number.as_deref()),
        ),
        ("date", row_has(|r| &r.date) || set(opts.date.as_deref())),
        (
            "level",
            row.is_some_and(|r| r.level.is_some()) || opts.level.is_some(),
        ),
        (
            "province",
            row_has(|r| &r.province) || set(opts.province.as_deref()),
        ),
        ("city", row_has(|r| &r.city) || set(opts.city.as_deref())),
        ("region", row_has(|r| &r.region)),
        (
            "kind",
            row.is_some_and(|r| r.kind.is_some()) || opts.kind.is_some(),
        ),
        ("topic", row_has(|r| &r.topic) || set(opts.topic.as_deref())),
    ];
    fields
        .iter()
        .filter(|(_, g)| *g)
        .map(|(f, _)| f.to_string())
        .collect()
}

/// A document id from a file name: its stem with letters (any script), digits, `-` and `_`
/// kept and anything else turned into `-`.
pub fn doc_id(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut id = String::with_capacity(stem.len());
    for c in stem.chars() {
        let keep = c.is_alphanumeric() || c == '-' || c == '_';
        let c = if keep { c } else { '-' };
        if c == '-' && id.ends_with('-') {
            continue;
        }
        id.push(c);
    }
    let id = id.trim_matches('-');
    if id.is_empty() {
        "doc".to_string()
    } else {
        id.to_string()
    }
}

/// The `charset` an HTML file declares in its first kilobytes, if encoding_rs knows it.
fn html_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let label: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    super::decode::encoding_by_label(&label)
}

#[cfg(test)]
mod tests;
