//! PostgreSQL storage of app registrations and server keys (see [`crate::apps`]), shared by every node.
//!
//! A server key is inserted with `ON CONFLICT DO NOTHING` and read back, so nodes making one at once
//! all keep the first.

use async_trait::async_trait;
use tokio_postgres::Row;

use super::{PostgresStore, backend};
use crate::apps::{AppRegistration, decode_list, encode_list};
use crate::{AppStore, StoreError, TenantId};

const APP_COLUMNS: &str = "tenant, client_id, name, roles, secret_hash, certificates, created_at";

fn app_of(row: &Row) -> Result<AppRegistration, StoreError> {
    Ok(AppRegistration {
        tenant: row.get(0),
        client_id: row.get(1),
        name: row.get(2),
        roles: decode_list(row.get(3))?,
        secret_hash: row.get(4),
        certificates: decode_list(row.get(5))?,
        created_at: row.get(6),
    })
}

#[async_trait]
impl AppStore for PostgresStore {
    async fn add_app(&self, app: &AppRegistration) -> Result<bool, StoreError> {
        let client = self.client().await?;
        let written = client
            .execute(
                &format!(
                    "INSERT INTO apps ({APP_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                     ON CONFLICT DO NOTHING"
                ),
                &[
                    &app.tenant,
                    &app.client_id,
                    &app.name,
                    &encode_list(&app.roles),
                    &app.secret_hash,
                    &encode_list(&app.certificates),
                    &app.created_at,
                ],
            )
            .await
            .map_err(backend)?;
        Ok(written == 1)
    }

    async fn app(
        &self,
        tenant: &TenantId,
        client_id: &str,
    ) -> Result<Option<AppRegistration>, StoreError> {
        let client = self.client().await?;
        client
            .query_opt(
                &format!("SELECT {APP_COLUMNS} FROM apps WHERE tenant = $1 AND client_id = $2"),
                &[&tenant, &client_id],
            )
            .await
            .map_err(backend)?
            .as_ref()
            .map(app_of)
            .transpose()
    }

    async fn apps(&self, tenant: Option<&TenantId>) -> Result<Vec<AppRegistration>, StoreError> {
        let client = self.client().await?;
        let rows =
            match tenant {
                Some(t) => {
                    client
                        .query(
                            &format!(
                                "SELECT {APP_COLUMNS} FROM apps WHERE tenant = $1 \
                             ORDER BY created_at, client_id"
                            ),
                            &[&t],
                        )
                        .await
                }
                None => client
                    .query(
                        &format!(
                            "SELECT {APP_COLUMNS} FROM apps ORDER BY tenant, created_at, client_id"
                        ),
                        &[],
                    )
                    .await,
            }
            .map_err(backend)?;
        rows.iter().map(app_of).collect()
    }

    async fn remove_app(&self, tenant: &TenantId, client_id: &str) -> Result<bool, StoreError> {
        let client = self.client().await?;
        let removed = client
            .execute(
                "DELETE FROM apps WHERE tenant = $1 AND client_id = $2",
                &[&tenant, &client_id],
            )
            .await
            .map_err(backend)?;
        Ok(removed == 1)
    }

    async fn server_key(&self, name: &str, candidate: Vec<u8>) -> Result<Vec<u8>, StoreError> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO server_keys (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                &[&name, &candidate],
            )
            .await
            .map_err(backend)?;
        let row = client
            .query_one("SELECT value FROM server_keys WHERE name = $1", &[&name])
            .await
            .map_err(backend)?;
        Ok(row.get(0))
    }
}
