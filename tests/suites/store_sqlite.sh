#!/bin/sh
# store_sqlite.sh BUILD [--pg URL] - the case store end to end, through the
# region binaries in BUILD/bin: life cycles of every seed regulation
# (tests/events/<service>.jsonl), idempotency, every rejection reason,
# status and overdue, batching, a SIGKILL in the middle of a large run and
# two writers at once. Runs on SQLite files; with --pg URL (a database on a
# server that the caller started: tests/suites/store_pg.sh) the same checks
# run on PostgreSQL, one fresh schema per check.
#
# JSON answers are read with jq, store contents with sqlite3 or psql.
set -u
BUILD=${1:?usage: store_sqlite.sh BUILD [--pg URL]}
PG_URL=""
if [ "${2:-}" = "--pg" ]; then
    PG_URL=${3:?--pg needs a URL}
fi
BIN="$BUILD/bin"
export REG_CALENDAR="${REG_CALENDAR:-rules/calendar/kz.cal}"
# Large runs go to memory when it can: SIGKILL does not care where the
# file is, and per-commit fsyncs on a slow disk would dominate the suite.
base=/tmp
[ -d /dev/shm ] && [ -w /dev/shm ] && base=/dev/shm
tmp=$(mktemp -d "$base/regc-store.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() {
    echo "FAIL ${PG_URL:+[postgresql] }$*"
    failed=$((failed + 1))
}
# expect NAME ACTUAL WANTED
expect() {
    if [ "$2" = "$3" ]; then pass; else fail "$1: got '$2', expected '$3'"; fi
}

for tool in jq sqlite3; do
    command -v "$tool" > /dev/null 2>&1 || { echo "FAIL $tool is missing (make deps)"; echo "0 passed, 1 failed"; exit 1; }
done

# A fresh, empty store for one check. On PostgreSQL, a schema of its own
# picked by the URL's search_path (creating a database costs a checkpoint).
new_store() {
    if [ -n "$PG_URL" ]; then
        psql -X -q "$PG_URL" -c "DROP SCHEMA IF EXISTS $1 CASCADE" -c "CREATE SCHEMA $1" > /dev/null 2>&1 ||
            fail "cannot create schema $1"
        echo "$PG_URL?options=-csearch_path%3D$1"
    else
        rm -f "$tmp/$1.db" "$tmp/$1.db-wal" "$tmp/$1.db-shm"
        echo "$tmp/$1.db"
    fi
}
# q STORE SQL: rows as a|b|c, NULL as empty
q() {
    if [ -n "$PG_URL" ]; then
        psql -X -A -t -q "$1" -c "$2"
    else
        sqlite3 -batch "$1" "$2"
    fi
}
dump_cases() {
    q "$1" "SELECT case_id, region, service, variant, channel, state, result, late, finished, submitted,
            last_event, step_start, step_deadline, term_deadline, due FROM cases ORDER BY case_id"
}
dump_journal() {
    q "$1" "SELECT event_id, case_id, type, at, service, state, result, late, finished, step_deadline,
            term_deadline, raw FROM journal ORDER BY seq"
}
count() { q "$1" "SELECT count(*) FROM $2"; }

