//! The JSON rules of the typed model that neither the schema nor the examples exercise: unknown and explicit
//! `@odata.type`s, `null` for absent properties, key order, and errors that name the property.

use callrec_model::types::call_records::{
    AnyEndpoint, AnyUserAgent, CallRecord, CallType, MediaStream, ServiceRole,
};
use callrec_model::types::graph::AnyIdentity;
use callrec_model::types::{DateTimeOffset, Duration};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Runs every check; returns the number run and the failures.
pub fn check() -> (usize, Vec<String>) {
    let mut c = Checker::default();

    // An @odata.type naming no known type is read as the slot's type and kept.
    c.round_trip::<AnyIdentity>(
        json!({"@odata.type": "#microsoft.graph.someFutureIdentity", "displayName": "Bot", "id": "b1", "extra": 1}),
        json!({"@odata.type": "#microsoft.graph.someFutureIdentity", "displayName": "Bot", "id": "b1", "extra": 1}),
    );
    // The base type named explicitly is kept too, though OData does not need it.
    c.round_trip::<AnyIdentity>(
        json!({"@odata.type": "#microsoft.graph.identity", "id": "b1"}),
        json!({"@odata.type": "#microsoft.graph.identity", "displayName": null, "id": "b1"}),
    );
    // The two userIdentity types of the two namespaces are told apart.
    c.expect(
        read::<AnyIdentity>(
            json!({"@odata.type": "#microsoft.graph.callRecords.userIdentity", "id": "u"}),
        )
        .is_some_and(|i| matches!(i, AnyIdentity::CallRecordsUserIdentity(_))),
        "#microsoft.graph.callRecords.userIdentity reads as the callRecords userIdentity",
    );
    c.expect(
        read::<AnyIdentity>(json!({"@odata.type": "#microsoft.graph.userIdentity", "id": "u"}))
            .is_some_and(|i| matches!(i, AnyIdentity::UserIdentity(_))),
        "#microsoft.graph.userIdentity reads as the graph userIdentity",
    );
    // Derived types nest, and each writes its @odata.type first.
    let service = json!({
        "@odata.type": "#microsoft.graph.callRecords.serviceEndpoint",
        "userAgent": {"@odata.type": "#microsoft.graph.callRecords.serviceUserAgent", "role": "voicemail"}
    });
    c.expect(
        read::<AnyEndpoint>(service.clone()).is_some_and(|e| match e {
            AnyEndpoint::ServiceEndpoint(s) => matches!(
                s.user_agent,
                Some(AnyUserAgent::ServiceUserAgent(ua)) if ua.role == Some(ServiceRole::Voicemail)
            ),
            _ => false,
        }),
        "a serviceEndpoint with a serviceUserAgent reads as those types",
    );
    c.expect(
        write_text(&read::<AnyEndpoint>(service.clone())).starts_with(
            r##"{"@odata.type":"#microsoft.graph.callRecords.serviceEndpoint","userAgent":{"@odata.type":"#microsoft.graph.callRecords.serviceUserAgent","applicationVersion":null,"headerValue":null,"role":"voicemail"}}"##,
        ),
        "a derived type writes its @odata.type first and every property",
    );
    // A slot value without @odata.type, of an abstract type, is read as that type (as the SDKs do).
    c.round_trip::<AnyUserAgent>(
        json!({"headerValue": "x"}),
        json!({"applicationVersion": null, "headerValue": "x"}),
    );

    // Absent properties are written as null; unexpanded navigation properties are left out.
    let empty = write_text(&Some(CallRecord::default()));
    c.expect(
        empty
            == r#"{"id":null,"endDateTime":null,"joinWebUrl":null,"lastModifiedDateTime":null,"modalities":null,"organizer":null,"participants":null,"startDateTime":null,"type":null,"version":null}"#,
        &format!("an empty callRecord writes every structural property as null, got {empty}"),
    );
    // Annotations are written before the properties, other undeclared keys after them.
    c.expect(
        write_text(&read::<CallRecord>(
            json!({"version": 2, "futureProperty": true, "@odata.context": "c"}),
        ))
        .starts_with(r#"{"@odata.context":"c","id":null"#),
        "annotations come first",
    );
    // A key set in additional_data that a property also has is written once, from the property.
    let mut record = CallRecord {
        version: Some(1),
        ..CallRecord::default()
    };
    record
        .additional_data
        .insert("version".to_owned(), json!(5));
    let text = write_text(&Some(record));
    c.expect(
        text.matches("\"version\"").count() == 1 && text.contains("\"version\":1"),
        "a declared key is never written twice",
    );

    // Enum members a later schema adds are kept.
    c.round_trip::<CallType>(json!("conferenceCall"), json!("conferenceCall"));
    c.expect(
        read::<CallType>(json!("groupCall")) == Some(CallType::GroupCall),
        "a declared member reads as itself",
    );
    c.expect(
        read::<CallType>(json!(1)).is_none(),
        "an enum is a string, not a number",
    );

    // Edm primitives.
    c.round_trip::<DateTimeOffset>(
        json!("2020-02-25T18:52:21.2169889Z"),
        json!("2020-02-25T18:52:21.2169889Z"),
    );
    c.round_trip::<DateTimeOffset>(
        json!("2019-11-01T00:00:00+02:00"),
        json!("2019-10-31T22:00:00Z"),
    );
    c.round_trip::<Duration>(json!("PT1M2.5S"), json!("PT1M2.5S"));
    c.expect(
        read::<Duration>(json!("soon")).is_none(),
        "a malformed duration is an error",
    );
    // An error names the property it is in.
    let error = serde_json::from_value::<MediaStream>(json!({"averageJitter": "soon"}))
        .err()
        .map(|e| e.to_string());
    c.expect(
        error
            .as_deref()
            .is_some_and(|e| e.contains("averageJitter")),
        &format!("a bad property value names the property: {error:?}"),
    );
    let error = serde_json::from_value::<CallRecord>(json!({"version": "two"}))
        .err()
        .map(|e| e.to_string());
    c.expect(
        error.as_deref().is_some_and(|e| e.contains("version")),
        "a bad Int64 names the property",
    );

    (c.count, c.failures)
}

#[derive(Default)]
struct Checker {
    count: usize,
    failures: Vec<String>,
}

impl Checker {
    fn expect(&mut self, ok: bool, what: &str) {
        self.count += 1;
        if !ok {
            self.failures.push(format!("behaviour: {what}"));
        }
    }

    fn round_trip<T: Serialize + DeserializeOwned>(&mut self, input: Value, expected: Value) {
        let written =
            serde_json::from_value::<T>(input.clone()).map(|v| serde_json::to_value(v).ok());
        let ok = matches!(&written, Ok(Some(w)) if *w == expected);
        self.expect(
            ok,
            &format!("{input} should be written back as {expected}, got {written:?}"),
        );
    }
}

fn read<T: DeserializeOwned>(json: Value) -> Option<T> {
    serde_json::from_value(json).ok()
}

fn write_text<T: Serialize>(value: &Option<T>) -> String {
    value
        .as_ref()
        .and_then(|v| serde_json::to_string(v).ok())
        .unwrap_or_default()
}
