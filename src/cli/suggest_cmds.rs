//! Suggestion quality commands: `polcode eval` (against one coder, or two with `--coders`),
//! `polcode suggest report` and the hidden `polcode devset load`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};

use polcode_core::store;
use polcode_core::study::Study;
use polcode_core::suggest::eval_pair::PriorEval;
use polcode_core::suggest::{evaluate, evaluate_pair, report, EvalOpts, PairOpts};

use super::output::{print, print_report};
use super::paths;

/// `polcode eval` arguments.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// The coder whose codings are the reference (default: $POLCODE_CODER, $USER, then the
    /// coder remembered for the study).
    #[arg(long)]
    pub coder: Option<String>,
    /// Two coders (or a coder and a consensus coder): top-1, top-3, recall@3, exact-set and
    /// keys per paragraph over the paragraphs both decided; learning trains on the first.
    #[arg(long, num_args = 2, value_names = ["A", "B"], conflicts_with = "coder")]
    pub coders: Vec<String>,
    #[command(flatten)]
    pub output: super::analysis_cmds::Output,
    /// Keywords only (skip the learned model, which needs jieba).
    #[arg(long)]
    pub keywords_only: bool,
    /// With --coders: the prior to score with: `bundled` (the one shipped with the codebook,
    /// for sets it was not trained on), `lodo` (trained on the other documents of this set:
    /// for the development set it was trained on), or `folds:K`.
    #[arg(long, default_value = "bundled", value_parser = parse_prior)]
    pub prior: PriorEval,
}

/// `polcode suggest report` arguments.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Coders to include (repeat; default: all).
    #[arg(long = "coder")]
    pub coders: Vec<String>,
    #[command(flatten)]
    pub output: super::analysis_cmds::Output,
}

/// `polcode devset load` arguments.
#[derive(Debug, clap::Args)]
pub struct DevsetLoadArgs {
    /// The development set (devset.yaml).
    pub devset: PathBuf,
    /// The corpus the set was drawn from (holds docs/ and metadata.csv).
    #[arg(long, value_name = "DIR")]
    pub corpus: PathBuf,
    /// The study to create (must not exist yet).
    #[arg(long, value_name = "STUDY_DIR")]
    pub out: PathBuf,
}

/// `polcode devset load`.
pub fn devset_load(a: DevsetLoadArgs) -> Result<ExitCode> {
    let r = polcode_core::devset::load(&a.devset, &a.corpus, &a.out)?;
    print(&r.summary())?;
    Ok(ExitCode::SUCCESS)
}

fn parse_prior(s: &str) -> Result<PriorEval, String> {
    match s {
        "bundled" => Ok(PriorEval::Bundled),
        "lodo" => Ok(PriorEval::Folds(0)),
        _ => s
            .strip_prefix("folds:")
            .and_then(|k| k.parse().ok())
            .filter(|&k: &usize| k >= 2)
            .map(PriorEval::Folds)
            .ok_or_else(|| format!("{s:?}: expected bundled, lodo or folds:K (K >= 2)")),
    }
}

/// `polcode eval`.
pub fn eval(study: Option<PathBuf>, a: EvalArgs) -> Result<ExitCode> {
    let dir = paths::find_study(study)?;
    let study = Study::open(&dir)?;
    if !a.coders.is_empty() {
        return eval_pair(&study, a);
    }
    let Some(coder) = paths::reading_coder(&dir, a.coder.as_deref())? else {
        bail!("which coder's codings are the reference? pass --coder NAME");
    };
    store::validate_coder(&coder)?;
    let (codings, _) = store::read_anchored(&study.codings_dir(), &coder, &study.docs)?;
    if codings.decisions.is_empty() {
        bail!("coder {coder:?} has no decisions in this study; pass --coder NAME");
    }
    let opts = EvalOpts {
        learning: !a.keywords_only,
        ..EvalOpts::default()
    };
    let format = a.output.format();
    let r = evaluate(&study.codebook, &study.docs, &codings, &opts);
    print_report(&r.render(format, a.output.layout()), format)?;
    Ok(ExitCode::SUCCESS)
}

/// `polcode eval --coders A B`.
fn eval_pair(study: &Study, a: EvalArgs) -> Result<ExitCode> {
    let format = a.output.format();
    if a.coders[0] == a.coders[1] {
        bail!("--coders names {:?} twice; give two coders", a.coders[0]);
    }
    let mut codings = Vec::new();
    for coder in &a.coders {
        store::validate_coder(coder)?;
        let (c, _) = store::read_anchored(&study.codings_dir(), coder, &study.docs)?;
        if c.decisions.is_empty() {
            bail!("coder {coder:?} has no decisions in this study");
        }
        codings.push(c);
    }
    let opts = PairOpts {
        learning: !a.keywords_only,
        prior: a.prior,
        ..PairOpts::default()
    };
    let r = evaluate_pair(
        &study.codebook,
        &study.docs,
        &codings[0],
        &codings[1],
        &opts,
    );
    if r.models.first().is_none_or(|m| m.decided == 0) {
        bail!(
            "coders {:?} and {:?} decided no paragraph in common",
            a.coders[0],
            a.coders[1]
        );
    }
    print_report(&r.render(format, a.output.layout()), format)?;
    Ok(ExitCode::SUCCESS)
}

/// `polcode suggest report`.
pub fn suggest_report(study: Option<PathBuf>, a: ReportArgs) -> Result<ExitCode> {
    let dir = paths::find_study(study)?;
    let study = Study::open(&dir)?;
    let names = paths::study_coders(&study, &a.coders, true)?;
    let mut all = Vec::new();
    for c in &names {
        all.push(store::read_anchored(&study.codings_dir(), c, &study.docs)?.0);
    }
    let refs: Vec<_> = all.iter().collect();
    let format = a.output.format();
    let r = report(&study.codebook, &study.docs, &refs);
    print_report(&r.render(format, a.output.layout()), format)?;
    Ok(ExitCode::SUCCESS)
}
