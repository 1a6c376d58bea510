//! Hostile codebooks: duplicate ids, terminal escapes, an alias bomb, 10,000-deep nesting.

use std::fs;
use std::path::Path;

use super::support::*;

// ---- codebooks ------------------------------------------------------------------------------

/// `polcode codebook check FILE`: exit 1, the exact problems, and the file untouched.
fn codebook_check(file: &Path) -> String {
    let env = Env::new();
    let before = fs::read(file).unwrap();
    let o = env.run(env.path(), &["codebook", "check", file.to_str().unwrap()]);
    assert_eq!(fs::read(file).unwrap(), before);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    let err = text(&o.stderr);
    assert!(
        !err.contains("panicked") && !err.contains("memory"),
        "{err}"
    );
    text(&o.stdout) + &err
}

#[test]
fn codebook_duplicate_ids_point_at_the_second() {
    let f = fixture("codebook-duplicate-ids.yaml");
    assert_eq!(
        codebook_check(&f),
        format!(
            "{}:9:13: duplicate node id `supply` (first used on line 3)\n1 problem(s)\n",
            f.display()
        )
    );
}

#[test]
fn codebook_escapes_are_refused_at_their_line() {
    let f = fixture("codebook-escapes.yaml");
    let tail = "control characters and bidi overrides are not allowed (they would reach the \
                terminal)";
    assert_eq!(
        codebook_check(&f),
        format!(
            "{f}:1:7: the codebook's name contains the control character U+001B; {tail}\n\
             {f}:4:11: the English name of `supply` contains the control character U+001B; {tail}\n\
             {f}:5:15: the keyword of `supply` contains the control character U+202E; {tail}\n\
             3 problem(s)\n",
            f = f.display()
        )
    );
}

#[test]
fn codebook_alias_bomb_is_refused_at_the_alias() {
    let env = Env::new();
    let f = env.path().join("bomb.yaml");
    fs::write(
        &f,
        alias_bomb_yaml(
            "name: bomb\nnodes:\n- id: supply\n  name: {en: S, zh: 供给型}\n",
            "  definition: &a \"BIG\"\n",
            "  examples: [REFS]",
        ),
    )
    .unwrap();
    assert_eq!(
        codebook_check(&f),
        format!(
            "{}:6:14: nodes[0].examples[2]: aliases expand to far more data than the file holds \
             (alias bomb?); polcode never writes aliases, remove them\n1 problem(s)\n",
            f.display()
        )
    );
}

#[test]
fn codebook_nested_10000_deep_is_refused() {
    let env = Env::new();
    let f = env.path().join("deep.yaml");
    let mut y = String::from("name: deep\nnodes: ");
    for i in 0..10_000 {
        y.push_str(&format!("[{{id: n{i}, name: {{en: N, zh: 节}}, children: "));
    }
    y.push_str("[]");
    y.push_str(&"}]".repeat(10_000));
    fs::write(&f, &y).unwrap();
    let out = codebook_check(&f);
    assert!(
        out.starts_with(&format!("{}:2:", f.display()))
            && out.ends_with("recursion limit exceeded (nested too deeply)\n1 problem(s)\n"),
        "{out}"
    );
}
