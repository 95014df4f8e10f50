//! The web UI: one HTML page at `/` and its script and style sheet under `/ui/`, all compiled into the
//! binary from `crates/callrec/ui/`, so a server works offline and `cargo build` needs nothing else.
//!
//! The page reads only through callrec's own API (the Graph routes and `/callrec/...`) with the caller's
//! token, so it shows exactly what a client would get and never widens what a caller may see; the assets
//! themselves are public (see `resources.rs`), as they hold no data.

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::error::ApiError;

/// The assets: name under `/ui/`, media type, contents.
const ASSETS: [(&str, &str, &str); 3] = [
    (
        "index.html",
        "text/html; charset=utf-8",
        include_str!("../../ui/index.html"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_str!("../../ui/app.js"),
    ),
    (
        "app.css",
        "text/css; charset=utf-8",
        include_str!("../../ui/app.css"),
    ),
];

/// A strong validator for an asset: a hash of its bytes, which change only with the binary.
fn etag(body: &str) -> String {
    // FNV-1a: stable across builds and platforms, unlike the standard library's hasher.
    let hash = body.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("\"{hash:016x}\"")
}

fn asset(name: &str, headers: &HeaderMap) -> Option<Response> {
    let (_, media, body) = ASSETS.iter().find(|(n, _, _)| *n == name)?;
    let tag = etag(body);
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    let mut response = if unchanged {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (*body).into_response()
    };
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    // The assets change only with the binary: a browser keeps them and revalidates with the ETag, which
    // costs a 304 and never shows a page older than the server.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::ETAG,
        HeaderValue::from_str(&tag).expect("a hex ETag is a valid header"),
    );
    headers.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Some(response)
}

/// `GET /`: the page.
pub async fn page(headers: HeaderMap) -> Response {
    asset("index.html", &headers).expect("the page is embedded")
}

/// `GET /ui/{file}`: a script or style sheet of the page.
pub async fn file(Path(name): Path<String>, headers: HeaderMap) -> Result<Response, ApiError> {
    asset(&name, &headers)
        .ok_or_else(|| ApiError::not_found(format!("The UI has no file '{name}'.")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_the_page_names_is_served() {
        let page = ASSETS[0].2;
        for (name, _, body) in &ASSETS[1..] {
            assert!(page.contains(&format!("/ui/{name}")), "{name} is not used");
            assert!(!body.is_empty());
        }
        assert!(asset("nothing.js", &HeaderMap::new()).is_none());
    }
}
