//! The `callrec` command: the server and the tools around it. Each subcommand lives in its own module;
//! this file only reads the command line and dispatches.

use callrec::cli;
use clap::Parser;

/// mimalloc rather than glibc's malloc: the export and the server allocate on one thread and free on
/// another, which glibc's per-thread arenas turn into resident memory that is never given back.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let args = cli::Cli::parse();
    cli::init_logging(args.verbose, args.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli::run(args)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
