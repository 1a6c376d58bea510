//! Analysis commands: `stats` (tallies, coverage, rubric scores), `freq`, `search`, `chart` and
//! `agree`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};

use polcode::stats::chart::render::{svg_text, Fonts};
use polcode::stats::chart::{coverage_chart, refs_chart, ChartOpts, Lang};
use polcode::stats::compare::compare;
use polcode::stats::coverage::{Aggregate, Coverage};
use polcode::stats::freq::{freq_table, FreqOptions, WordFreq};
use polcode::stats::rubric::Rubric;
use polcode::stats::{render_tables, study_groups, By, Format, Layout, Pool, Tally};
use polcode::store::{self, Codings};
use polcode::study::Study;

use super::output::print as print_text;
use super::output::{print_data, print_report, Data};
use super::paths;

/// How tables are laid out as text and Markdown (CSV is always tidy, JSON always whole).
#[derive(Debug, Clone, clap::Args)]
pub struct LayoutArgs {
    /// The full layout: every column under its full header, node ids, nothing cut.
    #[arg(long)]
    pub wide: bool,
    /// Fit text tables to this many columns (default: the terminal's width, or 120 when
    /// standard output is not a terminal).
    #[arg(long, value_name = "COLUMNS")]
    pub width: Option<usize>,
}

impl LayoutArgs {
    /// The layout these flags ask for.
    pub fn layout(&self) -> Layout {
        super::output::layout(self.wide, self.width)
    }
}

/// Options shared by the analysis commands.
#[derive(Debug, Clone, clap::Args)]
pub struct Common {
    /// Coders to include (repeat; default: every coder of the study).
    #[arg(long = "coder")]
    pub coders: Vec<String>,
    /// How several coders combine: pooled (NVivo: one reference per coder) or union.
    #[arg(long, default_value = "pooled")]
    pub pool: String,
    /// Break down by region, level, province, year, kind, document, or none.
    #[arg(long, default_value = "region")]
    pub by: String,
    /// Output: text, csv (tidy: one row per figure), md, json.
    #[arg(long, short = 'f', default_value = "text")]
    pub format: String,
    #[command(flatten)]
    pub layout: LayoutArgs,
}

/// `polcode stats` arguments.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub common: Common,
    /// What to report: tally (documents and reference points), coverage, rubric, all.
    #[arg(long, default_value = "all")]
    pub what: String,
}

/// `polcode freq` arguments.
#[derive(Debug, clap::Args)]
pub struct FreqArgs {
    /// Break down by region, level, province, year, kind, document, or none.
    #[arg(long, default_value = "none")]
    pub by: String,
    /// Words per group.
    #[arg(long, default_value_t = 50)]
    pub top: usize,
    /// Minimum word length in characters.
    #[arg(long, default_value_t = 2)]
    pub min_len: usize,
    /// Output: text, csv (tidy), md, json.
    #[arg(long, short = 'f', default_value = "text")]
    pub format: String,
    #[command(flatten)]
    pub layout: LayoutArgs,
}

/// `polcode search` arguments.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// Literal text; `|` between alternatives (`\|` for a bar itself).
    pub pattern: String,
    /// Treat PATTERN as a regular expression (Rust regex syntax).
    #[arg(long, short = 'r')]
    pub regex: bool,
    /// Only hits that start and end on jieba word boundaries (codebook keywords and the
    /// study dictionary kept whole).
    #[arg(long = "words", short = 'w')]
    pub whole_words: bool,
    /// Add every member of the study's synonym groups (polcode.yaml `synonyms`) an
    /// alternative belongs to.
    #[arg(long, short = 's')]
    pub synonyms: bool,
    /// ASCII letters match either case.
    #[arg(long, short = 'i')]
    pub ignore_case: bool,
    /// Count documents and paragraphs with hits per region, level, province, year, kind,
    /// document or none, instead of listing the hits.
    #[arg(long)]
    pub by: Option<String>,
    /// Characters of context either side of a hit.
    #[arg(long, default_value_t = 15)]
    pub context: usize,
    /// Search headings and non-body lines too (the coding screen visits body paragraphs).
    #[arg(long)]
    pub all: bool,
    /// Output: text, csv, md, json.
    #[arg(long, short = 'f', default_value = "text")]
    pub format: String,
}

