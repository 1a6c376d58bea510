//! `polcode eval`: how good the suggestions are against a coder's codings — top-1 and top-3
//! accuracy and per-node precision and recall, for keywords alone and for keywords plus
//! learning, the learning trained leave-one-document-out.
//!
//! Definitions (over the paragraphs the coder coded that exist in the study):
//! - A paragraph with at least one known node is *evaluated*. It is correct at k when one of
//!   its coded nodes is among the first k suggestions, exactly as the coder sees them (leaf
//!   nodes only, [`super::Engine::suggest_leaves`]): k = 1 is "confirm with one key".
//! - Per node, of the top-1 suggestion: `predicted` counts paragraphs (no-code ones included,
//!   where any suggestion is wrong) whose top suggestion is the node, `correct` those of them
//!   coded with it; `support` counts paragraphs coded with it. Precision = correct / predicted,
//!   recall = correct / support.
//! - Learning: for each document, the model is trained on the coder's other documents only
//!   (trained on all, then the document's own paragraphs are unlearned, which is exact because
//!   the model is additive). IDF weights use the text of all paragraphs but no codes.

use std::sync::Arc;

use serde::Serialize;

use super::eval_pair::study_engine;
use super::learn::{coded_paragraphs, Coded};
use super::measure::{ratio, LeaveOneDocOut, TopTally};
use super::Segmenter;
use crate::codebook::Codebook;
use crate::corpus::Document;
use crate::stats::{render_tables, Cell, Column, Format, Layout, Table};
use crate::store::Codings;

/// What to evaluate.
#[derive(Debug, Clone)]
pub struct EvalOpts {
    /// Also evaluate keywords + learning (builds jieba, ~0.1 s).
    pub learning: bool,
    /// A segmenter already built for this codebook, to reuse.
    pub segmenter: Option<Arc<Segmenter>>,
}

impl Default for EvalOpts {
    fn default() -> Self {
        EvalOpts {
            learning: true,
            segmenter: None,
        }
    }
}

/// Precision and recall of one node as the top-1 suggestion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeMetrics {
    pub id: String,
    pub support: usize,
    pub predicted: usize,
    pub correct: usize,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
}

/// Accuracy of one way of suggesting.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    /// `keywords` or `keywords+learning`.
    pub model: String,
    /// Paragraphs with at least one coded node.
    pub evaluated: usize,
    pub top1: usize,
    pub top3: usize,
    pub top1_accuracy: Option<f64>,
    pub top3_accuracy: Option<f64>,
    /// Evaluated paragraphs that got any suggestion.
    pub with_suggestion: usize,
    /// No-code paragraphs that got a suggestion anyway.
    pub no_code_suggested: usize,
    /// Per node, in codebook order.
    pub nodes: Vec<NodeMetrics>,
}

/// The result of [`evaluate`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalReport {
    pub coder: String,
    pub documents: usize,
    /// Paragraphs marked "no code".
    pub no_code: usize,
    pub keywords: Metrics,
    /// Present when learning was evaluated.
    pub learning: Option<Metrics>,
}

/// Evaluates suggestions against `codings` over `docs` (see the module docs).
pub fn evaluate(
    codebook: &Codebook,
    docs: &[Document],
    codings: &Codings,
    opts: &EvalOpts,
) -> EvalReport {
    let engine = study_engine(codebook, docs);
    let coded = coded_paragraphs(codebook, docs, codings);
    let keywords = score(codebook, &coded, "keywords", |c| {
        engine.suggest_leaves(c.text, None, 3)
    });
    let learning = opts.learning.then(|| {
        let seg = opts
            .segmenter
            .clone()
            .unwrap_or_else(|| Arc::new(Segmenter::for_docs(codebook, docs)));
        let mut lodo = LeaveOneDocOut::new(seg, &coded);
        score(codebook, &coded, "keywords+learning", |c| {
            engine.suggest_leaves(c.text, Some(lodo.without(c.doc)), 3)
        })
    });
    let mut documents: Vec<usize> = coded.iter().map(|c| c.doc).collect();
    documents.sort_unstable();
    documents.dedup();
    EvalReport {
        coder: codings.coder.clone(),
        documents: documents.len(),
        no_code: coded.iter().filter(|c| c.nodes.is_empty()).count(),
        keywords,
        learning,
    }
}

