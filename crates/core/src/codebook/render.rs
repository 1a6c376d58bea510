//! Plain-text rendering of a codebook tree for `polcode codebook show` (no terminal codes).

use std::fmt::Write;

use unicode_width::UnicodeWidthStr;

use super::{Codebook, Node};

/// The codebook as an indented tree, one node per line: id, Chinese name, English name, and
/// its keyword count and scale range, in aligned columns. With `detail`, each node is followed
/// by its definition, notes, examples, keywords and scale levels.
pub fn render_tree(cb: &Codebook, detail: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", cb.name);
    for line in cb.description.lines().filter(|l| !l.trim().is_empty()) {
        let _ = writeln!(out, "  {}", line.trim());
    }
    let leaves = cb.leaves().count();
    let _ = writeln!(
        out,
        "{} nodes ({} top-level, {leaves} leaves)\n",
        cb.nodes.len(),
        cb.roots().count()
    );

    let id_width = cb
        .nodes
        .iter()
        .map(|n| 2 * n.depth + n.id.width())
        .max()
        .unwrap_or(0);
    let zh_width = cb
        .nodes
        .iter()
        .map(|n| n.name_zh.width())
        .max()
        .unwrap_or(0);
    let en_width = cb
        .nodes
        .iter()
        .map(|n| n.name_en.width())
        .max()
        .unwrap_or(0);
    for node in &cb.nodes {
        let indent = "  ".repeat(node.depth);
        let mut line = String::new();
        line.push_str(&indent);
        line.push_str(&node.id);
        pad(&mut line, 2 * node.depth + node.id.width(), id_width + 2);
        line.push_str(&node.name_zh);
        pad(&mut line, node.name_zh.width(), zh_width + 2);
        line.push_str(&node.name_en);
        pad(&mut line, node.name_en.width(), en_width + 2);
        line.push_str(&summary(node));
        let _ = writeln!(out, "{}", line.trim_end());
        if detail {
            details(&mut out, node, &format!("{indent}    "));
        }
    }
    out
}

fn pad(line: &mut String, used: usize, width: usize) {
    line.push_str(&" ".repeat(width.saturating_sub(used)));
}

/// `23 keywords, 2 exclusions, scale 1-4`.
fn summary(node: &Node) -> String {
    let mut parts = Vec::new();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if !node.keywords.is_empty() {
        parts.push(plural(node.keywords.len(), "keyword"));
    }
    if !node.exclude_keywords.is_empty() {
        parts.push(plural(node.exclude_keywords.len(), "exclusion"));
    }
    if let Some(scale) = &node.scale {
        let (lo, hi) = scale.range();
        parts.push(format!("scale {lo}-{hi}"));
    }
    parts.join(", ")
}

fn details(out: &mut String, node: &Node, indent: &str) {
    let mut field = |label: &str, text: &str| {
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        if let Some(first) = lines.next() {
            let _ = writeln!(out, "{indent}{label}: {first}");
            for more in lines {
                let _ = writeln!(out, "{indent}  {more}");
            }
        }
    };
    field("definition", &node.definition);
    field("include", &node.include);
    field("exclude", &node.exclude);
    for example in &node.examples {
        field("example", example);
    }
    field("keywords", &node.keywords.join(", "));
    field("exclusion keywords", &node.exclude_keywords.join(", "));
    if let Some(color) = &node.color {
        field("colour", color);
    }
    if let Some(scale) = &node.scale {
        for level in &scale.levels {
            let text = match level.description.trim() {
                "" => level.label.clone(),
                d => format!("{}: {d}", level.label),
            };
            field(&format!("  {}", level.value), &text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codebook::{Scale, ScaleLevel};

    fn book() -> Codebook {
        let supply = Node {
            id: "supply".into(),
            children: vec![1],
            name_zh: "供给型".into(),
            name_en: "Supply".into(),
            definition: "政府直接提供要素。".into(),
            ..Node::default()
        };
        let talent = Node {
            id: "supply.human-resources".into(),
            parent: Some(0),
            depth: 1,
            name_zh: "人才培养".into(),
            name_en: "Talent".into(),
            keywords: vec!["人才".into(), "talent".into()],
            scale: Some(Scale {
                levels: vec![
                    ScaleLevel {
                        value: 1,
                        label: "mentions".into(),
                        description: String::new(),
                    },
                    ScaleLevel {
                        value: 4,
                        label: "projects".into(),
                        description: "names projects".into(),
                    },
                ],
            }),
            ..Node::default()
        };
        Codebook {
            name: "demo".into(),
            description: "A demo.".into(),
            nodes: vec![supply, talent],
        }
    }

    #[test]
    fn tree_aligns_columns_by_display_width() {
        let text = render_tree(&book(), false);
        let expected = "demo\n  A demo.\n2 nodes (1 top-level, 1 leaves)\n\n\
            supply                    供给型    Supply\n  \
            supply.human-resources  人才培养  Talent  2 keywords, scale 1-4\n";
        assert_eq!(text, expected);
    }

    #[test]
    fn detail_lists_definition_keywords_and_levels() {
        let text = render_tree(&book(), true);
        assert!(
            text.contains("\n    definition: 政府直接提供要素。\n"),
            "{text}"
        );
        assert!(text.contains("\n      keywords: 人才, talent\n"), "{text}");
        assert!(
            text.contains("\n        4: projects: names projects\n"),
            "{text}"
        );
    }
}
