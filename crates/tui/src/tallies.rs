//! The live regional tallies of the coding screen: reference points, documents or coverage per
//! parent node (optionally with children) and region, kept current as each decision lands.
//! Counting is `polcode_core::stats`' job; this module only holds the view state around it.

use polcode_core::stats::coverage::{Aggregate, Coverage};
use polcode_core::stats::{By, Groups, Pool, Tally};
use polcode_core::store::{Codings, Decision};
use polcode_core::study::Study;

/// What the cells show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Reference points and documents together, `refs/docs` (the published tables' layout).
    RefsDocs,
    /// Coded paragraphs.
    References,
    /// Documents with at least one coded paragraph.
    Documents,
    /// Mean of document coverages, in percent.
    Coverage,
}

impl Metric {
    /// Header label.
    pub fn label(self) -> &'static str {
        match self {
            Metric::RefsDocs => "reference points/documents",
            Metric::References => "reference points",
            Metric::Documents => "documents",
            Metric::Coverage => "coverage % (mean of docs)",
        }
    }
}

/// Tallies of the session's coder, by region.
#[derive(Debug, Clone)]
pub struct Tallies {
    pub tally: Tally,
    coverage: Option<Coverage>,
    pub metric: Metric,
    /// Show children under their parents.
    pub expanded: bool,
    coder: String,
}

impl Tallies {
    /// Builds the tallies of `codings` over the study's documents, grouped by region.
    pub fn new(study: &Study, codings: &Codings) -> Tallies {
        let groups = Groups::new(By::Region, &study.scheme, &study.docs);
        let tally = Tally::build(
            &study.codebook,
            &study.docs,
            groups,
            &[codings],
            Pool::Pooled,
        );
        Tallies {
            tally,
            coverage: None,
            metric: Metric::RefsDocs,
            expanded: true,
            coder: codings.coder.clone(),
        }
    }

    /// Column keys (region ids) and short labels.
    pub fn columns(&self) -> Vec<(String, String)> {
        let g = self.tally.groups();
        g.keys
            .iter()
            .zip(&g.labels)
            .map(|(k, l)| {
                let short = match k.as_str() {
                    "national" => "Nat".to_string(),
                    "east" => "East".to_string(),
                    "central" => "Cent".to_string(),
                    "west" => "West".to_string(),
                    "northeast" => "NE".to_string(),
                    _ => l.clone(),
                };
                (k.clone(), short)
            })
            .collect()
    }

    /// Updates counts after a decision of this session's coder changed.
    pub fn change(&mut self, _study: &Study, old: Option<&Decision>, new: Option<&Decision>) {
        let coder = self.coder.clone();
        self.tally.apply_change(&coder, old, new);
        // Coverage is cheap to rebuild but not free; it is rebuilt when next shown.
        self.coverage = None;
    }

    /// Cycles references/documents → coverage → references → documents.
    pub fn cycle_metric(&mut self) {
        self.metric = match self.metric {
            Metric::RefsDocs => Metric::Coverage,
            Metric::Coverage => Metric::References,
            Metric::References => Metric::Documents,
            Metric::Documents => Metric::RefsDocs,
        };
    }

    /// Makes sure coverage figures are current (call before drawing when the metric is
    /// coverage).
    pub fn prepare(&mut self, study: &Study, codings: &Codings) {
        if self.metric == Metric::Coverage && self.coverage.is_none() {
            let groups = Groups::new(By::Region, &study.scheme, &study.docs);
            self.coverage = Some(Coverage::build(
                &study.codebook,
                &study.docs,
                groups,
                &[codings],
                Pool::Pooled,
            ));
        }
    }

    /// The figure for group `g` and node `node`, formatted for a cell.
    pub fn cell(&self, g: usize, node: usize) -> String {
        match self.metric {
            Metric::RefsDocs => {
                format!("{}/{}", self.tally.refs(g, node), self.tally.docs(g, node))
            }
            Metric::References => self.tally.refs(g, node).to_string(),
            Metric::Documents => self.tally.docs(g, node).to_string(),
            Metric::Coverage => match &self.coverage {
                Some(c) => match c.group_pct(g, node, Aggregate::MeanOfDocs) {
                    Some(v) => format!("{v:.1}"),
                    None => "-".to_string(),
                },
                None => "…".to_string(),
            },
        }
    }

    /// The numeric value behind [`Tallies::cell`] (for bar charts).
    pub fn value(&self, g: usize, node: usize) -> f64 {
        match self.metric {
            Metric::References | Metric::RefsDocs => self.tally.refs(g, node) as f64,
            Metric::Documents => self.tally.docs(g, node) as f64,
            Metric::Coverage => self
                .coverage
                .as_ref()
                .and_then(|c| c.group_pct(g, node, Aggregate::MeanOfDocs))
                .unwrap_or(0.0),
        }
    }

    /// Row total over all groups (not meaningful for coverage, which shows `-`).
    pub fn total(&self, node: usize) -> String {
        match self.metric {
            Metric::RefsDocs => format!(
                "{}/{}",
                self.tally.total_refs(node),
                self.tally.total_docs(node)
            ),
            Metric::References => self.tally.total_refs(node).to_string(),
            Metric::Documents => self.tally.total_docs(node).to_string(),
            Metric::Coverage => String::new(),
        }
    }
}
