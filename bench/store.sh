# store.sh - the case store part of `make bench`, sourced by bench/run.sh
# (it uses run.sh's variables and helpers). Sets STORE_TARGET_TEXT and
# STORE_TARGET_RESULT for the table of targets.
#
# The events are cases of the transition script as JSON lines (transitions
# jsonl), fed to build/bin/zhambyl run. The SQLite files live in BUILD/bench
# and the PostgreSQL cluster in TMPDIR, both on the disk, not in tmpfs:
# durable means written to the disk.

STORE_TARGET_TEXT="not measured"
STORE_TARGET_RESULT="not measured"
echo "### Case store"
echo
if ! ls runtime/store*.c >/dev/null 2>&1 || ! "$BUILD/bin/zhambyl" run --help >/dev/null 2>&1; then
    echo "Not measured: this tree has no case store (runtime/store*.c and the \`run\` command of the"
    echo "region binaries)."
    echo
    return 0
fi

B1_CASES=400
B64_CASES=20000
PG_B64_CASES=5000 # PostgreSQL takes several times as long a case
say "store: writing events"
script_cases=$((B1_CASES + B64_CASES))
[ "$STORE_CASES" -gt "$script_cases" ] && script_cases=$STORE_CASES
"$BB/transitions" script --cases "$script_cases" --seed 1 "$W/store.bin" >/dev/null
# Whole cases, in the script's order; the two runs take different cases so
# that they can share one PostgreSQL database.
"$BB/transitions" jsonl --cases "$B1_CASES" "$W/store.bin" >"$W/ev_b1.jsonl"
"$BB/transitions" jsonl --from "$B1_CASES" --cases "$B64_CASES" "$W/store.bin" >"$W/ev_b64.jsonl"
"$BB/transitions" jsonl --from "$B1_CASES" --cases "$PG_B64_CASES" "$W/store.bin" >"$W/ev_pg64.jsonl"
# Each case submitted and past its intake: that many open cases for `overdue`.
"$BB/transitions" jsonl --cases "$STORE_CASES" --submits-only "$W/store.bin" >"$W/ev_open.jsonl"
rm -f "$W/store.bin"
DB=$BB/store
rm -rf "$DB"
mkdir -p "$DB"

# store_run STORE BATCH FILE: times `run`; sets S_EVENTS (lines) and S_RATE
# (lines/s). Every line must be applied.
store_run() {
    sync
    timeit sh -c "\"$BUILD/bin/zhambyl\" run --store \"$1\" --batch $2 <\"$3\""
    S_EVENTS=$(wc -l <"$3")
    if grep -q '"status":"rejected"' "$W/out.txt"; then
        die "store: run rejected events of $3: $(grep -m1 rejected "$W/out.txt")"
    fi
    [ "$(wc -l <"$W/out.txt")" -eq "$S_EVENTS" ] || die "store: run answered $(wc -l <"$W/out.txt") of $S_EVENTS lines"
    S_RATE=$(awk "BEGIN { printf \"%.0f\", $S_EVENTS / $T_WALL }")
}
file_bytes() { cat "$1" "$1-wal" 2>/dev/null | wc -c; }
per_case() { awk "BEGIN { printf \"%.0f\", $1 / $2 }"; }

