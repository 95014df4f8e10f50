//! The storage of call quality: the stream classifications computed at ingestion and the reports over them.

use async_trait::async_trait;

/// The storage of call quality: the stream classifications computed at ingestion and the reports over them.
#[async_trait]
pub trait QualityStore: Send + Sync + 'static {}
