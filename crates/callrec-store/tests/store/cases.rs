//! The behaviour every [`Store`] must have, one async function per case.
//!
//! Expected results are computed from the records the case writes (an independent evaluation of the
//! filter, a sort of the specs), never copied from a run.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use callrec_model::edm::Ticks;
use callrec_model::query::{CmpOp, Cursor, ListQuery, RecordFilter, RecordOrder, TimeField};
use callrec_store::{PutOutcome, Slice, Store, WriteCondition};

use crate::backend::Backend;
use crate::records::{Spec, head_property};

const A: &str = "tenant-a";
const B: &str = "tenant-b";
const ALL: Slice = Slice {
    offset: 0,
    limit: u32::MAX,
};

async fn put(
    store: &dyn Store,
    tenant: &str,
    specs: &[Spec],
    condition: WriteCondition,
) -> Vec<PutOutcome> {
    store
        .put_records(
            tenant,
            specs.iter().map(Spec::prepared).collect(),
            condition,
        )
        .await
        .expect("write succeeds")
}

async fn put_newer(store: &dyn Store, tenant: &str, specs: &[Spec]) -> Vec<PutOutcome> {
    put(store, tenant, specs, WriteCondition::NewerVersion).await
}

fn query(filter: Option<RecordFilter>, order: RecordOrder, limit: usize) -> ListQuery {
    ListQuery {
        filter,
        order,
        after: None,
        limit,
        count: false,
    }
}

/// Pages through a whole listing, returning the ids in the order served and the number of pages.
async fn list_all(store: &dyn Store, tenant: &str, mut q: ListQuery) -> (Vec<String>, usize) {
    let mut ids = Vec::new();
    let mut pages = 0;
    loop {
        let page = store
            .list_records(tenant, &q)
            .await
            .expect("listing succeeds");
        pages += 1;
        assert!(
            page.items.len() <= q.limit,
            "a page holds at most its limit"
        );
        ids.extend(page.items.into_iter().map(|r| r.id));
        match page.next {
            Some(next) => q.after = Some(next),
            None => return (ids, pages),
        }
        assert!(pages < 10_000, "paging does not end");
    }
}

fn ticks(secs: i64) -> Ticks {
    Ticks::from_unix_seconds(secs)
}

fn key(spec: &Spec, field: TimeField) -> i64 {
    match field {
        TimeField::StartDateTime => spec.start,
        TimeField::EndDateTime => spec.end,
        TimeField::LastModifiedDateTime => spec.modified,
    }
}

/// The filter's meaning, evaluated on a spec without any store.
fn matches(spec: &Spec, filter: &RecordFilter) -> bool {
    match filter {
        RecordFilter::And(parts) => parts.iter().all(|f| matches(spec, f)),
        RecordFilter::Or(parts) => parts.iter().any(|f| matches(spec, f)),
        RecordFilter::Not(inner) => !matches(spec, inner),
        RecordFilter::Time { field, op, value } => op.test(ticks(key(spec, *field)), *value),
        RecordFilter::TypeIn(types) => types.iter().any(|t| t == spec.call_type),
        RecordFilter::Version { op, value } => op.test(spec.version, *value),
        RecordFilter::IdIn(ids) => ids.contains(&spec.id),
        RecordFilter::ParticipantIn(ids) => ids
            .iter()
            .any(|id| spec.participants.contains(id) || spec.organizer.as_ref() == Some(id)),
        RecordFilter::ModalityIn(names) => {
            names.iter().any(|n| spec.modalities.contains(&n.as_str()))
        }
        RecordFilter::Quality { media, verdicts } => {
            // Every stream of a spec is main-audio with 10 ms of jitter: good audio.
            use callrec_model::quality::{MediaType, Verdict};
            let streams = spec.sessions.iter().any(|(_, segments)| *segments > 0);
            let verdict = match media {
                None | Some(MediaType::Audio) if streams => Verdict::Good,
                _ => Verdict::Unclassified,
            };
            verdicts.contains(&verdict)
        }
        RecordFilter::Const(value) => *value,
    }
}

/// The order a listing must serve: by key, ties by id, both in the listing's direction.
fn sorted_ids(specs: &[Spec], order: RecordOrder) -> Vec<String> {
    let mut keyed: Vec<(i64, &str)> = specs
        .iter()
        .map(|s| (key(s, order.field), s.id.as_str()))
        .collect();
    keyed.sort();
    if order.descending {
        keyed.reverse();
    }
    keyed.into_iter().map(|(_, id)| id.to_owned()).collect()
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}

const ORDERS: [RecordOrder; 6] = [
    RecordOrder {
        field: TimeField::StartDateTime,
        descending: false,
    },
    RecordOrder {
        field: TimeField::StartDateTime,
        descending: true,
    },
    RecordOrder {
        field: TimeField::EndDateTime,
        descending: false,
    },
    RecordOrder {
        field: TimeField::EndDateTime,
        descending: true,
    },
    RecordOrder {
        field: TimeField::LastModifiedDateTime,
        descending: false,
    },
    RecordOrder {
        field: TimeField::LastModifiedDateTime,
        descending: true,
    },
];

pub async fn create_and_get(backend: &dyn Backend) {
    let store = backend.open().await;
    let spec = Spec::new("rec-1");
    let prepared = spec.prepared();
    assert_eq!(
        put_newer(&*store, A, std::slice::from_ref(&spec)).await,
        vec![PutOutcome::Created]
    );
    let row = store
        .get_record(A, "rec-1")
        .await
        .unwrap()
        .expect("the record is stored");
    assert_eq!(row.id, "rec-1");
    assert_eq!(row.version, 1);
    assert_eq!(row.head, prepared.head, "the head comes back byte for byte");
    assert_eq!(row.organizer, prepared.organizer);
    assert_eq!(row.session_count, 1);
    assert_eq!(row.participant_count, 2);
    assert_eq!(head_property(&row.head, "joinWebUrl"), spec.note.as_str());
    assert!(store.get_record(A, "rec-2").await.unwrap().is_none());

    let mut no_organizer = Spec::new("rec-2");
    no_organizer.organizer = None;
    no_organizer.sessions.clear();
    no_organizer.participants.clear();
    put_newer(&*store, A, &[no_organizer]).await;
    let row = store.get_record(A, "rec-2").await.unwrap().unwrap();
    assert_eq!(
        (row.organizer, row.session_count, row.participant_count),
        (None, 0, 0)
    );
    assert_eq!(
        store.sessions(A, "rec-2", ALL, true).await.unwrap(),
        Some(Vec::new())
    );
    assert_eq!(
        store.participants(A, "rec-2", ALL).await.unwrap(),
        Some(Vec::new())
    );
}

