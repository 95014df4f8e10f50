//! JSON batching: `POST /v1.0/$batch` and `POST /beta/$batch`, up to 20 Graph requests in one, as Graph's
//! JSON batching documents it.
//!
//! The collectors read records 20 at a time this way, and an official SDK batches without being asked, so
//! callrec answers a batch the way Graph does. Each request of a batch is sent, as a request of its own,
//! through the whole application the router builds without `$batch` (a clone of that `Router`, called as a
//! tower `Service`): the outer `Authorization` header authorizes it, it is throttled, faulted, counted and
//! enveloped on its own, and no endpoint has a second implementation. Because that application has no
//! `$batch` route, a batch can never recurse into itself; an item naming `$batch` is refused before it is
//! sent.
//!
//! The whole batch is a 400 when it cannot be read: more than [`MAX_REQUESTS`] requests, an id used twice
//! (ids compare case-insensitively), a `dependsOn` naming an unknown id or making a cycle. Otherwise the
//! answer is 200 and each request has its own status; requests whose dependencies failed answer 424
//! without being run, and requests that wait for nothing run concurrently.

use std::collections::HashMap;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use percent_encoding::{AsciiSet, CONTROLS};
use serde_json::{Map, Value, json};
use tokio::task::JoinSet;
use tower::ServiceExt;

use super::body::{check_json_content_type, parse_json};
use super::envelope::error_json;
use super::error::{ApiError, ErrorInfo, codes};
use super::state::ApiVersion;

/// Graph's limit on the requests of one batch.
pub const MAX_REQUESTS: usize = 20;

/// The methods a request of a batch may use.
const METHODS: [Method; 5] = [
    Method::GET,
    Method::POST,
    Method::PUT,
    Method::PATCH,
    Method::DELETE,
];

/// Headers of an item that the batch sets itself or that describe the outer connection, not the item.
const HEADERS_NOT_TAKEN: [HeaderName; 7] = [
    header::AUTHORIZATION,
    header::HOST,
    header::CONTENT_LENGTH,
    header::ACCEPT_ENCODING,
    header::CONNECTION,
    header::TRANSFER_ENCODING,
    header::EXPECT,
];

/// Headers of the outer request every item carries: who calls, and the origin nextLinks are written on.
const HEADERS_PASSED_ON: [&str; 4] = [
    "authorization",
    "host",
    "x-forwarded-host",
    "x-forwarded-proto",
];

/// Headers of an item's response that describe its transfer, not its content, and stay out of the batch.
const HEADERS_LEFT_OUT: [HeaderName; 5] = [
    header::CONNECTION,
    header::CONTENT_LENGTH,
    header::TRANSFER_ENCODING,
    header::CONTENT_ENCODING,
    header::VARY,
];

/// Characters an item URL may hold that a URI may not; they are percent-encoded, everything else kept.
const URL_UNSAFE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^');

/// What the batch handler sends its requests to: the application without `$batch`.
#[derive(Clone)]
pub struct Batcher {
    app: Router,
}

impl Batcher {
    pub fn new(app: Router) -> Self {
        Batcher { app }
    }
}

/// One request of a batch, read and checked.
#[derive(Debug)]
struct Item {
    id: String,
    method: Method,
    url: String,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Option<Vec<u8>>,
    /// Indexes of the requests this one waits for.
    depends_on: Vec<usize>,
}

/// One answer of a batch, as `responses` lists it.
#[derive(Debug, Clone)]
struct Answer {
    status: u16,
    headers: Map<String, Value>,
    body: Option<Value>,
}

