//! Word frequency: jieba segmentation (with every codebook keyword added to its dictionary),
//! stop lists, minimum length, synonym groups with shared counts, top N per group.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use rustc_hash::FxHashMap;

use crate::codebook::Codebook;
use crate::corpus::{Document, ParaKind};
use crate::study::StudyConfig;
use crate::wordseg::Cutter;

use super::{Cell, Groups, Table};

/// Built-in Chinese stop words: function words, and verbs and adverbs that pad every policy
/// sentence (加强, 推进, 进一步) without saying what the policy does.
pub(crate) const STOP_ZH: &[&str] = &[
    "的",
    "了",
    "和",
    "与",
    "及",
    "等",
    "在",
    "对",
    "为",
    "是",
    "将",
    "以",
    "并",
    "或",
    "中",
    "上",
    "下",
    "其",
    "之",
    "于",
    "由",
    "从",
    "把",
    "被",
    "向",
    "到",
    "有",
    "也",
    "而",
    "且",
    "就",
    "都",
    "又",
    "及其",
    "以及",
    "并且",
    "或者",
    "等等",
    "一个",
    "一些",
    "一批",
    "一是",
    "二是",
    "三是",
    "这",
    "这些",
    "那",
    "各",
    "各类",
    "各级",
    "各地",
    "有关",
    "相关",
    "方面",
    "我们",
    "我国",
    "我省",
    "我市",
    "加强",
    "推进",
    "推动",
    "进一步",
    "积极",
    "大力",
    "不断",
    "充分",
    "切实",
    "着力",
    "全面",
    "深入",
    "开展",
    "做好",
    "坚持",
    "按照",
    "根据",
    "通过",
    "围绕",
    "结合",
    "关于",
    "为了",
    "对于",
    "其中",
    "包括",
    "以上",
    "以下",
    "不",
    "没有",
    "可以",
    "应当",
    "要",
    "能",
    "会",
    "让",
    "使",
    "给",
    "如",
    "若",
    "则",
    "该",
    "此",
    "即",
    "之一",
    "年",
    "月",
    "日",
];

/// Built-in English stop words, for the English fragments of Chinese policy text.
pub(crate) const STOP_EN: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on",
    "or", "that", "the", "this", "to", "was", "were", "will", "with",
];

/// What to count and how to report it.
#[derive(Debug, Clone, PartialEq)]
pub struct FreqOptions {
    /// The study's own stop words, on top of the built-in lists.
    pub stop_words: Vec<String>,
    /// Shortest word counted, in characters.
    pub min_len: usize,
    /// Synonym groups; each group's first word is the reported name.
    pub synonyms: Vec<Vec<String>>,
    /// Rows reported per group.
    pub top: usize,
}

impl Default for FreqOptions {
    fn default() -> Self {
        FreqOptions {
            stop_words: Vec::new(),
            min_len: 2,
            synonyms: Vec::new(),
            top: 50,
        }
    }
}

impl FreqOptions {
    /// The study's stop words and synonym groups, with the given minimum length and top N.
    pub fn from_config(config: &StudyConfig, min_len: usize, top: usize) -> FreqOptions {
        FreqOptions {
            stop_words: config.stop_words.clone(),
            min_len,
            synonyms: config.synonyms.clone(),
            top,
        }
    }
}

/// One reported word.
#[derive(Debug, Clone, PartialEq)]
pub struct FreqRow {
    pub word: String,
    /// Length in characters.
    pub len: usize,
    /// Occurrences; fractional when a word belongs to several synonym groups.
    pub count: f64,
    /// `count` over all counted words of the group, in percent.
    pub pct: f64,
}

/// The top words of one group.
#[derive(Debug, Clone, PartialEq)]
pub struct FreqGroup {
    pub key: String,
    pub label: String,
    /// All counted words of the group (the denominator of `pct`).
    pub total: f64,
    pub rows: Vec<FreqRow>,
}

