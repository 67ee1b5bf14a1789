#!/bin/sh
# store_reading.sh BUILD - what the region binaries do with a store that
# they did not write as it is, and with ids made to fool a reader:
#   - a time in the journal or the cases that no run writes (the extremes
#     of 64 bits) is reported as corruption, never computed with;
#   - the reading commands (status, overdue) never write: not the schema
#     into an empty file, not the journal mode;
#   - a damaged or foreign file is called not a valid case store, with
#     what to do;
#   - answers that cannot be written (a full device) are reported once,
#     without an empty error line after;
#   - bidirectional and C1 control characters in case and event ids come
#     out of status and overdue as codes, in text and in JSON.
# SQLite stores, through the binaries; jq and sqlite3 read the results.
set -u
BUILD=${1:?usage: store_reading.sh BUILD}
EK="$BUILD/bin/east_kazakhstan"
export REG_CALENDAR="${REG_CALENDAR:-rules/calendar/kz.cal}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() {
    echo "FAIL $*"
    failed=$((failed + 1))
}
# expect NAME ACTUAL WANTED
expect() {
    if [ "$2" = "$3" ]; then pass; else fail "$1: got '$2', expected '$3'"; fi
}
# has NAME FILE TEXT: the file holds the text (fixed string)
has() {
    if grep -qF -- "$3" "$2"; then pass; else fail "$1: no \"$3\" in: $(head -c 400 "$2")"; fi
}

for tool in jq sqlite3; do
    command -v "$tool" > /dev/null 2>&1 || { echo "FAIL $tool is missing (make test-deps)"; echo "0 passed, 1 failed"; exit 1; }
done

events=tests/events/small_vessel_certificate.jsonl
case1=$(head -n 1 "$events" | jq -r .case)
event1=$(head -n 1 "$events" | jq -r .event_id)
"$EK" run --store "$tmp/good.db" < "$events" > /dev/null 2>&1
expect "setup run" $? 0

# ---- times no run writes ----
cp "$tmp/good.db" "$tmp/at.db"
sqlite3 "$tmp/at.db" "UPDATE journal SET at = -9223372036854775807 WHERE event_id = '$event1'"
"$EK" status "$case1" --store "$tmp/at.db" --json > "$tmp/out" 2> "$tmp/err"
expect "status with journal.at at the 64-bit minimum: exit status" $? 3
has "status with journal.at at the 64-bit minimum" "$tmp/err" \
    "the store is corrupt: journal.at of event \`$event1\` is -9223372036854775807"
if grep -q '"at":"-"' "$tmp/out"; then fail "status printed a time as \"-\""; else pass; fi
"$EK" status "$case1" --store "$tmp/at.db" > "$tmp/out" 2> "$tmp/err"
expect "status text with journal.at at the 64-bit minimum: exit status" $? 3
# An open case (only its submission), which overdue reads through the
# index on `due`.
head -n 1 "$events" | "$EK" run --store "$tmp/due.db" > /dev/null 2>&1
open_case=$case1
sqlite3 "$tmp/due.db" "UPDATE cases SET step_deadline = 9223372036854775807 WHERE case_id = '$open_case'"
"$EK" overdue --at 2026-12-30T10:00 --store "$tmp/due.db" > "$tmp/out" 2> "$tmp/err"
expect "overdue with cases.step_deadline at the 64-bit maximum: exit status" $? 3
has "overdue with cases.step_deadline at the 64-bit maximum" "$tmp/err" \
    "cases.step_deadline of case \`$open_case\` is 9223372036854775807"
"$EK" status "$open_case" --store "$tmp/due.db" > "$tmp/out" 2> "$tmp/err"
expect "status with cases.step_deadline at the 64-bit maximum: exit status" $? 3
# One minute before 1900: outside the years a calendar can cover.
sqlite3 "$tmp/due.db" "UPDATE cases SET submitted = -36816481 WHERE case_id = '$case1'"
"$EK" status "$case1" --store "$tmp/due.db" > "$tmp/out" 2> "$tmp/err"
expect "status with cases.submitted in 1899: exit status" $? 3
has "status with cases.submitted in 1899" "$tmp/err" "cases.submitted of case"

# ---- reading commands never write ----
: > "$tmp/empty.db"
for cmd in "status $case1" "overdue --at 2026-12-30T10:00"; do
    name=${cmd%% *}
    # shellcheck disable=SC2086
    "$EK" $cmd --store "$tmp/empty.db" > "$tmp/out" 2> "$tmp/err"
    expect "$name on an empty file: exit status" $? 3
    has "$name on an empty file" "$tmp/err" "is not a case store: it holds no schema (the run command creates one)"
    expect "$name on an empty file: the file stays empty" "$(wc -c < "$tmp/empty.db")" 0
done
# A store in the rollback-journal mode stays in it when only read.
cp "$tmp/good.db" "$tmp/delete.db"
sqlite3 "$tmp/delete.db" "PRAGMA journal_mode = DELETE" > /dev/null
sum=$(cksum < "$tmp/delete.db")
"$EK" status "$case1" --store "$tmp/delete.db" > /dev/null 2>&1
expect "status on a readable store: exit status" $? 0
expect "status leaves the journal mode" "$(sqlite3 "$tmp/delete.db" "PRAGMA journal_mode")" delete
expect "status leaves the file's bytes" "$(cksum < "$tmp/delete.db")" "$sum"
# run still makes a store of an empty file.
: > "$tmp/empty_run.db"
"$EK" run --store "$tmp/empty_run.db" < "$events" > /dev/null 2>&1
expect "run on an empty file: exit status" $? 0
expect "run on an empty file: schema" "$(sqlite3 "$tmp/empty_run.db" "SELECT max(version) FROM schema_version")" 3

