//! SQLite storage of app registrations and server keys (see [`crate::apps`]).
//!
//! Writes run on the writer thread like every other write; reads on the pooled read-only connections.

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{SqliteStore, backend};
use crate::apps::{AppRegistration, decode_list, encode_list};
use crate::{AppStore, StoreError, TenantId};

const APP_COLUMNS: &str = "tenant, client_id, name, roles, secret_hash, certificates, created_at";

fn app_of(row: &Row<'_>) -> rusqlite::Result<(AppRegistration, String, String)> {
    Ok((
        AppRegistration {
            tenant: row.get(0)?,
            client_id: row.get(1)?,
            name: row.get(2)?,
            roles: Vec::new(),
            secret_hash: row.get(4)?,
            certificates: Vec::new(),
            created_at: row.get(6)?,
        },
        row.get(3)?,
        row.get(5)?,
    ))
}

fn decoded(
    (mut app, roles, certificates): (AppRegistration, String, String),
) -> Result<AppRegistration, StoreError> {
    app.roles = decode_list(&roles)?;
    app.certificates = decode_list(&certificates)?;
    Ok(app)
}

fn select(
    conn: &Connection,
    clause: &str,
    params: &[&dyn rusqlite::ToSql],
) -> Result<Vec<AppRegistration>, StoreError> {
    let found: Vec<_> = conn
        .prepare_cached(&format!("SELECT {APP_COLUMNS} FROM apps {clause}"))
        .and_then(|mut s| s.query_map(params, app_of)?.collect::<Result<_, _>>())
        .map_err(backend)?;
    found.into_iter().map(decoded).collect()
}

#[async_trait]
impl AppStore for SqliteStore {
    async fn add_app(&self, app: &AppRegistration) -> Result<bool, StoreError> {
        let app = app.clone();
        self.side_write(move |conn| {
            conn.prepare_cached(&format!(
                "INSERT OR IGNORE INTO apps ({APP_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
            ))
            .and_then(|mut s| {
                s.execute(params![
                    app.tenant,
                    app.client_id,
                    app.name,
                    encode_list(&app.roles),
                    app.secret_hash,
                    encode_list(&app.certificates),
                    app.created_at,
                ])
            })
            .map(|n| n == 1)
            .map_err(backend)
        })
        .await
    }

    async fn app(
        &self,
        tenant: &TenantId,
        client_id: &str,
    ) -> Result<Option<AppRegistration>, StoreError> {
        let (tenant, client_id) = (tenant.to_owned(), client_id.to_owned());
        self.read(move |conn, _| {
            Ok(select(
                conn,
                "WHERE tenant = ?1 AND client_id = ?2",
                &[&tenant, &client_id],
            )?
            .pop())
        })
        .await
    }

    async fn apps(&self, tenant: Option<&TenantId>) -> Result<Vec<AppRegistration>, StoreError> {
        let tenant = tenant.map(str::to_owned);
        self.read(move |conn, _| match &tenant {
            Some(t) => select(
                conn,
                "WHERE tenant = ?1 ORDER BY created_at, client_id",
                &[t],
            ),
            None => select(conn, "ORDER BY tenant, created_at, client_id", &[]),
        })
        .await
    }

    async fn remove_app(&self, tenant: &TenantId, client_id: &str) -> Result<bool, StoreError> {
        let (tenant, client_id) = (tenant.to_owned(), client_id.to_owned());
        self.side_write(move |conn| {
            conn.prepare_cached("DELETE FROM apps WHERE tenant = ?1 AND client_id = ?2")
                .and_then(|mut s| s.execute(params![tenant, client_id]))
                .map(|n| n == 1)
                .map_err(backend)
        })
        .await
    }

    async fn server_key(&self, name: &str, candidate: Vec<u8>) -> Result<Vec<u8>, StoreError> {
        let name = name.to_owned();
        self.side_write(move |conn| {
            conn.prepare_cached("INSERT OR IGNORE INTO server_keys (name, value) VALUES (?1, ?2)")
                .and_then(|mut s| s.execute(params![name, candidate]))
                .map_err(backend)?;
            conn.prepare_cached("SELECT value FROM server_keys WHERE name = ?1")
                .and_then(|mut s| s.query_row([&name], |r| r.get(0)).optional())
                .map_err(backend)?
                .ok_or_else(|| StoreError::Backend(format!("the key {name} was not kept")))
        })
        .await
    }
}
