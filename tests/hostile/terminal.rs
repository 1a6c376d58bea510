//! Nothing from the data reaches the terminal as a command (RELIABILITY.md 1.6): a study whose
//! every text field, file name, codebook field, codings file, metadata value and argument
//! carries escape sequences (ESC [2J, OSC 52, a C1 CSI, U+202E, U+061C, U+2028, a newline that
//! would forge a line) is run through every command under a real pty (`script`), and the raw
//! bytes the terminal received are scanned.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use polcode_core::fsutil::hash_hex;
use polcode_core::store::{CoderStore, Decision, OpenMode};
use polcode_core::study::Study;

use crate::hostile::support::{demo_lines, Env};

const CLEAR: &str = "\u{1b}[2J";
const OSC52: &str = "\u{1b}]52;c;aGk=\u{7}";
const RLO: &str = "\u{202e}";
const C1_CSI: &str = "\u{9b}31m";
const ALM: &str = "\u{61c}";
const LSEP: &str = "\u{2028}";

/// A value carrying every sequence, tagged so a leak can be traced to its field.
fn hostile(tag: &str) -> String {
    format!("{tag}{CLEAR}{OSC52}{RLO}{C1_CSI}{ALM}{LSEP}end")
}

/// The same with a newline followed by text that must never start a line of output.
fn hostile_nl(tag: &str) -> String {
    format!("{}\nFORGED {tag}", hostile(tag))
}

/// A YAML double-quoted scalar holding `s` exactly (non-printable characters as `\u` escapes,
/// which YAML requires: a raw C1 control is not allowed in a YAML file).
fn yq(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || polcode_core::termsafe::is_unsafe(c) => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Runs polcode with `args` under a pseudo-terminal (`script`), standard output and error both
/// on it, and returns every byte the terminal received. Arguments travel in environment
/// variables so no shell quoting touches them.
fn in_pty(env: &Env, cwd: &Path, args: &[&str]) -> Vec<u8> {
    // A hang guard, not a speed limit: a command that unexpectedly opens the coding screen
    // would otherwise wait for keys forever.
    let mut line = String::from("exec timeout -s KILL 300 \"$POLCODE_BIN\"");
    let mut c = Command::new("script");
    for (i, a) in args.iter().enumerate() {
        line.push_str(&format!(" \"$ARG{i}\""));
        c.env(format!("ARG{i}"), a);
    }
    let out = c
        .args(["-qec", &line, "/dev/null"])
        .current_dir(cwd)
        .env("SHELL", "/bin/sh")
        .env("POLCODE_BIN", env!("CARGO_BIN_EXE_polcode"))
        .env("POLCODE_DATA_DIR", env.path().join("data"))
        .env("POLCODE_CONFIG", env.path().join("config"))
        .env("POLCODE_CODER", "alice")
        .env("TERM", "xterm-256color")
        .env_remove("POLCODE_STUDY")
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .output()
        .expect("script (util-linux) runs");
    out.stdout
}

/// What polcode itself may send: indicatif's progress line on standard error redraws with CR,
/// erase-line (`ESC [2K`), cursor up and cursor show/hide; `code` shows its "opening" frame
/// (alternate screen, synchronized update) before it reports a file it cannot load. None of the
/// data's sequences is one of these (the data's CSI is an erase-*screen*, `ESC [2J`).
fn own_sequence(rest: &str) -> Option<usize> {
    let body = rest.strip_prefix('[')?;
    let params = body
        .find(|c: char| !(c.is_ascii_digit() || c == '?' || c == ';'))
        .unwrap_or(body.len());
    let fin = body[params..].chars().next()?;
    let allowed = matches!(
        (&body[..params], fin),
        ("2", 'K') | (_, 'A') | ("?25" | "?1049" | "?2026", 'l' | 'h') | ("" | "0", 'G')
    );
    allowed.then_some(1 + params + 1)
}

/// Everything in `out` that the data could have put there: an escape sequence that is not
/// polcode's own, any other control character but newline, CR and tab, a C1 control, a bidi
/// control or a line separator, and a line that starts with the forged text.
fn leaks(out: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(out);
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        let at = i;
        i += c.len_utf8();
        if c == '\u{1b}' {
            match own_sequence(&text[i..]) {
                Some(n) => i += n,
                None => found.push(format!(
                    "ESC at {at}: {:?}",
                    text[at..].chars().take(12).collect::<String>()
                )),
            }
        } else if matches!(c, '\n' | '\r' | '\t') {
        } else if polcode_core::termsafe::is_unsafe(c) {
            found.push(format!(
                "U+{:04X} at {at}: {:?}",
                c as u32,
                text[at.saturating_sub(20)..]
                    .chars()
                    .take(30)
                    .collect::<String>()
            ));
        }
    }
    for l in text.split(['\n', '\r']) {
        if l.starts_with("FORGED") {
            found.push(format!("forged line: {l:?}"));
        }
    }
    found
}

