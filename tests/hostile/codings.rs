//! Hostile and broken codings and study files: alias bombs and deep nesting, unknown nodes
//! and paragraphs, torn and interleaved journals, symlinks and read-only files, two sessions,
//! a moved study, re-import with edited paragraphs, leftover temp files.

use super::support::*;
use std::fs;
use std::path::{Path, PathBuf};

use polcode_core::codebook;
use polcode_core::fsutil::hash_hex;
use polcode_core::store::journal::{self, Record};
use polcode_core::store::{read_codings, CoderStore, Decision, OpenMode, StoreError};
use polcode_core::study::Study;

// ---- codings --------------------------------------------------------------------------------

const CODER: &str = "li";

fn decision(para: &str, hash: &str, nodes: &[&str]) -> Decision {
    Decision {
        para: para.into(),
        hash: hash.into(),
        nodes: nodes.iter().map(|s| s.to_string()).collect(),
        no_code: false,
        scores: Default::default(),
        memo: None,
        coder: CODER.into(),
        at: "2025-05-01T08:00:00Z".into(),
        via: Default::default(),
        derived: None,
        found: None,
    }
}

/// The demo study with three decisions of coder `li` on real paragraphs, compacted.
fn coded_demo(env: &Env) -> (PathBuf, Vec<Decision>) {
    let study = env.demo();
    let s = Study::open(&study).unwrap();
    let doc = &s.docs[0];
    let ds: Vec<Decision> = [
        (3usize, "supply.human-resources"),
        (5, "environment.regulation"),
        (8, "demand.application-scenarios"),
    ]
    .iter()
    .map(|&(i, n)| {
        let p = &doc.paragraphs[i];
        decision(&format!("{}#{}", doc.id, p.n), &p.hash, &[n])
    })
    .collect();
    let mut st = CoderStore::open(&s.codings_dir(), CODER, OpenMode::ReadWrite).unwrap();
    for d in &ds {
        st.record(d.clone()).unwrap();
    }
    st.close().unwrap();
    (study, ds)
}

#[test]
fn codings_alias_bomb_and_deep_nesting_are_reported_not_loaded() {
    let env = Env::new();
    let (study, _) = coded_demo(&env);
    let snap = study.join(format!("codings/{CODER}.yaml"));
    let bomb = alias_bomb_yaml(
        "coder: li\nformat: 1\nseq: 3\ndecisions:\n- para: x#1\n  hash: h\n  coder: li\n  at: t\n",
        "  memo: &a \"BIG\"\n",
        "orphans: [REFS]",
    );
    fs::write(&snap, &bomb).unwrap();
    let (_, out) = check(&env, &study);
    let p = problems(&out);
    assert_eq!(p.len(), 1, "{out}");
    assert!(
        p[0].starts_with(&format!("{}:", snap.display()))
            && p[0].contains("aliases expand to far more data than the file holds (alias bomb?)"),
        "{out}"
    );
    // A session refuses to open, naming the file, and leaves it alone.
    let e = CoderStore::open(&study.join("codings"), CODER, OpenMode::ReadWrite).unwrap_err();
    assert!(
        e.to_string().starts_with(&format!("{}:", snap.display())),
        "{e}"
    );
    assert_eq!(fs::read_to_string(&snap).unwrap(), bomb);

    let mut deep = String::from("coder: li\nformat: 1\nseq: 3\norphans: ");
    deep.push_str(&"[".repeat(10_000));
    deep.push_str(&"]".repeat(10_000));
    fs::write(&snap, &deep).unwrap();
    // Refused at the place the nesting starts (serde rejects the shape before the depth
    // limit), without a stack overflow.
    let (_, out) = check(&env, &study);
    let p = problems(&out);
    assert_eq!(
        p,
        [format!(
            "{}:4:11: orphans[0]: invalid type: sequence, expected struct Orphan",
            snap.display()
        )]
    );
    let mut deep =
        String::from("coder: li\nformat: 1\nseq: 3\norphans:\n- reason: r\n  decision: ");
    deep.push_str(&"{a: ".repeat(10_000));
    deep.push_str(&"}".repeat(10_000));
    fs::write(&snap, &deep).unwrap();
    let (_, out) = check(&env, &study);
    assert_eq!(
        problems(&out),
        [format!(
            "{}:6:13: orphans[0].decision: missing field `para`",
            snap.display()
        )]
    );
}

