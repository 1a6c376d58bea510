//! Analysis commands: `stats` (tallies, coverage, rubric scores), `freq`, `search`, `chart` and
//! `agree`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};

use polcode_core::stats::chart::render::{svg_text, Fonts};
use polcode_core::stats::chart::{coverage_chart, refs_chart, ChartOpts, Lang};
use polcode_core::stats::coverage::{Aggregate, Coverage};
use polcode_core::stats::freq::{freq_table, FreqOptions, WordFreq};
use polcode_core::stats::rubric::Rubric;
use polcode_core::stats::{render_tables, study_groups, By, Format, Layout, Pool, Tally};
use polcode_core::store::{self, Codings};
use polcode_core::study::Study;

use super::output::print as print_text;
use super::output::{print_data, print_report, Data};
use super::paths;
use super::values::{ByArg, FormatArg, LangArg, MetricArg, PoolArg, ScopeArg, WhatArg};

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

/// `--format` with the layout flags, as every command that prints tables takes them. `search`
/// keeps a `--format` of its own: it has no use for the layout flags, and without `--by` its
/// CSV is one row per hit, not tidy figures.
#[derive(Debug, Clone, clap::Args)]
pub struct Output {
    /// Output: text, csv (tidy: one row per figure, full precision), md, json (full precision).
    #[arg(
        long,
        short = 'f',
        value_enum,
        ignore_case = true,
        default_value = "text"
    )]
    pub format: FormatArg,
    #[command(flatten)]
    pub layout: LayoutArgs,
}

impl Output {
    /// The format asked for.
    pub fn format(&self) -> Format {
        self.format.into()
    }

    /// The layout asked for.
    pub fn layout(&self) -> Layout {
        self.layout.layout()
    }
}

/// Options shared by the analysis commands.
#[derive(Debug, Clone, clap::Args)]
pub struct Common {
    /// Coders to include (repeat; default: every coder of the study).
    #[arg(long = "coder")]
    pub coders: Vec<String>,
    /// How several coders combine: pooled (NVivo: one reference per coder) or union.
    #[arg(long, value_enum, default_value = "pooled")]
    pub pool: PoolArg,
    /// Break down by region, level, province, year, kind, document, or none.
    #[arg(long, value_enum, ignore_case = true, default_value = "region")]
    pub by: ByArg,
    #[command(flatten)]
    pub output: Output,
}

/// `polcode stats` arguments.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub common: Common,
    /// What to report: tally (documents and reference points), coverage, rubric, all.
    #[arg(long, value_enum, default_value = "all")]
    pub what: WhatArg,
}

/// `polcode freq` arguments.
#[derive(Debug, clap::Args)]
pub struct FreqArgs {
    /// Break down by region, level, province, year, kind, document, or none.
    #[arg(long, value_enum, ignore_case = true, default_value = "none")]
    pub by: ByArg,
    /// Words per group.
    #[arg(long, default_value_t = 50)]
    pub top: usize,
    /// Minimum word length in characters.
    #[arg(long, default_value_t = 2)]
    pub min_len: usize,
    #[command(flatten)]
    pub output: Output,
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
    #[arg(long, value_enum, ignore_case = true)]
    pub by: Option<ByArg>,
    /// Characters of context either side of a hit.
    #[arg(long, default_value_t = 15)]
    pub context: usize,
    /// Search headings and non-body lines too (the coding screen visits body paragraphs).
    #[arg(long)]
    pub all: bool,
    /// Output: text, csv, md, json.
    #[arg(
        long,
        short = 'f',
        value_enum,
        ignore_case = true,
        default_value = "text"
    )]
    pub format: FormatArg,
}