/// Every string in a YAML value, keys too.
fn all_strings(v: &serde_yaml::Value, out: &mut Vec<String>) {
    match v {
        serde_yaml::Value::String(s) => out.push(s.clone()),
        serde_yaml::Value::Sequence(items) => items.iter().for_each(|i| all_strings(i, out)),
        serde_yaml::Value::Mapping(m) => {
            for (k, v) in m {
                all_strings(k, out);
                all_strings(v, out);
            }
        }
        _ => {}
    }
}

struct Runs<'a> {
    env: &'a Env,
    failures: Vec<String>,
    /// Commands whose output showed an escaped sequence (`\u{1b}`): the data did reach them.
    escaped: Vec<String>,
}

impl Runs<'_> {
    fn run(&mut self, cwd: &Path, args: &[&str]) -> String {
        let out = in_pty(self.env, cwd, args);
        let label = polcode_core::termsafe::escape(&args.join(" ")).into_owned();
        for l in leaks(&out) {
            self.failures.push(format!("polcode {label}: {l}"));
        }
        let text = String::from_utf8_lossy(&out).into_owned();
        if text.contains("\\u{1b}") {
            self.escaped.push(label);
        }
        text
    }
}

/// A decision of `coder` on paragraph `n` of `doc`.
fn decision(doc: &polcode_core::corpus::Document, n: usize, node: &str, coder: &str) -> Decision {
    let p = &doc.paragraphs[n];
    Decision {
        para: format!("{}#{}", doc.id, p.n),
        hash: p.hash.clone(),
        nodes: vec![node.to_string()],
        no_code: false,
        scores: Default::default(),
        memo: Some(hostile_nl("memo")),
        coder: coder.into(),
        at: "2025-05-01T08:00:00Z".into(),
        via: Default::default(),
        derived: None,
        found: None,
    }
}

/// The demo study made hostile by hand, as files arriving through git could make it: study
/// name, every metadata field, section paths and paragraph text (with matching hashes),
/// memos, and a decision naming an unknown node; coders alice and bob.
fn hostile_study(env: &Env) -> PathBuf {
    let dir = env.demo();
    let cfg = dir.join("polcode.yaml");
    let text = fs::read_to_string(&cfg).unwrap();
    let text = text.replace(
        "name: polcode demo",
        &format!("name: {}", yq(&hostile_nl("name"))),
    );
    fs::write(&cfg, text).unwrap();
    let mut study = Study::open(&dir).unwrap();
    let docs = study.docs.clone();
    for (k, mut d) in docs.into_iter().enumerate() {
        let m = &mut d.meta;
        m.title = hostile_nl("title");
        m.issuer = hostile("issuer");
        m.province = hostile("province");
        m.city = hostile("city");
        m.region = hostile(&format!("region{}", k % 2));
        m.topic = hostile("topic");
        m.doc_number = hostile("docnumber");
        for p in d.paragraphs.iter_mut().take(6) {
            p.text = format!("{}{}", p.text, hostile_nl("text"));
            p.hash = hash_hex(p.text.as_bytes(), 16);
            p.section = hostile("section");
        }
        study.save_document(d).unwrap();
    }
    let study = Study::open(&dir).unwrap();
    for (coder, nodes) in [
        (
            "alice",
            ["supply.human-resources", "environment.regulation"],
        ),
        (
            "bob",
            ["supply.human-resources", "demand.application-scenarios"],
        ),
    ] {
        let mut st = CoderStore::open(&study.codings_dir(), coder, OpenMode::ReadWrite).unwrap();
        for doc in &study.docs[..3] {
            for (i, node) in nodes.iter().enumerate() {
                st.record(decision(doc, 2 + i, node, coder)).unwrap();
            }
        }
        if coder == "bob" {
            let mut d = decision(&study.docs[0], 5, "supply", coder);
            d.nodes = vec![hostile("unknown-node")];
            st.record(d).unwrap();
        }
        st.close().unwrap();
    }
    let mut s = Study::open(&dir).unwrap();
    s.add_coder("alice").unwrap();
    s.add_coder("bob").unwrap();
    dir
}

/// A codebook whose id, names and definition carry the sequences (refused at load) and one
/// with an unknown field named by them (refused by serde, which quotes the key).
fn hostile_codebooks(dir: &Path) -> (PathBuf, PathBuf) {
    let refused = dir.join(format!("cb{CLEAR}{RLO}.yaml"));
    fs::write(
        &refused,
        format!(
            "name: {}\nnodes:\n  - id: {}\n    name: {{en: {}, zh: {}}}\n    definition: {}\n",
            yq(&hostile("cbname")),
            yq(&hostile_nl("id")),
            yq(&hostile("en")),
            yq(&hostile("zh")),
            yq(&hostile_nl("definition")),
        ),
    )
    .unwrap();
    let unknown = dir.join("unknown-field.yaml");
    fs::write(
        &unknown,
        format!(
            "name: x\nnodes:\n  - id: a\n    name: {{en: A, zh: 甲}}\n    {}: 1\n",
            yq(&hostile_nl("field"))
        ),
    )
    .unwrap();
    (refused, unknown)
}

