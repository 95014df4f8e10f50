//! What a backend offers the conformance cases: a way to open (and reopen) one store.

use std::sync::Arc;

use async_trait::async_trait;
use callrec_store::Store;

#[async_trait]
pub trait Backend: Send + Sync {
    /// Opens the store of this test. Opening again after every previous handle was dropped gives the same
    /// data back, as after a restart.
    async fn open(&self) -> Arc<dyn Store>;

    /// Makes the store fail any write of a record with this id, as a full disk or a broken connection
    /// would, so that atomicity can be tested. `false` if the backend cannot.
    async fn reject_record_id(&self, id: &str) -> bool;
}
