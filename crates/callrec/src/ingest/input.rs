//! Reading an input: gzip or not, NDJSON (one item a line), one JSON array, one Graph collection page
//! (`{"value":[...]}`) or one pretty-printed item, cut into batches of numbered items; and telling from an
//! input's first bytes whether it holds call records or log rows.

use std::io::{BufRead, BufReader, Read};

use callrec_model::logs::LogKind;
use callrec_model::validate::ValidationError;
use serde_json::Value;

use super::Rejection;

/// The most of an input ingestion holds in memory at once, and the most it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputLimits {
    /// Longest line of NDJSON (one item); a longer line is rejected, its bytes skipped, never held.
    pub line: usize,
    /// Largest input that is one JSON document (an array, a Graph page, a pretty-printed item), which is
    /// parsed whole; a larger one is refused with the advice to send NDJSON.
    pub document: usize,
}

impl Default for InputLimits {
    /// Generous limits for files an operator imports: 64 MiB a line, 512 MiB a document.
    fn default() -> Self {
        InputLimits {
            line: 64 * 1024 * 1024,
            document: 512 * 1024 * 1024,
        }
    }
}

/// An input larger than it may be once decompressed ([`maybe_gunzip`]'s limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the input is larger than the {limit} bytes accepted once decompressed")]
pub struct DecodedTooLarge {
    pub limit: u64,
}

/// How much of an input is looked at to tell what it holds.
const SNIFF_BYTES: usize = 64 * 1024;

/// One batch of input items, each with its line (or position) number.
pub(super) struct Batch {
    pub items: Vec<(u64, Item)>,
    /// Input bytes the batch covers, blank lines included.
    pub bytes: u64,
}

impl Batch {
    fn new() -> Self {
        Batch {
            items: Vec::new(),
            bytes: 0,
        }
    }
}

/// An input item: a line still to parse, or a value taken from a document read whole.
pub(super) enum Item {
    Text(Vec<u8>),
    Value(Value),
    /// A line longer than the limit, skipped unread.
    TooLong {
        limit: usize,
    },
}

impl Item {
    pub fn into_value(self) -> Result<Value, ValidationError> {
        match self {
            Item::Value(v) => Ok(v),
            Item::Text(bytes) => serde_json::from_slice(&bytes).map_err(|e| ValidationError {
                path: "$".to_owned(),
                message: format!("not valid JSON: {e}"),
            }),
            Item::TooLong { limit } => Err(ValidationError {
                path: "$".to_owned(),
                message: format!(
                    "the line is longer than the {limit} bytes one item may be; it was skipped"
                ),
            }),
        }
    }
}

/// Wraps a reader so that gzip input (by its magic bytes) is decompressed, and so that reading more than
/// `decoded_limit` bytes of what comes out fails with [`DecodedTooLarge`] (`u64::MAX`: no limit).
pub fn maybe_gunzip<R: Read + Send + 'static>(
    reader: R,
    decoded_limit: u64,
) -> std::io::Result<Box<dyn BufRead + Send>> {
    let mut buffered = BufReader::with_capacity(1 << 20, reader);
    let head = buffered.fill_buf()?;
    let decoded: Box<dyn BufRead + Send> = if head.starts_with(&[0x1f, 0x8b]) {
        Box::new(BufReader::with_capacity(
            1 << 20,
            flate2::bufread::MultiGzDecoder::new(buffered),
        ))
    } else {
        Box::new(buffered)
    };
    Ok(Box::new(Capped {
        inner: decoded,
        left: decoded_limit,
        limit: decoded_limit,
    }))
}

/// A reader that fails instead of giving more than `limit` bytes.
struct Capped<R> {
    inner: R,
    left: u64,
    limit: u64,
}

impl<R: BufRead> Read for Capped<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = {
            let available = self.fill_buf()?;
            let n = available.len().min(out.len());
            out[..n].copy_from_slice(&available[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Capped<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        let (left, limit) = (self.left, self.limit);
        let available = self.inner.fill_buf()?;
        if available.is_empty() {
            return Ok(available);
        }
        if left == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                DecodedTooLarge { limit },
            ));
        }
        let n = available
            .len()
            .min(usize::try_from(left).unwrap_or(usize::MAX));
        Ok(&available[..n])
    }

    fn consume(&mut self, n: usize) {
        self.left = self.left.saturating_sub(n as u64);
        self.inner.consume(n);
    }
}

