//! Documents and paragraphs: reading files (formats, encodings), normalising text, splitting
//! into paragraphs, document metadata, provinces and regions.
//!
//! The stored form of a document is [`Document`]: its normalised paragraphs in order, each
//! marked body / heading / non-body with its section path, plus metadata. The document's text
//! is its paragraphs joined by `\n` ([`Document::text`]); exporters rely on that identity.

use serde::{Deserialize, Serialize};

pub mod context;
pub mod decode;
pub(crate) mod derive;
pub(crate) mod formats;
pub(crate) mod gazetteer;
pub(crate) mod html;
pub mod import;
pub mod lines;
pub(crate) mod meta;
pub mod normalize;
pub mod pdf;
pub mod regions;
pub(crate) mod remeta;
pub(crate) mod split;

/// Government level of the issuing body.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    National,
    Provincial,
    Municipal,
    County,
    #[default]
    Unknown,
}

impl Level {
    /// All levels in display order.
    pub(crate) const ALL: [Level; 5] = [
        Level::National,
        Level::Provincial,
        Level::Municipal,
        Level::County,
        Level::Unknown,
    ];

    /// Lower-case name as written in YAML and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::National => "national",
            Level::Provincial => "provincial",
            Level::Municipal => "municipal",
            Level::County => "county",
            Level::Unknown => "unknown",
        }
    }

    /// Parses `national`, `provincial`, `municipal`, `county` (also 国家/省/市/县 forms).
    pub fn parse(s: &str) -> Option<Level> {
        match s.trim().to_lowercase().as_str() {
            "national" | "central" | "国家" | "国家级" | "中央" => Some(Level::National),
            "provincial" | "province" | "省" | "省级" => Some(Level::Provincial),
            "municipal" | "city" | "市" | "市级" => Some(Level::Municipal),
            "county" | "district" | "县" | "区" | "县级" => Some(Level::County),
            "unknown" | "" => Some(Level::Unknown),
            _ => None,
        }
    }
}

/// Whether a document is a special policy on the topic or a related policy that mentions it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Special,
    Related,
    #[default]
    Unknown,
}

impl Kind {
    /// Lower-case name as written in YAML and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Special => "special",
            Kind::Related => "related",
            Kind::Unknown => "unknown",
        }
    }

    /// Parses `special` / `related` (also 专项 / 相关).
    pub fn parse(s: &str) -> Option<Kind> {
        match s.trim().to_lowercase().as_str() {
            "special" | "专项" | "专项政策" => Some(Kind::Special),
            "related" | "相关" | "相关政策" => Some(Kind::Related),
            "unknown" | "" => Some(Kind::Unknown),
            _ => None,
        }
    }
}

/// Metadata of one imported document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DocMeta {
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub issuer: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub doc_number: String,
    /// ISO date `YYYY-MM-DD` (or `YYYY`, `YYYY-MM` when only that is known).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub date: String,
    #[serde(default)]
    pub level: Level,
    /// Province short name as in the region scheme, e.g. `山东`; empty for national bodies.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub province: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub city: String,
    /// Region id from the region scheme: `national`, `east`, `central`, `west`, `northeast`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub region: String,
    #[serde(default)]
    pub kind: Kind,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub topic: String,
    /// The file this document was imported from: its path relative to the study when it lies
    /// inside the study, else its file name (never an absolute path: it would leak a home
    /// directory into a shared repository and differ per machine).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source_file: String,
    /// The fields the user gave explicitly (a metadata CSV value or an import flag), which a
    /// re-import never replaces by a value derived from the text; the others are re-derived.
    /// `None` in files written before polcode recorded this: then every known value counts as
    /// given and only unknown ones are derived again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given: Option<Vec<String>>,
    /// Hash of the normalised text (see [`crate::fsutil::hash_hex`]).
    #[serde(default)]
    pub content_hash: String,
}

impl DocMeta {
    /// The year of [`DocMeta::date`], if it starts with four digits.
    pub(crate) fn year(&self) -> Option<u16> {
        self.date.get(..4).and_then(|y| y.parse().ok())
    }
}

/// Role of a paragraph in its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum ParaKind {
    /// Running text: the unit of coding.
    #[default]
    Body,
    /// A heading with no body of its own (`一、总体要求`).
    Heading,
    /// Not policy content: title, page number, TOC line, database header, signature, date,
    /// addressee, `（此件公开发布）`. Kept for fidelity, skipped when coding.
    NonBody,
}

/// One paragraph: the unit of coding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Paragraph {
    /// 1-based position in the document.
    pub n: u32,
    #[serde(default)]
    pub kind: ParaKind,
    /// Section path of the headings above it, e.g. `三、（二）`; empty before the first heading.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub section: String,
    /// Hash of the normalised text, used to re-anchor decisions after re-import.
    pub hash: String,
    pub text: String,
}

/// An imported document with its paragraphs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Stable id derived from the source file name (e.g. `01_national_CN_2017_ai-dev-plan`).
    pub id: String,
    pub meta: DocMeta,
    pub paragraphs: Vec<Paragraph>,
}

impl Document {
    /// The paragraph id of paragraph `n`: `<doc id>#<n>`.
    pub fn para_id(&self, n: u32) -> String {
        para_id(&self.id, n)
    }

    /// The document text: paragraphs joined by `\n`. Exports and coverage use this identity.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for (i, p) in self.paragraphs.iter().enumerate() {
            if i > 0 {
                s.push('\n');
            }
            s.push_str(&p.text);
        }
        s
    }

    /// Number of characters (code points) in body paragraphs: the denominator of coverage.
    pub(crate) fn body_chars(&self) -> usize {
        self.paragraphs
            .iter()
            .filter(|p| p.kind == ParaKind::Body)
            .map(|p| p.text.chars().count())
            .sum()
    }
}

/// The units of coding of a corpus: `(document index, paragraph index)` of every body
/// paragraph, in reading order.
pub fn body_units(docs: &[Document]) -> Vec<(usize, usize)> {
    docs.iter()
        .enumerate()
        .flat_map(|(d, doc)| {
            doc.paragraphs
                .iter()
                .enumerate()
                .filter(|(_, p)| p.kind == ParaKind::Body)
                .map(move |(p, _)| (d, p))
        })
        .collect()
}

/// The text of every paragraph of `docs` (all kinds), in reading order: what the keyword
/// engine and jieba are built over.
pub fn paragraph_texts(docs: &[Document]) -> impl Iterator<Item = &str> {
    docs.iter()
        .flat_map(|d| d.paragraphs.iter().map(|p| p.text.as_str()))
}

/// Builds the id of paragraph `n` of document `doc`.
pub(crate) fn para_id(doc: &str, n: u32) -> String {
    format!("{doc}#{n}")
}

/// Splits a paragraph id into document id and ordinal.
pub fn parse_para_id(id: &str) -> Option<(&str, u32)> {
    let (doc, n) = id.rsplit_once('#')?;
    Some((doc, n.parse().ok()?))
}
