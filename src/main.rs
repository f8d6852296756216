use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = tiepdan::cli::Cli::parse();
    match tiepdan::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tiepdan: {message}");
            ExitCode::FAILURE
        }
    }
}
