//! Chooses and opens the store a command works on, from `--store` / `CALLREC_STORE`.
//!
//! The form of the setting picks the backend: a file path (or `sqlite:PATH`) is the embedded SQLite store,
//! the default. Anything with another scheme fails fast with a message that says what is accepted.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};
use callrec_store::Store;
use callrec_store::sqlite::{SqliteOptions, SqliteStore};

/// The default store: a `callrec.db` file in the working directory.
pub const DEFAULT_STORE: &str = "callrec.db";

/// What `--store` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreLocation {
    Sqlite(PathBuf),
}

impl StoreLocation {
    pub fn parse(spec: &str) -> anyhow::Result<Self> {
        if let Some(path) = spec.strip_prefix("sqlite://").or_else(|| spec.strip_prefix("sqlite:")) {
            if path.is_empty() {
                bail!("--store sqlite: needs a file path, e.g. sqlite:callrec.db");
            }
            return Ok(StoreLocation::Sqlite(PathBuf::from(path)));
        }
        if let Some((scheme, _)) = spec.split_once("://") {
            bail!(
                "--store {spec}: unknown store scheme '{scheme}'; use a file path or sqlite:PATH for the embedded store"
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
            let shown = path.display().to_string();
            let store = tokio::task::spawn_blocking(move || SqliteStore::open(&path, SqliteOptions::default()))
                .await?
                .with_context(|| format!("cannot open the store {shown}"))?;
            Ok(Arc::new(store))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_locations() {
        assert_eq!(StoreLocation::parse("x.db").unwrap(), StoreLocation::Sqlite("x.db".into()));
        assert_eq!(StoreLocation::parse("sqlite:x.db").unwrap(), StoreLocation::Sqlite("x.db".into()));
        assert_eq!(StoreLocation::parse("sqlite:///tmp/x.db").unwrap(), StoreLocation::Sqlite("/tmp/x.db".into()));
        let err = StoreLocation::parse("mysql://host/db").unwrap_err().to_string();
        assert!(err.contains("unknown store scheme 'mysql'"), "{err}");
        assert!(StoreLocation::parse("").is_err());
    }
}
