//! Reading a REFI-QDA codebook (`.qdc`, or the `CodeBook` of a project) into polcode codebook
//! YAML: names split into Chinese and English, descriptions, colours and hierarchy kept, node
//! ids derived from names (or recovered from a `polcode id:` line written by our exporter).

use std::collections::HashSet;

use serde::Serialize;

use super::xml::{self, Element};
use super::RefiImportError;
use crate::export::qdc::ID_PREFIX;

/// One code read from a REFI-QDA file, with its subtree.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportedCode {
    pub guid: String,
    /// The name as written in the file.
    pub name: String,
    pub name_zh: String,
    pub name_en: String,
    pub definition: String,
    pub include: String,
    pub exclude: String,
    pub keywords: Vec<String>,
    /// The node id written by polcode's exporter, if the description carries one.
    pub polcode_id: Option<String>,
    /// `#rrggbb` (a `#rgb` colour is expanded).
    pub color: Option<String>,
    pub codable: bool,
    pub children: Vec<ImportedCode>,
}

/// A codebook read from a REFI-QDA file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportedCodebook {
    /// The `origin` attribute (the exporting program), if any.
    pub origin: String,
    pub codes: Vec<ImportedCode>,
}

/// Parses a `.qdc` file.
pub fn import_qdc(text: &str) -> Result<ImportedCodebook, RefiImportError> {
    let root = xml::parse(text, "codebook.qdc")?;
    if root.name != "CodeBook" {
        return Err(RefiImportError::Format {
            file: "codebook.qdc".into(),
            message: format!("root element is <{}>, expected <CodeBook>", root.name),
        });
    }
    Ok(codebook_from(&root))
}

/// Reads the codes under a `CodeBook` element (of a `.qdc` or a project).
pub(crate) fn codebook_from(el: &Element) -> ImportedCodebook {
    let codes = el
        .child("Codes")
        .map(|c| c.children_named("Code").map(code_from).collect())
        .unwrap_or_default();
    ImportedCodebook {
        origin: el.attr("origin").unwrap_or("").to_string(),
        codes,
    }
}

fn code_from(el: &Element) -> ImportedCode {
    let name = el.attr("name").unwrap_or("").trim().to_string();
    let (name_zh, name_en) = split_name(&name);
    let mut c = ImportedCode {
        guid: el.attr("guid").unwrap_or("").to_lowercase(),
        name,
        name_zh,
        name_en,
        color: el.attr("color").and_then(expand_color),
        codable: el.attr("isCodable").is_none_or(|v| v.trim() != "false"),
        children: el.children_named("Code").map(code_from).collect(),
        ..ImportedCode::default()
    };
    let desc = el
        .child("Description")
        .map(|d| d.text.as_str())
        .unwrap_or("");
    let mut def = Vec::new();
    for line in desc.lines() {
        if let Some(v) = line.strip_prefix("Include: ") {
            c.include = v.trim().to_string();
        } else if let Some(v) = line.strip_prefix("Exclude: ") {
            c.exclude = v.trim().to_string();
        } else if let Some(v) = line.strip_prefix("Keywords: ") {
            let mut seen = HashSet::new();
            c.keywords = v
                .split([',', '，', '、'])
                .map(str::trim)
                .filter(|k| !k.is_empty() && seen.insert(k.to_string()))
                .map(str::to_string)
                .collect();
        } else if let Some(v) = line.strip_prefix(ID_PREFIX) {
            c.polcode_id = Some(v.trim().to_string());
        } else {
            def.push(line);
        }
    }
    c.definition = def.join("\n").trim().to_string();
    c
}

fn expand_color(c: &str) -> Option<String> {
    let h = c.trim().strip_prefix('#')?;
    if !h.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    match h.len() {
        6 => Some(format!("#{}", h.to_lowercase())),
        3 => Some(h.chars().fold(String::from("#"), |mut s, ch| {
            s.push(ch.to_ascii_lowercase());
            s.push(ch.to_ascii_lowercase());
            s
        })),
        _ => None,
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}' | '\u{20000}'..='\u{3FFFF}')
}

