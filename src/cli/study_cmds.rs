//! The study commands: init, import, docs, codebook show/check, check, code/review, demo.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};

use polcode_core::codebook;
use polcode_core::corpus::{Kind, Level, ParaKind};
use polcode_core::ingest::{self, ImportRequest};
use polcode_core::stats::{Cell, Column, Format, Layout, Table};
use polcode_core::store;
use polcode_core::study::Study;
use polcode_tui::run::{run, RunOptions};

use super::output::{print, print_report};
use super::paths;
use super::TuiArgs;

/// `polcode import` arguments.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Files or directories to import.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Metadata CSV, one row per file (columns: file,title,issuer,doc_number,date,level,
    /// province,city,region,kind,topic).
    #[arg(long, value_name = "FILE")]
    pub meta: Option<PathBuf>,
    /// Level for every imported file: national, provincial, municipal, county.
    #[arg(long)]
    pub level: Option<String>,
    /// Province for every imported file (e.g. 山东).
    #[arg(long)]
    pub province: Option<String>,
    /// City for every imported file (e.g. 济南).
    #[arg(long)]
    pub city: Option<String>,
    /// Issuing body for every imported file.
    #[arg(long)]
    pub issuer: Option<String>,
    /// Date (YYYY-MM-DD) for every imported file.
    #[arg(long)]
    pub date: Option<String>,
    /// special (a policy on the topic) or related (mentions it).
    #[arg(long)]
    pub kind: Option<String>,
    /// Force an encoding (utf-8, gb18030, gbk, utf-16le, …) instead of detecting it.
    #[arg(long)]
    pub encoding: Option<String>,
}

