//! `callrec app add|list|remove`: the app registrations of a store, for `serve --identity`'s sign-in.
//!
//! An app is what the identity platform calls an app registration: a client id in a tenant, the
//! application permissions (roles) its tokens carry, and a secret or a certificate to sign in with.
//! The secret is printed once and kept only as a salted hash.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use crate::identity::{self, NewApp};
use crate::storage;

#[derive(Debug, clap::Args)]
pub struct AppArgs {
    #[command(subcommand)]
    pub command: AppCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum AppCommand {
    /// Register an app in a tenant: prints its client id and secret (the secret only now).
    Add(AddArgs),
    /// List the apps registered (in one tenant, or in all).
    List(ListArgs),
    /// Remove an app: it can no longer sign in (tokens it holds stay valid until they expire).
    Remove(RemoveArgs),
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The store (made if it does not exist yet).
    #[arg(long, env = "CALLREC_STORE", default_value = storage::DEFAULT_STORE)]
    pub store: String,
    /// The tenant the app belongs to; its tokens read this tenant's data only.
    #[arg(long, default_value = crate::auth::DEFAULT_TENANT)]
    pub tenant: String,
    /// A name for people.
    #[arg(long)]
    pub name: String,
    /// The application permissions its tokens carry, comma-separated: CallRecords.Read.All,
    /// CallRecord-PstnCalls.Read.All, CallRecords.ReadWrite.All.
    #[arg(long, value_delimiter = ',', default_value = crate::auth::CALL_RECORDS_READ)]
    pub roles: Vec<String>,
    /// A certificate (PEM file, RSA key) whose key signs the app's client assertions; the app then
    /// gets no secret.
    #[arg(long, value_name = "PEM")]
    pub certificate: Option<std::path::PathBuf>,
    /// Print {"tenantId","clientId","clientSecret"} as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// The store to read.
    #[arg(long, env = "CALLREC_STORE", default_value = storage::DEFAULT_STORE)]
    pub store: String,
    /// Only this tenant's apps.
    #[arg(long)]
    pub tenant: Option<String>,
    /// Print a JSON array.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct RemoveArgs {
    /// The store to change.
    #[arg(long, env = "CALLREC_STORE", default_value = storage::DEFAULT_STORE)]
    pub store: String,
    /// The app's tenant.
    #[arg(long, default_value = crate::auth::DEFAULT_TENANT)]
    pub tenant: String,
    /// The app's client id.
    #[arg(long)]
    pub client_id: String,
}

pub(super) async fn run(args: AppArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        AppCommand::Add(args) => add(args).await,
        AppCommand::List(args) => list(args).await,
        AppCommand::Remove(args) => remove(args).await,
    }
}

async fn add(args: AddArgs) -> anyhow::Result<ExitCode> {
    let certificate = match &args.certificate {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the certificate {}", path.display()))?,
        ),
        None => None,
    };
    let store = storage::open(&args.store).await?;
    let registered = identity::register(
        store.as_ref(),
        NewApp {
            tenant: args.tenant.clone(),
            name: args.name.clone(),
            roles: args.roles.clone(),
            certificate,
        },
    )
    .await?;
    let app = &registered.app;
    let mut out = std::io::stdout().lock();
    if args.json {
        let mut json = serde_json::json!({
            "tenantId": app.tenant,
            "clientId": app.client_id,
        });
        if let Some(secret) = &registered.secret {
            json["clientSecret"] = secret.clone().into();
        }
        writeln!(out, "{json}")?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "Registered the app '{}' in tenant {} with the roles {}.",
        app.name,
        app.tenant,
        app.roles.join(", ")
    )?;
    writeln!(out, "client id:     {}", app.client_id)?;
    match &registered.secret {
        Some(secret) => {
            writeln!(out, "client secret: {secret}")?;
            writeln!(
                out,
                "The secret is shown only now: callrec keeps its hash, not the secret."
            )?;
        }
        None => writeln!(
            out,
            "It signs in with client assertions signed by the key of its certificate."
        )?,
    }
    Ok(ExitCode::SUCCESS)
}

async fn list(args: ListArgs) -> anyhow::Result<ExitCode> {
    let store = storage::open_existing(&args.store).await?;
    let apps = store.apps(args.tenant.as_deref()).await?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let rows: Vec<serde_json::Value> = apps
            .iter()
            .map(|a| {
                serde_json::json!({
                    "tenantId": a.tenant,
                    "clientId": a.client_id,
                    "name": a.name,
                    "roles": a.roles,
                    "secret": a.secret_hash.is_some(),
                    "certificates": a.certificates.len(),
                })
            })
            .collect();
        writeln!(out, "{}", serde_json::Value::Array(rows))?;
        return Ok(ExitCode::SUCCESS);
    }
    if apps.is_empty() {
        writeln!(out, "No app is registered; add one with `callrec app add`.")?;
        return Ok(ExitCode::SUCCESS);
    }
    let rows: Vec<[String; 5]> = apps
        .iter()
        .map(|a| {
            let credential = match (a.secret_hash.is_some(), a.certificates.len()) {
                (true, 0) => "secret".to_owned(),
                (false, n) => format!("{n} certificate(s)"),
                (true, n) => format!("secret, {n} certificate(s)"),
            };
            [
                a.tenant.clone(),
                a.client_id.clone(),
                a.name.clone(),
                a.roles.join(","),
                credential,
            ]
        })
        .collect();
    let header = ["tenant", "client id", "name", "roles", "signs in with"];
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                text.push_str(cell);
            } else {
                text.push_str(&format!("{cell:<w$}  ", w = widths[i]));
            }
        }
        text
    };
    writeln!(out, "{}", line(header.to_vec()))?;
    for row in &rows {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
    }
    Ok(ExitCode::SUCCESS)
}

async fn remove(args: RemoveArgs) -> anyhow::Result<ExitCode> {
    let store = storage::open_existing(&args.store).await?;
    if store.remove_app(&args.tenant, &args.client_id).await? {
        println!(
            "Removed the app {} from tenant {}: it can no longer sign in; tokens it already holds stay valid until they expire (within the hour).",
            args.client_id, args.tenant
        );
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "No app {} is registered in tenant {}.",
            args.client_id, args.tenant
        );
        Ok(ExitCode::FAILURE)
    }
}
