//! Help, version, completions, the demo, running outside a study and without a terminal.

use super::*;

// ---------------------------------------------------------------------------------------------
// --help, --version, completions
// ---------------------------------------------------------------------------------------------

const COMMANDS: &[&[&str]] = &[
    &["init"],
    &["import"],
    &["docs"],
    &["codebook"],
    &["codebook", "show"],
    &["codebook", "check"],
    &["check"],
    &["code"],
    &["review"],
    &["stats"],
    &["freq"],
    &["chart"],
    &["agree"],
    &["reconcile"],
    &["eval"],
    &["suggest"],
    &["suggest", "report"],
    &["export"],
    &["import-codebook"],
    &["import-qdpx"],
    &["demo"],
    &["completions"],
];

#[test]
fn help_on_every_command_and_version() {
    let env = Env::new();
    let top = env.ok(&["--help"]);
    for c in COMMANDS.iter().filter(|c| c.len() == 1) {
        assert!(top.contains(c[0]), "--help does not list {}:\n{top}", c[0]);
    }
    for c in COMMANDS {
        let mut args = c.to_vec();
        args.push("--help");
        let out = env.ok(&args);
        assert!(out.contains("Usage: polcode"), "{args:?}:\n{out}");
        assert!(out.contains("--help"), "{args:?}:\n{out}");
    }
    let v = env.ok(&["--version"]);
    assert_eq!(v.trim(), format!("polcode {}", env!("CARGO_PKG_VERSION")));
    // Nothing was created by asking for help.
    assert!(!env.path().join("data").exists());
}

#[test]
fn completions_for_each_shell() {
    let env = Env::new();
    let bash = env.ok(&["completions", "bash"]);
    assert!(bash.contains("_polcode()"), "{bash}");
    assert!(bash.contains("import-qdpx"));
    for shell in ["zsh", "fish"] {
        assert!(!env.ok(&["completions", shell]).is_empty());
    }
    let err = env.usage_error(&["completions", "tcsh"]);
    assert!(err.contains("tcsh"), "{err}");
}

#[test]
fn unknown_command_and_flag_are_usage_errors() {
    let env = Env::new();
    env.usage_error(&["frobnicate"]);
    env.usage_error(&["docs", "--nonsense"]);
    env.usage_error(&["agree", "onlyone"]);
}

// ---------------------------------------------------------------------------------------------
// Commands outside a study; the coding screen without a terminal
// ---------------------------------------------------------------------------------------------

#[test]
fn commands_outside_a_study_say_so() {
    let env = Env::new();
    for args in [
        &["docs"][..],
        &["check"],
        &["import", "x.txt"],
        &["codebook", "show"],
        &["codebook", "check"],
        &["stats"],
        &["freq"],
        &["chart"],
        &["agree", "a", "b"],
        &["eval", "--coder", "a"],
        &["suggest", "report"],
        &["export", "--format", "csv"],
        &["import-qdpx", "x.qdpx"],
        &["code"],
        &["review"],
        &["reconcile", "a", "b", "--into", "c"],
    ] {
        let err = env.fails(args);
        assert!(
            err.starts_with("polcode: error: no study here"),
            "{args:?}: {err}"
        );
    }
    // --study naming a directory that is not a study.
    fs::create_dir(env.path().join("plain")).unwrap();
    let err = env.fails(&["--study", "plain", "docs"]);
    assert!(err.contains("not a polcode study"), "{err}");
    // POLCODE_STUDY works like --study.
    let demo = env.demo();
    assert_ok_with(
        env.cmd().env("POLCODE_STUDY", &demo).arg("docs"),
        "10 documents",
    );
}

