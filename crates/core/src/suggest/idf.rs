//! Keyword specificity across the study: how many paragraphs contain each keyword (an IDF
//! weight), and the mean paragraph length used for length normalisation.

use super::automaton::Matcher;

/// Corpus statistics the ranking needs, computed once per study and codebook.
#[derive(Debug, Clone)]
pub(crate) struct Idf {
    /// Smoothed IDF per pattern: `ln((N + 1) / (df + 1)) + 1`, so a keyword found in every
    /// paragraph still counts (1.0) and one found nowhere yet counts most.
    pub weights: Vec<f32>,
    /// Paragraphs containing each pattern at least once.
    // Test-only: the tests check IDF counts through `Engine::doc_freq`.
    #[cfg(test)]
    pub doc_freq: Vec<u32>,
    /// Mean paragraph length in characters (at least 1).
    pub avg_len: f32,
}

impl Idf {
    /// Counts, for every pattern of `matcher`, the paragraphs of `paragraphs` it occurs in.
    pub(crate) fn new(matcher: &Matcher, paragraphs: &[&str]) -> Idf {
        let n_pat = matcher.patterns().len();
        // Two halves on two threads: on a large study this scan is a visible part of start-up.
        let count = |part: &[&str]| -> (Vec<u32>, usize) {
            let mut doc_freq = vec![0u32; n_pat];
            // Which paragraph last counted a pattern, so each paragraph counts it once.
            let mut last_seen = vec![usize::MAX; n_pat];
            let mut chars = 0usize;
            for (i, text) in part.iter().enumerate() {
                chars += text.chars().count();
                for h in matcher.find(text) {
                    if last_seen[h.pattern] != i {
                        last_seen[h.pattern] = i;
                        doc_freq[h.pattern] += 1;
                    }
                }
            }
            (doc_freq, chars)
        };
        let (a, b) = paragraphs.split_at(paragraphs.len() / 2);
        let ((mut doc_freq, ca), (df_b, cb)) = std::thread::scope(|s| {
            let h = s.spawn(|| count(a));
            let rb = count(b);
            (
                h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
                rb,
            )
        });
        for (x, y) in doc_freq.iter_mut().zip(df_b) {
            *x += y;
        }
        let total_chars = ca + cb;
        let n = paragraphs.len() as f32;
        let weights = doc_freq
            .iter()
            .map(|&df| ((n + 1.0) / (df as f32 + 1.0)).ln() + 1.0)
            .collect();
        let avg_len = if paragraphs.is_empty() {
            // No study text yet: assume a typical policy paragraph so the normalisation is
            // neutral rather than extreme.
            120.0
        } else {
            (total_chars as f32 / n).max(1.0)
        };
        Idf {
            weights,
            #[cfg(test)]
            doc_freq,
            avg_len,
        }
    }
}
