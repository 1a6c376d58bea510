//! Bounded inputs: trees, files and codebooks big or strange enough to hang or exhaust polcode
//! before (symlink loops, FIFOs, oversized documents, huge or look-alike codebooks, a journal
//! at the end of its numbering, metadata with an unterminated quote): each answered with a
//! clear message, nothing changed.

use std::fs;
use std::path::Path;

use super::support::*;

/// Generous: every one of these finishes in well under a second in a debug build.
const HANG_GUARD: u64 = 120;

#[cfg(unix)]
fn mkfifo(p: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(p)
        .status()
        .unwrap()
        .success();
    assert!(ok, "mkfifo {}", p.display());
}

#[cfg(unix)]
#[test]
fn import_searches_each_folder_once_and_never_opens_a_fifo() {
    use std::os::unix::fs::symlink;
    let env = Env::new();
    let src = env.path().join("src");
    fs::create_dir_all(src.join("sub")).unwrap();
    fs::write(src.join("a.txt"), demo_lines()[..3].join("\n")).unwrap();
    // Two links to `.` and one to `..`: the old walk followed them without end (exponential).
    symlink(".", src.join("l1")).unwrap();
    symlink(".", src.join("l2")).unwrap();
    symlink("..", src.join("sub/up")).unwrap();
    // Opening a FIFO for reading blocks until a writer comes: the old import hung here.
    mkfifo(&src.join("x.txt"));
    symlink("x.txt", src.join("y.txt")).unwrap();
    let study = env.study("s");
    let before = tree(&src);
    let o = env.run_guarded(
        &study,
        &["import", src.to_str().unwrap(), "--level", "national"],
        HANG_GUARD,
    );
    assert_same_tree(&before, &src, "import");
    let real = fs::canonicalize(&src).unwrap();
    let s = src.display();
    let r = real.display();
    assert_eq!(
        text(&o.stdout),
        format!(
            "imported: 1 new, 0 updated, 0 unchanged, 0 failed\n\
             warning: {s}/l1: skipped: a link to the folder {r}, which is already searched\n\
             warning: {s}/l2: skipped: a link to the folder {r}, which is already searched\n\
             warning: {s}/x.txt: skipped: a named pipe (FIFO), not a regular file\n\
             warning: {s}/y.txt: skipped: a named pipe (FIFO), not a regular file\n\
             warning: {s}/sub/up: skipped: a link to the folder {r}, which is already searched\n"
        ),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stored_docs(&study).len(), 1);
    // Named on the command line, the FIFO is skipped the same way, without being opened.
    let o = env.run_guarded(
        &study,
        &["import", src.join("x.txt").to_str().unwrap()],
        HANG_GUARD,
    );
    assert_eq!(
        text(&o.stdout),
        format!(
            "imported: 0 new, 0 updated, 0 unchanged, 0 failed\n\
             warning: {s}/x.txt: skipped: a named pipe (FIFO), not a regular file\n"
        )
    );
}