pub async fn replace_by_newer_version(backend: &dyn Backend) {
    let store = backend.open().await;
    let mut v1 = Spec::new("rec");
    v1.sessions = vec![("s1".into(), 1), ("s2".into(), 2), ("s3".into(), 3)];
    v1.participants = strings(&["p1", "p2"]);
    v1.organizer = Some("org-old".into());
    put_newer(&*store, A, &[v1.clone()]).await;

    let mut v2 = v1.clone().version(2);
    v2.sessions = vec![("s9".into(), 4)];
    v2.participants = strings(&["p3"]);
    v2.organizer = Some("org-new".into());
    v2.note = "second version".into();
    v2.start += 3600;
    assert_eq!(
        put_newer(&*store, A, &[v2.clone()]).await,
        vec![PutOutcome::Replaced {
            previous_version: 1
        }]
    );

    let prepared = v2.prepared();
    let row = store.get_record(A, "rec").await.unwrap().unwrap();
    assert_eq!(
        (row.version, row.session_count, row.participant_count),
        (2, 1, 1)
    );
    assert_eq!(row.head, prepared.head);
    assert_eq!(row.organizer, prepared.organizer);
    let sessions = store.sessions(A, "rec", ALL, true).await.unwrap().unwrap();
    assert_eq!(sessions.len(), 1, "the old sessions are gone");
    assert_eq!(sessions[0].id, "s9");
    assert_eq!(
        sessions[0].segments.as_deref(),
        Some(prepared.sessions[0].segments.as_slice())
    );
    assert!(store.session(A, "rec", "s2").await.unwrap().is_none());
    let participants = store.participants(A, "rec", ALL).await.unwrap().unwrap();
    assert_eq!(
        participants
            .iter()
            .map(|p| p.id.as_str())
            .collect::<Vec<_>>(),
        ["p3"]
    );
    assert!(store.participant(A, "rec", "p1").await.unwrap().is_none());

    for (pid, expected) in [
        ("p1", 0),
        ("p2", 0),
        ("org-old", 0),
        ("p3", 1),
        ("org-new", 1),
    ] {
        let q = ListQuery {
            count: true,
            ..query(
                Some(RecordFilter::ParticipantIn(strings(&[pid]))),
                RecordOrder::default(),
                10,
            )
        };
        let page = store.list_records(A, &q).await.unwrap();
        assert_eq!(page.items.len(), expected, "participant index for {pid}");
        assert_eq!(page.count, Some(expected as u64));
    }
    let moved = RecordFilter::Time {
        field: TimeField::StartDateTime,
        op: CmpOp::Eq,
        value: ticks(v2.start),
    };
    let page = store
        .list_records(A, &query(Some(moved), RecordOrder::default(), 10))
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1, "the index keys follow the new version");
}

pub async fn stale_versions_are_ignored(backend: &dyn Backend) {
    let store = backend.open().await;
    let mut stored = Spec::new("rec").version(5);
    stored.note = "version five".into();
    put_newer(&*store, A, &[stored.clone()]).await;
    for version in [5, 3, -1] {
        let mut stale = Spec::new("rec").version(version);
        stale.note = format!("stale {version}");
        stale.sessions = vec![("other".into(), 1), ("other-2".into(), 1)];
        assert_eq!(
            put_newer(&*store, A, &[stale]).await,
            vec![PutOutcome::Stale { stored_version: 5 }]
        );
    }
    let row = store.get_record(A, "rec").await.unwrap().unwrap();
    assert_eq!(row.version, 5);
    assert_eq!(head_property(&row.head, "joinWebUrl"), "version five");
    assert_eq!(row.session_count, 1);
    let sessions = store.sessions(A, "rec", ALL, false).await.unwrap().unwrap();
    assert_eq!(
        sessions.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["session-1"]
    );
}

pub async fn compare_and_swap(backend: &dyn Backend) {
    let store = backend.open().await;
    let cas = WriteCondition::StoredVersionIs;
    assert_eq!(
        put(&*store, A, &[Spec::new("rec")], cas(None)).await,
        vec![PutOutcome::Created]
    );
    assert_eq!(
        put(&*store, A, &[Spec::new("rec").version(7)], cas(None)).await,
        vec![PutOutcome::Conflict {
            stored_version: Some(1)
        }]
    );
    assert_eq!(
        put(&*store, A, &[Spec::new("rec").version(2)], cas(Some(1))).await,
        vec![PutOutcome::Replaced {
            previous_version: 1
        }]
    );
    assert_eq!(
        put(&*store, A, &[Spec::new("rec").version(3)], cas(Some(1))).await,
        vec![PutOutcome::Conflict {
            stored_version: Some(2)
        }]
    );
    // Compare-and-swap checks the stored version only; the new one may even be lower.
    let mut lower = Spec::new("rec");
    lower.note = "swapped".into();
    assert_eq!(
        put(&*store, A, &[lower], cas(Some(2))).await,
        vec![PutOutcome::Replaced {
            previous_version: 2
        }]
    );
    let row = store.get_record(A, "rec").await.unwrap().unwrap();
    assert_eq!(
        (row.version, head_property(&row.head, "joinWebUrl")),
        (1, "swapped".into())
    );
    assert_eq!(
        put(&*store, A, &[Spec::new("missing")], cas(Some(1))).await,
        vec![PutOutcome::Conflict {
            stored_version: None
        }]
    );
    assert!(store.get_record(A, "missing").await.unwrap().is_none());
}

