//! Tests of codebook loading: structure, and the exact line:column of every error kind.

use super::validate::MAX_DEPTH;
use super::{check_str, load_str};

/// `(line, column, message)` of every problem in `text`.
fn problems(text: &str) -> Vec<(usize, usize, String)> {
    check_str(text, "t.yaml")
        .into_iter()
        .map(|e| {
            assert_eq!(e.origin, "t.yaml");
            (e.line, e.column, e.message)
        })
        .collect()
}

/// The position of the single problem in `text`, checking its message mentions `needle`.
fn one(text: &str, needle: &str) -> (usize, usize) {
    let p = problems(text);
    assert_eq!(p.len(), 1, "expected one problem, got {p:?}");
    assert!(p[0].2.contains(needle), "{:?} lacks {needle:?}", p[0].2);
    (p[0].0, p[0].1)
}

const VALID: &str = "\
name: tools
description: demo
nodes:
  - id: supply
    name: {en: Supply-side, zh: 供给型}
    color: '#1F77b4'
    children:
      - id: supply.human-resources
        name: {zh: 人才}
        keywords: [人才, 培训, talent]
        exclude_keywords:
          - 人力资源社会保障
      - id: supply.capital-investment
        keywords:
        scale:
          levels:
            - {value: 1, label: mentions}
            - {value: 2, label: general, description: 一般性表述}
  - id: demand
";

#[test]
fn valid_codebook_flattens_depth_first() {
    let cb = load_str(VALID, "t.yaml").unwrap();
    let ids: Vec<_> = cb.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "supply",
            "supply.human-resources",
            "supply.capital-investment",
            "demand"
        ]
    );
    assert_eq!(cb.nodes[0].children, [1, 2]);
    assert_eq!(cb.nodes[2].parent, Some(0));
    assert_eq!(cb.nodes[2].depth, 1);
    assert_eq!(cb.nodes[1].keywords, ["人才", "培训", "talent"]);
    assert_eq!(cb.nodes[1].exclude_keywords, ["人力资源社会保障"]);
    assert!(cb.nodes[2].keywords.is_empty());
    assert_eq!(cb.nodes[2].scale.as_ref().unwrap().range(), (1, 2));
    assert_eq!(cb.nodes[0].name_zh, "供给型");
    assert_eq!(cb.subtree(0), 0..3);
    assert_eq!(cb.path(1), ["supply", "supply.human-resources"]);
    assert!(check_str(VALID, "t.yaml").is_empty());
    // CRLF line endings load the same.
    assert_eq!(
        load_str(&VALID.replace('\n', "\r\n"), "t.yaml").unwrap(),
        cb
    );
}

#[test]
fn syntax_error_has_position() {
    let text = "name: x\nnodes:\n  - id: a\n    keywords: [a, b\n  - id: b\n";
    let e = load_str(text, "t.yaml").unwrap_err();
    assert_eq!((e.line, e.column), (5, 7), "{e}");
    assert!(e.to_string().starts_with("t.yaml:5:7: "), "{e}");
    assert!(!e.message.contains(" at line "), "{e}");
}

#[test]
fn unknown_field_points_at_the_key() {
    let text = "name: x\nnodes:\n  - id: a\n    keyword: [x]\n";
    assert_eq!(one(text, "unknown field `keyword`"), (4, 5));
    // Columns count characters, not bytes, after Chinese text.
    let text = "name: x\nnodes:\n  - {name: {zh: 人才}, id: a, bogus: 1}\n";
    assert_eq!(one(text, "bogus"), (3, 29));
}

#[test]
fn missing_id_is_reported() {
    let text = "name: x\nnodes:\n  - id: a\n  - name: {en: B}\n";
    let (line, _) = one(text, "missing field `id`");
    assert_eq!(line, 4);
}

#[test]
fn duplicate_id_points_at_second_occurrence() {
    let text = "name: x\nnodes:\n  - id: a\n  - id: b\n  - id: a\n";
    assert_eq!(
        one(text, "duplicate node id `a` (first used on line 3)"),
        (5, 9)
    );
}

#[test]
fn bad_ids() {
    let text = "name: x\nnodes:\n  - id: \"\"\n";
    assert_eq!(one(text, "empty node id"), (3, 9));
    let text = "name: x\nnodes:\n  - id: b\n  - id: a b\n";
    assert_eq!(one(text, "whitespace"), (4, 9));
    let text = "name: x\nnodes:\n  - id: tasks.goals\n";
    assert_eq!(one(text, "unknown parent `tasks`"), (3, 9));
    let text = "name: x\nnodes:\n  - id: demand\n    children:\n      - id: supply.x\n";
    assert_eq!(one(text, "nested under `demand`"), (5, 13));
}

