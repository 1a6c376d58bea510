//! The codebook: a tree of nodes loaded from YAML, with validation errors that carry
//! file:line:col, and the bundled codebooks.

use serde::{Deserialize, Serialize};

pub mod bundled;
pub mod load;
#[cfg(test)]
mod load_tests;
mod locate;
pub mod render;
pub mod search;
mod validate;

pub(crate) use load::CodebookError;
pub use load::{check_file, check_str, load_file, load_str};
pub use render::render_tree;

/// An ordinal rubric scale attached to a node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scale {
    pub levels: Vec<ScaleLevel>,
}

impl Scale {
    /// Lowest and highest level value.
    pub fn range(&self) -> (i32, i32) {
        let min = self.levels.iter().map(|l| l.value).min().unwrap_or(0);
        let max = self.levels.iter().map(|l| l.value).max().unwrap_or(0);
        (min, max)
    }
}

/// One level of a rubric scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleLevel {
    pub value: i32,
    pub label: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// One node of the codebook, flattened (its children are listed by index in [`Codebook`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Node {
    pub id: String,
    /// Index of the parent in [`Codebook::nodes`].
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// 0 for roots.
    pub depth: usize,
    pub name_en: String,
    pub name_zh: String,
    pub definition: String,
    pub include: String,
    pub exclude: String,
    pub examples: Vec<String>,
    pub keywords: Vec<String>,
    pub exclude_keywords: Vec<String>,
    pub scale: Option<Scale>,
    /// `#rrggbb`, used by exports and charts.
    pub color: Option<String>,
}

impl Node {
    /// `name_zh (name_en)` or whichever exists.
    pub fn label(&self) -> String {
        match (self.name_zh.is_empty(), self.name_en.is_empty()) {
            (false, false) => format!("{} {}", self.name_zh, self.name_en),
            (false, true) => self.name_zh.clone(),
            (true, false) => self.name_en.clone(),
            (true, true) => self.id.clone(),
        }
    }
}

/// A validated codebook: nodes in depth-first order, parents before children.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Codebook {
    pub name: String,
    pub description: String,
    pub nodes: Vec<Node>,
}

impl Codebook {
    /// Index of the node with this id.
    pub fn index(&self, id: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.id == id)
    }

    /// The node with this id.
    pub fn get(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// Indices of the root nodes.
    pub fn roots(&self) -> impl Iterator<Item = usize> + '_ {
        self.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.parent.is_none())
            .map(|(i, _)| i)
    }

    /// Whether node `i` has no children.
    pub fn is_leaf(&self, i: usize) -> bool {
        self.nodes[i].children.is_empty()
    }

    /// Indices of the nodes without children, in tree order.
    pub fn leaves(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.nodes.len()).filter(|&i| self.is_leaf(i))
    }

    /// Indices of node `i` and everything below it, in tree order (a contiguous range,
    /// because nodes are stored depth-first).
    // Test-only: the tests check the depth-first layout with it.
    #[cfg(test)]
    pub(crate) fn subtree(&self, i: usize) -> std::ops::Range<usize> {
        let depth = self.nodes[i].depth;
        let end = (i + 1..self.nodes.len())
            .find(|&j| self.nodes[j].depth <= depth)
            .unwrap_or(self.nodes.len());
        i..end
    }

    /// Ids from the root down to node `i`, e.g. `["supply", "supply.human-resources"]`.
    // Test-only: the tests check a node's path with it.
    #[cfg(test)]
    pub(crate) fn path(&self, mut i: usize) -> Vec<&str> {
        let mut path = vec![self.nodes[i].id.as_str()];
        while let Some(p) = self.nodes[i].parent {
            path.push(self.nodes[p].id.as_str());
            i = p;
        }
        path.reverse();
        path
    }
}