echo "One \`zhambyl run\` per row, on events of regulation 001 from the transition script (timer"
echo "events left out); an answer line is written only once its batch has committed. SQLite files"
echo "in $BB/store on the disk."
echo
echo "| store | run | events | cases | wall s | events/s | bytes/case on disk |"
echo "|---|---|---:|---:|---:|---:|---:|"
say "store: SQLite --batch 1"
store_run "$DB/b1.db" 1 "$W/ev_b1.jsonl"
echo "| SQLite | --batch 1 | $(num "$S_EVENTS") | $B1_CASES | $T_WALL | $(num "$S_RATE") | $(per_case "$(file_bytes "$DB/b1.db")" "$B1_CASES") |"
say "store: SQLite --batch 64"
store_run "$DB/b64.db" 64 "$W/ev_b64.jsonl"
B64_RATE=$S_RATE
echo "| SQLite | --batch 64 | $(num "$S_EVENTS") | $(num "$B64_CASES") | $T_WALL | $(num "$S_RATE") | $(per_case "$(file_bytes "$DB/b64.db")" "$B64_CASES") |"
say "store: SQLite --batch 1000"
store_run "$DB/b1000.db" 1000 "$W/ev_b64.jsonl"
echo "| SQLite | --batch 1000 | $(num "$S_EVENTS") | $(num "$B64_CASES") | $T_WALL | $(num "$S_RATE") | $(per_case "$(file_bytes "$DB/b1000.db")" "$B64_CASES") |"
say "store: SQLite, $STORE_CASES open cases (--batch 10000)"
store_run "$DB/open.db" 10000 "$W/ev_open.jsonl"
OPEN_BYTES=$(file_bytes "$DB/open.db")
echo "| SQLite | --batch 10000, submissions and intakes only (open cases) | $(num "$S_EVENTS") | $(num "$STORE_CASES") | $T_WALL | $(num "$S_RATE") | $(per_case "$OPEN_BYTES" "$STORE_CASES") |"

PG_NOTE=""
if [ ! -f scripts/pg_test_server.sh ]; then
    PG_NOTE="PostgreSQL: not measured; the tree has no scripts/pg_test_server.sh to start a test server."
elif ! PG_ENV=$(sh scripts/pg_test_server.sh start --durable 2>"$W/pg.txt"); then
    PG_NOTE="PostgreSQL: not measured; scripts/pg_test_server.sh could not start a server: $(tail -1 "$W/pg.txt")"
else
    eval "$PG_ENV"
    trap 'sh scripts/pg_test_server.sh stop "$REGC_PG_DIR" >/dev/null 2>&1; rm -rf "$W"' EXIT
    pg_bytes() {
        if command -v psql >/dev/null 2>&1; then
            psql "$REGC_PG_URL" -Atc "select pg_database_size(current_database())" 2>/dev/null || echo 0
        else
            echo 0
        fi
    }
    say "store: PostgreSQL --batch 1"
    before=$(pg_bytes)
    store_run "$REGC_PG_URL" 1 "$W/ev_b1.jsonl"
    echo "| PostgreSQL | --batch 1 | $(num "$S_EVENTS") | $B1_CASES | $T_WALL | $(num "$S_RATE") | - |"
    say "store: PostgreSQL --batch 64"
    store_run "$REGC_PG_URL" 64 "$W/ev_pg64.jsonl"
    after=$(pg_bytes)
    bpc=$(awk "BEGIN { printf \"%.0f\", ($after - $before) / $PG_B64_CASES }")
    [ "$after" -gt 0 ] || bpc="-"
    echo "| PostgreSQL | --batch 64 | $(num "$S_EVENTS") | $(num "$PG_B64_CASES") | $T_WALL | $(num "$S_RATE") | $bpc |"
    PG64_RATE=$S_RATE
    # The same stream on SQLite, in this run, for the ratio of issue 19.
    say "store: SQLite --batch 64 on the PostgreSQL stream"
    store_run "$DB/same.db" 64 "$W/ev_pg64.jsonl"
    SAME_RATE=$S_RATE
    echo "| SQLite | --batch 64, the PostgreSQL row's events | $(num "$S_EVENTS") | $(num "$PG_B64_CASES") | $T_WALL | $(num "$S_RATE") | $(per_case "$(file_bytes "$DB/same.db")" "$PG_B64_CASES") |"
    # Several region binaries writing to one server at once, each its own
    # cases (ids renamed per writer): the total rate.
    for k in 2 4; do
        say "store: $k PostgreSQL writers at once, --batch 64"
        i=1
        while [ "$i" -le "$k" ]; do
            sed "s/\"event_id\":\"e/\"event_id\":\"w$k.$i-e/; s/\"case\":\"c/\"case\":\"w$k.$i-c/" \
                "$W/ev_pg64.jsonl" >"$W/writer$i.jsonl"
            i=$((i + 1))
        done
        sync
        timeit sh -c "i=1; while [ \$i -le $k ]; do \"$BUILD/bin/zhambyl\" run --store \"$REGC_PG_URL\" --batch 64 <\"$W/writer\$i.jsonl\" >\"$W/writer\$i.out\" & i=\$((i + 1)); done; wait"
        events=$((k * $(wc -l <"$W/ev_pg64.jsonl")))
        applied=$(cat "$W"/writer*.out | grep -c '"status":"accepted"')
        [ "$applied" -eq "$events" ] || die "store: $k writers applied $applied of $events events"
        echo "| PostgreSQL | $k writers at once, --batch 64 | $(num "$events") | $(num "$((k * PG_B64_CASES))") | $T_WALL | $(num "$(awk "BEGIN { printf \"%.0f\", $events / $T_WALL }")") total | - |"
        rm -f "$W"/writer*
    done
    STORE_PG_RATIO=$(awk "BEGIN { printf \"%.0f\", 100 * $PG64_RATE / $SAME_RATE }")
    sh scripts/pg_test_server.sh stop "$REGC_PG_DIR" >/dev/null 2>&1 || true
    trap 'rm -rf "$W"' EXIT
    PG_NOTE="PostgreSQL: a server from scripts/pg_test_server.sh --durable (fsync on) on 127.0.0.1, its cluster in ${TMPDIR:-/tmp}; bytes/case is the growth of the database over the --batch 64 run (both runs' cases are in it)."
