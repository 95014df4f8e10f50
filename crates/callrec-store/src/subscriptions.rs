//! The storage of change-notification subscriptions and the outbox of notifications to deliver.

use async_trait::async_trait;

/// The storage of change-notification subscriptions and the outbox of notifications to deliver.
#[async_trait]
pub trait SubscriptionStore: Send + Sync + 'static {}
