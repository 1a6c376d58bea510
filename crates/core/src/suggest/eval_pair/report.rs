//! Rendering a [`PairReport`]: the tables of `polcode eval --coders` (text, Markdown, CSV in
//! a long format, JSON), every one carrying the conventions it was measured with.

use super::{PairMetrics, PairReport};
use crate::stats::{render_tables, Cell, Column, Format, Layout, Table};

/// The columns of a row of figures ([`metric_row`]) after its first, key column.
fn metric_columns(first: (&str, &str)) -> Vec<(String, Column)> {
    let v = |h: &str, m: &str, short: &str| (h.to_string(), Column::value(None, m).short(short));
    vec![
        (first.0.to_string(), Column::key(first.1)),
        v("top-1", "top1", "top-1"),
        v("top-3", "top3", "top-3"),
        v("recall@3", "recall_at3", "recall@3"),
        v("exact-set", "exact_set", "exact"),
        v("keys/paragraph", "keys_per_paragraph", "keys/para"),
        v(
            "keys/coded paragraph",
            "keys_per_coded_paragraph",
            "keys/coded",
        ),
    ]
}

fn pair_pct(v: Option<f64>) -> Cell {
    Cell::num(v, 3)
}

impl PairReport {
    /// Every table, with the conventions as notes.
    pub(crate) fn tables(&self) -> Vec<Table> {
        let mut out = Vec::new();
        let Some(first) = self.models.first() else {
            return out;
        };
        let mut t = Table::with_columns(
            "eval_pair_models",
            format!(
                "Suggestions against {} and {}: {} paragraphs both decided in {} documents ({} with agreed nodes, {} both none, {} split)",
                self.coder_a, self.coder_b, first.decided, self.documents, first.coded, first.none, first.split
            ),
            metric_columns(("model", "model")),
        );
        for m in &self.models {
            t.rows.push(metric_row(&m.model, m));
        }
        t.notes = self.notes.clone();
        out.push(t);

        let v = |h: &str, m: &str| (h.to_string(), Column::value(None, m));
        let mut t = Table::with_columns(
            "eval_pair_counts",
            "Counts behind the figures",
            vec![
                ("model".to_string(), Column::key("model")),
                v("top-1", "top1"),
                v("top-3", "top3"),
                (
                    "agreed nodes in top 3".to_string(),
                    Column::value(None, "agreed_in_top3").short("agreed in top 3"),
                ),
                v("exact-set", "exact_set"),
                v("keys (all)", "keys_all"),
                v("keys (coded)", "keys_coded"),
            ],
        );
        for m in self
            .models
            .iter()
            .chain(self.curve.iter().map(|c| &c.metrics))
        {
            let frac = |num: usize, den: usize| Cell::Frac {
                num: num as i64,
                den: den as i64,
            };
            t.rows.push(vec![
                Cell::text(&m.model),
                frac(m.top1, m.coded),
                frac(m.top3, m.coded),
                frac(m.agreed_in_top3, m.agreed_codes),
                frac(m.exact, m.decided),
                Cell::Int(m.keys_all as i64),
                Cell::Int(m.keys_coded as i64),
            ]);
        }
        out.push(t);

        if !self.curve.is_empty() {
            let mut t = Table::with_columns(
                "eval_pair_curve",
                format!(
                    "Learning curve: learner on the first N of {}'s decisions from the other documents ({} decisions in all)",
                    self.coder_a, self.training_decisions
                ),
                metric_columns(("N", "n")),
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

        let mut cols = vec![
            ("node".to_string(), Column::key("node_id")),
            ("support".to_string(), Column::value(None, "support")),
        ];
        for m in &self.models {
            let g = Some(m.model.as_str());
            cols.push((
                format!("{} predicted", m.model),
                Column::value(g, "predicted").hidden(),
            ));
            cols.push((format!("{} P", m.model), Column::value(g, "precision")));
            cols.push((format!("{} R", m.model), Column::value(g, "recall")));
        }
        cols.push((
            "picker keys".into(),
            Column::value(None, "picker_keys").short("keys"),
        ));
        cols.push((
            "picker query".into(),
            Column::value(None, "picker_query").short("query"),
        ));
        let mut t = Table::with_columns("eval_pair_nodes", "Per node, of the top suggestion", cols);
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

    /// The report in `format`: text and Markdown in `layout`, one after another; CSV tidy
    /// (`table, group` = the model where a column is per model, `model, n, node_id, measure,
    /// value`; a count out of a total gives `<measure>` and `<measure>_of`); JSON whole, notes
    /// included ([`PairReport::to_json`]).
    pub fn render(&self, format: Format, layout: Layout) -> String {
        match format {
            Format::Json => self.to_json(),
            f => render_tables(&self.tables(), f, layout),
        }
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
