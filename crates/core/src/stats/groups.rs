//! Grouping documents for break-downs (`--by region|level|province|year|kind|document|none`):
//! which column each document falls in, and the columns' order and labels.

use std::collections::BTreeSet;

use crate::corpus::regions::RegionScheme;
use crate::corpus::{Document, Kind, Level};

/// What documents are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum By {
    Region,
    Level,
    Province,
    Year,
    Kind,
    Document,
    /// One group holding every document.
    None,
}

impl By {
    /// Name as written on the command line.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            By::Region => "region",
            By::Level => "level",
            By::Province => "province",
            By::Year => "year",
            By::Kind => "kind",
            By::Document => "document",
            By::None => "none",
        }
    }

    /// Parses a command-line name (`doc` is accepted for `document`, `all` for `none`).
    pub fn parse(s: &str) -> Option<By> {
        match s.trim().to_ascii_lowercase().as_str() {
            "region" => Some(By::Region),
            "level" => Some(By::Level),
            "province" => Some(By::Province),
            "year" => Some(By::Year),
            "kind" => Some(By::Kind),
            "document" | "doc" => Some(By::Document),
            "none" | "all" => Some(By::None),
            _ => None,
        }
    }
}

/// The groups (table columns) of a break-down and the group of each document.
#[derive(Debug, Clone, PartialEq)]
pub struct Groups {
    pub by: By,
    /// Stable keys (`east`, `2017`, a document id, …), in column order.
    pub keys: Vec<String>,
    /// Labels shown in headers (Chinese region names where the scheme has them).
    pub labels: Vec<String>,
    /// Group index of each document, parallel to the documents given to [`Groups::new`].
    pub of_doc: Vec<usize>,
}

const NONE_LABEL: &str = "(none)";

impl Groups {
    /// Groups `docs` by `by`. Regions follow the scheme's order and every scheme region is a
    /// column even when empty (so live tables keep their shape); region ids not in the scheme
    /// and documents with no region follow. Levels and kinds follow their enum order, provinces
    /// and years sort ascending; only values present in `docs` become columns. An empty value
    /// is its own group labelled `(none)`, placed last.
    pub fn new(by: By, scheme: &RegionScheme, docs: &[Document]) -> Groups {
        let key_of = |d: &Document| -> String {
            match by {
                By::Region => d.meta.region.clone(),
                By::Level => d.meta.level.as_str().to_string(),
                By::Province => d.meta.province.clone(),
                By::Year => d.meta.year().map(|y| y.to_string()).unwrap_or_default(),
                By::Kind => d.meta.kind.as_str().to_string(),
                By::Document => d.id.clone(),
                By::None => "all".to_string(),
            }
        };
        let present: Vec<String> = docs.iter().map(key_of).collect();
        let mut keys: Vec<String> = Vec::new();
        let mut labels: Vec<String> = Vec::new();
        match by {
            By::Region => {
                for r in &scheme.regions {
                    keys.push(r.id.clone());
                    labels.push(if r.name_zh.is_empty() {
                        r.id.clone()
                    } else {
                        r.name_zh.clone()
                    });
                }
                let extra: BTreeSet<&String> = present
                    .iter()
                    .filter(|k| !k.is_empty() && !keys.contains(k))
                    .collect();
                for k in extra {
                    keys.push(k.clone());
                    labels.push(k.clone());
                }
            }
            By::Level => {
                for l in Level::ALL {
                    let k = l.as_str().to_string();
                    if present.contains(&k) {
                        labels.push(k.clone());
                        keys.push(k);
                    }
                }
            }
            By::Kind => {
                for kd in [Kind::Special, Kind::Related, Kind::Unknown] {
                    let k = kd.as_str().to_string();
                    if present.contains(&k) {
                        labels.push(k.clone());
                        keys.push(k);
                    }
                }
            }
            By::Document => {
                for k in &present {
                    keys.push(k.clone());
                    labels.push(k.clone());
                }
            }
            By::Province | By::Year | By::None => {
                let set: BTreeSet<&String> = present.iter().filter(|k| !k.is_empty()).collect();
                for k in set {
                    keys.push(k.clone());
                    labels.push(k.clone());
                }
            }
        }
        if present.iter().any(String::is_empty) {
            keys.push(String::new());
            labels.push(NONE_LABEL.to_string());
        }
        if by == By::None && keys.is_empty() {
            keys.push("all".into());
            labels.push("all".into());
        }
        let of_doc = present
            .iter()
            .map(|k| keys.iter().position(|x| x == k).unwrap_or(0))
            .collect();
        Groups {
            by,
            keys,
            labels,
            of_doc,
        }
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there are no groups (no documents and no scheme regions).
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Indices of the documents in group `g`.
    pub fn docs_in(&self, g: usize) -> impl Iterator<Item = usize> + '_ {
        self.of_doc
            .iter()
            .enumerate()
            .filter(move |(_, x)| **x == g)
            .map(|(i, _)| i)
    }

    /// A note naming the groups without documents (regions of the scheme no document is
    /// from), or `None` when every group has some.
    pub(crate) fn empty_note(&self) -> Option<String> {
        let empty: Vec<&str> = (0..self.len())
            .filter(|&g| self.docs_in(g).next().is_none())
            .map(|g| self.labels[g].as_str())
            .collect();
        (!empty.is_empty()).then(|| format!("no documents: {}", empty.join(", ")))
    }

    /// Column headings for a per-group quantity: `"<label> <what>"`, or just `what` when the
    /// grouping is `none`.
    pub(crate) fn heading(&self, g: usize, what: &str) -> String {
        if self.by == By::None {
            what.to_string()
        } else {
            format!("{} {what}", self.labels[g])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::fixture;

    #[test]
    fn region_columns_follow_scheme_order() {
        let f = fixture::study();
        let g = Groups::new(By::Region, &f.scheme, &f.docs);
        assert_eq!(g.keys, ["national", "east", "central", "west", "northeast"]);
        assert_eq!(g.labels[1], "东部");
        // d1 and d2 are eastern, d3 central.
        assert_eq!(g.of_doc, [1, 1, 2]);
        assert_eq!(g.docs_in(1).collect::<Vec<_>>(), [0, 1]);
    }

    #[test]
    fn years_sorted_and_missing_last() {
        let mut f = fixture::study();
        f.docs[0].meta.date = String::new();
        let g = Groups::new(By::Year, &f.scheme, &f.docs);
        // d1 (2019) lost its date; d2 and d3 are 2020.
        assert_eq!(g.keys, ["2020", ""]);
        assert_eq!(g.labels[1], "(none)");
        assert_eq!(g.of_doc, [1, 0, 0]);
        let n = Groups::new(By::None, &f.scheme, &f.docs);
        assert_eq!(n.of_doc, [0, 0, 0]);
        assert_eq!(By::parse("doc"), Some(By::Document));
    }
}