pub async fn same_id_twice_in_a_batch(backend: &dyn Backend) {
    let store = backend.open().await;
    let mut v3 = Spec::new("x").version(3);
    v3.note = "three".into();
    let outcomes = put_newer(&*store, A, &[Spec::new("x"), v3, Spec::new("x").version(2)]).await;
    assert_eq!(
        outcomes,
        vec![
            PutOutcome::Created,
            PutOutcome::Replaced {
                previous_version: 1
            },
            PutOutcome::Stale { stored_version: 3 }
        ]
    );
    let row = store.get_record(A, "x").await.unwrap().unwrap();
    assert_eq!(
        (row.version, head_property(&row.head, "joinWebUrl")),
        (3, "three".into())
    );

    let outcomes = put(
        &*store,
        A,
        &[Spec::new("y"), Spec::new("y").version(2)],
        WriteCondition::StoredVersionIs(None),
    )
    .await;
    assert_eq!(
        outcomes,
        vec![
            PutOutcome::Created,
            PutOutcome::Conflict {
                stored_version: Some(1)
            }
        ]
    );
    let q = ListQuery {
        count: true,
        ..query(None, RecordOrder::default(), 10)
    };
    assert_eq!(
        store.list_records(A, &q).await.unwrap().count,
        Some(2),
        "one row per id"
    );
}

pub async fn delete(backend: &dyn Backend) {
    let store = backend.open().await;
    put_newer(&*store, A, &[Spec::new("gone"), Spec::new("kept")]).await;
    assert!(store.delete_record(A, "gone").await.unwrap());
    assert!(store.get_record(A, "gone").await.unwrap().is_none());
    assert!(
        store
            .sessions(A, "gone", ALL, true)
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.participants(A, "gone", ALL).await.unwrap().is_none());
    assert!(
        store
            .session(A, "gone", "session-1")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        !store.delete_record(A, "gone").await.unwrap(),
        "a second delete finds nothing"
    );
    assert!(
        !store.delete_record(B, "kept").await.unwrap(),
        "another tenant cannot delete it"
    );
    let (ids, _) = list_all(&*store, A, query(None, RecordOrder::default(), 10)).await;
    assert_eq!(ids, ["kept"]);
    let by_participant = query(
        Some(RecordFilter::ParticipantIn(strings(&["participant-1"]))),
        RecordOrder::default(),
        10,
    );
    assert_eq!(list_all(&*store, A, by_participant).await.0, ["kept"]);
    // The id can be used again, from scratch.
    assert_eq!(
        put_newer(&*store, A, &[Spec::new("gone")]).await,
        vec![PutOutcome::Created]
    );
}

