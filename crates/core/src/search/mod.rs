//! Text search over a study's paragraphs (`polcode search`, and `f` in the coding screen): one
//! matcher and one walk over the corpus shared by both, so the command line and the screen
//! always find the same hits.
//!
//! A pattern is literal text (Chinese has no word boundaries to trust), with `|` between
//! alternatives (`\|` is a literal bar, `\\` a backslash); or, asked for, a regular expression.
//! Hits are found left to right without overlap; of alternatives starting at the same place the
//! longest wins. `whole_words` keeps only hits that start and end on jieba word boundaries (the
//! study's segmenter: codebook keywords and the study dictionary kept whole); `synonyms` adds
//! every member of the study's synonym groups (`polcode.yaml` `synonyms`) an alternative
//! belongs to. Spans are byte ranges into the paragraph text.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use thiserror::Error;

use crate::corpus::{Document, ParaKind};
use crate::study::Study;
use crate::wordseg::Cutter;

pub mod report;

/// What to search for and how.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Spec {
    /// The pattern as typed.
    pub pattern: String,
    /// The pattern is a regular expression (Rust `regex` syntax), not literal text.
    pub regex: bool,
    /// Keep only hits that start and end on jieba word boundaries.
    pub whole_words: bool,
    /// Add the members of the study's synonym groups each alternative belongs to.
    pub synonyms: bool,
    /// ASCII letters match either case.
    pub ignore_case: bool,
}

impl Spec {
    /// A literal pattern with no options.
    pub fn literal(pattern: &str) -> Spec {
        Spec {
            pattern: pattern.to_string(),
            ..Spec::default()
        }
    }

    /// Reads what is typed at the coding screen's search prompt: leading options `-w`,
    /// `-r` (or `--regex`), `-s` (or `--synonyms`), `-i`, each followed by a space, then the
    /// pattern. The same options as `polcode search`, so a search can be repeated in either.
    pub fn from_prompt(input: &str) -> Spec {
        let mut spec = Spec::default();
        let mut rest = input.trim_start();
        while let Some((flag, after)) = rest.split_once(' ') {
            match flag {
                "-w" | "--words" => spec.whole_words = true,
                "-r" | "--regex" => spec.regex = true,
                "-s" | "--synonyms" => spec.synonyms = true,
                "-i" | "--ignore-case" => spec.ignore_case = true,
                _ => break,
            }
            rest = after.trim_start();
        }
        spec.pattern = rest.trim().to_string();
        spec
    }

    /// The search as options and pattern, as the prompt and `polcode search` read it
    /// (`-w 区块链`).
    pub fn display(&self) -> String {
        let mut s = String::new();
        for (on, flag) in [
            (self.regex, "--regex "),
            (self.whole_words, "-w "),
            (self.synonyms, "--synonyms "),
            (self.ignore_case, "-i "),
        ] {
            if on {
                s.push_str(flag);
            }
        }
        s.push_str(&self.pattern);
        s
    }
}

/// A pattern that cannot be searched for.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum SearchError {
    #[error("empty search pattern")]
    Empty,
    #[error("empty alternative in {0:?} (write \\| for a literal bar)")]
    EmptyAlternative(String),
    #[error("--synonyms expands literal alternatives; it does not apply to a regular expression")]
    SynonymsWithRegex,
    #[error("invalid regular expression: {0}")]
    Regex(String),
    #[error(
        "the regular expression {0:?} matches empty text; it must match at least one character"
    )]
    MatchesEmpty(String),
}

enum Kind {
    /// Leftmost-longest for plain search; `overlapping` finds every candidate for `-w`.
    Literal {
        leftmost: AhoCorasick,
        overlapping: AhoCorasick,
    },
    Regex(regex::Regex),
}

/// A compiled search: `Matcher::find` gives the hits in one text.
pub struct Matcher {
    kind: Kind,
    /// The literal alternatives searched for (after synonym expansion); empty for a regex.
    pub alternatives: Vec<String>,
    cutter: Option<Cutter>,
    pub spec: Spec,
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher")
            .field("spec", &self.spec)
            .field("alternatives", &self.alternatives)
            .finish_non_exhaustive()
    }
}

/// Splits a literal pattern at unescaped `|` (`\|` is a bar, `\\` a backslash), trimming each
/// alternative.
pub(crate) fn alternatives(pattern: &str) -> Result<Vec<String>, SearchError> {
    if pattern.trim().is_empty() {
        return Err(SearchError::Empty);
    }
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(n @ ('|' | '\\')) => cur.push(n),
                Some(n) => {
                    cur.push('\\');
                    cur.push(n);
                }
                None => cur.push('\\'),
            },
            '|' => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    let out: Vec<String> = out.into_iter().map(|a| a.trim().to_string()).collect();
    if out.iter().any(String::is_empty) {
        return Err(SearchError::EmptyAlternative(pattern.to_string()));
    }
    Ok(out)
}

