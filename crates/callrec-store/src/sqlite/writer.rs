//! The single writer of a SQLite store: one thread owns the write connection and commits in groups.
//!
//! SQLite allows one writer at a time, and a durable commit costs a WAL append (and, with
//! `synchronous=FULL`, an fsync) whatever its size. So callers do not write themselves: they compress their
//! records on their own threads, queue a [`Command`], and wait for its acknowledgement. The writer drains
//! every command queued meanwhile into one transaction, gives each its own savepoint (a batch stays all or
//! nothing even when its neighbours in the group succeed), commits once, and only then acknowledges each.

use rusqlite::{Connection, params};
use tokio::sync::{mpsc, oneshot};

use crate::encoded::EncodedRecord;
use crate::{PutOutcome, StoreError, WriteCondition};

use super::backend;
use super::records::{delete, put};

/// A group holds at most this many commands...
const MAX_GROUP_COMMANDS: usize = 512;
/// ...and at most about this many records, so one commit never grows without bound under load.
const MAX_GROUP_RECORDS: usize = 20_000;

/// What a caller asks of the writer.
pub(super) enum Command {
    Put {
        tenant: String,
        records: Vec<EncodedRecord>,
        condition: WriteCondition,
        reply: oneshot::Sender<Result<Vec<PutOutcome>, StoreError>>,
    },
    Delete {
        tenant: String,
        id: String,
        /// Only if the record's call ended before this instant (retention must not delete a record
        /// re-ingested meanwhile with a later end).
        ended_before: Option<i64>,
        reply: oneshot::Sender<Result<bool, StoreError>>,
    },
    AddDictionary {
        id: u8,
        bytes: Vec<u8>,
        reply: oneshot::Sender<Result<(), StoreError>>,
    },
    /// A write of other data (log rows...), committed in the group like a record, so that it neither
    /// waits for nor contends with the writer's lock. `weight` counts as that many records.
    Work {
        weight: usize,
        work: Work,
        reply: oneshot::Sender<Result<WorkOutput, StoreError>>,
    },
}

/// What a [`Command::Work`] returns; its sender knows the concrete type.
pub(super) type WorkOutput = Box<dyn std::any::Any + Send>;
/// A write run by the writer thread inside its transaction (and a savepoint of its own).
pub(super) type Work = Box<dyn Fn(&Connection) -> Result<WorkOutput, StoreError> + Send>;

impl Command {
    fn weight(&self) -> usize {
        match self {
            Command::Put { records, .. } => records.len().max(1),
            Command::Work { weight, .. } => (*weight).max(1),
            _ => 1,
        }
    }
}

/// What a command did, before its transaction is committed.
enum Applied {
    Put(Vec<PutOutcome>),
    Delete(bool),
    Dictionary,
    Work(WorkOutput),
}

/// Runs the writer until every sender is gone.
pub(super) fn run(mut conn: Connection, mut commands: mpsc::Receiver<Command>) {
    while let Some(first) = commands.blocking_recv() {
        let mut weight = first.weight();
        let mut group = vec![first];
        while group.len() < MAX_GROUP_COMMANDS && weight < MAX_GROUP_RECORDS {
            match commands.try_recv() {
                Ok(next) => {
                    weight += next.weight();
                    group.push(next);
                }
                Err(_) => break,
            }
        }
        commit_group(&mut conn, group);
    }
    // Refreshes the query planner's statistics for the next open, and folds the WAL into the main file so
    // a closed store is one file; failure only costs speed or disk space.
    if let Err(e) = conn.execute_batch("PRAGMA optimize; PRAGMA wal_checkpoint(TRUNCATE);") {
        tracing::debug!(error = %e, "closing maintenance failed");
    }
}

fn commit_group(conn: &mut Connection, group: Vec<Command>) {
    let results = match conn.execute_batch("BEGIN IMMEDIATE") {
        Ok(()) => {
            let mut results: Vec<Result<Applied, StoreError>> = group
                .iter()
                .map(|command| apply_in_savepoint(conn, command))
                .collect();
            if let Err(e) = conn.execute_batch("COMMIT") {
                let message = e.to_string();
                if let Err(e) = conn.execute_batch("ROLLBACK") {
                    tracing::debug!(error = %e, "rollback after a failed commit");
                }
                tracing::error!(error = %message, "store commit failed");
                results = group
                    .iter()
                    .map(|_| Err(StoreError::Backend(message.clone())))
                    .collect();
            }
            results
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot start a store transaction");
            group
                .iter()
                .map(|_| Err(StoreError::Backend(e.to_string())))
                .collect()
        }
    };
    for (command, result) in group.into_iter().zip(results) {
        reply(command, result);
    }
}

fn reply(command: Command, result: Result<Applied, StoreError>) {
    let unexpected = || StoreError::Backend("writer produced a mismatched result".into());
    // A caller that stopped waiting is no error: its write is committed all the same.
    match command {
        Command::Put { reply, .. } => {
            let _ = reply.send(result.and_then(|a| {
                if let Applied::Put(o) = a {
                    Ok(o)
                } else {
                    Err(unexpected())
                }
            }));
        }
        Command::Delete { reply, .. } => {
            let _ = reply.send(result.and_then(|a| {
                if let Applied::Delete(d) = a {
                    Ok(d)
                } else {
                    Err(unexpected())
                }
            }));
        }
        Command::AddDictionary { reply, .. } => {
            let _ = reply.send(result.and_then(|a| {
                if let Applied::Dictionary = a {
                    Ok(())
                } else {
                    Err(unexpected())
                }
            }));
        }
        Command::Work { reply, .. } => {
            let _ = reply.send(result.and_then(|a| {
                if let Applied::Work(output) = a {
                    Ok(output)
                } else {
                    Err(unexpected())
                }
            }));
        }
    }
}

fn apply_in_savepoint(conn: &Connection, command: &Command) -> Result<Applied, StoreError> {
    conn.execute_batch("SAVEPOINT batch").map_err(backend)?;
    let result = apply(conn, command);
    let end = if result.is_ok() {
        "RELEASE batch"
    } else {
        "ROLLBACK TO batch; RELEASE batch"
    };
    conn.execute_batch(end).map_err(backend)?;
    result
}

fn apply(conn: &Connection, command: &Command) -> Result<Applied, StoreError> {
    match command {
        Command::Put {
            tenant,
            records,
            condition,
            ..
        } => put(conn, tenant, records, *condition).map(Applied::Put),
        Command::Delete {
            tenant,
            id,
            ended_before,
            ..
        } => delete(conn, tenant, id, *ended_before).map(Applied::Delete),
        Command::AddDictionary { id, bytes, .. } => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64);
            conn.prepare_cached(
                "INSERT INTO dictionaries (id, bytes, created_at) VALUES (?1, ?2, ?3)",
            )
            .and_then(|mut s| s.execute(params![id, bytes, now]))
            .map_err(backend)?;
            Ok(Applied::Dictionary)
        }
        Command::Work { work, .. } => work(conn).map(Applied::Work),
    }
}