/// Source files for `import`, named and filled with the sequences, with a metadata CSV.
fn hostile_sources(dir: &Path) -> PathBuf {
    let src = dir.join("sources");
    fs::create_dir_all(&src).unwrap();
    let body = demo_lines()[..4].join("\n");
    let names = [
        format!("a{CLEAR}.txt"),
        format!("b{OSC52}.txt"),
        format!("c{RLO}txt.md"),
        "d\nFORGED name.txt".to_string(),
        format!("e{C1_CSI}{ALM}{LSEP}.txt"),
    ];
    for n in &names {
        fs::write(
            src.join(n),
            format!("{}\n{body}\n{}", hostile("h"), hostile_nl("t")),
        )
        .unwrap();
    }
    // Refused files whose names the errors must quote: NUL bytes, empty.
    fs::write(src.join(format!("f{OSC52}.txt")), b"abc\0def").unwrap();
    fs::write(src.join(format!("g{CLEAR}\nFORGED empty.txt")), b"").unwrap();
    let mut csv = String::from("file,title,issuer,province,city,region,topic\n");
    for n in &names[..2] {
        let q = |s: String| format!("\"{}\"", s.replace('"', "\"\""));
        csv.push_str(&format!(
            "{},{},{},{},{},{},{}\n",
            q(n.clone()),
            q(hostile_nl("csvtitle")),
            q(hostile("csvissuer")),
            q(hostile("csvprov")),
            q(hostile("csvcity")),
            q(hostile("csvregion")),
            q(hostile("csvtopic")),
        ));
    }
    let meta = dir.join(format!("meta{RLO}.csv"));
    fs::write(&meta, csv).unwrap();
    src
}