/// Reads up to and including the next `\n` (or to the end), keeping at most `cap` bytes in `out`; the rest
/// of a longer line is read and dropped when `skip_rest`, left unread when not. Returns the bytes consumed
/// and whether the line fit.
fn read_line_capped(
    input: &mut dyn BufRead,
    out: &mut Vec<u8>,
    cap: usize,
    skip_rest: bool,
) -> std::io::Result<(usize, bool)> {
    let mut consumed = 0;
    let mut fits = true;
    loop {
        let available = input.fill_buf()?;
        if available.is_empty() {
            return Ok((consumed, fits));
        }
        let (chunk, done) = match memchr::memchr(b'\n', available) {
            Some(at) => (&available[..=at], true),
            None => (available, false),
        };
        let n = chunk.len();
        if fits && out.len() + n <= cap {
            out.extend_from_slice(chunk);
        } else {
            if fits {
                fits = false;
                out.clear();
            }
            if !skip_rest {
                return Ok((consumed, false));
            }
        }
        input.consume(n);
        consumed += n;
        if done {
            return Ok((consumed, fits));
        }
    }
}

/// Reads batches of at most `max_items` items (or `max_bytes` of lines) and sends them on; stops early when
/// `send` says the receiver is gone. An input that is neither NDJSON nor one JSON document yields the
/// rejection that says so.
pub(super) fn read_batches(
    mut input: Box<dyn BufRead + Send>,
    max_items: usize,
    max_bytes: usize,
    limits: InputLimits,
    mut send: impl FnMut(Batch) -> bool,
) -> std::io::Result<Option<Rejection>> {
    let too_large = || Rejection {
        line: 1,
        path: "$".to_owned(),
        message: format!(
            "the input's first item or document is larger than the {} bytes accepted for one JSON document; send NDJSON, one item a line of at most {} bytes",
            limits.document, limits.line
        ),
    };
    let mut skipped = 0u64;
    let first = loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(None);
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let c = buf[i];
                input.consume(i);
                skipped += i as u64;
                break c;
            }
            None => {
                let n = buf.len();
                input.consume(n);
                skipped += n as u64;
            }
        }
    };
    let mut line_no = 0u64;
    // The first line, when it was read to tell NDJSON from a document: its item (`None`: the text in
    // `line_after`) and its bytes.
    let mut pending: Option<(Option<Item>, usize)> = None;
    let mut line_after = Vec::new();
    if first == b'[' || first == b'{' {
        // NDJSON starts with a complete object on its first line; anything else starting with `[` or `{` is
        // one JSON document: an array, a collection page, or a pretty-printed item.
        let mut first_line = Vec::new();
        let (_, fits) = read_line_capped(&mut *input, &mut first_line, limits.document, false)?;
        if !fits {
            return Ok(Some(too_large()));
        }
        let as_line = if first == b'{' {
            serde_json::from_slice::<Value>(&first_line).ok()
        } else {
            None
        };
        match as_line {
            Some(Value::Object(mut map)) if is_collection_page(&map) => {
                let Some(Value::Array(items)) = map.remove("value") else {
                    unreachable!("checked above")
                };
                let bytes = skipped + first_line.len() as u64;
                if !send_values(items, bytes, max_items, &mut send) {
                    return Ok(None);
                }
                line_no = 1;
            }
            Some(_) if first_line.len() > limits.line => {
                let n = first_line.len();
                pending = Some((Some(Item::TooLong { limit: limits.line }), n));
            }
            Some(_) => {
                let n = first_line.len();
                line_after = first_line;
                pending = Some((None, n));
            }
            None => {
                let mut all = first_line;
                let room = (limits.document - all.len()) as u64;
                (&mut input).take(room + 1).read_to_end(&mut all)?;
                if all.len() > limits.document {
                    return Ok(Some(too_large()));
                }
                let bytes = skipped + all.len() as u64;
                match serde_json::from_slice::<Value>(&all) {
                    Ok(Value::Array(items)) => {
                        send_values(items, bytes, max_items, &mut send);
                    }
                    Ok(Value::Object(mut map)) if is_collection_page(&map) => {
                        let Some(Value::Array(items)) = map.remove("value") else {
                            unreachable!("checked above")
                        };
                        send_values(items, bytes, max_items, &mut send);
                    }
                    Ok(v) => {
                        send(Batch {
                            items: vec![(1, Item::Value(v))],
                            bytes,
                        });
                    }
                    Err(e) => {
                        return Ok(Some(Rejection {
                            line: e.line() as u64,
                            path: "$".to_owned(),
                            message: format!(
                                "the input is neither NDJSON nor one JSON document: {e}"
                            ),
                        }));
                    }
                }
                return Ok(None);
            }
        }
    }
    let mut batch = Batch::new();
    batch.bytes = skipped;
    let mut batch_bytes = 0usize;
    let mut line = Vec::new();
    loop {
        line.clear();
        let (n, item) = match pending.take() {
            Some((item, n)) => {
                line = std::mem::take(&mut line_after);
                (n, item)
            }
            None => {
                let read = read_line_capped(&mut *input, &mut line, limits.line, true);
                let (n, fits) = match read {
                    Ok(read) => read,
                    Err(e) => {
                        // What was read before the input failed is still stored.
                        if !batch.items.is_empty() {
                            send(batch);
                        }
                        return Err(e);
                    }
                };
                let too_long = (!fits).then_some(Item::TooLong { limit: limits.line });
                (n, too_long)
            }
        };
        if n == 0 {
            break;
        }
        line_no += 1;
        batch.bytes += n as u64;
        let item = match item {
            Some(too_long) => too_long,
            None if line.iter().all(u8::is_ascii_whitespace) => continue,
            None => Item::Text(std::mem::take(&mut line)),
        };
        batch_bytes += n;
        batch.items.push((line_no, item));
        if batch.items.len() >= max_items || batch_bytes >= max_bytes {
            if !send(std::mem::replace(&mut batch, Batch::new())) {
                return Ok(None);
            }
            batch_bytes = 0;
        }
    }
    if !batch.items.is_empty() || batch.bytes > 0 {
        send(batch);
    }
    Ok(None)
}

