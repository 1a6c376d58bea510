//! Inter-coder agreement coefficients on plain rating data: percent agreement, Cohen's kappa
//! (plain and weighted), Fleiss' kappa and Krippendorff's alpha (nominal, ordinal, interval,
//! ratio). Rating matrices are coders × units with `None` for a missing rating. Nominal 0/1
//! ratings can also be given as counts per kind of unit (`BinaryCounts`), which is how
//! `polcode agree` handles millions of (paragraph, node) units without building matrices.
//!
//! Degenerate input gives [`Agreement::Undefined`] with the reason, never 0, 1 or NaN.

use std::fmt;

/// The value of a coefficient, or why it has none.
#[derive(Debug, Clone, PartialEq)]
pub enum Agreement {
    Value(f64),
    Undefined { reason: String },
}

impl Agreement {
    fn undefined(reason: &str) -> Agreement {
        Agreement::Undefined {
            reason: reason.to_string(),
        }
    }

    /// The value, if defined.
    pub fn value(&self) -> Option<f64> {
        match self {
            Agreement::Value(v) => Some(*v),
            Agreement::Undefined { .. } => None,
        }
    }

    /// A finite value or `Undefined` with `reason` (guards divisions by zero).
    fn from_ratio(num: f64, den: f64, reason: &str) -> Agreement {
        if den.abs() < 1e-12 || !num.is_finite() || !den.is_finite() {
            Agreement::undefined(reason)
        } else {
            Agreement::Value(num / den)
        }
    }
}

impl fmt::Display for Agreement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Agreement::Value(v) => write!(f, "{v:.4}"),
            Agreement::Undefined { reason } => write!(f, "undefined ({reason})"),
        }
    }
}

/// Reason given when expected disagreement vanishes.
pub(crate) const ALL_SAME: &str = "all ratings identical: expected disagreement is 0";
/// Reason given when there is nothing to compare.
pub(crate) const NO_PAIRS: &str = "no unit rated by two coders";
/// Reason given when no unit was rated by every coder (Fleiss' κ).
pub(crate) const NO_COMPLETE: &str = "no unit rated by every coder";

/// Weights of weighted kappa, on category positions `i`, `j`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weights {
    /// Disagreement `|i − j|`.
    Linear,
    /// Disagreement `(i − j)²`.
    Quadratic,
}

/// Level of measurement of Krippendorff's alpha (its difference function).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    Nominal,
    Ordinal,
    Interval,
    Ratio,
}

/// Percent agreement (as a proportion 0–1): per unit rated by at least two coders, the share
/// of agreeing coder pairs; averaged over those units. For two coders, the share of units
/// both rated on which they agree.
pub fn percent_agreement(m: &[Vec<Option<f64>>]) -> Agreement {
    let mut sum = 0.0;
    let mut units = 0usize;
    for u in 0..n_units(m) {
        let vals: Vec<f64> = m
            .iter()
            .filter_map(|r| r.get(u).copied().flatten())
            .collect();
        if vals.len() < 2 {
            continue;
        }
        let (mut agree, mut pairs) = (0usize, 0usize);
        for i in 0..vals.len() {
            for j in i + 1..vals.len() {
                pairs += 1;
                agree += usize::from(vals[i] == vals[j]);
            }
        }
        sum += agree as f64 / pairs as f64;
        units += 1;
    }
    Agreement::from_ratio(sum, units as f64, NO_PAIRS)
}

/// Sorted distinct values.
fn categories<'a>(vals: impl Iterator<Item = &'a f64>) -> Vec<f64> {
    let mut c: Vec<f64> = vals.copied().filter(|v| v.is_finite()).collect();
    c.sort_by(f64::total_cmp);
    c.dedup();
    c
}

