//! Shared by the benchmark binaries: where the generated studies live (generated on first use),
//! percentile timing of single calls, and result lines for `bench/run.sh` (JSON lines appended
//! to `$POLCODE_BENCH_OUT`).

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use polcode_benchdata::{generate, GenOptions};

/// The shared corpus, or `None` when it is absent.
pub fn corpus_dir() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    p.join("docs").is_dir().then_some(p)
}

/// Folder of generated studies: `$POLCODE_BENCH_DATA`, else `target/bench-data`.
pub fn data_dir() -> PathBuf {
    std::env::var_os("POLCODE_BENCH_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-data"))
}

/// The study `name` (`s600`: 600 documents / 20,000 decisions by one coder; `s5000`: 5,000
/// documents / 200,000 decisions by two coders, plus `solo-codings/solo` with 200,000),
/// generated with the fixed seeds `bench/run.sh` uses when it is missing.
pub fn study(name: &str) -> Option<PathBuf> {
    let dir = data_dir().join(name);
    if dir.join("polcode.yaml").exists() {
        return Some(dir);
    }
    let corpus = corpus_dir()?;
    let (docs, decisions, coders, solo) = match name {
        "s600" => (600, 20_000, 1, false),
        _ => (5_000, 200_000, 2, true),
    };
    let opts = GenOptions {
        docs,
        decisions,
        coders,
        seed: 1,
        corpus,
        solo,
    };
    std::fs::create_dir_all(data_dir()).ok()?;
    eprintln!("generating {} ...", dir.display());
    generate(&opts, &dir).map_err(|e| eprintln!("{e}")).ok()?;
    Some(dir)
}

/// Percentiles of a set of samples (milliseconds).
pub struct Spread {
    pub n: usize,
    pub p50: f64,
    pub p99: f64,
    pub max: f64,
    pub min: f64,
}

/// Sorts the samples and takes p50 / p99 (nearest rank) / max.
pub fn spread(mut v: Vec<f64>) -> Spread {
    v.sort_by(f64::total_cmp);
    let q = |p: f64| v[(((v.len() as f64) * p).ceil() as usize).clamp(1, v.len()) - 1];
    Spread {
        n: v.len(),
        p50: q(0.5),
        p99: q(0.99),
        max: v[v.len() - 1],
        min: v[0],
    }
}

/// Times `f` `n` times (milliseconds per call).
pub fn time_n(n: usize, mut f: impl FnMut(usize)) -> Vec<f64> {
    (0..n)
        .map(|i| {
            let t = Instant::now();
            f(i);
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect()
}

/// Prints a spread and appends it as a result line for the report.
pub fn report(key: &str, what: &str, s: &Spread) {
    let u = if key.starts_with("bytes") { "B" } else { "ms" };
    println!(
        "{what}: p50 {:.3} {u}, p99 {:.3} {u}, max {:.3} {u}, min {:.3} {u} ({} samples)",
        s.p50, s.p99, s.max, s.min, s.n
    );
    emit(&format!(
        "{{\"key\":\"{key}\",\"what\":{:?},\"unit\":\"ms\",\"n\":{},\"p50\":{},\"p99\":{},\"max\":{},\"min\":{}}}",
        what, s.n, s.p50, s.p99, s.max, s.min
    ));
}

/// Prints a single value and appends it as a result line.
pub fn value(key: &str, what: &str, v: f64, unit: &str) {
    println!("{what}: {v:.3} {unit}");
    emit(&format!(
        "{{\"key\":\"{key}\",\"what\":{what:?},\"unit\":\"{unit}\",\"value\":{v}}}"
    ));
}

fn emit(line: &str) {
    if let Some(p) = std::env::var_os("POLCODE_BENCH_OUT") {
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(p)
        {
            let _ = writeln!(f, "{line}");
        }
    }
}

/// Real 2–4 character Chinese words of the corpus, most frequent first (deterministic).
pub fn corpus_words(texts: &[&str]) -> Vec<String> {
    let jieba = polcode_core::wordseg::full_dictionary();
    let mut freq: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for t in texts {
        for tok in jieba.cut(t, false) {
            let n = tok.word.chars().count();
            if (2..=4).contains(&n)
                && tok
                    .word
                    .chars()
                    .all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
            {
                *freq.entry(tok.word).or_default() += 1;
            }
        }
    }
    let mut w: Vec<(&str, usize)> = freq.into_iter().collect();
    w.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    w.into_iter().map(|(s, _)| s.to_string()).collect()
}
