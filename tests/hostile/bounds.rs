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
