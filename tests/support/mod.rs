//! Helpers shared by the integration tests: the real corpus and a polcode run on it
//! ([`real`]), a coding session driven in-process through the public effect interpreter
//! ([`session`]), and the tmux harness that drives the coding screen in a real terminal
//! ([`tmux`]).

pub mod real;
pub mod session;
pub mod tmux;