impl Answer {
    fn succeeded(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// An answer in Graph's error body, for a request the batch refuses or does not run.
    fn error(status: StatusCode, code: &'static str, message: String) -> Answer {
        let request_id = uuid::Uuid::new_v4().to_string();
        let date = httpdate::fmt_http_date(std::time::SystemTime::now());
        let info = ErrorInfo {
            code,
            message,
            inner: Vec::new(),
        };
        let mut headers = Map::new();
        headers.insert("Content-Type".to_owned(), json!("application/json"));
        headers.insert("request-id".to_owned(), json!(request_id));
        Answer {
            status: status.as_u16(),
            headers,
            body: Some(error_json(&info, &request_id, None, &date)),
        }
    }

    fn to_json(&self, id: &str) -> Value {
        let mut out = Map::new();
        out.insert("id".to_owned(), json!(id));
        out.insert("status".to_owned(), json!(self.status));
        out.insert("headers".to_owned(), Value::Object(self.headers.clone()));
        if let Some(body) = &self.body {
            out.insert("body".to_owned(), body.clone());
        }
        Value::Object(out)
    }
}

/// `POST /{version}/$batch`.
pub async fn run(
    State(batcher): State<Batcher>,
    version: ApiVersion,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    check_json_content_type(&headers, "batch")?;
    let items = read_batch(&parse_json(&body, "batch")?)?;
    let outer: Vec<(HeaderName, HeaderValue)> = HEADERS_PASSED_ON
        .iter()
        .filter_map(|name| {
            let value = headers.get(*name)?;
            Some((HeaderName::from_static(name), value.clone()))
        })
        .collect();
    let answers = execute(&batcher.app, version, &items, &outer).await;
    let responses: Vec<Value> = answers
        .iter()
        .zip(&items)
        .map(|(answer, item)| answer.to_json(&item.id))
        .collect();
    let mut response = axum::Json(json!({ "responses": responses })).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(response)
}

/// Runs every item once its dependencies have answered; an item with a failed dependency answers 424
/// without running. Answers come back in the items' order.
async fn execute(
    app: &Router,
    version: ApiVersion,
    items: &[Item],
    outer: &[(HeaderName, HeaderValue)],
) -> Vec<Answer> {
    let mut answers: Vec<Option<Answer>> = vec![None; items.len()];
    let mut waiting: Vec<usize> = items.iter().map(|i| i.depends_on.len()).collect();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
    for (index, item) in items.iter().enumerate() {
        for &d in &item.depends_on {
            dependents[d].push(index);
        }
    }
    let mut running = JoinSet::new();
    let mut task_of: HashMap<tokio::task::Id, usize> = HashMap::new();
    let mut ready: Vec<usize> = (0..items.len()).filter(|&i| waiting[i] == 0).collect();
    loop {
        while let Some(index) = ready.pop() {
            let item = &items[index];
            let failed = item
                .depends_on
                .iter()
                .find(|&&d| answers[d].as_ref().is_some_and(|a: &Answer| !a.succeeded()));
            if let Some(&d) = failed {
                let status = answers[d].as_ref().map_or(0, |a| a.status);
                let answer = Answer::error(
                    StatusCode::FAILED_DEPENDENCY,
                    codes::FAILED_DEPENDENCY,
                    format!(
                        "The request '{}' was not run: it depends on '{}', which answered {status}.",
                        item.id, items[d].id
                    ),
                );
                settle(
                    index,
                    answer,
                    &mut answers,
                    &mut waiting,
                    &dependents,
                    &mut ready,
                );
                continue;
            }
            match inner_request(item, version, outer) {
                Ok(request) => {
                    let app = app.clone();
                    let task = running.spawn(dispatch(app, request));
                    task_of.insert(task.id(), index);
                }
                Err(message) => {
                    settle(
                        index,
                        Answer::error(StatusCode::BAD_REQUEST, codes::BAD_REQUEST, message),
                        &mut answers,
                        &mut waiting,
                        &dependents,
                        &mut ready,
                    );
                }
            }
        }
        let Some(done) = running.join_next_with_id().await else {
            break;
        };
        let (task, answer) = match done {
            Ok((task, answer)) => (task, answer),
            Err(e) => {
                tracing::error!(error = %e, "a request of a batch did not finish");
                (e.id(), internal_answer())
            }
        };
        if let Some(index) = task_of.remove(&task) {
            settle(
                index,
                answer,
                &mut answers,
                &mut waiting,
                &dependents,
                &mut ready,
            );
        }
    }
    // Every item is answered: dependencies make no cycle, so each one became ready once.
    answers
        .into_iter()
        .map(|a| a.unwrap_or_else(internal_answer))
        .collect()
}

/// Records an answer and makes ready the items that waited only for it.
fn settle(
    index: usize,
    answer: Answer,
    answers: &mut [Option<Answer>],
    waiting: &mut [usize],
    dependents: &[Vec<usize>],
    ready: &mut Vec<usize>,
) {
    answers[index] = Some(answer);
    for &d in &dependents[index] {
        waiting[d] -= 1;
        if waiting[d] == 0 {
            ready.push(d);
        }
    }
}

fn internal_answer() -> Answer {
    Answer::error(
        StatusCode::INTERNAL_SERVER_ERROR,
        codes::GENERAL_EXCEPTION,
        "An internal error occurred; the request was not completed.".to_owned(),
    )
}

/// Sends one request through the application and reads its answer whole.
async fn dispatch(app: Router, request: Request) -> Answer {
    let Ok(response) = app.oneshot(request).await;
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(error = %e, "the body of a request of a batch could not be read");
            return internal_answer();
        }
    };
    let mut headers = Map::new();
    for name in parts.headers.keys() {
        if HEADERS_LEFT_OUT.contains(name) {
            continue;
        }
        let values: Vec<&str> = parts
            .headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        headers.insert(spelling(name).to_owned(), json!(values.join(", ")));
    }
    let media = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    Answer {
        status: parts.status.as_u16(),
        headers,
        body: inline_body(&media, &bytes),
    }
}

