//! Bootstrapped confidence intervals for Krippendorff's alpha, after Hayes & Krippendorff
//! (2007) and Hayes's KALPHA macro: each replicate draws `M` pairs of values from the observed
//! coincidence matrix (cell `c ≤ k` with probability `(2 − [c = k])·o_ck / n`), sums their
//! differences and divides by `M` times the expected difference per pair, which stays that of
//! the data: `α* = 1 − Σδ / (M · D_e)`. `M` is the number of pairs of values the data hold,
//! `Σ_u m_u(m_u − 1)/2` (what KALPHA takes when the data are complete; KALPHA also caps `M`
//! at 25 × the non-empty cells, which makes the interval's width independent of the data's
//! size, so polcode does not). As in KALPHA, `α*` below −1 is set to −1; a replicate with no
//! disagreement counts as 0 when only one value is ever paired with itself; and as many
//! replicates of 1 as chance alone would give (`B · Σ_c (o_cc / n)^M`, rounded) are set to 0.
//! The interval is the 2.5th and 97.5th percentile of the sorted replicates, taken at the
//! positions KALPHA takes (`⌊0.025·B⌋` and `⌊0.975·B⌋ + 1`, 1-based).
//!
//! Random numbers: xoshiro256** seeded through splitmix64 from `(seed, stream)`, each row of a
//! table its own stream, so results depend on the seed and nothing else (not on threads).
//! Binomial draws: inversion for `n·p < 10`, else Hörmann's (1993) BTRS transformed
//! rejection; a multinomial draw is a chain of binomials.

use super::agree::{delta_matrix, Metric};

/// Bootstrap settings: replicates and seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Boot {
    /// Number of replicates; 0 turns the bootstrap off.
    pub replicates: usize,
    pub seed: u64,
}

impl Boot {
    /// polcode's default: 1,000 replicates (KALPHA's minimum), seed 1.
    pub(crate) const DEFAULT: Boot = Boot {
        replicates: 1000,
        seed: 1,
    };
}

/// A bootstrapped 95% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
    /// Replicates drawn.
    pub replicates: usize,
}