pub async fn sessions_by_slice(backend: &dyn Backend) {
    let store = backend.open().await;
    let mut spec = Spec::new("rec");
    spec.sessions = (0..5).map(|i| (format!("s{i}"), i + 1)).collect();
    let prepared = spec.prepared();
    put_newer(&*store, A, &[spec]).await;

    let check = |rows: Vec<callrec_store::SessionRow>, from: usize, with_segments: bool| {
        for (k, row) in rows.iter().enumerate() {
            let expected = &prepared.sessions[from + k];
            assert_eq!(row.index as usize, from + k);
            assert_eq!(row.id, expected.id);
            assert_eq!(row.head, expected.head);
            assert_eq!(
                row.segments.as_deref(),
                with_segments.then_some(expected.segments.as_slice())
            );
        }
        rows.len()
    };
    let slice = |offset, limit| Slice { offset, limit };
    assert_eq!(
        check(
            store
                .sessions(A, "rec", slice(0, 2), true)
                .await
                .unwrap()
                .unwrap(),
            0,
            true
        ),
        2
    );
    assert_eq!(
        check(
            store
                .sessions(A, "rec", slice(3, 10), true)
                .await
                .unwrap()
                .unwrap(),
            3,
            true
        ),
        2
    );
    assert_eq!(
        check(
            store
                .sessions(A, "rec", slice(1, 3), false)
                .await
                .unwrap()
                .unwrap(),
            1,
            false
        ),
        3
    );
    assert_eq!(
        check(
            store.sessions(A, "rec", ALL, false).await.unwrap().unwrap(),
            0,
            false
        ),
        5
    );
    assert_eq!(
        store.sessions(A, "rec", slice(5, 10), true).await.unwrap(),
        Some(Vec::new())
    );
    assert_eq!(
        store
            .sessions(A, "rec", slice(u32::MAX, u32::MAX), true)
            .await
            .unwrap(),
        Some(Vec::new())
    );
    assert_eq!(
        store.sessions(A, "rec", slice(0, 0), true).await.unwrap(),
        Some(Vec::new())
    );
    assert!(
        store
            .sessions(A, "nope", slice(0, 10), true)
            .await
            .unwrap()
            .is_none()
    );
    let segments: serde_json::Value = serde_json::from_slice(
        store
            .session(A, "rec", "s3")
            .await
            .unwrap()
            .unwrap()
            .segments
            .as_deref()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(segments.as_array().map(Vec::len), Some(4));
}

pub async fn duplicate_session_ids(backend: &dyn Backend) {
    let store = backend.open().await;
    let mut spec = Spec::new("rec");
    spec.sessions = vec![("a".into(), 1), ("b".into(), 2), ("a".into(), 3)];
    let prepared = spec.prepared();
    put_newer(&*store, A, &[spec]).await;
    let first_a = store
        .session(A, "rec", "a")
        .await
        .unwrap()
        .expect("session a");
    assert_eq!(first_a.index, 0, "the first session with the id");
    assert_eq!(first_a.head, prepared.sessions[0].head);
    assert_eq!(
        first_a.segments.as_deref(),
        Some(prepared.sessions[0].segments.as_slice())
    );
    let b = store
        .session(A, "rec", "b")
        .await
        .unwrap()
        .expect("session b");
    assert_eq!(
        (b.index, b.segments.as_deref()),
        (1, Some(prepared.sessions[1].segments.as_slice()))
    );
    assert!(store.session(A, "rec", "c").await.unwrap().is_none());
    assert!(store.session(B, "rec", "a").await.unwrap().is_none());
    let all = store.sessions(A, "rec", ALL, false).await.unwrap().unwrap();
    assert_eq!(
        all.iter()
            .map(|s| (s.index, s.id.as_str()))
            .collect::<Vec<_>>(),
        [(0, "a"), (1, "b"), (2, "a")]
    );
}

pub async fn participants_by_slice_and_id(backend: &dyn Backend) {
    let store = backend.open().await;
    let mut spec = Spec::new("rec");
    spec.participants = (0..7).map(|i| format!("p{i}")).collect();
    let prepared = spec.prepared();
    put_newer(&*store, A, &[spec]).await;
    let rows = store
        .participants(
            A,
            "rec",
            Slice {
                offset: 2,
                limit: 3,
            },
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(rows.len(), 3);
    for (k, row) in rows.iter().enumerate() {
        assert_eq!(row.index as usize, 2 + k);
        assert_eq!(row.id, prepared.participants[2 + k].id);
        assert_eq!(row.body, prepared.participants[2 + k].body);
    }
    assert_eq!(
        store
            .participants(A, "rec", ALL)
            .await
            .unwrap()
            .unwrap()
            .len(),
        7
    );
    let p5 = store
        .participant(A, "rec", "p5")
        .await
        .unwrap()
        .expect("p5");
    assert_eq!(
        (p5.index, p5.body.as_slice()),
        (5, prepared.participants[5].body.as_slice())
    );
    assert!(store.participant(A, "rec", "p9").await.unwrap().is_none());
    assert!(store.participant(A, "nope", "p1").await.unwrap().is_none());
    assert!(store.participants(A, "nope", ALL).await.unwrap().is_none());
    assert!(store.participant(B, "rec", "p1").await.unwrap().is_none());
}

/// Sixteen records that differ in every filtered property, with ties on every time.
fn filter_fixture() -> Vec<Spec> {
    let types = ["groupCall", "peerToPeer", "unknownFutureValue"];
    let modalities: [&[&'static str]; 4] = [
        &["audio"],
        &["audio", "video"],
        &["screenSharing"],
        &["video", "hologram"],
    ];
    (0..16)
        .map(|i: usize| {
            let mut s = Spec::new(format!("r{i:02}"));
            s.version = 1 + (i % 3) as i64;
            s.call_type = types[i % 3];
            s.modalities = modalities[i % 4].to_vec();
            s.start = 1_700_000_000 + ((i * 37) % 8) as i64 * 60;
            s.end = s.start + (i % 5) as i64 * 10;
            s.modified = 1_700_100_000 + (i % 4) as i64 * 100;
            s.participants = vec![format!("p{}", i % 4), format!("p{}", (i + 1) % 4)];
            s.organizer = (!i.is_multiple_of(5)).then(|| format!("org{}", i % 2));
            s
        })
        .collect()
}

pub async fn list_filters(backend: &dyn Backend) {
    use RecordFilter::*;
    let store = backend.open().await;
    let specs = filter_fixture();
    put_newer(&*store, A, &specs).await;
    let pivot = specs[5].clone();
    let time = |field, op, secs| Time {
        field,
        op,
        value: ticks(secs),
    };
    let mut filters = Vec::new();
    for op in [
        CmpOp::Eq,
        CmpOp::Ne,
        CmpOp::Lt,
        CmpOp::Le,
        CmpOp::Gt,
        CmpOp::Ge,
    ] {
        filters.push(time(TimeField::StartDateTime, op, pivot.start));
        filters.push(time(TimeField::EndDateTime, op, pivot.end));
        filters.push(time(TimeField::LastModifiedDateTime, op, pivot.modified));
        filters.push(Version { op, value: 2 });
    }
    filters.extend([
        TypeIn(strings(&["peerToPeer"])),
        TypeIn(strings(&["groupCall", "peerToPeer"])),
        TypeIn(Vec::new()),
        IdIn(strings(&["r03", "r07", "nope"])),
        IdIn(Vec::new()),
        ParticipantIn(strings(&["p1"])),
        ParticipantIn(strings(&["org1"])),
        ParticipantIn(strings(&["p0", "p2"])),
        ParticipantIn(strings(&["nobody"])),
        ModalityIn(strings(&["video"])),
        ModalityIn(strings(&["hologram"])),
        ModalityIn(strings(&["screenSharing", "hologram"])),
        ModalityIn(strings(&["data"])),
        Const(true),
        Const(false),
        And(vec![
            TypeIn(strings(&["groupCall"])),
            ModalityIn(strings(&["audio"])),
        ]),
        Or(vec![
            IdIn(strings(&["r01"])),
            ParticipantIn(strings(&["org0"])),
        ]),
        Not(Box::new(ParticipantIn(strings(&["p3"])))),
        Not(Box::new(Or(vec![
            TypeIn(strings(&["peerToPeer"])),
            Version {
                op: CmpOp::Ge,
                value: 3,
            },
        ]))),
        And(vec![
            time(TimeField::StartDateTime, CmpOp::Ge, pivot.start),
            Or(vec![
                ModalityIn(strings(&["video"])),
                Not(Box::new(ParticipantIn(strings(&["p0"])))),
            ]),
        ]),
        And(Vec::new()),
        Or(Vec::new()),
        Not(Box::new(Const(false))),
    ]);
    let (mut some, mut not_all) = (0, 0);
    for filter in filters {
        let mut expected: Vec<String> = specs
            .iter()
            .filter(|s| matches(s, &filter))
            .map(|s| s.id.clone())
            .collect();
        expected.sort();
        let q = ListQuery {
            count: true,
            ..query(Some(filter.clone()), RecordOrder::default(), 100)
        };
        let page = store.list_records(A, &q).await.unwrap();
        let mut got: Vec<String> = page.items.into_iter().map(|r| r.id).collect();
        got.sort();
        assert_eq!(got, expected, "{filter:?}");
        assert_eq!(
            page.count,
            Some(expected.len() as u64),
            "count of {filter:?}"
        );
        assert!(page.next.is_none());
        some += usize::from(!expected.is_empty());
        not_all += usize::from(expected.len() < specs.len());
    }
    assert!(
        some > 30 && not_all > 30,
        "the fixture exercises the filters ({some} non-empty, {not_all} partial)"
    );
}

pub async fn list_order_and_ties(backend: &dyn Backend) {
    let store = backend.open().await;
    let specs = filter_fixture();
    put_newer(&*store, A, &specs).await;
    for order in ORDERS {
        let expected = sorted_ids(&specs, order);
        for page_size in [1, 5, 16, 100] {
            let (ids, pages) = list_all(&*store, A, query(None, order, page_size)).await;
            assert_eq!(ids, expected, "{order:?}, pages of {page_size}");
            assert_eq!(
                pages,
                specs.len().div_ceil(page_size),
                "a full last page has no next link"
            );
        }
    }
    // The cursor resumes strictly after its (key, id), whatever record it came from.
    let order = RecordOrder {
        field: TimeField::StartDateTime,
        descending: false,
    };
    let expected = sorted_ids(&specs, order);
    let third = specs.iter().find(|s| s.id == expected[2]).unwrap();
    let q = ListQuery {
        after: Some(Cursor {
            key: ticks(third.start),
            id: third.id.clone(),
        }),
        ..query(None, order, 100)
    };
    let page = store.list_records(A, &q).await.unwrap();
    assert_eq!(
        page.items.iter().map(|r| r.id.clone()).collect::<Vec<_>>(),
        expected[3..]
    );
}

fn paging_fixture(n: usize, prefix: &str) -> Vec<Spec> {
    (0..n)
        .map(|i| {
            let mut s = Spec::new(format!("{prefix}{:05}", (i * 7919) % 100_000));
            s.start = 1_700_000_000 + ((i * 31) % 97) as i64;
            s.end = s.start + (i % 13) as i64;
            s.modified = 1_700_100_000 + (i % 7) as i64;
            s.participants = vec![format!("p{}", i % 10)];
            s.sessions = vec![(format!("s{i}"), 1)];
            s
        })
        .collect()
}

pub async fn keyset_paging(backend: &dyn Backend) {
    let store = backend.open().await;
    let specs = paging_fixture(1_000, "r");
    for chunk in specs.chunks(200) {
        put_newer(&*store, A, chunk).await;
    }
    for order in [ORDERS[0], ORDERS[3], ORDERS[4], ORDERS[5]] {
        let (ids, pages) = list_all(&*store, A, query(None, order, 60)).await;
        assert_eq!(pages, 17, "{order:?}");
        let unique: HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "no record twice ({order:?})");
        assert_eq!(
            ids,
            sorted_ids(&specs, order),
            "no gap, in order ({order:?})"
        );
    }
    let filter = RecordFilter::ParticipantIn(strings(&["p3", "p4"]));
    let subset: Vec<Spec> = specs
        .iter()
        .filter(|s| matches(s, &filter))
        .cloned()
        .collect();
    let (ids, _) = list_all(&*store, A, query(Some(filter), ORDERS[1], 60)).await;
    assert_eq!(ids, sorted_ids(&subset, ORDERS[1]));
}

pub async fn keyset_paging_during_inserts(backend: &dyn Backend) {
    let store = backend.open().await;
    let specs = paging_fixture(1_000, "r");
    for chunk in specs.chunks(250) {
        put_newer(&*store, A, chunk).await;
    }
    let newcomers = paging_fixture(600, "new-");
    let writer = {
        let store = Arc::clone(&store);
        let newcomers = newcomers.clone();
        tokio::spawn(async move {
            for chunk in newcomers.chunks(20) {
                put_newer(&*store, A, chunk).await;
                tokio::task::yield_now().await;
            }
        })
    };
    for order in [ORDERS[0], ORDERS[3]] {
        let mut q = query(None, order, 60);
        let mut served: Vec<(i64, String)> = Vec::new();
        loop {
            let page = store.list_records(A, &q).await.unwrap();
            for row in &page.items {
                let spec = specs
                    .iter()
                    .chain(&newcomers)
                    .find(|s| s.id == row.id)
                    .expect("a written record");
                served.push((key(spec, order.field), row.id.clone()));
            }
            match page.next {
                Some(next) => q.after = Some(next),
                None => break,
            }
            tokio::task::yield_now().await;
        }
        let unique: HashSet<&String> = served.iter().map(|(_, id)| id).collect();
        assert_eq!(unique.len(), served.len(), "no record twice ({order:?})");
        for spec in &specs {
            assert!(
                unique.contains(&spec.id),
                "{} existed throughout but was skipped ({order:?})",
                spec.id
            );
        }
        let mut in_order = served.clone();
        in_order.sort();
        if order.descending {
            in_order.reverse();
        }
        assert_eq!(served, in_order, "served in order ({order:?})");
    }
    writer.await.unwrap();
    let (ids, _) = list_all(&*store, A, query(None, ORDERS[0], 500)).await;
    assert_eq!(ids.len(), 1_600);
}

pub async fn count(backend: &dyn Backend) {
    let store = backend.open().await;
    let specs = paging_fixture(300, "c");
    put_newer(&*store, A, &specs).await;
    put_newer(&*store, B, &specs[..10]).await;
    let filter = RecordFilter::Time {
        field: TimeField::StartDateTime,
        op: CmpOp::Lt,
        value: ticks(1_700_000_050),
    };
    let expected = specs.iter().filter(|s| matches(s, &filter)).count() as u64;
    assert!(expected > 60 && expected < 300);
    let mut q = ListQuery {
        count: true,
        ..query(Some(filter), ORDERS[0], 60)
    };
    let mut seen = 0;
    loop {
        let page = store.list_records(A, &q).await.unwrap();
        assert_eq!(page.count, Some(expected), "the count ignores the cursor");
        seen += page.items.len() as u64;
        match page.next {
            Some(next) => q.after = Some(next),
            None => break,
        }
    }
    assert_eq!(seen, expected);
    let without = store
        .list_records(A, &query(None, ORDERS[0], 5))
        .await
        .unwrap();
    assert_eq!(without.count, None, "no count unless asked");
    let all = ListQuery {
        count: true,
        ..query(None, ORDERS[0], 0)
    };
    assert_eq!(store.list_records(A, &all).await.unwrap().count, Some(300));
    assert_eq!(store.list_records(B, &all).await.unwrap().count, Some(10));
    assert_eq!(
        store.list_records("tenant-none", &all).await.unwrap().count,
        Some(0)
    );
}

pub async fn tenant_isolation(backend: &dyn Backend) {
    let store = backend.open().await;
    let mut a = Spec::new("shared-id");
    a.note = "of tenant a".into();
    a.participants = strings(&["pa"]);
    let mut b = Spec::new("shared-id").version(9);
    b.note = "of tenant b".into();
    b.participants = strings(&["pb"]);
    b.sessions = vec![("sb".into(), 1), ("sb2".into(), 1)];
    assert_eq!(
        put_newer(&*store, A, &[a, Spec::new("only-a")]).await,
        vec![PutOutcome::Created; 2]
    );
    assert_eq!(
        put_newer(&*store, B, &[b]).await,
        vec![PutOutcome::Created],
        "the same id in another tenant is new"
    );

    let row_a = store.get_record(A, "shared-id").await.unwrap().unwrap();
    let row_b = store.get_record(B, "shared-id").await.unwrap().unwrap();
    assert_eq!(
        (row_a.version, head_property(&row_a.head, "joinWebUrl")),
        (1, "of tenant a".into())
    );
    assert_eq!(
        (row_b.version, head_property(&row_b.head, "joinWebUrl")),
        (9, "of tenant b".into())
    );
    assert!(store.get_record(B, "only-a").await.unwrap().is_none());
    assert!(
        store
            .session(B, "shared-id", "session-1")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        store
            .sessions(B, "shared-id", ALL, false)
            .await
            .unwrap()
            .unwrap()
            .len(),
        2
    );
    assert!(
        store
            .participant(B, "shared-id", "pa")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .participant(A, "shared-id", "pa")
            .await
            .unwrap()
            .is_some()
    );

    let (ids_b, _) = list_all(&*store, B, query(None, ORDERS[0], 10)).await;
    assert_eq!(ids_b, ["shared-id"]);
    let pa = query(
        Some(RecordFilter::ParticipantIn(strings(&[
            "pa",
            "participant-1",
        ]))),
        ORDERS[0],
        10,
    );
    assert!(
        list_all(&*store, B, pa.clone()).await.0.is_empty(),
        "tenant b never sees tenant a's participants"
    );
    assert_eq!(list_all(&*store, A, pa).await.0, ["only-a", "shared-id"]);

    assert!(store.delete_record(A, "shared-id").await.unwrap());
    assert!(
        store.get_record(B, "shared-id").await.unwrap().is_some(),
        "a delete stays in its tenant"
    );
    let stale_in_b = Spec::new("shared-id").version(2);
    assert_eq!(
        put_newer(&*store, B, &[stale_in_b]).await,
        vec![PutOutcome::Stale { stored_version: 9 }]
    );
}

pub async fn concurrent_writers_keep_the_highest_version(backend: &dyn Backend) {
    let store = backend.open().await;
    const WRITERS: usize = 8;
    const IDS: usize = 40;
    fn version(writer: usize, id: usize) -> i64 {
        ((writer * 7 + id * 3) % 11) as i64 + 1
    }
    fn spec(writer: usize, id: usize) -> Spec {
        let mut s = Spec::new(format!("id-{id}")).version(version(writer, id));
        s.note = format!("id {id} version {}", version(writer, id));
        s.sessions = (0..(version(writer, id) as usize % 3 + 1))
            .map(|k| (format!("s{k}"), 1))
            .collect();
        s
    }
    let tasks: Vec<_> = (0..WRITERS)
        .map(|w| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let specs: Vec<Spec> = (0..IDS).map(|id| spec(w, id)).collect();
                let mut outcomes = Vec::new();
                for chunk in specs.chunks(10) {
                    outcomes.extend(put_newer(&*store, A, chunk).await);
                }
                outcomes
            })
        })
        .collect();
    let mut created = 0;
    for task in tasks {
        created += task
            .await
            .unwrap()
            .iter()
            .filter(|o| **o == PutOutcome::Created)
            .count();
    }
    assert_eq!(created, IDS, "each id is created exactly once");
    for id in 0..IDS {
        let highest = (0..WRITERS).map(|w| version(w, id)).max().unwrap();
        let row = store
            .get_record(A, &format!("id-{id}"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.version, highest);
        assert_eq!(
            head_property(&row.head, "joinWebUrl"),
            format!("id {id} version {highest}").as_str()
        );
        let sessions = store
            .sessions(A, &format!("id-{id}"), ALL, false)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            sessions.len(),
            highest as usize % 3 + 1,
            "the sessions of the winning version only"
        );
    }
    let all = ListQuery {
        count: true,
        ..query(None, ORDERS[0], 1_000)
    };
    let page = store.list_records(A, &all).await.unwrap();
    assert_eq!(page.count, Some(IDS as u64), "exactly one row per id");
    assert_eq!(page.items.len(), IDS);
}

