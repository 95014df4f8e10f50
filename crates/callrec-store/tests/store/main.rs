//! The conformance suite of the [`callrec_store::Store`] trait.
//!
//! Every backend must behave the same for the HTTP layer to run on any of them, so the cases in [`cases`]
//! are written once against `&dyn Backend` and run on each backend: SQLite always, PostgreSQL when
//! `CALLREC_TEST_POSTGRES` names a database. Backend-specific checks (query plans, compression, file
//! sizes) live next to their backend's runner.

mod apps;
mod backend;
mod cases;
mod logs;
mod personal;
mod postgres;
mod quality;
mod records;
mod sqlite;
mod subscriptions;

/// Calls `$run!` with the name of every conformance case, so each backend's runner makes one test per
/// case and none is forgotten.
#[macro_export]
macro_rules! for_each_case {
    ($run:ident) => {
        $run!(
            create_and_get,
            replace_by_newer_version,
            stale_versions_are_ignored,
            compare_and_swap,
            same_id_twice_in_a_batch,
            delete,
            sessions_by_slice,
            duplicate_session_ids,
            participants_by_slice_and_id,
            list_filters,
            list_order_and_ties,
            keyset_paging,
            keyset_paging_during_inserts,
            count,
            tenant_isolation,
            concurrent_writers_keep_the_highest_version,
            persists_after_reopen,
            batch_is_all_or_nothing,
            stats_follow_writes,
            purge_deletes_what_ended_before,
            scrubbing_rewrites_a_record_in_place,
        );
    };
}