/// `polcode init`. Everything is checked before anything is written: an existing study or a
/// codebook that does not load leaves the file system as it was.
pub fn init(dir: Option<PathBuf>, codebook: &str, name: Option<&str>) -> Result<ExitCode> {
    let dir = dir.unwrap_or_else(|| PathBuf::from("."));
    if dir.join(polcode_core::study::CONFIG_FILE).exists() {
        bail!(
            "{} already holds a study ({} exists); nothing was changed",
            dir.display(),
            polcode_core::study::CONFIG_FILE
        );
    }
    let spec = codebook_spec(&dir, codebook)?;
    let study = Study::init(&dir, name, &spec)?;
    print(&format!(
        "Created study {:?} in {} with codebook {} ({} nodes).\nNext: polcode import FILES... --study {}\n",
        study.config.name,
        super::output::path(&dir),
        study.config.codebook,
        study.codebook.nodes.len(),
        super::output::path(&dir)
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// The codebook entry for a new study in `dir`: a bundled name as it is, else a file given
/// relative to the current directory (or, failing that, to `dir`), checked to load and written
/// relative to `dir` so the study can be moved together with its codebook.
fn codebook_spec(dir: &Path, codebook: &str) -> Result<String> {
    if codebook::bundled::get(codebook).is_some() {
        return Ok(codebook.to_string());
    }
    let given = Path::new(codebook);
    let file = if given.is_file() {
        given.to_path_buf()
    } else if dir.join(given).is_file() {
        dir.join(given)
    } else {
        bail!(
            "codebook {codebook:?} is neither a bundled codebook ({}) nor a file; nothing was created",
            codebook::bundled::NAMES.join(", ")
        );
    };
    codebook::load_file(&file).map_err(|e| anyhow::anyhow!("{e} (nothing was created)"))?;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(paths::relative_to(dir, &file)?
        .to_string_lossy()
        .into_owned())
}

/// `polcode import`.
pub fn import(study: Option<PathBuf>, a: ImportArgs) -> Result<ExitCode> {
    let dir = paths::find_study(study)?;
    let mut study = Study::open(&dir)?;
    // A file named on the command line that import cannot read is an error, not a silent skip
    // (directories may hold other files; those are skipped with a warning).
    let (unsupported, paths): (Vec<PathBuf>, Vec<PathBuf>) = a.paths.into_iter().partition(|p| {
        p.exists() && !p.is_dir() && !ingest::SUPPORTED.iter().any(|e| has_extension(p, e))
    });
    let mut req = ImportRequest {
        paths,
        meta: a.meta,
        ..ImportRequest::default()
    };
    let o = &mut req.options;
    if let Some(l) = &a.level {
        o.level = Some(Level::parse(l).with_context(|| {
            format!("unknown level {l:?} (national, provincial, municipal, county)")
        })?);
    }
    if let Some(k) = &a.kind {
        o.kind =
            Some(Kind::parse(k).with_context(|| format!("unknown kind {k:?} (special, related)"))?);
    }
    if let Some(d) = &a.date {
        if !valid_date(d) {
            bail!("--date {d:?} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)");
        }
    }
    if let Some(e) = &a.encoding {
        o.encoding = Some(
            polcode_core::corpus::decode::encoding_by_label(e)
                .with_context(|| format!("unknown encoding {e:?}"))?,
        );
    }
    o.province = a.province;
    o.city = a.city;
    o.issuer = a.issuer;
    o.date = a.date;
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut report = if req.paths.is_empty() {
        ingest::ImportReport::default()
    } else {
        ingest::import_paths(&mut study, &req, &mut |done, total, path| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
            // indicatif writes the message as it is: a file name must not act on the terminal.
            bar.set_message(
                polcode_core::termsafe::escape(&path.display().to_string()).into_owned(),
            );
        })?
    };
    bar.finish_and_clear();
    for p in unsupported {
        report.errors.push(format!(
            "{}: not a document polcode can import (supported: {})",
            p.display(),
            ingest::SUPPORTED.join(", ")
        ));
    }
    print(&report.summary())?;
    Ok(if report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn has_extension(p: &Path, ext: &str) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with a plausible month and day.
fn valid_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| -> Option<u32> {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    match parts.as_slice() {
        [y] => num(y, 4).is_some(),
        [y, m] => num(y, 4).is_some() && num(m, 2).is_some_and(|m| (1..=12).contains(&m)),
        [y, m, d] => {
            num(y, 4).is_some()
                && num(m, 2).is_some_and(|m| (1..=12).contains(&m))
                && num(d, 2).is_some_and(|d| (1..=31).contains(&d))
        }
        _ => false,
    }
}

/// `polcode docs`.
pub fn docs(
    study: Option<PathBuf>,
    coder: Option<&str>,
    format: Format,
    layout: Layout,
) -> Result<ExitCode> {
    let dir = paths::find_study(study)?;
    let study = Study::open(&dir)?;
    let given: Vec<String> = coder.map(str::to_string).into_iter().collect();
    let coders = paths::study_coders(&study, &given, false)?;
    let mut codings = Vec::new();
    for c in &coders {
        let (cd, _) = store::read_anchored(&study.codings_dir(), c, &study.docs)?;
        codings.push(cd);
    }
    let mut cols: Vec<(String, Column)> = vec![
        ("id".into(), Column::label("doc_id")),
        ("title".into(), Column::label("title")),
        ("region".into(), Column::key("region")),
        ("level".into(), Column::key("level").hidden()),
        ("province".into(), Column::key("province")),
        ("date".into(), Column::key("date")),
        ("body".into(), Column::value(None, "body_paragraphs")),
        ("all".into(), Column::value(None, "paragraphs").hidden()),
    ];
    for c in &coders {
        cols.push((
            format!("coded:{c}"),
            Column::value(Some(c), "coded_body_paragraphs").short(c.clone()),
        ));
    }
    let mut t = Table::with_columns(
        "docs",
        format!(
            "{} documents in {}{}",
            study.docs.len(),
            study.config.name,
            if coders.is_empty() {
                String::new()
            } else {
                "; per coder: body paragraphs coded / body paragraphs".to_string()
            }
        ),
        cols,
    );
    for d in &study.docs {
        let body: Vec<_> = d
            .paragraphs
            .iter()
            .filter(|p| p.kind == ParaKind::Body)
            .collect();
        let mut row = vec![
            Cell::text(d.id.clone()),
            Cell::label(d.meta.title.clone(), truncate_chars(&d.meta.title, 30)),
            Cell::text(d.meta.region.clone()),
            Cell::text(d.meta.level.as_str()),
            Cell::text(d.meta.province.clone()),
            Cell::text(d.meta.date.clone()),
            Cell::Int(body.len() as i64),
            Cell::Int(d.paragraphs.len() as i64),
        ];
        for cd in &codings {
            let n = body
                .iter()
                .filter(|p| cd.get(&d.para_id(p.n)).is_some_and(|x| x.is_coded()))
                .count();
            row.push(Cell::Frac {
                num: n as i64,
                den: body.len() as i64,
            });
        }
        t.rows.push(row);
    }
    if study.docs.is_empty() {
        t.notes
            .push("no documents yet: polcode import FILES...".into());
    }
    let text = t.render_with(format, layout);
    print_report(&text, format)?;
    Ok(ExitCode::SUCCESS)
}

fn truncate_chars(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('~');
        t
    }
}

/// Loads the codebook named by `file` (a path or bundled name), or the study's.
fn load_codebook_arg(study: Option<PathBuf>, file: Option<String>) -> Result<codebook::Codebook> {
    match file {
        Some(f) => match codebook::bundled::get(&f) {
            Some(text) => Ok(codebook::load_str(text, &format!("<bundled {f}>"))?),
            None if !Path::new(&f).exists() => bail!(
                "codebook {f:?} is neither a bundled codebook ({}) nor a file",
                codebook::bundled::NAMES.join(", ")
            ),
            None => Ok(codebook::load_file(Path::new(&f))?),
        },
        None => {
            let dir = paths::find_study(study)?;
            Ok(Study::open(&dir)?.codebook)
        }
    }
}

/// `polcode codebook show`.
pub fn codebook_show(
    study: Option<PathBuf>,
    file: Option<String>,
    detail: bool,
) -> Result<ExitCode> {
    let cb = load_codebook_arg(study, file)?;
    print(&codebook::render::render_tree(&cb, detail))?;
    Ok(ExitCode::SUCCESS)
}

/// `polcode codebook check`: every problem with file:line:col.
pub fn codebook_check(study: Option<PathBuf>, file: Option<String>) -> Result<ExitCode> {
    let (text, origin) = match &file {
        Some(f) => match codebook::bundled::get(f) {
            Some(t) => (t.to_string(), format!("<bundled {f}>")),
            None if !Path::new(f).exists() => bail!(
                "codebook {f:?} is neither a bundled codebook ({}) nor a file",
                codebook::bundled::NAMES.join(", ")
            ),
            None => (
                std::fs::read_to_string(f).with_context(|| format!("reading {f}"))?,
                f.clone(),
            ),
        },
        None => {
            let dir = paths::find_study(study)?;
            let cfg = polcode_core::study::read_config(&dir)?;
            match codebook::bundled::get(&cfg.codebook) {
                Some(t) => (t.to_string(), format!("<bundled {}>", cfg.codebook)),
                None => {
                    let p = dir.join(&cfg.codebook);
                    (
                        std::fs::read_to_string(&p)
                            .with_context(|| format!("reading {}", p.display()))?,
                        p.display().to_string(),
                    )
                }
            }
        }
    };
    let problems = codebook::check_str(&text, &origin);
    if problems.is_empty() {
        let cb = codebook::load_str(&text, &origin)?;
        print(&format!(
            "{}: ok ({} nodes)\n",
            polcode_core::termsafe::escape(&origin),
            cb.nodes.len()
        ))?;
        Ok(ExitCode::SUCCESS)
    } else {
        let mut out = String::new();
        // A problem quotes the id or text it refuses: one escaped line each.
        for p in &problems {
            out.push_str(&format!(
                "{}\n",
                polcode_core::termsafe::escape(&p.to_string())
            ));
        }
        out.push_str(&format!("{} problem(s)\n", problems.len()));
        print(&out)?;
        Ok(ExitCode::from(1))
    }
}

/// `polcode check`: reports every problem found in the study, changing nothing.
pub fn check(study: Option<PathBuf>) -> Result<ExitCode> {
    let dir = paths::find_study(study)?;
    let report = polcode_core::check::check_study(&dir);
    print(&report.render())?;
    Ok(if report.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `polcode reanchor`.
pub fn reanchor(study: Option<PathBuf>) -> Result<ExitCode> {
    let dir = paths::find_study(study)?;
    let study = Study::open(&dir)?;
    let r = ingest::reanchor_all(&study);
    let mut out = String::new();
    for (coder, a) in &r.done {
        out.push_str(&format!("codings of {coder}: {}\n", a.summary()));
    }
    for coder in &r.fitting {
        out.push_str(&format!(
            "codings of {coder}: every decision sits on the text it was made on\n"
        ));
    }
    for w in &r.open_sessions {
        out.push_str(&format!("note: {}\n", polcode_core::termsafe::escape(w)));
    }
    print(&out)?;
    for e in &r.errors {
        super::output::eprint(&format!("error: {}\n", polcode_core::termsafe::escape(e)))?;
    }
    Ok(if r.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `polcode code` / `polcode review`.
pub fn code(study: Option<PathBuf>, a: TuiArgs, review: bool) -> Result<ExitCode> {
    let dir = paths::find_study(study)?;
    run_tui(dir, a, review, Vec::new())
}

/// `polcode sample` arguments.
#[derive(Debug, clap::Args)]
pub struct SampleArgs {
    /// The coder who double-codes the sample.
    #[arg(long)]
    pub coder: String,
    /// Share of the study's body paragraphs (0 to 1).
    #[arg(long, default_value_t = 0.1)]
    pub share: f64,
    /// Strata, comma-separated: region, level, province, year, kind, document (default:
    /// none, a simple random sample).
    #[arg(long, value_delimiter = ',')]
    pub stratify: Vec<String>,
    /// Seed (the same seed on the same documents draws the same sample).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Replace the coder's existing sample.
    #[arg(long)]
    pub redraw: bool,
}

/// `polcode sample --coder NAME --share S [--stratify a,b] [--seed N]`.
pub fn sample(study: Option<PathBuf>, a: SampleArgs) -> Result<ExitCode> {
    use polcode_core::stats::By;
    let dir = paths::find_study(study)?;
    store::validate_coder(&a.coder)?;
    if !(a.share > 0.0 && a.share <= 1.0) {
        bail!("--share must be above 0 and at most 1 (0.1 = 10% of the body paragraphs)");
    }
    let mut by = Vec::new();
    for s in &a.stratify {
        match By::parse(s.trim()) {
            Some(b) => by.push(b),
            None => bail!("unknown stratum {s:?} (region, level, province, year, kind, document)"),
        }
    }
    if let Some(old) = polcode_core::sample::load(&dir, &a.coder)? {
        if !a.redraw {
            bail!(
                "coder {:?} already has a sample of {} paragraphs (seed {}, drawn {}); --redraw \
                 replaces it",
                a.coder,
                old.paragraphs.len(),
                old.seed,
                old.drawn
            );
        }
    }
    let study = Study::open(&dir)?;
    if study.is_derived(&a.coder) {
        bail!(
            "coder {:?} is a consensus derived from others; a sample is for a coder who codes",
            a.coder
        );
    }
    let (ids, strata) = polcode_core::sample::draw(&study, a.share, &by, a.seed);
    let s = polcode_core::sample::Sample {
        coder: a.coder.clone(),
        share: a.share,
        stratify: a.stratify.iter().map(|s| s.trim().to_string()).collect(),
        seed: a.seed,
        drawn: polcode_core::fsutil::now_rfc3339(),
        population: polcode_core::sample::population(&study),
        hashes: ids
            .iter()
            .map(|id| {
                study
                    .paragraph(id)
                    .map_or_else(String::new, |r| r.para.hash.clone())
            })
            .collect(),
        paragraphs: ids,
    };
    polcode_core::sample::save(&dir, &s)?;
    print(&format!(
        "sample for {}: {} of {} body paragraphs ({:.1}%){}, seed {}\nsaved to {}\ncode it with \
         `polcode code --coder {} --sample` (blind: no other coder's codes are shown); follow \
         agreement with `polcode agree --sample`\n",
        s.coder,
        s.paragraphs.len(),
        s.population,
        100.0 * s.paragraphs.len() as f64 / s.population.max(1) as f64,
        if by.is_empty() {
            String::new()
        } else {
            format!(
                ", stratified by {} ({strata} strata)",
                s.stratify.join(" × ")
            )
        },
        s.seed,
        super::output::path(&polcode_core::sample::path(&dir, &s.coder)),
        s.coder,
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// `polcode reconcile A B [C...] --into NAME`.
pub fn reconcile(
    study: Option<PathBuf>,
    coders: Vec<String>,
    into: String,
    a: TuiArgs,
) -> Result<ExitCode> {
    let dir = paths::find_study(study)?;
    if coders.contains(&into) {
        bail!("--into must name a new consensus coder, not one of the coders being reconciled");
    }
    for c in &coders {
        store::validate_coder(c)?;
    }
    store::validate_coder(&into)?;
    // A consensus is derived: say so when the name already holds codings that were not
    // (a consensus made before 0.2, or a coder of their own).
    let config = polcode_core::study::read_config(&dir)?;
    let codings = polcode_core::study::Study::codings_dir_of(&dir);
    let has_own = ["yaml", "journal"]
        .iter()
        .any(|ext| codings.join(format!("{into}.{ext}")).is_file());
    if has_own && !config.derived.contains_key(&into) {
        super::output::warn(&format!(
            "coder {into:?} already has codings; it is marked as a consensus derived from {} \
             and left out of pooled tables unless named with --coder",
            coders.join(", ")
        ))?;
    }
    let a = TuiArgs {
        coder: Some(into),
        ..a
    };
    run_tui(dir, a, false, coders)
}

fn require_terminal() -> Result<()> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        bail!("the coding screen needs a terminal (stdin and stdout must be a tty)");
    }
    Ok(())
}

fn run_tui(dir: PathBuf, a: TuiArgs, review: bool, reconcile: Vec<String>) -> Result<ExitCode> {
    // The name first: asking for it is a plain line on stdin, before the screen takes over.
    let coder = paths::session_coder(&dir, a.coder.as_deref())?;
    let sample = if a.sample {
        let s = polcode_core::sample::load(&dir, &coder)?.with_context(|| {
            format!(
                "coder {coder:?} has no double-coding sample; draw one with `polcode sample \
                 --coder {coder} --share 0.1`"
            )
        })?;
        // Found in the documents by the session (re-anchored by text, as decisions are).
        Some(s)
    } else {
        None
    };
    require_terminal()?;
    run(RunOptions {
        study_dir: dir,
        coder,
        read_only: a.read_only,
        theme: a.theme,
        ascii: a.ascii,
        review,
        config_dir: paths::config_dir(),
        reconcile,
        sample,
    })?;
    Ok(ExitCode::SUCCESS)
}

/// `polcode` with no command: the study here, else the demo.
pub fn code_default(study: Option<PathBuf>) -> Result<ExitCode> {
    // Before creating the demo: `polcode` in a pipe should leave no trace.
    require_terminal()?;
    let cwd = std::env::current_dir()?;
    let dir = match study.or_else(|| paths::find_upwards(&cwd)) {
        Some(d) => d,
        None => polcode_core::demo::ensure(&paths::data_dir()?)?,
    };
    let args = TuiArgs {
        coder: None,
        read_only: false,
        theme: "dark".into(),
        ascii: false,
        sample: false,
    };
    run_tui(dir, args, false, Vec::new())
}

/// `polcode demo`.
pub fn demo(reset: bool) -> Result<ExitCode> {
    let data = paths::data_dir()?;
    if reset {
        polcode_core::demo::remove(&data)?;
    }
    let dir = polcode_core::demo::ensure(&data)?;
    print(&format!("{}\n", super::output::path(&dir)))?;
    Ok(ExitCode::SUCCESS)
}
