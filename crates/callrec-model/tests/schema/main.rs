//! The schema test of callrec-model: the generated types are current, cover the CSDL, and read and write
//! Graph's own examples unchanged.
//!
//! It runs without the libtest harness so that its summary lines show under `cargo test`; it exits non-zero
//! on any gap, listing each.

mod behaviour;
mod codegen;
mod coverage;
mod csdl;
mod examples;

use std::process::ExitCode;

fn main() -> ExitCode {
    let schema = match csdl::Schema::load() {
        Ok(schema) => schema,
        Err(e) => {
            eprintln!("schema: cannot read the CSDL: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut failures = Vec::new();

    match codegen::check(&schema) {
        Ok(line) => println!("{line}"),
        Err(e) => failures.push(e),
    }

    let coverage = coverage::check(&schema);
    println!("{}", coverage.summary());
    for (q, why) in csdl::EXCLUDED {
        println!("  not modelled: {q}: {why}");
    }
    failures.extend(coverage.failures);

    match examples::check() {
        Ok(line) => println!("{line}"),
        Err(e) => failures.extend(e),
    }

    let (checks, behaviour_failures) = behaviour::check();
    println!(
        "behaviour: {} of {checks} checks pass",
        checks - behaviour_failures.len()
    );
    failures.extend(behaviour_failures);

    if failures.is_empty() {
        println!("schema: ok");
        ExitCode::SUCCESS
    } else {
        for f in &failures {
            eprintln!("FAIL {f}");
        }
        eprintln!("schema: {} failures", failures.len());
        ExitCode::FAILURE
    }
}
