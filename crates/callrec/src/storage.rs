//! Chooses and opens the store a command works on, from `--store` / `CALLREC_STORE`.
//!
//! The form of the setting picks the backend: a file path (or `sqlite:PATH`) is the embedded SQLite store,
//! the default; a `postgres://` (or `postgresql://`) URL is PostgreSQL, in builds with the `postgres`
//! feature. Anything with another scheme fails fast with a message that says what is accepted.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, anyhow, bail};
use callrec_model::query::{ListQuery, RecordFilter, RecordOrder};
use callrec_store::sqlite::{SqliteOptions, SqliteStore};
use callrec_store::{Store, StoreError};

/// The default store: a `callrec.db` file in the working directory.
pub const DEFAULT_STORE: &str = "callrec.db";

/// What `--store` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreLocation {
    Sqlite(PathBuf),
    /// A `postgres://` URL, as given.
    Postgres(String),
}

impl StoreLocation {
    pub fn parse(spec: &str) -> anyhow::Result<Self> {
        if let Some(path) = spec
            .strip_prefix("sqlite://")
            .or_else(|| spec.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                bail!("--store sqlite: needs a file path, e.g. sqlite:callrec.db");
            }
            return Ok(StoreLocation::Sqlite(PathBuf::from(path)));
        }
        if spec.starts_with("postgres://") || spec.starts_with("postgresql://") {
            return Ok(StoreLocation::Postgres(spec.to_owned()));
        }
        if let Some((scheme, _)) = spec.split_once("://") {
            bail!(
                "--store {}: unknown store scheme '{scheme}'; use a file path or sqlite:PATH for the embedded store, \
                 or postgres://USER:PASSWORD@HOST/DATABASE for PostgreSQL",
                describe(spec)
            );
        }
        if spec.is_empty() {
            bail!("--store is empty; use a file path such as {DEFAULT_STORE}");
        }
        Ok(StoreLocation::Sqlite(PathBuf::from(spec)))
    }
}

/// Opens (creating if needed) the store named by `spec`.
pub async fn open(spec: &str) -> anyhow::Result<Arc<dyn Store>> {
    match StoreLocation::parse(spec)? {
        StoreLocation::Sqlite(path) => {
            check_folder(&path)?;
            let shown = path.display().to_string();
            let store = tokio::task::spawn_blocking(move || {
                SqliteStore::open(&path, SqliteOptions::default())
            })
            .await?
            .map_err(|e| match e {
                // The message names the file already.
                StoreError::Open(why) if why.starts_with(&shown) => {
                    anyhow!("cannot open the store {why}")
                }
                StoreError::Open(why) => anyhow!("cannot open the store {shown}: {why}"),
                e => anyhow::Error::new(e).context(format!("cannot open the store {shown}")),
            })?;
            Ok(Arc::new(store))
        }
        StoreLocation::Postgres(url) => open_postgres(&url).await,
    }
}

/// Opens the store named by `spec` for a command that only reads it: a SQLite file that does not exist is
/// refused rather than created empty, since a mistyped path would otherwise read as a store with no data.
pub async fn open_existing(spec: &str) -> anyhow::Result<Arc<dyn Store>> {
    if let StoreLocation::Sqlite(path) = StoreLocation::parse(spec)? {
        check_exists(&path)?;
    }
    open(spec).await
}

/// A SQLite store file can only be created in a folder that exists.
fn check_folder(path: &Path) -> anyhow::Result<()> {
    match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() && !folder.is_dir() => bail!(
            "the folder {} does not exist; create it first, or give a store path in an existing folder",
            folder.display()
        ),
        _ => Ok(()),
    }
}

fn check_exists(path: &Path) -> anyhow::Result<()> {
    if path.exists() {
        return Ok(());
    }
    bail!(
        "no store at {}; give the path of an existing store, or create one with `callrec import` or `callrec serve`",
        path.display()
    )
}

#[cfg(feature = "postgres")]
async fn open_postgres(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    use callrec_store::postgres::{PostgresOptions, PostgresStore};
    let store = PostgresStore::open(url, PostgresOptions::default())
        .await
        .with_context(|| format!("cannot open the store {}", describe(url)))?;
    Ok(Arc::new(store))
}

#[cfg(not(feature = "postgres"))]
async fn open_postgres(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    bail!(
        "--store {}: this build of callrec has no PostgreSQL backend (build it with the `postgres` feature)",
        describe(url)
    )
}

/// A store setting fit for messages and logs: a URL's password is replaced by `***`.
pub fn describe(spec: &str) -> String {
    let Some((scheme, rest)) = spec.split_once("://") else {
        return spec.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((credentials, host)) => {
            let user = credentials.split(':').next().unwrap_or_default();
            let masked = if credentials.contains(':') {
                format!("{user}:***")
            } else {
                user.to_owned()
            };
            format!("{scheme}://{masked}@{host}{tail}")
        }
        None => spec.to_owned(),
    }
}

/// How many of a tenant's records match `filter` (all of them without one), counted without reading any.
pub async fn count_records(
    store: &dyn Store,
    tenant: &str,
    filter: Option<RecordFilter>,
) -> Result<u64, StoreError> {
    let query = ListQuery {
        filter,
        order: RecordOrder::default(),
        after: None,
        limit: 0,
        count: true,
    };
    Ok(store.list_records(tenant, &query).await?.count.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_locations() {
        assert_eq!(
            StoreLocation::parse("x.db").unwrap(),
            StoreLocation::Sqlite("x.db".into())
        );
        assert_eq!(
            StoreLocation::parse("sqlite:x.db").unwrap(),
            StoreLocation::Sqlite("x.db".into())
        );
        assert_eq!(
            StoreLocation::parse("sqlite:///tmp/x.db").unwrap(),
            StoreLocation::Sqlite("/tmp/x.db".into())
        );
        let err = StoreLocation::parse("mysql://host/db")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown store scheme 'mysql'"), "{err}");
        assert!(StoreLocation::parse("").is_err());
        for url in [
            "postgres://u:p@db.example/callrec",
            "postgresql://u@localhost/callrec?schema=callrec",
        ] {
            assert_eq!(
                StoreLocation::parse(url).unwrap(),
                StoreLocation::Postgres(url.into())
            );
        }
    }

    #[test]
    fn descriptions_hide_passwords() {
        assert_eq!(
            describe("postgres://callrec:secret@db:5432/callrec?schema=a"),
            "postgres://callrec:***@db:5432/callrec?schema=a"
        );
        assert_eq!(
            describe("postgres://callrec@db/callrec"),
            "postgres://callrec@db/callrec"
        );
        assert_eq!(describe("callrec.db"), "callrec.db");
        let err = StoreLocation::parse("mysql://root:hunter2@host/db")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("hunter2"), "{err}");
    }
}