/// `alts` with every member of each synonym group that holds one of them, in order, once each.
pub(crate) fn expand_synonyms(alts: &[String], groups: &[Vec<String>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |w: &str| {
        let w = w.trim();
        if !w.is_empty() && !out.iter().any(|o| o == w) {
            out.push(w.to_string());
        }
    };
    for a in alts {
        add(a);
        for g in groups {
            if g.iter().any(|w| w.trim() == a) {
                g.iter().for_each(|w| add(w));
            }
        }
    }
    out
}

impl Matcher {
    /// Compiles `spec`. `synonyms` are the study's groups (used when `spec.synonyms`); `cutter`
    /// is the segmenter for `spec.whole_words` (see [`Matcher::for_study`]).
    pub(crate) fn new(
        spec: &Spec,
        synonyms: &[Vec<String>],
        cutter: Option<Cutter>,
    ) -> Result<Matcher, SearchError> {
        if spec.pattern.trim().is_empty() {
            return Err(SearchError::Empty);
        }
        let (kind, alts) = if spec.regex {
            if spec.synonyms {
                return Err(SearchError::SynonymsWithRegex);
            }
            let re = regex::RegexBuilder::new(&spec.pattern)
                .case_insensitive(spec.ignore_case)
                .size_limit(1 << 24)
                .build()
                .map_err(|e| SearchError::Regex(e.to_string()))?;
            if re.is_match("") {
                return Err(SearchError::MatchesEmpty(spec.pattern.clone()));
            }
            (Kind::Regex(re), Vec::new())
        } else {
            let mut alts = alternatives(&spec.pattern)?;
            if spec.synonyms {
                alts = expand_synonyms(&alts, synonyms);
            }
            let build = |kind: MatchKind| {
                AhoCorasickBuilder::new()
                    .match_kind(kind)
                    .ascii_case_insensitive(spec.ignore_case)
                    .build(&alts)
                    .map_err(|e| SearchError::Regex(e.to_string()))
            };
            let kind = Kind::Literal {
                leftmost: build(MatchKind::LeftmostLongest)?,
                overlapping: build(MatchKind::Standard)?,
            };
            (kind, alts)
        };
        Ok(Matcher {
            kind,
            alternatives: alts,
            cutter: if spec.whole_words { cutter } else { None },
            spec: spec.clone(),
        })
    }

    /// Compiles `spec` for `study`: its synonym groups, and for `whole_words` its segmenter
    /// (jieba over the study's text with the codebook keywords and the study dictionary kept
    /// whole, as `polcode freq` cuts).
    pub fn for_study(spec: &Spec, study: &Study) -> Result<Matcher, SearchError> {
        let cutter = spec.whole_words.then(|| {
            let words: Vec<&str> = study
                .codebook
                .nodes
                .iter()
                .flat_map(|n| n.keywords.iter())
                .chain(&study.config.dictionary)
                .map(String::as_str)
                .collect();
            Cutter::new(&words, crate::corpus::paragraph_texts(&study.docs))
        });
        Matcher::new(spec, &study.config.synonyms, cutter)
    }

    /// The hits in `text`: byte ranges, in order, not overlapping, never empty.
    pub(crate) fn find(&self, text: &str) -> Vec<Range<usize>> {
        match (&self.kind, &self.cutter) {
            (Kind::Literal { leftmost, .. }, None) => {
                leftmost.find_iter(text).map(|m| m.range()).collect()
            }
            (Kind::Regex(re), None) => re
                .find_iter(text)
                .map(|m| m.range())
                .filter(|r| !r.is_empty())
                .collect(),
            (Kind::Literal { overlapping, .. }, Some(cutter)) => {
                // Every candidate, kept when on word boundaries, then leftmost-longest without
                // overlap: a candidate inside a longer word must not hide one that fits.
                let mut cands: Vec<Range<usize>> = overlapping
                    .find_overlapping_iter(text)
                    .map(|m| m.range())
                    .collect();
                if cands.is_empty() {
                    return cands;
                }
                let bounds = boundaries(cutter, text);
                cands.retain(|r| on_bounds(&bounds, r));
                cands.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
                let mut out: Vec<Range<usize>> = Vec::new();
                for r in cands {
                    if out.last().is_none_or(|l| r.start >= l.end) {
                        out.push(r);
                    }
                }
                out
            }
            (Kind::Regex(re), Some(cutter)) => {
                let cands: Vec<Range<usize>> = re
                    .find_iter(text)
                    .map(|m| m.range())
                    .filter(|r| !r.is_empty())
                    .collect();
                if cands.is_empty() {
                    return cands;
                }
                let bounds = boundaries(cutter, text);
                cands
                    .into_iter()
                    .filter(|r| on_bounds(&bounds, r))
                    .collect()
            }
        }
    }
}

/// Byte offsets where jieba's tokens of `text` start or end, sorted.
fn boundaries(cutter: &Cutter, text: &str) -> Vec<usize> {
    let mut b: Vec<usize> = vec![0, text.len()];
    for t in cutter.cut(text, true) {
        b.push(t.byte_start);
        b.push(t.byte_end);
    }
    b.sort_unstable();
    b.dedup();
    b
}

fn on_bounds(bounds: &[usize], r: &Range<usize>) -> bool {
    bounds.binary_search(&r.start).is_ok() && bounds.binary_search(&r.end).is_ok()
}

/// Which paragraphs are searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Body paragraphs: the units of coding, the paragraphs the coding screen visits.
    Body,
    /// Every paragraph, headings and non-body lines (titles, signatures) too.
    All,
}

