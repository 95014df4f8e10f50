//! The JSON bodies of notifications, in Graph's shape (spec/examples/changenotifications-*.json):
//! a `changeNotificationCollection` whose `value` holds change notifications about call records, or
//! lifecycle notifications (which carry no resource).
//!
//! Each change notification carries an `id` derived from its outbox row, so a notification delivered
//! twice (after a crash, or a reply that came too late) has the same id both times and a receiver can
//! drop the duplicate.

use callrec_model::edm::Ticks;
use callrec_store::subscriptions::{Millis, PendingNotification};
use serde_json::{Map, Value, json};

/// The `@odata.type` Graph's callRecords notifications carry, capitalised as Graph prints it.
pub const RESOURCE_TYPE: &str = "#Microsoft.Graph.callRecord";

/// Namespace of notification ids: a fixed UUID so the same row always gives the same id.
const ID_NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x6b1c_2f0e_4d7a_4e8b_9a51_c3a7_0e2d_91f4);

/// The stable id of the notification an outbox row holds.
pub fn notification_id(subscription_id: &str, seq: i64) -> String {
    uuid::Uuid::new_v5(&ID_NAMESPACE, format!("{subscription_id}/{seq}").as_bytes()).to_string()
}

/// A time as Graph writes `Edm.DateTimeOffset`.
pub fn date_time(ms: Millis) -> String {
    Ticks(ms.saturating_mul(10_000)).to_string()
}

/// One element of `value`.
pub fn notification(n: &PendingNotification) -> Value {
    let client_state = n
        .client_state
        .as_ref()
        .map_or(Value::Null, |s| Value::String(s.clone()));
    if n.event.is_lifecycle() {
        return json!({
            "subscriptionId": n.subscription_id,
            "subscriptionExpirationDateTime": date_time(n.subscription_expiration),
            "tenantId": n.tenant,
            "clientState": client_state,
            "lifecycleEvent": n.event.as_str(),
        });
    }
    let record = n.record_id.as_deref().unwrap_or_default();
    let resource = format!("communications/callRecords/{record}");
    json!({
        "id": notification_id(&n.subscription_id, n.seq),
        "subscriptionId": n.subscription_id,
        "clientState": client_state,
        "changeType": n.event.as_str(),
        "resource": resource,
        "subscriptionExpirationDateTime": date_time(n.subscription_expiration),
        "resourceData": {
            "@odata.type": RESOURCE_TYPE,
            "@odata.id": resource,
            "id": record,
        },
        "tenantId": n.tenant,
    })
}

/// The body of one POST: `{"value":[...]}`.
pub fn body(batch: &[PendingNotification]) -> Vec<u8> {
    let mut collection = Map::new();
    collection.insert(
        "value".to_owned(),
        Value::Array(batch.iter().map(notification).collect()),
    );
    serde_json::to_vec(&Value::Object(collection)).expect("a JSON value always serializes")
}

#[cfg(test)]
mod tests {
    use callrec_store::subscriptions::NotificationEvent;

    use super::*;

    fn pending(event: NotificationEvent) -> PendingNotification {
        PendingNotification {
            seq: 7,
            tenant: "dc368399-474c-4d40-900c-6265431fd81f".into(),
            subscription_id: "4f0f3e1e-1b84-4a5b-9c2b-3f1e2d7a9b10".into(),
            event,
            record_id: (!event.is_lifecycle())
                .then(|| "e523d2ed-2966-4b6b-925b-754a88034cc5".into()),
            url: "https://h.test/".into(),
            client_state: Some("secret".into()),
            subscription_expiration: 1_677_542_400_000,
            queued_at: 0,
            attempts: 0,
        }
    }

    /// Every key of the documentation's example is there, in the example's order, with the same kind of
    /// value; callrec adds only `id`.
    #[test]
    fn change_notifications_have_graphs_shape() {
        let example = example("changenotifications-notification.json");
        let got = notification(&pending(NotificationEvent::Created));
        let expected = &example["value"][0];
        let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        let mut want = vec!["id".to_owned()];
        want.extend(keys(expected));
        assert_eq!(keys(&got), want);
        assert_eq!(keys(&got["resourceData"]), keys(&expected["resourceData"]));
        assert_eq!(
            got["resourceData"]["@odata.type"],
            expected["resourceData"]["@odata.type"]
        );
        assert_eq!(
            got["resource"],
            "communications/callRecords/e523d2ed-2966-4b6b-925b-754a88034cc5"
        );
        assert_eq!(got["resourceData"]["@odata.id"], got["resource"]);
        assert_eq!(got["changeType"], "created");
        assert_eq!(
            got["subscriptionExpirationDateTime"],
            "2023-02-28T00:00:00Z"
        );
        assert_eq!(got["clientState"], "secret");
    }

    #[test]
    fn lifecycle_notifications_have_graphs_shape() {
        let example = example("changenotifications-lifecycle-notification.json");
        let got = notification(&pending(NotificationEvent::ReauthorizationRequired));
        let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&got), keys(&example["value"][0]));
        assert_eq!(got["lifecycleEvent"], "reauthorizationRequired");
    }

    #[test]
    fn notification_ids_are_stable_and_distinct() {
        assert_eq!(notification_id("s", 1), notification_id("s", 1));
        assert_ne!(notification_id("s", 1), notification_id("s", 2));
        assert_ne!(notification_id("s", 1), notification_id("t", 1));
    }

    fn example(name: &str) -> Value {
        let path = format!("{}/../../spec/examples/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
    }
}
