use std::process::ExitCode;

use clap::Parser;

// A request builds and frees many small values (rows, views, JSON). Profiles of the case list
// showed the system allocator's bookkeeping (chunk consolidation) at a sixth of the time;
// mimalloc's per-thread pages cut it (bench/RESULTS.md).
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
