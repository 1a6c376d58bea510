//! Rules of the code's shape that the compiler does not check by itself: the core crate's
//! dependency tree holds no terminal crate, every module file has a `//!` doc, and one module
//! alone defines what must not reach a terminal.

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Every Rust source of the workspace: the binary (`src/`) and each crate under `crates/`.
fn workspace_sources() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    for e in fs::read_dir(root.join("crates")).unwrap() {
        rust_files(&e.unwrap().path().join("src"), &mut files);
    }
    assert!(files.len() > 20, "found the sources");
    files
}

/// The core crate cannot name the terminal crates (they are not its dependencies, so the
/// compiler refuses); this checks that none of them reaches it indirectly either, with the
/// same `cargo tree` a reviewer would run.
#[test]
fn the_core_crate_depends_on_no_terminal_crate() {
    let out = std::process::Command::new(env!("CARGO"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "tree",
            "--offline",
            "-p",
            "polcode-core",
            "-e",
            "normal,build",
            "--prefix",
            "none",
        ])
        .output()
        .expect("run cargo tree");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(
        tree.starts_with("polcode-core "),
        "cargo tree printed: {tree}"
    );
    assert!(
        tree.lines().any(|l| l.starts_with("serde ")),
        "the tree lists dependencies: {tree}"
    );
    for krate in ["ratatui", "crossterm", "ratatui-textarea", "polcode-tui"] {
        let found: Vec<&str> = tree
            .lines()
            .filter(|l| l.split(' ').next() == Some(krate))
            .collect();
        assert!(found.is_empty(), "the core depends on {krate}: {found:?}");
    }
}

#[test]
fn every_module_file_starts_with_a_doc_comment() {
    let files = workspace_sources();
    let missing: Vec<String> = files
        .iter()
        .filter(|f| {
            let text = fs::read_to_string(f).unwrap();
            !text.trim_start().starts_with("//!")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "files without a //! module doc: {missing:?}"
    );
}

#[test]
fn one_definition_of_what_must_not_reach_a_terminal() {
    // `src/termsafe.rs` says which characters must not reach a terminal; a second list (a bidi
    // range here, `is_control` there) is how the escapes and the screen drifted apart before.
    let files = workspace_sources();
    let mut offenders = Vec::new();
    for f in files {
        if f.ends_with("termsafe.rs") {
            continue;
        }
        let text = fs::read_to_string(&f).unwrap();
        // Test modules may check results with anything they like.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (i, line) in code.lines().enumerate() {
            let l = line.to_ascii_lowercase();
            if l.contains("'\\u{202a}'..") || l.contains(".is_control()") {
                offenders.push(format!("{}:{}: {}", f.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "use polcode_core::termsafe instead of a list of your own:\n{}",
        offenders.join("\n")
    );
}

/// The TUI's components (the overlays, the picker, review, reconciliation, the tallies) hold
/// their own state and answer actions; `App` routes to them and carries out what they ask.
/// They never reach into `App` (no `app` import), so the arrows go one way.
#[test]
fn tui_components_do_not_import_the_app() {
    let tui = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/tui/src");
    let mut files = Vec::new();
    rust_files(&tui.join("overlay"), &mut files);
    for f in ["picker.rs", "review.rs", "reconcile.rs", "tallies.rs"] {
        files.push(tui.join(f));
    }
    assert!(files.len() >= 9, "found the components: {files:?}");
    for f in files {
        let text = fs::read_to_string(&f).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            assert!(
                !["crate::app", "super::app", "super::super::app"]
                    .iter()
                    .any(|p| code.contains(p)),
                "{}:{}: a component imports the app: {line}",
                f.display(),
                i + 1
            );
        }
    }
}