#[test]
fn codings_naming_unknown_nodes_and_paragraphs_are_reported() {
    let env = Env::new();
    let (study, ds) = coded_demo(&env);
    let codings = study.join("codings");
    let mut st = CoderStore::open(&codings, CODER, OpenMode::ReadWrite).unwrap();
    st.record(decision(
        "no-such-document#4",
        "0123456789abcdef",
        &["supply"],
    ))
    .unwrap();
    let mut d = ds[0].clone();
    d.nodes = vec![
        "supply.human-resources".into(),
        "supply.teleportation".into(),
    ];
    st.record(d.clone()).unwrap();
    st.record(decision(
        &format!("{}#9999", d.para.split('#').next().unwrap()),
        "x",
        &["demand"],
    ))
    .unwrap();
    st.close().unwrap();
    let (code, out) = check(&env, &study);
    let snap = codings.join(format!("{CODER}.yaml"));
    let s = snap.display();
    let doc = d.para.split('#').next().unwrap();
    assert_eq!(
        problems(&out),
        [
            format!("{s}: decision on {} uses unknown node \"supply.teleportation\"", d.para),
            format!(
                "{s}: decision on {doc}#9999 names a paragraph that does not exist (`polcode reanchor` re-anchors it; statistics and exports already use it where its text is now)"
            ),
            format!(
                "{s}: decision on no-such-document#4 names a paragraph that does not exist (`polcode reanchor` re-anchors it; statistics and exports already use it where its text is now)"
            ),
        ]
    );
    assert!(
        out.ends_with("3 problem(s) found; nothing was changed\n"),
        "{out}"
    );
    assert_ne!(code, 0, "check exits non-zero when it finds problems");
}

#[test]
fn torn_journal_is_tolerated_and_interleaved_journal_refused() {
    let env = Env::new();
    let (study, ds) = coded_demo(&env);
    let codings = study.join("codings");
    let jpath = codings.join(format!("{CODER}.journal"));
    let rec = |seq: u64, d: &Decision| journal::encode(&Record { seq, d: d.clone() }).unwrap();
    // Torn: the snapshot has seq 3; a fourth record was cut by a crash mid-write.
    let mut d4 = ds[1].clone();
    d4.nodes = vec!["supply".into()];
    let full = rec(4, &d4);
    let mut torn = rec(4, &d4);
    let mut d5 = ds[2].clone();
    d5.no_code = true;
    d5.nodes.clear();
    torn.extend_from_slice(&rec(5, &d5)[..60]);
    fs::write(&jpath, &torn).unwrap();
    let (_, out) = check(&env, &study);
    assert!(
        out.contains(&format!(
            "note: {}:2: torn last journal record ignored (record is incomplete (no checksum at \
             its end)); it was never acknowledged\n",
            jpath.display()
        )),
        "{out}"
    );
    let (c, _) = read_codings(&codings, CODER).unwrap();
    assert_eq!(c.get(&d4.para).unwrap().nodes, ["supply"]);
    assert_eq!(
        c.get(&d5.para).unwrap().nodes,
        ds[2].nodes,
        "torn record not applied"
    );
    // Opening for a session cleans the tail (the good record is kept).
    CoderStore::open(&codings, CODER, OpenMode::ReadWrite)
        .unwrap()
        .close()
        .unwrap();
    assert_eq!(fs::metadata(&jpath).unwrap().len(), 0);
    let (c, _) = read_codings(&codings, CODER).unwrap();
    assert_eq!(c.get(&d4.para).unwrap().nodes, ["supply"]);

    // Interleaved: two writers' lines mixed (seq 6, 8, 7): refused at the line, untouched.
    let mut mixed = rec(6, &d4);
    mixed.extend(rec(8, &d5));
    mixed.extend(rec(7, &ds[0]));
    fs::write(&jpath, &mixed).unwrap();
    let (_, out) = check(&env, &study);
    assert_eq!(
        problems(&out),
        [format!(
            "{}:3:1: journal record seq 7 does not follow seq 8: the journal was interleaved or \
             edited",
            jpath.display()
        )]
    );
    let e = CoderStore::open(&codings, CODER, OpenMode::ReadWrite).unwrap_err();
    assert!(e
        .to_string()
        .starts_with(&format!("{}:3:1:", jpath.display())));
    assert_eq!(fs::read(&jpath).unwrap(), mixed);
    let _ = full;
}

