//! Exchange commands: `export` (qdc, qdpx, csv, matrix, json), `import-codebook` and
//! `import-qdpx`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};

use polcode_core::export::{self, CsvOptions, MatrixMode, MatrixOptions, QdpxOptions};
use polcode_core::refi_import;
use polcode_core::store::{self, CoderStore, Codings, OpenMode};
use polcode_core::study::Study;

use super::output::{print, print_data, Data};
use super::paths;
use super::values::ExportFormatArg;

/// `polcode export` arguments.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// qdc (REFI-QDA codebook), qdpx (REFI-QDA project), csv (tidy long), matrix (0/1 per
    /// node), json (the study's codings), matrix-json.
    #[arg(long, short = 'f', value_enum)]
    pub format: ExportFormatArg,
    /// Output file (default: standard output; required for qdpx).
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Coders to include (default: all).
    #[arg(long = "coder")]
    pub coders: Vec<String>,
    /// Matrix: one column set from this coder, or `majority`; default one column per coder and node.
    #[arg(long)]
    pub consensus: Option<String>,
    /// Matrix: a parent counts as chosen when any of its children is.
    #[arg(long)]
    pub roll_up: bool,
    /// CSV: start with a UTF-8 byte-order mark (for Excel).
    #[arg(long)]
    pub bom: bool,
    /// csv: add a last column `text` with each paragraph's text, for close reading in R or
    /// pandas.
    #[arg(long)]
    pub text: bool,
}

/// The codings of `coders` (default: every coder not derived from others); `extra` names one
/// more to load when not among them (the matrix's `--consensus`, which may be derived).
fn load_codings(study: &Study, coders: &[String], extra: Option<&str>) -> Result<Vec<Codings>> {
    let mut names = paths::study_coders(study, coders, false)?;
    if let Some(x) = extra {
        if coders.is_empty() && !names.iter().any(|n| n == x) && study.is_derived(x) {
            names.push(x.to_string());
        }
    }
    let mut out = Vec::new();
    for (cd, warnings) in store::read_codings_many(&study.codings_dir(), &names, &study.docs)? {
        for w in warnings {
            super::output::warn(&w)?;
        }
        out.push(cd);
    }
    Ok(out)
}

