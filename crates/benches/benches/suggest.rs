//! Benchmarks of the suggestion engine on real policy paragraphs from `../shared/corpus` with a
//! generated 300-node / 1,200-keyword codebook whose keywords are real 2–4 character words of
//! the corpus: `Engine::suggest` (keywords only, and blended with a learner of 2,000
//! decisions), `Engine::new`, and `Segmenter::new` (jieba start-up); and `Engine::offer`, what
//! the coding screen asks for on every paragraph shown, with the bundled `policy-tools` codebook
//! and its prior (keyword evidence on the text, lead clause and a heading, the prior's features,
//! with and without a learner). Prints p50/p99 of single calls measured in a loop, then runs
//! criterion.

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use criterion::Criterion;
use polcode_core::codebook::{Codebook, Node};
use polcode_core::suggest::{Engine, Learner, Segmenter};

/// Body-length lines of the shared corpus, or `None` when it is absent.
fn corpus() -> Option<Vec<String>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/docs");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).ok()?;
        out.extend(
            text.lines()
                .map(|l| l.trim().to_string())
                .filter(|l| l.chars().count() >= 20),
        );
    }
    Some(out)
}

/// 20 roots with 14 children each (300 nodes) and 1,200 keywords: real corpus words of 2–4
/// Chinese characters, spread over the frequency range, four per node.
fn codebook(lines: &[String]) -> Codebook {
    let jieba = polcode_core::wordseg::full_dictionary();
    let mut freq: HashMap<&str, usize> = HashMap::new();
    for l in lines {
        for t in jieba.cut(l, false) {
            let n = t.word.chars().count();
            if (2..=4).contains(&n)
                && t.word
                    .chars()
                    .all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
            {
                *freq.entry(t.word).or_default() += 1;
            }
        }
    }
    let mut words: Vec<(&str, usize)> = freq.into_iter().collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    // Every other frequent word first, then the rest: common and rare keywords alike.
    let spread = words
        .iter()
        .step_by(2)
        .chain(words.iter().skip(1).step_by(2));
    let mut kws = spread.map(|(w, _)| w.to_string()).take(1200);
    let mut nodes = Vec::new();
    for r in 0..20 {
        let root = nodes.len();
        nodes.push(Node {
            id: format!("r{r}"),
            keywords: kws.by_ref().take(4).collect(),
            ..Default::default()
        });
        for c in 0..14 {
            let i = nodes.len();
            nodes[root].children.push(i);
            let k: Vec<String> = kws.by_ref().take(4).collect();
            nodes.push(Node {
                id: format!("r{r}.c{c}"),
                parent: Some(root),
                depth: 1,
                keywords: k,
                ..Default::default()
            });
        }
    }
    Codebook {
        name: "bench".into(),
        nodes,
        ..Default::default()
    }
}

fn percentiles(label: &str, mut f: impl FnMut(usize)) {
    let mut times: Vec<f64> = (0..10_000)
        .map(|i| {
            let t = Instant::now();
            f(i);
            t.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let q = |p: f64| times[((times.len() - 1) as f64 * p) as usize];
    println!(
        "{label}: p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs (10,000 calls)",
        q(0.5),
        q(0.99),
        times[times.len() - 1]
    );
}

fn main() {
    let Some(lines) = corpus() else {
        println!("skipped: ../shared/corpus not found");
        return;
    };
    let cb = codebook(&lines);
    let n_kw: usize = cb.nodes.iter().map(|n| n.keywords.len()).sum();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    println!(
        "{} nodes, {n_kw} keywords, {} paragraphs",
        cb.nodes.len(),
        refs.len()
    );

    let t = Instant::now();
    let engine = Engine::new(&cb, &refs);
    println!(
        "Engine::new over the corpus: {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let t = Instant::now();
    let seg = Arc::new(Segmenter::new(&cb, refs.iter().copied()));
    println!("Segmenter::new: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    // A coder of 2,000 decisions, who picked the keyword favourite most of the time.
    let mut learner = Learner::new(seg.clone());
    for (i, p) in refs.iter().cycle().take(2000).enumerate() {
        let s = engine.suggest(p, None, 3);
        let pick: Vec<usize> = s.get(i % 3).map(|s| vec![s.node]).unwrap_or_default();
        learner.learn(p, &pick);
    }
    let with = refs
        .iter()
        .filter(|p| !engine.suggest(p, None, 9).is_empty())
        .count();
    println!(
        "paragraphs with a keyword suggestion: {with} of {}",
        refs.len()
    );

    percentiles("suggest, keywords only", |i| {
        black_box(engine.suggest(refs[i % refs.len()], None, 9));
    });
    percentiles("suggest, keywords + learner (2,000 decisions)", |i| {
        black_box(engine.suggest(refs[i % refs.len()], Some(&learner), 9));
    });

    // The decision point with the shipped codebook and prior.
    let pt = polcode_core::codebook::load_str(
        polcode_core::codebook::bundled::get("policy-tools").expect("bundled"),
        "policy-tools",
    )
    .expect("bundled codebook loads");
    let pt_engine = Engine::new(&pt, &refs);
    assert!(pt_engine.prior().is_some(), "policy-tools ships a prior");
    let ctxs: Vec<polcode_core::corpus::context::ParaContext> = refs
        .iter()
        .map(|t| polcode_core::corpus::context::ParaContext {
            headings: vec!["三、保障措施".to_string()],
            lead: polcode_core::corpus::context::lead_clause(t).map(str::to_string),
        })
        .collect();
    let pt_seg = Arc::new(Segmenter::new(&pt, refs.iter().copied()));
    let mut pt_learner = Learner::new(pt_seg);
    for (i, p) in refs.iter().cycle().take(2000).enumerate() {
        let o = pt_engine.offer(p, &ctxs[i % refs.len()], None, 3);
        let pick: Vec<usize> = o
            .suggestions
            .get(i % 3)
            .map(|s| vec![s.node])
            .unwrap_or_default();
        pt_learner.learn(p, &pick);
    }
    percentiles("offer, policy-tools + prior", |i| {
        let k = i % refs.len();
        black_box(pt_engine.offer(refs[k], &ctxs[k], None, 9));
    });
    percentiles(
        "offer, policy-tools + prior + learner (2,000 decisions)",
        |i| {
            let k = i % refs.len();
            black_box(pt_engine.offer(refs[k], &ctxs[k], Some(&pt_learner), 9));
        },
    );

    let mut c = Criterion::default().configure_from_args();
    let mut i = 0;
    c.bench_function("suggest/keywords", |b| {
        b.iter(|| {
            i += 1;
            black_box(engine.suggest(refs[i % refs.len()], None, 9))
        })
    });
    c.bench_function("suggest/keywords+learner", |b| {
        b.iter(|| {
            i += 1;
            black_box(engine.suggest(refs[i % refs.len()], Some(&learner), 9))
        })
    });
    let mut g = c.benchmark_group("startup");
    g.sample_size(10);
    g.bench_function("Engine::new", |b| b.iter(|| Engine::new(&cb, &refs)));
    g.bench_function("Segmenter::new", |b| {
        b.iter(|| Segmenter::new(&cb, refs.iter().copied()))
    });
    g.finish();
    c.final_summary();
}