/// Splits a code name into (Chinese, English): `供给型 Supply-side`, `Supply-side 供给型`,
/// `供给型（Supply-side）` and `Supply-side (供给型)` all give (`供给型`, `Supply-side`). A name
/// in one script only goes wholly to that side; a name that mixes them otherwise stays whole
/// in the Chinese field.
pub(crate) fn split_name(name: &str) -> (String, String) {
    let name = name.trim();
    let has_cjk = |s: &str| s.chars().any(is_cjk);
    if !has_cjk(name) {
        return (String::new(), name.to_string());
    }
    if !name.chars().any(|c| c.is_ascii_alphabetic()) {
        return (name.to_string(), String::new());
    }
    // Parenthesised second name.
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let Some(inner) = name.strip_suffix(close) {
            if let Some((head, tail)) = inner.rsplit_once(open) {
                let (head, tail) = (head.trim(), tail.trim());
                if has_cjk(head) && !has_cjk(tail) {
                    return (head.to_string(), tail.to_string());
                }
                if !has_cjk(head) && has_cjk(tail) && !tail.chars().any(|c| c.is_ascii_alphabetic())
                {
                    return (tail.to_string(), head.to_string());
                }
            }
        }
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    for cut in 1..words.len() {
        let (a, b) = (words[..cut].join(" "), words[cut..].join(" "));
        if !has_cjk(&b) && b.chars().any(|c| c.is_ascii_alphabetic()) {
            return (a, b);
        }
        if !has_cjk(&a) && words[cut..].iter().all(|w| has_cjk(w)) {
            return (b, a);
        }
    }
    (name.to_string(), String::new())
}

/// An ASCII id fragment from a name: lower-case letters and digits, other runs become `-`.
pub(crate) fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Assigns a polcode node id to every code, depth first: `(guid, id)`. A child's id is its
/// parent's id, a dot and its own slug, as the codebook validator requires. A `polcode id:`
/// line is used when it fits that rule and is not taken; otherwise the slug of the English
/// name (or `code-<n>`), made unique with `-2`, `-3`…
pub fn assign_ids(cb: &ImportedCodebook) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut used = HashSet::new();
    let mut counter = 0usize;
    fn go(
        c: &ImportedCode,
        parent: Option<&str>,
        used: &mut HashSet<String>,
        counter: &mut usize,
        out: &mut Vec<(String, String)>,
    ) {
        *counter += 1;
        let fits = |id: &str| match (parent, id.rsplit_once('.')) {
            (None, None) => true,
            (Some(p), Some((pre, last))) => pre == p && !last.is_empty(),
            _ => false,
        };
        let id = match &c.polcode_id {
            Some(id)
                if fits(id)
                    && !id.is_empty()
                    && !id.chars().any(char::is_whitespace)
                    && !used.contains(id) =>
            {
                id.clone()
            }
            _ => {
                let mut s = slug(&c.name_en);
                if s.is_empty() {
                    s = slug(&c.name);
                }
                if s.is_empty() {
                    s = format!("code-{counter}");
                }
                let base = match parent {
                    Some(p) => format!("{p}.{s}"),
                    None => s,
                };
                let mut id = base.clone();
                let mut k = 2;
                while used.contains(&id) {
                    id = format!("{base}-{k}");
                    k += 1;
                }
                id
            }
        };
        used.insert(id.clone());
        out.push((c.guid.clone(), id.clone()));
        for ch in &c.children {
            go(ch, Some(&id), used, counter, out);
        }
    }
    for c in &cb.codes {
        go(c, None, &mut used, &mut counter, &mut out);
    }
    out
}

#[derive(Serialize)]
struct YName {
    #[serde(skip_serializing_if = "String::is_empty")]
    en: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    zh: String,
}

#[derive(Serialize)]
struct YNode {
    id: String,
    name: YName,
    #[serde(skip_serializing_if = "String::is_empty")]
    definition: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    include: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    exclude: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    keywords: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    color: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    children: Vec<YNode>,
}

#[derive(Serialize)]
struct YBook {
    name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    description: String,
    nodes: Vec<YNode>,
}

