//! jieba built for a known body of text, with only the part of its dictionary that text can
//! meet.
//!
//! `Jieba::new()` inserts all 349,045 words of jieba's dictionary into a trie: ~60 ms and
//! ~35 MB, paid by every `polcode freq` and by the TUI's learner. But jieba's result for a text
//! depends only on (a) the dictionary words that are substrings of it (its word graph is built
//! from those; the HMM for unknown runs only asks whether a substring is a word) and (b) the
//! dictionary's total frequency (every path's score is `ln(freq) - ln(total)` per word). So a
//! dictionary that keeps every word whose characters and adjacent character pairs all occur
//! in the texts — a superset of the words that are substrings of them — plus one filler entry
//! carrying the frequency of the dropped words (so the total is unchanged) cuts those texts
//! exactly as the full dictionary does. For the 41 real documents that keeps 15,608 entries
//! of 349,045 (tests/wordseg_real.rs).
//!
//! A text that brings a character pair the dictionary was not built for is cut with the full
//! dictionary instead (built on first need), so a [`Cutter`] is never wrong, only slower.

use std::sync::OnceLock;

use jieba_rs::{Jieba, Token};
use rustc_hash::FxHashSet;

/// jieba's default dictionary, `word freq tag` per line: jieba 0.42.1's `dict.txt` (MIT,
/// github.com/fxsjy/jieba), byte-identical to the copy jieba-rs 0.11 embeds.
static DICT: &str = include_str!("dict.txt");

/// Holds the frequency of every word left out. It starts with NUL, which never occurs in a
/// jieba block (nor in a normalised document), so it is never part of a word graph.
const FILLER: &str = "\u{0}polcode-pruned-words";

/// The characters and adjacent character pairs seen in some texts.
#[derive(Debug, Default, Clone)]
pub(crate) struct Vocab {
    /// `pair(a, b)` for every adjacent pair, and `pair(c, '\0')` for every character.
    seen: FxHashSet<u64>,
}

fn pair(a: char, b: char) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

impl Vocab {
    /// Records the characters and adjacent pairs of `text`.
    pub(crate) fn add(&mut self, text: &str) {
        let mut prev = None;
        for c in text.chars() {
            self.seen.insert(pair(c, '\0'));
            if let Some(p) = prev {
                self.seen.insert(pair(p, c));
            }
            prev = Some(c);
        }
    }

    /// Whether `word` could be a substring of the texts seen (all its characters and adjacent
    /// pairs occur in them). Never false for a real substring; true for a whole text means
    /// every substring of it passes too.
    pub(crate) fn may_contain(&self, word: &str) -> bool {
        let mut prev = None;
        for c in word.chars() {
            let key = match prev {
                Some(p) => pair(p, c),
                None => pair(c, '\0'),
            };
            if !self.seen.contains(&key) {
                return false;
            }
            prev = Some(c);
        }
        true
    }
}

/// jieba with every word of `words` kept whole (added in order with jieba's suggested
/// frequency, as `Jieba::add_word(w, None, None)` does), its dictionary cut down to what the
/// texts given to [`Cutter::new`] can meet.
pub struct Cutter {
    pruned: Jieba,
    vocab: Vocab,
    words: Vec<String>,
    kept: usize,
    full: OnceLock<Jieba>,
}

impl std::fmt::Debug for Cutter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cutter")
            .field("kept", &self.kept)
            .field("words", &self.words.len())
            .finish_non_exhaustive()
    }
}

impl Cutter {
    /// A cutter exact for `texts` (and any text made of their characters and pairs), with
    /// `words` (codebook keywords, the study's dictionary) kept whole.
    pub fn new<'t>(words: &[&str], texts: impl IntoIterator<Item = &'t str>) -> Cutter {
        let words: Vec<String> = words
            .iter()
            .map(|w| w.trim())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        let mut vocab = Vocab::default();
        for t in texts {
            vocab.add(t);
        }
        // Adding a word cuts it with the dictionary to suggest its frequency, so the words'
        // own substrings must be kept too.
        for w in &words {
            vocab.add(w);
        }
        let (pruned, kept) = load(|w| vocab.may_contain(w), &words);
        Cutter {
            pruned,
            vocab,
            words,
            kept,
            full: OnceLock::new(),
        }
    }

    /// jieba's tokens of `text`, exactly as the full dictionary (plus the words) would give.
    pub fn cut<'a>(&self, text: &'a str, hmm: bool) -> Vec<Token<'a>> {
        self.jieba_for(text).cut(text, hmm)
    }

    /// Dictionary entries kept (of 349,045).
    pub fn kept(&self) -> usize {
        self.kept
    }

    /// Whether `text` is cut with the pruned dictionary (else with the full one).
    pub fn covers(&self, text: &str) -> bool {
        self.vocab.may_contain(text)
    }

    fn jieba_for(&self, text: &str) -> &Jieba {
        if self.vocab.may_contain(text) {
            &self.pruned
        } else {
            self.full.get_or_init(|| load(|_| true, &self.words).0)
        }
    }
}