/// The contingency table (rows: coder `a`, columns: coder `b`) over units both rated, on the
/// given ordered categories (values outside them are skipped).
pub(crate) fn contingency(a: &[Option<f64>], b: &[Option<f64>], cats: &[f64]) -> Vec<Vec<f64>> {
    let k = cats.len();
    let mut t = vec![vec![0.0; k]; k];
    let pos = |v: f64| cats.iter().position(|c| *c == v);
    for (x, y) in a.iter().zip(b) {
        if let (Some(x), Some(y)) = (x, y) {
            if let (Some(i), Some(j)) = (pos(*x), pos(*y)) {
                t[i][j] += 1.0;
            }
        }
    }
    t
}

/// Cohen's kappa from a square contingency table (rows coder A, columns coder B).
pub fn cohen_kappa_table(t: &[Vec<f64>]) -> Agreement {
    weighted_kappa_table_with(t, |i, j| f64::from(u8::from(i != j)))
}

/// Weighted kappa (Cohen 1968) from a square table whose categories are in order.
pub fn weighted_kappa_table(t: &[Vec<f64>], w: Weights) -> Agreement {
    weighted_kappa_table_with(t, |i, j| {
        let d = i.abs_diff(j) as f64;
        match w {
            Weights::Linear => d,
            Weights::Quadratic => d * d,
        }
    })
}

/// `1 − Σ w·observed / Σ w·expected` with disagreement weights `w(i, j)` (0 on the diagonal).
fn weighted_kappa_table_with(t: &[Vec<f64>], w: impl Fn(usize, usize) -> f64) -> Agreement {
    let k = t.len();
    let total: f64 = t.iter().flatten().sum();
    if total <= 0.0 {
        return Agreement::undefined("no unit rated by both coders");
    }
    let rows: Vec<f64> = t.iter().map(|r| r.iter().sum()).collect();
    let cols: Vec<f64> = (0..k)
        .map(|j| t.iter().map(|r| r.get(j).copied().unwrap_or(0.0)).sum())
        .collect();
    let (mut obs, mut exp) = (0.0, 0.0);
    for (i, (row, ri)) in t.iter().zip(&rows).enumerate() {
        for (j, cj) in cols.iter().enumerate() {
            let wij = w(i, j);
            obs += wij * row.get(j).copied().unwrap_or(0.0) / total;
            exp += wij * ri * cj / (total * total);
        }
    }
    match Agreement::from_ratio(
        obs,
        exp,
        "expected disagreement is 0: both coders used one and the same category throughout",
    ) {
        Agreement::Value(r) => Agreement::Value(1.0 - r),
        u => u,
    }
}

/// Cohen's kappa of two coders' ratings over the units both rated.
pub fn cohen_kappa(a: &[Option<f64>], b: &[Option<f64>]) -> Agreement {
    let cats = categories(a.iter().chain(b).flatten());
    cohen_kappa_table(&contingency(a, b, &cats))
}

/// Weighted kappa of two coders' ordinal ratings; `cats` lists the ordered categories (pass a
/// rubric scale's levels so an unused middle level still counts in distances), or is empty to
/// use the values present.
pub(crate) fn weighted_kappa(
    a: &[Option<f64>],
    b: &[Option<f64>],
    cats: &[f64],
    w: Weights,
) -> Agreement {
    let cats = if cats.is_empty() {
        categories(a.iter().chain(b).flatten())
    } else {
        cats.to_vec()
    };
    weighted_kappa_table(&contingency(a, b, &cats), w)
}

/// Per-unit category counts (`[unit][category]`) from a coders × units matrix.
pub(crate) fn counts(m: &[Vec<Option<f64>>]) -> Vec<Vec<f64>> {
    let cats = categories(m.iter().flatten().flatten());
    (0..n_units(m))
        .map(|u| {
            let mut row = vec![0.0; cats.len()];
            for v in m.iter().filter_map(|r| r.get(u).copied().flatten()) {
                if let Some(i) = cats.iter().position(|c| *c == v) {
                    row[i] += 1.0;
                }
            }
            row
        })
        .collect()
}

