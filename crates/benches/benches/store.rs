//! Benchmarks of the codings store and the analysis core at research scale: recording one
//! decision durably (20,000-decision coder, compaction every 500 included), reopening 200,000
//! decisions (with a breakdown: file read, snapshot parse, journal replay), opening a
//! 5,000-document study, tallies + coverage and agreement over 200,000 decisions. Percentiles
//! of single calls first, then criterion.

mod common;

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::Criterion;
use polcode_core::stats::compare::compare;
use polcode_core::stats::coverage::Coverage;
use polcode_core::stats::{study_groups, By, Pool, Tally};
use polcode_core::store::{
    journal, read_codings, snapshot, CoderStore, Codings, Decision, OpenMode,
};
use polcode_core::study::Study;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

fn copy_coder(from: &Path, to: &Path, coder: &str) {
    std::fs::create_dir_all(to).unwrap();
    for ext in ["yaml", "journal"] {
        let f = from.join(format!("{coder}.{ext}"));
        if f.exists() {
            std::fs::copy(&f, to.join(format!("{coder}.{ext}"))).unwrap();
        }
    }
}

/// A recode of an existing decision: one more (or one fewer) node, a fresh timestamp.
fn recode(d: &Decision, i: usize) -> Decision {
    let mut d = d.clone();
    d.at = String::new();
    if i.is_multiple_of(2) {
        d.nodes.push("supply.talent".into());
        d.no_code = false;
    } else if d.nodes.len() > 1 {
        d.nodes.pop();
    }
    d
}

fn main() {
    let (Some(small), Some(big)) = (common::study("s600"), common::study("s5000")) else {
        println!("skipped: ../shared/corpus not found");
        return;
    };
    // Record durably, on a copy of the 20k coder on the same disk as the study.
    let tmp = tempfile::tempdir_in(common::data_dir()).unwrap();
    copy_coder(&small.join("codings"), tmp.path(), "c1");
    let mut store = CoderStore::open(tmp.path(), "c1", OpenMode::ReadWrite).unwrap();
    let base: Vec<Decision> = store
        .codings()
        .decisions
        .values()
        .take(5000)
        .cloned()
        .collect();
    let rec = common::time_n(3000, |i| {
        store.record(recode(&base[i % base.len()], i)).unwrap();
    });
    let compactions: Vec<f64> = rec.iter().copied().filter(|t| *t > 20.0).collect();
    common::report(
        "record",
        "record one decision durably (append + fdatasync; 20k coder)",
        &common::spread(rec.clone()),
    );
    let plain: Vec<f64> = rec.iter().copied().filter(|t| *t <= 20.0).collect();
    common::report(
        "record.append",
        "record, the calls without a compaction",
        &common::spread(plain),
    );
    if !compactions.is_empty() {
        common::report(
            "record.compact",
            "record, the calls that compacted (snapshot rewrite)",
            &common::spread(compactions),
        );
    }

    // Reopen 200k decisions of one coder, with a breakdown.
    let solo = big.join("solo-codings");
    let reopen = common::time_n(5, |_| {
        let s = CoderStore::open(&solo, "solo", OpenMode::ReadWrite).unwrap();
        assert_eq!(s.codings().decisions.len(), 200_000);
    });
    common::report(
        "reopen",
        "reopen one coder with 200k decisions (CoderStore::open)",
        &common::spread(reopen),
    );
    let snap = solo.join("solo.yaml");
    let t = Instant::now();
    let text = std::fs::read_to_string(&snap).unwrap();
    common::value(
        "reopen.read",
        "  of which reading the 200k snapshot file",
        ms(t),
        "ms",
    );
    common::value(
        "reopen.bytes",
        "  snapshot size",
        text.len() as f64 / 1e6,
        "MB",
    );
    let t = Instant::now();
    let parsed = snapshot::parse(&snap, &text, "solo").unwrap();
    common::value(
        "reopen.parse",
        "  of which parsing the snapshot (flow-line fast path, serde_json)",
        ms(t),
        "ms",
    );
    let t = Instant::now();
    let replay = journal::read(&solo.join("solo.journal")).unwrap();
    common::value(
        "reopen.journal",
        &format!(
            "  of which reading + checking the journal ({} records)",
            replay.records.len()
        ),
        ms(t),
        "ms",
    );
    // For comparison only: the same decisions as JSON (not polcode's format).
    let decisions: Vec<&Decision> = parsed.codings.decisions.values().collect();
    let json = serde_json::to_string(&decisions).unwrap();
    let t = Instant::now();
    let back: Vec<Decision> = serde_json::from_str(&json).unwrap();
    common::value(
        "reopen.json",
        "  for comparison: the same 200k decisions parsed from JSON (serde_json)",
        ms(t),
        "ms",
    );
    drop(back);
    let both = common::time_n(3, |_| {
        for c in ["c1", "c2"] {
            black_box(read_codings(&big.join("codings"), c).unwrap());
        }
    });
    common::report(
        "reopen.all",
        "read_codings of both coders (2 x 100k = 200k decisions)",
        &common::spread(both),
    );

    // The analysis core over 200k decisions.
    let open = common::time_n(3, |_| {
        black_box(Study::open(&big).unwrap());
    });
    common::report(
        "study.open",
        "Study::open, 5,000 documents",
        &common::spread(open),
    );
    let study = Study::open(&big).unwrap();
    let codings: Vec<Codings> = ["c1", "c2"]
        .iter()
        .map(|c| read_codings(&big.join("codings"), c).unwrap().0)
        .collect();
    let refs: Vec<&Codings> = codings.iter().collect();
    let (cb, docs) = (&study.codebook, &study.docs);
    let build = common::time_n(5, |_| {
        let t = Tally::build(
            cb,
            docs,
            study_groups(&study, By::Region),
            &refs,
            Pool::Pooled,
        );
        let c = Coverage::build(
            cb,
            docs,
            study_groups(&study, By::Region),
            &refs,
            Pool::Pooled,
        );
        black_box((t, c));
    });
    common::report(
        "stats.build",
        "Tally + Coverage build, 200k decisions, by region",
        &common::spread(build),
    );
    let agree = common::time_n(3, |_| {
        black_box(compare(cb, docs, &refs));
    });
    common::report(
        "agree.compute",
        "compare() (agreement per node + pooled), 2 x 100k",
        &common::spread(agree),
    );

    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let mut i = 0;
    c.bench_function("store/record", |b| {
        b.iter(|| {
            i += 1;
            store.record(recode(&base[i % base.len()], i)).unwrap()
        })
    });
    let mut g = c.benchmark_group("large");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(10));
    g.bench_function("reopen-200k", |b| {
        b.iter(|| black_box(CoderStore::open(&solo, "solo", OpenMode::ReadOnly).unwrap()))
    });
    g.bench_function("tally+coverage-200k", |b| {
        b.iter(|| {
            let t = Tally::build(
                cb,
                docs,
                study_groups(&study, By::Region),
                &refs,
                Pool::Pooled,
            );
            black_box(Coverage::build(
                cb,
                docs,
                study_groups(&study, By::Region),
                &refs,
                Pool::Pooled,
            ));
            black_box(t)
        })
    });
    g.finish();
    drop(store);
    c.final_summary();
}
