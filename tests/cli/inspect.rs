//! `docs`, `codebook show|check` and `check`: what the study holds and what is wrong with it.

use super::*;

// ---------------------------------------------------------------------------------------------
// docs, and quiet exit when the reader goes away
// ---------------------------------------------------------------------------------------------

#[test]
fn docs_lists_the_demo_with_progress() {
    let env = Env::new();
    let demo = env.demo();
    let out = env.ok_in(&demo, &["docs", "--wide"]);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("10 documents in polcode demo"));
    let header = lines.next().unwrap();
    for col in [
        "id", "title", "region", "level", "province", "date", "body", "all",
    ] {
        assert!(header.split_whitespace().any(|c| c == col), "{header}");
    }
    assert!(out.contains("国务院办公厅关于推动区块链技术和产业创新发展的指导意见"));
    for region in ["national", "east", "central", "west", "northeast"] {
        assert!(out.contains(region), "{region}: {out}");
    }

    code_demo(&demo);
    let body = body_paras(&demo, GZ).len();
    let out = env.ok_in(&demo, &["docs", "--coder", "alice", "--wide"]);
    assert!(out.lines().nth(1).unwrap().contains("coded:alice"), "{out}");
    let compact = env.ok_in(&demo, &["docs", "--coder", "alice"]);
    assert!(
        compact.lines().nth(1).unwrap().ends_with("alice"),
        "{compact}"
    );
    let gz = out.lines().find(|l| l.starts_with(GZ)).unwrap();
    assert!(gz.ends_with(&format!("2/{body}")), "{gz}");
    // From inside the study (a subdirectory), no --study needed.
    assert_ok_with(
        env.cmd()
            .current_dir(demo.join("documents"))
            .args(["docs", "--wide"]),
        "coded:alice",
    );
}