/// Scores every coded paragraph with `suggest` (called in `coded` order, which groups
/// paragraphs by document because paragraph ids start with the document id).
fn score(
    codebook: &Codebook,
    coded: &[Coded],
    model: &str,
    mut suggest: impl FnMut(&Coded) -> Vec<super::Suggestion>,
) -> Metrics {
    let ids: Vec<String> = codebook.nodes.iter().map(|n| n.id.clone()).collect();
    let mut per_node = TopTally::new(ids.len());
    let mut m = Metrics {
        model: model.to_string(),
        evaluated: 0,
        top1: 0,
        top3: 0,
        top1_accuracy: None,
        top3_accuracy: None,
        with_suggestion: 0,
        no_code_suggested: 0,
        nodes: Vec::new(),
    };
    for c in coded {
        let s = suggest(c);
        let hit_at = s.iter().position(|s| c.nodes.contains(&s.node));
        // A no-code paragraph counts where its top suggestion is (always wrongly), no support.
        per_node.add(s.first().map(|s| s.node), &c.nodes);
        if c.nodes.is_empty() {
            m.no_code_suggested += usize::from(!s.is_empty());
            continue;
        }
        m.evaluated += 1;
        m.with_suggestion += usize::from(!s.is_empty());
        m.top1 += usize::from(hit_at == Some(0));
        m.top3 += usize::from(hit_at.is_some_and(|r| r < 3));
    }
    m.top1_accuracy = ratio(m.top1, m.evaluated);
    m.top3_accuracy = ratio(m.top3, m.evaluated);
    m.nodes = per_node.metrics(&ids);
    m
}

impl EvalReport {
    fn models(&self) -> Vec<&Metrics> {
        std::iter::once(&self.keywords)
            .chain(&self.learning)
            .collect()
    }

    /// The report's tables: accuracy per model, then precision / recall per node.
    pub(crate) fn tables(&self) -> Vec<Table> {
        let pct = |v: Option<f64>| Cell::pct(v.map(|v| 100.0 * v), 1);
        let mut t = Table::with_columns(
            "eval_models",
            format!(
                "Suggestions against coder {}: {} paragraphs with codes, {} no-code, in {} documents",
                self.coder, self.keywords.evaluated, self.no_code, self.documents
            ),
            vec![
                ("model".into(), Column::key("model")),
                ("top-1".into(), Column::value(None, "top1_pct")),
                ("top-3".into(), Column::value(None, "top3_pct")),
                ("any suggestion".into(), Column::value(None, "with_suggestion")),
                ("no-code suggested".into(), Column::value(None, "no_code_suggested")),
            ],
        );
        for m in self.models() {
            t.rows.push(vec![
                Cell::text(&m.model),
                pct(m.top1_accuracy),
                pct(m.top3_accuracy),
                Cell::Frac {
                    num: m.with_suggestion as i64,
                    den: m.evaluated as i64,
                },
                Cell::Frac {
                    num: m.no_code_suggested as i64,
                    den: self.no_code as i64,
                },
            ]);
        }
        t.notes.push(
            "top-k: one of the paragraph's nodes is among the first k suggestions (leaves, as \
             the coding screen shows them); learning is trained leave-one-document-out"
                .into(),
        );
        let mut cols = vec![
            ("node".to_string(), Column::key("node_id")),
            ("support".to_string(), Column::value(None, "support")),
        ];
        for m in self.models() {
            let g = Some(m.model.as_str());
            cols.push((format!("{} P", m.model), Column::value(g, "precision_pct")));
            cols.push((format!("{} R", m.model), Column::value(g, "recall_pct")));
        }
        let mut n = Table::with_columns(
            "eval_nodes",
            "Per node, of the top suggestion: precision (P) and recall (R)",
            cols,
        );
        for (i, node) in self.keywords.nodes.iter().enumerate() {
            let mut row = vec![Cell::text(&node.id), Cell::Int(node.support as i64)];
            for m in self.models() {
                row.push(pct(m.nodes[i].precision));
                row.push(pct(m.nodes[i].recall));
            }
            n.rows.push(row);
        }
        vec![t, n]
    }

    /// The report in `format`: text and Markdown in `layout`, CSV tidy, JSON whole
    /// ([`EvalReport::to_json`]).
    pub fn render(&self, format: Format, layout: Layout) -> String {
        match format {
            Format::Json => self.to_json(),
            f => render_tables(&self.tables(), f, layout),
        }
    }

    /// Plain text, compact, without a width limit.
    // Test-only: the tests read the report with it.
    #[cfg(test)]
    pub(crate) fn to_table(&self) -> String {
        self.render(Format::Text, Layout::default())
    }

    /// Tidy CSV: `table, group (the model), node_id, model, measure, value`.
    // Test-only: the tests read the report with it.
    #[cfg(test)]
    pub(crate) fn to_csv(&self) -> String {
        self.render(Format::Csv, Layout::default())
    }

    /// The whole report as pretty-printed JSON.
    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into())
    }
}
