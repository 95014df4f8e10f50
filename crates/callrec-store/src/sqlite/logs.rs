//! SQLite storage of PSTN, direct-routing and SMS log rows (and the other beta log reports).

use async_trait::async_trait;

use super::SqliteStore;
use crate::LogStore;

#[async_trait]
impl LogStore for SqliteStore {}
