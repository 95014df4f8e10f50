//! Serving the application on a listener until a shutdown signal, so that the command line starts the
//! server without knowing axum or hyper.
//!
//! Connections are served by hyper (HTTP/1.1, keep-alive) under a graceful shutdown that answers the
//! requests under way. hyper answers some requests itself, before any of callrec sees them: a request
//! target over 64 KiB (414), headers over its buffer (431), a head it cannot parse (400: a raw space or
//! `"` in the target, a `Content-Length` that is not a number). It writes those with an empty body and
//! closes the connection; [`GraphRefusals`] rewrites them on their way out into Graph's error shape, so
//! that every error a client meets has a body it can read.
//!
//! With TLS ([`serve_tls`]) each connection's handshake runs in its own task, and the decrypted stream
//! goes through the same loop and the same [`GraphRefusals`]; requests then carry
//! `x-forwarded-proto: https` (unless a proxy set it), so the links callrec writes are https.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use axum::http::{HeaderValue, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;

use super::envelope::error_json;
use super::error::{ErrorInfo, codes};
use super::router::app;
use super::state::AppState;

/// How long a client may take to send the head of a request.
const HEAD_TIMEOUT: Duration = Duration::from_secs(30);

/// How long requests under way may take to finish once shutdown is asked for.
const GRACE: Duration = Duration::from_secs(10);

/// Serves every connection `listener` accepts with the whole application, until `shutdown` completes;
/// requests under way are answered first (for up to [`GRACE`]).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    serve_connections(listener, state, None, shutdown).await
}

/// [`serve`] over TLS with these rustls settings.
pub async fn serve_tls(
    listener: TcpListener,
    state: AppState,
    tls: Arc<rustls::ServerConfig>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let acceptor = tokio_rustls::TlsAcceptor::from(tls);
    serve_connections(listener, state, Some(acceptor), shutdown).await
}

