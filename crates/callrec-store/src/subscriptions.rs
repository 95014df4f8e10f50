//! The storage of change-notification subscriptions and the outbox of notifications to deliver.
//!
//! Graph promises at-least-once delivery of change notifications, so nothing a record write owes to a
//! subscription may live only in memory: the backend queues one outbox row per notification in the very
//! transaction that writes the record. Delivery workers then *claim* due rows under a lease (so that
//! exactly one node sends each while the lease holds, and a crashed node's rows come back when it ends),
//! *acknowledge* the delivered ones, *reschedule* the failed ones and *drop* those past their deadline.
//! A row is the identity of a notification: its [`PendingNotification::seq`] never changes, so a
//! redelivery after a crash carries the same notification id.
//!
//! Times are milliseconds since the Unix epoch, given by the caller, so that a test can move the clock
//! (expiry, backoff, lifecycle timing) without sleeping. The one exception is the write hook inside a
//! record's transaction, which has no caller-given clock and reads the system time.

use async_trait::async_trait;

use crate::{StoreError, TenantId};

/// Milliseconds since 1970-01-01T00:00:00Z.
pub type Millis = i64;

/// A change-notification subscription to callRecords, as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// A GUID, unique across tenants.
    pub id: String,
    /// The resource as the client wrote it (`/communications/callRecords...`), echoed back on reads.
    pub resource: String,
    /// The participant ids the resource filters on; empty when it watches every record.
    pub participants: Vec<String>,
    /// Graph's comma-separated list (`created`, `updated` or `created,updated`).
    pub change_type: String,
    pub notification_url: String,
    pub lifecycle_notification_url: Option<String>,
    pub client_state: Option<String>,
    /// When the subscription stops and disappears.
    pub expiration: Millis,
    pub application_id: Option<String>,
    pub creator_id: Option<String>,
    pub latest_supported_tls_version: String,
    pub created_at: Millis,
}

impl Subscription {
    /// Whether `created` is among the change types.
    pub fn wants_created(&self) -> bool {
        has_change_type(&self.change_type, "created")
    }

    /// Whether `updated` is among the change types.
    pub fn wants_updated(&self) -> bool {
        has_change_type(&self.change_type, "updated")
    }
}

/// Whether a comma-separated `changeType` names `wanted`.
pub fn has_change_type(change_type: &str, wanted: &str) -> bool {
    change_type.split(',').any(|t| t.trim() == wanted)
}

/// What `PATCH /subscriptions/{id}` may change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubscriptionUpdate {
    pub expiration: Option<Millis>,
    pub notification_url: Option<String>,
}

/// What [`SubscriptionStore::create_subscription`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateOutcome {
    Created,
    /// The tenant already has this many unexpired subscriptions; nothing was written.
    LimitReached {
        limit: usize,
    },
}

/// What a queued notification tells its receiver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotificationEvent {
    /// A record was seen by the subscription for the first time.
    Created,
    /// A record was seen by the subscription for the first time, or changed again.
    Updated,
    /// The lifecycle notification asking the subscriber to reauthorize (or renew) before expiry.
    ReauthorizationRequired,
}

impl NotificationEvent {
    /// The value as Graph writes it (`changeType` or `lifecycleEvent`).
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationEvent::Created => "created",
            NotificationEvent::Updated => "updated",
            NotificationEvent::ReauthorizationRequired => "reauthorizationRequired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            NotificationEvent::Created,
            NotificationEvent::Updated,
            NotificationEvent::ReauthorizationRequired,
        ]
        .into_iter()
        .find(|e| e.as_str() == s)
    }

    /// Lifecycle notifications go to `lifecycleNotificationUrl` and carry no resource.
    pub fn is_lifecycle(self) -> bool {
        self == NotificationEvent::ReauthorizationRequired
    }
}

