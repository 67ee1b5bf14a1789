#!/bin/sh
# run.sh [BUILD] [SECONDS] - run every harness built by build.sh for SECONDS
# (default 60) each, starting from the seed corpus.
#
# Seeds are gathered at run time from the files the project already keeps
# (rules, diagnostics cases, runtime fixtures, the example of
# docs/language.md) plus tests/fuzz/corpus/; what a run discovers stays in
# BUILD/fuzz/corpus/<harness>/ for the next run, and crashing inputs land in
# BUILD/fuzz/artifacts/. Exit status 1 when any harness found a failure.
set -u
BUILD=${1:-build}
SECONDS_EACH=${2:-60}
OUT=$BUILD/fuzz
SEEDS=$OUT/seeds

rm -rf "$SEEDS"
mkdir -p "$SEEDS" "$OUT/artifacts"
for f in rules/*/*.reg tests/diagnostics/*.reg tests/runtime/fixture/*.reg tests/fuzz/corpus/*; do
    [ -f "$f" ] || continue
    cp "$f" "$SEEDS/$(echo "$f" | tr / _)"
done
# The first fenced block of the language reference is a complete regulation.
awk '/^```/ { if (inside) exit; inside = 1; next } inside' docs/language.md > "$SEEDS/language_md_example.reg"

status=0
for h in "$OUT"/fuzz_*; do
    [ -x "$h" ] || continue
    name=$(basename "$h")
    corpus=$OUT/corpus/$name
    mkdir -p "$corpus"
    dict=
    [ -f "tests/fuzz/$name.dict" ] && dict="-dict=tests/fuzz/$name.dict"
    [ -z "$dict" ] && [ -f tests/fuzz/regc.dict ] && dict="-dict=tests/fuzz/regc.dict"
    echo "  RUN   $name for ${SECONDS_EACH}s"
    # -timeout: a single input slower than this is a finding (a hang or a
    # quadratic path); -rss_limit_mb: so is one that needs this much memory.
    if ! "$h" $dict -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
            -artifact_prefix="$OUT/artifacts/$name-" -print_final_stats=1 \
            "$corpus" "$SEEDS" > "$OUT/$name.log" 2>&1; then
        status=1
        echo "  FAIL  $name: see $OUT/$name.log and $OUT/artifacts/"
        grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz_frontend:|.*runtime error)' "$OUT/$name.log" | head -n 5
    fi
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|cov: ' "$OUT/$name.log" | tail -n 4
done
exit $status