/// Fleiss' kappa from per-subject category counts (`[subject][category]` = raters choosing it).
/// Subjects may have different numbers of raters (missing ratings); subjects with fewer than
/// two are skipped. With a constant number of raters this is exactly Fleiss (1971).
pub fn fleiss_kappa_counts(c: &[Vec<f64>]) -> Agreement {
    fleiss_kappa_kinds(c.iter().map(|row| (row.as_slice(), 1.0)))
}

/// Fleiss' kappa over kinds of subject: each item is a row of category counts and how many
/// subjects share it. A weight of 1 per row is [`fleiss_kappa_counts`] bit for bit, so the
/// matrix and the count-based paths share one formula.
fn fleiss_kappa_kinds<'a>(kinds: impl IntoIterator<Item = (&'a [f64], f64)>) -> Agreement {
    let mut p_bar = 0.0;
    let mut subjects = 0.0;
    let mut totals: Vec<f64> = Vec::new();
    let mut all = 0.0;
    for (row, w) in kinds {
        let n: f64 = row.iter().sum();
        if n < 2.0 {
            continue;
        }
        let agree: f64 = row.iter().map(|x| x * (x - 1.0)).sum();
        p_bar += w * (agree / (n * (n - 1.0)));
        subjects += w;
        if totals.len() < row.len() {
            totals.resize(row.len(), 0.0);
        }
        for (t, x) in totals.iter_mut().zip(row) {
            *t += w * x;
        }
        all += w * n;
    }
    if subjects == 0.0 {
        return Agreement::undefined(NO_PAIRS);
    }
    let p_bar = p_bar / subjects;
    let p_e: f64 = totals.iter().map(|t| (t / all) * (t / all)).sum();
    Agreement::from_ratio(p_bar - p_e, 1.0 - p_e, ALL_SAME)
}

/// Fleiss' kappa of a coders × units matrix (missing ratings allowed: each unit with two or
/// more ratings counts with its own number of raters).
pub fn fleiss_kappa(m: &[Vec<Option<f64>>]) -> Agreement {
    fleiss_kappa_counts(&counts(m))
}

/// Fleiss' kappa over the units every coder rated, straight from a rating matrix: Fleiss (1971)
/// assumes a constant number of raters per subject, as statsmodels' `fleiss_kappa` does.
/// `polcode agree` reports `Coefficients::fleiss_kappa`, computed from counts on the same
/// units; this second computation is what the tests check it against.
// Test-only: an independent computation for the tests.
#[cfg(test)]
pub(crate) fn fleiss_kappa_complete(m: &[Vec<Option<f64>>]) -> Agreement {
    let complete: Vec<Vec<Option<f64>>> = m
        .iter()
        .map(|r| {
            (0..n_units(m))
                .filter(|u| m.iter().all(|r| r.get(*u).copied().flatten().is_some()))
                .map(|u| r[u])
                .collect()
        })
        .collect();
    if m.len() < 2 {
        return Agreement::undefined(NO_PAIRS);
    }
    if complete.first().is_none_or(|r| r.is_empty()) {
        return Agreement::undefined(NO_COMPLETE);
    }
    fleiss_kappa(&complete)
}

/// Pairs of values within units of a coders × units matrix, `Σ_u m_u(m_u − 1)/2`.
pub(crate) fn value_pairs(m: &[Vec<Option<f64>>]) -> u64 {
    (0..n_units(m))
        .map(|u| {
            let k = m
                .iter()
                .filter(|r| r.get(u).copied().flatten().is_some())
                .count() as u64;
            k * k.saturating_sub(1) / 2
        })
        .sum()
}

/// The bootstrapped 95% interval of [`krippendorff_alpha`] (see [`super::bootstrap`]).
pub(crate) fn alpha_interval(
    m: &[Vec<Option<f64>>],
    metric: Metric,
    boot: super::bootstrap::Boot,
    stream: u64,
) -> Option<super::bootstrap::Interval> {
    let cats = categories(m.iter().flatten().flatten());
    let o = coincidences(
        counts(m).iter().map(|row| (row.as_slice(), 1.0)),
        cats.len(),
    );
    super::bootstrap::alpha_interval(&o, &cats, metric, value_pairs(m), boot, stream)
}

