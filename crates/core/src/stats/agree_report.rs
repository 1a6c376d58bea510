//! The outputs of `polcode agree`: text and Markdown tables that round (and say so), and JSON
//! and tidy CSV that carry every figure at full precision (`f64` written so it reads back
//! bit for bit).

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use crate::codebook::Codebook;
use crate::corpus::Document;

use super::agree::Agreement;
use super::bootstrap::Interval;
use super::compare::{AgreeReport, NodeAgreement, Scope, ScoreAgreement};
use super::{Cell, Column, Table};

/// Decimals of κ and α in text and Markdown.
pub(crate) const COEF_DECIMALS: usize = 4;
/// Decimals of percent agreement in text and Markdown.
pub(crate) const PCT_DECIMALS: usize = 2;

/// Undefined values in the default table, with the reasons listed once in the notes.
const UNDEFINED: &str = "n/a";

/// Widest note line (notes are printed indented by two columns).
pub const NOTE_WIDTH: usize = 116;

/// How wide the tables are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Fits in 120 columns: short node names, the interval in one cell, undefined as `—`.
    Default,
    /// Every column: full labels, Fleiss' units, interval bounds apart, reasons in cells.
    Wide,
}

struct Cells<'a> {
    layout: Layout,
    reasons: BTreeSet<&'a str>,
}

impl<'a> Cells<'a> {
    fn coef(&mut self, a: &'a Agreement) -> Cell {
        match a {
            Agreement::Value(v) => Cell::Num {
                value: *v,
                decimals: COEF_DECIMALS,
            },
            Agreement::Undefined { reason } => match self.layout {
                Layout::Default => {
                    self.reasons.insert(reason);
                    Cell::text(UNDEFINED)
                }
                Layout::Wide => Cell::text(format!("undefined: {reason}")),
            },
        }
    }

    fn opt(&mut self, a: &'a Option<Agreement>) -> Cell {
        a.as_ref().map(|a| self.coef(a)).unwrap_or(Cell::Empty)
    }

    fn pct(&mut self, a: &'a Agreement) -> Cell {
        match a.value() {
            Some(v) => Cell::pct(Some(100.0 * v), PCT_DECIMALS),
            None => self.coef(a),
        }
    }

    fn notes(&self) -> Vec<String> {
        self.reasons
            .iter()
            .map(|r| format!("{UNDEFINED} = undefined: {r}"))
            .collect()
    }
}

