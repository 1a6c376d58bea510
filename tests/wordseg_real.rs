//! The pruned jieba dictionary (`polcode_core::wordseg`) against the full one (jieba-rs
//! loading the whole bundled `dict.txt`, `wordseg::full_dictionary`) on the real corpus: every paragraph of the 41 documents, with and without the HMM, with the
//! bundled codebook's keywords added, must be cut into exactly the same tokens.
//! Prints that it was skipped and passes when `../shared` is absent.

use std::path::{Path, PathBuf};

use polcode_core::codebook::{bundled, load::load_str};
use polcode_core::corpus::import::{read_document, ImportOptions};
use polcode_core::wordseg::Cutter;

fn corpus_texts() -> Option<Vec<String>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/docs");
    if !dir.exists() {
        println!("skipped: {} is absent", dir.display());
        return None;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut texts = Vec::new();
    for f in files {
        let doc = read_document(&f, &ImportOptions::default())
            .unwrap_or_else(|e| panic!("{e}"))
            .doc;
        texts.extend(doc.paragraphs.into_iter().map(|p| p.text));
    }
    Some(texts)
}

#[test]
#[cfg_attr(
    polcode_no_shared,
    ignore = "needs ../shared (absent when the tests were built; touch build.rs after adding it)"
)]
fn pruned_dictionary_cuts_the_real_corpus_like_the_full_one() {
    let Some(texts) = corpus_texts() else { return };
    let cb = load_str(bundled::get("policy-tools").unwrap(), "policy-tools").unwrap();
    let mut words: Vec<&str> = cb
        .nodes
        .iter()
        .flat_map(|n| n.keywords.iter().map(String::as_str))
        .collect();
    words.push("区块链");
    let cutter = Cutter::new(&words, texts.iter().map(String::as_str));
    let mut full = polcode_core::wordseg::full_dictionary();
    for w in &words {
        full.add_word(w, None, None);
    }
    println!(
        "{} paragraphs; dictionary entries kept: {} of 349045",
        texts.len(),
        cutter.kept()
    );
    assert!(cutter.kept() < 349_045 / 4, "kept {}", cutter.kept());
    let mut tokens = 0;
    for t in &texts {
        assert!(cutter.covers(t), "{t}");
        for hmm in [false, true] {
            let got: Vec<&str> = cutter.cut(t, hmm).into_iter().map(|t| t.word).collect();
            let want: Vec<&str> = full.cut(t, hmm).into_iter().map(|t| t.word).collect();
            assert_eq!(got, want, "hmm={hmm}: {t}");
            tokens += got.len();
        }
    }
    assert!(tokens > 100_000, "{tokens} tokens compared");
}
