//! Codings: each coder's decisions, kept durable by an append-only journal plus a snapshot,
//! guarded by a sidecar lock, replayed on open, and re-anchored after re-import.
//!
//! On disk, per coder, in `codings/`:
//! - `<coder>.yaml` — the snapshot: the latest decision per paragraph, in paragraph order, plus
//!   orphans (decisions whose paragraph is gone). Written by atomic replace.
//! - `<coder>.journal` — decisions appended since the snapshot, one record per line, each
//!   `fdatasync`ed before [`CoderStore::record`] returns.
//! - `<coder>.lock` — held (OS lock) while a session writes this coder's codings; the file may
//!   remain after a session ends, which is harmless (see [`lock`]).
//!
//! Durability: a decision is acknowledged only once its journal line is `fdatasync`ed; the
//! journal is emptied only after a newer snapshot is safely renamed into place, and each record
//! carries a sequence number so replay never applies a record twice or out of order.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub(crate) mod anchor;
mod coder_store;
pub mod journal;
pub mod lock;
pub(crate) mod nodemap;
mod read_many;
pub mod snapshot;

pub use anchor::{is_anchored, AnchorReport};
pub(crate) use coder_store::read_codings_with_seq;
pub use coder_store::{read_codings, validate_coder, CoderStore, OpenMode, StoreError, StorePaths};
pub use nodemap::NodeMap;
pub use read_many::{read_anchored, read_codings_many};

/// Where a suggestion came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SuggestSource {
    Keyword,
    Learned,
    /// The model bundled with the codebook, trained on coded policy paragraphs.
    Prior,
}

/// How a node came to be chosen on a paragraph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "via")]
pub enum Via {
    /// Accepted suggestion `rank` (1-based) from `source`.
    Suggestion { rank: u32, source: SuggestSource },
    /// Confirmed with one key as part of the predicted set; `rank` is its row in the list.
    Predicted { rank: u32, source: SuggestSource },
    /// Picked in the fuzzy node picker (a search for the node, not the text: see `Found`).
    Search,
    /// Typed by id (command line, import).
    Typed,
    /// Taken from another coder during reconciliation.
    Reconciled { from: String },
    /// Imported from another tool (REFI-QDA).
    Imported,
    /// Chosen on a paragraph visited as a hit of the text search `query` (the coding screen's
    /// search queue); `how` is how the node was chosen there. Added after the first release:
    /// older files have no such entry and load unchanged (older versions cannot read it).
    Found { query: String, how: Box<Via> },
    /// Coded at every hit of the text search `query` at once ("code all hits", after a
    /// confirmation naming how many paragraphs and documents).
    #[serde(rename = "all-hits")]
    AllHits { query: String },
}

impl Via {
    /// The text search the node was coded from, if it was.
    pub fn search_query(&self) -> Option<&str> {
        match self {
            Via::Found { query, .. } | Via::AllHits { query } => Some(query),
            _ => None,
        }
    }

    /// How the node was chosen, beneath any text-search provenance.
    pub fn how(&self) -> &Via {
        match self {
            Via::Found { how, .. } => how.how(),
            v => v,
        }
    }

    /// `self`, marked as chosen on a hit of the text search `query` (once: a node chosen
    /// again on a hit keeps one mark).
    pub fn found(self, query: &str) -> Via {
        match self {
            v @ (Via::Found { .. } | Via::AllHits { .. }) => v,
            how => Via::Found {
                query: query.to_string(),
                how: Box::new(how),
            },
        }
    }
}

/// A coder's decision on one paragraph: the full state of its coding at that moment. The latest
/// decision per paragraph is the paragraph's coding; undo records the previous state again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// Paragraph id (`<doc id>#<n>`).
    pub para: String,
    /// Hash of the paragraph text when the decision was made (re-anchoring key).
    pub hash: String,
    /// Node ids chosen, in the order they were chosen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nodes: Vec<String>,
    /// Explicit "no code" mark: the paragraph was looked at and carries no node.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_code: bool,
    /// Rubric scores per node id, for nodes with a scale.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub scores: BTreeMap<String, i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memo: Option<String>,
    pub coder: String,
    /// RFC 3339 UTC time the decision was recorded.
    pub at: String,
    /// Provenance of each chosen node.
    #[serde(default, skip_serializing_if = "NodeMap::is_empty")]
    pub via: NodeMap<Via>,
    /// For a derived coder (a consensus): where the whole decision came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derived: Option<Derivation>,
    /// The text search whose hit this paragraph was when the decision was made (the coding
    /// screen's search queue), for every kind of decision — a "no code" mark or a score too,
    /// which have no node to carry it in `via`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
}

