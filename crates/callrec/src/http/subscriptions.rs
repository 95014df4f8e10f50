//! `/subscriptions`: change-notification subscriptions to callRecords, with Graph's rules
//! (spec/API.md section 10).
//!
//! A subscription watches `/communications/callRecords`, or only the records in which given participants
//! take part (`?$filter=participants/any(p:p/id eq '...')`). Creating one checks every rule Graph checks,
//! in Graph's words, then runs the validation handshake against the notification URL (and the lifecycle
//! URL), and only then stores it. Expired subscriptions are invisible here at once, and removed by the
//! delivery workers shortly after.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use callrec_model::edm;
use callrec_model::odata::record_filter::subscription_participant_filter;
use callrec_store::subscriptions::{CreateOutcome, Millis, Subscription, SubscriptionUpdate};
use serde_json::{Map, Value, json};

use super::body::check_json_content_type;
use super::error::{ApiError, codes};
use super::wire::{self, BaseUrl, encode_segment};
use super::{ApiVersion, AppState};
use crate::auth::Caller;
use crate::notify::payload::date_time;
use crate::notify::{Notifier, UrlError, UrlProperty, ValidationFailure};

/// The longest a callRecords subscription may live, in minutes (spec/API.md section 10).
pub const MAX_LIFETIME_MINUTES: i64 = 4230;
/// A shorter expiration is raised to this many minutes after the request.
pub const MIN_LIFETIME_MINUTES: i64 = 45;
/// The longest `clientState` accepted, in characters.
pub const MAX_CLIENT_STATE: usize = 128;

const MINUTE: Millis = 60_000;
const RESOURCE_PATH: &str = "communications/callRecords";
const TLS_VERSIONS: [&str; 4] = ["v1_0", "v1_1", "v1_2", "v1_3"];

/// The properties of `microsoft.graph.subscription` (spec/graph-types-used-csdl-v1.0.xml).
const PROPERTIES: [&str; 15] = [
    "id",
    "applicationId",
    "changeType",
    "clientState",
    "creatorId",
    "encryptionCertificate",
    "encryptionCertificateId",
    "expirationDateTime",
    "includeResourceData",
    "latestSupportedTlsVersion",
    "lifecycleNotificationUrl",
    "notificationQueryOptions",
    "notificationUrl",
    "notificationUrlAppId",
    "resource",
];

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        codes::SUBSCRIPTION_INVALID_REQUEST,
        message,
    )
}

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("The subscription '{id}' was not found."))
}

impl From<UrlError> for ApiError {
    fn from(e: UrlError) -> Self {
        invalid(e.to_string())
    }
}

impl From<ValidationFailure> for ApiError {
    fn from(e: ValidationFailure) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, e.code(), e.to_string())
    }
}

/// Reads a request body as a JSON object of subscription properties.
fn body_object(headers: &HeaderMap, body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    check_json_content_type(headers, "subscription")?;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request(
            "The request body is empty; send a subscription as a JSON object.",
        ));
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("The request body is not valid JSON: {e}")))?;
    let Value::Object(map) = value else {
        return Err(ApiError::bad_request(
            "The request body must be a JSON object of subscription properties.",
        ));
    };
    for key in map.keys() {
        if key.starts_with('@') || key.contains("@odata.") {
            continue;
        }
        if !PROPERTIES.contains(&key.as_str()) {
            return Err(ApiError::bad_request(format!(
                "The property '{key}' does not exist on type 'microsoft.graph.subscription'. Make sure to only use property names that are defined by the type."
            )));
        }
    }
    Ok(map)
}

/// A string property, `None` when absent or null.
fn string_property<'a>(
    map: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<&'a str>, ApiError> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(ApiError::bad_request(format!(
            "Cannot convert the literal '{other}' to the expected type 'Edm.String' of property '{name}'."
        ))),
    }
}

fn required<'a>(map: &'a Map<String, Value>, name: &str) -> Result<&'a str, ApiError> {
    string_property(map, name)?
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| {
            invalid(format!(
                "{name} is a required property for subscription creation."
            ))
        })
}