/// A segmenter prepared for a codebook and a set of documents. Its dictionary holds only what
/// those documents can meet (see [`crate::wordseg`]), so building it takes tens of
/// milliseconds instead of jieba's ~60 ms for the whole dictionary.
pub struct WordFreq {
    cutter: Cutter,
}

impl WordFreq {
    /// jieba for the paragraphs of `docs`, with every keyword of `codebook` and every word of
    /// `dictionary` (the study's, e.g. 区块链, which jieba's default dictionary cuts into 区块/链)
    /// kept whole, so that keywords such as 营商环境 stay one token.
    pub fn new(codebook: &Codebook, dictionary: &[String], docs: &[Document]) -> WordFreq {
        let words: Vec<&str> = codebook
            .nodes
            .iter()
            .flat_map(|n| n.keywords.iter())
            .chain(dictionary)
            .map(|k| k.as_str())
            .collect();
        WordFreq {
            cutter: Cutter::new(&words, crate::corpus::paragraph_texts(docs)),
        }
    }

    /// The countable words of `text`: jieba tokens with whitespace, punctuation and numbers
    /// dropped (a token must hold a letter or a CJK character), Latin letters lower-cased.
    // Test-only: the tests look at the words counted.
    #[cfg(test)]
    pub(crate) fn words(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.each_word(text, |w| out.push(w.into_owned()));
        out
    }

    /// Hands each countable word of `text` to `f` (jieba tokens holding a letter or a CJK
    /// character, Latin letters lower-cased) without an allocation per word: most words are
    /// Chinese and need no lower-casing, so they are handed out borrowed.
    fn each_word<'a>(&self, text: &'a str, mut f: impl FnMut(Cow<'a, str>)) {
        for t in self.cutter.cut(text, true) {
            let w = t.word.trim();
            if w.chars().any(char::is_alphabetic) {
                f(lower(w));
            }
        }
    }

    /// Word frequencies of the body paragraphs of `docs`, per group of `groups` (built from
    /// the same `docs`). The documents are shared out over the machine's cores.
    pub fn count(&self, docs: &[Document], groups: &Groups, opts: &FreqOptions) -> Vec<FreqGroup> {
        let rules = Rules::new(opts);
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
        let parts: Vec<Vec<FxHashMap<String, f64>>> = std::thread::scope(|s| {
            let handles: Vec<_> = chunks(docs, threads)
                .into_iter()
                .map(|range| {
                    let rules = &rules;
                    s.spawn(move || self.count_range(docs, range, groups, rules))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("word count thread panicked"))
                .collect()
        });
        let mut parts = parts.into_iter();
        let mut counts = parts
            .next()
            .unwrap_or_else(|| vec![FxHashMap::default(); groups.len()]);
        for part in parts {
            for (mine, theirs) in counts.iter_mut().zip(part) {
                for (w, n) in theirs {
                    *mine.entry(w).or_default() += n;
                }
            }
        }
        counts
            .into_iter()
            .enumerate()
            .map(|(g, c)| {
                let total: f64 = c.values().sum();
                let mut rows: Vec<FreqRow> = c
                    .into_iter()
                    .map(|(word, count)| FreqRow {
                        len: word.chars().count(),
                        pct: if total > 0.0 {
                            100.0 * count / total
                        } else {
                            0.0
                        },
                        word,
                        count,
                    })
                    .collect();
                // Ties broken by the word so output is deterministic.
                rows.sort_by(|a, b| {
                    b.count
                        .total_cmp(&a.count)
                        .then_with(|| a.word.cmp(&b.word))
                });
                rows.truncate(opts.top);
                FreqGroup {
                    key: groups.keys[g].clone(),
                    label: groups.labels[g].clone(),
                    total,
                    rows,
                }
            })
            .collect()
    }

    /// Counts of the documents `range` of `docs`, per group.
    fn count_range(
        &self,
        docs: &[Document],
        range: Range<usize>,
        groups: &Groups,
        rules: &Rules,
    ) -> Vec<FxHashMap<String, f64>> {
        let mut counts = vec![FxHashMap::<String, f64>::default(); groups.len()];
        for di in range {
            let Some(g) = groups.of_doc.get(di).copied() else {
                continue;
            };
            let counts = &mut counts[g];
            for p in docs[di]
                .paragraphs
                .iter()
                .filter(|p| p.kind == ParaKind::Body)
            {
                self.each_word(&p.text, |w| rules.add(counts, w));
            }
        }
        counts
    }
}

/// What [`WordFreq::count`] applies to every word: minimum length, stop words, synonyms.
struct Rules {
    min_len: usize,
    stop: HashSet<String>,
    /// Word -> the synonym groups (by name) it belongs to.
    syn: HashMap<String, Vec<String>>,
}

impl Rules {
    fn new(opts: &FreqOptions) -> Rules {
        let stop: HashSet<String> = STOP_ZH
            .iter()
            .chain(STOP_EN)
            .map(|s| s.to_string())
            .chain(opts.stop_words.iter().map(|s| s.trim().to_lowercase()))
            .collect();
        let mut syn: HashMap<String, Vec<String>> = HashMap::new();
        for g in &opts.synonyms {
            let Some(name) = g.first() else { continue };
            let mut members: Vec<String> = g.iter().map(|w| w.trim().to_lowercase()).collect();
            members.sort();
            members.dedup();
            for w in members {
                syn.entry(w).or_default().push(name.clone());
            }
        }
        Rules {
            min_len: opts.min_len,
            stop,
            syn,
        }
    }