fi
echo
echo "$PG_NOTE"
echo
if [ -n "${STORE_PG_RATIO:-}" ]; then
    echo "PostgreSQL at --batch 64: ${STORE_PG_RATIO}% of SQLite's events/s on the same events in this run (target: at least 50%)."
    echo
fi

# overdue over the open cases: early in 001's validity few are overdue,
# after its end every case is. The last lists them all and takes long, so it
# runs once.
echo "\`zhambyl overdue --json\` over the $(num "$STORE_CASES") open cases ($(awk "BEGIN { printf \"%.0f\", $OPEN_BYTES / 1048576 }") MiB of SQLite):"
echo
echo "| --at | cases listed | runs | wall s (median) | min - max | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|---:|"
for spec in 2017-10-02T09:00/3 2018-06-01T09:00/3 2021-01-04T09:00/1; do
    at=${spec%/*}
    runs=${spec#*/}
    : >"$W/od.txt"
    r=0
    while [ "$r" -lt "$runs" ]; do
        timeit "$BUILD/bin/zhambyl" overdue --at "$at" --store "$DB/open.db" --json
        echo "$T_WALL" >>"$W/od.txt"
        r=$((r + 1))
    done
    listed=$(sed -n 's/^{"region":"[^"]*","at":"[^"]*","count":\([0-9]*\).*/\1/p' "$W/out.txt")
    sort -n "$W/od.txt" >"$W/od_sorted.txt"
    med=$(sed -n "$(((runs + 1) / 2))p" "$W/od_sorted.txt")
    echo "| $at | $(num "${listed:-?}") | $runs | $med | $(head -1 "$W/od_sorted.txt") - $(tail -1 "$W/od_sorted.txt") | $T_RSS |"
    OVERDUE_LISTED=${listed:-0}
    OVERDUE_RSS=$T_RSS
done
echo
rm -rf "$DB" "$W"/ev_*.jsonl
STORE_TARGET_TEXT="$(num "$B64_RATE") events/s with --batch 64"
STORE_TARGET_RESULT=$(yes_no "$B64_RATE >= 50000")