/// `polcode chart` arguments (no `--format`: SVG, or PNG with `--png` or `-o FILE.png`).
#[derive(Debug, clap::Args)]
pub struct ChartArgs {
    /// Coders to include (repeat; default: every coder of the study).
    #[arg(long = "coder")]
    pub coders: Vec<String>,
    /// How several coders combine: pooled (NVivo: one reference per coder) or union.
    #[arg(long, default_value = "pooled")]
    pub pool: String,
    /// Groups along the x axis: region, level, province, year, kind, document, or none.
    #[arg(long, default_value = "region")]
    pub by: String,
    /// coverage (mean of document coverages) or refs (reference points).
    #[arg(long, default_value = "coverage")]
    pub metric: String,
    /// Show the children of this node instead of the top-level nodes.
    #[arg(long)]
    pub children_of: Option<String>,
    /// Output file, SVG or (ending in .png) PNG (default: SVG on standard output).
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Language of every word on the chart: zh or en (node, region and axis names).
    #[arg(long, default_value = "zh")]
    pub lang: String,
    /// A font file (.ttf, .otf) to draw the text with: embedded in the SVG, or used for the
    /// PNG and --text-to-paths (default: the fonts installed).
    #[arg(long, value_name = "FILE")]
    pub font: Option<PathBuf>,
    /// SVG with the text converted to outlines: looks the same wherever it is opened, with no
    /// font installed.
    #[arg(long)]
    pub text_to_paths: bool,
    /// PNG instead of SVG (implied by -o FILE.png), rendered in-process.
    #[arg(long)]
    pub png: bool,
    /// PNG pixels per SVG pixel (2 suits print).
    #[arg(long, default_value_t = 2.0)]
    pub scale: f32,
    /// No value over each bar.
    #[arg(long)]
    pub no_values: bool,
}

/// `polcode agree` arguments.
#[derive(Debug, clap::Args)]
pub struct AgreeArgs {
    /// Two or more coders.
    #[arg(required = true, num_args = 2..)]
    pub coders: Vec<String>,
    /// Output: text, csv, md, json.
    #[arg(long, short = 'f', default_value = "text")]
    pub format: String,
    /// Also list the paragraphs the coders disagree on.
    #[arg(long)]
    pub list: bool,
    #[command(flatten)]
    pub layout: LayoutArgs,
}

struct Loaded {
    study: Study,
    codings: Vec<Codings>,
}

fn load(study: Option<PathBuf>, coders: &[String]) -> Result<Loaded> {
    let dir = paths::find_study(study)?;
    let study = Study::open(&dir)?;
    let names = paths::study_coders(&study, coders, true)?;
    let mut codings = Vec::new();
    for (cd, warnings) in store::read_codings_many(&study.codings_dir(), &names, &study.docs)? {
        for w in warnings {
            super::output::warn(&w)?;
        }
        codings.push(cd);
    }
    Ok(Loaded { study, codings })
}

fn parse_format(s: &str) -> Result<Format> {
    Format::parse(s).with_context(|| format!("unknown format {s:?} (text, csv, md, json)"))
}

fn parse_by(s: &str) -> Result<By> {
    By::parse(s).with_context(|| {
        format!("unknown grouping {s:?} (region, level, province, year, kind, document, none)")
    })
}

fn parse_pool(s: &str) -> Result<Pool> {
    match s {
        "pooled" => Ok(Pool::Pooled),
        "union" => Ok(Pool::Union),
        _ => bail!("unknown pooling {s:?} (pooled, union)"),
    }
}