pub async fn persists_after_reopen(backend: &dyn Backend) {
    let specs: Vec<Spec> = (0..3)
        .map(|i| {
            let mut s = Spec::new(format!("kept-{i}"));
            s.sessions = (0..=i).map(|k| (format!("s{k}"), k + 1)).collect();
            s
        })
        .collect();
    {
        let store = backend.open().await;
        put_newer(&*store, A, &specs).await;
        assert!(store.delete_record(A, "kept-1").await.unwrap());
    }
    let store = backend.open().await;
    for spec in [&specs[0], &specs[2]] {
        let prepared = spec.prepared();
        let row = store
            .get_record(A, &spec.id)
            .await
            .unwrap()
            .expect("survives a reopen");
        assert_eq!(row.head, prepared.head);
        let sessions = store
            .sessions(A, &spec.id, ALL, true)
            .await
            .unwrap()
            .unwrap();
        let segments: Vec<&[u8]> = sessions
            .iter()
            .map(|s| s.segments.as_deref().unwrap())
            .collect();
        let expected: Vec<&[u8]> = prepared
            .sessions
            .iter()
            .map(|s| s.segments.as_slice())
            .collect();
        assert_eq!(segments, expected);
    }
    assert!(
        store.get_record(A, "kept-1").await.unwrap().is_none(),
        "the delete survives too"
    );
    assert_eq!(
        put_newer(&*store, A, &[specs[0].clone()]).await,
        vec![PutOutcome::Stale { stored_version: 1 }]
    );
}

