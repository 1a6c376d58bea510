//! The fixed sets of values some flags take (`--format`, `export --format`, `--by`, `--pool`,
//! `--lang`, …), as
//! clap value enums: clap refuses anything else as a usage error (exit code 2) naming the
//! value and the choices, `--help` lists them and shell completions offer them. Each converts
//! to the core type it stands for; the spellings the core's own parsers accept are kept as
//! aliases, and `--format`, `--by` and `--lang` ignore ASCII case, as those parsers did.

use clap::ValueEnum;
use polcode_core::stats::chart::Lang;
use polcode_core::stats::compare::Scope;
use polcode_core::stats::{By, Format, Pool};

/// `--format` of the table reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    #[value(alias = "txt", alias = "table")]
    Text,
    Csv,
    #[value(alias = "markdown")]
    Md,
    Json,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Text => Format::Text,
            FormatArg::Csv => Format::Csv,
            FormatArg::Md => Format::Markdown,
            FormatArg::Json => Format::Json,
        }
    }
}

/// `export --format`: what is written. Spelled exactly (as before it was a clap value), so
/// `CSV` is refused with the choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormatArg {
    Qdc,
    Qdpx,
    Csv,
    Matrix,
    Json,
    MatrixJson,
}

/// `--by`: what the documents are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    Region,
    Level,
    Province,
    Year,
    Kind,
    #[value(alias = "doc")]
    Document,
    /// One group holding every document.
    #[value(alias = "all")]
    None,
}

impl From<ByArg> for By {
    fn from(b: ByArg) -> By {
        match b {
            ByArg::Region => By::Region,
            ByArg::Level => By::Level,
            ByArg::Province => By::Province,
            ByArg::Year => By::Year,
            ByArg::Kind => By::Kind,
            ByArg::Document => By::Document,
            ByArg::None => By::None,
        }
    }
}

/// `--pool`: how several coders' codings combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PoolArg {
    /// One reference per coder (NVivo's convention).
    Pooled,
    /// A paragraph counts once if any coder coded it.
    Union,
}

impl From<PoolArg> for Pool {
    fn from(p: PoolArg) -> Pool {
        match p {
            PoolArg::Pooled => Pool::Pooled,
            PoolArg::Union => Pool::Union,
        }
    }
}

/// `chart --lang`: the language of every word on a chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    #[value(alias = "cn", alias = "chinese")]
    Zh,
    #[value(alias = "english")]
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Zh => Lang::Zh,
            LangArg::En => Lang::En,
        }
    }
}

/// `chart --metric`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MetricArg {
    /// The mean of the documents' coverages.
    Coverage,
    /// Reference points.
    #[value(alias = "references")]
    Refs,
}

/// `agree --scope`: which paragraphs a coder has rated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScopeArg {
    /// Those they coded or marked no-code.
    #[value(alias = "paragraph")]
    Decided,
    /// Every body paragraph of each document they decided anything in.
    Document,
}

impl From<ScopeArg> for Scope {
    fn from(s: ScopeArg) -> Scope {
        match s {
            ScopeArg::Decided => Scope::Decided,
            ScopeArg::Document => Scope::Document,
        }
    }
}

/// `stats --what`: which reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WhatArg {
    /// Documents and reference points.
    Tally,
    Coverage,
    Rubric,
    All,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every spelling the core's parsers take still reaches the same value.
    #[test]
    fn the_cores_spellings_are_kept() {
        let parse = |s: &str| FormatArg::from_str(s, true).map(Format::from).ok();
        for s in [
            "text", "txt", "table", "csv", "md", "markdown", "json", "JSON", "Md",
        ] {
            assert_eq!(parse(s), Format::parse(s), "{s}");
        }
        for s in [
            "region", "level", "province", "year", "kind", "document", "doc", "none", "all",
            "Region",
        ] {
            let ours = ByArg::from_str(s, true).map(By::from).ok();
            assert_eq!(ours, By::parse(s), "{s}");
        }
        for s in ["zh", "cn", "chinese", "en", "english", "EN"] {
            let ours = LangArg::from_str(s, true).map(Lang::from).ok();
            assert_eq!(ours, Lang::parse(s), "{s}");
        }
        for s in ["decided", "paragraph", "document"] {
            let ours = ScopeArg::from_str(s, true).map(Scope::from).ok();
            assert_eq!(ours, Scope::parse(s), "{s}");
        }
        assert!(FormatArg::from_str("xml", true).is_err());
        // export's formats, as its match on the string spelled them.
        let names: Vec<String> = ExportFormatArg::value_variants()
            .iter()
            .map(|v| v.to_possible_value().unwrap().get_name().to_string())
            .collect();
        assert_eq!(
            names,
            ["qdc", "qdpx", "csv", "matrix", "json", "matrix-json"]
        );
        assert!(ByArg::from_str("galaxy", true).is_err());
    }
}
