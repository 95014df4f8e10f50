//! The storage of app registrations and of the key material the server keeps with its data.
//!
//! callrec can act as the identity platform's token endpoint for the applications registered with it
//! (`callrec app add`), so a client signs in as it would against Microsoft Entra ID. A registration
//! belongs to one tenant and is kept with the data it opens; its secret is kept only as a hash, computed
//! by the caller (the store never sees a secret). Server keys (the token signing key, the development
//! certificate authority) are kept once per store, so every node serving the store signs and serves
//! with the same ones.

use async_trait::async_trait;

use crate::subscriptions::Millis;
use crate::{StoreError, TenantId};

/// An application registered in a tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppRegistration {
    pub tenant: String,
    /// A GUID, unique within the tenant.
    pub client_id: String,
    pub name: String,
    /// The application permissions its tokens carry (`CallRecords.Read.All`, ...).
    pub roles: Vec<String>,
    /// The secret's salted hash, as the caller encodes it; `None` when the app signs in by certificate only.
    pub secret_hash: Option<String>,
    /// Certificates (PEM) whose keys may sign the app's client assertions.
    pub certificates: Vec<String>,
    pub created_at: Millis,
}

/// The storage of app registrations and server keys.
#[async_trait]
pub trait AppStore: Send + Sync + 'static {
    /// Registers an app. Returns `false`, writing nothing, when the tenant already has this client id.
    async fn add_app(&self, app: &AppRegistration) -> Result<bool, StoreError>;

    /// The tenant's app with this client id.
    async fn app(
        &self,
        tenant: &TenantId,
        client_id: &str,
    ) -> Result<Option<AppRegistration>, StoreError>;

    /// Every app of a tenant (of every tenant with `None`), by tenant then creation.
    async fn apps(&self, tenant: Option<&TenantId>) -> Result<Vec<AppRegistration>, StoreError>;

    /// Removes an app. Returns whether it existed.
    async fn remove_app(&self, tenant: &TenantId, client_id: &str) -> Result<bool, StoreError>;

    /// The key kept under `name`, keeping `candidate` first if none is: the first writer wins, so nodes
    /// making a key at once all end up with the same one.
    async fn server_key(&self, name: &str, candidate: Vec<u8>) -> Result<Vec<u8>, StoreError>;
}

/// The roles as the backends keep them: a JSON array.
pub(crate) fn encode_list(items: &[String]) -> String {
    serde_json::to_string(items).expect("a list of strings serializes")
}

/// A JSON array kept by [`encode_list`].
pub(crate) fn decode_list(text: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Backend(format!("bad stored list: {e}")))
}