#[test]
fn symlinked_or_read_only_files_are_never_replaced() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let env = Env::new();
    let (study, ds) = coded_demo(&env);
    let codings = study.join("codings");
    // The codebook as a symlink to a read-only file elsewhere: read through, never written.
    let shared = env.path().join("shared-codebook.yaml");
    fs::write(&shared, codebook::bundled::get("policy-tools").unwrap()).unwrap();
    fs::set_permissions(&shared, fs::Permissions::from_mode(0o444)).unwrap();
    symlink(&shared, study.join("codebook.yaml")).unwrap();
    let cfg = study.join("polcode.yaml");
    let text_cfg = fs::read_to_string(&cfg)
        .unwrap()
        .replace("codebook: policy-tools", "codebook: codebook.yaml");
    fs::write(&cfg, &text_cfg).unwrap();
    let (_, out) = check(&env, &study);
    assert!(problems(&out).is_empty(), "{out}");

    // polcode.yaml read-only: reading works, writing it (adding a coder) is refused.
    fs::set_permissions(&cfg, fs::Permissions::from_mode(0o444)).unwrap();
    let mut s = Study::open(&study).unwrap();
    let e = s.add_coder("wang").unwrap_err().to_string();
    assert_eq!(
        e,
        format!(
            "{c}: {c} is read-only; refusing to replace it",
            c = cfg.display()
        )
    );
    assert_eq!(fs::read_to_string(&cfg).unwrap(), text_cfg);
    // polcode.yaml a symlink: same.
    fs::set_permissions(&cfg, fs::Permissions::from_mode(0o644)).unwrap();
    let real = env.path().join("real-polcode.yaml");
    fs::rename(&cfg, &real).unwrap();
    symlink(&real, &cfg).unwrap();
    let mut s = Study::open(&study).unwrap();
    let e = s.add_coder("wang").unwrap_err().to_string();
    assert_eq!(
        e,
        format!(
            "{c}: {c} is a symlink; refusing to replace it",
            c = cfg.display()
        )
    );
    assert!(fs::symlink_metadata(&cfg).unwrap().file_type().is_symlink());

    // The coder's snapshot read-only or a symlink: the session refuses before any decision.
    let snap = codings.join(format!("{CODER}.yaml"));
    let snap_bytes = fs::read(&snap).unwrap();
    fs::set_permissions(&snap, fs::Permissions::from_mode(0o444)).unwrap();
    let e = CoderStore::open(&codings, CODER, OpenMode::ReadWrite).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{}: is read-only; fix the file or open these codings read-only",
            snap.display()
        )
    );
    // Read-only access still works for statistics and export.
    let (c, _) = read_codings(&codings, CODER).unwrap();
    assert_eq!(c.decisions.len(), ds.len());
    fs::set_permissions(&snap, fs::Permissions::from_mode(0o644)).unwrap();
    let elsewhere = env.path().join("li-elsewhere.yaml");
    fs::rename(&snap, &elsewhere).unwrap();
    symlink(&elsewhere, &snap).unwrap();
    let e = CoderStore::open(&codings, CODER, OpenMode::ReadWrite).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{}: is a symlink, which polcode will not replace; fix the file or open these \
             codings read-only",
            snap.display()
        )
    );
    assert_eq!(fs::read(&elsewhere).unwrap(), snap_bytes);
}

