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
# fuzz_diff reads two versions separated by a `//--new--` line: the pairs of
# the diff tests, and every rule file against each of its region's others.
rm -rf "$OUT/seeds_fuzz_diff"
mkdir -p "$OUT/seeds_fuzz_diff"
for d in tests/diff/*/; do
    [ -f "$d/old.reg" ] && [ -f "$d/new.reg" ] || continue
    { cat "$d/old.reg"; printf '\n//--new--\n'; cat "$d/new.reg"; } > "$OUT/seeds_fuzz_diff/$(basename "$d").reg"
done
for a in rules/*/*.reg; do
    for b in "$(dirname "$a")"/*.reg; do
        { cat "$a"; printf '\n//--new--\n'; cat "$b"; } > "$OUT/seeds_fuzz_diff/$(echo "$a-$b" | tr / _)"
    done
done

# fuzz_events reads one event line: every line of the event tests.
rm -rf "$OUT/seeds_fuzz_events"
mkdir -p "$OUT/seeds_fuzz_events"
n=0
for f in tests/events/*.jsonl; do
    [ -f "$f" ] || continue
    while IFS= read -r line; do
        n=$((n + 1))
        printf '%s' "$line" > "$OUT/seeds_fuzz_events/line$n.json"
    done < "$f"
done

# fuzz_calendar reads a calendar file: the shipped one and the fixtures.
rm -rf "$OUT/seeds_fuzz_calendar"
mkdir -p "$OUT/seeds_fuzz_calendar"
for f in rules/calendar/*.cal tests/runtime/fixture/*.cal; do
    [ -f "$f" ] && cp "$f" "$OUT/seeds_fuzz_calendar/$(echo "$f" | tr / _)"
done

# fuzz_scenarios reads a scenario file: the seeds' and the bad ones.
rm -rf "$OUT/seeds_fuzz_scenarios"
mkdir -p "$OUT/seeds_fuzz_scenarios"
for f in rules/*/*.test tests/scenarios/bad/*.test; do
    [ -f "$f" ] && cp "$f" "$OUT/seeds_fuzz_scenarios/$(echo "$f" | tr / _)"
done

status=0
for h in "$OUT"/fuzz_*; do
    [ -x "$h" ] || continue
    name=$(basename "$h")
    corpus=$OUT/corpus/$name
    mkdir -p "$corpus"
    # A harness with seeds of its own (seeds_<harness>) also gets the common ones.
    seeds=$SEEDS
    [ -d "$OUT/seeds_$name" ] && seeds="$OUT/seeds_$name $SEEDS"
    [ "$name" = fuzz_events ] && seeds="$OUT/seeds_fuzz_events"
    [ "$name" = fuzz_calendar ] && seeds="$OUT/seeds_fuzz_calendar"
    [ "$name" = fuzz_scenarios ] && seeds="$OUT/seeds_fuzz_scenarios"
    dict=
    [ -f "tests/fuzz/$name.dict" ] && dict="-dict=tests/fuzz/$name.dict"
    [ -z "$dict" ] && [ -f tests/fuzz/regc.dict ] && dict="-dict=tests/fuzz/regc.dict"
    echo "  RUN   $name for ${SECONDS_EACH}s"
    # -timeout: a single input slower than this is a finding (a hang or a
    # quadratic path); -rss_limit_mb: so is one that needs this much memory.
    if ! "$h" $dict -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
            -artifact_prefix="$OUT/artifacts/$name-" -print_final_stats=1 \
            "$corpus" $seeds > "$OUT/$name.log" 2>&1; then
        status=1
        echo "  FAIL  $name: see $OUT/$name.log and $OUT/artifacts/"
        grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz_[a-z]+:|.*runtime error)' "$OUT/$name.log" | head -n 5
    fi
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|cov: ' "$OUT/$name.log" | tail -n 4
done
exit $status
