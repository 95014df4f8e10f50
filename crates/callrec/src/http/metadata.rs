//! The documents that describe the API: the OData `$metadata` (CSDL XML, so OData tools can read the
//! schema) and an OpenAPI 3 description (so API tools such as schemathesis, Prism or Postman can).

use std::sync::OnceLock;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// `GET /v1.0/$metadata`: one EDMX document holding the `microsoft.graph` types callrec uses, the
/// `microsoft.graph.callRecords` schema, and their annotations.
pub async fn csdl() -> Response {
    let mut response = (StatusCode::OK, metadata_document()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml"),
    );
    response
}

/// `GET /openapi.json`.
pub async fn openapi() -> Response {
    let mut response = (StatusCode::OK, crate::http::openapi::document_json()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// The EDMX document, built once from the embedded CSDL files.
pub fn metadata_document() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| {
        let [call_records, graph_types] = callrec_model::schema::csdl_documents();
        let call_records = strip_comments(call_records);
        let graph_types = strip_comments(graph_types);
        let schemas: Vec<&str> = schema_elements(&graph_types);
        let call_records_schema = schema_elements(&call_records);
        let mut graph = schemas.first().copied().unwrap_or_default().to_owned();
        // The annotations of the callRecords types belong to the microsoft.graph schema, as in Graph's own
        // document; the source file keeps them in a wrapper schema of their own.
        let annotations: String = schemas
            .iter()
            .skip(1)
            .map(|s| inner_of_schema(s))
            .collect::<Vec<_>>()
            .join("\n");
        if let Some(close) = graph.rfind("</Schema>") {
            graph.insert_str(close, &format!("{annotations}\n    "));
        }
        let mut doc = String::from(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n  <edmx:DataServices>\n    ",
        );
        doc.push_str(&graph);
        for s in call_records_schema {
            doc.push_str("\n    ");
            doc.push_str(s);
        }
        doc.push_str("\n  </edmx:DataServices>\n</edmx:Edmx>\n");
        doc
    })
}

fn strip_comments(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `<Schema ...>...</Schema>` elements of a document, in order (schemas do not nest).
fn schema_elements(xml: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = xml;
    let mut offset = 0;
    while let Some(start) = rest.find("<Schema ") {
        let Some(end) = rest[start..].find("</Schema>") else {
            break;
        };
        let end = start + end + "</Schema>".len();
        out.push(&xml[offset + start..offset + end]);
        offset += end;
        rest = &xml[offset..];
    }
    out
}

fn inner_of_schema(schema: &str) -> &str {
    let open_end = schema.find('>').map(|i| i + 1).unwrap_or(0);
    let close = schema.rfind("</Schema>").unwrap_or(schema.len());
    schema[open_end..close].trim_matches(|c: char| c == '\n' || c == ' ')
}