/// A response body as the batch carries it: JSON as JSON, text as a string, anything else in base64.
fn inline_body(media: &str, bytes: &[u8]) -> Option<Value> {
    if bytes.is_empty() {
        return None;
    }
    if (media == "application/json" || media.ends_with("+json"))
        && let Ok(value) = serde_json::from_slice(bytes)
    {
        return Some(value);
    }
    let textual = media.starts_with("text/") || media.ends_with("xml") || media.ends_with("json");
    match std::str::from_utf8(bytes) {
        Ok(text) if textual => Some(json!(text)),
        _ => Some(json!(
            base64::engine::general_purpose::STANDARD.encode(bytes)
        )),
    }
}

/// How a response header is spelled in `headers`: the usual capitalisation of the headers clients look
/// up (Graph writes `Content-Type`, `Retry-After`, `Location`), the name as sent for the others.
fn spelling(name: &HeaderName) -> &str {
    match *name {
        header::CONTENT_TYPE => "Content-Type",
        header::RETRY_AFTER => "Retry-After",
        header::LOCATION => "Location",
        header::CACHE_CONTROL => "Cache-Control",
        header::ETAG => "ETag",
        header::DATE => "Date",
        header::WWW_AUTHENTICATE => "WWW-Authenticate",
        _ if name.as_str() == "odata-version" => "OData-Version",
        _ => name.as_str(),
    }
}

