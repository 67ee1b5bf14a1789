#!/bin/sh
# calendar_edge.sh BUILD - the calendar's edge end to end, through the region
# binaries in BUILD/bin (docs/semantics.md, "Provisional years and unknown
# deadlines"):
#   - with the calendar cut at the end of 2026 (tests/runtime/fixture/
#     kz-2026.cal) events are recorded, never refused; a deadline past the
#     end is null with the reason, in run answers, status and overdue;
#   - with rules/calendar/kz.cal (2027 listed but provisional, later years
#     derived) the same store shows those deadlines computed and marked
#     provisional, without any write;
#   - the next event computes them into the store;
#   - `calendar YEAR`, and the warnings of run and regc check ahead of the
#     calendar's end.
set -u
BUILD=${1:?usage: calendar_edge.sh BUILD}
KA="$BUILD/bin/karaganda"
EK="$BUILD/bin/east_kazakhstan"
FULL=rules/calendar/kz.cal
CUT=tests/runtime/fixture/kz-2026.cal
tmp=$(mktemp -d "${TMPDIR:-/tmp}/regc-caledge.XXXXXX")
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
# contains NAME FILE TEXT
contains() {
    if grep -qF -- "$3" "$2"; then pass; else fail "$1: no '$3' in $(head -c 600 "$2")"; fi
}
command -v jq > /dev/null 2>&1 || { echo "FAIL jq is missing (make deps)"; echo "0 passed, 1 failed"; exit 1; }

# A guardianship case submitted on 7 December 2026 whose events cross the
# new year, and a small-vessel renewal submitted on 29 December.
cat > "$tmp/cross.jsonl" <<'EOF'
{"event_id":"x1","case":"gd-dec","type":"submit","service":"guardianship","variant":"issue","at":"2026-12-07T10:00"}
{"event_id":"x2","case":"gd-dec","type":"complete","step":"register","at":"2026-12-07T10:10"}
{"event_id":"x3","case":"gd-dec","type":"complete","step":"assign","at":"2026-12-08T10:00"}
{"event_id":"x4","case":"gd-dec","type":"complete","step":"prepare","at":"2026-12-22T10:00"}
{"event_id":"x5","case":"gd-dec","type":"timer","at":"2026-12-30T10:00"}
EOF
store="$tmp/cut.db"
REG_TODAY=2026-12-02 "$KA" --calendar "$CUT" run --store "$store" < "$tmp/cross.jsonl" > "$tmp/a1" 2> "$tmp/e1"
expect "cut calendar: run exits" $? 0
expect "cut calendar: answers" "$(jq -r '.status + ":" + (.reason // "")' "$tmp/a1" | tr '\n' ' ')" \
    "accepted: accepted: accepted: accepted: rejected:deadline_unknown "
expect "cut calendar: unknown deadlines are null" \
    "$(jq -r 'select(.status == "accepted") | "\(.step_deadline)/\(.step_deadline_status)"' "$tmp/a1" | tr '\n' ' ')" \
    "2026-12-07T10:15/definite 2026-12-08T18:00/definite 2026-12-23T18:00/definite null/unknown "
contains "cut calendar: the reason names the file and the year" "$tmp/a1" \
    "unknown: the deadline falls after 2026-12-31, the end of $CUT (it covers 2026-2026); add year 2027 to it"
contains "cut calendar: run warns that the calendar ends" "$tmp/e1" \
    "warning: $CUT: the calendar ends on 2026-12-31"
expect "cut calendar: the journal holds every accepted event" \
    "$("$KA" --calendar "$CUT" status gd-dec --store "$store" --json --at 2026-12-23T10:00 | jq -r '[.history[].event_id] | join(" ")')" \
    "x1 x2 x3 x4"

"$KA" --calendar "$CUT" status gd-dec --store "$store" --at 2026-12-23T10:00 > "$tmp/s1" 2>&1
expect "cut calendar: status exits" $? 0
contains "cut calendar: status says unknown" "$tmp/s1" "deadline unknown [1]"
contains "cut calendar: status says why" "$tmp/s1" "[1] unknown: the deadline falls after 2026-12-31"
"$KA" --calendar "$CUT" status gd-dec --store "$store" --at 2026-12-23T10:00 --json > "$tmp/s1j"
expect "cut calendar: status JSON" "$(jq -r '"\(.step_deadline) \(.step_deadline_status) \(.overdue)"' "$tmp/s1j")" \
    "null unknown false"

