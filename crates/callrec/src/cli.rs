//! The command line: clap reads each subcommand's options into typed values (durations, periods, kinds
//! and modes are parsed here, so a mistyped value is refused before anything starts), and each
//! subcommand's module turns them into the settings of the part it runs.

mod app;
mod export;
mod generate;
mod import;
mod logging;
mod progress;
mod report;
mod serve;
mod tls;
mod token;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use export::ExportArgs;
pub use generate::GenerateArgs;
pub use import::ImportArgs;
pub use logging::{LogFormat, init_logging};
pub use report::ReportArgs;
pub use serve::{AuthMode, GuardArgs, ServeArgs, Switch, listen_addr};
pub use token::TokenArgs;

#[derive(Debug, Parser)]
#[command(
    name = "callrec",
    version,
    about = "A Microsoft Graph call records service: the Graph v1.0 read API, ingestion and storage."
)]
pub struct Cli {
    /// Log more (repeat for even more). RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// The log on standard error: `text` for people, `json` (one object per line) for machines.
    #[arg(
        long,
        global = true,
        env = "CALLREC_LOG_FORMAT",
        value_enum,
        default_value = "text"
    )]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the Graph call records API over HTTP.
    Serve(Box<ServeArgs>),
    /// Import call records from NDJSON, a JSON array or a Graph collection page (gzip detected).
    Import(ImportArgs),
    /// Generate realistic call records, to a file or straight into a store.
    Generate(GenerateArgs),
    /// Print a development token (HS256) for a server started with the same --jwt-secret.
    Token(TokenArgs),
    /// Receive change notifications locally: answer validation, check clientState, print each one.
    WebhookListen(crate::http::webhook_listen::WebhookListenArgs),
    /// Bring a store's schema up to date (serving does it too, at start).
    Migrate(crate::migrate_store::MigrateArgs),
    /// Copy tenants' data from one store to another (e.g. from SQLite to PostgreSQL).
    MigrateStore(crate::migrate_store::MigrateStoreArgs),
    /// Print a call quality report (poor stream rates by day, user, subnet...) from a store.
    Report(ReportArgs),
    /// Export call records and log rows of a date range as Parquet, CSV or NDJSON files.
    Export(ExportArgs),
    /// Register, list and remove the apps that sign in with `serve --identity`.
    App(app::AppArgs),
    /// The development certificate authority of `serve --tls dev`.
    Tls(tls::TlsArgs),
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => serve::serve(*args).await,
        Command::Import(args) => import::import(args).await,
        Command::Generate(args) => generate::generate(args).await,
        Command::Token(args) => token::token(&args),
        Command::WebhookListen(args) => crate::http::webhook_listen::run(args).await,
        Command::Migrate(args) => crate::migrate_store::migrate(args).await,
        Command::MigrateStore(args) => crate::migrate_store::migrate_store(args).await,
        Command::Report(args) => report::run(args).await,
        Command::Export(args) => export::run(args).await,
        Command::App(args) => app::run(args).await,
        Command::Tls(args) => tls::run(args).await,
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use clap::{CommandFactory, Parser};

    use super::*;
    use crate::retention::RetentionPeriod;
    use crate::scrubbing::ScrubAfter;

    fn serve(args: &[&str]) -> Result<ServeArgs, String> {
        let argv = ["callrec", "serve"].iter().chain(args);
        match Cli::try_parse_from(argv)
            .map_err(|e| e.to_string())?
            .command
        {
            Command::Serve(args) => Ok(*args),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn values_are_typed_when_read() {
        let args = serve(&[
            "--auth",
            "token",
            "--throttle",
            "off",
            "--retention",
            "forever",
            "--scrub-after",
            "28d",
            "--fault-latency",
            "200ms",
            "--availability-delay",
            "30m",
            "--log-retention",
            "pstnCall=400d",
        ])
        .unwrap();
        let g = &args.guard;
        assert_eq!(
            (g.auth, g.throttle, g.retention),
            (
                Some(AuthMode::Token),
                Some(Switch::Off),
                Some(RetentionPeriod(None))
            )
        );
        assert_eq!(
            g.scrub_after,
            Some(ScrubAfter(Some(Duration::from_secs(28 * 86400))))
        );
        assert_eq!(g.fault_latency, Some(Duration::from_millis(200)));
        assert_eq!(g.availability_delay, Some(Duration::from_secs(1800)));
        assert_eq!(g.log_retention.len(), 1);
    }

    #[test]
    fn a_mistyped_value_is_refused_with_an_example() {
        let refused = |args: &[&str], expected: &str| {
            let e = serve(args).unwrap_err();
            assert!(e.contains(expected), "{args:?}: {e}");
        };
        refused(&["--retention", "soon"], "like 30d, 12h or forever");
        refused(&["--scrub-after", "later"], "like 28d, 12h or never");
        refused(&["--fault-latency", "fast"], "like 200ms, 30s, 30m or 2h");
        refused(&["--fault-rate", "5"], "a probability from 0 to 1");
        refused(&["--throttle-limit", "record=40"], "like 40/20s");
        refused(&["--throttle-limit", "nope=1/1s"], "known: app, tenant");
        refused(&["--log-retention", "calls=30d"], "not a log row kind");
        refused(&["--auth", "maybe"], "possible values: none, token");
    }

    #[test]
    fn listen_takes_a_port_or_host_and_port() {
        let local = |p: u16| std::net::SocketAddr::from(([127, 0, 0, 1], p));
        assert_eq!(listen_addr("8086"), Ok(local(8086)));
        assert_eq!(listen_addr(":8086"), Ok(local(8086)));
        assert_eq!(listen_addr("0.0.0.0:80").unwrap().to_string(), "0.0.0.0:80");
        assert!(listen_addr("localhost:8085").unwrap().ip().is_loopback());
        for bad in ["localhost", "99999", "host:port", "::1:80"] {
            let e = listen_addr(bad).unwrap_err();
            assert!(e.contains("127.0.0.1:8080"), "{bad}: {e}");
        }
        assert_eq!(serve(&["--listen", "8086"]).unwrap().listen, local(8086));
    }

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(logging::colour(true, None));
        assert!(logging::colour(true, Some("".into())));
        assert!(!logging::colour(true, Some("1".into())));
        assert!(!logging::colour(false, None));
    }
}