/// Reads `resource`: the participant ids it filters on (none: every record).
pub fn parse_resource(resource: &str) -> Result<Vec<String>, ApiError> {
    let unsupported = || {
        invalid(format!(
            "The resource '{resource}' is not supported. Subscribe to /communications/callRecords, or to \
             /communications/callRecords?$filter=participants/any(p:p/id eq '{{Entra object id}}')."
        ))
    };
    let trimmed = resource.trim().trim_start_matches('/');
    let (path, query) = match trimmed.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (trimmed, None),
    };
    if !path
        .trim_end_matches('/')
        .eq_ignore_ascii_case(RESOURCE_PATH)
    {
        return Err(unsupported());
    }
    let Some(query) = query else {
        return Ok(Vec::new());
    };
    let decoded = percent_encoding::percent_decode_str(query).decode_utf8_lossy();
    let Some((name, filter)) = decoded.split_once('=') else {
        return Err(unsupported());
    };
    if !name.eq_ignore_ascii_case("$filter") || filter.trim().is_empty() {
        return Err(invalid(format!(
            "The resource '{resource}' has an unsupported query; a callRecords subscription takes only \
             $filter=participants/any(p:p/id eq '...')."
        )));
    }
    subscription_participant_filter(filter.trim()).map_err(|e| {
        invalid(format!(
            "Invalid filter clause in resource '{resource}': {e}"
        ))
    })
}

/// Reads `changeType`: `created`, `updated` or both, comma-separated.
pub fn parse_change_type(change_type: &str) -> Result<String, ApiError> {
    let mut kinds: Vec<&str> = Vec::new();
    for kind in change_type.split(',').map(str::trim) {
        if kind != "created" && kind != "updated" {
            return Err(invalid(format!(
                "ChangeType '{kind}' is not supported for resource '{RESOURCE_PATH}'. The supported change types are created and updated."
            )));
        }
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    Ok(kinds.join(","))
}

/// Reads `expirationDateTime` and applies Graph's lifetime rules at `now`.
pub fn parse_expiration(text: &str, now: Millis) -> Result<Millis, ApiError> {
    let ticks = edm::parse_date_time_offset(text).map_err(|_| {
        invalid(format!(
            "expirationDateTime '{text}' is not a valid DateTimeOffset, such as 2023-02-28T00:00:00Z."
        ))
    })?;
    let at = ticks.0.div_euclid(10_000);
    if at > now + MAX_LIFETIME_MINUTES * MINUTE {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            codes::EXTENSION_ERROR,
            format!(
                "Subscription expiration can only be {MAX_LIFETIME_MINUTES} minutes in the future."
            ),
        ));
    }
    Ok(at.max(now + MIN_LIFETIME_MINUTES * MINUTE))
}

/// Graph's JSON of a subscription, with the `@odata.context` when it is a response of its own.
fn subscription_json(s: &Subscription, context: Option<String>) -> Value {
    let mut object = Map::new();
    if let Some(context) = context {
        object.insert("@odata.context".into(), Value::String(context));
    }
    let opt = |v: &Option<String>| v.clone().map_or(Value::Null, Value::String);
    let fields = json!({
        "id": s.id,
        "resource": s.resource,
        "applicationId": opt(&s.application_id),
        "changeType": s.change_type,
        "clientState": opt(&s.client_state),
        "notificationUrl": s.notification_url,
        "notificationQueryOptions": null,
        "lifecycleNotificationUrl": opt(&s.lifecycle_notification_url),
        "expirationDateTime": date_time(s.expiration),
        "creatorId": opt(&s.creator_id),
        "includeResourceData": null,
        "latestSupportedTlsVersion": s.latest_supported_tls_version,
        "encryptionCertificate": null,
        "encryptionCertificateId": null,
        "notificationUrlAppId": null,
    });
    if let Value::Object(fields) = fields {
        object.extend(fields);
    }
    Value::Object(object)
}

