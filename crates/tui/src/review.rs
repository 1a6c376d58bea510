//! Review mode: browse earlier decisions without coding, filtered by node, region, level,
//! document, coder and memo text; Enter jumps into the paragraph to recode it.

use polcode_core::store::Codings;
use polcode_core::study::Study;

use super::action::Action;
use super::overlay::{list_key, Command, List, Outcome};

/// One listed decision.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub para: String,
    /// `doc title · region · level`.
    pub place: String,
    /// Node ids, or `(no code)`.
    pub codes: String,
    pub memo: String,
    /// Lower-cased text the filter searches.
    haystack: String,
}

/// Review state: filter query, matching rows, selection.
#[derive(Debug, Clone)]
pub struct Review {
    pub query: String,
    pub rows: Vec<Row>,
    pub selected: usize,
    all: Vec<Row>,
}

impl Review {
    /// Lists every decision of `codings`, in paragraph order.
    pub fn new(study: &Study, codings: &Codings) -> Review {
        let mut all = Vec::new();
        for d in codings.decisions.values() {
            // Headings and other non-body lines are not units of coding: a decision left on
            // one by an import is kept in the file but not offered for review.
            let Some(r) = study
                .paragraph(&d.para)
                .filter(|r| r.para.kind == polcode_core::corpus::ParaKind::Body)
            else {
                continue;
            };
            let meta = &r.doc.meta;
            let mut names = Vec::new();
            for id in &d.nodes {
                if let Some(n) = study.codebook.get(id) {
                    names.push(format!("{id} {} {}", n.name_en, n.name_zh));
                }
            }
            let codes = if d.no_code {
                "(no code)".to_string()
            } else {
                d.nodes.join(", ")
            };
            let memo = d.memo.clone().unwrap_or_default();
            let place = format!("{} · {} · {}", meta.title, meta.region, meta.level.as_str());
            let haystack = format!(
                "node:{} region:{} level:{} doc:{} province:{} coder:{} {} {} {} {} {}",
                d.nodes.join(" node:"),
                meta.region,
                meta.level.as_str(),
                r.doc.id,
                meta.province,
                d.coder,
                names.join(" "),
                meta.title,
                memo,
                r.para.text,
                if d.no_code { "no-code" } else { "" }
            )
            .to_lowercase();
            all.push(Row {
                para: d.para.clone(),
                place,
                codes,
                memo,
                haystack,
            });
        }
        // Paragraph order (document, then number), not string order.
        all.sort_by(|a, b| {
            let key = |p: &str| {
                polcode_core::corpus::parse_para_id(p)
                    .map(|(d, n)| (d.to_string(), n))
                    .unwrap_or((p.to_string(), 0))
            };
            key(&a.para).cmp(&key(&b.para))
        });
        let mut r = Review {
            query: String::new(),
            rows: Vec::new(),
            selected: 0,
            all,
        };
        r.refilter();
        r
    }

    /// Applies the query: every space-separated term must occur (`node:supply`, `region:east`,
    /// `level:municipal`, `doc:03`, or any word of the title, memo, text or node names).
    pub fn refilter(&mut self) {
        let terms: Vec<String> = self
            .query
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        self.rows = self
            .all
            .iter()
            .filter(|r| terms.iter().all(|t| r.haystack.contains(t.as_str())))
            .cloned()
            .collect();
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    /// Types a character into the filter.
    pub fn push(&mut self, c: char) {
        self.query.push(c);
        self.selected = 0;
        self.refilter();
    }

    /// Deletes the last filter character.
    pub fn pop(&mut self) {
        self.query.pop();
        self.refilter();
    }

    /// Review as an overlay: Enter goes to the selected decision's paragraph (and closes,
    /// once the app has found it there), Esc closes.
    pub fn handle(&mut self, action: Action) -> Outcome {
        if let Some(out) = list_key(self, action) {
            return out;
        }
        match action {
            Action::Accept => match self.current() {
                Some(id) => Outcome::stay_with(Command::GoToParagraph(id.to_string())),
                None => Outcome::stay(),
            },
            _ => Outcome::stay(),
        }
    }

    /// Moves the selection.
    pub fn step(&mut self, delta: isize) {
        if self.rows.is_empty() {
            return;
        }
        let max = self.rows.len() as isize - 1;
        self.selected = (self.selected as isize + delta).clamp(0, max) as usize;
    }

    /// The selected paragraph id.
    pub fn current(&self) -> Option<&str> {
        self.rows.get(self.selected).map(|r| r.para.as_str())
    }

    /// Number of decisions before filtering.
    pub fn total(&self) -> usize {
        self.all.len()
    }
}

impl List for Review {
    fn step(&mut self, delta: isize) {
        Review::step(self, delta)
    }
    fn pop(&mut self) {
        Review::pop(self)
    }
}