/// `polcode stats`.
pub fn stats(study: Option<PathBuf>, a: StatsArgs) -> Result<ExitCode> {
    let format = parse_format(&a.common.format)?;
    let by = parse_by(&a.common.by)?;
    let pool = parse_pool(&a.common.pool)?;
    if !["all", "tally", "coverage", "rubric"].contains(&a.what.as_str()) {
        bail!("unknown --what {:?} (tally, coverage, rubric, all)", a.what);
    }
    let l = load(study, &a.common.coders)?;
    let refs: Vec<&Codings> = l.codings.iter().collect();
    let (cb, docs) = (&l.study.codebook, &l.study.docs);
    let mut tables = Vec::new();
    let want = |w: &str| a.what == "all" || a.what == w;
    // Tallies and coverage are independent passes over every decision: one thread each.
    let (tally, coverage) = std::thread::scope(|s| {
        let cov = s.spawn(|| {
            want("coverage").then(|| {
                let c = Coverage::build(cb, docs, study_groups(&l.study, by), &refs, pool);
                Aggregate::ALL.map(|agg| c.table(cb, agg))
            })
        });
        let tally = want("tally")
            .then(|| Tally::build(cb, docs, study_groups(&l.study, by), &refs, pool).table(cb));
        (tally, cov.join())
    });
    tables.extend(tally);
    let coverage = coverage.unwrap_or_else(|p| std::panic::resume_unwind(p));
    tables.extend(coverage.into_iter().flatten());
    let has_scales = cb.nodes.iter().any(|n| n.scale.is_some());
    if a.what == "rubric" && !has_scales {
        bail!(
            "codebook {:?} has no node with a scale, so there are no rubric scores \
             (planning-quality is a rubric codebook)",
            cb.name
        );
    }
    if want("rubric") && has_scales {
        tables.push(Rubric::build(cb, docs, study_groups(&l.study, by), &refs).table(cb));
    }
    print_report(
        &render_tables(&tables, format, a.common.layout.layout()),
        format,
    )?;
    // The process exits next: freeing a large study item by item (hundreds of thousands of
    // paragraphs and decisions) takes longer than letting the OS reclaim it at once.
    std::mem::forget(l);
    Ok(ExitCode::SUCCESS)
}

