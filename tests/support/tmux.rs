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

/// A tmux server of its own (one socket per test). A holder session keeps it alive between
/// programs, each program runs in a named session of 120x40 by default, and with `keep` a
/// session stays on screen after its program ends (`remain-on-exit`) so its last screen and
/// `pane_dead` can be read. The one tmux harness of the tests: [`Tmux`] is its one-session form.
pub struct Server {
    socket: String,
    /// How often the waits look at the screen: fine for tests that time a kill to a key.
    poll: Duration,
}

impl Server {
    pub fn start(name: &str, keep: bool) -> Server {
        let s = Server {
            socket: format!("polcode-test-{name}-{}", std::process::id()),
            poll: Duration::from_millis(if keep { 5 } else { 50 }),
        };
        let st = Command::new("tmux")
            .args(["-L", &s.socket, "-f", "/dev/null", "new-session", "-d"])
            .args(["-s", "holder", "cat"])
            .status()
            .unwrap();
        assert!(st.success());
        if keep {
            s.run(&["set-option", "-g", "remain-on-exit", "on"]);
        }
        s
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

    /// Runs `cmd` in a new 120x40 session.
    pub fn spawn(&self, session: &str, cmd: &str) {
        self.spawn_sized(session, cmd, 120, 40);
    }

    pub fn spawn_sized(&self, session: &str, cmd: &str, width: u16, height: u16) {
        let (w, h) = (width.to_string(), height.to_string());
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "new-session", "-d", "-s", session])
            .args(["-x", &w, "-y", &h, cmd])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Sends `keys` in ONE send-keys call: they arrive as a burst.
    pub fn keys(&self, session: &str, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", session];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    pub fn screen(&self, session: &str) -> String {
        self.run(&["capture-pane", "-p", "-t", session])
    }

    pub fn pid(&self, session: &str) -> i32 {
        let s = self.run(&["display-message", "-p", "-t", session, "#{pane_pid}"]);
        s.trim()
            .parse()
            .unwrap_or_else(|_| panic!("no pane pid: {s:?}"))
    }

    /// Whether the session's program has ended (sessions kept with `keep` only).
    pub fn dead(&self, session: &str) -> bool {
        self.run(&["display-message", "-p", "-t", session, "#{pane_dead}"])
            .trim()
            == "1"
    }

    /// Whether the session still exists (without `keep` it goes when its program ends).
    pub fn has(&self, session: &str) -> bool {
        self.run(&["list-sessions", "-F", "#{session_name}"])
            .lines()
            .any(|l| l == session)
    }

    /// Waits until the screen shows one of `needles`; fails (with the screen) after 30 s — a
    /// hang guard, not a speed assertion.
    pub fn wait_for(&self, session: &str, needles: &[&str]) -> String {
        self.wait_until(session, &format!("{needles:?}"), |s| {
            needles.iter().any(|n| s.contains(n))
        })
    }

    /// Waits until `ok` holds for the screen (described by `what` in the failure); fails with
    /// the last screen after 30 s. Use it when a stale frame can already hold the awaited
    /// text, e.g. a redraw that must also have wiped the shell's lines.
    pub fn wait_until(&self, session: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen(session);
            if ok(&s) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "timed out waiting for {what}; screen:\n{s}"
            );
            sleep(self.poll);
        }
    }

    /// Waits until the session's program has ended: its pane is dead (`keep`) or the session
    /// is gone. A hang guard of 30 s.
    pub fn wait_dead(&self, session: &str) {
        let start = Instant::now();
        while self.has(session) && !self.dead(session) {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "polcode did not end; screen:\n{}",
                self.screen(session)
            );
            sleep(self.poll);
        }
    }

    pub fn kill_session(&self, session: &str) {
        self.run(&["kill-session", "-t", session]);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}

/// One program in a 120x40 session `t` of a [`Server`] of its own: what most tmux tests need.
pub struct Tmux {
    server: Server,
}

impl Tmux {
    pub fn start(name: &str, cmd: &str) -> Tmux {
        let server = Server::start(name, false);
        server.spawn("t", cmd);
        Tmux { server }
    }

    pub fn run(&self, args: &[&str]) -> String {
        self.server.run(args)
    }

    /// Sends each key with a send-keys call of its own.
    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.server.keys("t", &[k]);
        }
    }

    pub fn screen(&self) -> String {
        self.server.screen("t")
    }

    pub fn pid(&self) -> i32 {
        self.server.pid("t")
    }

    /// Waits until the screen contains `needle` (a 30 s hang guard).
    pub fn wait_for(&self, needle: &str) -> String {
        self.server.wait_for("t", &[needle])
    }

    /// Waits until `ok` holds for the screen (a 30 s hang guard); see [`Server::wait_until`].
    pub fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        self.server.wait_until("t", what, ok)
    }

    /// Waits until the program has ended (a 30 s hang guard).
    pub fn wait_exit(&self) {
        self.server.wait_dead("t")
    }
}
