#!/bin/sh
# Export figures, in one run on one machine: ingestion of generated records (the baseline), each export
# format of the same store (time, rows/s, MB/s of the NDJSON the records came from, peak RSS, size against the NDJSON it came from), the
# NDJSON archive imported back, and the poor stream rate by subnet over the month computed by DuckDB on the
# Parquet output beside `callrec report --by subnet` (when Python's duckdb module is there).
#
#   bench/export.sh [RECORDS]        (default 10000; data goes to /tmp/callrec-export-bench)
set -eu
cd "$(dirname "$0")/.."
records=${1:-10000}
work=${CALLREC_BENCH_DIR:-/tmp/callrec-export-bench}
tenant=dc368399-474c-4d40-900c-6265431fd81f
cargo build --release -q -p callrec
bin=target/release/callrec
rm -rf "$work"
mkdir -p "$work"

# Runs a command, keeps its wall time (s) and peak RSS (MB) in $secs and $rss.
measure() {
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || {
        cat "$work/err" >&2
        exit 1
    }
    secs=$(cut -d' ' -f1 "$work/time")
    rss=$(awk '{printf "%.0f", $2 / 1024}' "$work/time")
}
mb() { du -sb "$1" | awk '{printf "%.1f", $1 / 1e6}'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN {printf "%.0f", n / s}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

"$bin" generate --records "$records" --seed 1 --start 2025-01-01 --days 30 \
    --out "$work/records.ndjson" --pstn-out "$work/pstn.ndjson" 2>/dev/null
ndjson_mb=$(mb "$work/records.ndjson")

measure "$bin" import --store "sqlite:$work/a.db" --tenant "$tenant" "$work/records.ndjson" "$work/pstn.ndjson"
import_secs=$secs
import_rss=$rss

echo "Machine: $(nproc) cores, $(uname -sr); $records generated records (seed 1, January 2025), $ndjson_mb MB of NDJSON"
echo
echo "| what | time | records/s | rows/s | MB/s | peak RSS | vs ingestion | output | vs NDJSON |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
echo "| import of the NDJSON (baseline) | ${import_secs} s | $(rate "$records" "$import_secs") | | $(awk -v m="$ndjson_mb" -v s="$import_secs" 'BEGIN {printf "%.0f", m / s}') | ${import_rss} MB | 1.00 | | |"

for format in ndjson csv parquet; do
    measure "$bin" export --store "sqlite:$work/a.db" --tenant "$tenant" --from 2025-01-01 --to 2025-02-01 \
        --format "$format" --out "$work/out-$format"
    rows=$(awk '/^  [a-z_]+: [0-9]+ rows/ {n += $2} END {print n}' "$work/out")
    out_mb=$(mb "$work/out-$format")
    echo "| export, $format | ${secs} s | $(rate "$records" "$secs") | $(rate "$rows" "$secs") ($rows rows) | $(awk -v m="$ndjson_mb" -v s="$secs" 'BEGIN {printf "%.0f", m / s}') | ${rss} MB | $(ratio "$import_secs" "$secs")x | $out_mb MB | $(ratio "$out_mb" "$ndjson_mb") |"
done

measure "$bin" import --store "sqlite:$work/b.db" --tenant "$tenant" "$work/out-ndjson/call_records.ndjson"
echo "| import of the exported archive into an empty store | ${secs} s | $(rate "$records" "$secs") | | | ${rss} MB | $(ratio "$import_secs" "$secs")x | | |"
echo
echo "media_streams alone: $(mb "$work/out-parquet/media_streams") MB of Parquet, $(mb "$work/out-csv/media_streams.csv") MB of CSV."

if python3 -c "import duckdb" 2>/dev/null; then
    echo
    echo "Poor stream rate by subnet over the month (the receiving endpoint's subnet, at least 20 classified streams), top 5:"
    echo
    measure "$bin" report --store "sqlite:$work/a.db" --tenant "$tenant" --by subnet \
        --from 2025-01-01 --to 2025-02-01 --order worst --top 5 --min-streams 20 --format csv
    report_secs=$secs
    cp "$work/out" "$work/report.csv"
    cat >"$work/query.py" <<EOF
import duckdb, time
started = time.perf_counter()
rows = duckdb.sql("""
    SELECT CASE WHEN stream_direction = 'callerToCallee' THEN callee_subnet ELSE caller_subnet END AS subnet,
           count(*) FILTER (WHERE verdict = 'poor') AS poor,
           count(*) FILTER (WHERE verdict = 'good') AS good,
           round(poor / (poor + good), 4) AS poor_rate
    FROM read_parquet('$work/out-parquet/media_streams/*/*.parquet', hive_partitioning = true)
    GROUP BY 1 HAVING poor + good >= 20 ORDER BY poor_rate DESC, subnet LIMIT 5
""").fetchall()
elapsed = time.perf_counter() - started
for r in rows:
    print(f"    duckdb: {r[0]}: {r[1]} poor, {r[2]} good, poor rate {r[3]}")
print(f"{elapsed:.3f}")
EOF
    measure python3 "$work/query.py"
    duck_secs=$(tail -n 1 "$work/out")
    head -n -1 "$work/out"
    awk -F, 'NR > 1 && NR <= 6 {print "    callrec report: " $1 ": " $7 " poor, " $6 " good, poor rate " $9}' "$work/report.csv"
    echo
    echo "| query | time |"
    echo "| --- | --- |"
    echo "| DuckDB on the Parquet export (query alone, in process) | ${duck_secs} s |"
    echo "| DuckDB, the whole Python process | ${secs} s |"
    echo "| \`callrec report --by subnet\` (whole process) | ${report_secs} s |"
else
    echo
    echo "(skipped the DuckDB query: Python's duckdb module is not installed)"
fi