/// Krippendorff's alpha of a coders × units matrix with missing ratings, at the given level
/// of measurement (Krippendorff 2011, via the coincidence matrix). Units with fewer than two
/// ratings are not pairable and are skipped.
pub fn krippendorff_alpha(m: &[Vec<Option<f64>>], metric: Metric) -> Agreement {
    let cats = categories(m.iter().flatten().flatten());
    krippendorff_alpha_counts(&counts(m), &cats, metric)
}

/// Krippendorff's alpha from per-unit value counts (`[unit][category]`, categories given in
/// ascending order as `cats`, which supplies the values for the interval and ratio metrics).
pub fn krippendorff_alpha_counts(units: &[Vec<f64>], cats: &[f64], metric: Metric) -> Agreement {
    let o = coincidences(units.iter().map(|row| (row.as_slice(), 1.0)), cats.len());
    alpha_from_coincidences(&o, cats, metric)
}

/// The coincidence matrix (`k` × `k`) over kinds of unit: each item is a row of value counts
/// and how many units share it. Units with fewer than two values are not pairable. A weight of
/// 1 per row adds exactly what the unit alone adds.
pub(crate) fn coincidences<'a>(
    kinds: impl IntoIterator<Item = (&'a [f64], f64)>,
    k: usize,
) -> Vec<Vec<f64>> {
    let mut o = vec![vec![0.0; k]; k];
    for (row, w) in kinds {
        let mu: f64 = row.iter().take(k).sum();
        if mu < 2.0 {
            continue;
        }
        for (c, &nc) in row.iter().enumerate().take(k) {
            for (d, &nd) in row.iter().enumerate().take(k) {
                let pairs = if c == d { nc * (nc - 1.0) } else { nc * nd };
                o[c][d] += w * (pairs / (mu - 1.0));
            }
        }
    }
    o
}

/// The difference `δ(c, d)` between the ascending values `cats` at the given level of
/// measurement; `nc` are the values' totals in the coincidence matrix (the ordinal metric
/// counts the values between two ranks).
pub(crate) fn delta_matrix(cats: &[f64], nc: &[f64], metric: Metric) -> Vec<Vec<f64>> {
    let k = cats.len();
    let delta = |c: usize, d: usize| -> f64 {
        match metric {
            Metric::Nominal => f64::from(u8::from(c != d)),
            Metric::Interval => (cats[c] - cats[d]).powi(2),
            Metric::Ratio => {
                let s = cats[c] + cats[d];
                if s == 0.0 {
                    0.0
                } else {
                    ((cats[c] - cats[d]) / s).powi(2)
                }
            }
            Metric::Ordinal => {
                let (lo, hi) = (c.min(d), c.max(d));
                let between: f64 = nc[lo..=hi].iter().sum();
                (between - (nc[c] + nc[d]) / 2.0).powi(2)
            }
        }
    };
    (0..k)
        .map(|c| (0..k).map(|d| delta(c, d)).collect())
        .collect()
}

/// Krippendorff's alpha from a coincidence matrix on the ascending categories `cats`.
pub(crate) fn alpha_from_coincidences(o: &[Vec<f64>], cats: &[f64], metric: Metric) -> Agreement {
    let k = cats.len();
    let nc: Vec<f64> = o.iter().map(|r| r.iter().sum()).collect();
    let n: f64 = nc.iter().sum();
    if n < 2.0 {
        return Agreement::undefined(NO_PAIRS);
    }
    let delta = delta_matrix(cats, &nc, metric);
    let (mut d_o, mut d_e) = (0.0, 0.0);
    for c in 0..k {
        for d in 0..k {
            let dl = delta[c][d];
            d_o += o[c][d] * dl;
            d_e += nc[c] * nc[d] * dl;
        }
    }
    match Agreement::from_ratio(d_o * (n - 1.0), d_e, ALL_SAME) {
        Agreement::Value(r) => Agreement::Value(1.0 - r),
        u => u,
    }
}