pub async fn batch_is_all_or_nothing(backend: &dyn Backend) {
    let store = backend.open().await;
    if !backend.reject_record_id("poison").await {
        println!("batch_is_all_or_nothing: skipped (the backend cannot inject a failure)");
        return;
    }
    put_newer(&*store, A, &[Spec::new("existing")]).await;
    let mut replacement = Spec::new("existing").version(2);
    replacement.sessions = vec![("other".into(), 1), ("other-2".into(), 1)];
    let failing: Vec<_> = [
        replacement,
        Spec::new("new-1"),
        Spec::new("poison"),
        Spec::new("new-2"),
    ]
    .iter()
    .map(Spec::prepared)
    .collect();
    let neighbour = || Spec::new("neighbour").prepared();

    // The failing batch and its neighbour are in flight together, so they may share a commit.
    let (failed, neighboured) = tokio::join!(
        store.put_records(A, failing, WriteCondition::NewerVersion),
        store.put_records(A, vec![neighbour()], WriteCondition::NewerVersion),
    );
    assert!(failed.is_err(), "the batch with the rejected record fails");
    assert_eq!(
        neighboured.unwrap(),
        vec![PutOutcome::Created],
        "another batch is not dragged down"
    );
    let existing = store.get_record(A, "existing").await.unwrap().unwrap();
    assert_eq!(
        (existing.version, existing.session_count),
        (1, 1),
        "the replacement was rolled back"
    );
    assert_eq!(
        store
            .sessions(A, "existing", ALL, false)
            .await
            .unwrap()
            .unwrap()
            .len(),
        1
    );
    for id in ["new-1", "poison", "new-2"] {
        assert!(
            store.get_record(A, id).await.unwrap().is_none(),
            "{id} was rolled back"
        );
    }
    let by_participant = ListQuery {
        count: true,
        ..query(None, ORDERS[0], 10)
    };
    assert_eq!(
        store.list_records(A, &by_participant).await.unwrap().count,
        Some(2)
    );
    assert_eq!(
        put_newer(&*store, A, &[Spec::new("new-1"), Spec::new("new-2")]).await,
        vec![PutOutcome::Created; 2],
        "the store still writes"
    );
}