#[test]
fn the_coding_screen_needs_a_terminal() {
    let env = Env::new();
    let demo = env.demo();
    let before = snapshot_tree(&demo);
    for args in [
        &["code", "--coder", "alice"][..],
        &["review"],
        &["reconcile", "alice", "bob", "--into", "consensus"],
        &[],
    ] {
        let out = output_with_stdin(env.cmd().current_dir(&demo).args(args), "q");
        no_panic(&out, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&out).contains("needs a terminal"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert_eq!(snapshot_tree(&demo), before);
    let err = env.fails(&[
        "--study",
        demo.to_str().unwrap(),
        "reconcile",
        "a",
        "b",
        "--into",
        "a",
    ]);
    assert!(err.contains("--into"), "{err}");
    let err = env.fails(&[
        "--study",
        demo.to_str().unwrap(),
        "code",
        "--coder",
        "../evil",
    ]);
    assert!(
        err.contains("invalid coder name") || err.contains("needs a terminal"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// demo
// ---------------------------------------------------------------------------------------------

#[test]
fn demo_is_created_once_and_reset_on_request() {
    let env = Env::new();
    // `polcode` alone without a terminal refuses before creating anything.
    let err = env.fails(&[]);
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(
        !env.path().join("data").exists(),
        "the demo was created for nothing"
    );

    let demo = env.demo();
    let docs = fs::read_dir(demo.join("documents")).unwrap().count();
    assert_eq!(docs, 10);
    code_demo(&demo);
    // Asking again returns the same study, codings untouched.
    assert_eq!(env.demo(), demo);
    assert!(demo.join("codings/alice.yaml").is_file());
    // --reset starts afresh.
    let out = env.ok(&["demo", "--reset"]);
    assert_eq!(PathBuf::from(out.trim()), demo);
    assert!(!demo.join("codings/alice.yaml").exists());
    assert_eq!(fs::read_dir(demo.join("documents")).unwrap().count(), 10);
    assert!(env
        .ok_in(&demo, &["check"])
        .contains("ok: no problems found"));
}

#[test]
fn without_a_coder_name_polcode_asks_once_and_remembers_it_for_the_study() {
    let env = Env::new();
    let demo = env.demo();
    let nameless = |stdin: &str, args: &[&str]| {
        let out = output_with_stdin(
            env.cmd()
                .current_dir(&demo)
                .env_remove("USER")
                .env_remove("POLCODE_CODER")
                .args(args),
            stdin,
        );
        no_panic(&out, args);
        out
    };
    let remembered = demo.join(".polcode").join("coder");
    // Nothing to read: a clear failure that names --coder, and nothing written.
    let out = nameless("", &["code"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("--coder"), "{err}");
    assert!(
        !err.contains("needs a terminal"),
        "asked before the terminal check: {err}"
    );
    assert!(!remembered.exists());
    // An invalid name is refused with the reason, and not remembered.
    let out = nameless("../evil\n", &["code"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("invalid coder name"),
        "{}",
        stderr(&out)
    );
    assert!(!remembered.exists());
    // A name on stdin is taken, validated and remembered in a directory git ignores; the
    // screen itself still needs a terminal.
    let out = nameless("dora\n", &["code"]);
    let err = stderr(&out);
    assert!(err.contains("coding as dora"), "{err}");
    assert!(err.contains("needs a terminal"), "{err}");
    assert_eq!(fs::read_to_string(&remembered).unwrap().trim(), "dora");
    let ignore = fs::read_to_string(demo.join(".polcode").join(".gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l.trim() == "*"), "{ignore}");
    // The next start does not ask: with nothing on stdin it goes straight to the screen.
    let out = nameless("", &["code"]);
    let err = stderr(&out);
    assert!(
        !err.contains("coding as") && !err.contains("--coder"),
        "{err}"
    );
    assert!(err.contains("needs a terminal"), "{err}");
    // Read-only commands neither ask nor write; eval reports on the remembered coder.
    let out = nameless("", &["docs"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = nameless("", &["eval"]);
    assert!(
        stderr(&out).contains("\"dora\" has no decisions"),
        "{}",
        stderr(&out)
    );
    // --coder still wins over the remembered name.
    let out = nameless("", &["code", "--coder", "erin"]);
    assert!(stderr(&out).contains("needs a terminal"));
    assert_eq!(fs::read_to_string(&remembered).unwrap().trim(), "dora");
}