#[test]
fn oversized_document_is_refused_from_its_size_before_reading() {
    let env = Env::new();
    // 200 MiB, sparse (no disk used). Read whole, this aborted polcode under `ulimit -v 1G`.
    let p = env.path().join("huge.txt");
    fs::File::create(&p).unwrap().set_len(200 << 20).unwrap();
    let study = env.study("s");
    let o = env.run(
        &study,
        &["import", p.to_str().unwrap(), "--level", "national"],
    );
    assert_eq!(
        text(&o.stdout),
        format!(
            "imported: 0 new, 0 updated, 0 unchanged, 1 failed\nerror: {}: the file is 200.0 \
             MiB, over the limit of 64 MiB for a file to import; split it into smaller files\n",
            p.display()
        ),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(fs::metadata(&p).unwrap().len(), 200 << 20);
    assert!(stored_docs(&study).is_empty());
}

// ---- codebooks ------------------------------------------------------------------------------

/// `polcode codebook check FILE` under the hang guard: exit code and output, file untouched.
fn codebook_check_guarded(env: &Env, file: &Path) -> (Option<i32>, String) {
    let before = fs::read(file).unwrap();
    let o = env.run_guarded(
        env.path(),
        &["codebook", "check", file.to_str().unwrap()],
        HANG_GUARD,
    );
    assert_eq!(fs::read(file).unwrap(), before);
    let err = text(&o.stderr);
    assert!(!err.contains("panicked"), "{err}");
    (o.status.code(), text(&o.stdout) + &err)
}

#[test]
fn huge_codebooks_are_checked_in_linear_time_and_oversized_keywords_refused() {
    let env = Env::new();
    // 10,000 nodes (1,000 roots with nine children each): 34 s in a release build before,
    // when every node's `id:` was looked up by scanning the whole text.
    let f = env.path().join("nodes.yaml");
    let mut y = String::from("name: big\nnodes:\n");
    for i in 0..1000 {
        y.push_str(&format!(
            "  - id: n{i}\n    name: {{en: N, zh: 节点}}\n    keywords: [词{i}a, 词{i}b]\n    children:\n"
        ));
        for j in 0..9 {
            y.push_str(&format!(
                "      - id: n{i}.c{j}\n        keywords:\n          - 关键{i}x{j}\n          - kw{i}y{j}\n"
            ));
        }
    }
    fs::write(&f, &y).unwrap();
    let (code, out) = codebook_check_guarded(&env, &f);
    assert_eq!(out, format!("{}: ok (10000 nodes)\n", f.display()));
    assert_eq!(code, Some(0));

    // 100,000 keywords in one node (over ten minutes before), and one keyword of 100,000
    // characters (the coding screen built its matcher for over a minute).
    let f = env.path().join("keywords.yaml");
    let mut y = String::from("name: big\nnodes:\n  - id: a\n    keywords:\n");
    for i in 0..100_000 {
        y.push_str(&format!("      - 关键词{i}\n"));
    }
    y.push_str("  - id: b\n    keywords:\n      - 好\n      - ");
    y.push_str(&"长".repeat(100_000));
    y.push('\n');
    fs::write(&f, &y).unwrap();
    let (code, out) = codebook_check_guarded(&env, &f);
    assert_eq!(
        out,
        format!(
            "{f}:4:14: node `a` has 100000 keywords; at most 1000 are allowed per node (keep the \
             words that tell it apart)\n\
             {f}:50005:9: more than 50000 keywords and exclusion keywords in the codebook (this \
             is number 50001); at most 50000 are allowed\n\
             {f}:100008:9: keyword of `b` is 100000 characters long; at most 100 are allowed\n\
             3 problem(s)\n",
            f = f.display()
        )
    );
    assert_eq!(code, Some(1));
    // Loading (what the coding screen and every command do) stops at the first.
    let e = polcode_core::codebook::load_file(&f)
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with(&format!("{}:4:14: node `a` has 100000", f.display())),
        "{e}"
    );
}

#[test]
fn look_alike_node_ids_and_coder_names_are_refused() {
    let env = Env::new();
    let f = env.path().join("lookalike.yaml");
    fs::write(
        &f,
        "name: t\nnodes:\n  - id: supply\n  - id: Supply\n  - id: ｓｕｐｐｌｙ\n  - id: \
         caf\u{E9}\n  - id: cafe\u{301}\n  - id: sup\u{200B}ply\n  - id: demand\u{2060}\n",
    )
    .unwrap();
    let (code, out) = codebook_check_guarded(&env, &f);
    let tail = "ids may not differ only in case, width, Unicode normalisation or invisible \
                characters";
    assert_eq!(
        out,
        format!(
            "{f}:4:9: node id \"Supply\" looks like \"supply\" on line 3: {tail}\n\
             {f}:5:9: node id \"ｓｕｐｐｌｙ\" looks like \"supply\" on line 3: {tail}\n\
             {f}:7:9: node id \"cafe\\u{{301}}\" looks like \"caf\u{E9}\" on line 6: {tail}\n\
             {f}:8:9: node id \"sup\\u{{200b}}ply\" contains the invisible character U+200B; \
             ids must look like what they are\n\
             {f}:9:9: node id \"demand\\u{{2060}}\" contains the invisible character U+2060; \
             ids must look like what they are\n\
             5 problem(s)\n",
            f = f.display()
        )
    );
    assert_eq!(code, Some(1));

    // Coders: `Li` or `ｌｉ` next to an existing `li` is refused before anything is written.
    use polcode_core::store::{CoderStore, OpenMode};
    let (study, _) = coded_demo(&env);
    let codings = study.join("codings");
    let before = tree(&study);
    for name in ["Li", "ｌｉ"] {
        let e = CoderStore::open(&codings, name, OpenMode::ReadWrite)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            format!(
                "invalid coder name {name:?}: it looks like the existing coder \"li\" (names \
                 may not differ only in case, width, Unicode normalisation or invisible \
                 characters); use \"li\""
            )
        );
    }
    assert_same_tree(&before, &study, "look-alike coder");
}