# Which region binary has which service: "service binary" lines.
for b in "$BIN"/*; do
    [ -x "$b" ] && [ "$(basename "$b")" != regc ] || continue
    "$b" list --json 2> /dev/null | jq -r --arg b "$b" '.[] | "\(.service) \($b)"'
done > "$tmp/services"
region_of() {
    awk -v s="$1" '$1 == s { print $2; found = 1 } END { exit !found }' "$tmp/services"
}
# One word per answer: accepted, duplicate, or the reason.
verdicts() {
    jq -r 'if .status == "accepted" then (if .duplicate then "duplicate" else "accepted" end) else .reason end' "$1"
}

EK="$BIN/east_kazakhstan"
KA="$BIN/karaganda"
if [ ! -x "$EK" ] || [ ! -x "$KA" ]; then
    echo "FAIL region binaries missing in $BIN (make regions)"
    echo "$passed passed, 1 failed"
    exit 1
fi

# ---- usage and exit codes ----
"$EK" run --batch 0 < /dev/null > /dev/null 2>&1; expect "run --batch 0 exits" $? 2
"$EK" run --frobnicate < /dev/null > /dev/null 2>&1; expect "run with an unknown option exits" $? 2
"$EK" status > /dev/null 2>&1; expect "status without a case exits" $? 2
"$EK" overdue > /dev/null 2>&1; expect "overdue without --at exits" $? 2
"$EK" overdue --at tomorrow > /dev/null 2>&1; expect "overdue --at tomorrow exits" $? 2
if [ -n "$PG_URL" ]; then
    "$EK" run --store "postgresql://regc@127.0.0.1:1/none?connect_timeout=2" < /dev/null > /dev/null 2> "$tmp/err"
    expect "run with an unreachable server exits" $? 1
else
    "$EK" run --store "$tmp/no/such/dir/cases.db" < /dev/null > /dev/null 2> "$tmp/err"
    expect "run with an unwritable store exits" $? 1
    "$EK" status c1 --store "$tmp/absent.db" > /dev/null 2>&1
    expect "status on a missing store exits" $? 3
    [ ! -e "$tmp/absent.db" ] && pass || fail "status created a store"
fi

# ---- life cycle of every seed regulation, then the same input again ----
for events in tests/events/*.jsonl; do
    service=$(basename "$events" .jsonl)
    [ -f "tests/events/$service.expect" ] && [ "$service" != rejections ] || continue
    bin=$(region_of "$service") || { fail "$service: no region binary has it"; continue; }
    store=$(new_store "lc_$service")
    "$bin" run --store "$store" < "$events" > "$tmp/first" 2> "$tmp/err"
    expect "$service: run exits" $? 0
    expect "$service: one answer a line" "$(wc -l < "$tmp/first")" "$(wc -l < "$events")"
    expect "$service: every event accepted" "$(verdicts "$tmp/first" | sort -u | tr '\n' ' ')" "accepted "
    # Final states: all of them from the store, one through status.
    grep -v '^#' "tests/events/$service.expect" | sed 's/ true$/ 1/; s/ false$/ 0/' | sort > "$tmp/want"
    q "$store" "SELECT case_id, state, result, late FROM cases ORDER BY case_id" | tr '|' ' ' | sort > "$tmp/got"
    if diff "$tmp/want" "$tmp/got" > "$tmp/diff"; then pass; else
        fail "$service: final states differ from tests/events/$service.expect"
        head -n 10 "$tmp/diff"
    fi
    set -- $(grep -v '^#' "tests/events/$service.expect" | head -n 1)
    expect "$service: status of case $1" \
        "$("$bin" status "$1" --store "$store" --json | jq -r '"\(.state) \(.result) \(.late) \(.history | length)"')" \
        "$2 $3 $4 $(grep -c "\"case\":\"$1\"" "$events")"
    # The first submission's term deadline agrees with the timeline.
    set -- $(jq -r 'select(.type == "submit") | "\(.service) \(.variant) \(.channel // "-") \(.at) \(.event_id)"' "$events" | head -n 1)
    [ "$3" = - ] && channel="" || channel=$3
    want=$("$bin" timeline "$1" --variant "$2" ${channel:+--channel "$channel"} --submitted "$4" --json | jq -r '.term_deadline')
    expect "$service: term deadline of $5" "$(jq -r --arg id "$5" 'select(.event_id == $id) | .term_deadline' "$tmp/first")" "$want"
    # Idempotency: everything again is all duplicates, same answers, same store.
    dump_cases "$store" > "$tmp/before"
    dump_journal "$store" >> "$tmp/before"
    "$bin" run --store "$store" --batch 16 < "$events" > "$tmp/second" 2> "$tmp/err"
    expect "$service: second run exits" $? 0
    expect "$service: second run all duplicates" "$(verdicts "$tmp/second" | sort -u | tr '\n' ' ')" "duplicate "
    if [ "$(jq -c 'del(.duplicate)' "$tmp/first")" = "$(jq -c 'del(.duplicate)' "$tmp/second")" ]; then pass; else
        fail "$service: a duplicate's answer differs from the first answer"
    fi
    dump_cases "$store" > "$tmp/after"
    dump_journal "$store" >> "$tmp/after"
    if cmp -s "$tmp/before" "$tmp/after"; then pass; else fail "$service: the second run changed the store"; fi
done

# ---- every rejection reason; rejected lines change nothing ----
store=$(new_store rejections)
"$EK" run --store "$store" < tests/events/rejections.jsonl > "$tmp/answers" 2> "$tmp/err"
expect "rejections: run exits" $? 0
verdicts "$tmp/answers" | awk '{ print NR, $0 }' > "$tmp/got"
if grep -v '^#' tests/events/rejections.expect | diff - "$tmp/got" > "$tmp/diff"; then pass; else
    fail "rejections: answers differ from tests/events/rejections.expect"
    head -n 20 "$tmp/diff"
fi
n_msg=$(jq -r 'select(.status == "rejected") | select((.message | length) > 0) | .line' "$tmp/answers" | wc -l)
expect "rejections: every rejection has a message" "$n_msg" "$(jq -r 'select(.status == "rejected") | .line' "$tmp/answers" | wc -l)"
# The store holds what the accepted lines alone make.
jq -r 'select(.status == "accepted" and .duplicate == false) | .line' "$tmp/answers" > "$tmp/keep"
awk 'NR == FNR { keep[$1] = 1; next } keep[FNR]' "$tmp/keep" tests/events/rejections.jsonl > "$tmp/accepted.jsonl"
ref=$(new_store rejections_ref)
"$EK" run --store "$ref" < "$tmp/accepted.jsonl" > /dev/null 2>&1
if [ "$(dump_cases "$store")" = "$(dump_cases "$ref")" ] && [ "$(dump_journal "$store")" = "$(dump_journal "$ref")" ]; then
    pass
else
    fail "rejections: rejected lines changed cases or the journal"
fi
expect "rejections: refusals are logged" "$(count "$store" rejections)" "$(grep -c 'rejected' "$tmp/answers")"

# Lines no file should hold: too long, not UTF-8.
store=$(new_store hostile)
{
    printf '{"event_id":"h0","case":"h","type":"submit","service":"small_vessel_certificate","variant":"issue","at":"2026-12-11T10:00","pad":"'
    head -c 3000000 /dev/zero | tr '\0' 'x'
    printf '"}\n'
    printf '{"event_id":"h1","case":"h\377","type":"timer","at":"2026-12-11T12:00"}\n'
    printf '{"event_id":"h2","case":"h","type":"submit","service":"small_vessel_certificate","variant":"issue","at":"2026-12-11T10:00"}\n'
} > "$tmp/hostile.jsonl"
"$EK" run --store "$store" < "$tmp/hostile.jsonl" > "$tmp/answers" 2> "$tmp/err"
expect "hostile lines: run exits" $? 0
expect "hostile lines: answers" "$(verdicts "$tmp/answers" | tr '\n' ' ')" "line_too_long malformed_json accepted "

# A case of another region, and a case its regulation no longer fits.
store=$(new_store regions)
printf '%s\n' '{"event_id":"k1","case":"k","type":"submit","service":"guardianship","variant":"issue","at":"2026-02-02T10:00"}' |
    "$KA" run --store "$store" > /dev/null 2>&1
printf '%s\n' '{"event_id":"k2","case":"k","type":"complete","step":"register","at":"2026-02-02T10:05"}' |
    "$EK" run --store "$store" > "$tmp/answers" 2> /dev/null
expect "wrong region" "$(verdicts "$tmp/answers")" wrong_region
q "$store" "UPDATE cases SET state = 'issue.vanished' WHERE case_id = 'k'"
printf '%s\n' '{"event_id":"k3","case":"k","type":"complete","step":"register","at":"2026-02-02T10:05"}' |
    "$KA" run --store "$store" > "$tmp/answers" 2> /dev/null
expect "stored case no longer fits" "$(verdicts "$tmp/answers")" stored_case_invalid

# ---- status and overdue ----
store=$(new_store overdue)
cat > "$tmp/overdue.jsonl" << 'EOF'
{"event_id":"o1","case":"o-step","type":"submit","service":"small_vessel_certificate","variant":"renewal","at":"2026-12-11T10:00"}
{"event_id":"o2","case":"o-lunch","type":"submit","service":"small_vessel_certificate","variant":"renewal","at":"2026-12-11T12:00"}
{"event_id":"o3","case":"o-fresh","type":"submit","service":"small_vessel_certificate","variant":"renewal","at":"2026-12-11T14:30"}
{"event_id":"o4","case":"o-done","type":"submit","service":"small_vessel_certificate","variant":"renewal","at":"2026-12-01T10:00"}
{"event_id":"o5","case":"o-done","type":"refuse","at":"2026-12-01T10:30"}
{"event_id":"o6","case":"o-term","type":"submit","service":"small_vessel_certificate","variant":"renewal","at":"2026-12-01T10:00"}
{"event_id":"o7","case":"o-term","type":"complete","step":"register","at":"2026-12-01T10:30"}
{"event_id":"o8","case":"o-term","type":"complete","step":"head_review","at":"2026-12-01T11:00"}
{"event_id":"o9","case":"o-term","type":"complete","step":"department_review","at":"2026-12-01T11:30"}
{"event_id":"o10","case":"o-term","type":"timer","at":"2026-12-10T09:00"}
EOF
"$EK" run --store "$store" < "$tmp/overdue.jsonl" > "$tmp/answers" 2> /dev/null
expect "overdue: setup accepted" "$(verdicts "$tmp/answers" | sort -u)" accepted
# At Friday 2026-12-11 15:00: o-step (due 11:00) is 3h late (the 13-14
# break excluded), o-lunch (due 13:00) 1h; o-term's step prepare was due
# 2026-12-02T11:30 (5h30m that day, six full days, 5h on the 11th: 7wd 2h30m)
# and its term 2026-12-04T18:00 (4wd 5h).
"$EK" overdue --at 2026-12-11T15:00 --store "$store" --json > "$tmp/od" 2> "$tmp/err"
expect "overdue exits" $? 0
expect "overdue: cases, latest first" "$(jq -r '[.cases[].case] | join(" ")' "$tmp/od")" "o-term o-step o-lunch"
expect "overdue: late minutes" "$(jq -r '[.cases[].late_minutes] | map(tostring) | join(" ")' "$tmp/od")" "3510 180 60"
expect "overdue: term lateness" "$(jq -r '.cases[0] | "\(.step_late_minutes) \(.term_late_minutes) \(.step) \(.late)"' "$tmp/od")" \
    "3510 2220 prepare true"
"$EK" overdue --at 2026-12-11T15:00 --store "$store" > "$tmp/od.txt" 2>&1
expect "overdue text: first line" "$(head -n 1 "$tmp/od.txt")" "3 overdue cases of east_kazakhstan at 2026-12-11T15:00"
"$EK" overdue --at 2026-12-11T11:00 --store "$store" --json > "$tmp/od"
expect "overdue: at the deadline itself" "$(jq -r '[.cases[].case] | join(" ")' "$tmp/od")" "o-term"
"$EK" overdue --at 2100-01-04T10:00 --store "$store" --json > "$tmp/od" 2>&1
expect "overdue after the calendar's end exits" $? 0
expect "overdue after the calendar's end: lateness unknown" \
    "$(jq -r '[.cases[] | .late_minutes] | unique | map(tostring) | join(" ")' "$tmp/od")" "null"
"$KA" overdue --at 2026-12-11T15:00 --store "$store" --json > "$tmp/od"
expect "overdue: only the region's cases" "$(jq -r '.count' "$tmp/od")" 0
"$EK" status o-step --store "$store" --at 2026-12-11T15:00 --json > "$tmp/st" 2> "$tmp/err"
expect "status exits" $? 0
expect "status: overdue by" "$(jq -r '"\(.overdue) \(.step_late_minutes) \(.term_late_minutes) \(.step) \(.actor)"' "$tmp/st")" \
    "true 180 -1620 register office"
"$EK" status o-term --store "$store" --at 2026-12-11T15:00 --json > "$tmp/st"
expect "status: history" "$(jq -r '[.history[].event_id] | join(" ")' "$tmp/st")" "o6 o7 o8 o9 o10"
"$EK" status o-term --store "$store" --at 2026-12-11T15:00 > "$tmp/st.txt" 2>&1
grep -q "deadline 2026-12-04T18:00, passed: late by 4wd 5h00m of working time" "$tmp/st.txt" && pass || fail "status text: no term lateness"
"$EK" status o-done --store "$store" --at 2026-12-11T15:00 --json > "$tmp/st"
expect "status: finished case" "$(jq -r '"\(.overdue) \(.finished) \(.result) \(.step)"' "$tmp/st")" "false true refusal null"
printf '%s\n' '{"event_id":"o11","case":"o-done","type":"timer","at":"2026-12-11T15:00"}' |
    "$EK" run --store "$store" > /dev/null 2>&1
"$EK" status o-done --store "$store" --json > "$tmp/st"
expect "status: refused events of the case" "$(jq -r '[.refused[].reason] | join(" ")' "$tmp/st")" "case_finished"
"$EK" status nobody --store "$store" > /dev/null 2>&1
expect "status of an unknown case exits" $? 1
# The overdue query reads the index on the earliest open deadline.
if [ -n "$PG_URL" ]; then
    plan=$(psql -X -A -t -q "$store" -c "SET enable_seqscan = off" -c "EXPLAIN SELECT case_id FROM cases
        WHERE region = 'east_kazakhstan' AND due < 29000000 ORDER BY due, case_id")
else
    plan=$(sqlite3 "$store" "EXPLAIN QUERY PLAN SELECT case_id FROM cases
        WHERE region = 'east_kazakhstan' AND due < 29000000 ORDER BY due, case_id")
fi
case "$plan" in
*cases_due*) pass ;;
*) fail "overdue query does not use the index cases_due: $plan" ;;
esac
expect "schema version" "$(q "$store" "SELECT max(version) FROM schema_version")" 3

# ---- batching: a stalled input gets its answers without waiting for more ----
store=$(new_store stall)
head -n 3 tests/events/small_vessel_certificate.jsonl > "$tmp/three.jsonl"
# (Every background run writes a file created empty beforehand, so a poll
# never reads an earlier run's answers before the new process opens it.)
: > "$tmp/stall_answers"
{ cat "$tmp/three.jsonl"; sleep 2; } | "$EK" run --store "$store" --batch 1000 >> "$tmp/stall_answers" 2> /dev/null &
job=$!
n=0
for i in $(seq 1 30); do
    n=$(wc -l < "$tmp/stall_answers")
    [ "$n" -ge 3 ] && break
    sleep 0.05
done
expect "stalled input: answers before the input ends" "$n" 3
expect "stalled input: committed" "$(count "$store" journal)" 3
wait "$job"

# ---- SIGKILL in the middle of a large run, then the same input again ----
N=${REGC_STORE_CRASH_EVENTS:-20000}
sh tests/events/generate.sh "$N" > "$tmp/big.jsonl"
ref=$(new_store crash_ref)
"$EK" run --store "$ref" --batch 256 < "$tmp/big.jsonl" > /dev/null 2>&1
expect "crash reference run" "$(count "$ref" journal)" "$N"
for batch in 1 64; do
    store=$(new_store "crash_$batch")
    acks="$tmp/acks_$batch"
    : > "$acks"
    "$EK" run --store "$store" --batch "$batch" < "$tmp/big.jsonl" >> "$acks" 2> /dev/null &
    job=$!
    # Kill once a fifth of the answers are out.
    target=$((N / 5))
    for i in $(seq 1 2000); do
        [ "$(wc -l < "$acks")" -ge "$target" ] && break
        kill -0 "$job" 2> /dev/null || break
        sleep 0.01
    done
    if kill -KILL "$job" 2> /dev/null; then pass; else fail "batch $batch: the run ended before the kill"; fi
    wait "$job" 2> /dev/null
    # Only whole lines count: the kill may cut the last one.
    head -n "$(wc -l < "$acks")" "$acks" > "$tmp/whole"
    acked=$(wc -l < "$tmp/whole")
    [ "$acked" -gt 0 ] && [ "$acked" -lt "$N" ] && pass || fail "batch $batch: $acked answers before the kill"
    jq -r 'select(.status == "accepted") | .event_id' "$tmp/whole" | sort > "$tmp/acked_ids"
    q "$store" "SELECT event_id FROM journal" | sort > "$tmp/journal_ids"
    lost=$(comm -23 "$tmp/acked_ids" "$tmp/journal_ids" | wc -l)
    expect "batch $batch: acknowledged events missing from the store" "$lost" 0
    had=$(count "$store" journal)
    [ "$had" -ge "$acked" ] && pass || fail "batch $batch: journal has $had events, $acked were acknowledged"
    "$EK" run --store "$store" --batch "$batch" < "$tmp/big.jsonl" > "$tmp/acks2" 2> /dev/null
    expect "batch $batch: resumed run exits" $? 0
    expect "batch $batch: resumed answers" "$(wc -l < "$tmp/acks2")" "$N"
    expect "batch $batch: duplicates on resume" "$(verdicts "$tmp/acks2" | grep -c '^duplicate$')" "$had"
    expect "batch $batch: applied on resume" "$(verdicts "$tmp/acks2" | grep -c '^accepted$')" "$((N - had))"
    if [ "$(dump_cases "$store")" = "$(dump_cases "$ref")" ] && [ "$(dump_journal "$store")" = "$(dump_journal "$ref")" ]; then
        pass
    else
        fail "batch $batch: the resumed store differs from an uninterrupted run"
    fi
done

# ---- a case stranded by a change of the rules ----
# Three events of a small-vessel case, then the rules rename its current
# step (done here in the store: the binary then sees what a rebuilt binary
# would). Nothing may be accepted or changed, and every report says so.
store=$(new_store stranded)
cat > "$tmp/str.jsonl" <<'EOF'
{"event_id":"s1","case":"E","type":"submit","service":"small_vessel_certificate","variant":"issue","at":"2026-03-02T10:00"}
{"event_id":"s2","case":"E","type":"complete","step":"register","at":"2026-03-02T10:30"}
{"event_id":"s3","case":"E","type":"complete","step":"head_review","at":"2026-03-02T12:00"}
EOF
"$EK" run --store "$store" < "$tmp/str.jsonl" > /dev/null 2>&1
q "$store" "UPDATE cases SET state = 'issue.department_check' WHERE case_id = 'E'"
before=$(dump_cases "$store")
cat > "$tmp/str2.jsonl" <<'EOF'
{"event_id":"s4","case":"E","type":"complete","step":"department_review","at":"2026-03-02T14:00"}
{"event_id":"s5","case":"E","type":"refuse","at":"2026-03-02T14:10"}
{"event_id":"s6","case":"E","type":"timer","at":"2026-03-20T10:00"}
EOF
"$EK" run --store "$store" < "$tmp/str2.jsonl" > "$tmp/str_a" 2> /dev/null
expect "stranded: every event refused" "$(jq -r '.reason' "$tmp/str_a" | sort -u)" "stored_case_invalid"
grep -q 'no state `issue.department_check` any more' "$tmp/str_a" && pass || fail "stranded: the refusal names the missing state"
expect "stranded: the case is unchanged" "$(dump_cases "$store")" "$before"
expect "stranded: nothing journaled" "$(count "$store" journal)" 3
"$EK" status E --store "$store" --at 2026-03-03T10:00 > "$tmp/str_s" 2> "$tmp/str_e"
expect "stranded: status exits 4" $? 4
grep -q 'STRANDED   service `small_vessel_certificate` has no state `issue.department_check` any more' "$tmp/str_s" &&
    pass || fail "stranded: status says why: $(cat "$tmp/str_s")"
grep -q 'case `E` is stranded' "$tmp/str_e" && pass || fail "stranded: status says so on stderr"
"$EK" overdue --at 2026-03-20T10:00 --store "$store" --json > "$tmp/str_o"
expect "stranded: overdue lists it with the reason" \
    "$(jq -r '.cases[] | select(.case == "E") | .stranded' "$tmp/str_o" | cut -c1-60)" \
    'service `small_vessel_certificate` has no state `issue.depar'

# ---- two writers on the same events at once ----
# The second sees each round of 50 cases in reverse order (each case's own
# events stay in order), so their batches lock cases in opposite orders: on
# PostgreSQL they deadlock, and the loser applies its batch line by line.
W=1400
head -n "$W" "$tmp/big.jsonl" > "$tmp/w.jsonl"
awk '{ b[++n] = $0 } n == 50 { while (n) print b[n--] } END { while (n) print b[n--] }' "$tmp/w.jsonl" > "$tmp/w_rev.jsonl"
ref=$(new_store writers_ref)
"$EK" run --store "$ref" --batch 256 < "$tmp/w.jsonl" > /dev/null 2>&1
store=$(new_store writers)
"$EK" run --store "$store" --batch 64 < "$tmp/w.jsonl" > "$tmp/w1" 2> "$tmp/w1.err" &
j1=$!
"$EK" run --store "$store" --batch 64 < "$tmp/w_rev.jsonl" > "$tmp/w2" 2> "$tmp/w2.err" &
j2=$!
wait "$j1"; r1=$?
wait "$j2"; r2=$?
# what a failing writer said goes into the failure, for whoever reads the log
expect "two writers: exit codes (stderr: $(head -c 300 "$tmp/w1.err" | tr '\n' ' ')| $(head -c 300 "$tmp/w2.err" | tr '\n' ' '))" \
    "$r1 $r2" "0 0"
expect "two writers: all answered" "$(cat "$tmp/w1" "$tmp/w2" | wc -l)" "$((2 * W))"
expect "two writers: nothing rejected" "$(cat "$tmp/w1" "$tmp/w2" | jq -r '.status' | sort -u)" accepted
applied=$(cat "$tmp/w1" "$tmp/w2" | jq -r 'select(.duplicate == false) | .event_id' | sort)
expect "two writers: each event applied once" "$(echo "$applied" | uniq | wc -l) $(echo "$applied" | wc -l)" "$W $W"
expect "two writers: journal" "$(count "$store" journal)" "$W"
if [ "$(dump_cases "$store")" = "$(dump_cases "$ref")" ]; then pass; else
    fail "two writers: cases differ from a single writer's"
fi

# ---- one batch: cases created and used in it, duplicates inside it ----
# On PostgreSQL a batch reads its cases and event ids ahead and pipelines
# its writes: it must answer as a run of one line per transaction does.
sh tests/events/generate.sh 200 > "$tmp/g200.jsonl"
awk 'NR == 1 || NR == 51 || NR == 101 || NR == 2 || NR == 52' "$tmp/g200.jsonl" > "$tmp/onebatch.jsonl"
sed -n '1p;51p;2p' "$tmp/g200.jsonl" >> "$tmp/onebatch.jsonl"
one=$(new_store onebatch_one)
"$EK" run --store "$one" --batch 1 < "$tmp/onebatch.jsonl" > "$tmp/ob1" 2> /dev/null
store=$(new_store onebatch)
"$EK" run --store "$store" --batch 64 < "$tmp/onebatch.jsonl" > "$tmp/ob64" 2> "$tmp/ob64.err"
expect "one batch: exit code" $? 0
expect "one batch: verdicts" "$(verdicts "$tmp/ob64" | tr '\n' ' ')" \
    "accepted accepted accepted accepted accepted duplicate duplicate duplicate "
expect "one batch: in one transaction" "$(grep -c '8 lines: 5 applied, 3 duplicates, 0 rejected; 1 commits' "$tmp/ob64.err")" 1
if [ "$(cat "$tmp/ob64")" = "$(cat "$tmp/ob1")" ]; then pass; else fail "one batch: answers differ from --batch 1"; fi
if [ "$(dump_cases "$store")" = "$(dump_cases "$one")" ] && [ "$(dump_journal "$store")" = "$(dump_journal "$one")" ]; then
    pass
else
    fail "one batch: the store differs from --batch 1"
fi

# ---- PostgreSQL: another writer journals a batch's event meanwhile ----
# A second session journals g-e0-2 without committing; the batch, which
# read the journal before that commit, meets the taken id when it writes,
# rolls back and applies its lines one at a time: g-e0-2 is a duplicate.
if [ -n "$PG_URL" ]; then
    store=$(new_store conflict)
    sed -n '1p;2p;51p;52p' "$tmp/g200.jsonl" | "$EK" run --store "$store" > /dev/null 2>&1
    line=$(sed -n 101p "$tmp/g200.jsonl")
    psql -X -q -v ON_ERROR_STOP=1 -v raw="$line" "$store" > "$tmp/other.out" 2>&1 <<'SQL' &
BEGIN;
INSERT INTO journal (event_id, case_id, type, at, service, state, result, late, finished, recorded, raw)
SELECT 'g-e0-2', case_id, 'complete', last_event + 5, service, state, result, 0, 0, '2026-01-01T00:00:00Z', :'raw'
FROM cases WHERE case_id = 'g-c0';
SELECT pg_sleep(2);
COMMIT;
SQL
    other=$!
    sleep 1
    { echo "$line"; sed -n 102p "$tmp/g200.jsonl"; } |
        "$EK" run --store "$store" --batch 64 > "$tmp/conflict" 2> "$tmp/conflict.err"
    expect "conflict: exit code" $? 0
    wait "$other"
    expect "conflict: the other session" $? 0
    expect "conflict: verdicts" "$(verdicts "$tmp/conflict" | tr '\n' ' ')" "duplicate accepted "
    expect "conflict: line by line" "$(grep -c 'one at a time' "$tmp/conflict.err")" 1
    expect "conflict: journaled once" "$(q "$store" "SELECT count(*) FROM journal WHERE event_id = 'g-e0-2'")" 1
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
