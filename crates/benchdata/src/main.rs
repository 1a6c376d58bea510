//! `polcode-benchdata`: generates research-scale studies for the benchmark suite
//! (`bench/run.sh`), and writes the rating matrices behind `polcode agree` for outside tools.
//! A development tool, built from this dev-only crate: it is not part of the `polcode` binary.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

use polcode_benchdata::{generate, write_ratings, GenOptions};
use polcode_core::store;
use polcode_core::study::Study;
use polcode_core::termsafe::escape;

/// Generate benchmark studies, or write a study's rating matrices.
#[derive(Debug, Parser)]
#[command(name = "polcode-benchdata")]
struct Args {
    /// Where to create the study (must not hold one yet).
    out: Option<PathBuf>,
    /// Documents to build from the corpus paragraphs.
    #[arg(long, default_value_t = 600)]
    docs: usize,
    /// Decisions in all, spread evenly over the coders (who code the same paragraphs).
    #[arg(long, default_value_t = 20_000)]
    decisions: usize,
    /// Coders c1..cK.
    #[arg(long, default_value_t = 2)]
    coders: usize,
    /// Seed of the generator: the same seed gives byte-identical files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Corpus folder with docs/*.txt and metadata.csv.
    #[arg(long, default_value = "../shared/corpus")]
    corpus: PathBuf,
    /// Also write a coder `solo` holding all the decisions into OUT/solo-codings/.
    #[arg(long)]
    solo: bool,
    /// Instead of generating: write the 0/1 rating matrices of the coders of the study given
    /// with --study (or those given with --coder) to this file, for Krippendorff's alpha in
    /// other tools.
    #[arg(long, value_name = "FILE", requires = "study")]
    ratings: Option<PathBuf>,
    /// The study whose ratings --ratings writes.
    #[arg(long, value_name = "DIR")]
    study: Option<PathBuf>,
    /// Coders for --ratings (repeat; default: every coder of the study).
    #[arg(long = "coder")]
    coder: Vec<String>,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("polcode-benchdata: error: {}", escape(&e));
            ExitCode::from(1)
        }
    }
}

fn run(a: Args) -> Result<(), String> {
    if let (Some(file), Some(dir)) = (&a.ratings, &a.study) {
        let study = Study::open(dir).map_err(|e| e.to_string())?;
        let names = if a.coder.is_empty() {
            study.coders()
        } else {
            a.coder.clone()
        };
        let mut codings = Vec::new();
        for c in &names {
            let (coding, _) = store::read_anchored(&study.codings_dir(), c, &study.docs)
                .map_err(|e| e.to_string())?;
            codings.push(coding);
        }
        write_ratings(&study, &codings, file)?;
        println!("wrote {}", escape(&file.display().to_string()));
        return Ok(());
    }
    let Some(out) = a.out else {
        return Err("give the output folder (or --study DIR --ratings FILE)".into());
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
    let s = generate(&opts, &out).map_err(|e| format!("generating {}: {e}", out.display()))?;
    println!(
        "{}: {} documents ({} body paragraphs), coders {} with {} decisions each ({} in the \
         journal){} in {:.1} s",
        escape(&out.display().to_string()),
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
    );
    Ok(())
}
