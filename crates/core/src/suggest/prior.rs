//! The bundled prior: a small, explainable model of how policy paragraphs are coded, shipped
//! with a codebook and used from the very first paragraph, before the coder has decided
//! anything. One-vs-rest logistic regression over features a reader of Chinese policy texts
//! uses:
//!
//! - `c:` character bigrams of the paragraph (what it says),
//! - `l:` bigrams of its lead clause (`（三）加强人才培养。` states the instrument),
//! - `h:` bigrams of the headings above it (`保障措施`, `总体要求`, `加大财税支持`),
//! - `k:<node>` the keyword engine's score for each leaf (the codebook's own keywords),
//! - `p:` patterns: targets with a year or a quantity (`到2025年`, `1500亿元`, `100家`), deadlines,
//!   and document boilerplate (`特此通知`, `自印发之日起施行`).
//!
//! Each class (every leaf, plus "no code") has a bias and a weight per feature; a paragraph's
//! probability for a class is the logistic of the sum, and the largest contributions are its
//! explanation. Training is deterministic (fixed example order, fixed epochs), so the shipped
//! file can be re-made byte for byte by `polcode prior train` (hidden).

use std::collections::HashMap;

use crate::corpus::context::ParaContext;

/// Epochs of stochastic gradient descent.
const EPOCHS: usize = 40;
/// Learning rate at the first epoch; it decays as `1 / (1 + epoch / 10)`.
const LEARNING_RATE: f32 = 0.5;
/// L2 penalty per update.
const L2: f32 = 1e-4;
/// Features kept per class (largest weights by magnitude): keeps the shipped file small and
/// every explanation short; the rest of the weight is noise from single paragraphs.
const PER_CLASS: usize = 500;
/// Class name of "no code".
pub(crate) const NONE: &str = "none";

/// The keyword engine's score (0..1) of one class on the paragraph's text, on its lead clause
/// and on the headings above it.
pub(crate) type Evidence = [f32; SHARED];
/// Number of shared evidence weights: text, lead clause, headings.
pub(crate) const SHARED: usize = 3;

/// One training example: a paragraph, its context, the keyword evidence per class and the
/// classes it was coded with (empty = none).
#[derive(Debug, Clone)]
pub(crate) struct Example<'a> {
    pub text: &'a str,
    pub ctx: &'a ParaContext,
    /// `(class name, evidence)` for the leaves the keyword engine scored anywhere.
    pub keyword: Vec<(&'a str, Evidence)>,
    /// Class names coded; empty for "no code".
    pub labels: Vec<&'a str>,
}

/// A trained prior. Classes are node ids (plus `NONE`), so a model survives codebook edits
/// that keep the ids.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Prior {
    pub classes: Vec<String>,
    bias: Vec<f32>,
    /// Weights of the keyword evidence shared by all classes: a class's own keywords on the
    /// text, the lead clause and the headings. Shared, so a rare class gains from what the
    /// common ones teach about trusting keywords.
    shared: [f32; SHARED],
    /// Feature -> (class, weight), sparse.
    weights: HashMap<String, Vec<(u16, f32)>>,
}

/// One feature's part in a class's score, for the explanation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Contribution {
    pub feature: String,
    pub value: f32,
}

