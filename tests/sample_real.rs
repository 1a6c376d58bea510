//! `polcode sample` on the 41 real documents of `../shared/corpus` (issue 13, item 6): strata
//! counted independently from the documents, `max(1, round(share × N))` drawn per stratum, only
//! body paragraphs, no paragraph twice, the same seed drawing the same sample. Skipped, with a
//! message, without the corpus.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use polcode::corpus::ParaKind;
use polcode::ingest::{import_paths, ImportRequest};
use polcode::sample::{draw, load, parse_stratify, save};
use polcode::study::Study;

#[test]
fn stratified_sample_of_the_real_corpus() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.join("metadata.csv").exists() {
        eprintln!("SKIPPED: ../shared/corpus not found");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut study = Study::init(&tmp.path().join("s"), None, "policy-tools").unwrap();
    let req = ImportRequest {
        paths: vec![corpus.join("docs")],
        meta: Some(corpus.join("metadata.csv")),
        ..ImportRequest::default()
    };
    import_paths(&mut study, &req, &mut |_, _, _| {}).unwrap();
    let by = parse_stratify("region,level").unwrap();
    let s = draw(&study, "bob", 0.1, &by, 42).unwrap();

    // Strata by (region, level), counted here without polcode's grouping.
    let mut sizes: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut stratum_of = BTreeMap::new();
    for d in &study.docs {
        let key = (d.meta.region.clone(), d.meta.level.as_str().to_string());
        for p in &d.paragraphs {
            if p.kind == ParaKind::Body {
                *sizes.entry(key.clone()).or_default() += 1;
                stratum_of.insert(format!("{}#{}", d.id, p.n), key.clone());
            }
        }
    }
    assert_eq!(s.strata.len(), sizes.len());
    let mut drawn_per: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut seen = HashSet::new();
    for p in &s.paragraphs {
        assert!(seen.insert(p.para.clone()), "{} drawn twice", p.para);
        let key = stratum_of
            .get(&p.para)
            .unwrap_or_else(|| panic!("{} is not a body paragraph", p.para));
        *drawn_per.entry(key.clone()).or_default() += 1;
    }
    let mut want_sizes: Vec<usize> = sizes.values().copied().collect();
    let mut got_sizes: Vec<usize> = s.strata.iter().map(|t| t.paragraphs).collect();
    want_sizes.sort();
    got_sizes.sort();
    assert_eq!(got_sizes, want_sizes);
    for (key, n) in &sizes {
        let want = ((0.1 * *n as f64).round() as usize).clamp(1, *n);
        assert_eq!(
            drawn_per.get(key).copied().unwrap_or(0),
            want,
            "stratum {key:?} of {n}"
        );
    }
    // Reproducible, and a different seed draws differently.
    assert_eq!(draw(&study, "bob", 0.1, &by, 42).unwrap(), s);
    assert_ne!(
        draw(&study, "bob", 0.1, &by, 43).unwrap().paragraphs,
        s.paragraphs
    );
    // Saved and loaded unchanged.
    save(&study.root, &s).unwrap();
    assert_eq!(load(&study.root, "bob").unwrap(), Some(s));
}
