//! `polcode prior train` (hidden): re-makes the prior shipped with a codebook
//! (`codebooks/<name>.prior.tsv`) from coded studies. See `bench/train_prior.sh`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};

use polcode_core::store;
use polcode_core::study::Study;
use polcode_core::suggest::{prior_data, Engine};

use super::output::print;

/// `polcode prior train` arguments.
#[derive(Debug, clap::Args)]
pub struct PriorTrainArgs {
    /// Where to write the model (TSV).
    #[arg(long, short = 'o')]
    pub out: PathBuf,
    /// Training data: `STUDY_DIR=CODER[+CODER...]`; with several coders, the paragraphs all of
    /// them decided, labelled with the codes they agree on. Repeat for more studies. The
    /// studies must use the same codebook.
    #[arg(required = true)]
    pub from: Vec<String>,
}

/// `polcode prior train`.
pub fn train(a: PriorTrainArgs) -> Result<ExitCode> {
    let mut rows = Vec::new();
    let mut codebook = None;
    let mut summary = String::new();
    for spec in &a.from {
        let Some((dir, coders)) = spec.split_once('=') else {
            bail!("{spec:?}: expected STUDY_DIR=CODER[+CODER...]");
        };
        let study = Study::open(std::path::Path::new(dir))?;
        let mut all = Vec::new();
        for c in coders.split('+') {
            let (cd, _) = store::read_anchored(&study.codings_dir(), c, &study.docs)
                .with_context(|| format!("reading coder {c} in {dir}"))?;
            if cd.decisions.is_empty() {
                bail!("{dir}: coder {c} has no decisions");
            }
            all.push(cd);
        }
        let texts: Vec<&str> = polcode_core::corpus::paragraph_texts(&study.docs).collect();
        let engine = Engine::new(&study.codebook, &texts);
        let refs: Vec<_> = all.iter().collect();
        let got = prior_data::agreed(&study.codebook, &engine, &study.docs, &refs);
        summary.push_str(&format!(
            "{dir}: {} labelled paragraphs ({coders})\n",
            got.len()
        ));
        rows.extend(got);
        match &codebook {
            None => codebook = Some(study.codebook),
            Some(cb) if cb.name != study.codebook.name => {
                bail!(
                    "{dir}: codebook {:?}, expected {:?}",
                    study.codebook.name,
                    cb.name
                )
            }
            Some(_) => {}
        }
    }
    let codebook = codebook.expect("at least one study");
    let prior = prior_data::train(&codebook, &rows, &[], true);
    std::fs::write(&a.out, prior.to_tsv())
        .with_context(|| format!("writing {}", a.out.display()))?;
    print(&format!(
        "{summary}trained on {} paragraphs; wrote {}\n",
        rows.len(),
        super::output::path(&a.out)
    ))?;
    Ok(ExitCode::SUCCESS)
}