/// xoshiro256** (Blackman & Vigna), seeded by splitmix64.
#[derive(Debug, Clone)]
pub(crate) struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator for stream `stream` of seed `seed`.
    pub(crate) fn new(seed: u64, stream: u64) -> Rng {
        let mut x = seed ^ stream.wrapping_mul(0xd1b5_4a32_d192_ed03);
        let mut next = || {
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        Rng {
            s: [next(), next(), next(), next()],
        }
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in the open interval (0, 1).
    pub(crate) fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform integer below `n` (`n > 0`), by Lemire's multiply-shift (bias < 2^-32 for
    /// the sizes used here).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A Binomial(`n`, `p`) draw.
    pub(crate) fn binomial(&mut self, n: u64, p: f64) -> u64 {
        if n == 0 || p <= 0.0 {
            return 0;
        }
        if p >= 1.0 {
            return n;
        }
        if p > 0.5 {
            return n - self.binomial(n, 1.0 - p);
        }
        if n as f64 * p < 10.0 {
            self.binomial_inversion(n, p)
        } else {
            self.btrs(n, p)
        }
    }

    /// Counts geometric waiting times until they pass `n` (expected `n·p + 1` steps).
    fn binomial_inversion(&mut self, n: u64, p: f64) -> u64 {
        let lq = (-p).ln_1p();
        let (mut sum, mut k) = (0.0, 0u64);
        loop {
            sum += (self.uniform().ln() / lq).ceil();
            if sum > n as f64 {
                return k;
            }
            k += 1;
        }
    }

    /// Hörmann (1993), "The generation of binomial random variates", algorithm BTRS, for
    /// `p ≤ 0.5` and `n·p ≥ 10`.
    fn btrs(&mut self, n: u64, p: f64) -> u64 {
        let nf = n as f64;
        let spq = (nf * p * (1.0 - p)).sqrt();
        let b = 1.15 + 2.53 * spq;
        let a = -0.0873 + 0.0248 * b + 0.01 * p;
        let c = nf * p + 0.5;
        let v_r = 0.92 - 4.2 / b;
        let r = p / (1.0 - p);
        let alpha = (2.83 + 5.1 / b) * spq;
        let m = ((nf + 1.0) * p).floor();
        loop {
            let u = self.uniform() - 0.5;
            let v = self.uniform();
            let us = 0.5 - u.abs();
            let k = ((2.0 * a / us + b) * u + c).floor();
            if k < 0.0 || k > nf {
                continue;
            }
            if us >= 0.07 && v <= v_r {
                return k as u64;
            }
            let v = (v * alpha / (a / (us * us) + b)).ln();
            let bound = (m + 0.5) * ((m + 1.0) / (r * (nf - m + 1.0))).ln()
                + (nf + 1.0) * ((nf - m + 1.0) / (nf - k + 1.0)).ln()
                + (k + 0.5) * (r * (nf - k + 1.0) / (k + 1.0)).ln()
                + stirling_tail(m)
                + stirling_tail(nf - m)
                - stirling_tail(k)
                - stirling_tail(nf - k);
            if v <= bound {
                return k as u64;
            }
        }
    }

    /// A multinomial draw of `n` over probabilities `p` (summing to 1) into `out`.
    pub(crate) fn multinomial(&mut self, n: u64, p: &[f64], out: &mut [u64]) {
        let mut left = n;
        let mut rest = 1.0;
        for (i, (&pi, o)) in p.iter().zip(out.iter_mut()).enumerate() {
            if i + 1 == p.len() || left == 0 {
                *o = left;
                left = 0;
                continue;
            }
            let x = if rest <= 0.0 {
                0
            } else {
                self.binomial(left, (pi / rest).clamp(0.0, 1.0))
            };
            *o = x;
            left -= x;
            rest -= pi;
        }
    }
}

/// `ln k! − (k + ½)·ln(k + 1) + (k + 1) − ½·ln 2π`, the tail of Stirling's series.
fn stirling_tail(k: f64) -> f64 {
    const TAIL: [f64; 10] = [
        0.081_061_466_795_327_2,
        0.041_340_695_955_409_2,
        0.027_677_925_684_998_3,
        0.020_790_672_103_765_1,
        0.016_644_691_189_821_1,
        0.013_876_128_823_070_7,
        0.011_896_709_945_891_7,
        0.010_411_265_261_972_0,
        0.009_255_462_182_712_73,
        0.008_330_563_433_362_87,
    ];
    if k <= 9.0 {
        return TAIL[k as usize];
    }
    let kp1sq = (k + 1.0) * (k + 1.0);
    (1.0 / 12.0 - (1.0 / 360.0 - 1.0 / 1260.0 / kp1sq) / kp1sq) / (k + 1.0)
}

/// The bootstrapped 95% interval of α from the coincidence matrix `o` on the ascending values
/// `cats`, with `pairs` pairs of values per replicate; `None` when α is undefined or there is
/// nothing to draw. `stream` tells the rows of one report apart.
pub(crate) fn alpha_interval(
    o: &[Vec<f64>],
    cats: &[f64],
    metric: Metric,
    pairs: u64,
    boot: Boot,
    stream: u64,
) -> Option<Interval> {
    let k = cats.len();
    let nc: Vec<f64> = o.iter().map(|r| r.iter().sum()).collect();
    let n: f64 = nc.iter().sum();
    if boot.replicates == 0 || pairs == 0 || n < 2.0 || k == 0 {
        return None;
    }
    let delta = delta_matrix(cats, &nc, metric);
    // Expected difference per pair of values.
    let mut d_e = 0.0;
    for c in 0..k {
        for d in 0..k {
            let e = nc[c] * (nc[d] - f64::from(u8::from(c == d))) / (n - 1.0);
            d_e += e * delta[c][d];
        }
    }
    let d_e = d_e / n;
    if d_e.abs() < 1e-12 || !d_e.is_finite() {
        return None;
    }
    // The cells c ≤ d with their probabilities and differences.
    let mut probs = Vec::new();
    let mut deltas = Vec::new();
    for c in 0..k {
        for d in c..k {
            let w = if c == d { 1.0 } else { 2.0 };
            probs.push(w * o[c][d] / n);
            deltas.push(delta[c][d]);
        }
    }
    let nonzero_diagonal = (0..k).filter(|&c| o[c][c] > 0.0).count();
    let mut rng = Rng::new(boot.seed, stream);
    let mut counts = vec![0u64; probs.len()];
    let mut alphas = Vec::with_capacity(boot.replicates);
    let mut ones = 0usize;
    for _ in 0..boot.replicates {
        rng.multinomial(pairs, &probs, &mut counts);
        let sum: f64 = counts
            .iter()
            .zip(&deltas)
            .map(|(&x, &dl)| x as f64 * dl)
            .sum();
        let mut a = 1.0 - sum / (pairs as f64 * d_e);
        if a < -1.0 {
            a = -1.0;
        }
        if a == 1.0 {
            if nonzero_diagonal == 1 {
                a = 0.0;
            } else {
                ones += 1;
            }
        }
        alphas.push(a);
    }
    if nonzero_diagonal > 1 {
        let chance: f64 = (0..k).map(|c| (o[c][c] / n).powf(pairs as f64)).sum();
        let nx = (boot.replicates as f64 * chance).round() as usize;
        let mut left = nx.min(ones);
        for a in alphas.iter_mut() {
            if left == 0 {
                break;
            }
            if *a == 1.0 {
                *a = 0.0;
                left -= 1;
            }
        }
    }
    alphas.sort_by(f64::total_cmp);
    let b = alphas.len();
    let lo = ((0.025 * b as f64) as usize).max(1);
    let hi = ((0.975 * b as f64) as usize + 1).min(b);
    Some(Interval {
        low: alphas[lo - 1],
        high: alphas[hi - 1],
        replicates: b,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moments(draws: &[u64]) -> (f64, f64) {
        let n = draws.len() as f64;
        let mean = draws.iter().map(|&x| x as f64).sum::<f64>() / n;
        let var = draws
            .iter()
            .map(|&x| (x as f64 - mean).powi(2))
            .sum::<f64>()
            / (n - 1.0);
        (mean, var)
    }

    #[test]
    fn binomial_moments_match_both_samplers() {
        let mut rng = Rng::new(42, 0);
        for (n, p) in [
            (5u64, 0.3),
            (20, 0.2),
            (30, 0.5),
            (1000, 0.01),
            (1000, 0.3),
            (1000, 0.97),
            (4_000_000, 0.05),
            (100_000, 0.5),
        ] {
            let draws: Vec<u64> = (0..100_000).map(|_| rng.binomial(n, p)).collect();
            assert!(draws.iter().all(|&x| x <= n));
            let (mean, var) = moments(&draws);
            let (m, v) = (n as f64 * p, n as f64 * p * (1.0 - p));
            // Standard error of the mean is sqrt(v / 1e5); allow 5 of them.
            assert!(
                (mean - m).abs() < 5.0 * (v / 1e5).sqrt() + 1e-9,
                "{n} {p}: {mean} vs {m}"
            );
            assert!((var / v - 1.0).abs() < 0.03, "{n} {p}: var {var} vs {v}");
        }
    }

    #[test]
    fn binomial_distribution_matches_the_pmf() {
        // n = 40, p = 0.4: n·p = 16 goes through BTRS; compare frequencies with the pmf.
        let (n, p) = (40u64, 0.4f64);
        let mut rng = Rng::new(7, 3);
        let draws = 400_000;
        let mut freq = vec![0f64; n as usize + 1];
        for _ in 0..draws {
            freq[rng.binomial(n, p) as usize] += 1.0;
        }
        let mut pmf = vec![0f64; n as usize + 1];
        pmf[0] = (1.0 - p).powi(n as i32);
        for k in 1..=n as usize {
            pmf[k] = pmf[k - 1] * ((n as usize - k + 1) as f64 / k as f64) * (p / (1.0 - p));
        }
        let mut chi2 = 0.0;
        let mut bins = 0;
        for k in 0..=n as usize {
            let e = pmf[k] * draws as f64;
            if e >= 20.0 {
                chi2 += (freq[k] - e).powi(2) / e;
                bins += 1;
            }
        }
        // Well past the 0.999 quantile of chi-square with ~20 degrees of freedom (45).
        assert!(chi2 < 60.0, "chi2 {chi2} over {bins} bins");
    }

    #[test]
    fn multinomial_sums_and_is_seeded() {
        let p = [0.5, 0.2, 0.25, 0.05];
        let mut a = Rng::new(9, 1);
        let mut b = Rng::new(9, 1);
        let (mut x, mut y) = ([0u64; 4], [0u64; 4]);
        for _ in 0..100 {
            a.multinomial(1000, &p, &mut x);
            b.multinomial(1000, &p, &mut y);
            assert_eq!(x, y);
            assert_eq!(x.iter().sum::<u64>(), 1000);
        }
        let mut c = Rng::new(9, 2);
        c.multinomial(1000, &p, &mut y);
        a.multinomial(1000, &p, &mut x);
        assert_ne!(x, y);
    }

    #[test]
    fn interval_brackets_alpha_and_narrows_with_data() {
        // Two coders, binary: 80 both 1, 10 disagreements each way, 300 both 0, times `s`.
        let width = |s: f64| {
            let o = vec![
                vec![2.0 * 300.0 * s, 20.0 * s],
                vec![20.0 * s, 2.0 * 80.0 * s],
            ];
            let pairs = (400.0 * s) as u64;
            let i =
                alpha_interval(&o, &[0.0, 1.0], Metric::Nominal, pairs, Boot::DEFAULT, 0).unwrap();
            let nc = [620.0 * s, 180.0 * s];
            let n = 800.0 * s;
            let alpha = 1.0 - (n - 1.0) * (40.0 * s) / (2.0 * nc[0] * nc[1]);
            assert!(i.low < alpha && alpha < i.high, "{i:?} {alpha}");
            i.high - i.low
        };
        let (w1, w100) = (width(1.0), width(100.0));
        // Width shrinks as 1/√n: ten times narrower for a hundred times the data.
        assert!((w1 / w100 - 10.0).abs() < 2.0, "{w1} {w100}");
    }

    #[test]
    fn no_variation_has_no_interval() {
        let o = vec![vec![10.0, 0.0], vec![0.0, 0.0]];
        assert!(alpha_interval(&o, &[0.0, 1.0], Metric::Nominal, 5, Boot::DEFAULT, 0).is_none());
    }
}