    fn add(&self, counts: &mut FxHashMap<String, f64>, w: Cow<'_, str>) {
        if w.chars().count() < self.min_len || self.stop.contains(w.as_ref()) {
            return;
        }
        match self.syn.get(w.as_ref()) {
            // Shared equally so the group total (and 100%) is unchanged.
            Some(names) => {
                let share = 1.0 / names.len() as f64;
                for n in names {
                    *counts.entry(n.clone()).or_default() += share;
                }
            }
            None => match counts.get_mut(w.as_ref()) {
                Some(n) => *n += 1.0,
                None => {
                    counts.insert(w.into_owned(), 1.0);
                }
            },
        }
    }
}

/// `w` lower-cased, borrowed when that changes nothing (ASCII without capitals, and CJK
/// ideographs, which have no case).
fn lower(w: &str) -> Cow<'_, str> {
    let caseless = |c: char| {
        (c.is_ascii() && !c.is_ascii_uppercase()) || ('\u{4e00}'..='\u{9fff}').contains(&c)
    };
    if w.chars().all(caseless) {
        Cow::Borrowed(w)
    } else {
        Cow::Owned(w.to_lowercase())
    }
}

/// `docs` cut into at most `n` contiguous ranges of about equal body text.
fn chunks(docs: &[Document], n: usize) -> Vec<Range<usize>> {
    let size = |d: &Document| -> usize { d.paragraphs.iter().map(|p| p.text.len()).sum() };
    let total: usize = docs.iter().map(size).sum();
    let per = total / n.max(1) + 1;
    let (mut out, mut start, mut acc) = (Vec::new(), 0, 0);
    for (i, d) in docs.iter().enumerate() {
        acc += size(d);
        if acc >= per && out.len() + 1 < n {
            out.push(start..i + 1);
            start = i + 1;
            acc = 0;
        }
    }
    if start < docs.len() || out.is_empty() {
        out.push(start..docs.len());
    }
    out
}