/// Where a derived coder's decision came from (see `polcode reconcile`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "how")]
pub enum Derivation {
    /// Every reconciled coder made this same decision; carried over without review.
    Agreed { coders: Vec<String> },
    /// Decided during reconciliation, with these coders' versions side by side.
    Reconciled { coders: Vec<String> },
}

impl Decision {
    /// A decision that codes nothing and marks nothing (a cleared paragraph).
    pub(crate) fn is_empty(&self) -> bool {
        self.nodes.is_empty() && !self.no_code && self.scores.is_empty() && self.memo.is_none()
    }

    /// Whether the paragraph counts as coded (nodes or an explicit no-code mark).
    pub fn is_coded(&self) -> bool {
        !self.nodes.is_empty() || self.no_code
    }
}

#[cfg(test)]
mod via_tests {
    use super::*;

    /// A journal line and a snapshot entry written before text-search provenance existed.
    const OLD_JOURNAL: &str = r#"{"seq":7,"d":{"para":"03#5","hash":"ab","nodes":["supply.talent","demand.pilot"],"coder":"alice","at":"2026-01-02T03:04:05Z","via":{"demand.pilot":{"via":"search"},"supply.talent":{"via":"predicted","rank":1,"source":"prior"}}}}"#;

    #[test]
    fn old_files_load_and_search_provenance_round_trips() {
        let rec: journal::Record = serde_json::from_str(OLD_JOURNAL).unwrap();
        assert_eq!(rec.d.via.get("demand.pilot"), Some(&Via::Search));
        assert_eq!(rec.d.via.get("supply.talent").unwrap().search_query(), None);
        let yaml = "para: 03#5\nhash: ab\nnodes: [x]\ncoder: a\nat: t\nvia:\n  x: {via: typed}\n";
        let d: Decision = serde_yaml::from_str(yaml).unwrap();
        assert_eq!(d.via.get("x"), Some(&Via::Typed));

        let found = Via::Predicted {
            rank: 2,
            source: SuggestSource::Prior,
        }
        .found("区块链");
        let all = Via::AllHits {
            query: "-w 区块链".into(),
        };
        let json = serde_json::to_string(&found).unwrap();
        assert_eq!(
            json,
            r#"{"via":"found","query":"区块链","how":{"via":"predicted","rank":2,"source":"prior"}}"#
        );
        assert_eq!(serde_json::from_str::<Via>(&json).unwrap(), found);
        let yaml = serde_yaml::to_string(&all).unwrap();
        assert_eq!(serde_yaml::from_str::<Via>(&yaml).unwrap(), all);
        assert!(yaml.contains("all-hits"), "{yaml}");
        assert_eq!(found.search_query(), Some("区块链"));
        assert_eq!(all.search_query(), Some("-w 区块链"));
        assert!(matches!(found.how(), Via::Predicted { rank: 2, .. }));
        // Marked once, however often it is chosen again on a hit.
        assert_eq!(found.clone().found("其他"), found);
    }
}

/// A decision whose paragraph could not be found after re-import; kept, never dropped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Orphan {
    pub decision: Decision,
    /// Why it could not be placed.
    pub reason: String,
}

/// The state of one coder's codings: the latest decision per paragraph id, plus orphans.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Codings {
    pub coder: String,
    pub decisions: BTreeMap<String, Decision>,
    pub orphans: Vec<Orphan>,
}

impl Codings {
    /// Applies one decision: it becomes the paragraph's state (an empty one removes it).
    pub fn apply(&mut self, d: Decision) {
        if d.is_empty() {
            self.decisions.remove(&d.para);
        } else {
            self.decisions.insert(d.para.clone(), d);
        }
    }

    /// The current decision on paragraph `para`.
    pub fn get(&self, para: &str) -> Option<&Decision> {
        self.decisions.get(para)
    }
}