fn entity_response(status: StatusCode, base: &BaseUrl, s: &Subscription) -> Response {
    let body = subscription_json(s, Some(base.context("subscriptions/$entity")));
    let mut response = wire::json_response(
        status,
        serde_json::to_vec(&body).expect("a JSON value always serializes"),
        None,
    );
    if status == StatusCode::CREATED
        && let Ok(location) = HeaderValue::from_str(&format!(
            "{}/subscriptions/{}",
            base.root(),
            encode_segment(&s.id)
        ))
    {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// Checks a URL and runs the handshake against it.
async fn check_endpoint(
    notifier: &Notifier,
    url: &str,
    property: UrlProperty,
) -> Result<(), ApiError> {
    notifier.check_url(url, property).await?;
    notifier.validate(url).await?;
    Ok(())
}

/// `POST /subscriptions`.
pub async fn create(
    State(state): State<AppState>,
    version: ApiVersion,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let map = body_object(&headers, &body)?;
    let notifier = state.notifier.clone();
    let now = notifier.now();
    let change_type = parse_change_type(required(&map, "changeType")?)?;
    let notification_url = required(&map, "notificationUrl")?.to_owned();
    let resource = required(&map, "resource")?.to_owned();
    let expiration = required(&map, "expirationDateTime")?;
    let participants = parse_resource(&resource)?;
    let expiration = parse_expiration(expiration, now)?;
    let client_state = string_property(&map, "clientState")?.map(str::to_owned);
    if let Some(state) = &client_state {
        let length = state.chars().count();
        if length > MAX_CLIENT_STATE {
            return Err(invalid(format!(
                "clientState can be at most {MAX_CLIENT_STATE} characters long; it has {length}."
            )));
        }
    }
    if map.get("includeResourceData") == Some(&Value::Bool(true)) {
        return Err(invalid(format!(
            "includeResourceData is not supported for resource '{RESOURCE_PATH}': its notifications carry no resource data."
        )));
    }
    let tls = string_property(&map, "latestSupportedTlsVersion")?.unwrap_or("v1_2");
    if !TLS_VERSIONS.contains(&tls) {
        return Err(invalid(format!(
            "latestSupportedTlsVersion '{tls}' is not supported; use one of {}.",
            TLS_VERSIONS.join(", ")
        )));
    }
    let lifecycle_url = string_property(&map, "lifecycleNotificationUrl")?
        .filter(|u| !u.is_empty())
        .map(str::to_owned);
    notifier
        .check_url(&notification_url, UrlProperty::Notification)
        .await?;
    if let Some(url) = &lifecycle_url {
        notifier.check_url(url, UrlProperty::Lifecycle).await?;
    }
    let limit = notifier.config().max_subscriptions;
    if state.store.subscriptions(&caller.tenant, now).await?.len() >= limit {
        return Err(limit_reached());
    }
    notifier.validate(&notification_url).await?;
    if let Some(url) = &lifecycle_url {
        notifier.validate(url).await?;
    }
    let subscription = Subscription {
        id: uuid::Uuid::new_v4().to_string(),
        resource,
        participants,
        change_type,
        notification_url,
        lifecycle_notification_url: lifecycle_url,
        client_state,
        expiration,
        application_id: caller.app.clone(),
        creator_id: caller.app.clone(),
        latest_supported_tls_version: tls.to_owned(),
        created_at: now,
    };
    match state
        .store
        .create_subscription(&caller.tenant, &subscription, limit, now)
        .await?
    {
        CreateOutcome::Created => {}
        CreateOutcome::LimitReached { .. } => return Err(limit_reached()),
    }
    tracing::info!(id = %subscription.id, tenant = %caller.tenant, resource = %subscription.resource, "subscription created");
    let base = BaseUrl::from_headers(&headers, version);
    Ok(entity_response(StatusCode::CREATED, &base, &subscription))
}

fn limit_reached() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        codes::EXTENSION_ERROR,
        "Operation: Create; Exception: [Status Code: Forbidden; Reason: Maximum number of subscriptions has been reached]",
    )
}

/// `GET /subscriptions`: the tenant's subscriptions that have not expired.
pub async fn list(
    State(state): State<AppState>,
    version: ApiVersion,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    wire::check_accepts_json(&headers)?;
    let now = state.notifier.now();
    let items = state.store.subscriptions(&caller.tenant, now).await?;
    let base = BaseUrl::from_headers(&headers, version);
    let body = json!({
        "@odata.context": base.context("subscriptions"),
        "value": items.iter().map(|s| subscription_json(s, None)).collect::<Vec<_>>(),
    });
    Ok(wire::json_response(
        StatusCode::OK,
        serde_json::to_vec(&body).expect("a JSON value always serializes"),
        None,
    ))
}

/// A subscription of the caller's tenant that has not expired.
async fn live(state: &AppState, tenant: &str, id: &str) -> Result<Subscription, ApiError> {
    state
        .store
        .subscription(tenant, id)
        .await?
        .filter(|s| s.expiration > state.notifier.now())
        .ok_or_else(|| not_found(id))
}

/// `GET /subscriptions/{id}`.
pub async fn get(
    State(state): State<AppState>,
    version: ApiVersion,
    Path(id): Path<String>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    wire::check_accepts_json(&headers)?;
    let subscription = live(&state, &caller.tenant, &id).await?;
    let base = BaseUrl::from_headers(&headers, version);
    Ok(entity_response(StatusCode::OK, &base, &subscription))
}