#[test]
fn piping_into_head_exits_quietly() {
    let env = Env::new();
    let demo = env.demo();
    let bin = env!("CARGO_BIN_EXE_polcode");
    // Small output (docs) and output far larger than a pipe buffer (freq per document).
    for args in ["docs", "freq --by document --top 100000", "completions zsh"] {
        let script = format!("'{bin}' --study '{}' {args} | head -1", demo.display());
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(&script)
            .env("POLCODE_DATA_DIR", env.path().join("data"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{script}");
        assert_eq!(stdout(&out).lines().count(), 1, "{script}");
        assert_eq!(stderr(&out), "", "{script}");
    }
}

// ---------------------------------------------------------------------------------------------
// codebook show / check
// ---------------------------------------------------------------------------------------------

/// A codebook with three problems (an empty keyword, a duplicate id, an unknown parent).
const BROKEN_CODEBOOK: &str = "name: broken
nodes:
  - id: talent
    name: {en: Talent, zh: 人才}
    keywords: [人才, \"\"]
  - id: talent
    name: {en: Again, zh: 重复}
  - id: money.tax
    name: {en: Tax, zh: 税收}
";

#[test]
fn codebook_show_and_check_bundled_and_study() {
    let env = Env::new();
    let tree = env.ok(&["codebook", "show", "policy-tools"]);
    for id in [
        "supply",
        "environment.tax-incentives",
        "demand.application-scenarios",
        "供给型",
    ] {
        assert!(tree.contains(id), "{id}: {tree}");
    }
    let detail = env.ok(&["codebook", "show", "--detail", "policy-tools"]);
    assert!(detail.len() > tree.len());
    assert!(detail.contains("人才"), "keywords shown with --detail");
    let rubric = env.ok(&["codebook", "show", "--detail", "planning-quality"]);
    assert!(rubric.contains("goals"), "{rubric}");

    for name in ["policy-tools", "planning-quality"] {
        let out = env.ok(&["codebook", "check", name]);
        assert!(out.contains("ok"), "{out}");
    }
    // The study's codebook, found from the study.
    let demo = env.demo();
    assert!(env
        .ok_in(&demo, &["codebook", "check"])
        .contains("ok (18 nodes)"));
    assert_eq!(env.ok_in(&demo, &["codebook", "show"]), tree);
    // A codebook file checks like a bundled one.
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("codebooks/planning-quality.yaml");
    assert!(env
        .ok(&["codebook", "check", file.to_str().unwrap()])
        .contains("ok"));
}

#[test]
fn codebook_check_reports_every_problem_with_its_position() {
    let env = Env::new();
    fs::write(env.path().join("broken.yaml"), BROKEN_CODEBOOK).unwrap();
    let out = env.run(&["codebook", "check", "broken.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("broken.yaml:5:20: empty keyword"), "{text}");
    assert!(
        text.contains("broken.yaml:6:9: duplicate node id"),
        "{text}"
    );
    assert!(text.contains("broken.yaml:8:9:"), "{text}");
    assert!(text.contains("3 problem(s)"), "{text}");

    let err = env.fails(&["codebook", "show", "broken.yaml"]);
    assert!(err.contains("broken.yaml:5:20"), "{err}");

    // Not YAML at all.
    fs::write(
        env.path().join("garbage.yaml"),
        "name: x\nnodes: [\n  - id: : :\n",
    )
    .unwrap();
    let out = env.run(&["codebook", "check", "garbage.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("garbage.yaml:3:"), "{}", stdout(&out));

    for verb in ["show", "check"] {
        let err = env.fails(&["codebook", verb, "no-such-book"]);
        assert!(
            err.contains("no-such-book") && err.contains("policy-tools"),
            "{err}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// check
// ---------------------------------------------------------------------------------------------

#[test]
fn check_a_clean_study() {
    let env = Env::new();
    let demo = env.demo();
    code_demo(&demo);
    let out = env.ok_in(&demo, &["check"]);
    assert!(out.contains("ok: no problems found"), "{out}");
    assert!(out.contains("10 documents"), "{out}");
    assert!(out.contains("coder alice: 5 decisions"), "{out}");
}

#[test]
fn check_reports_every_damage_and_changes_nothing() {
    let env = Env::new();
    let demo = env.demo();
    let ids = code_demo(&demo);
    let codings = demo.join("codings");
    // bob: malformed YAML (an unclosed flow sequence on line 7).
    fs::write(
        codings.join("bob.yaml"),
        format!(
            "coder: bob\nformat: 1\nseq: 1\ndecisions:\n- para: {}\n  hash: abc\n  nodes: [supply\n",
            ids[0]
        ),
    )
    .unwrap();
    // carol: a node the codebook does not have.
    code(&demo, "carol", &[(&ids[2], &["supply.teleportation"])]);
    // dave: an orphan kept from an earlier re-import.
    fs::write(
        codings.join("dave.yaml"),
        format!(
            "coder: dave\nformat: 1\nseq: 1\ndecisions: []\norphans:\n- decision:\n    para: {BJ}#99\n    \
             hash: 0123456789abcdef\n    nodes: [supply]\n    coder: dave\n    at: 2025-01-01T00:00:00Z\n  \
             reason: paragraph no longer in the document\n"
        ),
    )
    .unwrap();
    // A hand-edited document.
    let doc = demo.join(format!("documents/{GZ}.yaml"));
    let yaml = fs::read_to_string(&doc).unwrap();
    let (meta, paras) = yaml.split_once("paragraphs:").unwrap();
    let edited = format!("{meta}paragraphs:{}", paras.replacen("区块链", "区快链", 1));
    fs::write(&doc, edited).unwrap();
    // erin: a session holding the lock while check runs.
    let held = CoderStore::open(&codings, "erin", OpenMode::ReadWrite).unwrap();

    let before = snapshot_tree(&demo);
    let out = env.run_in(&demo, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("bob.yaml:8:1:"),
        "malformed YAML with its line: {text}"
    );
    assert!(
        text.contains("unknown node \"supply.teleportation\""),
        "{text}"
    );
    assert!(text.contains("carol.yaml"), "{text}");
    assert!(text.contains("dave.yaml: 1 orphaned decision"), "{text}");
    assert!(text.contains(&format!("documents/{GZ}.yaml")), "{text}");
    assert!(
        text.contains("erin.lock is locked by a running session"),
        "{text}"
    );
    assert!(text.contains("nothing was changed"), "{text}");
    assert_eq!(snapshot_tree(&demo), before, "check changed a file");
    drop(held);

    // A broken polcode.yaml is reported with its line too.
    fs::write(
        demo.join("polcode.yaml"),
        "name: demo\ncodebook: [policy-tools\n",
    )
    .unwrap();
    let out = env.run_in(&demo, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("polcode.yaml:"), "{}", stdout(&out));
}