impl Prior {
    /// Trains on `examples` for `classes` (node ids; [`NONE`] is added when missing).
    pub(crate) fn train(classes: &[&str], examples: &[Example<'_>]) -> Prior {
        let mut classes: Vec<String> = classes.iter().map(|s| s.to_string()).collect();
        if !classes.iter().any(|c| c == NONE) {
            classes.push(NONE.to_string());
        }
        let k = classes.len();
        let class_of: HashMap<&str, usize> = classes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.as_str(), i))
            .collect();
        // Features interned to dense indices for training.
        let mut index: HashMap<String, usize> = HashMap::new();
        // Per example: (feature index, value), the label of each class, evidence per class.
        type Row = (Vec<(usize, f32)>, Vec<bool>, Vec<Evidence>);
        let mut rows: Vec<Row> = Vec::new();
        for ex in examples {
            let mut ev = vec![[0.0; SHARED]; k];
            for (c, e) in &ex.keyword {
                if let Some(&i) = class_of.get(c) {
                    ev[i] = *e;
                }
            }
            let feats = features(ex.text, ex.ctx, &ex.keyword)
                .into_iter()
                .map(|(f, v)| {
                    let n = index.len();
                    (*index.entry(f).or_insert(n), v)
                })
                .collect();
            let mut y = vec![false; k];
            if ex.labels.is_empty() {
                y[class_of[NONE]] = true;
            }
            for l in &ex.labels {
                if let Some(&c) = class_of.get(l) {
                    y[c] = true;
                }
            }
            rows.push((feats, y, ev));
        }
        let mut w = vec![vec![0.0f32; index.len()]; k];
        let mut b = vec![0.0f32; k];
        let mut u = [0.0f32; SHARED];
        // Deterministic shuffle: a fixed multiplicative permutation per epoch.
        let n = rows.len();
        for epoch in 0..EPOCHS {
            let lr = LEARNING_RATE / (1.0 + epoch as f32 / 10.0);
            let step = coprime_step(n, epoch);
            for t in 0..n {
                let (x, y, ev) = &rows[(t * step + epoch) % n.max(1)];
                for c in 0..k {
                    let z = b[c]
                        + x.iter().map(|&(f, v)| w[c][f] * v).sum::<f32>()
                        + (0..SHARED).map(|s| u[s] * ev[c][s]).sum::<f32>();
                    let g = sigmoid(z) - if y[c] { 1.0 } else { 0.0 };
                    b[c] -= lr * g;
                    for s in 0..SHARED {
                        u[s] -= lr * g * ev[c][s];
                    }
                    for &(f, v) in x {
                        w[c][f] -= lr * (g * v + L2 * w[c][f]);
                    }
                }
            }
        }
        let mut names: Vec<(&String, usize)> = index.iter().map(|(f, &i)| (f, i)).collect();
        names.sort();
        let mut weights: HashMap<String, Vec<(u16, f32)>> = HashMap::new();
        for (c, wc) in w.iter().enumerate() {
            let mut best: Vec<(&String, f32)> = names.iter().map(|&(f, i)| (f, wc[i])).collect();
            // Sorted by name first, so ties keep a fixed order.
            best.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
            for (f, v) in best.into_iter().take(PER_CLASS).filter(|(_, v)| *v != 0.0) {
                weights.entry(f.clone()).or_default().push((c as u16, v));
            }
        }
        Prior {
            classes,
            bias: b,
            shared: u,
            weights,
        }
    }

    /// Probability per class (in [`Prior::classes`] order) for a paragraph.
    // Test-only: the tests check probabilities with it.
    #[cfg(test)]
    pub(crate) fn predict(
        &self,
        text: &str,
        ctx: &ParaContext,
        keyword: &[(&str, Evidence)],
    ) -> Vec<f32> {
        self.predict_features(&features(text, ctx, keyword), keyword)
    }

    /// Probability per class (in [`Prior::classes`] order) from features already extracted
    /// with [`features`].
    pub(crate) fn predict_features(
        &self,
        feats: &[(String, f32)],
        keyword: &[(&str, Evidence)],
    ) -> Vec<f32> {
        let mut z = self.bias.clone();
        for (c, e) in keyword {
            if let Some(i) = self.class_index(c) {
                z[i] += (0..SHARED).map(|s| self.shared[s] * e[s]).sum::<f32>();
            }
        }
        for (f, v) in feats {
            if let Some(list) = self.weights.get(f) {
                for &(c, w) in list {
                    z[c as usize] += w * v;
                }
            }
        }
        z.into_iter().map(sigmoid).collect()
    }

    /// The `n` features that raised class `class`'s score most on this paragraph, from its
    /// features extracted with [`features`]: the explanation of a row.
    pub(crate) fn explain_features(
        &self,
        feats: &[(String, f32)],
        keyword: &[(&str, Evidence)],
        class: usize,
        n: usize,
    ) -> Vec<Contribution> {
        let name = self.classes.get(class).map_or("", String::as_str);
        let shared = keyword
            .iter()
            .find(|(c, _)| *c == name)
            .map(|(_, e)| e)
            .into_iter()
            .flat_map(|e| {
                [
                    "keywords",
                    "keywords in the lead clause",
                    "keywords in the headings",
                ]
                .iter()
                .zip(e.iter().zip(self.shared))
                .map(|(f, (v, w))| Contribution {
                    feature: f.to_string(),
                    value: v * w,
                })
            });
        let mut out: Vec<Contribution> = feats
            .iter()
            .filter_map(|(f, v)| {
                let w = self
                    .weights
                    .get(f)?
                    .iter()
                    .find(|(c, _)| *c as usize == class)?
                    .1;
                (w * v > 0.0).then(|| Contribution {
                    feature: f.clone(),
                    value: w * v,
                })
            })
            .chain(shared.filter(|c| c.value > 0.0))
            .collect();
        out.sort_by(|a, b| b.value.total_cmp(&a.value));
        out.truncate(n);
        out
    }

    /// Index of a class by name.
    pub(crate) fn class_index(&self, name: &str) -> Option<usize> {
        self.classes.iter().position(|c| c == name)
    }

    /// The model as text: a header line of classes, a line of biases, then one line per
    /// (feature, class, weight), sorted, weights rounded to 4 decimals.
    pub fn to_tsv(&self) -> String {
        let mut s = String::from(
            "# polcode prior v1: classes, biases, then feature<TAB>class<TAB>weight\n",
        );
        s.push_str(&format!("classes\t{}\n", self.classes.join("\t")));
        let biases: Vec<String> = self.bias.iter().map(|b| format!("{b:.4}")).collect();
        s.push_str(&format!("bias\t{}\n", biases.join("\t")));
        let shared: Vec<String> = self.shared.iter().map(|b| format!("{b:.4}")).collect();
        s.push_str(&format!("shared\t{}\n", shared.join("\t")));
        let mut rows: Vec<(&String, u16, f32)> = self
            .weights
            .iter()
            .flat_map(|(f, l)| l.iter().map(move |&(c, w)| (f, c, w)))
            .collect();
        rows.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        for (f, c, w) in rows {
            s.push_str(&format!("{f}\t{}\t{w:.4}\n", self.classes[c as usize]));
        }
        s
    }

    /// Reads [`Prior::to_tsv`] output; errors name the line.
    pub fn from_tsv(text: &str) -> Result<Prior, String> {
        let mut p = Prior::default();
        for (i, line) in text.lines().enumerate() {
            let bad = |what: &str| format!("line {}: {what}", i + 1);
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            match cols[0] {
                "classes" => p.classes = cols[1..].iter().map(|s| s.to_string()).collect(),
                "bias" => {
                    p.bias = cols[1..]
                        .iter()
                        .map(|v| v.parse().map_err(|_| bad("bad bias")))
                        .collect::<Result<_, _>>()?;
                }
                "shared" => {
                    let v: Vec<f32> = cols[1..]
                        .iter()
                        .map(|v| v.parse().map_err(|_| bad("bad shared weight")))
                        .collect::<Result<_, _>>()?;
                    p.shared = v.try_into().map_err(|_| bad("expected 3 shared weights"))?;
                }
                f => {
                    let [_, class, w] = cols[..] else {
                        return Err(bad("expected feature, class, weight"));
                    };
                    let c = p
                        .class_index(class)
                        .ok_or_else(|| bad(&format!("unknown class {class:?}")))?;
                    let w: f32 = w.parse().map_err(|_| bad("bad weight"))?;
                    p.weights
                        .entry(f.to_string())
                        .or_default()
                        .push((c as u16, w));
                }
            }
        }
        if p.classes.is_empty() || p.bias.len() != p.classes.len() {
            return Err("missing or mismatched `classes` and `bias` lines".into());
        }
        Ok(p)
    }
}

