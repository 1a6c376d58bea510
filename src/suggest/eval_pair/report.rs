//! Rendering a [`PairReport`]: the tables of `polcode eval --coders` (text, Markdown, CSV in
//! a long format, JSON), every one carrying the conventions it was measured with.

use super::{PairMetrics, PairReport};
use crate::stats::{Cell, Table};

fn pair_pct(v: Option<f64>) -> Cell {
    Cell::num(v, 3)
}

impl PairReport {
    /// Every table, with the conventions as notes.
    pub fn tables(&self) -> Vec<Table> {
        let mut out = Vec::new();
        let head = |cols: &[&str]| cols.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        let Some(first) = self.models.first() else {
            return out;
        };
        let mut t = Table::new(
            format!(
                "Suggestions against {} and {}: {} paragraphs both decided in {} documents ({} with agreed nodes, {} both none, {} split)",
                self.coder_a, self.coder_b, first.decided, self.documents, first.coded, first.none, first.split
            ),
            head(&["model", "top-1", "top-3", "recall@3", "exact-set", "keys/paragraph", "keys/coded paragraph"]),
        );
        for m in &self.models {
            t.rows.push(metric_row(&m.model, m));
        }
        t.notes = self.notes.clone();
        out.push(t);

        let mut t = Table::new(
            "Counts behind the figures",
            head(&[
                "model",
                "top-1",
                "top-3",
                "agreed nodes in top 3",
                "exact-set",
                "keys (all)",
                "keys (coded)",
            ]),
        );
        for m in self
            .models
            .iter()
            .chain(self.curve.iter().map(|c| &c.metrics))
        {
            t.rows.push(vec![
                Cell::text(&m.model),
                Cell::text(format!("{}/{}", m.top1, m.coded)),
                Cell::text(format!("{}/{}", m.top3, m.coded)),
                Cell::text(format!("{}/{}", m.agreed_in_top3, m.agreed_codes)),
                Cell::text(format!("{}/{}", m.exact, m.decided)),
                Cell::Int(m.keys_all as i64),
                Cell::Int(m.keys_coded as i64),
            ]);
        }
        out.push(t);

        if !self.curve.is_empty() {
            let mut t = Table::new(
                format!(
                    "Learning curve: learner on the first N of {}'s decisions from the other documents ({} decisions in all)",
                    self.coder_a, self.training_decisions
                ),
                head(&["N", "top-1", "top-3", "recall@3", "exact-set", "keys/paragraph", "keys/coded paragraph"]),
            );
            // The curve learns on top of what the screen offers first: the prior when there
            // is one.
            let with_prior = self.models.iter().any(|m| m.model == "keywords+prior");
            let (base, learned) = if with_prior {
                ("keywords+prior", "keywords+prior+learning")
            } else {
                ("keywords", "keywords+learning")
            };
            if let Some(m) = self.models.iter().find(|m| m.model == base) {
                t.rows.push(metric_row(&format!("0 ({base})"), m));
            }
            for c in &self.curve {
                t.rows.push(metric_row(&c.n.to_string(), &c.metrics));
            }
            if let Some(lodo) = self.models.iter().find(|m| m.model == learned) {
                t.rows.push(metric_row("all other documents", lodo));
            }
            t.notes.push("Same definitions as the first table; the learner of row N never sees the evaluated document's decisions.".into());
            out.push(t);
        }

        let mut cols = vec!["node".to_string(), "support".to_string()];
        for m in &self.models {
            cols.push(format!("{} predicted", m.model));
            cols.push(format!("{} P", m.model));
            cols.push(format!("{} R", m.model));
        }
        cols.push("picker keys".into());
        cols.push("picker query".into());
        let mut t = Table::new("Per node, of the top suggestion", cols);
        for (i, n) in first.nodes.iter().enumerate() {
            if n.support == 0 && self.models.iter().all(|m| m.nodes[i].predicted == 0) {
                continue;
            }
            let mut row = vec![Cell::text(&n.id), Cell::Int(n.support as i64)];
            for m in &self.models {
                row.push(Cell::Int(m.nodes[i].predicted as i64));
                row.push(pair_pct(m.nodes[i].precision));
                row.push(pair_pct(m.nodes[i].recall));
            }
            row.push(Cell::Int(self.pick_costs[i].keys as i64));
            row.push(Cell::text(&self.pick_costs[i].query));
            t.rows.push(row);
        }
        t.notes.push("Nodes never agreed and never first are left out. P = precision, R = recall of the top suggestion. Picker keys = Space + the query + Enter, the cost of adding the node when it is not among the rows shown.".into());
        out.push(t);
        out
    }

    /// Plain text or Markdown: the tables one after another.
    pub fn render(&self, format: crate::stats::Format) -> String {
        match format {
            crate::stats::Format::Json => self.to_json(),
            crate::stats::Format::Csv => self.to_csv(),
            f => self
                .tables()
                .iter()
                .map(|t| t.render(f))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    /// Tidy CSV: `section,model,metric,value,count,of`, one row per figure, then the notes as
    /// rows of section `note`.
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let f = |x: Option<f64>| x.map(|v| format!("{v:.4}")).unwrap_or_default();
        let _ = w.write_record(["section", "model", "metric", "value", "count", "of"]);
        let mut put = |section: &str, m: &PairMetrics| {
            let rows: [(&str, Option<f64>, usize, usize); 6] = [
                ("top1", m.top1_accuracy, m.top1, m.coded),
                ("top3", m.top3_accuracy, m.top3, m.coded),
                ("recall_at3", m.recall_at3, m.agreed_in_top3, m.agreed_codes),
                ("exact_set", m.exact_accuracy, m.exact, m.decided),
                (
                    "keys_per_paragraph",
                    m.keys_per_paragraph,
                    m.keys_all,
                    m.decided,
                ),
                (
                    "keys_per_coded_paragraph",
                    m.keys_per_coded_paragraph,
                    m.keys_coded,
                    m.coded,
                ),
            ];
            for (metric, v, count, of) in rows {
                let _ = w.write_record([
                    section,
                    &m.model,
                    metric,
                    &f(v),
                    &count.to_string(),
                    &of.to_string(),
                ]);
            }
            for n in &m.nodes {
                if n.support == 0 && n.predicted == 0 {
                    continue;
                }
                let _ = w.write_record([
                    "node",
                    &m.model,
                    &format!("{} recall", n.id),
                    &f(n.recall),
                    &n.correct.to_string(),
                    &n.support.to_string(),
                ]);
                let _ = w.write_record([
                    "node",
                    &m.model,
                    &format!("{} precision", n.id),
                    &f(n.precision),
                    &n.correct.to_string(),
                    &n.predicted.to_string(),
                ]);
            }
        };
        for m in &self.models {
            put("model", m);
        }
        for c in &self.curve {
            put("curve", &c.metrics);
        }
        for (i, n) in self.notes.iter().enumerate() {
            let _ = w.write_record(["note", "", &(i + 1).to_string(), n, "", ""]);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// The whole report, notes included, as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into())
    }
}

fn metric_row(label: &str, m: &PairMetrics) -> Vec<Cell> {
    vec![
        Cell::text(label),
        pair_pct(m.top1_accuracy),
        pair_pct(m.top3_accuracy),
        pair_pct(m.recall_at3),
        pair_pct(m.exact_accuracy),
        Cell::num(m.keys_per_paragraph, 2),
        Cell::num(m.keys_per_coded_paragraph, 2),
    ]
}