#[test]
fn second_session_of_the_same_coder_is_refused_naming_the_lock() {
    let env = Env::new();
    let (study, _) = coded_demo(&env);
    let codings = study.join("codings");
    let lock = codings.join(format!("{CODER}.lock"));
    let first = CoderStore::open(&codings, CODER, OpenMode::ReadWrite).unwrap();
    let me = std::process::id();
    let held = format!(
        "{} is held by another session (pid {me} on ",
        lock.display()
    );
    let tail = "); close that session first, or open these codings read-only";
    let before = tree(&study);
    // A second coding screen (it needs a terminal: tmux, when there is one).
    if let Some(err) = code_in_tmux(&env, &study) {
        assert!(
            err.starts_with(&format!("polcode: error: {held}"))
                && err.ends_with(&format!("{tail}\n")),
            "{err}"
        );
        assert_same_tree(&before, &study, "refused second session");
    }
    // An import that changes a document leaves li's locked codings alone: a paragraph added at
    // the end moves none of li's decisions, so nothing needs the lock (the open session
    // re-anchors by itself when text moves: tests/e2e_integrity.rs).
    let s = Study::open(&study).unwrap();
    let src = env.path().join("01_national_blockchain-opinions.txt");
    let mut t = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("crates/core/src/demo/01_national_blockchain-opinions.txt"),
    )
    .unwrap();
    t.push_str("\n本意见自印发之日起施行。\n");
    fs::write(&src, t).unwrap();
    let snap_before = fs::read(codings.join(format!("{CODER}.yaml"))).unwrap();
    let o = env.run(
        &study,
        &["import", src.to_str().unwrap(), "--level", "national"],
    );
    let out = text(&o.stdout);
    assert!(o.status.success(), "{out}");
    assert_eq!(out, "imported: 0 new, 1 updated, 0 unchanged, 0 failed\n");
    assert_eq!(
        fs::read(codings.join(format!("{CODER}.yaml"))).unwrap(),
        snap_before
    );
    drop(s);
    // And in-process.
    match CoderStore::open(&codings, CODER, OpenMode::ReadWrite).unwrap_err() {
        StoreError::Locked { path, holder } => {
            assert_eq!(path, lock);
            assert!(holder.starts_with(&format!("pid {me} on ")), "{holder}");
        }
        e => panic!("wrong error: {e}"),
    }
    // `check` says who holds it, without taking it.
    let (_, out) = check(&env, &study);
    assert!(
        out.contains(&format!(
            "note: {} is locked by a running session (pid {me} on ",
            lock.display()
        )),
        "{out}"
    );
    first.close().unwrap();
    CoderStore::open(&codings, CODER, OpenMode::ReadWrite)
        .unwrap()
        .close()
        .unwrap();
}

