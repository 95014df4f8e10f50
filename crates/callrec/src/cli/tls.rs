//! `callrec tls ca`: prints the development certificate authority of `serve --tls dev`, so that
//! clients can trust it (`REQUESTS_CA_BUNDLE`, `SSL_CERT_FILE`, `--ca-file`, a system trust store).

use std::io::Write;
use std::process::ExitCode;

use crate::{storage, tls};

#[derive(Debug, clap::Args)]
pub struct TlsArgs {
    #[command(subcommand)]
    pub command: TlsCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum TlsCommand {
    /// Print the store's development CA certificate (PEM), making it first if the store has none.
    Ca(CaArgs),
}

#[derive(Debug, clap::Args)]
pub struct CaArgs {
    /// The store the CA is kept in (made if it does not exist yet).
    #[arg(long, env = "CALLREC_STORE", default_value = storage::DEFAULT_STORE)]
    pub store: String,
}

pub(super) async fn run(args: TlsArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        TlsCommand::Ca(args) => {
            let store = storage::open(&args.store).await?;
            let authority = tls::DevAuthority::of_store(store.as_ref()).await?;
            std::io::stdout()
                .lock()
                .write_all(authority.ca.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