/// `polcode chart` arguments (no `--format`: SVG, or PNG with `--png` or `-o FILE.png`).
#[derive(Debug, clap::Args)]
pub struct ChartArgs {
    /// Coders to include (repeat; default: every coder of the study).
    #[arg(long = "coder")]
    pub coders: Vec<String>,
    /// How several coders combine: pooled (NVivo: one reference per coder) or union.
    #[arg(long, value_enum, default_value = "pooled")]
    pub pool: PoolArg,
    /// Groups along the x axis: region, level, province, year, kind, document, or none.
    #[arg(long, value_enum, ignore_case = true, default_value = "region")]
    pub by: ByArg,
    /// coverage (mean of document coverages) or refs (reference points).
    #[arg(long, value_enum, default_value = "coverage")]
    pub metric: MetricArg,
    /// Show the children of this node instead of the top-level nodes.
    #[arg(long)]
    pub children_of: Option<String>,
    /// Output file, SVG or (ending in .png) PNG (default: SVG on standard output).
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Language of every word on the chart: zh or en (node, region and axis names).
    #[arg(long, value_enum, ignore_case = true, default_value = "zh")]
    pub lang: LangArg,
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
#[command(after_long_help = AGREE_HELP)]
pub struct AgreeArgs {
    /// Two or more coders (a derived coder such as a consensus may be named too). With
    /// --sample they may be left out: every coder with a sample and the study's coders.
    #[arg(required_unless_present = "sample", num_args = 2..)]
    pub coders: Vec<String>,
    /// Only the paragraphs of the double-coding samples (`polcode sample`) of these coders
    /// (of every sampled coder when none are named): agreement on the overlap so far.
    #[arg(long)]
    pub sample: bool,
    // With `--wide`, every column: full node labels, units every coder rated, interval bounds
    // in two columns, the reason in each undefined cell.
    #[command(flatten)]
    pub output: Output,
    /// Also list the paragraphs the coders disagree on.
    #[arg(long)]
    pub list: bool,
    /// Which paragraphs a coder has rated: `decided` (those they coded or marked no-code;
    /// the others are missing) or `document` (every body paragraph of each document they
    /// decided anything in; the convention before 0.2).
    #[arg(long, value_enum, default_value = "decided")]
    pub scope: ScopeArg,
    /// Bootstrap replicates for the 95% intervals of α (0: none).
    #[arg(long, default_value_t = 1000)]
    pub bootstrap: usize,
    /// Seed of the bootstrap (the same seed gives the same intervals).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// The conventions of `polcode agree`, with a worked example (`--help`).
pub const AGREE_HELP: &str = "\
Conventions:
  unit        a body paragraph (headings and other non-body lines are never units).
  rated       a coder rated a paragraph when they decided it: coded it at one or more nodes,
              or marked it no-code. Undecided paragraphs are missing data, not \"not coded\".
              --scope document instead rates every body paragraph of each document the coder
              decided anything in (undecided ones count as not coded); tables say so.
  rating      per node: 1 if coded at the node or a descendant, 0 if decided without it.
              pooled: every (paragraph, leaf node) pair is a unit.
  α           Krippendorff's alpha (nominal on codes; ordinal and interval on rubric scores)
              over the units at least two coders rated; missing ratings are allowed.
  Cohen κ     two coders, over the units both rated (weighted κ on scores likewise).
  agree %     per unit rated by two or more coders, the share of coder pairs that agree,
              averaged over those units (two coders: the share of units both rated alike).
  Fleiss κ    over the units every coder rated (Fleiss 1971 assumes a constant number of
              raters, as statsmodels does).
  95% CI      bootstrap of α after Hayes & Krippendorff (2007): --bootstrap N replicates
              (default 1000) with --seed S (default 1); same seed, same interval.
  scores      rubric scores pooled only across nodes that share one scale.
  precision   text rounds κ and α to 4 decimals, agree % to 0.01 points; -f json and -f csv
              carry full precision.
  coders      derived coders (a consensus made by `polcode reconcile`) are compared only
              when named.

Worked example (two coders, one node, five body paragraphs):
  paragraph   p1  p2  p3  p4  p5
  alice        1   1   0   0   0      (p3 marked no-code, p4 and p5 decided without the node)
  bob          1   0   0   0   .      (bob has not decided p5: missing)
  units = 4 (p1-p4); agree % = 3/4 = 75.00; Cohen κ: po = 0.75, pe = 0.5*0.25 + 0.5*0.75
  = 0.5, κ = (0.75 - 0.5)/(1 - 0.5) = 0.5; α (nominal) = 1 - (8 - 1)*2/(2*3*5) = 0.5333;
  Fleiss κ over p1-p4 = 0.4667. Under --scope document p5 would count as bob's 0.";

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

/// With `POLCODE_TIMINGS` set, how long each phase took, on standard error (for bench/run.sh).
fn timings(phases: &[(&str, std::time::Duration)]) {
    if std::env::var_os("POLCODE_TIMINGS").is_some() {
        let parts: Vec<String> = phases
            .iter()
            .map(|(what, d)| format!("{what} {:.1} ms", d.as_secs_f64() * 1e3))
            .collect();
        let _ = super::output::eprint(&format!("timings: {}\n", parts.join(", ")));
    }
}

/// A note naming the derived coders (consensus) left out of these figures, if any.
fn derived_note(study: &Study, used: &[Codings]) -> Option<String> {
    let left: Vec<String> = study
        .config
        .derived
        .iter()
        .filter(|(name, _)| !used.iter().any(|c| &c.coder == *name))
        .map(|(name, d)| format!("{name} ({} of {})", d.kind, d.from.join(", ")))
        .collect();
    (!left.is_empty()).then(|| {
        format!(
            "not pooled: derived coder(s) {}; name one with --coder to include it",
            left.join("; ")
        )
    })
}

/// `polcode stats`.
pub fn stats(study: Option<PathBuf>, a: StatsArgs) -> Result<ExitCode> {
    let format = a.common.output.format();
    let by = By::from(a.common.by);
    let pool = Pool::from(a.common.pool);
    let l = load(study, &a.common.coders)?;
    let refs: Vec<&Codings> = l.codings.iter().collect();
    let (cb, docs) = (&l.study.codebook, &l.study.docs);
    let mut tables = Vec::new();
    let want = |w: WhatArg| a.what == WhatArg::All || a.what == w;
    // Tallies and coverage are independent passes over every decision: one thread each.
    let (tally, coverage) = std::thread::scope(|s| {
        let cov = s.spawn(|| {
            want(WhatArg::Coverage).then(|| {
                let c = Coverage::build(cb, docs, study_groups(&l.study, by), &refs, pool);
                Aggregate::ALL.map(|agg| c.table(cb, agg))
            })
        });
        let tally = want(WhatArg::Tally)
            .then(|| Tally::build(cb, docs, study_groups(&l.study, by), &refs, pool).table(cb));
        (tally, cov.join())
    });
    tables.extend(tally);
    let coverage = coverage.unwrap_or_else(|p| std::panic::resume_unwind(p));
    tables.extend(coverage.into_iter().flatten());
    let has_scales = cb.nodes.iter().any(|n| n.scale.is_some());
    if a.what == WhatArg::Rubric && !has_scales {
        bail!(
            "codebook {:?} has no node with a scale, so there are no rubric scores \
             (planning-quality is a rubric codebook)",
            cb.name
        );
    }
    if want(WhatArg::Rubric) && has_scales {
        tables.push(Rubric::build(cb, docs, study_groups(&l.study, by), &refs).table(cb));
    }
    if let Some(note) = derived_note(&l.study, &l.codings) {
        for t in &mut tables {
            t.notes.push(note.clone());
        }
    }
    print_report(
        &render_tables(&tables, format, a.common.output.layout()),
        format,
    )?;
    // The process exits next: freeing a large study item by item (hundreds of thousands of
    // paragraphs and decisions) takes longer than letting the OS reclaim it at once.
    std::mem::forget(l);
    Ok(ExitCode::SUCCESS)
}

/// `polcode freq`.
pub fn freq(study: Option<PathBuf>, a: FreqArgs) -> Result<ExitCode> {
    let format = a.output.format();
    let by = By::from(a.by);
    let dir = paths::find_study(study)?;
    let study = Study::open(&dir)?;
    let opts = FreqOptions::from_config(&study.config, a.min_len, a.top);
    let wf = WordFreq::new(&study.codebook, &study.config.dictionary, &study.docs);
    let groups = study_groups(&study, by);
    let counted = wf.count(&study.docs, &groups, &opts);
    print_report(
        &freq_table(&counted, &opts).render_with(format, a.output.layout()),
        format,
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `polcode search PATTERN`: keyword in context, or counts per group with `--by`.
pub fn search(study: Option<PathBuf>, a: SearchArgs) -> Result<ExitCode> {
    use polcode_core::search::{report, search, Matcher, Scope, Spec};
    let format = Format::from(a.format);
    let by = a.by.map(By::from);
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
    let by = By::from(a.by);
    let pool = Pool::from(a.pool);
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
    let opts = ChartOpts {
        parent,
        lang: Lang::from(a.lang),
        scheme: &l.study.scheme,
    };
    let mut chart = match a.metric {
        MetricArg::Coverage => {
            let cov = Coverage::build(cb, docs, study_groups(&l.study, by), &refs, pool);
            coverage_chart(cb, &cov, Aggregate::MeanOfDocs, opts)
        }
        MetricArg::Refs => {
            let t = Tally::build(cb, docs, study_groups(&l.study, by), &refs, pool);
            refs_chart(cb, &t, opts)
        }
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
            polcode_core::fsutil::atomic_write(p, &bytes)
                .with_context(|| format!("writing {}", p.display()))?;
            super::output::eprint(&format!(
                "wrote {}\n",
                polcode_core::termsafe::escape(&p.display().to_string())
            ))?;
        }
        None if png => super::output::print_binary(&bytes)?,
        None => print_data(&bytes, Data::Text)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `polcode agree CODER CODER...`.
pub fn agree(study: Option<PathBuf>, a: AgreeArgs) -> Result<ExitCode> {
    use polcode_core::stats::agree_report::Layout;
    use polcode_core::stats::bootstrap::Boot;
    use polcode_core::stats::compare::{compare_with, Options, Scope};
    let format = a.output.format();
    let scope = Scope::from(a.scope);
    let t0 = std::time::Instant::now();
    let samples = if a.sample {
        let dir = paths::find_study(study.clone())?;
        let all = polcode_core::sample::load_all(&dir)?;
        let picked: Vec<polcode_core::sample::Sample> = all
            .into_iter()
            .filter(|s| a.coders.is_empty() || a.coders.contains(&s.coder))
            .collect();
        if picked.is_empty() {
            bail!(
                "no double-coding sample{}: draw one with `polcode sample --coder NAME --share 0.1`",
                if a.coders.is_empty() {
                    " in this study".to_string()
                } else {
                    format!(" for {}", a.coders.join(", "))
                }
            );
        }
        picked
    } else {
        Vec::new()
    };
    let names = if a.coders.is_empty() {
        // The study's coders (derived ones left out) and every sampled coder.
        let dir = paths::find_study(study.clone())?;
        let config = polcode_core::study::read_config(&dir)?;
        let mut names: Vec<String> = paths::known_coders(&dir)
            .into_iter()
            .filter(|c| !config.derived.contains_key(c))
            .collect();
        for s in &samples {
            if !names.contains(&s.coder) {
                names.push(s.coder.clone());
            }
        }
        if names.len() < 2 {
            bail!("agreement needs two coders; name them: `polcode agree A B --sample`");
        }
        names
    } else {
        a.coders.clone()
    };
    let l = load(study, &names)?;
    // Samples follow their text through re-imports, as decisions do.
    let mut samples = samples;
    for s in &mut samples {
        let (ids, notes) = s.resolve(&l.study.docs);
        s.paragraphs = ids;
        for n in notes {
            super::output::eprint(&format!("note: {}\n", polcode_core::termsafe::escape(&n)))?;
        }
    }
    let loaded = t0.elapsed();
    let refs: Vec<&Codings> = l.codings.iter().collect();
    let opts = Options {
        scope,
        boot: Boot {
            replicates: a.bootstrap,
            seed: a.seed,
        },
        list: a.list,
    };
    let (cb, docs) = (&l.study.codebook, &l.study.docs);
    let t1 = std::time::Instant::now();
    let report = if samples.is_empty() {
        compare_with(cb, docs, &refs, &opts)
    } else {
        let index = polcode_core::stats::DocIndex::new(docs);
        let mut units: Vec<(usize, usize)> = samples
            .iter()
            .flat_map(|s| s.paragraphs.iter().filter_map(|id| index.locate_body(id)))
            .collect();
        units.sort_unstable();
        units.dedup();
        polcode_core::stats::compare::compare_units(cb, docs, &refs, &opts, units)
    };
    let sample_note = (!samples.is_empty()).then(|| {
        let each: Vec<String> = samples
            .iter()
            .map(|s| {
                format!(
                    "{}: {} paragraphs ({:.0}%{}, seed {})",
                    s.coder,
                    s.paragraphs.len(),
                    100.0 * s.share,
                    if s.stratify.is_empty() {
                        String::new()
                    } else {
                        format!(", stratified by {}", s.stratify.join(" × "))
                    },
                    s.seed
                )
            })
            .collect();
        format!(
            "double-coding sample only: {}; units = the sample's paragraphs decided so far by at \
             least two coders",
            each.join("; ")
        )
    });
    timings(&[("load", loaded), ("compare", t1.elapsed())]);
    match format {
        Format::Json => {
            let mut v = report.to_json(cb, docs, a.list);
            if let Some(n) = &sample_note {
                v["sample"] = serde_json::Value::String(n.clone());
            }
            print_report(&format!("{}\n", serde_json::to_string_pretty(&v)?), format)?;
        }
        Format::Csv => {
            let extra: Vec<(&str, String)> =
                sample_note.iter().map(|n| ("sample", n.clone())).collect();
            print_report(&report.to_csv(cb, docs, a.list, &extra), format)?
        }
        Format::Text | Format::Markdown => {
            let layout = if a.output.layout.wide {
                Layout::Wide
            } else {
                Layout::Default
            };
            let mut tables = vec![report.table(cb, layout)];
            if cb.nodes.iter().any(|n| n.scale.is_some()) {
                tables.push(report.score_table(cb, layout));
            }
            if let Some(n) = &sample_note {
                for t in &mut tables {
                    t.title.push_str(", double-coding sample");
                    t.notes.insert(0, n.clone());
                    polcode_core::stats::agree_report::wrap_notes(
                        t,
                        polcode_core::stats::agree_report::NOTE_WIDTH,
                    );
                }
            }
            if a.list {
                tables.push(report.disagreement_table(docs));
            }
            print_report(&render_tables(&tables, format, a.output.layout()), format)?;
        }
    }
    // As in `stats`: the OS frees a large study faster than item-by-item drops.
    std::mem::forget(l);
    Ok(ExitCode::SUCCESS)
}