/// Runs `polcode code --coder li` in a tmux terminal and returns what it printed on stderr
/// (tmux drops output printed just before exit, so it goes to a file). None without tmux.
fn code_in_tmux(env: &Env, study: &Path) -> Option<String> {
    if !crate::support::tmux::tmux_available("second session through the coding screen") {
        return None;
    }
    let err = env.path().join("code-stderr.txt");
    let cmd = format!(
        "cd {} && POLCODE_CONFIG={} TERM=xterm-256color {} code --coder {CODER} 2>{}; sleep 30",
        study.display(),
        env.path().join("config").display(),
        env!("CARGO_BIN_EXE_polcode"),
        err.display()
    );
    let tmux = crate::support::tmux::Server::start("hostile-second", false);
    tmux.spawn_sized("t", &cmd, 100, 30);
    let start = std::time::Instant::now();
    let text = loop {
        let t = fs::read_to_string(&err).unwrap_or_default();
        if t.ends_with('\n') {
            break t;
        }
        assert!(
            start.elapsed().as_secs() < 30,
            "no message from the second session"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    drop(tmux);
    fs::remove_file(&err).unwrap();
    Some(text)
}

#[test]
fn moved_study_opens_with_its_codings() {
    let env = Env::new();
    let (study, ds) = coded_demo(&env);
    let (before, _) = read_codings(&study.join("codings"), CODER).unwrap();
    let moved = env.path().join("elsewhere/deeper/研究");
    fs::create_dir_all(moved.parent().unwrap()).unwrap();
    fs::rename(&study, &moved).unwrap();
    let (code, out) = check(&env, &moved);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("ok: no problems found\n"), "{out}");
    let (after, _) = read_codings(&moved.join("codings"), CODER).unwrap();
    assert_eq!(after, before);
    assert_eq!(after.decisions.len(), ds.len());
    let o = env.run(&moved, &["docs"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let mut st = CoderStore::open(&moved.join("codings"), CODER, OpenMode::ReadWrite).unwrap();
    let mut d = ds[0].clone();
    d.nodes.push("supply".into());
    st.record(d).unwrap();
    st.close().unwrap();
}

#[test]
fn reimport_with_edited_paragraphs_reanchors_or_reports_orphans() {
    let env = Env::new();
    let study = env.study("s");
    let src_dir = env.path().join("src");
    fs::create_dir_all(&src_dir).unwrap();
    let original = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("crates/core/src/demo/05_hunan_blockchain-plan.txt"),
    )
    .unwrap();
    let file = src_dir.join("hunan.txt");
    fs::write(&file, &original).unwrap();
    let o = env.run(
        &study,
        &["import", file.to_str().unwrap(), "--province", "湖南"],
    );
    assert!(o.status.success(), "{}", text(&o.stdout));
    let s = Study::open(&study).unwrap();
    let doc = s.docs[0].clone();
    let body: Vec<_> = doc
        .paragraphs
        .iter()
        .filter(|p| p.kind == polcode_core::corpus::ParaKind::Body)
        .collect();
    assert!(body.len() >= 6);
    let (moved_p, deleted_p, edited_p) = (body[2], body[4], body[5]);
    let mut st = CoderStore::open(&s.codings_dir(), CODER, OpenMode::ReadWrite).unwrap();
    for (p, n) in [
        (moved_p, "supply.human-resources"),
        (deleted_p, "demand.application-scenarios"),
        (edited_p, "environment"),
    ] {
        st.record(decision(&format!("{}#{}", doc.id, p.n), &p.hash, &[n]))
            .unwrap();
    }
    st.close().unwrap();
    // Edit the source: a new paragraph at the top (everything moves down by one), one
    // paragraph deleted, one reworded.
    let edited = original
        .replacen(
            &body[0].text,
            &format!("新增段落：本方案自发布之日起施行。\n{}", body[0].text),
            1,
        )
        .replacen(&format!("{}\n", deleted_p.text), "", 1)
        .replacen(&edited_p.text, &format!("{}（修订）", edited_p.text), 1);
    assert_ne!(edited, original);
    fs::write(&file, &edited).unwrap();
    let o = env.run(
        &study,
        &["import", file.to_str().unwrap(), "--province", "湖南"],
    );
    let out = text(&o.stdout);
    assert_eq!(
        out,
        format!(
            "imported: 0 new, 1 updated, 0 unchanged, 0 failed\ncodings of {CODER}: 0 kept, 1 \
             moved to the paragraphs that now have their text, 0 restored, 2 orphaned (kept, \
             see `polcode check`)\n"
        ),
        "{}",
        text(&o.stderr)
    );
    let s2 = Study::open(&study).unwrap();
    let (c, _) = read_codings(&s2.codings_dir(), CODER).unwrap();
    // The moved paragraph's decision follows its text to its new number.
    let new_p = s2.docs[0]
        .paragraphs
        .iter()
        .find(|p| p.text == moved_p.text)
        .unwrap();
    assert_eq!(new_p.n, moved_p.n + 1);
    let d = c.get(&format!("{}#{}", doc.id, new_p.n)).unwrap();
    assert_eq!(d.nodes, ["supply.human-resources"]);
    assert_eq!(d.hash, new_p.hash);
    // The deleted and the reworded paragraphs' decisions are orphans, kept and reported.
    let mut orphaned: Vec<&str> = c
        .orphans
        .iter()
        .map(|o| o.decision.nodes[0].as_str())
        .collect();
    orphaned.sort();
    assert_eq!(orphaned, ["demand.application-scenarios", "environment"]);
    let (_, report) = check(&env, &study);
    assert_eq!(
        problems(&report),
        [format!(
            "{}: 2 orphaned decision(s) whose paragraphs are gone (kept in the file)",
            s2.codings_dir().join(format!("{CODER}.yaml")).display()
        )]
    );
}

#[test]
fn stale_snapshot_temp_files_are_noted_by_check_and_removed_by_the_next_session() {
    let env = Env::new();
    let (study, _) = coded_demo(&env);
    let codings = study.join("codings");
    let mine = codings.join(format!(".{CODER}.yaml.tmp-4242"));
    let other = codings.join(".wang.yaml.tmp-4242");
    fs::write(&mine, "coder: li\nformat: 1\n").unwrap();
    fs::write(&other, "coder: wang\n").unwrap();
    let (_, out) = check(&env, &study);
    assert!(
        out.contains(&format!(
            "note: {}: temporary file left by an interrupted write (safe to delete)\n",
            mine.display()
        )),
        "{out}"
    );
    CoderStore::open(&codings, CODER, OpenMode::ReadWrite)
        .unwrap()
        .close()
        .unwrap();
    assert!(
        !mine.exists(),
        "the coder's own leftover is removed under its lock"
    );
    assert!(other.exists(), "another coder's file is not touched");
}

#[test]
fn check_never_sends_control_characters_from_a_hostile_codings_file() {
    let env = Env::new();
    let (study, _) = coded_demo(&env);
    let mut st = CoderStore::open(&study.join("codings"), CODER, OpenMode::ReadWrite).unwrap();
    st.record(decision(
        "\u{1b}]52;c;ZXZpbA==\u{7}#1",
        &hash_hex(b"x", 16),
        &["\u{1b}[2J"],
    ))
    .unwrap();
    st.close().unwrap();
    let (_, out) = check(&env, &study);
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    assert!(out.contains("\\u{1b}]52;c;ZXZpbA==\\u{7}#1"), "{out}");
}