/// The request an item stands for, under the batch's version; or why it is refused when its URL is
/// not one a batch may hold.
fn inner_request(
    item: &Item,
    version: ApiVersion,
    outer: &[(HeaderName, HeaderValue)],
) -> Result<Request, String> {
    let refuse = |message: String| message;
    let url = item.url.trim();
    let relative = url.strip_prefix('/').unwrap_or(url);
    let lower = relative.to_ascii_lowercase();
    let versioned = ["v1.0", "beta"].iter().find(|v| {
        lower == **v || lower.starts_with(&format!("{v}/")) || lower.starts_with(&format!("{v}?"))
    });
    if url.contains("://") || url.starts_with("//") || versioned.is_some() {
        return Err(refuse(format!(
            "The url '{url}' of request '{}' is absolute or names the version; send urls relative to the \
             version, as /communications/callRecords/{{id}} (the batch itself is posted to /{}/$batch).",
            item.id,
            version.segment()
        )));
    }
    let path = relative.split(['?', '#']).next().unwrap_or(relative);
    let first = path.split('/').next().unwrap_or(path);
    let first = percent_encoding::percent_decode_str(first).decode_utf8_lossy();
    if first.eq_ignore_ascii_case("$batch") {
        return Err(refuse(format!(
            "The url '{url}' of request '{}' is a batch; a batch cannot hold another batch.",
            item.id
        )));
    }
    let encoded = percent_encoding::utf8_percent_encode(relative, URL_UNSAFE);
    let Ok(uri) = format!("/{}/{encoded}", version.segment()).parse::<Uri>() else {
        return Err(refuse(format!(
            "The url '{url}' of request '{}' is not a valid URL.",
            item.id
        )));
    };
    let mut request = Request::new(Body::from(item.body.clone().unwrap_or_default()));
    *request.method_mut() = item.method.clone();
    *request.uri_mut() = uri;
    let headers = request.headers_mut();
    for (name, value) in &item.headers {
        headers.append(name.clone(), value.clone());
    }
    for (name, value) in outer {
        headers.insert(name.clone(), value.clone());
    }
    if let Some(body) = &item.body {
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    }
    Ok(request)
}

/// Reads `{"requests": [...]}` into items, or refuses the whole batch naming what is wrong.
fn read_batch(value: &Value) -> Result<Vec<Item>, ApiError> {
    let Some(requests) = value.get("requests") else {
        return Err(ApiError::bad_request(
            "The batch has no 'requests'; send {\"requests\": [{\"id\", \"method\", \"url\"}, ...]}.",
        ));
    };
    let Some(requests) = requests.as_array() else {
        return Err(ApiError::bad_request(
            "The batch's 'requests' is not an array; send {\"requests\": [{\"id\", \"method\", \"url\"}, ...]}.",
        ));
    };
    if requests.is_empty() {
        return Err(ApiError::bad_request(
            "The batch holds no requests; send between 1 and 20.",
        ));
    }
    if requests.len() > MAX_REQUESTS {
        return Err(ApiError::bad_request(format!(
            "A batch holds at most {MAX_REQUESTS} requests; this one holds {}. Send the rest in another batch.",
            requests.len()
        )));
    }
    let mut index_of: HashMap<String, usize> = HashMap::new();
    let mut raw_depends: Vec<Vec<String>> = Vec::new();
    let mut items = Vec::new();
    for (position, request) in requests.iter().enumerate() {
        let (item, depends) = read_item(position, request)?;
        if let Some(&earlier) = index_of.get(&item.id.to_lowercase()) {
            let earlier: &Item = &items[earlier];
            return Err(ApiError::bad_request(format!(
                "The id '{}' is used by more than one request ('{}' and '{}'); ids in a batch are unique, \
                 compared case-insensitively.",
                item.id, earlier.id, item.id
            )));
        }
        index_of.insert(item.id.to_lowercase(), items.len());
        raw_depends.push(depends);
        items.push(item);
    }
    for (index, depends) in raw_depends.iter().enumerate() {
        for name in depends {
            let Some(&target) = index_of.get(&name.to_lowercase()) else {
                return Err(ApiError::bad_request(format!(
                    "The request '{}' depends on '{name}', which is not a request of this batch.",
                    items[index].id
                )));
            };
            if !items[index].depends_on.contains(&target) {
                items[index].depends_on.push(target);
            }
        }
    }
    if let Some(cycle) = find_cycle(&items) {
        let names: Vec<String> = cycle
            .iter()
            .map(|&i| format!("'{}'", items[i].id))
            .collect();
        return Err(ApiError::bad_request(format!(
            "The dependsOn of the requests make a cycle ({}); a request cannot wait, directly or through \
             others, for itself.",
            names.join(" -> ")
        )));
    }
    Ok(items)
}

