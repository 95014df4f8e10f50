#!/bin/sh
# Reproduces BENCHMARKS.md: builds callrec and the harness in release mode, then runs the whole-system suite.
# Arguments go to the suite, e.g. `bench/run.sh --records 200000` or `bench/run.sh --reuse-data`;
# `bench/run.sh --help` lists them. Data and stores go to /tmp/callrec-bench unless --work-dir says otherwise.
set -eu
cd "$(dirname "$0")/.."
command -v wrk >/dev/null 2>&1 || {
    echo "wrk is needed (Debian/Ubuntu: apt-get install -y wrk)" >&2
    exit 1
}
cargo build --release -p callrec -p callrec-bench
exec target/release/bench --out BENCHMARKS.md "$@"
