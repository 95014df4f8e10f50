//! The storage of PSTN, direct-routing and SMS log rows (and the other beta log reports).

use async_trait::async_trait;

/// The storage of PSTN, direct-routing and SMS log rows (and the other beta log reports).
#[async_trait]
pub trait LogStore: Send + Sync + 'static {}