/// One request of the batch and the ids its `dependsOn` names. `depends_on`, which one SDK writes, is a key
/// Graph does not know and ignores; so does callrec, like every other unknown key.
fn read_item(position: usize, request: &Value) -> Result<(Item, Vec<String>), ApiError> {
    let at = format!("requests[{position}]");
    let Some(object) = request.as_object() else {
        return Err(ApiError::bad_request(format!(
            "{at} is not an object; each request is {{\"id\", \"method\", \"url\"}}."
        )));
    };
    let id = match object.get("id") {
        Some(Value::String(id)) if !id.trim().is_empty() => id.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => {
            return Err(ApiError::bad_request(format!(
                "{at} has no id; each request of a batch needs a non-empty string id."
            )));
        }
    };
    let named = format!("{at} (id '{id}')");
    let method = match object.get("method").and_then(Value::as_str) {
        Some(m) => {
            let upper = m.trim().to_ascii_uppercase();
            METHODS
                .iter()
                .find(|known| known.as_str() == upper)
                .cloned()
                .ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "{named} has the method '{m}'; a request of a batch uses GET, POST, PUT, PATCH or DELETE."
                    ))
                })?
        }
        None => {
            return Err(ApiError::bad_request(format!(
                "{named} has no method; give one of GET, POST, PUT, PATCH, DELETE."
            )));
        }
    };
    let url = match object.get("url").and_then(Value::as_str) {
        Some(url) if !url.trim().is_empty() => url.to_owned(),
        _ => {
            return Err(ApiError::bad_request(format!(
                "{named} has no url; give one relative to the version, as /communications/callRecords/{{id}}."
            )));
        }
    };
    let mut headers = Vec::new();
    match object.get("headers") {
        None | Some(Value::Null) => {}
        Some(Value::Object(given)) => {
            for (name, value) in given {
                let text = match value {
                    Value::String(s) => s.clone(),
                    Value::Number(_) | Value::Bool(_) => value.to_string(),
                    _ => {
                        return Err(ApiError::bad_request(format!(
                            "{named}: the header '{name}' is not a string."
                        )));
                    }
                };
                let (Ok(name), Ok(value)) = (
                    HeaderName::from_bytes(name.as_bytes()),
                    HeaderValue::from_str(&text),
                ) else {
                    return Err(ApiError::bad_request(format!(
                        "{named}: the header '{name}: {text}' is not a valid HTTP header."
                    )));
                };
                if !HEADERS_NOT_TAKEN.contains(&name) {
                    headers.push((name, value));
                }
            }
        }
        Some(_) => {
            return Err(ApiError::bad_request(format!(
                "{named}: 'headers' is not an object of header names and values."
            )));
        }
    }
    let content_type = headers
        .iter()
        .find(|(n, _)| *n == header::CONTENT_TYPE)
        .and_then(|(_, v)| v.to_str().ok())
        .map(str::to_ascii_lowercase);
    let body = match object.get("body") {
        None | Some(Value::Null) => None,
        Some(body) => {
            let Some(media) = content_type else {
                return Err(ApiError::bad_request(format!(
                    "{named} has a body but no Content-Type header; add \"headers\": {{\"Content-Type\": \"application/json\"}}."
                )));
            };
            let json_media = {
                let m = media.split(';').next().unwrap_or("").trim();
                m == "application/json" || m.ends_with("+json")
            };
            Some(match body {
                Value::String(text) if !json_media => text.clone().into_bytes(),
                other => serde_json::to_vec(other).expect("a JSON value always serializes"),
            })
        }
    };
    let depends = match object.get("dependsOn") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(ids)) => ids
            .iter()
            .map(|d| match d {
                Value::String(s) => Ok(s.clone()),
                Value::Number(n) => Ok(n.to_string()),
                _ => Err(ApiError::bad_request(format!(
                    "{named}: dependsOn holds {d}, which is not a request id."
                ))),
            })
            .collect::<Result<_, _>>()?,
        Some(Value::String(one)) => vec![one.clone()],
        Some(_) => {
            return Err(ApiError::bad_request(format!(
                "{named}: dependsOn is not an array of request ids."
            )));
        }
    };
    Ok((
        Item {
            id,
            method,
            url,
            headers,
            body,
            depends_on: Vec::new(),
        },
        depends,
    ))
}

