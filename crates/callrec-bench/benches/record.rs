//! In-process cost of accepting one call record, next to the cost of merely parsing it.
//!
//! `callrec import` validates each record against the schema and splits it into the pieces the store keeps;
//! the floor only parses and compresses it. Run with `cargo bench -p callrec-bench`: the ratio of the
//! `validate + prepare` time to the `serde_json parse` time is what validation and preparation cost per
//! record, whatever the machine's speed.

use std::hint::black_box;

use callrec::generate::{Generator, GeneratorConfig};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::Value;

/// A generated record of median size among the first thousand.
fn median_record() -> Vec<u8> {
    let generator = Generator::new(GeneratorConfig {
        records: 1000,
        ..GeneratorConfig::default()
    });
    let mut lines: Vec<Vec<u8>> = (0..1000)
        .map(|i| {
            let mut line = Vec::new();
            generator.write_record(i, &mut line);
            line
        })
        .collect();
    lines.sort_by_key(Vec::len);
    lines.swap_remove(lines.len() / 2)
}

fn one_record(c: &mut Criterion) {
    let record = median_record();
    let mut group = c.benchmark_group(format!("one median-size record ({} bytes)", record.len()));
    group.throughput(Throughput::Bytes(record.len() as u64));
    group.bench_function("serde_json parse", |b| {
        b.iter(|| {
            serde_json::from_slice::<Value>(black_box(&record)).expect("generated records are JSON")
        })
    });
    let mut compressor = zstd::bulk::Compressor::new(3).expect("zstd level 3 exists");
    group.bench_function("floor: parse + zstd -3", |b| {
        b.iter(|| {
            let value = serde_json::from_slice::<Value>(black_box(&record))
                .expect("generated records are JSON");
            (
                value,
                compressor
                    .compress(&record)
                    .expect("compression of a record succeeds"),
            )
        })
    });
    group.bench_function("callrec: parse + validate + prepare", |b| {
        b.iter(|| {
            let value: serde_json::Value =
                serde_json::from_slice(black_box(&record)).expect("generated records are JSON");
            callrec::ingest::admit_record(value, &Default::default())
                .map(|admitted| admitted.prepare())
                .expect("generated records are valid")
        })
    });
    group.finish();
}

criterion_group!(benches, one_record);
criterion_main!(benches);