/// A notification waiting in the outbox, with what its delivery needs from the subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingNotification {
    /// The row's number: stable for the notification's whole life, never reused.
    pub seq: i64,
    pub tenant: String,
    pub subscription_id: String,
    pub event: NotificationEvent,
    /// The call record the notification is about; `None` for lifecycle notifications.
    pub record_id: Option<String>,
    /// Where it goes: the subscription's notification URL, or its lifecycle URL for lifecycle events.
    pub url: String,
    pub client_state: Option<String>,
    pub subscription_expiration: Millis,
    /// When the notification was queued; delivery gives up a fixed time after this.
    pub queued_at: Millis,
    /// Failed deliveries so far.
    pub attempts: u32,
}

/// Which due notifications a delivery worker takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRequest {
    pub now: Millis,
    /// How long the claimed rows stay reserved for this worker; afterwards another worker may take them.
    pub lease: Millis,
    /// At most this many rows in all...
    pub limit: usize,
    /// ...and at most this many per destination URL, so that one busy endpoint cannot fill a claim.
    pub per_url: usize,
    /// Destinations to leave alone this time (their workers are all busy).
    pub skip_urls: Vec<String>,
}

/// Counters of the outbox.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxStats {
    /// Notifications waiting (due or not, leased or not).
    pub pending: u64,
    /// Notifications dropped since the store was created.
    pub dropped: u64,
}

/// The storage of change-notification subscriptions and the outbox of notifications to deliver.
///
/// Subscriptions are per tenant; the outbox operations work across tenants, as a delivery worker serves
/// them all. A backend queues the notifications a written record owes inside the record's own
/// transaction (the SQLite writer calls its hook); that hook is not part of this trait because it runs
/// inside the backend.
#[async_trait]
pub trait SubscriptionStore: Send + Sync + 'static {
    /// Stores a new subscription unless the tenant already has `limit` subscriptions that have not
    /// expired at `now`; the count and the insert are one atomic step.
    async fn create_subscription(
        &self,
        tenant: &TenantId,
        subscription: &Subscription,
        limit: usize,
        now: Millis,
    ) -> Result<CreateOutcome, StoreError>;

    /// One subscription of the tenant, expired or not.
    async fn subscription(
        &self,
        tenant: &TenantId,
        id: &str,
    ) -> Result<Option<Subscription>, StoreError>;

    /// The tenant's subscriptions that have not expired at `now`, oldest first.
    async fn subscriptions(
        &self,
        tenant: &TenantId,
        now: Millis,
    ) -> Result<Vec<Subscription>, StoreError>;

    /// Changes a subscription; `None` when the tenant has none with this id.
    async fn update_subscription(
        &self,
        tenant: &TenantId,
        id: &str,
        update: &SubscriptionUpdate,
    ) -> Result<Option<Subscription>, StoreError>;

    /// Deletes a subscription with its pending notifications. Returns whether it existed.
    async fn delete_subscription(&self, tenant: &TenantId, id: &str) -> Result<bool, StoreError>;

    /// Deletes every subscription expired at `now`, with its pending notifications; returns how many.
    async fn remove_expired_subscriptions(&self, now: Millis) -> Result<u64, StoreError>;

    /// Queues a `reauthorizationRequired` notification for every subscription with a lifecycle URL that
    /// expires within `window` of `now`, once per expiration time (a renewal re-arms it).
    /// Returns how many were queued.
    async fn queue_reauthorization(&self, now: Millis, window: Millis) -> Result<u64, StoreError>;

    /// Takes due notifications of unexpired subscriptions that no other worker holds, and leases them
    /// until `now + lease`. Oldest first.
    async fn claim_notifications(
        &self,
        request: &ClaimRequest,
    ) -> Result<Vec<PendingNotification>, StoreError>;

    /// Removes delivered notifications.
    async fn ack_notifications(&self, seqs: &[i64]) -> Result<(), StoreError>;

    /// Makes notifications due again at `due`, releasing their lease; `failed` counts an attempt.
    async fn reschedule_notifications(
        &self,
        seqs: &[i64],
        due: Millis,
        failed: bool,
    ) -> Result<(), StoreError>;

    /// Removes notifications that will never be delivered, and counts them.
    async fn drop_notifications(&self, seqs: &[i64]) -> Result<(), StoreError>;

    /// The outbox's counters.
    async fn outbox_stats(&self) -> Result<OutboxStats, StoreError>;
}
