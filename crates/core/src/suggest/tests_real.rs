//! Tests on the real policy documents of `../shared/corpus` (skipped when it is absent).

use super::testkit::{corpus_lines, policy_tools};
use super::Engine;

/// Lines long enough to be body paragraphs (page numbers and headings left out).
fn body_lines() -> Option<Vec<String>> {
    let files = corpus_lines()?;
    Some(
        files
            .into_iter()
            .flat_map(|(_, lines)| lines)
            .filter(|l| l.chars().count() >= 40)
            .collect(),
    )
}

#[test]
#[cfg_attr(
    polcode_no_shared,
    ignore = "needs ../shared (absent when the tests were built; touch build.rs after adding it)"
)]
fn most_real_paragraphs_get_keyword_suggestions() {
    let Some(lines) = body_lines() else { return };
    let cb = policy_tools();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let e = Engine::new(&cb, &refs);
    let with = refs
        .iter()
        .filter(|t| !e.suggest(t, None, 3).is_empty())
        .count();
    println!(
        "{with} of {} real paragraphs have a keyword suggestion",
        refs.len()
    );
    assert!(refs.len() > 1000);
    // 75% with this 17-node, ~70-keyword test codebook; a shipped codebook has more keywords.
    assert!(with * 3 >= refs.len() * 2, "{with} of {}", refs.len());
}

#[test]
#[cfg_attr(
    polcode_no_shared,
    ignore = "needs ../shared (absent when the tests were built; touch build.rs after adding it)"
)]
fn real_text_hits_and_highlights_slice_to_their_keywords() {
    let Some(lines) = body_lines() else { return };
    let cb = policy_tools();
    let e = Engine::new(&cb, &[]);
    let mut checked = 0;
    for text in &lines {
        let chars: Vec<char> = text.chars().collect();
        let slice = |s: usize, t: usize| chars[s..t].iter().collect::<String>();
        for s in e.suggest(text, None, 5) {
            for h in &s.hits {
                assert_eq!(
                    slice(h.start, h.end).to_lowercase(),
                    h.keyword.to_lowercase()
                );
                checked += 1;
            }
        }
        let hl = e.highlights(text);
        for w in hl.windows(2) {
            assert!(w[0].1 <= w[1].0, "overlap in {text}");
        }
        for (s, t) in hl {
            let word = slice(s, t);
            assert!(
                cb.nodes
                    .iter()
                    .any(|n| n.keywords.iter().any(|k| k.eq_ignore_ascii_case(&word))),
                "{word}"
            );
        }
    }
    assert!(checked > 1000, "{checked}");
}