/// The polcode codebook YAML of an imported codebook (the format `codebook::load_str` reads:
/// `name`, `description`, `nodes` with `id`, `name: {en, zh}`, `definition`, `include`,
/// `exclude`, `keywords`, `color`, `children`), ids from [`assign_ids`].
pub fn qdc_to_codebook_yaml(cb: &ImportedCodebook, name: &str) -> String {
    let ids = assign_ids(cb);
    let mut it = ids.into_iter().map(|(_, id)| id);
    fn conv(c: &ImportedCode, ids: &mut dyn Iterator<Item = String>) -> YNode {
        let id = ids.next().unwrap_or_default();
        YNode {
            id,
            name: YName {
                en: c.name_en.clone(),
                zh: c.name_zh.clone(),
            },
            definition: c.definition.clone(),
            include: c.include.clone(),
            exclude: c.exclude.clone(),
            keywords: c.keywords.clone(),
            color: c.color.clone(),
            children: c.children.iter().map(|ch| conv(ch, ids)).collect(),
        }
    }
    let book = YBook {
        name: if name.trim().is_empty() {
            "imported".into()
        } else {
            name.to_string()
        },
        description: if cb.origin.is_empty() {
            String::new()
        } else {
            format!("Imported from a REFI-QDA codebook ({})", cb.origin)
        },
        nodes: cb.codes.iter().map(|c| conv(c, &mut it)).collect(),
    };
    serde_yaml::to_string(&book).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_bilingual_names() {
        let s = |n: &str| split_name(n);
        assert_eq!(
            s("供给型 Supply-side"),
            ("供给型".into(), "Supply-side".into())
        );
        assert_eq!(
            s("Supply side 供给型"),
            ("供给型".into(), "Supply side".into())
        );
        assert_eq!(s("供给型（Supply）"), ("供给型".into(), "Supply".into()));
        assert_eq!(s("Supply (供给型)"), ("供给型".into(), "Supply".into()));
        assert_eq!(
            s("人才 Talent 政策"),
            ("人才 Talent 政策".into(), String::new())
        );
        assert_eq!(s("Tax"), (String::new(), "Tax".into()));
        assert_eq!(s("税收优惠"), ("税收优惠".into(), String::new()));
    }

    #[test]
    fn derives_ids_that_nest_and_stay_unique() {
        let xml = r##"<?xml version="1.0"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="NVivo">
 <Codes>
  <Code guid="11111111-1111-1111-1111-111111111111" name="供给型 Supply" isCodable="false" color="#A0b">
   <Description>政府直接提供。
Include: 人才培养
Keywords: 人才, 资金</Description>
   <Code guid="22222222-2222-2222-2222-222222222222" name="人才 Talent" isCodable="true"/>
   <Code guid="33333333-3333-3333-3333-333333333333" name="人才 Talent!" isCodable="true"/>
   <Code guid="44444444-4444-4444-4444-444444444444" name="资金投入" isCodable="true"/>
  </Code>
  <Code guid="55555555-5555-5555-5555-555555555555" name="Env" isCodable="true">
   <Description>polcode id: a.b</Description>
  </Code>
 </Codes>
</CodeBook>"##;
        let cb = import_qdc(xml).expect("parses");
        assert_eq!(cb.codes[0].color.as_deref(), Some("#aa00bb"));
        assert!(!cb.codes[0].codable);
        assert_eq!(cb.codes[0].include, "人才培养");
        assert_eq!(cb.codes[0].keywords, vec!["人才", "资金"]);
        assert_eq!(cb.codes[0].definition, "政府直接提供。");
        let ids: Vec<String> = assign_ids(&cb).into_iter().map(|(_, i)| i).collect();
        assert_eq!(
            ids,
            vec![
                "supply",
                "supply.talent",
                "supply.talent-2",
                "supply.code-4",
                "env"
            ]
        );
        let y = qdc_to_codebook_yaml(&cb, "nv");
        let v: serde_yaml::Value = serde_yaml::from_str(&y).expect("yaml");
        assert_eq!(v["nodes"][0]["children"][0]["name"]["zh"], "人才");
        assert_eq!(v["nodes"][0]["color"], "#aa00bb");
    }
}