// ---- codings --------------------------------------------------------------------------------

use polcode_core::store::{CoderStore, Decision, OpenMode};
use polcode_core::study::Study;
use std::path::PathBuf;

fn decision(para: &str, hash: &str, nodes: &[&str]) -> Decision {
    Decision {
        para: para.into(),
        hash: hash.into(),
        nodes: nodes.iter().map(|s| s.to_string()).collect(),
        no_code: false,
        scores: Default::default(),
        memo: None,
        coder: "li".into(),
        at: "2025-05-01T08:00:00Z".into(),
        via: Default::default(),
        derived: None,
        found: None,
    }
}

/// The demo study with `decisions` of coder `li` on the first document's paragraphs 1, 2, ….
fn coded_demo_with(env: &Env, nodes: &[&[&str]]) -> (PathBuf, Vec<Decision>) {
    let study = env.demo();
    let s = Study::open(&study).unwrap();
    let doc = &s.docs[0];
    let ds: Vec<Decision> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let p = &doc.paragraphs[i + 1];
            decision(&format!("{}#{}", doc.id, p.n), &p.hash, n)
        })
        .collect();
    let mut st = CoderStore::open(&s.codings_dir(), "li", OpenMode::ReadWrite).unwrap();
    for d in &ds {
        st.record(d.clone()).unwrap();
    }
    st.close().unwrap();
    (study, ds)
}

fn coded_demo(env: &Env) -> (PathBuf, Vec<Decision>) {
    coded_demo_with(env, &[&["supply.human-resources"]])
}

#[test]
fn record_number_at_its_limit_is_reported_and_never_wraps() {
    let env = Env::new();
    let (study, ds) = coded_demo(&env);
    let codings = study.join("codings");
    let snap = codings.join("li.yaml");
    let snap_text = fs::read_to_string(&snap).unwrap();
    assert!(snap_text.contains("\nseq: 1\n"), "{snap_text}");
    fs::write(
        &snap,
        snap_text.replace("\nseq: 1\n", "\nseq: 18446744073709551615\n"),
    )
    .unwrap();
    let (code, out) = check(&env, &study);
    assert_eq!(
        problems(&out),
        [format!(
            "{}: the record number 18446744073709551615 is near its limit (2^64-1); no real \
             coding gets past 2^53, so the file was edited by hand; 0 more decision(s) can be \
             recorded",
            snap.display()
        )]
    );
    assert_ne!(code, 0);
    // Recording refuses rather than wrapping to 0 (after which the next start refused the
    // coder: "seq 0 does not follow"); nothing on disk changes.
    let mut st = CoderStore::open(&codings, "li", OpenMode::ReadWrite).unwrap();
    let before = tree(&codings);
    let mut d = ds[0].clone();
    d.no_code = true;
    d.nodes.clear();
    let e = st.record(d).unwrap_err().to_string();
    assert_eq!(
        e,
        format!(
            "{}: decision not saved: the record number 18446744073709551615 is at its limit \
             (2^64-1), which only a hand-edited file can reach; nothing was changed (see \
             `polcode check`)",
            codings.join("li.journal").display()
        )
    );
    assert_same_tree(&before, &codings, "refused record");
    st.close().unwrap();
    let (c, _) = polcode_core::store::read_codings(&codings, "li").unwrap();
    assert_eq!(c.decisions.values().cloned().collect::<Vec<_>>(), ds);
}