# ---- damaged and foreign files ----
head -c 8192 /dev/urandom > "$tmp/random.db"
printf 'SQLite format 3\000' > "$tmp/damaged.db"
tail -c +17 "$tmp/good.db" | head -c 100 >> "$tmp/damaged.db"
head -c 4096 /dev/urandom >> "$tmp/damaged.db"
cp "$tmp/good.db" "$tmp/page.db"
sqlite3 "$tmp/page.db" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
# Garbage over the second page, where the tables are.
printf 'garbage garbage garbage garbage' | dd of="$tmp/page.db" bs=1 seek=4096 conv=notrunc 2> /dev/null
for f in random damaged page; do
    for cmd in "status $case1" "run"; do
        name=${cmd%% *}
        # shellcheck disable=SC2086
        "$EK" $cmd --store "$tmp/$f.db" < "$events" > "$tmp/out" 2> "$tmp/err"
        rc=$?
        if [ "$rc" -eq 0 ]; then fail "$name on the $f file: exit status 0"; else pass; fi
        has "$name on the $f file" "$tmp/err" "\`$tmp/$f.db\` is not a valid case store (SQLite: "
        has "$name on the $f file: what to do" "$tmp/err" "restore it from a backup"
    done
done

# ---- answers to a full device ----
if [ -w /dev/full ]; then
    "$EK" run --store "$tmp/full.db" < "$events" > /dev/full 2> "$tmp/err"
    expect "run > /dev/full: exit status" $? 1
    has "run > /dev/full" "$tmp/err" "run: cannot write the answers: No space left on device"
    if grep -qE '^east_kazakhstan run: *$' "$tmp/err"; then
        fail "run > /dev/full: an empty error line: $(cat "$tmp/err")"
    else
        pass
    fi
else
    fail "/dev/full is not writable here"
fi

# ---- ids that would reorder or hide text ----
rlo=$(printf '\342\200\256')  # U+202E RIGHT-TO-LEFT OVERRIDE
nel=$(printf '\302\205')      # U+0085, a C1 control
lri=$(printf '\342\201\246')  # U+2066 LEFT-TO-RIGHT ISOLATE
id="sv-${rlo}fdp.exe${nel}x${lri}"
printf '%s\n' "{\"event_id\":\"ev${rlo}1\",\"case\":\"$id\",\"type\":\"submit\",\"service\":\"small_vessel_certificate\",\"variant\":\"issue\",\"channel\":\"portal\",\"at\":\"2026-12-11T10:00\"}" \
    > "$tmp/bidi.jsonl"
# the portal's intake: both checks hold, so the case waits at its first step
for item in c1 c2; do
    printf '%s\n' "{\"event_id\":\"ev${rlo}$item\",\"case\":\"$id\",\"type\":\"flow\",\"item\":\"$item\",\"outcome\":\"holds\",\"at\":\"2026-12-11T10:00\"}" >> "$tmp/bidi.jsonl"
done
"$EK" run --store "$tmp/bidi.db" < "$tmp/bidi.jsonl" > "$tmp/out" 2> "$tmp/err"
expect "run of a bidi id" "$(jq -r .status "$tmp/out" | sort -u)" accepted
"$EK" status "$id" --store "$tmp/bidi.db" --at 2026-12-20T10:00 > "$tmp/out" 2> "$tmp/err"
expect "status of a bidi id: exit status" $? 0
has "status text: the case id" "$tmp/out" "case sv-<U+202E>fdp.exe<U+0085>x<U+2066> (east_kazakhstan)"
has "status text: the event id" "$tmp/out" "ev<U+202E>1"
"$EK" overdue --store "$tmp/bidi.db" --at 2026-12-20T10:00 > "$tmp/out2" 2> "$tmp/err"
expect "overdue of a bidi id: exit status" $? 0
has "overdue text: the case id" "$tmp/out2" "sv-<U+202E>fdp.exe<U+0085>x<U+2066>"
for f in out out2; do
    if grep -q "$rlo\|$nel\|$lri" "$tmp/$f"; then fail "a raw control character in the text of status or overdue"; else pass; fi
done
"$EK" status "$id" --store "$tmp/bidi.db" --at 2026-12-20T10:00 --json > "$tmp/out" 2> "$tmp/err"
has "status JSON: the case id as codes" "$tmp/out" '"case":"sv-\u202efdp.exe\u0085x\u2066"'
expect "status JSON: the same id when read back" "$(jq -r .case "$tmp/out")" "$id"
"$EK" overdue --store "$tmp/bidi.db" --at 2026-12-20T10:00 --json > "$tmp/out2" 2> "$tmp/err"
has "overdue JSON: the case id as codes" "$tmp/out2" '"case":"sv-\u202efdp.exe\u0085x\u2066"'
expect "overdue JSON: the same id when read back" "$(jq -r '.cases[0].case' "$tmp/out2")" "$id"
for f in out out2; do
    if grep -q "$rlo\|$nel\|$lri" "$tmp/$f"; then fail "a raw control character in the JSON of status or overdue"; else pass; fi
done
"$EK" status "nobody${rlo}x" --store "$tmp/bidi.db" > "$tmp/out" 2> "$tmp/err"
has "status of an unknown bidi id" "$tmp/err" "no case \`nobody<U+202E>x\` in the store"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
