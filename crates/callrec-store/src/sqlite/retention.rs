//! Retention and scrubbing for the SQLite store: finding the records whose call ended before a cutoff, in
//! every tenant, to delete them or to scrub them.
//!
//! Expired records are found on a read connection, tenant by tenant along the `(tenant, end_time, id)`
//! index, and deleted one by one with the writer's ordinary delete (told to spare a record whose call now
//! ends later), so a purge takes part in group commits like any other write and everything a delete
//! removes with a record is removed here too. Records to scrub are found along the partial index of the
//! unscrubbed ones; the caller writes them back scrubbed.

use callrec_model::edm::Ticks;
use rusqlite::params;
use tokio::sync::oneshot;

use super::SqliteStore;
use super::writer::Command;
use crate::{RecordKey, StoreError};

fn backend(e: rusqlite::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}

pub(super) async fn purge_ended_before(
    store: &SqliteStore,
    cutoff: Ticks,
    limit: u32,
) -> Result<u64, StoreError> {
    let expired: Vec<(String, String)> = store
        .read(move |conn, _| {
            let mut tenants = conn
                .prepare_cached("SELECT tid, name FROM tenants ORDER BY tid")
                .map_err(backend)?;
            let tenants: Vec<(i64, String)> = tenants
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(backend)?
                .collect::<Result<_, _>>()
                .map_err(backend)?;
            let mut found = Vec::new();
            let mut by_end = conn
                .prepare_cached(
                    "SELECT id FROM records WHERE tenant = ?1 AND end_time < ?2 ORDER BY end_time, id LIMIT ?3",
                )
                .map_err(backend)?;
            for (tid, name) in tenants {
                let room = i64::from(limit) - found.len() as i64;
                if room <= 0 {
                    break;
                }
                let ids = by_end
                    .query_map(params![tid, cutoff.0, room], |r| r.get::<_, String>(0))
                    .map_err(backend)?;
                for id in ids {
                    found.push((name.clone(), id.map_err(backend)?));
                }
            }
            Ok(found)
        })
        .await?;
    let mut deleted = 0;
    for (tenant, id) in expired {
        let (reply, outcome) = oneshot::channel();
        let command = Command::Delete {
            tenant,
            id,
            ended_before: Some(cutoff.0),
            reply,
        };
        if store.send(command, outcome).await? {
            deleted += 1;
        }
    }
    Ok(deleted)
}

pub(super) async fn records_to_scrub(
    store: &SqliteStore,
    cutoff: Ticks,
    limit: u32,
) -> Result<Vec<RecordKey>, StoreError> {
    store
        .read(move |conn, _| {
            conn.prepare_cached(
                "SELECT t.name, r.id, r.version FROM records r INDEXED BY records_to_scrub \
                 JOIN tenants t ON t.tid = r.tenant \
                 WHERE r.scrubbed = 0 AND r.end_time < ?1 ORDER BY r.end_time LIMIT ?2",
            )
            .and_then(|mut s| {
                s.query_map(params![cutoff.0, limit], |r| {
                    Ok(RecordKey {
                        tenant: r.get(0)?,
                        id: r.get(1)?,
                        version: r.get(2)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()
            })
            .map_err(backend)
        })
        .await
}

#[cfg(test)]
mod tests {
    use callrec_model::prepare::prepare;

    use super::*;
    use crate::sqlite::SqliteOptions;
    use crate::{RecordStore, WriteCondition};

    fn record(id: &str, end: &str) -> callrec_model::prepare::PreparedRecord {
        let value = serde_json::json!({
            "id": id, "version": 1, "type": "peerToPeer", "modalities": ["audio"],
            "lastModifiedDateTime": end, "startDateTime": end, "endDateTime": end,
            "joinWebUrl": null, "organizer": null, "participants": [],
            "organizer_v2": null, "participants_v2": [], "sessions": []
        });
        let serde_json::Value::Object(map) = value else {
            unreachable!()
        };
        prepare(map)
    }

    #[test]
    fn records_ended_before_the_cutoff_are_purged_in_every_tenant() {
        let dir = std::env::temp_dir().join(format!("callrec-retention-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let store = SqliteStore::open(&dir.join("r.db"), SqliteOptions::default()).unwrap();
            for tenant in ["t1", "t2"] {
                let records = vec![
                    record("old-1", "2020-01-01T00:00:00Z"),
                    record("old-2", "2020-06-01T00:00:00Z"),
                    record("new", "2024-01-01T00:00:00Z"),
                ];
                store
                    .put_records(tenant, records, WriteCondition::NewerVersion)
                    .await
                    .unwrap();
            }
            let cutoff =
                callrec_model::edm::parse_date_time_offset("2023-01-01T00:00:00Z").unwrap();
            // A small limit leaves the rest for the next call.
            assert_eq!(store.purge_ended_before(cutoff, 3).await.unwrap(), 3);
            assert_eq!(store.purge_ended_before(cutoff, 3).await.unwrap(), 1);
            assert_eq!(store.purge_ended_before(cutoff, 3).await.unwrap(), 0);
            for tenant in ["t1", "t2"] {
                assert!(store.get_record(tenant, "old-1").await.unwrap().is_none());
                assert!(store.get_record(tenant, "old-2").await.unwrap().is_none());
                assert!(store.get_record(tenant, "new").await.unwrap().is_some());
            }
            assert_eq!(store.stats().await.unwrap().records, 2);
        });
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