/// Notes no wider than `width` columns: long ones continue on lines of their own, indented.
pub fn wrap_notes(t: &mut Table, width: usize) {
    use unicode_width::UnicodeWidthStr;
    let mut out = Vec::new();
    for note in &t.notes {
        let mut line = String::new();
        for word in note.split(' ') {
            if !line.is_empty() && line.width() + 1 + word.width() > width {
                out.push(std::mem::take(&mut line));
                line.push_str("  ");
            } else if !line.is_empty() && line != "  " {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push(line);
    }
    t.notes = out;
}

fn ci_text(ci: &Option<Interval>) -> Cell {
    match ci {
        Some(i) => Cell::text(format!("[{:.3}, {:.3}]", i.low, i.high)),
        None => Cell::Empty,
    }
}

/// Short node name for the default layout (the id beside it shows the tree): the Chinese name
/// if any (its first
/// alternative: `人才培养/人才支持` → `人才培养`), else the English one, at most 16 columns.
fn short_label(cb: &Codebook, i: usize) -> String {
    let n = &cb.nodes[i];
    let name = if !n.name_zh.is_empty() {
        n.name_zh.split('/').next().unwrap_or_default().to_string()
    } else if !n.name_en.is_empty() {
        n.name_en.clone()
    } else {
        n.id.clone()
    };
    let mut short = String::new();
    let mut width = 0;
    for ch in name.chars() {
        let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if width + w > 16 {
            short.push_str("..");
            break;
        }
        short.push(ch);
        width += w;
    }
    short
}

fn label(cb: &Codebook, i: usize, layout: Layout) -> String {
    match layout {
        Layout::Default => short_label(cb, i),
        Layout::Wide => super::node_label(cb, i),
    }
}

impl AgreeReport {
    /// The rounding note every text table carries.
    fn rounding_note() -> String {
        format!(
            "text rounds κ and α to {COEF_DECIMALS} decimals, percent agreement to 0.{}1 \
             points and the interval to 3 decimals; -f json and -f csv give full precision",
            "0".repeat(PCT_DECIMALS - 1)
        )
    }

    fn coder_note(&self) -> String {
        let rated: Vec<String> = self
            .coders
            .iter()
            .zip(&self.rated)
            .map(|(c, n)| format!("{c} {n}"))
            .collect();
        let what = match self.options.scope {
            Scope::Decided => "decided",
            Scope::Document => "rated",
        };
        format!(
            "coders: {}; of {} body paragraphs, {what}: {}",
            self.coders.join(", "),
            self.paragraphs,
            rated.join(", ")
        )
    }

    fn boot_note(&self) -> String {
        let b = self.options.boot;
        if b.replicates == 0 {
            "no bootstrap (--bootstrap 0)".into()
        } else {
            format!(
                "α 95% CI: bootstrap after Hayes & Krippendorff (2007), {} replicates, seed {} \
                 (--bootstrap N, --seed S); the pooled row resamples (paragraph, node) pairs as \
                 if independent, so its interval is narrower than one that resamples whole \
                 paragraphs",
                b.replicates, b.seed
            )
        }
    }

    fn non_body_note(&self) -> Option<String> {
        let total: usize = self.non_body.iter().sum();
        (total > 0).then(|| {
            format!(
                "{total} decision(s) on headings or other non-body lines are not counted \
                 (non-body lines are never units of coding)"
            )
        })
    }

    /// Per-node coefficients on coding, pooled row last.
    pub fn table(&self, codebook: &Codebook, layout: Layout) -> Table {
        let two = self.coders.len() == 2;
        let mut header: Vec<&str> = vec!["id", "node", "units"];
        if layout == Layout::Wide {
            header.push("all rated");
        }
        header.push("agree %");
        if two {
            header.push("Cohen κ");
        }
        header.extend(["Fleiss κ", "α"]);
        match layout {
            Layout::Default => header.push("α 95% CI"),
            Layout::Wide => header.extend(["α CI low", "α CI high"]),
        }
        let unit = match self.options.scope {
            Scope::Decided => "unit: decided body paragraph",
            Scope::Document => "unit: body paragraph of a rated document (--scope document)",
        };
        let mut t = Table::new(
            format!("Agreement of {} ({unit})", self.coders.join(", ")),
            header.iter().map(|s| s.to_string()).collect(),
        );
        let mut cells = Cells {
            layout,
            reasons: BTreeSet::new(),
        };
        for r in self.nodes.iter().chain(std::iter::once(&self.pooled)) {
            let (id, name) = match r.node {
                Some(i) => (cb_id(codebook, i), label(codebook, i, layout)),
                None => (
                    "*".to_string(),
                    match layout {
                        Layout::Default => "pooled leaves",
                        Layout::Wide => "pooled over leaf nodes",
                    }
                    .to_string(),
                ),
            };
            let mut row = vec![Cell::text(id), Cell::text(name), Cell::Int(r.units as i64)];
            if layout == Layout::Wide {
                row.push(Cell::Int(r.complete as i64));
            }
            row.push(cells.pct(&r.percent));
            if two {
                row.push(cells.opt(&r.cohen));
            }
            row.push(cells.coef(&r.fleiss));
            row.push(cells.coef(&r.alpha));
            match layout {
                Layout::Default => row.push(ci_text(&r.alpha_ci)),
                Layout::Wide => {
                    row.push(Cell::num(r.alpha_ci.map(|i| i.low), COEF_DECIMALS));
                    row.push(Cell::num(r.alpha_ci.map(|i| i.high), COEF_DECIMALS));
                }
            }
            t.rows.push(row);
        }
        t.notes.push(self.coder_note());
        t.notes.push(self.options.scope.describe().into());
        t.notes.push(super::NON_BODY_RULE.into());
        t.notes.push(
            "rating at a node: 1 if the paragraph is coded at the node or a descendant, 0 if \
             not; pooled: every (paragraph, leaf node) pair is a unit"
                .into(),
        );
        t.notes.push(format!(
            "units: rated by at least two coders (α, agreement{}); Fleiss' κ uses the units \
             every coder rated{}",
            if two { ", Cohen's κ" } else { "" },
            if layout == Layout::Wide {
                " (all rated)"
            } else {
                ""
            }
        ));
        t.notes.push(
            "agree %: per unit, the share of coder pairs that agree, averaged over units; α: \
             Krippendorff's alpha, nominal"
                .into(),
        );
        t.notes.push(self.boot_note());
        t.notes.extend(self.non_body_note());
        t.notes.extend(cells.notes());
        t.notes.push(Self::rounding_note());
        fixed_columns(&mut t);
        wrap_notes(&mut t, NOTE_WIDTH);
        t
    }

    /// Per-scaled-node coefficients on rubric scores, then one pooled row per scale. The default
    /// layout leaves out the node names (they are in the coding table) and linear κ.
    pub fn score_table(&self, codebook: &Codebook, layout: Layout) -> Table {
        let two = self.coders.len() == 2;
        let wide = layout == Layout::Wide;
        let mut header: Vec<&str> = vec!["id"];
        if wide {
            header.extend([
                "node",
                "units",
                "α ordinal",
                "ord CI low",
                "ord CI high",
                "α interval",
                "int CI low",
                "int CI high",
            ]);
            if two {
                header.extend(["κ linear", "κ quadratic"]);
            }
        } else {
            header.extend(["units", "α ordinal", "95% CI", "α interval", "95% CI"]);
            if two {
                header.push("κ quadratic");
            }
        }
        let mut t = Table::new(
            format!("Agreement on rubric scores of {}", self.coders.join(", ")),
            header.iter().map(|s| s.to_string()).collect(),
        );
        let mut cells = Cells {
            layout,
            reasons: BTreeSet::new(),
        };
        for r in self.scores.iter().chain(&self.scores_pooled) {
            let (id, name) = match (r.node, &r.pooled) {
                (Some(i), _) => (cb_id(codebook, i), label(codebook, i, layout)),
                (None, Some((scale, nodes))) => (
                    format!("*{scale}"),
                    format!("pooled: {} nodes on scale {scale}", nodes.len()),
                ),
                (None, None) => ("*".into(), "pooled".into()),
            };
            let mut row = vec![Cell::text(id)];
            if wide {
                row.push(Cell::text(name));
            }
            row.push(Cell::Int(r.units as i64));
            row.push(cells.coef(&r.alpha_ordinal));
            if wide {
                row.push(Cell::num(r.alpha_ordinal_ci.map(|i| i.low), COEF_DECIMALS));
                row.push(Cell::num(r.alpha_ordinal_ci.map(|i| i.high), COEF_DECIMALS));
                row.push(cells.coef(&r.alpha_interval));
                row.push(Cell::num(r.alpha_interval_ci.map(|i| i.low), COEF_DECIMALS));
                row.push(Cell::num(
                    r.alpha_interval_ci.map(|i| i.high),
                    COEF_DECIMALS,
                ));
                if two {
                    row.push(cells.opt(&r.kappa_linear));
                    row.push(cells.opt(&r.kappa_quadratic));
                }
            } else {
                row.push(ci_text(&r.alpha_ordinal_ci));
                row.push(cells.coef(&r.alpha_interval));
                row.push(ci_text(&r.alpha_interval_ci));
                if two {
                    row.push(cells.opt(&r.kappa_quadratic));
                }
            }
            t.rows.push(row);
        }
        if !wide {
            t.notes.push(
                "*0–4, *1–4: nodes pooled by scale; --wide adds node names, linear κ and the \
                 interval bounds in columns of their own"
                    .into(),
            );
        }
        t.notes.push(self.coder_note());
        t.notes.push(
            "unit: a body paragraph scored at the node by at least two coders; weighted κ (two \
             coders) over paragraphs both scored, on the scale's levels in order"
                .into(),
        );
        t.notes.push(
            "pooled rows stack the nodes that share one scale (levels listed in the id); nodes \
             on different scales are never pooled together"
                .into(),
        );
        t.notes.push(self.boot_note());
        t.notes.extend(cells.notes());
        t.notes.push(Self::rounding_note());
        fixed_columns(&mut t);
        wrap_notes(&mut t, NOTE_WIDTH);
        t
    }

    /// The paragraphs the coders disagree on, with each coder's codes (`-` not rated).
    pub fn disagreement_table(&self, docs: &[Document]) -> Table {
        let mut header = vec!["paragraph".to_string(), "text".to_string()];
        header.extend(self.coders.iter().cloned());
        let mut t = Table::new(
            format!("{} paragraphs coded differently", self.disagreements.len()),
            header,
        );
        for d in &self.disagreements {
            let mut row = vec![
                Cell::text(d.para.clone()),
                Cell::text(para_text(docs, d.doc, d.n, 24)),
            ];
            row.extend(d.codes.iter().map(|c| match c {
                Some(c) if c.is_empty() => Cell::text("(no code)"),
                Some(c) => Cell::text(c.join(" ")),
                None => Cell::text("-"),
            }));
            t.rows.push(row);
        }
        t.notes.push(format!(
            "compared: body paragraphs at least two coders {}; - = not rated",
            match self.options.scope {
                Scope::Decided => "decided",
                Scope::Document => "rated (document scope)",
            }
        ));
        t
    }

    /// Everything at full precision, as one JSON object.
    pub fn to_json(&self, codebook: &Codebook, docs: &[Document], list: bool) -> Value {
        let b = self.options.boot;
        let mut out = Map::new();
        out.insert("coders".into(), json!(self.coders));
        out.insert("scope".into(), json!(self.options.scope.name()));
        out.insert("unit".into(), json!(self.options.scope.describe()));
        out.insert("body_paragraphs".into(), json!(self.paragraphs));
        out.insert(
            "rated".into(),
            Value::Object(
                self.coders
                    .iter()
                    .zip(&self.rated)
                    .map(|(c, n)| (c.clone(), json!(n)))
                    .collect(),
            ),
        );
        out.insert(
            "non_body_decisions_ignored".into(),
            Value::Object(
                self.coders
                    .iter()
                    .zip(&self.non_body)
                    .map(|(c, n)| (c.clone(), json!(n)))
                    .collect(),
            ),
        );
        out.insert(
            "bootstrap".into(),
            json!({
                "replicates": b.replicates,
                "seed": b.seed,
                "method": "Hayes & Krippendorff (2007): pairs of values drawn from the \
                           coincidence matrix; 95% interval at the 2.5th and 97.5th percentiles",
            }),
        );
        out.insert(
            "nodes".into(),
            Value::Array(
                self.nodes
                    .iter()
                    .map(|r| node_json(codebook, r, self.coders.len()))
                    .collect(),
            ),
        );
        out.insert(
            "pooled".into(),
            node_json(codebook, &self.pooled, self.coders.len()),
        );
        out.insert(
            "scores".into(),
            Value::Array(
                self.scores
                    .iter()
                    .map(|r| score_json(codebook, r))
                    .collect(),
            ),
        );
        out.insert(
            "scores_pooled".into(),
            Value::Array(
                self.scores_pooled
                    .iter()
                    .map(|r| score_json(codebook, r))
                    .collect(),
            ),
        );
        if list {
            out.insert(
                "disagreements".into(),
                Value::Array(
                    self.disagreements
                        .iter()
                        .map(|d| {
                            json!({
                                "paragraph": d.para,
                                "text": para_text(docs, d.doc, d.n, usize::MAX),
                                "codes": self.coders.iter().zip(&d.codes)
                                    .map(|(c, v)| (c.clone(), json!(v)))
                                    .collect::<Map<String, Value>>(),
                            })
                        })
                        .collect(),
                ),
            );
        }
        Value::Object(out)
    }

    /// Tidy CSV: one row per figure, `table,group,node_id,node,paragraph,coder,measure,value`
    /// (group: the coders compared, joined by `+`); numbers at full precision, undefined values
    /// empty with the reason in a `…_undefined` measure. `conventions` rows say how the figures
    /// were made (scope, bootstrap, `extra`: e.g. the sample), so a CSV read on its own says
    /// what it measured. With `list`, `disagreements` rows carry the paragraph id and coder in
    /// their own columns (each paragraph's text in a `text` row), never under the node columns.
    pub fn to_csv(
        &self,
        codebook: &Codebook,
        docs: &[Document],
        list: bool,
        extra: &[(&str, String)],
    ) -> String {
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        let group = self.coders.join("+");
        let _ = w.write_record([
            "table",
            "group",
            "node_id",
            "node",
            "paragraph",
            "coder",
            "measure",
            "value",
        ]);
        let b = self.options.boot;
        let mut conventions: Vec<(&str, String)> = vec![
            ("scope", self.options.scope.name().to_string()),
            ("unit", self.options.scope.describe().to_string()),
            ("bootstrap_replicates", b.replicates.to_string()),
            ("bootstrap_seed", b.seed.to_string()),
        ];
        conventions.extend(extra.iter().cloned());
        for (measure, value) in &conventions {
            let _ = w.write_record(["conventions", &group, "", "", "", "", measure, value]);
        }
        let mut put = |table: &str, id: &str, name: &str, measure: &str, value: String| {
            let _ = w.write_record([table, &group, id, name, "", "", measure, &value]);
        };
        let name_of = |node: Option<usize>| match node {
            Some(i) => (codebook.nodes[i].id.clone(), codebook.nodes[i].label()),
            None => ("*".into(), "pooled over leaf nodes".into()),
        };
        for r in self.nodes.iter().chain(std::iter::once(&self.pooled)) {
            let (id, name) = name_of(r.node);
            let mut m = |measure: &str, value: String| put("agreement", &id, &name, measure, value);
            m("units", r.units.to_string());
            m("units_all_rated", r.complete.to_string());
            for (measure, a) in [
                ("percent_agreement", Some(r.percent.clone().map100())),
                ("cohen_kappa", r.cohen.clone()),
                ("fleiss_kappa", Some(r.fleiss.clone())),
                ("alpha", Some(r.alpha.clone())),
            ] {
                if let Some(a) = a {
                    coef_rows(&mut m, measure, &a);
                }
            }
            ci_rows(&mut m, "alpha", &r.alpha_ci);
        }
        for r in self.scores.iter().chain(&self.scores_pooled) {
            let (id, name) = match (&r.pooled, r.node) {
                (Some((scale, nodes)), _) => (
                    format!("*{scale}"),
                    format!("pooled: {} nodes on scale {scale}", nodes.len()),
                ),
                (None, node) => name_of(node),
            };
            let mut m = |measure: &str, value: String| put("scores", &id, &name, measure, value);
            m("units", r.units.to_string());
            coef_rows(&mut m, "alpha_ordinal", &r.alpha_ordinal);
            ci_rows(&mut m, "alpha_ordinal", &r.alpha_ordinal_ci);
            coef_rows(&mut m, "alpha_interval", &r.alpha_interval);
            ci_rows(&mut m, "alpha_interval", &r.alpha_interval_ci);
            if let Some(a) = &r.kappa_linear {
                coef_rows(&mut m, "kappa_linear", a);
            }
            if let Some(a) = &r.kappa_quadratic {
                coef_rows(&mut m, "kappa_quadratic", a);
            }
        }
        if list {
            for d in &self.disagreements {
                let text = para_text(docs, d.doc, d.n, usize::MAX);
                let _ =
                    w.write_record(["disagreements", &group, "", "", &d.para, "", "text", &text]);
                for (c, codes) in self.coders.iter().zip(&d.codes) {
                    let value = codes.as_ref().map(|v| v.join(" "));
                    let _ = w.write_record([
                        "disagreements",
                        &group,
                        "",
                        "",
                        &d.para,
                        c,
                        if value.is_some() {
                            "codes"
                        } else {
                            "not_rated"
                        },
                        value.as_deref().unwrap_or(""),
                    ]);
                }
            }
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

trait Map100 {
    fn map100(self) -> Agreement;
}

impl Map100 for Agreement {
    /// A proportion as a percentage.
    fn map100(self) -> Agreement {
        match self {
            Agreement::Value(v) => Agreement::Value(100.0 * v),
            u => u,
        }
    }
}

fn coef_rows(m: &mut impl FnMut(&str, String), measure: &str, a: &Agreement) {
    match a {
        Agreement::Value(v) => m(measure, full(*v)),
        Agreement::Undefined { reason } => {
            m(measure, String::new());
            m(&format!("{measure}_undefined"), reason.clone());
        }
    }
}

fn ci_rows(m: &mut impl FnMut(&str, String), measure: &str, ci: &Option<Interval>) {
    if let Some(i) = ci {
        m(&format!("{measure}_ci_low"), full(i.low));
        m(&format!("{measure}_ci_high"), full(i.high));
    }
}

/// `f64` as the shortest text that reads back to the same number.
fn full(v: f64) -> String {
    format!("{v:?}")
}

fn cb_id(cb: &Codebook, i: usize) -> String {
    cb.nodes[i].id.clone()
}

fn para_text(docs: &[Document], doc: usize, n: u32, max_chars: usize) -> String {
    docs.get(doc)
        .and_then(|d| d.paragraphs.get((n as usize).checked_sub(1)?))
        .map(|p| p.text.chars().take(max_chars).collect::<String>())
        .unwrap_or_default()
}

fn coef_json(a: &Agreement) -> (Value, Option<String>) {
    match a {
        Agreement::Value(v) => (json!(v), None),
        Agreement::Undefined { reason } => (Value::Null, Some(reason.clone())),
    }
}

fn ci_json(ci: &Option<Interval>) -> Value {
    match ci {
        Some(i) => json!([i.low, i.high]),
        None => Value::Null,
    }
}

fn node_json(cb: &Codebook, r: &NodeAgreement, coders: usize) -> Value {
    let mut o = Map::new();
    let mut undefined = Map::new();
    match r.node {
        Some(i) => {
            o.insert("id".into(), json!(cb.nodes[i].id));
            o.insert("label".into(), json!(cb.nodes[i].label()));
            o.insert("leaf".into(), json!(cb.is_leaf(i)));
        }
        None => {
            o.insert("id".into(), json!("*"));
            o.insert("label".into(), json!("pooled over leaf nodes"));
        }
    }
    o.insert("units".into(), json!(r.units));
    o.insert("units_all_rated".into(), json!(r.complete));
    let pct = r.percent.clone().map100();
    let mut put = |k: &str, a: &Agreement| {
        let (v, why) = coef_json(a);
        o.insert(k.into(), v);
        if let Some(w) = why {
            undefined.insert(k.into(), json!(w));
        }
    };
    put("percent_agreement", &pct);
    if coders == 2 {
        if let Some(c) = &r.cohen {
            put("cohen_kappa", c);
        }
    }
    put("fleiss_kappa", &r.fleiss);
    put("alpha", &r.alpha);
    o.insert("alpha_ci95".into(), ci_json(&r.alpha_ci));
    if !undefined.is_empty() {
        o.insert("undefined".into(), Value::Object(undefined));
    }
    Value::Object(o)
}

fn score_json(cb: &Codebook, r: &ScoreAgreement) -> Value {
    let mut o = Map::new();
    let mut undefined = Map::new();
    match (r.node, &r.pooled) {
        (Some(i), _) => {
            o.insert("id".into(), json!(cb.nodes[i].id));
            o.insert("label".into(), json!(cb.nodes[i].label()));
        }
        (None, Some((scale, nodes))) => {
            o.insert("id".into(), json!(format!("*{scale}")));
            o.insert("scale".into(), json!(scale));
            o.insert(
                "nodes".into(),
                json!(nodes.iter().map(|n| &cb.nodes[*n].id).collect::<Vec<_>>()),
            );
        }
        (None, None) => {
            o.insert("id".into(), json!("*"));
        }
    }
    o.insert("units".into(), json!(r.units));
    let mut put = |k: &str, a: &Agreement| {
        let (v, why) = coef_json(a);
        o.insert(k.into(), v);
        if let Some(w) = why {
            undefined.insert(k.into(), json!(w));
        }
    };
    put("alpha_ordinal", &r.alpha_ordinal);
    put("alpha_interval", &r.alpha_interval);
    if let Some(k) = &r.kappa_linear {
        put("kappa_linear", k);
    }
    if let Some(k) = &r.kappa_quadratic {
        put("kappa_quadratic", k);
    }
    o.insert("alpha_ordinal_ci95".into(), ci_json(&r.alpha_ordinal_ci));
    o.insert("alpha_interval_ci95".into(), ci_json(&r.alpha_interval_ci));
    if !undefined.is_empty() {
        o.insert("undefined".into(), Value::Object(undefined));
    }
    Value::Object(o)
}

/// Column descriptions for fitting an agreement table to a narrow terminal: only the node's
/// name may be cut; ids, counts, coefficients and intervals never are (a cut `[0.712, 0~`
/// would be a wrong figure in a paper); a table still too wide is split into blocks that
/// repeat the id.
fn fixed_columns(t: &mut Table) {
    t.columns = t
        .header
        .iter()
        .map(|h| match h.as_str() {
            "id" => Column::key("node_id"),
            "node" => Column::label("node"),
            h => Column::value(None, &super::table::tidy::snake(h)),
        })
        .collect();
}