pub async fn stats_follow_writes(backend: &dyn Backend) {
    let store = backend.open().await;
    let before = store.stats().await.unwrap();
    let with_sessions = |id: &str, n: usize| {
        let mut s = Spec::new(id);
        s.sessions = (0..n).map(|k| (format!("s{k}"), 1)).collect();
        s
    };
    put_newer(
        &*store,
        A,
        &[with_sessions("one", 2), with_sessions("two", 3)],
    )
    .await;
    put_newer(&*store, B, &[with_sessions("one", 1)]).await;
    let grown = store.stats().await.unwrap();
    assert_eq!(
        (
            grown.records - before.records,
            grown.sessions - before.sessions
        ),
        (3, 6)
    );
    let mut replaced = with_sessions("one", 5);
    replaced.version = 2;
    put_newer(&*store, A, &[replaced]).await;
    put_newer(&*store, A, &[with_sessions("two", 9)]).await; // stale: changes nothing
    assert!(store.delete_record(A, "two").await.unwrap());
    let after = store.stats().await.unwrap();
    assert_eq!(
        (
            after.records - before.records,
            after.sessions - before.sessions
        ),
        (2, 6)
    );
    let mut by_tenant: BTreeMap<&str, u64> = BTreeMap::new();
    for tenant in [A, B] {
        let q = ListQuery {
            count: true,
            ..query(None, ORDERS[0], 0)
        };
        by_tenant.insert(
            tenant,
            store.list_records(tenant, &q).await.unwrap().count.unwrap(),
        );
    }
    assert_eq!(by_tenant.values().sum::<u64>(), after.records);
}

fn ending(id: &str, end: i64) -> Spec {
    let mut spec = Spec::new(id);
    spec.start = end - 600;
    spec.end = end;
    spec.modified = end + 60;
    spec
}

/// What scrubbing writes for a record.
fn scrubbed(spec: &Spec) -> callrec_model::prepare::PreparedRecord {
    crate::records::scrubbed(spec.json())
}

