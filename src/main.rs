//! The `polcode` command line: parses arguments with clap, finds the study, runs a command, and
//! prints errors with their context and a non-zero exit code. Piping output to `head` exits
//! quietly.
#![forbid(unsafe_code)]

mod cli;

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::Parser;

fn main() -> ExitCode {
    let args = match cli::Cli::try_parse() {
        Ok(a) => a,
        Err(e) => return clap_error(e),
    };
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

/// Help and version as clap prints them; a usage error without colour and with the arguments
/// it quotes escaped (an argument may carry escape sequences), through the one output layer.
fn clap_error(e: clap::Error) -> ExitCode {
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        e.exit();
    }
    // clap quotes the offending argument, and its plain rendering drops what looks like a
    // style sequence but keeps newlines: parse the arguments again escaped as one line each,
    // and show that error (the same mistake, quoted safely).
    let escaped: Vec<String> = std::env::args_os()
        .map(|a| polcode_core::termsafe::escape(&a.to_string_lossy()).into_owned())
        .collect();
    let text = match cli::Cli::try_parse_from(escaped) {
        Err(again) if again.kind() == e.kind() => again.render().to_string(),
        _ => e.render().to_string(),
    };
    let _ = cli::output::eprint(&text);
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
}