async fn serve_connections(
    listener: TcpListener,
    state: AppState,
    tls: Option<tokio_rustls::TlsAcceptor>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let https = tls.is_some();
    let marked = tower::ServiceBuilder::new()
        .map_request(move |mut request: hyper::Request<hyper::body::Incoming>| {
            if https {
                request
                    .headers_mut()
                    .entry("x-forwarded-proto")
                    .or_insert(HeaderValue::from_static("https"));
            }
            request
        })
        .service(app(state));
    let service = TowerToHyperService::new(marked);
    let mut http = hyper::server::conn::http1::Builder::new();
    // A client gets 30 s to send a request's head: a connection that trickles one in is closed, so idle
    // or slow connections cannot pile up.
    http.keep_alive(true)
        .timer(TokioTimer::new())
        .header_read_timeout(HEAD_TIMEOUT);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let (http, service, watcher, tls) = (
            http.clone(),
            service.clone(),
            graceful.watcher(),
            tls.clone(),
        );
        tokio::spawn(async move {
            let served = match tls {
                None => {
                    let io = TokioIo::new(GraphRefusals::new(stream));
                    watcher.watch(http.serve_connection(io, service)).await
                }
                // The handshake has the time a request's head has.
                Some(acceptor) => {
                    match tokio::time::timeout(HEAD_TIMEOUT, acceptor.accept(stream)).await {
                        Ok(Ok(stream)) => {
                            let io = TokioIo::new(GraphRefusals::new(stream));
                            watcher.watch(http.serve_connection(io, service)).await
                        }
                        Ok(Err(e)) => {
                            tracing::debug!(error = %e, "TLS handshake failed");
                            return;
                        }
                        Err(_) => {
                            tracing::debug!("TLS handshake timed out");
                            return;
                        }
                    }
                }
            };
            if let Err(e) = served {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still under way after {GRACE:?}; stopping anyway");
    }
    Ok(())
}

/// A connection whose writes pass through unchanged, except hyper's own bodiless refusals, which it
/// replaces with the same status and Graph's error body.
pub struct GraphRefusals<S> {
    inner: S,
    /// A rewritten refusal still to write, and how much of it is written.
    pending: Vec<u8>,
    written: usize,
}

impl<S> GraphRefusals<S> {
    pub fn new(inner: S) -> Self {
        GraphRefusals {
            inner,
            pending: Vec::new(),
            written: 0,
        }
    }
}

/// The Graph-shaped response for a head hyper wrote itself, if `head` is one: a 4xx with an empty body
/// and no `request-id` (every response of the application carries one).
fn rewrite(head: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(head.strip_prefix(b"HTTP/1.1 ")?).ok()?;
    let status = StatusCode::from_u16(text.get(..3)?.parse().ok()?).ok()?;
    let lower = text.to_ascii_lowercase();
    let bare = status.is_client_error()
        && lower.ends_with("\r\n\r\n")
        && lower.contains("\r\ncontent-length: 0\r\n")
        && !lower.contains("\r\nrequest-id:");
    if !bare {
        return None;
    }
    let message = match status {
        StatusCode::URI_TOO_LONG => {
            "The request URL is longer than the 64 KiB accepted; send long filters in fewer conditions."
        }
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => {
            "The request headers are larger than accepted; send fewer or shorter headers."
        }
        _ => {
            "The request is not valid HTTP/1.1: its request line or headers cannot be read (a space or quote left unencoded in the URL, a Content-Length that is not a number, a malformed header)."
        }
    };
    let code = match status {
        StatusCode::BAD_REQUEST => codes::BAD_REQUEST,
        _ => codes::INVALID_REQUEST,
    };
    let request_id = uuid::Uuid::new_v4().to_string();
    let date = httpdate::fmt_http_date(std::time::SystemTime::now());
    let info = ErrorInfo {
        code,
        message: message.to_owned(),
        inner: Vec::new(),
    };
    let body = serde_json::to_vec(&error_json(&info, &request_id, None, &date))
        .expect("a JSON value always serializes");
    let mut out = format!(
        "HTTP/1.1 {} {}\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: {}\r\nrequest-id: {request_id}\r\nclient-request-id: {request_id}\r\ndate: {date}\r\n\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or(""),
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(&body);
    Some(out)
}

impl<S: AsyncWrite + Unpin> GraphRefusals<S> {
    /// Writes what is pending; ready once nothing is.
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.written < self.pending.len() {
            let n =
                ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.written += n;
        }
        self.pending.clear();
        self.written = 0;
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for GraphRefusals<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for GraphRefusals<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        ready!(self.poll_pending(cx))?;
        if let Some(replacement) = rewrite(buf) {
            self.pending = replacement;
            // The refusal counts as written; flush and shutdown write its replacement first.
            let _ = self.poll_pending(cx)?;
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        ready!(self.poll_pending(cx))?;
        match bufs.iter().find(|b| !b.is_empty()) {
            // A refusal is a head alone: rewrite it when it comes as the only slice.
            Some(first) if bufs.iter().filter(|b| !b.is_empty()).count() == 1 => {
                let first: &[u8] = first;
                self.poll_write(cx, first)
            }
            _ => Pin::new(&mut self.inner).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bodiless_refusals_are_rewritten() {
        let hyper_own =
            b"HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\ncontent-length: 0\r\ndate: Fri, 04 Dec 2026 18:07:55 GMT\r\n\r\n";
        let rewritten = String::from_utf8(rewrite(hyper_own).expect("rewritten")).unwrap();
        assert!(rewritten.starts_with("HTTP/1.1 431 "), "{rewritten}");
        let (head, body) = rewritten.split_once("\r\n\r\n").unwrap();
        assert!(head.contains("content-type: application/json"));
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(json["error"]["code"], "invalidRequest");
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length: "))
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(length, body.len());
        // The application's own answers, and successes, pass as they are.
        let own = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nrequest-id: x\r\n\r\n";
        assert!(rewrite(own).is_none());
        let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
        assert!(rewrite(ok).is_none());
        assert!(rewrite(b"{\"value\":[]}").is_none());
    }
}