#[test]
fn no_command_sends_a_sequence_from_the_data_to_the_terminal() {
    if Command::new("script").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "script (util-linux) is required under CI"
        );
        eprintln!("SKIPPED (script from util-linux not installed)");
        return;
    }
    let env = Env::new();
    let mut r = Runs {
        env: &env,
        failures: Vec::new(),
        escaped: Vec::new(),
    };
    let root = env.path().to_path_buf();

    // Import: progress line, warnings and errors quote file names, metadata is cleaned.
    let fresh = env.study("fresh");
    let src = hostile_sources(&root);
    let meta = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "csv"))
        .unwrap();
    let issuer = hostile("arg-issuer");
    r.run(
        &fresh,
        &[
            "import",
            src.to_str().unwrap(),
            "--meta",
            meta.to_str().unwrap(),
            "--issuer",
            &issuer,
        ],
    );
    let missing = hostile_nl("missing.txt");
    let odd = format!("x{OSC52}.pdf");
    fs::write(root.join(&odd), "x").unwrap();
    r.run(
        &fresh,
        &["import", &missing, root.join(&odd).to_str().unwrap()],
    );
    r.run(
        &fresh,
        &["import", src.to_str().unwrap(), "--date", &hostile("date")],
    );
    r.run(&fresh, &["docs"]);
    r.run(&fresh, &["check"]);
    // What import stored holds none of it (U+061C and U+2028 included).
    let stored: Vec<_> = fs::read_dir(fresh.join("documents")).unwrap().collect();
    assert!(stored.len() >= 5, "the hostile files were imported");
    for e in stored {
        let yaml = fs::read_to_string(e.unwrap().path()).unwrap();
        let doc: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
        let mut strings = Vec::new();
        all_strings(&doc, &mut strings);
        assert!(
            !strings
                .iter()
                .any(|s| s.contains(polcode_core::termsafe::is_unsafe)),
            "{yaml}"
        );
    }

    // Every reading command on the hand-edited study.
    let study = hostile_study(&env);
    let s = study.as_path();
    r.run(s, &["docs"]);
    r.run(s, &["check"]);
    r.run(s, &["codebook", "show", "--detail"]);
    r.run(s, &["codebook", "check"]);
    for fmt in ["text", "csv", "md", "json"] {
        for by in ["region", "province", "document"] {
            r.run(s, &["stats", "-f", fmt, "--by", by]);
        }
        r.run(s, &["agree", "alice", "bob", "--list", "-f", fmt]);
        r.run(s, &["freq", "-f", fmt, "--by", "region"]);
        // Every character of every paragraph as a hit or its context.
        r.run(s, &["search", "-r", ".{1,3}", "--all", "-f", fmt]);
        r.run(s, &["search", "-r", ".", "--by", "document", "-f", fmt]);
        r.run(s, &["eval", "--coders", "alice", "bob", "-f", fmt]);
    }
    r.run(s, &["eval", "--coder", "alice"]);
    r.run(s, &["eval", "--coder", "alice", "-f", "csv"]);
    r.run(s, &["eval", "--coder", "alice", "-f", "json"]);
    r.run(s, &["suggest", "report"]);
    r.run(s, &["suggest", "report", "-f", "csv"]);
    for fmt in ["csv", "matrix", "json", "matrix-json", "qdc"] {
        r.run(s, &["export", "-f", fmt]);
    }
    let chart = root.join(format!("chart{CLEAR}{RLO}\nFORGED.svg"));
    r.run(
        s,
        &["chart", "-o", chart.to_str().unwrap(), "--by", "region"],
    );
    r.run(s, &["chart", "--by", "province"]);
    r.run(s, &["reanchor"]);

    // Codebooks refused for what they hold, by file name and id.
    let (refused, unknown) = hostile_codebooks(&root);
    for cb in [&refused, &unknown] {
        r.run(s, &["codebook", "check", cb.to_str().unwrap()]);
        r.run(s, &["codebook", "show", cb.to_str().unwrap()]);
    }
    r.run(s, &["codebook", "show", &hostile_nl("no-such-codebook")]);

    // Arguments echoed in errors, clap's own errors included.
    let bad_study = root.join(hostile_nl("nostudy"));
    r.run(&root, &["docs", "--study", bad_study.to_str().unwrap()]);
    r.run(s, &["stats", "-f", &hostile("format")]);
    r.run(s, &["stats", "--by", &hostile("by")]);
    r.run(s, &["agree", "alice", &hostile("coder")]);
    r.run(s, &["chart", "--children-of", &hostile_nl("node")]);
    r.run(s, &[&hostile_nl("subcommand")]);
    r.run(s, &["stats", &hostile_nl("--flag")]);

    // Files that fail to load, with serde quoting the hostile key or value: through every
    // command that reads them (`code` stops before the coding screen).
    let readers: &[&[&str]] = &[
        &["code"],
        &["stats"],
        &["export", "-f", "csv"],
        &["docs"],
        &["check"],
        &["codebook", "check"],
        &["agree", "alice", "bob"],
    ];
    let mut broken = |what: &str, file: PathBuf, edit: &dyn Fn(&str) -> String| {
        let before = fs::read_to_string(&file).unwrap();
        fs::write(&file, edit(&before)).unwrap();
        for args in readers {
            r.run(s, args);
        }
        fs::write(&file, before).unwrap();
        let _ = what;
    };
    let snapshot = study.join("codings/alice.yaml");
    broken("snapshot key", snapshot.clone(), &|t| {
        format!("{}: 1\n{t}", yq(&hostile_nl("key")))
    });
    broken("via variant", snapshot, &|t| {
        t.replacen(
            "\"coder\":",
            &format!(
                "\"via\":{{\"supply.human-resources\":{{\"via\":{}}}}},\"coder\":",
                yq(&hostile_nl("via"))
            ),
            1,
        )
    });
    let doc = fs::read_dir(study.join("documents"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .unwrap();
    broken("document level", doc, &|t| {
        let level = t
            .lines()
            .find(|l| l.trim_start().starts_with("level:"))
            .unwrap()
            .to_string();
        t.replacen(&level, &format!("  level: {}", yq(&hostile_nl("level"))), 1)
    });
    broken("codebook name", study.join("polcode.yaml"), &|t| {
        t.replacen(
            "codebook: policy-tools",
            &format!("codebook: {}", yq(&hostile_nl("codebook"))),
            1,
        )
    });
    let copy = study.join("unknown.codebook.yaml");
    fs::copy(&unknown, &copy).unwrap();
    broken("codebook field", study.join("polcode.yaml"), &|t| {
        t.replacen(
            "codebook: policy-tools",
            "codebook: unknown.codebook.yaml",
            1,
        )
    });

    assert!(
        r.failures.is_empty(),
        "{} sequence(s) from the data reached the terminal:\n{}",
        r.failures.len(),
        r.failures.join("\n")
    );
    // The data did reach the output (escaped), so the scan above is not vacuous.
    for must in [
        "import",
        "docs",
        "check",
        "stats -f text --by region",
        "stats -f csv --by region",
        "export -f csv",
        "codebook check",
        "code",
    ] {
        assert!(
            r.escaped.iter().any(|l| l.starts_with(must)),
            "no escaped sequence in the output of `{must}`: {:?}",
            r.escaped
        );
    }
}