/// `PATCH /subscriptions/{id}`: renews (`expirationDateTime`) or moves (`notificationUrl`, validated
/// again) a subscription.
pub async fn update(
    State(state): State<AppState>,
    version: ApiVersion,
    Path(id): Path<String>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let map = body_object(&headers, &body)?;
    live(&state, &caller.tenant, &id).await?;
    let notifier = state.notifier.clone();
    let now = notifier.now();
    let mut update = SubscriptionUpdate::default();
    for (key, _) in map.iter().filter(|(k, _)| !k.starts_with('@')) {
        match key.as_str() {
            "expirationDateTime" | "notificationUrl" | "id" => {}
            "lifecycleNotificationUrl" => {
                return Err(invalid(
                    "lifecycleNotificationUrl can only be set when the subscription is created.",
                ));
            }
            other => {
                return Err(invalid(format!(
                    "{other} cannot be changed; a subscription's expirationDateTime and notificationUrl can be updated."
                )));
            }
        }
    }
    if let Some(text) = string_property(&map, "expirationDateTime")? {
        update.expiration = Some(parse_expiration(text, now)?);
    }
    if let Some(url) = string_property(&map, "notificationUrl")? {
        check_endpoint(&notifier, url, UrlProperty::Notification).await?;
        update.notification_url = Some(url.to_owned());
    }
    let updated = state
        .store
        .update_subscription(&caller.tenant, &id, &update)
        .await?
        .ok_or_else(|| not_found(&id))?;
    let base = BaseUrl::from_headers(&headers, version);
    Ok(entity_response(StatusCode::OK, &base, &updated))
}

/// `DELETE /subscriptions/{id}`.
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    caller: Caller,
) -> Result<Response, ApiError> {
    live(&state, &caller.tenant, &id).await?;
    if state.store.delete_subscription(&caller.tenant, &id).await? {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(not_found(&id))
    }
}

/// `POST /subscriptions/{id}/reauthorize`: the answer to a `reauthorizationRequired` notification.
/// callrec's tokens are checked on every request, so there is nothing to refresh; the subscription must
/// exist and not have expired.
pub async fn reauthorize(
    State(state): State<AppState>,
    Path(id): Path<String>,
    caller: Caller,
) -> Result<Response, ApiError> {
    live(&state, &caller.tenant, &id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(e: ApiError) -> String {
        format!("{} {}: {}", e.status.as_u16(), e.code, e.message)
    }

    #[test]
    fn resources_graph_documents() {
        assert_eq!(
            parse_resource("/communications/callRecords").unwrap(),
            Vec::<String>::new()
        );
        assert_eq!(
            parse_resource("communications/callRecords").unwrap(),
            Vec::<String>::new()
        );
        assert_eq!(
            parse_resource("/communications/callRecords?$filter=participants/any(p:p/id eq 'a')")
                .unwrap(),
            vec!["a"]
        );
        assert_eq!(
            parse_resource(
                "/communications/callRecords?$filter=participants/any(p:p/id%20in%20('a','b'))"
            )
            .unwrap(),
            vec!["a", "b"]
        );
        assert_eq!(
            parse_resource(
                "/communications/callRecords?$filter=participants/any(p:p/id eq 'a') or participants/any(p:p/id eq 'c')"
            )
            .unwrap(),
            vec!["a", "c"]
        );
        assert!(
            message(parse_resource("/users").unwrap_err())
                .starts_with("400 InvalidRequest: The resource '/users' is not supported.")
        );
        assert!(
            message(
                parse_resource(
                    "/communications/callRecords?$filter=startDateTime ge 2023-01-01T00:00:00Z"
                )
                .unwrap_err()
            )
            .contains("a callRecords subscription filters only on participants/any")
        );
        assert!(
            message(parse_resource("/communications/callRecords?$top=5").unwrap_err())
                .contains("takes only $filter")
        );
    }

    #[test]
    fn change_types() {
        assert_eq!(parse_change_type("updated").unwrap(), "updated");
        assert_eq!(
            parse_change_type("created, updated").unwrap(),
            "created,updated"
        );
        assert_eq!(
            message(parse_change_type("created,deleted").unwrap_err()),
            "400 InvalidRequest: ChangeType 'deleted' is not supported for resource 'communications/callRecords'. The supported change types are created and updated."
        );
    }

    #[test]
    fn expiration_rules() {
        let now = edm::parse_date_time_offset("2024-01-01T00:00:00Z")
            .unwrap()
            .0
            / 10_000;
        let at = |s: &str| parse_expiration(s, now).map_err(message);
        assert_eq!(at("2024-01-01T10:00:00Z"), Ok(now + 600 * MINUTE));
        assert_eq!(
            at("2024-01-01T00:10:00Z"),
            Ok(now + 45 * MINUTE),
            "raised to 45 minutes"
        );
        assert_eq!(at("2023-12-31T00:00:00Z"), Ok(now + 45 * MINUTE));
        assert_eq!(
            at("2024-01-03T22:30:00Z"),
            Ok(now + 4230 * MINUTE),
            "exactly the maximum"
        );
        assert_eq!(
            at("2024-01-03T22:31:00Z"),
            Err("400 ExtensionError: Subscription expiration can only be 4230 minutes in the future.".into())
        );
        assert!(
            at("tomorrow")
                .unwrap_err()
                .starts_with("400 InvalidRequest: expirationDateTime 'tomorrow'")
        );
    }
}
