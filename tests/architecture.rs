//! The functional core must stay terminal-free: only `src/tui/` and `src/main.rs` may name
//! ratatui or crossterm. This test reads the sources and fails on any other use.

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

#[test]
fn core_never_imports_the_terminal_crates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 20, "found the sources");
    let mut offenders = Vec::new();
    for f in files {
        let rel = f
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel.starts_with("tui/") || rel == "main.rs" {
            continue;
        }
        let text = fs::read_to_string(&f).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for krate in ["ratatui", "crossterm", "ratatui_textarea"] {
                if code.contains(&format!("{krate}::")) || code.contains(&format!("use {krate}")) {
                    offenders.push(format!("src/{rel}:{}: {}", i + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "terminal crates used in the core:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn every_module_file_starts_with_a_doc_comment() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
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
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
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
        "use polcode::termsafe instead of a list of your own:\n{}",
        offenders.join("\n")
    );
}
