//! The codebook as a REFI-QDA codebook (`.qdc`, namespace `urn:QDA-XML:codebook:1.0`), and the
//! `<Code>` tree shared with the project export.
//!
//! Each node becomes a `Code` nested under its parent, with `guid` = [`super::code_guid`],
//! `name` = `中文名 English name` made unique across the whole codebook (importers key codes by
//! name and may merge equal names under different parents), `isCodable="true"` (polcode lets a
//! coder choose any node, parents included), the node's colour, and a `Description` holding the
//! definition followed by `Include:`, `Exclude:`, `Keywords:` and `polcode id:` lines, which
//! [`crate::refi_import::qdc`] reads back.

use std::collections::HashSet;

use crate::codebook::{Codebook, Node};
use crate::xmltext as xml;

/// Namespace of REFI-QDA codebook files.
pub(crate) const CODEBOOK_NS: &str = "urn:QDA-XML:codebook:1.0";
/// Line prefix carrying the polcode node id inside a code's description.
pub(crate) const ID_PREFIX: &str = "polcode id: ";

/// The REFI-QDA codebook (`.qdc`) text of `codebook`.
pub fn codebook_qdc(codebook: &Codebook) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!(
        "<CodeBook xmlns=\"{CODEBOOK_NS}\" origin=\"{}\">\n",
        xml::attr(&origin())
    ));
    write_codes(&mut out, codebook, 1);
    out.push_str("</CodeBook>\n");
    out
}

/// `polcode <version>`: the `origin` attribute of every export.
pub(crate) fn origin() -> String {
    format!("polcode {}", env!("CARGO_PKG_VERSION"))
}

/// The exported code name of every node (index-aligned with `codebook.nodes`): the node's
/// label, with ` [id]` appended when another node already uses the same label.
pub(crate) fn code_names(codebook: &Codebook) -> Vec<String> {
    let mut seen = HashSet::new();
    codebook
        .nodes
        .iter()
        .map(|n| {
            let label = n.label();
            if seen.insert(label.clone()) {
                label
            } else {
                let alt = format!("{label} [{}]", n.id);
                seen.insert(alt.clone());
                alt
            }
        })
        .collect()
}

/// The `Description` text of a node: definition plus the coding rules and the polcode id.
pub(crate) fn code_description(n: &Node) -> String {
    let mut lines: Vec<String> = Vec::new();
    if !n.definition.trim().is_empty() {
        lines.push(n.definition.trim().to_string());
    }
    if !n.include.trim().is_empty() {
        lines.push(format!("Include: {}", n.include.trim()));
    }
    if !n.exclude.trim().is_empty() {
        lines.push(format!("Exclude: {}", n.exclude.trim()));
    }
    if !n.keywords.is_empty() {
        lines.push(format!("Keywords: {}", n.keywords.join(", ")));
    }
    lines.push(format!("{ID_PREFIX}{}", n.id));
    lines.join("\n")
}

/// Whether `c` is a colour REFI-QDA accepts (`#rgb` or `#rrggbb`).
pub(crate) fn valid_color(c: &str) -> bool {
    let hex = match c.strip_prefix('#') {
        Some(h) => h,
        None => return false,
    };
    (hex.len() == 6 || hex.len() == 3) && hex.chars().all(|c| c.is_ascii_hexdigit())
}

/// Writes `<Codes>` with every root and its subtree, indented by `depth` tabs.
pub(crate) fn write_codes(out: &mut String, codebook: &Codebook, depth: usize) {
    let names = code_names(codebook);
    out.push_str(&"\t".repeat(depth));
    out.push_str("<Codes>\n");
    for r in codebook.roots() {
        write_code(out, codebook, &names, r, depth + 1);
    }
    out.push_str(&"\t".repeat(depth));
    out.push_str("</Codes>\n");
}

fn write_code(out: &mut String, cb: &Codebook, names: &[String], i: usize, depth: usize) {
    let n = &cb.nodes[i];
    let pad = "\t".repeat(depth);
    out.push_str(&format!(
        "{pad}<Code guid=\"{}\" name=\"{}\" isCodable=\"true\"",
        super::code_guid(&n.id),
        xml::attr(&names[i])
    ));
    if let Some(c) = n.color.as_deref().filter(|c| valid_color(c)) {
        out.push_str(&format!(" color=\"{}\"", xml::attr(c)));
    }
    out.push_str(">\n");
    out.push_str(&format!(
        "{pad}\t<Description>{}</Description>\n",
        xml::text(&code_description(n))
    ));
    for &c in &n.children {
        write_code(out, cb, names, c, depth + 1);
    }
    out.push_str(&format!("{pad}</Code>\n"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str, parent: Option<usize>, zh: &str, en: &str) -> Node {
        Node {
            id: id.into(),
            parent,
            depth: usize::from(parent.is_some()),
            name_zh: zh.into(),
            name_en: en.into(),
            ..Node::default()
        }
    }

    #[test]
    fn nests_children_and_disambiguates_equal_labels() {
        let mut cb = Codebook {
            name: "t".into(),
            description: String::new(),
            nodes: vec![
                node("a", None, "其他", "Other"),
                node("b", None, "需求", "Demand"),
                node("b.other", Some(1), "其他", "Other"),
            ],
        };
        cb.nodes[1].children = vec![2];
        cb.nodes[0].color = Some("#12ab9F".into());
        cb.nodes[1].color = Some("red".into());
        let x = codebook_qdc(&cb);
        assert!(x.contains("name=\"其他 Other\""));
        assert!(x.contains("name=\"其他 Other [b.other]\""));
        assert!(x.contains("color=\"#12ab9F\""));
        assert!(!x.contains("color=\"red\""));
        let b = x.find("需求 Demand").expect("parent");
        let c = x.find("[b.other]").expect("child");
        let end_b = x[b..].find("</Code>").expect("end") + b;
        assert!(b < c && c < end_b, "child nested inside its parent");
    }
}