/// Nominal 0/1 ratings summarised by kind of unit: how many units have `n0` ratings of 0 and
/// `n1` ratings of 1 (the other coders' missing). Percent agreement, Fleiss' kappa and nominal
/// Krippendorff's alpha depend on nothing else, so a study's millions of (paragraph, node)
/// units need no rating matrix. The results equal the matrix functions' on the same ratings
/// (bit for bit when every unit has at most two ratings; else up to rounding of the sums).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BinaryCounts {
    raters: usize,
    /// `units[n0 * (raters + 1) + n1]`: the number of units of that kind.
    units: Vec<u64>,
}

impl BinaryCounts {
    /// No units yet, for `raters` coders.
    pub(crate) fn new(raters: usize) -> BinaryCounts {
        BinaryCounts {
            raters,
            units: vec![0; (raters + 1) * (raters + 1)],
        }
    }

    /// The number of coders.
    pub(crate) fn raters(&self) -> usize {
        self.raters
    }

    /// Adds `count` units rated 0 by `n0` coders and 1 by `n1` coders.
    ///
    /// # Panics
    /// If `n0 + n1` exceeds the number of raters.
    pub(crate) fn add(&mut self, n0: usize, n1: usize, count: u64) {
        assert!(
            n0 + n1 <= self.raters,
            "{n0} + {n1} ratings of {}",
            self.raters
        );
        let i = self.slot(n0, n1);
        self.units[i] += count;
    }

    /// The number of units rated 0 by `n0` coders and 1 by `n1`.
    pub(crate) fn units_of(&self, n0: usize, n1: usize) -> u64 {
        if n0 + n1 > self.raters {
            return 0;
        }
        self.units[self.slot(n0, n1)]
    }

    /// Stacks the units of `other` (same raters) onto these.
    pub(crate) fn merge(&mut self, other: &BinaryCounts) {
        assert_eq!(
            self.raters, other.raters,
            "merging counts of different raters"
        );
        for (a, b) in self.units.iter_mut().zip(&other.units) {
            *a += b;
        }
    }

    fn slot(&self, n0: usize, n1: usize) -> usize {
        n0 * (self.raters + 1) + n1
    }