#[test]
fn check_reports_inconsistent_decisions_metadata_csv_quotes_and_refusals_write_nothing() {
    let env = Env::new();
    let (study, ds) = coded_demo_with(
        &env,
        &[
            &["supply.human-resources"],
            &[
                "supply.human-resources",
                "environment.regulation",
                "supply.human-resources",
            ],
        ],
    );
    let codings = study.join("codings");
    let snap = codings.join("li.yaml");
    // Hand edits: no-code together with a node; another coder's name on a decision.
    let snap_text = fs::read_to_string(&snap).unwrap();
    let lines: Vec<String> = snap_text
        .lines()
        .map(|l| {
            if l.contains(&format!("\"para\":\"{}\"", ds[0].para)) {
                l.replace("\"coder\":\"li\"", "\"no_code\":true,\"coder\":\"wang\"")
            } else {
                l.to_string()
            }
        })
        .collect();
    fs::write(&snap, lines.join("\n") + "\n").unwrap();
    let (_, out) = check(&env, &study);
    let f = snap.display();
    assert_eq!(
        problems(&out),
        [
            format!(
                "{f}: decision on {} is marked \"no code\" but also has nodes \
                 [\"supply.human-resources\"]",
                ds[0].para
            ),
            format!(
                "{f}: decision on {} carries the coder name \"wang\", not \"li\" (copied from \
                 another coder's file?)",
                ds[0].para
            ),
            format!(
                "{f}: decision on {} lists node \"supply.human-resources\" twice",
                ds[1].para
            ),
        ],
        "{out}"
    );

    // A metadata CSV with an unterminated quote on line 3: refused at that line, not read
    // to the end as one value.
    let src = env.path().join("src");
    fs::create_dir_all(&src).unwrap();
    for n in ["a", "b", "c"] {
        fs::write(src.join(format!("{n}.txt")), demo_lines()[..2].join("\n")).unwrap();
    }
    let csv = env.path().join("meta.csv");
    fs::write(
        &csv,
        "file,title,level\na.txt,甲,national\nb.txt,\"乙,national\nc.txt,丙,national\n",
    )
    .unwrap();
    let s2 = env.study("s2");
    let o = env.run(
        &s2,
        &[
            "import",
            src.to_str().unwrap(),
            "--meta",
            csv.to_str().unwrap(),
        ],
    );
    assert_eq!(
        text(&o.stderr),
        format!(
            "polcode: error: {}:3: a quoted value opened on this line is never closed, so the \
             rest of the file would be read as one value; close the quote (a quote inside a \
             value is written \"\")\n",
            csv.display()
        )
    );
    assert!(stored_docs(&s2).is_empty());

    // A session refused for a read-only snapshot writes nothing, not even the lock file
    // (root can write a read-only lock file; the refusal now comes first).
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&snap, fs::Permissions::from_mode(0o444)).unwrap();
    let before = tree(&codings);
    let e = CoderStore::open(&codings, "li", OpenMode::ReadWrite)
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        format!("{f}: is read-only; fix the file or open these codings read-only")
    );
    assert_same_tree(&before, &codings, "refused session");
    fs::set_permissions(&snap, fs::Permissions::from_mode(0o644)).unwrap();
    let lock = codings.join("li.lock");
    fs::set_permissions(&lock, fs::Permissions::from_mode(0o444)).unwrap();
    let before = tree(&codings);
    let e = CoderStore::open(&codings, "li", OpenMode::ReadWrite)
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        format!(
            "{}: is read-only; fix the file or open these codings read-only",
            lock.display()
        )
    );
    assert_same_tree(&before, &codings, "refused session (read-only lock)");
}
