//! Build script of the `polcode` package, and of `polcode-core` and `polcode-benchdata`
//! (their `build` key points here). It only tells the tests whether `../shared` — the real
//! corpus and the development set, present in CI but not in a user's fresh clone — was there
//! when they were built: tests that need it are then marked
//! ignored, with that reason, so `cargo test`'s summary shows how many did not run instead of
//! counting them as passed. (A test also checks at run time and says SKIPPED.)

use std::path::Path;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(polcode_no_shared)");
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    // The workspace root: the package itself or the folder two above `crates/<name>`.
    let root = Path::new(&manifest)
        .ancestors()
        .find(|d| d.join("crates/core/Cargo.toml").is_file())
        .unwrap_or(Path::new(&manifest));
    let shared = root.join("../shared");
    let marker = shared.join("corpus/metadata.csv");
    println!(
        "cargo::rerun-if-changed={}",
        root.join("build.rs").display()
    );
    if marker.is_file() && shared.join("devset/devset.yaml").is_file() {
        // Re-run when it goes away (a path that does not exist would re-run every build).
        println!("cargo::rerun-if-changed={}", marker.display());
    } else {
        println!("cargo::rustc-cfg=polcode_no_shared");
    }
}
