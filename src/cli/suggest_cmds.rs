//! Suggestion quality commands: `polcode eval` and `polcode suggest report`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};

use polcode::store;
use polcode::study::Study;
use polcode::suggest::{evaluate, report, EvalOpts};

use super::output::print;
use super::paths;

/// `polcode eval` arguments.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// The coder whose codings are the reference (default: $POLCODE_CODER, $USER, then the
    /// coder remembered for the study).
    #[arg(long)]
    pub coder: Option<String>,
    /// Output: text, csv, json.
    #[arg(long, short = 'f', default_value = "text")]
    pub format: String,
    /// Keywords only (skip the learned model, which needs jieba).
    #[arg(long)]
    pub keywords_only: bool,
}

/// `polcode suggest report` arguments.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Coders to include (repeat; default: all).
    #[arg(long = "coder")]
    pub coders: Vec<String>,
    /// Output: text or csv.
    #[arg(long, short = 'f', default_value = "text")]
    pub format: String,
}

/// `polcode eval`.
pub fn eval(study: Option<PathBuf>, a: EvalArgs) -> Result<ExitCode> {
    let dir = paths::find_study(study)?;
    let study = Study::open(&dir)?;
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
    let r = evaluate(&study.codebook, &study.docs, &codings, &opts);
    let text = match a.format.as_str() {
        "text" => r.to_table(),
        "csv" => r.to_csv(),
        "json" => r.to_json(),
        other => bail!("unknown format {other:?} (text, csv, json)"),
    };
    print(&text)?;
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
    let r = report(&study.codebook, &study.docs, &refs);
    let text = match a.format.as_str() {
        "text" => r.to_table(),
        "csv" => r.to_csv(),
        other => bail!("unknown format {other:?} (text, csv)"),
    };
    print(&text)?;
    Ok(ExitCode::SUCCESS)
}
