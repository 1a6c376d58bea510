//! The tables of `polcode search`: keyword in context (one row per hit, the hit aligned in
//! text output by display width, so CJK characters count two columns) and counts of documents
//! and paragraphs with hits per group (`--by`).

use unicode_width::UnicodeWidthStr;

use super::{totals, ParaHits, Scope};
use crate::corpus::ParaKind;
use crate::stats::{By, Cell, Format, Groups, Table};
use crate::study::Study;

/// `window` characters of `text` before and after `span` (bytes), and the hit itself. Runs of
/// whitespace (tabs of flattened tables) read as one space; a cut is marked with `…`.
pub(crate) fn kwic(
    text: &str,
    span: &std::ops::Range<usize>,
    window: usize,
) -> (String, String, String) {
    // Walk back `window` characters from the hit only (not from the paragraph's start: a
    // 200,000-character paragraph with thousands of hits must stay linear).
    let head = &text[..span.start];
    let left_start = match window {
        0 => head.len(),
        w => head.char_indices().rev().nth(w - 1).map_or(0, |(i, _)| i),
    };
    let mut left = head[left_start..].to_string();
    if left_start > 0 {
        left.insert(0, '…');
    }
    let mut after = text[span.end..].chars();
    let mut right: String = after.by_ref().take(window).collect();
    if after.next().is_some() {
        right.push('…');
    }
    (
        one_line(&left),
        one_line(&text[span.clone()]),
        one_line(&right),
    )
}

fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

/// Keyword-in-context table, one row per hit. For [`Format::Text`] the context comes first,
/// the left context padded on the left to one display width so every hit starts in the same
/// column (the paragraph id, which names the document, follows); other formats get the
/// document id, region, level and paragraph id first and the exact text.
pub fn kwic_table(
    study: &Study,
    hits: &[ParaHits],
    spec_text: &str,
    scope: Scope,
    window: usize,
    format: Format,
) -> Table {
    let text = format == Format::Text;
    let mut place = vec!["region", "level", "paragraph"];
    if !text {
        place.insert(0, "document");
    }
    if scope == Scope::All {
        place.push("kind");
    }
    let context = ["left", "hit", "right"];
    let header: Vec<&str> = if text {
        context.iter().chain(&place).copied().collect()
    } else {
        place.iter().chain(&context).copied().collect()
    };
    let mut t = Table::new(
        format!("Search: {spec_text}"),
        header.iter().map(|s| s.to_string()).collect(),
    );
    let mut rows: Vec<([String; 3], Vec<Cell>)> = Vec::new();
    for h in hits {
        let doc = &study.docs[h.doc];
        let p = &doc.paragraphs[h.para];
        for span in &h.spans {
            let (left, hit, right) = kwic(&p.text, span, window);
            let mut where_ = vec![
                Cell::text(doc.meta.region.clone()),
                Cell::text(doc.meta.level.as_str()),
                Cell::text(doc.para_id(p.n)),
            ];
            if !text {
                where_.insert(0, Cell::text(doc.id.clone()));
            }
            if scope == Scope::All {
                where_.push(Cell::text(kind_name(p.kind)));
            }
            rows.push(([left, hit, right], where_));
        }
    }
    let w = if text {
        rows.iter().map(|(c, _)| c[0].width()).max().unwrap_or(0)
    } else {
        0
    };
    for ([left, hit, right], where_) in rows {
        let pad = w.saturating_sub(left.width());
        let ctx = [
            Cell::text(format!("{}{left}", " ".repeat(pad))),
            Cell::text(hit),
            Cell::text(right),
        ];
        t.rows.push(if text {
            ctx.into_iter().chain(where_).collect()
        } else {
            where_.into_iter().chain(ctx).collect()
        });
    }
    let n = totals(hits);
    t.notes.push(format!(
        "{} hits in {} paragraphs of {} documents; {}",
        n.hits,
        n.paragraphs,
        n.documents,
        scope_note(scope)
    ));
    t.notes.push(format!(
        "{window} characters of context either side (… where the paragraph goes on); hits \
         are found left to right without overlap, the longest alternative first"
    ));
    t
}

