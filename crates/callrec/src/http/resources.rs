//! What a request is about, decided from its method and path in one table: the permission it needs
//! and the throttling scopes it counts against follow from the [`Resource`] it is classified as.
//!
//! Keeping the whole mapping here, rather than in each handler, means a route added later is covered by
//! the rule for its URL shape the day it is added, and the throttling layer classifies requests the same
//! way as the permission check.

use axum::http::Method;

use crate::auth::Resource;

/// Graph's log functions on the callRecords collection, which `CallRecord-PstnCalls.Read.All` opens.
const LOG_FUNCTIONS: [&str; 5] = [
    "getPstnCalls",
    "getDirectRoutingCalls",
    "getSmsLog",
    "getPstnBlockedUsersLog",
    "getPstnOnlineMeetingDialoutReport",
];

/// Classifies a request. `path` is the URL path as received (percent-encoded).
pub(crate) fn resource_of(method: &Method, path: &str) -> Resource {
    // Prometheus scrapes /metrics without a token; it holds counters, not records.
    if path == "/healthz" || path == "/openapi.json" || path == "/metrics" {
        return Resource::Public;
    }
    // The web UI's page and assets hold no data; the page reads the API with the caller's token.
    if path == "/" || path.starts_with("/ui/") {
        return Resource::Public;
    }
    if path.starts_with("/callrec/faults") {
        return Resource::Admin;
    }
    let reading = *method == Method::GET || *method == Method::HEAD;
    if let Some(own) = path.strip_prefix("/callrec/") {
        let export = own.strip_prefix("export/");
        let log_read = own.starts_with("logs/")
            || (own.starts_with("callRecords/") && own.ends_with("/directRoutingCalls"))
            || export.is_some_and(is_log_table);
        // Quality reports, the building map and exports of records are reads of the call records.
        let record_read = own.starts_with("reports/") || own == "buildings" || export.is_some();
        return if reading && log_read {
            Resource::LogRow
        } else if reading && record_read {
            Resource::OtherRead
        } else {
            Resource::Write
        };
    }
    let rest = path
        .strip_prefix("/v1.0")
        .or_else(|| path.strip_prefix("/beta"))
        .unwrap_or(path);
    if rest == "/$metadata" || rest == "/%24metadata" {
        return Resource::Public;
    }
    // A batch's own token is checked here; each request inside passes this table again on its own.
    if rest == "/$batch" {
        return Resource::Batch;
    }
    // Creating, renewing and deleting a change-notification subscription needs only the read
    // permission of the resource watched (spec/API.md section 7).
    if rest.starts_with("/subscriptions") {
        return Resource::OtherRead;
    }
    let Some(tail) = rest.strip_prefix("/communications/callRecords") else {
        return if reading {
            Resource::OtherRead
        } else {
            Resource::Write
        };
    };
    if !reading {
        return Resource::Write;
    }
    let tail = tail.trim_end_matches('/');
    if tail.is_empty() {
        return Resource::RecordList;
    }
    let segment = tail[1..].split('/').next().unwrap_or_default();
    let decoded = percent_encoding::percent_decode_str(segment).decode_utf8_lossy();
    if is_log_function(&decoded) {
        return Resource::LogFunction;
    }
    Resource::Record {
        id: decoded.into_owned(),
    }
}

/// The export tables that hold log rows, which the log permission opens.
fn is_log_table(table: &str) -> bool {
    crate::export::tables::Table::parse(table).is_some_and(|t| t.log_kind().is_some())
}

/// `getPstnCalls(fromDateTime=...,toDateTime=...)`, also with the `microsoft.graph.callRecords.` prefix.
fn is_log_function(segment: &str) -> bool {
    let name = segment.split('(').next().unwrap_or_default();
    let name = name.rsplit('.').next().unwrap_or(name);
    segment.contains('(') && LOG_FUNCTIONS.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(method: Method, path: &str, expected: Resource) {
        assert_eq!(resource_of(&method, path), expected, "{method} {path}");
    }

    #[test]
    fn requests_are_classified_by_method_and_path() {
        let record = |id: &str| Resource::Record { id: id.to_owned() };
        check(Method::GET, "/healthz", Resource::Public);
        check(Method::GET, "/v1.0/$metadata", Resource::Public);
        check(Method::GET, "/beta/%24metadata", Resource::Public);
        check(Method::GET, "/openapi.json", Resource::Public);
        check(Method::GET, "/", Resource::Public);
        check(Method::GET, "/ui/app.js", Resource::Public);
        check(
            Method::GET,
            "/v1.0/communications/callRecords",
            Resource::RecordList,
        );
        check(
            Method::GET,
            "/beta/communications/callRecords/",
            Resource::RecordList,
        );
        check(
            Method::GET,
            "/v1.0/communications/callRecords/abc",
            record("abc"),
        );
        check(
            Method::GET,
            "/v1.0/communications/callRecords/a%20b/sessions/s1/segments",
            record("a b"),
        );
        check(
            Method::GET,
            "/v1.0/communications/callRecords/getPstnCalls(fromDateTime=2019-11-01,toDateTime=2019-12-01)",
            Resource::LogFunction,
        );
        check(
            Method::GET,
            "/v1.0/communications/callRecords/microsoft.graph.callRecords.getDirectRoutingCalls(fromDateTime=2019-11-01,toDateTime=2019-12-01)",
            Resource::LogFunction,
        );
        // A record may be called getPstnCalls; only the function-call form is the function.
        check(
            Method::GET,
            "/v1.0/communications/callRecords/getPstnCalls",
            record("getPstnCalls"),
        );
        check(
            Method::POST,
            "/v1.0/communications/callRecords",
            Resource::Write,
        );
        check(
            Method::DELETE,
            "/v1.0/communications/callRecords/abc",
            Resource::Write,
        );
        check(Method::POST, "/callrec/import", Resource::Write);
        check(Method::POST, "/callrec/logs/pstnCall", Resource::Write);
        check(Method::DELETE, "/callrec/logs/pstnCall/k1", Resource::Write);
        check(Method::GET, "/callrec/logs/pstnCall/k1", Resource::LogRow);
        check(
            Method::GET,
            "/callrec/callRecords/r1/directRoutingCalls",
            Resource::LogRow,
        );
        check(Method::GET, "/metrics", Resource::Public);
        check(Method::GET, "/callrec/reports/quality", Resource::OtherRead);
        check(Method::GET, "/callrec/buildings", Resource::OtherRead);
        check(Method::PUT, "/callrec/buildings", Resource::Write);
        check(Method::POST, "/callrec/faults", Resource::Admin);
        check(Method::GET, "/callrec/faults", Resource::Admin);
        check(Method::POST, "/v1.0/$batch", Resource::Batch);
        check(Method::POST, "/beta/$batch", Resource::Batch);
        check(Method::GET, "/v1.0/subscriptions", Resource::OtherRead);
        check(Method::POST, "/v1.0/subscriptions", Resource::OtherRead);
        check(Method::PATCH, "/v1.0/other", Resource::Write);
    }
}