/// The prior shipped for a bundled codebook, when `codebook` is that codebook (by name) and
/// every class of the prior is one of its node ids. Parsed once per process.
pub(crate) fn bundled(codebook: &crate::codebook::Codebook) -> Option<std::sync::Arc<Prior>> {
    use std::sync::{Arc, OnceLock};
    static POLICY_TOOLS: OnceLock<Option<Arc<Prior>>> = OnceLock::new();
    if codebook.name != "policy-tools" {
        return None;
    }
    let p = POLICY_TOOLS
        .get_or_init(|| {
            Prior::from_tsv(include_str!("../../../../codebooks/policy-tools.prior.tsv"))
                .ok()
                .map(Arc::new)
        })
        .clone()?;
    p.classes
        .iter()
        .all(|c| c == NONE || codebook.index(c).is_some())
        .then_some(p)
}

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

/// A step coprime with `n`, different per epoch, for a deterministic shuffle.
fn coprime_step(n: usize, epoch: usize) -> usize {
    if n <= 1 {
        return 1;
    }
    let mut s = (n / 2 + 1 + 7 * epoch) % n;
    while s == 0 || gcd(s, n) != 1 {
        s = (s + 1) % n;
    }
    s
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// The features of a paragraph (see the module docs), each with its value.
pub(crate) fn features(
    text: &str,
    ctx: &ParaContext,
    keyword: &[(&str, Evidence)],
) -> Vec<(String, f32)> {
    let mut out = Vec::new();
    // Who is responsible is not what is done (see `duty`).
    push_bigrams(&mut out, "c:", &super::duty::mask_duties(text));
    if let Some(l) = &ctx.lead {
        push_bigrams(&mut out, "l:", l);
    }
    let headings = ctx.headings.join("。");
    push_bigrams(&mut out, "h:", &headings);
    for (class, e) in keyword {
        if e[0] > 0.0 {
            out.push((format!("k:{class}"), e[0]));
        }
    }
    for p in patterns(text) {
        out.push((format!("p:{p}"), 1.0));
    }
    out
}

/// Distinct bigrams of the runs of letters and digits (punctuation and spaces break runs),
/// each valued `1 / sqrt(count)` so a long paragraph weighs as much as a short one.
fn push_bigrams(out: &mut Vec<(String, f32)>, prefix: &str, text: &str) {
    let mut grams: Vec<String> = Vec::new();
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if c.is_alphanumeric() {
            let c = if c.is_ascii_digit() { '0' } else { c };
            if let Some(p) = prev {
                grams.push(format!("{prefix}{p}{c}"));
            }
            prev = Some(c);
        } else {
            prev = None;
        }
    }
    grams.sort_unstable();
    grams.dedup();
    if grams.is_empty() {
        return;
    }
    let v = 1.0 / (grams.len() as f32).sqrt();
    out.extend(grams.into_iter().map(|g| (g, v)));
}