/// A cycle of `dependsOn`, as the indexes along it (the first repeated at the end), if there is one.
fn find_cycle(items: &[Item]) -> Option<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        OnPath,
        Done,
    }
    fn visit(
        at: usize,
        items: &[Item],
        marks: &mut [Mark],
        path: &mut Vec<usize>,
    ) -> Option<Vec<usize>> {
        marks[at] = Mark::OnPath;
        path.push(at);
        for &next in &items[at].depends_on {
            match marks[next] {
                Mark::OnPath => {
                    let start = path.iter().position(|&p| p == next).unwrap_or(0);
                    let mut cycle = path[start..].to_vec();
                    cycle.push(next);
                    return Some(cycle);
                }
                Mark::New => {
                    if let Some(cycle) = visit(next, items, marks, path) {
                        return Some(cycle);
                    }
                }
                Mark::Done => {}
            }
        }
        path.pop();
        marks[at] = Mark::Done;
        None
    }
    let mut marks = vec![Mark::New; items.len()];
    for start in 0..items.len() {
        if marks[start] == Mark::New
            && let Some(cycle) = visit(start, items, &mut marks, &mut Vec::new())
        {
            return Some(cycle);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(requests: Value) -> Result<Vec<Item>, String> {
        read_batch(&json!({ "requests": requests })).map_err(|e| e.message)
    }

    fn get(id: &str, depends: &[&str]) -> Value {
        json!({ "id": id, "method": "GET", "url": "/communications/callRecords", "dependsOn": depends })
    }

    #[test]
    fn cycles_are_found_and_named() {
        let refused = batch(json!([
            get("a", &["c"]),
            get("b", &["a"]),
            get("c", &["b"])
        ]))
        .unwrap_err();
        assert!(refused.contains("'a' -> 'c' -> 'b' -> 'a'"), "{refused}");
        let itself = batch(json!([get("a", &["A"])])).unwrap_err();
        assert!(itself.contains("('a' -> 'a')"), "{itself}");
        let diamond = batch(json!([
            get("a", &[]),
            get("b", &["a"]),
            get("c", &["a"]),
            get("d", &["b", "c"])
        ]))
        .unwrap();
        assert_eq!(diamond[3].depends_on, vec![1, 2]);
    }

    #[test]
    fn malformed_items_are_named() {
        let check = |request: Value, expected: &str| {
            let message = batch(json!([request])).unwrap_err();
            assert!(message.contains(expected), "{message} lacks {expected}");
        };
        check(
            json!({"method": "GET", "url": "x"}),
            "requests[0] has no id",
        );
        check(json!({"id": "1", "url": "x"}), "has no method");
        check(
            json!({"id": "1", "method": "TRACE", "url": "x"}),
            "the method 'TRACE'",
        );
        check(json!({"id": "1", "method": "GET"}), "has no url");
        check(
            json!({"id": "1", "method": "POST", "url": "x", "body": {}}),
            "has a body but no Content-Type header",
        );
        check(
            json!({"id": "1", "method": "GET", "url": "x", "headers": {"a": []}}),
            "the header 'a' is not a string",
        );
        check(
            json!({"id": "1", "method": "GET", "url": "x", "dependsOn": [{}]}),
            "not a request id",
        );
    }

    #[test]
    fn bodies_are_inlined_by_media_type() {
        assert_eq!(
            inline_body("application/json", b"{\"a\":1}"),
            Some(json!({"a": 1}))
        );
        assert_eq!(inline_body("application/xml", b"<a/>"), Some(json!("<a/>")));
        assert_eq!(
            inline_body("application/octet-stream", b"\x00\x01"),
            Some(json!("AAE="))
        );
        assert_eq!(inline_body("application/json", b""), None);
    }
}
