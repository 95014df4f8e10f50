//! `callrec token`: a development token (HS256) for a server started with the same `--jwt-secret`.

use std::process::ExitCode;
use std::time::Duration;

use crate::auth;

#[derive(Debug, clap::Args)]
pub struct TokenArgs {
    /// The server's --jwt-secret.
    #[arg(long, env = "CALLREC_JWT_SECRET", hide_env_values = true)]
    pub secret: String,
    /// The tenant (tid) the token speaks for.
    #[arg(long, default_value = crate::auth::DEFAULT_TENANT)]
    pub tenant: String,
    /// Application permissions (roles), comma-separated.
    #[arg(long, value_delimiter = ',', default_value = auth::CALL_RECORDS_READ)]
    pub roles: Vec<String>,
    /// The application id (appid).
    #[arg(long, default_value = "11111111-1111-1111-1111-111111111111")]
    pub app: String,
    /// The audience (aud).
    #[arg(long, default_value = auth::GRAPH_AUDIENCES[0])]
    pub audience: String,
    /// Lifetime in seconds.
    #[arg(long, default_value_t = 3600)]
    pub expires_in: u64,
}

pub(super) fn token(args: &TokenArgs) -> anyhow::Result<ExitCode> {
    let token = auth::dev_token(
        &args.secret,
        &auth::DevToken {
            tenant: args.tenant.clone(),
            app: args.app.clone(),
            roles: args.roles.clone(),
            audience: args.audience.clone(),
            lifetime: Duration::from_secs(args.expires_in),
        },
    )?;
    println!("{token}");
    Ok(ExitCode::SUCCESS)
}