fn progress_bar(what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(&format!("{what} {{bar:30}} {{pos}}/{{len}}"))
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// A file gets the bytes exactly; standard output gets them through the output layer (exact to
/// a pipe, escaped on a terminal, JSON always safe).
fn write_out(output: Option<&Path>, bytes: &[u8], kind: Data) -> Result<()> {
    match output {
        Some(p) => polcode_core::fsutil::atomic_write(p, bytes)
            .with_context(|| format!("writing {}", p.display())),
        None => Ok(print_data(bytes, kind)?),
    }
}

/// `polcode export`.
pub fn export(study: Option<PathBuf>, a: ExportArgs) -> Result<ExitCode> {
    let dir = paths::find_study(study)?;
    let study = Study::open(&dir)?;
    let codings = load_codings(
        &study,
        &a.coders,
        a.consensus.as_deref().filter(|c| *c != "majority"),
    )?;
    if let Some(c) = a.consensus.as_deref().filter(|c| *c != "majority") {
        if !codings.iter().any(|cd| cd.coder == c) {
            bail!(
                "--consensus {c:?} is not among the exported coders ({}); name one of them or `majority`",
                codings.iter().map(|cd| cd.coder.as_str()).collect::<Vec<_>>().join(", ")
            );
        }
    }
    let bar = progress_bar("export");
    let mut tick = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    if a.text && a.format != ExportFormatArg::Csv {
        bail!("--text adds the paragraph text to the long table: use it with --format csv");
    }
    let csv = CsvOptions {
        bom: a.bom,
        text: a.text,
    };
    let matrix_opts = || MatrixOptions {
        mode: match a.consensus.as_deref() {
            None => MatrixMode::PerCoder,
            Some("majority") => MatrixMode::Majority,
            Some(c) => MatrixMode::Coder(c.to_string()),
        },
        roll_up: a.roll_up,
        csv,
    };
    let bytes: Vec<u8> = match a.format {
        ExportFormatArg::Qdc => export::codebook_qdc(&study.codebook).into_bytes(),
        ExportFormatArg::Qdpx => {
            if a.output.is_none() {
                bail!("--format qdpx writes a zip archive: give --output FILE.qdpx");
            }
            // Built once, under the bar; what could not be exported is said after the bar is
            // cleared, so the two never share a line.
            let pr = export::project_qde(
                &study.config.name,
                &study.codebook,
                &study.docs,
                &codings,
                &QdpxOptions::default(),
                Some(&mut tick),
            );
            bar.finish_and_clear();
            for s in &pr.skipped {
                super::output::eprint(&format!(
                    "not exported: {}\n",
                    polcode_core::termsafe::escape(s)
                ))?;
            }
            export::zip_project(&pr)?
        }
        ExportFormatArg::Csv => {
            export::long_csv(&study.codebook, &study.docs, &codings, csv, Some(&mut tick))?
        }
        ExportFormatArg::Matrix => export::matrix_csv(
            &study.codebook,
            &study.docs,
            &codings,
            &matrix_opts(),
            Some(&mut tick),
        )?,
        ExportFormatArg::Json => export::study_json(
            &study.config.name,
            &study.codebook,
            &study.docs,
            &codings,
            Some(&mut tick),
        )?
        .into_bytes(),
        ExportFormatArg::MatrixJson => export::matrix_json(
            &study.codebook,
            &study.docs,
            &codings,
            &matrix_opts(),
            Some(&mut tick),
        )?
        .into_bytes(),
    };
    bar.finish_and_clear();
    let kind = match a.format {
        ExportFormatArg::Json | ExportFormatArg::MatrixJson => Data::Json,
        ExportFormatArg::Csv | ExportFormatArg::Matrix => Data::Csv,
        ExportFormatArg::Qdc | ExportFormatArg::Qdpx => Data::Text,
    };
    write_out(a.output.as_deref(), &bytes, kind)?;
    if let Some(p) = &a.output {
        super::output::eprint(&format!(
            "wrote {} ({} bytes)\n",
            polcode_core::termsafe::escape(&p.display().to_string()),
            bytes.len()
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `polcode import-codebook FILE.qdc`: converts a REFI-QDA codebook to polcode YAML.
pub fn import_codebook(
    study: Option<PathBuf>,
    file: &Path,
    out: Option<PathBuf>,
    use_it: bool,
) -> Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    if bytes.starts_with(b"PK\x03\x04") {
        bail!(
            "{} is a zip archive (a REFI-QDA project?); import-codebook reads a .qdc codebook \
             (XML) — for a .qdpx project use `polcode import-qdpx`",
            file.display()
        );
    }
    let xml = String::from_utf8(bytes)
        .map_err(|e| anyhow::anyhow!("{}: not UTF-8 XML: {e}", file.display()))?;
    let xml = xml.strip_prefix('\u{feff}').unwrap_or(&xml);
    let imported =
        refi_import::import_qdc(xml).with_context(|| format!("reading {}", file.display()))?;
    let name = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "imported".into());
    let yaml = refi_import::qdc_to_codebook_yaml(&imported, &name);
    // Check that what we write loads, before writing it.
    polcode_core::codebook::load_str(&yaml, &format!("converted {}", file.display()))?;
    let study_dir = match study {
        Some(s) => Some(s),
        None => paths::find_upwards(&std::env::current_dir()?),
    };
    let out = match (out, &study_dir) {
        (Some(o), _) => o,
        (None, Some(s)) => s.join(format!("{name}.codebook.yaml")),
        (None, None) => PathBuf::from(format!("{name}.codebook.yaml")),
    };
    if out.exists() {
        bail!(
            "{} exists; choose another --out (nothing was overwritten)",
            out.display()
        );
    }
    polcode_core::fsutil::atomic_write(&out, yaml.as_bytes())
        .with_context(|| format!("writing {}", out.display()))?;
    print(&format!(
        "wrote {} ({} codes)\n",
        super::output::path(&out),
        count_codes(&imported.codes)
    ))?;
    if use_it {
        let Some(s) = study_dir else {
            bail!("--use needs a study (--study DIR)")
        };
        let mut st = Study::open(&s)?;
        // polcode.yaml names the codebook relative to the study, wherever --out pointed.
        let rel = paths::relative_to(&s, &out)?.to_string_lossy().into_owned();
        st.set_codebook(&rel)?;
        print(&format!("the study now uses {rel}\n"))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn same_paragraph_texts(
    a: &polcode_core::corpus::Document,
    b: &polcode_core::corpus::Document,
) -> bool {
    a.paragraphs.len() == b.paragraphs.len()
        && a.paragraphs
            .iter()
            .zip(&b.paragraphs)
            .all(|(x, y)| x.text == y.text)
}

fn count_codes(codes: &[refi_import::ImportedCode]) -> usize {
    codes.iter().map(|c| 1 + count_codes(&c.children)).sum()
}

/// `polcode import-qdpx FILE.qdpx`: documents, codings per coder and memos from a REFI-QDA project.
pub fn import_qdpx(study: Option<PathBuf>, file: &Path) -> Result<ExitCode> {
    let dir = paths::find_study(study)?;
    let mut study = Study::open(&dir)?;
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let imp = refi_import::import_qdpx(&bytes)
        .with_context(|| format!("importing {}", file.display()))?;
    let mut out = String::new();
    for w in &imp.warnings {
        out.push_str(&format!("warning: {}\n", polcode_core::termsafe::escape(w)));
    }
    let (docs, layouts) = refi_import::import_documents(&imp);
    let (code_map, unmatched) = refi_import::code_to_node(&imp, &study.codebook);
    for u in &unmatched {
        out.push_str(&format!("warning: code {u} matches no node of the study's codebook; its selections are reported below\n"));
    }
    let ci = refi_import::import_codings(
        &imp,
        &layouts,
        &code_map,
        &polcode_core::fsutil::now_rfc3339(),
    );
    for d in docs {
        if let Some(old) = study.doc_index(&d.id).map(|i| &study.docs[i]) {
            if same_paragraph_texts(old, &d) {
                // Keep the study's own copy: it has the paragraph kinds, sections and metadata
                // that a REFI-QDA source does not carry, and the same ids and hashes.
                continue;
            }
            out.push_str(&format!(
                "warning: document {} already exists with other text; replaced by the imported text\n",
                d.id
            ));
        }
        study.save_document(d)?;
    }
    let mut recorded = 0;
    for c in &ci.codings {
        store::validate_coder(&c.coder)?;
        let mut s = CoderStore::open(&study.codings_dir(), &c.coder, OpenMode::ReadWrite)?;
        for d in c.decisions.values() {
            s.record(d.clone())?;
            recorded += 1;
        }
        s.close()?;
        study.add_coder(&c.coder)?;
    }
    // Decisions made on replaced texts follow their paragraphs (or are kept as orphans), as
    // after `polcode import`; always, so an earlier interrupted import is completed too.
    let r = polcode_core::ingest::reanchor_all(&study);
    for (coder, a) in &r.done {
        if !a.is_unchanged() {
            out.push_str(&format!("codings of {coder}: {}\n", a.summary()));
        }
    }
    for w in &r.open_sessions {
        out.push_str(&format!("note: {w}\n"));
    }
    if let Some(e) = r.errors.first() {
        bail!("{e}");
    }
    out.push_str(&format!(
        "imported {} documents and {recorded} decisions from {} coder(s); rule: {}\n",
        layouts.len(),
        ci.codings.len(),
        ci.rule
    ));
    for u in &ci.unplaced {
        out.push_str(&format!("not placed: {u}\n"));
    }
    for u in &ci.unknown_codes {
        out.push_str(&format!("unknown code: {u}\n"));
    }
    print(&out)?;
    Ok(ExitCode::SUCCESS)
}