#[test]
fn keyword_errors_point_at_the_entry() {
    let text = "name: x\nnodes:\n  - id: a\n    keywords: [人才, \"\", x]\n";
    assert_eq!(one(text, "empty keyword"), (4, 20));
    let text =
        "name: x\nnodes:\n  - id: a\n    keywords:\n      - 人才\n      - 培训\n      - 人才\n";
    assert_eq!(one(text, "duplicate keyword \"人才\""), (7, 9));
    // English keywords match case-insensitively, so they duplicate case-insensitively.
    let text = "name: x\nnodes:\n  - id: a\n    keywords: [AI, talent, ai]\n";
    assert_eq!(one(text, "duplicate keyword \"ai\""), (4, 28));
    let text = "name: x\nnodes:\n  - id: a\n    keywords: [x, y]\n    exclude_keywords: [z, y]\n";
    assert_eq!(one(text, "both a keyword and an exclusion"), (5, 27));
}

#[test]
fn keyword_error_in_child_is_not_placed_in_parent() {
    let text = "name: x\nnodes:\n  - id: a\n    keywords: [人才]\n    children:\n      - id: a.b\n        definition: 人才\n        keywords:\n          - 人才\n          - 人才\n";
    assert_eq!(one(text, "duplicate keyword"), (10, 13));
}

#[test]
fn scale_errors() {
    let text = "name: x\nnodes:\n  - id: a\n    scale: {levels: []}\n";
    assert_eq!(one(text, "has no levels"), (4, 12));
    let text = "name: x\nnodes:\n  - id: a\n    scale:\n      levels:\n        - value: 1\n          label: a\n        - value: 1\n          label: b\n";
    assert_eq!(one(text, "repeats value 1"), (8, 18));
}

#[test]
fn bad_colour() {
    let text = "name: x\nnodes:\n  - id: a\n    color: red\n";
    assert_eq!(one(text, "not #rrggbb"), (4, 12));
}

#[test]
fn check_lists_every_problem_in_order() {
    let text =
        "name: x\nnodes:\n  - id: a\n    color: '#12345g'\n    keywords: [k, k]\n  - id: a\n";
    let lines: Vec<usize> = problems(text).iter().map(|p| p.0).collect();
    assert_eq!(lines, [4, 5, 6]);
    let e = load_str(text, "t.yaml").unwrap_err();
    assert_eq!(e.line, 4);
}

#[test]
fn empty_name_and_no_nodes() {
    let lines: Vec<usize> = problems("name: ''\nnodes: []\n")
        .iter()
        .map(|p| p.0)
        .collect();
    assert_eq!(lines, [1, 2]);
}

#[test]
fn alias_bomb_is_refused() {
    // Ten times more nodes at every level: 10^8 nodes if expanded.
    let mut text = String::from("name: bomb\nnodes:\n  - &n0 {id: x0, keywords: [k]}\n");
    for level in 1..9 {
        let refs = vec![format!("*n{}", level - 1); 10].join(", ");
        text.push_str(&format!(
            "  - &n{level} {{id: x{level}, children: [{refs}]}}\n"
        ));
    }
    let e = load_str(&text, "t.yaml").unwrap_err();
    assert!(e.message.contains("alias bomb"), "{e}");
    assert_eq!(e.line, 4, "points at the first alias: {e}");

    // The classic "billion laughs" in a field serde must skip or reject.
    let mut text = String::from("name: lol\nnodes: [{id: a}]\ndescription:\n  - &l0 [lol, lol]\n");
    for level in 1..12 {
        let refs = vec![format!("*l{}", level - 1); 9].join(", ");
        text.push_str(&format!("  - &l{level} [{refs}]\n"));
    }
    assert!(load_str(&text, "t.yaml").is_err());
}