    /// `(n0, n1, units)` of every kind present with at least two ratings.
    fn pairable_kinds(&self) -> impl Iterator<Item = (usize, usize, f64)> + '_ {
        let r = self.raters;
        (0..=r)
            .flat_map(move |n0| (0..=r - n0).map(move |n1| (n0, n1)))
            .map(|(n0, n1)| (n0, n1, self.units_of(n0, n1)))
            .filter(|&(n0, n1, u)| n0 + n1 >= 2 && u > 0)
            .map(|(n0, n1, u)| (n0, n1, u as f64))
    }

    /// Units rated by at least two coders.
    pub(crate) fn pairable(&self) -> usize {
        self.pairable_kinds().map(|(_, _, u)| u as usize).sum()
    }

    /// [`percent_agreement`] of these ratings.
    pub(crate) fn percent_agreement(&self) -> Agreement {
        let pairs = |n: usize| (n * n.saturating_sub(1) / 2) as f64;
        let (mut sum, mut units) = (0.0, 0.0);
        for (n0, n1, u) in self.pairable_kinds() {
            sum += u * ((pairs(n0) + pairs(n1)) / pairs(n0 + n1));
            units += u;
        }
        Agreement::from_ratio(sum, units, NO_PAIRS)
    }

    /// Units every coder rated.
    pub(crate) fn complete(&self) -> usize {
        self.pairable_kinds()
            .filter(|&(n0, n1, _)| n0 + n1 == self.raters)
            .map(|(_, _, u)| u as usize)
            .sum()
    }

    /// Fleiss' kappa of these ratings over the units every coder rated (the tests check it
    /// against `fleiss_kappa_complete`).
    pub(crate) fn fleiss_kappa(&self) -> Agreement {
        if self.raters < 2 {
            return Agreement::undefined(NO_PAIRS);
        }
        if self.complete() == 0 {
            return Agreement::undefined(NO_COMPLETE);
        }
        let rows = self.rows();
        fleiss_kappa_kinds(
            rows.iter()
                .filter(|(row, _)| row[0] + row[1] == self.raters as f64)
                .map(|(row, u)| (row.as_slice(), *u)),
        )
    }

    /// [`krippendorff_alpha`] (nominal) of these ratings.
    pub(crate) fn krippendorff_alpha(&self) -> Agreement {
        alpha_from_coincidences(&self.coincidences(), &[0.0, 1.0], Metric::Nominal)
    }

    /// The 2 × 2 coincidence matrix of these ratings (values 0, 1).
    pub(crate) fn coincidences(&self) -> Vec<Vec<f64>> {
        let rows = self.rows();
        coincidences(rows.iter().map(|(row, u)| (row.as_slice(), *u)), 2)
    }

    /// Pairs of values within units, `Σ_u m_u(m_u − 1)/2`: the bootstrap's sample size.
    pub(crate) fn value_pairs(&self) -> u64 {
        self.pairable_kinds()
            .map(|(n0, n1, u)| {
                let m = (n0 + n1) as u64;
                u as u64 * (m * (m - 1) / 2)
            })
            .sum()
    }

    /// The bootstrapped 95% interval of [`BinaryCounts::krippendorff_alpha`].
    pub(crate) fn alpha_interval(
        &self,
        boot: super::bootstrap::Boot,
        stream: u64,
    ) -> Option<super::bootstrap::Interval> {
        super::bootstrap::alpha_interval(
            &self.coincidences(),
            &[0.0, 1.0],
            Metric::Nominal,
            self.value_pairs(),
            boot,
            stream,
        )
    }

    /// The pairable kinds as `[n0, n1]` count rows with their number of units.
    fn rows(&self) -> Vec<([f64; 2], f64)> {
        self.pairable_kinds()
            .map(|(n0, n1, u)| ([n0 as f64, n1 as f64], u))
            .collect()
    }
}

/// Cohen's kappa from a 2 × 2 table of 0/1 ratings (`t[a][b]`: units coder A rated `a` and
/// coder B rated `b`); equals [`cohen_kappa`] on the ratings behind it.
pub(crate) fn cohen_kappa_binary(t: &[[u64; 2]; 2]) -> Agreement {
    let table: Vec<Vec<f64>> = t
        .iter()
        .map(|row| row.iter().map(|&x| x as f64).collect())
        .collect();
    cohen_kappa_table(&table)
}