/// All groups' top words as one long table: group, rank, word, length, count, percentage.
pub fn freq_table(groups: &[FreqGroup], opts: &FreqOptions) -> Table {
    use super::Column;
    let mut t = Table::with_columns(
        "freq",
        "Word frequency",
        vec![
            ("group".into(), Column::key("group").hidden()),
            ("label".into(), Column::label("group_label").short("group")),
            ("rank".into(), Column::key("rank")),
            ("word".into(), Column::key("word")),
            ("length".into(), Column::value(None, "length").hidden()),
            ("count".into(), Column::value(None, "count")),
            ("weighted %".into(), Column::value(None, "weighted_pct")),
        ],
    );
    for g in groups {
        for (i, r) in g.rows.iter().enumerate() {
            let count = if r.count.fract() == 0.0 {
                Cell::Int(r.count as i64)
            } else {
                Cell::num(Some(r.count), 2)
            };
            t.rows.push(vec![
                Cell::text(g.key.clone()),
                Cell::text(g.label.clone()),
                Cell::Int(i as i64 + 1),
                Cell::text(r.word.clone()),
                Cell::Int(r.len as i64),
                count,
                Cell::pct(Some(r.pct), 2),
            ]);
        }
    }
    t.notes.push(format!(
        "jieba segmentation of body paragraphs, codebook keywords added; built-in Chinese and \
         English stop lists plus {} study stop words; words of at least {} characters",
        opts.stop_words.len(),
        opts.min_len
    ));
    t.notes.push(
        "weighted % = count / all counted words of the group; a word in several synonym groups \
         has its count shared equally among them"
            .into(),
    );
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Level;
    use crate::stats::{fixture, By};

    #[test]
    fn keywords_stop_words_synonyms() {
        use ParaKind::{Body, NonBody};
        let mut cb = fixture::codebook();
        cb.nodes[1].keywords = vec!["营商环境".into()];
        let docs = vec![fixture::doc(
            "x",
            "east",
            Level::Provincial,
            "山东",
            "2020",
            &[
                (NonBody, "营商环境营商环境营商环境"),
                (Body, "优化营商环境，加强数据共享。2020年，数据开放123项。"),
                (Body, "推进数据共享和信息共享。"),
            ],
        )];
        let wf = WordFreq::new(&cb, &[], &docs);
        let words = wf.words("优化营商环境，加强数据共享。");
        assert!(words.contains(&"营商环境".to_string()), "{words:?}");
        assert!(!words.iter().any(|w| w == "，" || w == "2020"));
        let opts = FreqOptions {
            stop_words: vec!["优化".into()],
            // 共享 is in two groups: each of 数据 and 信息 gets half of every 共享.
            synonyms: vec![
                vec!["数据".into(), "共享".into()],
                vec!["信息".into(), "共享".into()],
            ],
            ..FreqOptions::default()
        };
        let groups = Groups::new(By::None, &fixture::scheme(), &docs);
        let out = wf.count(&docs, &groups, &opts);
        let rows = &out[0].rows;
        let get = |w: &str| rows.iter().find(|r| r.word == w).map(|r| r.count);
        // The non-body paragraph is skipped: 营商环境 once, not 4 times.
        assert_eq!(get("营商环境"), Some(1.0));
        assert_eq!(get("优化"), None);
        assert_eq!(get("加强"), None);
        // jieba keeps 数据共享 whole (twice); 数据 once (数据开放) + ½ of 共享 (信息共享);
        // 信息 once + the other ½. Counted words: 2 + 1.5 + 1.5 + 开放 + 营商环境 = 7.
        assert_eq!(get("数据共享"), Some(2.0));
        assert_eq!(get("数据"), Some(1.5));
        assert_eq!(get("信息"), Some(1.5));
        assert_eq!(get("共享"), None);
        assert_eq!(out[0].total, 7.0);
        let total: f64 = rows.iter().map(|r| r.pct).sum();
        assert!((total - 100.0).abs() < 1e-9, "{total}");
        assert!(rows.iter().all(|r| r.len >= 2));
        let t = freq_table(&out, &opts);
        assert_eq!(t.header[6], "weighted %");
    }
}