/// jieba with the whole bundled dictionary, read by jieba-rs's own loader (`Jieba::with_dict`):
/// what `Jieba::new()` builds from jieba-rs's embedded copy of the same file. The yardstick the
/// pruned dictionary is checked against in tests and benchmarks.
pub fn full_dictionary() -> Jieba {
    Jieba::with_dict(&mut DICT.as_bytes()).expect("the bundled dictionary parses")
}

/// Sum of the frequencies of [`DICT`] (checked by a test), so the frequency of the dropped
/// entries is known without parsing their lines.
const DICT_TOTAL: usize = 60_101_964;

/// jieba with the dictionary entries `keep` accepts, a filler entry for the frequency of the
/// rest, then `words` added; and the number of entries kept.
fn load(keep: impl Fn(&str) -> bool, words: &[String]) -> (Jieba, usize) {
    let mut jieba = Jieba::empty();
    let (mut kept, mut kept_freq) = (0usize, 0usize);
    for line in DICT.lines() {
        // Most words are dropped after a hash lookup or two: look at the word before parsing
        // the rest of the line.
        let word = line.split(' ').next().unwrap_or("");
        if word.is_empty() || !keep(word) {
            continue;
        }
        let mut rest = line[word.len()..].split_ascii_whitespace();
        let freq: usize = rest.next().and_then(|f| f.parse().ok()).unwrap_or(0);
        jieba.add_word(word, Some(freq), rest.next());
        kept += 1;
        kept_freq += freq;
    }
    if kept_freq < DICT_TOTAL {
        jieba.add_word(FILLER, Some(DICT_TOTAL - kept_freq), None);
    }
    for w in words {
        jieba.add_word(w, None, None);
    }
    (jieba, kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words_of<'a>(c: &Cutter, text: &'a str, hmm: bool) -> Vec<&'a str> {
        c.cut(text, hmm).into_iter().map(|t| t.word).collect()
    }

    fn full_jieba(words: &[&str]) -> Jieba {
        let mut j = full_dictionary();
        for w in words {
            j.add_word(w, None, None);
        }
        j
    }

    #[test]
    fn pruned_cut_equals_the_full_dictionary() {
        let texts = [
            "加快推进区块链技术和产业创新发展，持续优化营商环境。",
            "支持企业开展4S店、O2O等新模式，推动5G网络和AI应用。",
            "南京市长江大桥，结婚的和尚未结婚的。",
        ];
        let words = ["营商环境", "区块链", "数据共享"];
        let c = Cutter::new(&words, texts);
        let full = full_jieba(&words);
        assert!(c.kept() < 349_045 / 10, "kept {}", c.kept());
        for t in texts {
            assert!(c.covers(t));
            for hmm in [false, true] {
                let want: Vec<&str> = full.cut(t, hmm).into_iter().map(|t| t.word).collect();
                assert_eq!(words_of(&c, t, hmm), want, "{t} hmm={hmm}");
            }
        }
        assert!(
            c.full.get().is_none(),
            "covered texts never need the full dictionary"
        );
    }

    #[test]
    fn uncovered_text_falls_back_to_the_full_dictionary() {
        let c = Cutter::new(&["营商环境"], ["优化营商环境"]);
        let t = "中华人民共和国成立，清华大学的研究生命起源。";
        assert!(!c.covers(t));
        let full = full_jieba(&["营商环境"]);
        let want: Vec<&str> = full.cut(t, true).into_iter().map(|t| t.word).collect();
        assert_eq!(words_of(&c, t, true), want);
        assert!(c.full.get().is_some());
    }

    #[test]
    fn vocab_never_rejects_a_substring() {
        let mut v = Vocab::default();
        v.add("推进数字政府建设");
        for w in ["数字", "数字政府", "推", "政府建设", "推进数字政府建设"] {
            assert!(v.may_contain(w), "{w}");
        }
        for w in ["政府数字", "建设推进", "区块链", "数政"] {
            assert!(!v.may_contain(w), "{w}");
        }
    }

    #[test]
    fn the_bundled_dictionary_has_its_entries_and_total() {
        let total: usize = DICT
            .lines()
            .filter_map(|l| l.split_ascii_whitespace().nth(1)?.parse::<usize>().ok())
            .sum();
        assert_eq!(DICT.lines().count(), 349_045);
        assert_eq!(total, DICT_TOTAL);
        let j = full_dictionary();
        for l in DICT.lines().step_by(997) {
            let w = l.split_ascii_whitespace().next().unwrap();
            assert!(j.has_word(w), "{w}");
        }
    }

    #[test]
    #[cfg(feature = "jieba-default-dict")]
    fn the_bundled_dictionary_is_jiebas() {
        // Every 997th entry of the bundled file is a word of jieba-rs's embedded copy, and the
        // two cut the same text alike (entries and total: the test above).
        let (ours, theirs) = (full_dictionary(), Jieba::new());
        for l in DICT.lines().step_by(997) {
            let w = l.split_ascii_whitespace().next().unwrap();
            assert!(theirs.has_word(w), "{w}");
        }
        let t = "加快推进区块链技术和产业创新发展，南京市长江大桥。";
        let words = |j: &Jieba| -> Vec<String> {
            j.cut(t, true)
                .into_iter()
                .map(|t| t.word.to_string())
                .collect()
        };
        assert_eq!(words(&ours), words(&theirs));
    }
}