pub async fn purge_deletes_what_ended_before(backend: &dyn Backend) {
    let store = backend.open().await;
    let cutoff = 1_700_000_000;
    let old: Vec<Spec> = (0..7)
        .map(|i| ending(&format!("old-{i}"), cutoff - 1000 + i))
        .collect();
    put_newer(&*store, A, &old[..4]).await;
    put_newer(&*store, B, &old[4..]).await;
    put_newer(
        &*store,
        A,
        &[ending("at-cutoff", cutoff), ending("new", cutoff + 10)],
    )
    .await;
    let mut deleted = 0;
    loop {
        let n = store.purge_ended_before(ticks(cutoff), 3).await.unwrap();
        assert!(n <= 3, "a purge deletes at most its limit");
        deleted += n;
        if n < 3 {
            break;
        }
    }
    assert_eq!(deleted, 7);
    for spec in &old {
        for tenant in [A, B] {
            assert!(store.get_record(tenant, &spec.id).await.unwrap().is_none());
        }
    }
    let (ids, _) = list_all(&*store, A, query(None, RecordOrder::default(), 10)).await;
    assert_eq!(
        ids,
        ["at-cutoff", "new"],
        "an end at the cutoff is not before it"
    );
    assert_eq!(store.stats().await.unwrap().records, 2);
    // The purge's participant links went with the records: the participants of the survivors still match.
    let by_participant = query(
        Some(RecordFilter::ParticipantIn(strings(&["participant-1"]))),
        RecordOrder::default(),
        10,
    );
    assert_eq!(list_all(&*store, A, by_participant).await.0.len(), 2);
    assert_eq!(store.purge_ended_before(ticks(cutoff), 3).await.unwrap(), 0);
}

pub async fn scrubbing_rewrites_a_record_in_place(backend: &dyn Backend) {
    let store = backend.open().await;
    let cutoff = 1_700_000_000;
    let phone = "+15551234567";
    let mut with_phone = ending("old-2", cutoff - 500);
    with_phone.participants = vec![phone.to_owned(), "participant-2".to_owned()];
    put_newer(
        &*store,
        A,
        &[ending("old-1", cutoff - 900), with_phone.clone()],
    )
    .await;
    put_newer(&*store, B, &[ending("old-b", cutoff - 100)]).await;
    put_newer(&*store, A, &[ending("new", cutoff + 100)]).await;
    let mut already = scrubbed(&ending("old-scrubbed", cutoff - 50));
    already.version = 1;
    store
        .put_records(A, vec![already], WriteCondition::NewerVersion)
        .await
        .unwrap();

    let keys = store.records_to_scrub(ticks(cutoff), 10).await.unwrap();
    let listed: Vec<(&str, &str, i64)> = keys
        .iter()
        .map(|k| (k.tenant.as_str(), k.id.as_str(), k.version))
        .collect();
    assert_eq!(
        listed,
        [(A, "old-1", 1), (A, "old-2", 1), (B, "old-b", 1)],
        "unscrubbed records that ended before the cutoff, earliest end first, across tenants"
    );
    assert_eq!(
        store
            .records_to_scrub(ticks(cutoff), 2)
            .await
            .unwrap()
            .len(),
        2
    );

    let outcome = store
        .put_records(A, vec![scrubbed(&with_phone)], WriteCondition::Scrubbing)
        .await
        .unwrap();
    assert_eq!(
        outcome,
        [PutOutcome::Replaced {
            previous_version: 1
        }]
    );
    let participants = store.participants(A, "old-2", ALL).await.unwrap().unwrap();
    let pseudonym = participants[0].id.clone();
    assert_ne!(pseudonym, phone, "the phone id is replaced");
    let body: serde_json::Value = serde_json::from_slice(&participants[1].body).unwrap();
    assert_eq!(
        body["identity"]["user"]["displayName"],
        serde_json::Value::Null
    );
    assert_eq!(body["identity"]["user"]["id"], "participant-2");
    let by = |ids: &[&str]| {
        query(
            Some(RecordFilter::ParticipantIn(strings(ids))),
            RecordOrder::default(),
            10,
        )
    };
    assert!(
        list_all(&*store, A, by(&[phone])).await.0.is_empty(),
        "the phone number no longer finds it"
    );
    assert_eq!(list_all(&*store, A, by(&[&pseudonym])).await.0, ["old-2"]);
    let row = store.get_record(A, "old-2").await.unwrap().unwrap();
    assert_eq!(
        (row.version, row.participant_count, row.session_count),
        (1, 2, 1)
    );
    assert_eq!(
        store
            .sessions(A, "old-2", ALL, true)
            .await
            .unwrap()
            .unwrap()
            .len(),
        1
    );

    let keys = store.records_to_scrub(ticks(cutoff), 10).await.unwrap();
    assert_eq!(
        keys.iter().map(|k| k.id.as_str()).collect::<Vec<_>>(),
        ["old-1", "old-b"],
        "a scrubbed record is not listed again"
    );
    // A scrubbing write never lands on what it did not read: a scrubbed, changed, absent or other
    // tenant's record.
    let conflicts = [
        (A, scrubbed(&with_phone), Some(1)),
        (
            A,
            scrubbed(&ending("old-1", cutoff - 900).version(2)),
            Some(1),
        ),
        (A, scrubbed(&ending("absent", cutoff - 900)), None),
        (B, scrubbed(&ending("old-1", cutoff - 900)), None),
    ];
    for (tenant, record, stored_version) in conflicts {
        let id = record.id.clone();
        let outcome = store
            .put_records(tenant, vec![record], WriteCondition::Scrubbing)
            .await
            .unwrap();
        assert_eq!(
            outcome,
            [PutOutcome::Conflict { stored_version }],
            "{tenant} {id}"
        );
    }
    assert!(store.get_record(A, "absent").await.unwrap().is_none());
    assert_eq!(
        head_property(
            &store.get_record(A, "old-1").await.unwrap().unwrap().head,
            "version"
        ),
        1
    );

    // A later version arrives with its personal data: it is to be scrubbed again.
    let mut newer = with_phone.clone().version(2);
    newer.note = "version 2".into();
    put_newer(&*store, A, &[newer]).await;
    let keys = store.records_to_scrub(ticks(cutoff), 10).await.unwrap();
    assert!(
        keys.iter()
            .any(|k| (k.id.as_str(), k.version) == ("old-2", 2))
    );
    assert_eq!(
        list_all(&*store, A, by(&[phone])).await.0,
        ["old-2"],
        "the new version names the phone again until scrubbed"
    );
    assert_eq!(store.stats().await.unwrap().records, 5);
}