/// A Graph collection page, as opposed to one item that happens to have a `value` array.
fn is_collection_page(map: &serde_json::Map<String, Value>) -> bool {
    map.get("value").is_some_and(Value::is_array) && !map.contains_key("id")
}

/// Sends the items of an array in batches, numbered from 1, sharing the document's bytes among them;
/// false when the receiver is gone.
fn send_values(
    items: Vec<Value>,
    bytes: u64,
    max_items: usize,
    send: &mut impl FnMut(Batch) -> bool,
) -> bool {
    let total = items.len().max(1) as u64;
    let mut sent = 0u64;
    let mut batch = Batch::new();
    for (i, v) in items.into_iter().enumerate() {
        batch.items.push((1 + i as u64, Item::Value(v)));
        if batch.items.len() >= max_items {
            batch.bytes = bytes * batch.items.len() as u64 / total;
            sent += batch.bytes;
            if !send(std::mem::replace(&mut batch, Batch::new())) {
                return false;
            }
        }
    }
    batch.bytes = bytes - sent;
    send(batch)
}

/// What an input holds, as far as ingestion cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    CallRecords,
    /// Log rows; `Some` when the whole input is known to be of one kind.
    Logs(Option<LogKind>),
}

/// Why a kind name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown kind '{0}'; expected callRecord, pstnCall, directRoutingCall, sms, pstnBlockedUser (or a row type name)"
)]
pub struct UnknownKind(pub String);