#[test]
fn one_big_scalar_aliased_many_times_is_refused() {
    // 90 KB of text aliased 20,000 times would be 1.8 GB: serde_yaml alone aborts on it.
    let big = "区块链".repeat(10_000);
    let refs = vec!["*a"; 20_000].join(",");
    let text =
        format!("name: bomb\nnodes:\n- id: x\n  definition: &a \"{big}\"\n  examples: [{refs}]\n");
    let e = load_str(&text, "bomb.yaml").unwrap_err();
    assert!(e.to_string().starts_with("bomb.yaml:5:"), "{e}");
    assert!(e.message.contains("alias bomb"), "{e}");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let depth = 10_000;
    let text = format!(
        "name: deep\nnodes: {}{{id: a}}{}\n",
        "[{id: a, children: ".repeat(depth),
        "]}".repeat(depth) + "]"
    );
    let e = load_str(&text, "t.yaml").unwrap_err();
    assert!(e.message.contains("recursion limit"), "{e}");
    assert_eq!(e.line, 2);

    let text = format!(
        "name: deep\ndescription: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    assert!(load_str(&text, "t.yaml").is_err());
}

#[test]
fn nesting_beyond_max_depth_is_reported() {
    let levels = MAX_DEPTH + 2;
    let mut text = String::from("name: deep\nnodes:\n");
    let mut id = String::new();
    for level in 0..levels {
        id = if id.is_empty() {
            "n".into()
        } else {
            format!("{id}.n")
        };
        let indent = "    ".repeat(level);
        text.push_str(&format!("{indent}  - id: {id}\n{indent}    children:\n"));
    }
    let p = problems(&text);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].2.contains("deeper than"), "{p:?}");
    assert_eq!(p[0].0, 3 + 2 * (MAX_DEPTH + 1));
}

#[test]
fn non_utf8_file_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gbk.yaml");
    // "name: x\nnodes:\n  - id: 人" with the last character in GBK.
    std::fs::write(&path, b"name: x\nnodes:\n  - id: \xc8\xcb\n").unwrap();
    let e = super::load_file(&path).unwrap_err();
    assert_eq!((e.line, e.column), (3, 9), "{e}");
    assert!(e.origin.ends_with("gbk.yaml"));
    assert!(e.message.contains("UTF-8"));
}

/// Line (1-based) of the first line of `text` containing `needle` after line `after`.
fn line_of(text: &str, needle: &str, after: usize) -> usize {
    text.lines()
        .enumerate()
        .skip(after)
        .find(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
        .unwrap_or_else(|| panic!("{needle} not found"))
}

#[test]
fn errors_in_the_bundled_codebook_point_at_the_right_line() {
    let text = super::bundled::get("policy-tools").unwrap();
    // A repeated keyword inside a flow list that spans several lines.
    let bad = text.replacen("培训, 实训", "培训, 培训", 1);
    let e = load_str(&bad, "p.yaml").unwrap_err();
    assert!(e.message.contains("duplicate keyword \"培训\""), "{e}");
    // The second standalone 培训 in "技能培训, 培训, 培训,".
    assert_eq!(e.line, line_of(&bad, ", 培训, 培训,", 0), "{e}");
    let line = bad.lines().nth(e.line - 1).unwrap();
    let before = line.split(", 培训, 培训,").next().unwrap().chars().count();
    assert_eq!(e.column, before + 7, "{e}");

    // A duplicated id: the error is on the second occurrence.
    let bad = text.replacen(
        "id: supply.capital-investment",
        "id: supply.human-resources",
        1,
    );
    let e = load_str(&bad, "p.yaml").unwrap_err();
    let first = line_of(&bad, "id: supply.human-resources", 0);
    assert_eq!(
        e.line,
        line_of(&bad, "id: supply.human-resources", first),
        "{e}"
    );
    assert!(
        e.message.contains(&format!("first used on line {first}")),
        "{e}"
    );

    // A bad colour on a parent whose children come in between.
    let bad = text.replacen("#2ca02c", "green", 1);
    let e = load_str(&bad, "p.yaml").unwrap_err();
    assert_eq!(
        (e.line, e.column),
        (line_of(&bad, "color: \"green\"", 0), 12),
        "{e}"
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
    /// Damaged codebooks give errors (or load), never a panic.
    #[test]
    fn damaged_text_never_panics(at in 0usize..4000, len in 0usize..40, insert in "[ -~\\n人才，]{0,6}") {
        let text: Vec<char> = VALID.chars().chain(super::bundled::get("planning-quality").unwrap().chars()).collect();
        let at = at % text.len();
        let end = (at + len).min(text.len());
        let damaged: String = text[..at].iter().chain(insert.chars().collect::<Vec<_>>().iter()).chain(&text[end..]).collect();
        for e in check_str(&damaged, "d.yaml") {
            proptest::prop_assert!(e.line >= 1 && e.column >= 1);
            proptest::prop_assert!(e.line <= damaged.lines().count().max(1) + 1, "{}", e);
        }
    }
}