"$KA" --calendar "$CUT" overdue --at 2027-01-04T12:00 --store "$store" > "$tmp/o1" 2>&1
expect "cut calendar: overdue in 2027 exits" $? 0
contains "cut calendar: overdue lists the case as unknown" "$tmp/o1" "1 more with a deadline that is unknown"
"$KA" --calendar "$CUT" overdue --at 2027-01-04T12:00 --store "$store" --json > "$tmp/o1j"
expect "cut calendar: overdue JSON" \
    "$(jq -r '"\(.count) \(.unknown_count) \(.cases[0].case) \(.cases[0].step_deadline_status) \(.cases[0].late_minutes)"' "$tmp/o1j")" \
    "0 1 gd-dec unknown null"

# The same store read with the extended calendar: computed, provisional,
# and nothing written (the stored deadline stays null until the next event).
"$KA" --calendar "$FULL" status gd-dec --store "$store" --at 2026-12-23T10:00 --json > "$tmp/s2j"
expect "extended: status computes the deadline" \
    "$(jq -r '"\(.step_deadline) \(.step_deadline_status)"' "$tmp/s2j")" "2027-01-05T18:00 provisional"
contains "extended: status says why provisional" "$tmp/s2j" \
    "provisional: 2027 is not confirmed in $FULL"
expect "extended: reading wrote nothing" \
    "$(sqlite3 -batch "$store" "SELECT coalesce(step_deadline, 'null') FROM cases WHERE case_id = 'gd-dec'")" "null"
"$KA" --calendar "$FULL" overdue --at 2027-01-06T12:00 --store "$store" --json > "$tmp/o2j"
expect "extended: overdue finds the computed deadline passed" \
    "$(jq -r '"\(.count) \(.unknown_count) \(.cases[0].step_deadline) \(.cases[0].step_deadline_status) \(.cases[0].late_minutes)"' "$tmp/o2j")" \
    "1 0 2027-01-05T18:00 provisional 180"
"$KA" --calendar "$FULL" overdue --at 2027-01-04T12:00 --store "$store" --json > "$tmp/o3j"
expect "extended: not overdue before the computed deadline" "$(jq -r '"\(.count) \(.unknown_count)"' "$tmp/o3j")" "0 0"
"$KA" --calendar "$FULL" overdue --at 2027-01-06T12:00 --store "$store" > "$tmp/o2"
contains "extended: overdue text marks it" "$tmp/o2" "2027-01-05T18:00 (provisional) [1]"

# The next event computes the deadline into the store, and the timer that
# was refused before is now judged against it.
cat > "$tmp/next.jsonl" <<'EOF'
{"event_id":"x6","case":"gd-dec","type":"timer","at":"2027-01-06T10:00"}
{"event_id":"x7","case":"gd-dec","type":"complete","step":"issue_resolution","at":"2027-01-06T11:00"}
{"event_id":"x1","case":"gd-dec","type":"submit","service":"guardianship","variant":"issue","at":"2026-12-07T10:00"}
EOF
REG_TODAY=2026-06-01 "$KA" --calendar "$FULL" run --store "$store" < "$tmp/next.jsonl" > "$tmp/a2" 2> "$tmp/e2"
expect "extended: run exits" $? 0
expect "extended: answers" \
    "$(jq -r '"\(.status) \(.late) \(.step_deadline) \(.step_deadline_status)"' "$tmp/a2" | tr '\n' '|')" \
    "accepted true 2027-01-05T18:00 provisional|accepted true 2027-01-06T11:15 provisional|accepted false 2026-12-07T10:15 definite|"
contains "extended: run warns from the latest event" "$tmp/e2" \
    "warning: $FULL: confirmed years end on 2026-12-31"

