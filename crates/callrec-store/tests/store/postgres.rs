//! The PostgreSQL runner of the conformance suite, active when `CALLREC_TEST_POSTGRES` is set.
//!
//! callrec-store has no PostgreSQL backend yet; once it has one, this runner opens it on a fresh schema
//! per case and runs every case of [`crate::for_each_case`], as the SQLite runner does.

const URL_VARIABLE: &str = "CALLREC_TEST_POSTGRES";

#[test]
fn postgres() {
    match std::env::var(URL_VARIABLE) {
        Err(_) => println!("postgres: skipped ({URL_VARIABLE} not set)"),
        Ok(_) => {
            panic!("{URL_VARIABLE} is set, but callrec-store has no PostgreSQL backend to test yet")
        }
    }
}
