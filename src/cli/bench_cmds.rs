//! `polcode bench-data` (hidden): generates research-scale studies for the benchmark suite
//! (`bench/run.sh`), and writes the rating matrices behind `polcode agree` for outside tools.
//! Users never need it.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};

use polcode::benchdata::{self, GenOptions};
use polcode::store;
use polcode::study::Study;

use super::output::print;
use super::paths;

/// `polcode bench-data` arguments.
#[derive(Debug, clap::Args)]
pub struct BenchDataArgs {
    /// Where to create the study (must not hold one yet).
    pub out: Option<PathBuf>,
    /// Documents to build from the corpus paragraphs.
    #[arg(long, default_value_t = 600)]
    pub docs: usize,
    /// Decisions in all, spread evenly over the coders (who code the same paragraphs).
    #[arg(long, default_value_t = 20_000)]
    pub decisions: usize,
    /// Coders c1..cK.
    #[arg(long, default_value_t = 2)]
    pub coders: usize,
    /// Seed of the generator: the same seed gives byte-identical files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Corpus folder with docs/*.txt and metadata.csv.
    #[arg(long, default_value = "../shared/corpus")]
    pub corpus: PathBuf,
    /// Also write a coder `solo` holding all the decisions into OUT/solo-codings/.
    #[arg(long)]
    pub solo: bool,
    /// Instead of generating: write the 0/1 rating matrices of the study's coders (or those
    /// given with --coder) to this file, for Krippendorff's alpha in other tools.
    #[arg(long, value_name = "FILE")]
    pub ratings: Option<PathBuf>,
    /// Coders for --ratings (repeat; default: every coder of the study).
    #[arg(long = "coder")]
    pub coder: Vec<String>,
}

/// `polcode bench-data`.
pub fn bench_data(study: Option<PathBuf>, a: BenchDataArgs) -> Result<ExitCode> {
    if let Some(file) = &a.ratings {
        let dir = paths::find_study(study)?;
        let study = Study::open(&dir)?;
        let names = if a.coder.is_empty() {
            study.coders()
        } else {
            a.coder.clone()
        };
        let mut codings = Vec::new();
        for c in &names {
            codings.push(store::read_anchored(&study.codings_dir(), c, &study.docs)?.0);
        }
        benchdata::write_ratings(&study, &codings, file).map_err(anyhow::Error::msg)?;
        print(&format!("wrote {}\n", super::output::path(file)))?;
        return Ok(ExitCode::SUCCESS);
    }
    let Some(out) = a.out else {
        bail!("give the output folder (or --ratings FILE)");
    };
    let opts = GenOptions {
        docs: a.docs,
        decisions: a.decisions,
        coders: a.coders,
        seed: a.seed,
        corpus: a.corpus,
        solo: a.solo,
    };
    let t = Instant::now();
    let s = benchdata::generate(&opts, &out)
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("generating {}", out.display()))?;
    print(&format!(
        "{}: {} documents ({} body paragraphs), coders {} with {} decisions each ({} in the \
         journal){} in {:.1} s\n",
        super::output::path(&out),
        s.docs,
        s.body_paragraphs,
        s.coders.join(", "),
        s.per_coder,
        s.journal,
        if opts.solo {
            ", plus solo-codings/solo"
        } else {
            ""
        },
        t.elapsed().as_secs_f64()
    ))?;
    Ok(ExitCode::SUCCESS)
}
