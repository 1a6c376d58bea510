//! Training data for the bundled prior ([`super::prior`]): coded paragraphs of a study with
//! what the prior reads (text, headings, lead clause, keyword evidence), labelled with the
//! codes every given coder agreed on. Used by `polcode prior train` (which makes the shipped
//! `codebooks/<name>.prior.tsv`) and by `polcode eval`, which trains the prior on the other
//! documents only (leave-one-document-out) so that no paragraph is scored by a model that saw it.

use std::collections::BTreeSet;

use super::learn::coded_paragraphs;
use super::prior::{Evidence, Example, Prior};
use super::Engine;
use crate::codebook::Codebook;
use crate::corpus::context::{para_context, ParaContext};
use crate::corpus::Document;
use crate::store::Codings;

/// One labelled paragraph, owned.
#[derive(Debug, Clone)]
pub struct Labelled {
    /// Document id (to hold documents out).
    pub doc: String,
    pub text: String,
    pub ctx: ParaContext,
    pub evidence: Vec<(String, Evidence)>,
    /// Leaf ids every coder gave; empty when every coder marked no code.
    pub labels: Vec<String>,
}

impl Labelled {
    /// As a training example.
    pub(crate) fn example(&self) -> Example<'_> {
        Example {
            text: &self.text,
            ctx: &self.ctx,
            keyword: self
                .evidence
                .iter()
                .map(|(c, e)| (c.as_str(), *e))
                .collect(),
            labels: self.labels.iter().map(String::as_str).collect(),
        }
    }
}

/// Body paragraphs of `docs` decided by every coder in `codings`, labelled with the leaves
/// they all gave. A paragraph where they gave codes but none in common is left out: it is
/// evidence neither for a code nor for "no code". `engine` gives the keyword evidence.
pub fn agreed(
    codebook: &Codebook,
    engine: &Engine,
    docs: &[Document],
    codings: &[&Codings],
) -> Vec<Labelled> {
    let Some((first, rest)) = codings.split_first() else {
        return Vec::new();
    };
    let leaf_ids = |nodes: &[usize]| -> BTreeSet<String> {
        nodes
            .iter()
            .filter(|&&n| codebook.is_leaf(n))
            .map(|&n| codebook.nodes[n].id.clone())
            .collect()
    };
    let others: Vec<Vec<_>> = rest
        .iter()
        .map(|c| coded_paragraphs(codebook, docs, c))
        .collect();
    let mut out = Vec::new();
    for c in coded_paragraphs(codebook, docs, first) {
        if docs[c.doc].paragraphs[c.para].kind != crate::corpus::ParaKind::Body {
            continue;
        }
        let mut sets = vec![(c.nodes.is_empty(), leaf_ids(&c.nodes))];
        for o in &others {
            match o.iter().find(|x| x.doc == c.doc && x.para == c.para) {
                Some(x) => sets.push((x.nodes.is_empty(), leaf_ids(&x.nodes))),
                None => break,
            }
        }
        if sets.len() != codings.len() {
            continue;
        }
        let all_none = sets.iter().all(|(none, _)| *none);
        let common: BTreeSet<String> = sets
            .iter()
            .skip(1)
            .fold(sets[0].1.clone(), |acc, (_, s)| &acc & s);
        if common.is_empty() && !all_none {
            continue;
        }
        let doc = &docs[c.doc];
        let ctx = para_context(doc, c.para);
        let text = doc.paragraphs[c.para].text.clone();
        let (ev, _) = engine.evidence(&text, &ctx);
        out.push(Labelled {
            doc: doc.id.clone(),
            evidence: ev
                .into_iter()
                .map(|(n, e)| (codebook.nodes[n].id.clone(), e))
                .collect(),
            text,
            ctx,
            labels: common.into_iter().collect(),
        });
    }
    out
}

/// Trains a prior for `codebook`'s leaves on `rows`, leaving out documents `held_out`; with
/// `keywords` false the keyword evidence is left out (the "prior alone" of evaluations).
pub fn train(codebook: &Codebook, rows: &[Labelled], held_out: &[&str], keywords: bool) -> Prior {
    let classes: Vec<&str> = codebook
        .leaves()
        .map(|l| codebook.nodes[l].id.as_str())
        .collect();
    let examples: Vec<Example<'_>> = rows
        .iter()
        .filter(|r| !held_out.contains(&r.doc.as_str()))
        .map(|r| {
            let mut e = r.example();
            if !keywords {
                e.keyword.clear();
            }
            e
        })
        .collect();
    Prior::train(&classes, &examples)
}
