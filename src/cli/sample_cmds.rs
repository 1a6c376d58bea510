//! `polcode sample`: draw a blind double-coding sample for a coder, or show how far it is coded
//! (see `polcode::sample`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};
use clap::Args;
use unicode_width::UnicodeWidthStr;

use polcode::sample::{self, Sample};
use polcode::study::Study;
use polcode::termsafe::escape;

use super::output::print;
use super::paths;

#[derive(Args, Debug)]
pub struct SampleArgs {
    /// The second coder, who codes the sample blind.
    #[arg(long)]
    coder: String,
    /// Share of the body paragraphs to draw, above 0 and at most 1 (e.g. 0.1). Without it,
    /// the coder's sample is shown with its progress.
    #[arg(long)]
    share: Option<f64>,
    /// Document fields the strata are made of: region, level, province, year, kind
    /// (comma-separated; every stratum gets max(1, round(share x N)) paragraphs).
    #[arg(long, default_value = "region,level")]
    stratify: String,
    /// Seed of the draw: the same study, seed, share and strata draw the same paragraphs.
    /// Default: taken from the clock and printed.
    #[arg(long)]
    seed: Option<u64>,
    /// Replace a sample already drawn for this coder (its decisions are kept).
    #[arg(long)]
    replace: bool,
}

pub fn sample(study: Option<PathBuf>, a: SampleArgs) -> Result<ExitCode> {
    let dir = paths::find_study(study)?;
    let study = Study::open(&dir)?;
    polcode::store::validate_coder(&a.coder)?;
    let existing = sample::load(&dir, &a.coder)?;
    let Some(share) = a.share else {
        let Some(s) = existing else {
            bail!(
                "no sample drawn for {}: draw one with `polcode sample --coder {} --share 0.1`",
                escape(&a.coder),
                escape(&a.coder)
            );
        };
        print(&describe(&s, progress(&study, &s)?))?;
        return Ok(ExitCode::SUCCESS);
    };
    if existing.is_some() && !a.replace {
        bail!(
            "{} already has a sample ({}); add --replace to draw a new one",
            escape(&a.coder),
            sample::path(&dir, &a.coder).display()
        );
    }
    let by = sample::parse_stratify(&a.stratify).map_err(anyhow::Error::msg)?;
    let seed = a.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
    });
    let s = sample::draw(&study, &a.coder, share, &by, seed).map_err(anyhow::Error::msg)?;
    let path = sample::save(&dir, &s)?;
    let mut out = describe(&s, progress(&study, &s)?);
    out.push_str(&format!(
        "saved to {}\ncode it blind with: polcode code --coder {} --sample\n",
        path.display(),
        escape(&s.coder)
    ));
    print(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// How many sampled paragraphs the coder has decided.
fn progress(study: &Study, s: &Sample) -> Result<usize> {
    let (codings, _) = polcode::store::read_anchored(&study.codings_dir(), &s.coder, &study.docs)?;
    let ids = s.ids();
    Ok(codings
        .decisions
        .keys()
        .filter(|p| ids.contains(p.as_str()))
        .count())
}

fn describe(s: &Sample, decided: usize) -> String {
    let mut out = format!(
        "sample for {}: {} paragraphs ({:.1}% of {} body paragraphs), seed {}, strata: {}\n",
        escape(&s.coder),
        s.paragraphs.len(),
        100.0 * s.paragraphs.len() as f64
            / s.strata.iter().map(|t| t.paragraphs).sum::<usize>().max(1) as f64,
        s.strata.iter().map(|t| t.paragraphs).sum::<usize>(),
        s.seed,
        if s.stratify.is_empty() {
            "none".to_string()
        } else {
            s.stratify.join(", ")
        }
    );
    // Padded by display width: Chinese region names take two columns a character.
    let pad = |k: &str, w: usize| format!("{k}{}", " ".repeat(w.saturating_sub(k.width())));
    let keys: Vec<String> = s
        .strata
        .iter()
        .map(|t| escape(&t.key).into_owned())
        .collect();
    let w = keys.iter().map(|k| k.width()).max().unwrap_or(0).max(7);
    out.push_str(&format!(
        "  {}  {:>10}  {:>7}\n",
        pad("stratum", w),
        "paragraphs",
        "drawn"
    ));
    for (t, k) in s.strata.iter().zip(&keys) {
        out.push_str(&format!(
            "  {}  {:>10}  {:>7}\n",
            pad(k, w),
            t.paragraphs,
            t.drawn
        ));
    }
    out.push_str(&format!(
        "decided by {} so far: {decided} of {}\nrule: {}\n",
        escape(&s.coder),
        s.paragraphs.len(),
        s.rule
    ));
    out
}