/// The hits in one paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParaHits {
    /// Index of the document in the study.
    pub doc: usize,
    /// Index of the paragraph in the document.
    pub para: usize,
    /// Byte ranges of the hits in the paragraph text.
    pub spans: Vec<Range<usize>>,
}

/// Every paragraph of `docs` in `scope` with at least one hit, in reading order.
pub fn search(docs: &[Document], m: &Matcher, scope: Scope) -> Vec<ParaHits> {
    let mut out = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        for (p, para) in doc.paragraphs.iter().enumerate() {
            if scope == Scope::Body && para.kind != ParaKind::Body {
                continue;
            }
            let spans = m.find(&para.text);
            if !spans.is_empty() {
                out.push(ParaHits {
                    doc: d,
                    para: p,
                    spans,
                });
            }
        }
    }
    out
}

/// `span` (bytes) of `text` as character offsets, for drawing.
pub fn char_span(text: &str, span: &Range<usize>) -> (usize, usize) {
    let start = text[..span.start].chars().count();
    (start, start + text[span.clone()].chars().count())
}

/// Totals of a search: hits, paragraphs and documents with hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    pub hits: usize,
    pub paragraphs: usize,
    pub documents: usize,
}

/// Counts hits, paragraphs and distinct documents of `hits`.
pub fn totals(hits: &[ParaHits]) -> Totals {
    let mut docs: Vec<usize> = hits.iter().map(|h| h.doc).collect();
    docs.dedup();
    Totals {
        hits: hits.iter().map(|h| h.spans.len()).sum(),
        paragraphs: hits.len(),
        documents: docs.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(p: &str) -> Matcher {
        Matcher::new(&Spec::literal(p), &[], None).unwrap()
    }

    #[test]
    fn literal_alternatives_are_leftmost_longest_without_overlap() {
        let m = lit("数据|数据共享|a\\|b");
        let t = "推进数据共享，开放数据。a|b";
        let hits: Vec<&str> = m.find(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(hits, vec!["数据共享", "数据", "a|b"]);
        // Same count as str::matches for one pattern that cannot overlap itself.
        assert_eq!(lit("区块链").find("区块链区块链x区块链").len(), 3);
        assert_eq!(lit("aa").find("aaaa").len(), 2);
    }

    #[test]
    fn bad_patterns_are_refused() {
        assert_eq!(alternatives("  ").unwrap_err(), SearchError::Empty);
        assert!(matches!(
            alternatives("a||b"),
            Err(SearchError::EmptyAlternative(_))
        ));
        let re = |p: &str| Spec {
            regex: true,
            ..Spec::literal(p)
        };
        assert!(matches!(
            Matcher::new(&re("a("), &[], None),
            Err(SearchError::Regex(_))
        ));
        assert!(matches!(
            Matcher::new(&re("x*"), &[], None),
            Err(SearchError::MatchesEmpty(_))
        ));
        let m = Matcher::new(&re("数字.{0,2}经济"), &[], None).unwrap();
        assert_eq!(m.find("发展数字经济和数字化经济").len(), 2);
    }

    #[test]
    fn synonyms_expand_literal_alternatives() {
        let groups = vec![vec!["区块链".to_string(), "分布式账本".to_string()]];
        let spec = Spec {
            synonyms: true,
            ..Spec::literal("分布式账本|数据")
        };
        let m = Matcher::new(&spec, &groups, None).unwrap();
        assert_eq!(m.alternatives, vec!["分布式账本", "区块链", "数据"]);
        assert_eq!(m.find("区块链与分布式账本").len(), 2);
    }

    #[test]
    fn whole_words_keep_only_hits_on_jieba_boundaries() {
        let text = "建设大数据中心，推进数据共享";
        let cutter = Cutter::new(&[], [text]);
        let spec = Spec {
            whole_words: true,
            ..Spec::literal("数据")
        };
        let m = Matcher::new(&spec, &[], Some(cutter)).unwrap();
        let tokens: Vec<&str> = Cutter::new(&[], [text])
            .cut(text, true)
            .iter()
            .map(|t| t.word)
            .collect();
        let hits: Vec<Range<usize>> = m.find(text);
        // Every kept hit is made of whole tokens; 大数据 holds 数据 inside a word.
        for r in &hits {
            assert!(tokens.iter().any(|t| *t == &text[r.clone()]), "{tokens:?}");
        }
        assert!(hits.len() < lit("数据").find(text).len(), "{tokens:?}");
    }

    #[test]
    fn prompt_options() {
        let s = Spec::from_prompt("-w  -i 区块链|AI ");
        assert!(s.whole_words && s.ignore_case && !s.regex);
        assert_eq!(s.pattern, "区块链|AI");
        assert_eq!(s.display(), "-w -i 区块链|AI");
        assert_eq!(Spec::from_prompt("-x y").pattern, "-x y");
        assert_eq!(Spec::from_prompt("区块链"), Spec::literal("区块链"));
    }
}
