//! Shared by the integration tests that drive the real binary in tmux: whether tmux is there,
//! and a tmux server per test with send-keys, capture-pane and hang-guarded waits.

#![allow(dead_code)]

use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

/// Whether tmux can run here. Without it a test prints that it was skipped — except under CI
/// (`CI` set), where `.ci/run` installs tmux and its absence is a failure.
pub fn tmux_available(what: &str) -> bool {
    tool_available("tmux", "-V", "tmux", what)
}

/// Whether `program` runs (`program version_flag` succeeds); see [`tmux_available`]. `package`
/// is the Debian package that `.ci/run` installs it from.
pub fn tool_available(program: &str, version_flag: &str, package: &str, what: &str) -> bool {
    let ok = Command::new(program)
        .arg(version_flag)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "{program} is required under CI (.ci/run installs it)"
        );
        eprintln!("SKIPPED ({program} not installed; apt-get install {package}): {what}");
    }
    ok
}

/// A tmux server of its own (one socket per test) running one command in a 120x40 pane.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    pub fn start(name: &str, cmd: &str) -> Tmux {
        let socket = format!("polcode-e2e-{name}-{}", std::process::id());
        let st = Command::new("tmux")
            .args([
                "-L",
                &socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "t",
                "-x",
                "120",
                "-y",
                "40",
            ])
            .arg(cmd)
            .status()
            .unwrap();
        assert!(st.success());
        Tmux { socket }
    }

    pub fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.run(&["send-keys", "-t", "t", k]);
        }
    }

    pub fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "t"])
    }

    pub fn pid(&self) -> i32 {
        self.run(&["display-message", "-p", "-t", "t", "#{pane_pid}"])
            .trim()
            .parse()
            .unwrap()
    }

    /// Waits until the screen contains `needle`; fails (with the screen) after 30 s — a hang
    /// guard, not a speed assertion.
    pub fn wait_for(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(needle) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "timed out waiting for {needle:?}; screen:\n{s}"
            );
            sleep(Duration::from_millis(50));
        }
    }

    pub fn wait_exit(&self) {
        let start = Instant::now();
        while self.run(&["list-sessions"]).contains("t:") {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "polcode did not exit; screen:\n{}",
                self.screen()
            );
            sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}