fn n_units(m: &[Vec<Option<f64>>]) -> usize {
    m.iter().map(Vec::len).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(xs: &[i32]) -> Vec<Option<f64>> {
        xs.iter().map(|x| Some(f64::from(*x))).collect()
    }

    fn close(a: &Agreement, b: f64) {
        let x = a.value().unwrap_or_else(|| panic!("undefined: {a}"));
        assert!((x - b).abs() < 1e-9, "{x} != {b}");
    }

    #[test]
    fn nvivo_example_1000_units() {
        // A codes 150 units, B 100, 50 by both: table [[50, 100], [50, 800]] (1 = coded).
        // po = 850/1000; pe = 0.15·0.10 + 0.85·0.90 = 0.78; κ = (0.85 − 0.78)/0.22 = 7/22.
        let mut a = vec![Some(0.0); 1000];
        let mut b = vec![Some(0.0); 1000];
        for x in a.iter_mut().take(150) {
            *x = Some(1.0);
        }
        for x in b.iter_mut().skip(100).take(100) {
            *x = Some(1.0);
        }
        close(&percent_agreement(&[a.clone(), b.clone()]), 0.85);
        close(&cohen_kappa(&a, &b), 7.0 / 22.0);
    }

    #[test]
    fn worked_example_of_the_readme_and_help() {
        // alice 1 1 0 0 0, bob 1 0 0 0 . (bob has not decided p5).
        let m = vec![o(&[1, 1, 0, 0, 0]), o(&[1, 0, 0, 0, -1])];
        close(&percent_agreement(&m), 0.75);
        close(&cohen_kappa(&m[0], &m[1]), 0.5);
        close(&krippendorff_alpha(&m, Metric::Nominal), 8.0 / 15.0);
        close(&fleiss_kappa_complete(&m), 7.0 / 15.0);
        assert_eq!(value_pairs(&m), 4);
    }

    #[test]
    fn undefined_cases() {
        let same = vec![v(&[1, 1, 1]), v(&[1, 1, 1])];
        for a in [
            cohen_kappa(&same[0], &same[1]),
            fleiss_kappa(&same),
            krippendorff_alpha(&same, Metric::Nominal),
            krippendorff_alpha(&same, Metric::Interval),
        ] {
            assert!(matches!(a, Agreement::Undefined { .. }), "{a}");
        }
        assert_eq!(
            krippendorff_alpha(&same, Metric::Nominal),
            Agreement::undefined(ALL_SAME)
        );
        // No unit rated by both.
        let apart = vec![vec![Some(1.0), None], vec![None, Some(2.0)]];
        assert_eq!(percent_agreement(&apart), Agreement::undefined(NO_PAIRS));
        assert_eq!(
            krippendorff_alpha(&apart, Metric::Nominal),
            Agreement::undefined(NO_PAIRS)
        );
        assert!(cohen_kappa(&apart[0], &apart[1]).value().is_none());
        assert!(fleiss_kappa(&apart).value().is_none());
        assert_eq!(
            krippendorff_alpha(&[], Metric::Ordinal),
            Agreement::undefined(NO_PAIRS)
        );
    }

    #[test]
    fn total_disagreement_two_categories() {
        // The reference packages give κ = −1 and α = −0.75 on four alternating units.
        let m = vec![v(&[0, 1, 0, 1]), v(&[1, 0, 1, 0])];
        close(&cohen_kappa(&m[0], &m[1]), -1.0);
        close(&krippendorff_alpha(&m, Metric::Nominal), -0.75);
        close(&percent_agreement(&m), 0.0);
    }

    /// A deterministic generator (splitmix64) for random rating matrices.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }

        /// True with probability `p` percent.
        fn percent(&mut self, p: u64) -> bool {
            self.next() % 100 < p
        }
    }

    /// Summarises a coders × units matrix of 0/1 ratings as `compare` counts them.
    fn binary_of(m: &[Vec<Option<f64>>]) -> BinaryCounts {
        let mut c = BinaryCounts::new(m.len());
        for u in 0..n_units(m) {
            let vals: Vec<f64> = m
                .iter()
                .filter_map(|r| r.get(u).copied().flatten())
                .collect();
            let ones = vals.iter().filter(|v| **v == 1.0).count();
            c.add(vals.len() - ones, ones, 1);
        }
        c
    }

    /// The 2 × 2 table of two coders' 0/1 ratings over the units both rated.
    fn table_of(a: &[Option<f64>], b: &[Option<f64>]) -> [[u64; 2]; 2] {
        let mut t = [[0; 2]; 2];
        for (x, y) in a.iter().zip(b) {
            if let (Some(x), Some(y)) = (x, y) {
                t[usize::from(*x == 1.0)][usize::from(*y == 1.0)] += 1;
            }
        }
        t
    }

    /// Equal reasons when undefined, values within 1e-12 otherwise.
    fn same(counted: &Agreement, matrix: &Agreement, what: &str) {
        match (counted, matrix) {
            (Agreement::Value(a), Agreement::Value(b)) => {
                assert!((a - b).abs() < 1e-12, "{what}: counts {a} != matrix {b}")
            }
            _ => assert_eq!(counted, matrix, "{what}"),
        }
    }

    fn assert_counts_match(m: &[Vec<Option<f64>>]) {
        let c = binary_of(m);
        let pairable = (0..n_units(m))
            .filter(|u| {
                m.iter()
                    .filter(|r| r.get(*u).copied().flatten().is_some())
                    .count()
                    >= 2
            })
            .count();
        assert_eq!(c.pairable(), pairable, "{m:?}");
        same(&c.percent_agreement(), &percent_agreement(m), "percent");
        same(&c.fleiss_kappa(), &fleiss_kappa_complete(m), "fleiss");
        same(
            &c.krippendorff_alpha(),
            &krippendorff_alpha(m, Metric::Nominal),
            "alpha",
        );
        if m.len() == 2 {
            same(
                &cohen_kappa_binary(&table_of(&m[0], &m[1])),
                &cohen_kappa(&m[0], &m[1]),
                "cohen",
            );
        }
    }

    fn o(xs: &[i32]) -> Vec<Option<f64>> {
        xs.iter()
            .map(|x| (*x >= 0).then_some(f64::from(*x)))
            .collect()
    }

    #[test]
    fn binary_counts_equal_matrix_functions_on_edge_cases() {
        // -1 = missing.
        let cases: Vec<Vec<Vec<Option<f64>>>> = vec![
            vec![],
            vec![o(&[0, 1, 1])],
            vec![o(&[-1, -1, -1]), o(&[-1, -1, -1])],
            vec![o(&[0, 0, 0, 0]), o(&[0, 0, 0, 0])],
            vec![o(&[1, 1, 1]), o(&[1, 1, 1])],
            vec![o(&[0, 1, 1, 0]), o(&[0, 1, 1, 0])],
            vec![o(&[0, 1, 0, 1]), o(&[1, 0, 1, 0])],
            vec![o(&[1, -1]), o(&[-1, 0])],
            vec![o(&[1, 0, -1]), o(&[1, -1, 1])],
            vec![o(&[0, 0, 1]), o(&[0, 0, -1])],
            vec![o(&[0, 0, 1]), o(&[0, 1, 1]), o(&[1, 0, 1])],
            vec![o(&[0, -1, 1, 1]), o(&[0, 1, -1, 1]), o(&[-1, 1, 1, 0])],
            vec![o(&[1, 1, 1, 1]), o(&[1, 1, 1, 1]), o(&[1, 1, 1, 1])],
            vec![o(&[0]), o(&[1]), o(&[0]), o(&[1]), o(&[1])],
        ];
        for m in &cases {
            assert_counts_match(m);
        }
    }

    #[test]
    fn binary_counts_equal_matrix_functions_on_random_ratings() {
        let mut rng = Rng(7);
        for case in 0..400 {
            let coders = 1 + (case % 5);
            let units = 1 + (rng.next() % 60) as usize;
            let missing = [0, 10, 50, 90][case % 4];
            let ones = [2, 30, 50, 97][(case / 4) % 4];
            let m: Vec<Vec<Option<f64>>> = (0..coders)
                .map(|_| {
                    (0..units)
                        .map(|_| {
                            (!rng.percent(missing)).then(|| f64::from(u8::from(rng.percent(ones))))
                        })
                        .collect()
                })
                .collect();
            assert_counts_match(&m);
        }
    }

    #[test]
    fn binary_counts_merge_stacks_units() {
        let a = vec![o(&[0, 1, 1]), o(&[0, 1, 0])];
        let b = vec![o(&[1, -1, 0, 0]), o(&[1, 1, 0, 1])];
        let stacked: Vec<Vec<Option<f64>>> = a
            .iter()
            .zip(&b)
            .map(|(x, y)| [x.clone(), y.clone()].concat())
            .collect();
        let mut merged = binary_of(&a);
        merged.merge(&binary_of(&b));
        assert_eq!(merged, binary_of(&stacked));
        assert_eq!(merged.units_of(1, 1), 2);
        assert_eq!(merged.units_of(2, 1), 0);
        assert_counts_match(&stacked);
    }
}
