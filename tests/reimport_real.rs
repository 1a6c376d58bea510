//! Re-importing the 41 real documents of `../shared/corpus` re-derives their metadata (issue
//! 14): a document first imported without metadata and imported again with its issuer (or
//! with the metadata CSV) gets the region, province, level and date a fresh import with the
//! same inputs gets; what the CSV gave survives a later import without it; no stored source
//! path is absolute. Skipped, with a message, without the corpus.

use std::path::{Path, PathBuf};

use polcode_core::corpus::import::{read_meta_csv, ImportOptions};
use polcode_core::corpus::DocMeta;
use polcode_core::ingest::{import_paths, ImportRequest};
use polcode_core::study::Study;

fn corpus() -> Option<(PathBuf, Vec<PathBuf>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("docs"))
        .ok()?
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    Some((dir.join("metadata.csv"), files))
}

fn import(study: &mut Study, paths: Vec<PathBuf>, meta: Option<PathBuf>, issuer: Option<String>) {
    let req = ImportRequest {
        paths,
        meta,
        options: ImportOptions {
            issuer,
            ..ImportOptions::default()
        },
    };
    let r = import_paths(study, &req, &mut |_, _, _| {}).unwrap();
    assert!(r.errors.is_empty(), "{:?}", r.errors);
}

fn place(m: &DocMeta) -> (String, String, String, String) {
    (
        m.level.as_str().to_string(),
        m.province.clone(),
        m.city.clone(),
        m.region.clone(),
    )
}

fn meta_of<'a>(study: &'a Study, file: &Path) -> &'a DocMeta {
    let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
    let id = polcode_core::corpus::import::doc_id(Path::new(&format!("{stem}.txt")));
    &study.docs[study.doc_index(&id).unwrap()].meta
}

#[test]
#[cfg_attr(
    polcode_no_shared,
    ignore = "needs ../shared (absent when the tests were built; touch build.rs after adding it)"
)]
fn reimport_with_an_issuer_derives_what_a_fresh_import_derives() {
    let Some((csv, files)) = corpus() else {
        eprintln!("SKIPPED: ../shared/corpus not found");
        return;
    };
    let table = read_meta_csv(&csv).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let mut again = Study::init(&tmp.path().join("again"), None, "policy-tools").unwrap();
    let mut fresh = Study::init(&tmp.path().join("fresh"), None, "policy-tools").unwrap();
    import(&mut again, files.clone(), None, None);
    let unknown_before = again
        .docs
        .iter()
        .filter(|d| d.meta.region.is_empty())
        .count();
    let mut same = 0;
    let mut differ = Vec::new();
    for f in &files {
        let issuer = table
            .get(f)
            .map(|r| r.issuer.clone())
            .filter(|s| !s.is_empty());
        import(&mut again, vec![f.clone()], None, issuer.clone());
        import(&mut fresh, vec![f.clone()], None, issuer);
        let (a, b) = (meta_of(&again, f), meta_of(&fresh, f));
        if place(a) == place(b) && a.date == b.date && a.issuer == b.issuer {
            same += 1;
        } else {
            differ.push(format!(
                "{}: {:?} vs fresh {:?}",
                f.display(),
                place(a),
                place(b)
            ));
        }
    }
    let unknown_after = again
        .docs
        .iter()
        .filter(|d| d.meta.region.is_empty())
        .count();
    eprintln!(
        "re-import with the issuer: {same}/{} like a fresh import; unknown region {unknown_before} → {unknown_after}",
        files.len()
    );
    assert!(differ.is_empty(), "{differ:#?}");
    assert!(unknown_after < unknown_before);
}

#[test]
#[cfg_attr(
    polcode_no_shared,
    ignore = "needs ../shared (absent when the tests were built; touch build.rs after adding it)"
)]
fn reimport_with_the_csv_equals_a_fresh_import_and_the_csv_survives_a_plain_reimport() {
    let Some((csv, files)) = corpus() else {
        eprintln!("SKIPPED: ../shared/corpus not found");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let mut again = Study::init(&tmp.path().join("again"), None, "policy-tools").unwrap();
    let mut fresh = Study::init(&tmp.path().join("fresh"), None, "policy-tools").unwrap();
    import(&mut again, files.clone(), None, None);
    import(&mut again, files.clone(), Some(csv.clone()), None);
    import(&mut fresh, files.clone(), Some(csv), None);
    for f in &files {
        let (a, b) = (meta_of(&again, f), meta_of(&fresh, f));
        let mut a2 = a.clone();
        a2.source_file.clone_from(&b.source_file);
        assert_eq!(&a2, b, "{}", f.display());
        // Never absolute: the file name, since the corpus lies outside the study.
        assert_eq!(a.source_file, f.file_name().unwrap().to_string_lossy());
    }
    // A plain re-import keeps every value the CSV gave.
    let before: Vec<DocMeta> = again.docs.iter().map(|d| d.meta.clone()).collect();
    import(&mut again, files, None, None);
    let after: Vec<DocMeta> = again.docs.iter().map(|d| d.meta.clone()).collect();
    assert_eq!(before, after);
}