/// Keyword in context as text, a concordance grouped by document: a line naming the document
/// (with its region and level), then one line per hit, `#n`, the left context padded to one
/// display width so every hit in the listing starts in the same column, the hit between two
/// spaces, the right context. With the default 15 characters of context a line is about 80
/// columns, whatever the document ids.
pub fn kwic_text(
    study: &Study,
    hits: &[ParaHits],
    spec_text: &str,
    scope: Scope,
    window: usize,
) -> String {
    use crate::termsafe::escape;
    struct Line {
        doc: usize,
        n: String,
        left: String,
        hit: String,
        right: String,
    }
    let mut lines = Vec::new();
    for h in hits {
        let doc = &study.docs[h.doc];
        let p = &doc.paragraphs[h.para];
        for span in &h.spans {
            let (left, hit, right) = kwic(&p.text, span, window);
            let mut n = format!("#{}", p.n);
            if scope == Scope::All && p.kind != ParaKind::Body {
                n.push_str(&format!(" ({})", kind_name(p.kind)));
            }
            lines.push(Line {
                doc: h.doc,
                n: escape(&n).into_owned(),
                left: escape(&left).into_owned(),
                hit: escape(&hit).into_owned(),
                right: escape(&right).into_owned(),
            });
        }
    }
    let wn = lines.iter().map(|l| l.n.width()).max().unwrap_or(0);
    let wl = lines.iter().map(|l| l.left.width()).max().unwrap_or(0);
    let mut out = format!("Search: {}\n", escape(spec_text));
    let mut last_doc = None;
    for l in &lines {
        if last_doc != Some(l.doc) {
            let d = &study.docs[l.doc];
            let region = if d.meta.region.is_empty() {
                "none"
            } else {
                &d.meta.region
            };
            out.push_str(&format!(
                "{}  (region {}, level {})\n",
                escape(&d.id),
                escape(region),
                d.meta.level.as_str()
            ));
            last_doc = Some(l.doc);
        }
        out.push_str(&format!(
            "  {}{}  {}{}  {}  {}\n",
            l.n,
            " ".repeat(wn - l.n.width()),
            " ".repeat(wl - l.left.width()),
            l.left,
            l.hit,
            l.right
        ));
    }
    let n = totals(hits);
    out.push_str(&format!(
        "{} hits in {} paragraphs of {} documents\n  {}\n  {window} characters of context \
         either side (… where the paragraph goes on)\n  hits are found left to right without \
         overlap, the longest alternative first\n  -f csv|json|md gives one row per hit with \
         its document, region and level\n",
        n.hits,
        n.paragraphs,
        n.documents,
        scope_note(scope)
    ));
    out
}

fn kind_name(k: ParaKind) -> &'static str {
    match k {
        ParaKind::Body => "body",
        ParaKind::Heading => "heading",
        ParaKind::NonBody => "non-body",
    }
}

fn scope_note(scope: Scope) -> &'static str {
    match scope {
        Scope::Body => {
            "body paragraphs (the units of coding; --all adds headings and non-body lines)"
        }
        Scope::All => "every paragraph: body, headings and non-body lines",
    }
}

/// Documents and paragraphs with hits per group of `by`, out of all documents and paragraphs
/// in scope, and the hits themselves; a total row last.
pub fn by_table(study: &Study, hits: &[ParaHits], spec_text: &str, scope: Scope, by: By) -> Table {
    let groups = Groups::new(by, &study.scheme, &study.docs);
    let g = groups.keys.len();
    let mut docs_all = vec![0i64; g];
    let mut paras_all = vec![0i64; g];
    for (d, doc) in study.docs.iter().enumerate() {
        let gi = groups.of_doc[d];
        docs_all[gi] += 1;
        paras_all[gi] += doc
            .paragraphs
            .iter()
            .filter(|p| scope == Scope::All || p.kind == ParaKind::Body)
            .count() as i64;
    }
    let mut docs_hit = vec![0i64; g];
    let mut paras_hit = vec![0i64; g];
    let mut n_hits = vec![0i64; g];
    let mut last_doc = None;
    for h in hits {
        let gi = groups.of_doc[h.doc];
        if last_doc != Some(h.doc) {
            docs_hit[gi] += 1;
            last_doc = Some(h.doc);
        }
        paras_hit[gi] += 1;
        n_hits[gi] += h.spans.len() as i64;
    }
    let header = [
        by.as_str(),
        "documents with hits",
        "documents",
        "% documents",
        "paragraphs with hits",
        "paragraphs",
        "hits",
    ];
    let mut t = Table::new(
        format!("Search: {spec_text}, by {}", by.as_str()),
        header.iter().map(|s| s.to_string()).collect(),
    );
    let pct = |a: i64, b: i64| Cell::pct((b > 0).then(|| 100.0 * a as f64 / b as f64), 1);
    let row = |label: String, dh: i64, da: i64, ph: i64, pa: i64, h: i64| {
        vec![
            Cell::text(label),
            Cell::Int(dh),
            Cell::Int(da),
            pct(dh, da),
            Cell::Int(ph),
            Cell::Int(pa),
            Cell::Int(h),
        ]
    };
    for i in 0..g {
        if docs_all[i] == 0 {
            continue;
        }
        t.rows.push(row(
            groups.labels[i].clone(),
            docs_hit[i],
            docs_all[i],
            paras_hit[i],
            paras_all[i],
            n_hits[i],
        ));
    }
    let sum = |v: &[i64]| v.iter().sum::<i64>();
    t.rows.push(row(
        "total".into(),
        sum(&docs_hit),
        sum(&docs_all),
        sum(&paras_hit),
        sum(&paras_all),
        sum(&n_hits),
    ));
    t.notes.push(format!(
        "{}; a document counts once however many hits it has",
        scope_note(scope)
    ));
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kwic_windows_are_characters_and_one_line() {
        let text = "一二三四五\t\t区块链六七八九十";
        let start = text.find("区块链").unwrap();
        let (l, h, r) = kwic(text, &(start..start + "区块链".len()), 3);
        assert_eq!(
            (l.as_str(), h.as_str(), r.as_str()),
            ("…五 ", "区块链", "六七八…")
        );
        let (l, _, r) = kwic(text, &(start..start + "区块链".len()), 20);
        assert_eq!((l.as_str(), r.as_str()), ("一二三四五 ", "六七八九十"));
    }
}
