use std::process::ExitCode;

use clap::Parser;

// A request builds and frees many small values (rows, views, JSON); mimalloc serves them from
// per-thread pages where the system allocator takes locks and consolidates.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