# A renewal submitted on 29 December: its term crosses the new year.
printf '%s\n' '{"event_id":"v1","case":"sv-dec","type":"submit","service":"small_vessel_certificate","variant":"renewal","at":"2026-12-29T10:00"}' |
    "$EK" --calendar "$FULL" run --store "$tmp/sv.db" > "$tmp/a3" 2> /dev/null
expect "renewal: term provisional" "$(jq -r '"\(.term_deadline) \(.term_deadline_status)"' "$tmp/a3")" \
    "2027-01-05T18:00 provisional"
"$EK" --calendar "$FULL" status sv-dec --store "$tmp/sv.db" --at 2026-12-30T10:00 > "$tmp/s3"
contains "renewal: status text marks the term" "$tmp/s3" "term       deadline 2027-01-05T18:00 (provisional) [1]"

# Timeline text and JSON agree and exit alike.
"$KA" --calendar "$CUT" timeline guardianship --submitted 2026-12-02T17:50 > "$tmp/t1"
rc_text=$?
"$KA" --calendar "$CUT" timeline guardianship --submitted 2026-12-02T17:50 --json > "$tmp/t1j"
rc_json=$?
expect "timeline: text and JSON exit alike" "$rc_text $rc_json" "0 0"
contains "timeline text: the unknown step" "$tmp/t1" "2026-12-31T18:00  unknown [1]"
contains "timeline text: incomplete" "$tmp/t1" "the timeline is incomplete"
expect "timeline JSON: the same steps" "$(jq -r '([.steps[].deadline_status] | join(" ")) + " \(.complete)"' "$tmp/t1j")" \
    "definite definite definite definite unknown false"

# calendar YEAR
"$KA" --calendar "$FULL" calendar 2027 --json > "$tmp/c1"
expect "calendar 2027" "$(jq -r '"\(.status) \(.working_days) \([.days[] | select(.kind != "holiday")] | length)"' "$tmp/c1")" \
    "provisional 247 4"
"$KA" --calendar "$FULL" calendar 2026 > "$tmp/c2"
contains "calendar 2026: confirmed" "$tmp/c2" "confirmed, 247 working days"
contains "calendar 2026: a source note" "$tmp/c2" "2026-12-16 Wednesday holiday  Independence Day; Law on holidays art. 5"
"$KA" --calendar "$FULL" calendar 2030 --json > "$tmp/c3"
expect "calendar 2030: derived" "$(jq -r '.status' "$tmp/c3")" "derived"
"$KA" --calendar "$CUT" calendar 2027 > /dev/null 2> "$tmp/c4"
expect "calendar: a year not covered exits" $? 1
contains "calendar: says the covered years" "$tmp/c4" "covers 2026-2026, not 2027"

# regc check warns ahead, from the day it runs on.
REG_TODAY=2026-12-02 "$BUILD/bin/regc" check --calendar "$FULL" > /dev/null 2> "$tmp/r1"
expect "regc check: exits 0 on a warning" $? 0
contains "regc check: warns of the confirmed years" "$tmp/r1" \
    "$FULL: warning: confirmed years end on 2026-12-31, 29 days after 2026-12-02"
REG_TODAY=2026-06-01 "$BUILD/bin/regc" check --calendar "$FULL" > /dev/null 2> "$tmp/r2"
expect "regc check: silent far from the end" "$(cat "$tmp/r2")" ""
REG_TODAY=2026-11-15 "$BUILD/bin/regc" check --calendar "$CUT" > /dev/null 2> "$tmp/r3"
contains "regc check: warns of the end" "$tmp/r3" \
    "$CUT: warning: the calendar ends on 2026-12-31, 46 days after 2026-11-15: deadlines after it will be unknown; add year 2027"
printf 'year 2026 "x"\nholiday 2026-02-30 "y"\n' > "$tmp/bad.cal"
"$BUILD/bin/regc" check --calendar "$tmp/bad.cal" > /dev/null 2> "$tmp/r4"
expect "regc check: a bad calendar is an error" $? 1
contains "regc check: where" "$tmp/r4" "$tmp/bad.cal:2: error: bad date '2026-02-30' (expected YYYY-MM-DD)"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
