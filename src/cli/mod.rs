//! Command-line definitions (clap derive) and dispatch to one function per command.

mod analysis_cmds;
mod exchange_cmds;
pub mod output;
mod paths;
mod prior_cmds;
mod study_cmds;
mod suggest_cmds;
mod values;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{CommandFactory, Parser, Subcommand};

/// polcode: code policy documents paragraph by paragraph against a codebook, from the keyboard.
///
/// With no command, opens the coding screen on the study in the current directory, or on the
/// bundled demo study when the current directory is not a study.
#[derive(Debug, Parser)]
#[command(name = "polcode", version, about, long_about = None)]
pub struct Cli {
    /// The study directory (default: the current directory or the nearest parent with a
    /// polcode.yaml).
    #[arg(long, global = true, env = "POLCODE_STUDY", value_name = "DIR")]
    pub study: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options of the coding screen shared by `code` and `review`.
#[derive(Debug, Clone, clap::Args)]
pub struct TuiArgs {
    /// Coder name (default: $POLCODE_CODER, then $USER, then the name remembered for the study
    /// in .polcode/coder; with none of them polcode asks once).
    #[arg(long)]
    pub coder: Option<String>,
    /// Open someone's codings without taking the lock; nothing is recorded.
    #[arg(long)]
    pub read_only: bool,
    /// Theme: dark, light, high-contrast, monochrome, or one in <config dir>/themes/.
    #[arg(long, default_value = "dark")]
    pub theme: String,
    /// Draw borders with ASCII characters only (for terminals with ambiguous-width glyphs).
    #[arg(long)]
    pub ascii: bool,
    /// Walk only the coder's blind double-coding sample (drawn with `polcode sample`).
    #[arg(long)]
    pub sample: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new study in DIR (default: the current directory).
    Init {
        dir: Option<PathBuf>,
        /// A bundled codebook name (policy-tools, planning-quality) or a YAML file path.
        #[arg(long, default_value = "policy-tools")]
        codebook: String,
        /// Study name (default: the directory name).
        #[arg(long)]
        name: Option<String>,
    },
    /// Import documents (.txt .md .docx .html .htm; files or directories) into the study.
    Import(study_cmds::ImportArgs),
    /// List the documents with region, level, paragraph counts and coding progress.
    Docs {
        /// Coder whose progress is shown (default: all coders).
        #[arg(long)]
        coder: Option<String>,
        #[command(flatten)]
        output: analysis_cmds::Output,
    },
    /// Show or check a codebook.
    Codebook {
        #[command(subcommand)]
        action: CodebookCmd,
    },
    /// Validate the whole study (codebook, documents, codings, orphans, locks) without changing it.
    Check,
    /// Move every coder's decisions to the paragraphs that now hold the text they were made on
    /// (after a re-import); done by every import and at the start of every session too.
    Reanchor,
    /// Code paragraphs in the terminal (the main job).
    Code(TuiArgs),
    /// Browse earlier decisions: filter, jump into a paragraph, recode.
    Review(TuiArgs),
    /// Tallies (documents, reference points), coverage and rubric scores by region, level, ...
    Stats(analysis_cmds::StatsArgs),
    /// Word frequency (jieba, codebook keywords in its dictionary, stop words, synonyms).
    Freq(analysis_cmds::FreqArgs),
    /// Text search over every paragraph: keyword in context, or documents and paragraphs with
    /// hits per region, level, province or year (`--by`).
    Search(analysis_cmds::SearchArgs),
    /// SVG grouped bar chart of tool use by region (coverage or reference points).
    Chart(analysis_cmds::ChartArgs),
    /// Inter-coder agreement per node and pooled: percent, Cohen, Fleiss, Krippendorff.
    Agree(analysis_cmds::AgreeArgs),
    /// Draw a blind double-coding sample for a coder: a share of the body paragraphs,
    /// stratified, seeded; code it with `polcode code --coder NAME --sample` and follow
    /// agreement on it with `polcode agree --sample`.
    Sample(study_cmds::SampleArgs),
    /// Walk the paragraphs where coders disagree and record a consensus coder.
    Reconcile {
        /// Two or more coders to reconcile.
        #[arg(required = true, num_args = 2..)]
        coders: Vec<String>,
        /// Name of the consensus coder the result is written as.
        #[arg(long)]
        into: String,
        #[command(flatten)]
        tui: TuiArgs,
    },
    /// Suggestion quality against a coder (top-1/top-3, per-node precision and recall), or
    /// against two coders with --coders A B (adds recall@3, exact-set, keys per paragraph).
    Eval(suggest_cmds::EvalArgs),
    /// Rule audit of the keyword suggestions.
    Suggest {
        #[command(subcommand)]
        action: SuggestCmd,
    },
    /// Export: qdc, qdpx (REFI-QDA), csv (tidy long), matrix (0/1 per node), json.
    Export(exchange_cmds::ExportArgs),
    /// Convert a REFI-QDA codebook (.qdc from NVivo, MAXQDA, ATLAS.ti) to a polcode codebook.
    ImportCodebook {
        file: PathBuf,
        /// Where to write the YAML (default: <study>/<name>.codebook.yaml).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Also make it the study's codebook.
        #[arg(long = "use")]
        use_it: bool,
    },
    /// Import documents and coded text from a REFI-QDA project (.qdpx).
    ImportQdpx { file: PathBuf },
    /// Create (if needed) the bundled demo study and print its path.
    Demo {
        /// Delete the demo study first (its codings too) and create it afresh.
        #[arg(long)]
        reset: bool,
    },
    /// Print shell completions.
    Completions { shell: clap_complete::Shell },
    /// Re-make the prior shipped with a codebook (for bench/train_prior.sh).
    #[command(hide = true)]
    Prior {
        #[command(subcommand)]
        action: PriorCmd,
    },
    /// Development sets: `devset load DEVSET.yaml --corpus DIR --out STUDY_DIR` makes a study
    /// with the set's two coders (for bench/eval.sh and tests/devset_eval.rs).
    #[command(hide = true)]
    Devset {
        #[command(subcommand)]
        action: DevsetCmd,
    },
}

/// `polcode devset ...`
#[derive(Debug, Subcommand)]
pub enum DevsetCmd {
    /// Create a study from a two-coder development set and the corpus it was drawn from.
    Load(suggest_cmds::DevsetLoadArgs),
}

/// `polcode prior ...`
#[derive(Debug, Subcommand)]
pub enum PriorCmd {
    /// Train the prior on coded studies and write it as TSV.
    Train(prior_cmds::PriorTrainArgs),
}

/// `polcode codebook ...`
#[derive(Debug, Subcommand)]
pub enum CodebookCmd {
    /// Print the node tree (the study's codebook, or FILE / a bundled name).
    Show {
        file: Option<String>,
        /// Include definitions and keywords.
        #[arg(long)]
        detail: bool,
    },
    /// Validate a codebook and list every problem with file:line:col.
    Check { file: Option<String> },
}

/// `polcode suggest ...`
#[derive(Debug, Subcommand)]
pub enum SuggestCmd {
    /// Per node and keyword: how often it fired, was accepted, and was missed.
    Report(suggest_cmds::ReportArgs),
}

/// Runs the parsed command line.
pub fn dispatch(cli: Cli) -> Result<ExitCode> {
    let study = cli.study.clone();
    match cli.command {
        None => study_cmds::code_default(study),
        Some(Command::Init {
            dir,
            codebook,
            name,
        }) => study_cmds::init(dir, &codebook, name.as_deref()),
        Some(Command::Import(args)) => study_cmds::import(study, args),
        Some(Command::Docs { coder, output }) => {
            study_cmds::docs(study, coder.as_deref(), output.format(), output.layout())
        }
        Some(Command::Codebook { action }) => match action {
            CodebookCmd::Show { file, detail } => study_cmds::codebook_show(study, file, detail),
            CodebookCmd::Check { file } => study_cmds::codebook_check(study, file),
        },
        Some(Command::Check) => study_cmds::check(study),
        Some(Command::Reanchor) => study_cmds::reanchor(study),
        Some(Command::Code(args)) => study_cmds::code(study, args, false),
        Some(Command::Review(args)) => study_cmds::code(study, args, true),
        Some(Command::Stats(a)) => analysis_cmds::stats(study, a),
        Some(Command::Freq(a)) => analysis_cmds::freq(study, a),
        Some(Command::Search(a)) => analysis_cmds::search(study, a),
        Some(Command::Chart(a)) => analysis_cmds::chart(study, a),
        Some(Command::Agree(a)) => analysis_cmds::agree(study, a),
        Some(Command::Sample(a)) => study_cmds::sample(study, a),
        Some(Command::Reconcile { coders, into, tui }) => {
            study_cmds::reconcile(study, coders, into, tui)
        }
        Some(Command::Eval(a)) => suggest_cmds::eval(study, a),
        Some(Command::Suggest {
            action: SuggestCmd::Report(a),
        }) => suggest_cmds::suggest_report(study, a),
        Some(Command::Export(a)) => exchange_cmds::export(study, a),
        Some(Command::ImportCodebook { file, out, use_it }) => {
            exchange_cmds::import_codebook(study, &file, out, use_it)
        }
        Some(Command::ImportQdpx { file }) => exchange_cmds::import_qdpx(study, &file),
        Some(Command::Demo { reset }) => study_cmds::demo(reset),
        Some(Command::Prior {
            action: PriorCmd::Train(a),
        }) => prior_cmds::train(a),
        Some(Command::Devset {
            action: DevsetCmd::Load(a),
        }) => suggest_cmds::devset_load(a),
        Some(Command::Completions { shell }) => {
            let mut cmd = Cli::command();
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut cmd, "polcode", &mut buf);
            output::print(&String::from_utf8_lossy(&buf))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
