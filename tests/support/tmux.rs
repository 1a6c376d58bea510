//! Shared by the integration tests that drive the real binary in tmux: whether tmux is there.

use std::process::Command;

/// Whether tmux can run here. Without it a test prints that it was skipped — except under CI
/// (`CI` set), where `.ci/run` installs tmux and its absence is a failure.
pub fn tmux_available(what: &str) -> bool {
    let ok = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "tmux is required under CI (.ci/run installs it)"
        );
        eprintln!("SKIPPED (tmux not installed; apt-get install tmux): {what}");
    }
    ok
}
