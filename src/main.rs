//! The `polcode` command line: parses arguments with clap, finds the study, runs a command, and
//! prints errors with their context and a non-zero exit code. Piping output to `head` exits
//! quietly.
#![forbid(unsafe_code)]

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::dispatch(args) {
        Ok(code) => code,
        Err(e) => {
            if cli::output::is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            // The whole context chain on one line: "opening study x: file:3:1: ...".
            let _ = cli::output::eprint(&format!(
                "polcode: error: {}\n",
                cli::output::error_line(&e)
            ));
            ExitCode::from(1)
        }
    }
}