/// `polcode freq`.
pub fn freq(study: Option<PathBuf>, a: FreqArgs) -> Result<ExitCode> {
    let format = parse_format(&a.format)?;
    let by = parse_by(&a.by)?;
    let dir = paths::find_study(study)?;
    let study = Study::open(&dir)?;
    let opts = FreqOptions::from_config(&study.config, a.min_len, a.top);
    let wf = WordFreq::new(&study.codebook, &study.config.dictionary, &study.docs);
    let groups = study_groups(&study, by);
    let counted = wf.count(&study.docs, &groups, &opts);
    print_report(
        &freq_table(&counted, &opts).render_with(format, a.layout.layout()),
        format,
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `polcode search PATTERN`: keyword in context, or counts per group with `--by`.
pub fn search(study: Option<PathBuf>, a: SearchArgs) -> Result<ExitCode> {
    use polcode::search::{report, search, Matcher, Scope, Spec};
    let format = parse_format(&a.format)?;
    let by = a.by.as_deref().map(parse_by).transpose()?;
    let dir = paths::find_study(study)?;
    let study = Study::open(&dir)?;
    let spec = Spec {
        pattern: a.pattern.clone(),
        regex: a.regex,
        whole_words: a.whole_words,
        synonyms: a.synonyms,
        ignore_case: a.ignore_case,
    };
    let m = Matcher::for_study(&spec, &study)?;
    let scope = if a.all { Scope::All } else { Scope::Body };
    let hits = search(&study.docs, &m, scope);
    let mut shown = spec.display();
    if spec.synonyms {
        shown = format!("{shown} (= {})", m.alternatives.join("|"));
    }
    if by.is_none() && format == Format::Text {
        // A concordance grouped by document fits a terminal; the table form would repeat the
        // long document ids on every line.
        print_text(&report::kwic_text(&study, &hits, &shown, scope, a.context))?;
        return Ok(ExitCode::SUCCESS);
    }
    let table = match by {
        Some(by) => report::by_table(&study, &hits, &shown, scope, by),
        None => report::kwic_table(&study, &hits, &shown, scope, a.context, format),
    };
    print_report(&table.render(format), format)?;
    Ok(ExitCode::SUCCESS)
}

/// `polcode chart`: an SVG grouped bar chart of tool use by group.
pub fn chart(study: Option<PathBuf>, a: ChartArgs) -> Result<ExitCode> {
    let by = parse_by(&a.by)?;
    let pool = parse_pool(&a.pool)?;
    let l = load(study, &a.coders)?;
    let refs: Vec<&Codings> = l.codings.iter().collect();
    let (cb, docs) = (&l.study.codebook, &l.study.docs);
    let parent = match &a.children_of {
        Some(id) => Some(
            cb.index(id)
                .with_context(|| format!("no node {id:?} in the codebook"))?,
        ),
        None => None,
    };
    let lang =
        Lang::parse(&a.lang).with_context(|| format!("unknown --lang {:?} (zh, en)", a.lang))?;
    let opts = ChartOpts {
        parent,
        lang,
        scheme: &l.study.scheme,
    };
    let mut chart = match a.metric.as_str() {
        "coverage" => {
            let cov = Coverage::build(cb, docs, study_groups(&l.study, by), &refs, pool);
            coverage_chart(cb, &cov, Aggregate::MeanOfDocs, opts)
        }
        "refs" | "references" => {
            let t = Tally::build(cb, docs, study_groups(&l.study, by), &refs, pool);
            refs_chart(cb, &t, opts)
        }
        other => bail!("unknown metric {other:?} (coverage, refs)"),
    };
    chart.value_labels = !a.no_values;
    let png = a.png
        || a.output
            .as_ref()
            .is_some_and(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("png")));
    let bytes: Vec<u8> = if png || a.text_to_paths {
        let mut fonts = Fonts::system();
        if let Some(f) = &a.font {
            let family = fonts.add_file(f)?;
            chart.font_family = format!("'{family}', {}", chart.font_family);
        }
        let svg = chart.to_svg();
        let missing = fonts.missing(&svg_text(&svg));
        if !missing.is_empty() {
            let chars: String = missing.iter().take(12).collect();
            bail!(
                "no font here can draw {chars:?}: install a Chinese font (Debian/Ubuntu: \
                 apt-get install fonts-noto-cjk) or pass --font FILE (or --lang en)"
            );
        }
        if png {
            fonts.to_png(&svg, a.scale)?
        } else {
            fonts.text_to_paths(&svg)?.into_bytes()
        }
    } else {
        if let Some(f) = &a.font {
            let data = std::fs::read(f).with_context(|| format!("reading {}", f.display()))?;
            if data.starts_with(b"ttcf") {
                bail!(
                    "{}: a font collection (.ttc) cannot be embedded in an SVG (viewers do not \
                     read them): give a .ttf or .otf, or use --text-to-paths",
                    f.display()
                );
            }
            let mut probe = Fonts::none();
            let family = probe
                .add_data(data.clone())
                .with_context(|| format!("{}: not a font file (.ttf, .otf)", f.display()))?;
            chart.embedded_font = Some((family, data));
        }
        chart.to_svg().into_bytes()
    };
    match &a.output {
        Some(p) => {
            polcode::fsutil::atomic_write(p, &bytes)
                .with_context(|| format!("writing {}", p.display()))?;
            super::output::eprint(&format!(
                "wrote {}\n",
                polcode::termsafe::escape(&p.display().to_string())
            ))?;
        }
        None if png => super::output::print_binary(&bytes)?,
        None => print_data(&bytes, Data::Text)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `polcode agree CODER CODER...`.
pub fn agree(study: Option<PathBuf>, a: AgreeArgs) -> Result<ExitCode> {
    let format = parse_format(&a.format)?;
    let l = load(study, &a.coders)?;
    let refs: Vec<&Codings> = l.codings.iter().collect();
    let report = compare(&l.study.codebook, &l.study.docs, &refs);
    let mut tables = vec![report.table(&l.study.codebook)];
    if l.study.codebook.nodes.iter().any(|n| n.scale.is_some()) {
        tables.push(report.score_table(&l.study.codebook));
    }
    if a.list {
        tables.push(report.disagreement_table(&l.study.docs));
    }
    print_report(&render_tables(&tables, format, a.layout.layout()), format)?;
    // As in `stats`: the OS frees a large study faster than item-by-item drops.
    std::mem::forget(l);
    Ok(ExitCode::SUCCESS)
}