/// Reads a kind name: `callRecord`, or a log kind by flag, type or function name.
pub fn parse_kind(text: &str) -> Result<InputKind, UnknownKind> {
    if text.trim().eq_ignore_ascii_case("callRecord")
        || text.trim().eq_ignore_ascii_case("callRecords")
    {
        return Ok(InputKind::CallRecords);
    }
    LogKind::parse(text)
        .map(|k| InputKind::Logs(Some(k)))
        .ok_or_else(|| UnknownKind(text.to_owned()))
}

/// Tells from the start of an input whether it holds log rows: a Graph page whose `@odata.context` names a
/// log-row collection, or rows whose `@odata.type` names a log-row type. Anything else is taken for call
/// records.
pub fn detect(head: &[u8]) -> InputKind {
    let head = &head[..head.len().min(SNIFF_BYTES)];
    for kind in LogKind::ALL {
        let context = format!("#Collection({})", kind.type_name());
        if memchr::memmem::find(head, context.as_bytes()).is_some() {
            return InputKind::Logs(Some(kind));
        }
    }
    let typed = LogKind::ALL.iter().any(|k| {
        let name = format!("callRecords.{}\"", k.simple_type_name());
        memchr::memmem::find(head, name.as_bytes()).is_some()
    });
    if typed {
        InputKind::Logs(None)
    } else {
        InputKind::CallRecords
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_told_apart() {
        assert_eq!(
            detect(br#"{"@odata.context":"https://graph.microsoft.com/beta/$metadata#Collection(microsoft.graph.callRecords.smsLogRow)","value":[]}"#),
            InputKind::Logs(Some(LogKind::Sms))
        );
        assert_eq!(
            detect(b"{\"@odata.type\":\"#microsoft.graph.callRecords.directRoutingLogRow\",\"id\":\"x\"}\n"),
            InputKind::Logs(None)
        );
        assert_eq!(
            detect(br#"{"id":"e523d2ed","type":"peerToPeer","sessions":[]}"#),
            InputKind::CallRecords
        );
        assert_eq!(
            parse_kind("pstnCall"),
            Ok(InputKind::Logs(Some(LogKind::PstnCall)))
        );
        assert_eq!(parse_kind("callRecord"), Ok(InputKind::CallRecords));
        assert_eq!(
            parse_kind("smsLogRow"),
            Ok(InputKind::Logs(Some(LogKind::Sms)))
        );
        assert!(parse_kind("pstn").is_err());
    }

    fn batches(input: &str, max_items: usize) -> (Vec<Vec<u64>>, u64, Option<Rejection>) {
        let reader: Box<dyn BufRead + Send> = Box::new(std::io::Cursor::new(input.to_owned()));
        let mut seen = Vec::new();
        let mut bytes = 0;
        let rejection = read_batches(reader, max_items, usize::MAX, InputLimits::default(), |b| {
            bytes += b.bytes;
            seen.push(b.items.iter().map(|(line, _)| *line).collect());
            true
        })
        .unwrap();
        (seen, bytes, rejection)
    }

    #[test]
    fn every_input_shape_is_cut_into_numbered_batches() {
        let ndjson = "{\"id\":\"a\"}\n\n{\"id\":\"b\"}\n{\"id\":\"c\"}\n";
        assert_eq!(
            batches(ndjson, 2),
            (vec![vec![1, 3], vec![4]], ndjson.len() as u64, None)
        );
        let array = "  [{\"id\":\"a\"},\n {\"id\":\"b\"}]";
        assert_eq!(
            batches(array, 10),
            (vec![vec![1, 2]], array.len() as u64, None)
        );
        let page =
            "{\"@odata.context\":\"x\",\"value\":[{\"id\":\"a\"},{\"id\":\"b\"},{\"id\":\"c\"}]}";
        assert_eq!(batches(page, 2).0, vec![vec![1, 2], vec![3]]);
        let pretty = "{\n  \"id\": \"a\"\n}\n";
        assert_eq!(batches(pretty, 10).0, vec![vec![1]]);
        let (_, _, rejection) = batches("[{\"id\":", 10);
        assert!(
            rejection
                .unwrap()
                .message
                .starts_with("the input is neither NDJSON nor one JSON document")
        );
    }
}