/// Named patterns of how policy texts state targets, deadlines and boilerplate.
pub(crate) fn patterns(text: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let year_at = |i: usize| {
        i + 4 <= chars.len()
            && chars[i] == '2'
            && chars[i + 1] == '0'
            && chars[i + 2..i + 4].iter().all(|c| c.is_ascii_digit())
    };
    let mut year_target = false;
    for i in 0..chars.len() {
        if year_at(i) && i + 4 < chars.len() && chars[i + 4] == '年' {
            let before = if i > 0 { chars[i - 1] } else { ' ' };
            let after: String = chars[i + 5..].iter().take(2).collect();
            if matches!(before, '到' | '至') || after.starts_with('前') || after.starts_with("底前")
            {
                year_target = true;
            }
        }
    }
    if year_target {
        out.push("year-target");
    }
    // A number followed by a unit of quantity: targets and indicators.
    let units = [
        "亿元", "万元", "亿", "万", "家", "个", "项", "%", "％", "倍", "人", "户", "台", "座", "条",
    ];
    let mut quantities = 0;
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let rest: String = chars[i..].iter().take(2).collect();
            let is_year = i - start == 4 && rest.starts_with('年');
            if !is_year && units.iter().any(|u| rest.starts_with(u)) {
                quantities += 1;
            }
        } else {
            i += 1;
        }
    }
    if quantities > 0 {
        out.push("quantity");
    }
    if quantities > 2 {
        out.push("quantities");
    }
    for (name, cues) in [
        (
            "deadline",
            &["年底前", "年内", "前完成", "分阶段", "到期"][..],
        ),
        (
            "boilerplate",
            &[
                "特此通知",
                "印发给你们",
                "请认真贯彻",
                "请结合实际",
                "之日起施行",
                "之日起实施",
                "负责解释",
                "有效期",
                "现提出如下",
                "现提出以下",
                "制定本方案",
                "制定本意见",
                "制定本办法",
                "制定本措施",
            ][..],
        ),
        ("duty", &["牵头", "责任单位", "配合", "按职责分工"][..]),
    ] {
        if cues.iter().any(|c| text.contains(c)) {
            out.push(name);
        }
    }
    let n = chars.len();
    out.push(match n {
        0..=40 => "len-short",
        41..=150 => "len-mid",
        _ => "len-long",
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> ParaContext {
        ParaContext::default()
    }

    #[test]
    fn patterns_find_targets_quantities_and_boilerplate() {
        let p = patterns("到2025年，核心产业规模超过1500亿元，培育100家骨干企业。");
        assert!(
            p.contains(&"year-target") && p.contains(&"quantity"),
            "{p:?}"
        );
        let p = patterns("2018年以来，我国发展迅速。");
        assert!(
            !p.contains(&"year-target") && !p.contains(&"quantity"),
            "{p:?}"
        );
        assert!(patterns("本意见自印发之日起施行。").contains(&"boilerplate"));
    }

    #[test]
    fn learns_a_separable_toy_problem_and_round_trips_through_tsv() {
        let c = ctx();
        let ex = |t: &'static str, l: Vec<&'static str>| Example {
            text: t,
            ctx: &c,
            keyword: Vec::new(),
            labels: l,
        };
        let data = vec![
            ex("加强人才培养，引进高层次人才。", vec!["talent"]),
            ex("完善人才评价，培养复合型人才。", vec!["talent"]),
            ex("落实税收优惠，减免企业所得税。", vec!["tax"]),
            ex("加大税收减免力度，落实税收优惠。", vec!["tax"]),
            ex("本意见自印发之日起施行。", vec![]),
        ];
        let p = Prior::train(&["talent", "tax"], &data);
        let probs = p.predict("培养青年人才。", &c, &[]);
        let (t, x) = (
            p.class_index("talent").unwrap(),
            p.class_index("tax").unwrap(),
        );
        assert!(probs[t] > probs[x], "{probs:?}");
        let why = p.explain_features(&features("培养青年人才。", &c, &[]), &[], t, 3);
        assert!(why.iter().any(|w| w.feature == "c:人才"), "{why:?}");
        let back = Prior::from_tsv(&p.to_tsv()).unwrap();
        let again = back.predict("培养青年人才。", &c, &[]);
        for (a, b) in probs.iter().zip(&again) {
            assert!((a - b).abs() < 1e-2, "{probs:?} vs {again:?}");
        }
        assert!(Prior::from_tsv("classes\ta\nbias\tx\n")
            .unwrap_err()
            .contains("line 2"));
    }
}
