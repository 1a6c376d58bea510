//! What `polcode eval` ([`super::eval`]) and `polcode eval --coders A B` ([`super::eval_pair`])
//! measure alike: per node, how often the top suggestion is the node and rightly so, and the
//! leave-one-document-out learner both train.

use std::sync::Arc;

use super::eval::NodeMetrics;
use super::learn::Coded;
use super::{Learner, Segmenter};

/// `a / b`, or `None` when there is nothing to divide by.
pub(super) fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// Per node, of the top suggestion: `predicted` (paragraphs whose top suggestion is the node),
/// `correct` (of them, those whose answer holds it) and `support` (paragraphs whose answer
/// holds the node).
#[derive(Debug, Clone)]
pub(super) struct TopTally {
    support: Vec<usize>,
    predicted: Vec<usize>,
    correct: Vec<usize>,
}

impl TopTally {
    /// Zero counts for `n` nodes.
    pub(super) fn new(n: usize) -> TopTally {
        TopTally {
            support: vec![0; n],
            predicted: vec![0; n],
            correct: vec![0; n],
        }
    }

    /// One paragraph whose first suggestion is `top` and whose answer is `answer` (empty where
    /// it has none: a no-code paragraph, or one the coders did not agree on).
    pub(super) fn add(&mut self, top: Option<usize>, answer: &[usize]) {
        if let Some(t) = top {
            self.predicted[t] += 1;
            if answer.contains(&t) {
                self.correct[t] += 1;
            }
        }
        for &n in answer {
            self.support[n] += 1;
        }
    }

    /// The metrics of every node, in codebook order; `ids[i]` names node `i`.
    pub(super) fn metrics(&self, ids: &[String]) -> Vec<NodeMetrics> {
        (0..self.support.len())
            .map(|i| NodeMetrics {
                id: ids.get(i).cloned().unwrap_or_default(),
                support: self.support[i],
                predicted: self.predicted[i],
                correct: self.correct[i],
                precision: ratio(self.correct[i], self.predicted[i]),
                recall: ratio(self.correct[i], self.support[i]),
            })
            .collect()
    }
}

/// A learner trained on every paragraph of `train` except those of one document: trained on
/// all, then a document's own paragraphs unlearned while it is evaluated and learned again
/// when the next document comes (exact, the model is additive). Documents must be asked for
/// in order, each once, as both evaluations walk them.
pub(super) struct LeaveOneDocOut<'a> {
    learner: Learner,
    train: &'a [Coded<'a>],
    held_out: Option<usize>,
}

impl<'a> LeaveOneDocOut<'a> {
    /// A learner on `seg` trained on all of `train`.
    pub(super) fn new(seg: Arc<Segmenter>, train: &'a [Coded<'a>]) -> Self {
        let mut learner = Learner::new(seg);
        for c in train {
            learner.learn(c.text, &c.nodes);
        }
        LeaveOneDocOut {
            learner,
            train,
            held_out: None,
        }
    }

    /// The learner without document `doc`'s paragraphs.
    pub(super) fn without(&mut self, doc: usize) -> &Learner {
        if self.held_out != Some(doc) {
            // Put the previous document back, take this one out.
            if let Some(prev) = self.held_out {
                for o in self.train.iter().filter(|o| o.doc == prev) {
                    self.learner.learn(o.text, &o.nodes);
                }
            }
            for o in self.train.iter().filter(|o| o.doc == doc) {
                self.learner.unlearn(o.text, &o.nodes);
            }
            self.held_out = Some(doc);
        }
        &self.learner
    }
}
