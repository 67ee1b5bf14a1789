#!/bin/sh
# term_anchor.sh BUILD - a term counted from an event the act names: the
# small-vessel issue term runs "from the moment the exam was passed"
# (емтиханды табысты тапсырған кезден бастап, 5-т.). Until the case receives
# the exam it is pending in run's answers, status and timeline; the exam
# event starts it; a second exam, an unknown anchor, an anchor for a variant
# counted from the submission are refused and change nothing.
set -u
BUILD=${1:?usage: term_anchor.sh BUILD}
BIN="$BUILD/bin"
REGC="$BUILD/bin/regc"
export REG_CALENDAR="${REG_CALENDAR:-rules/calendar/kz.cal}"
tmp=$(mktemp -d /tmp/regc-anchor.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
expect() {
    if [ "$2" = "$3" ]; then passed=$((passed + 1)); else echo "FAIL $1: got '$2', expected '$3'"; failed=$((failed + 1)); fi
}
command -v jq > /dev/null 2>&1 || { echo "FAIL jq is missing (make deps)"; echo "0 passed, 1 failed"; exit 1; }
db="$tmp/cases.db"
run() { "$BIN/east_kazakhstan" run --store "$db" 2> /dev/null; }

# Submitted on Monday 7 December 2026; the exam passed on Wednesday the 9th at 15:00.
out=$(printf '%s\n' \
    '{"event_id":"e1","case":"E","type":"submit","service":"small_vessel_certificate","variant":"issue","channel":"portal","at":"2026-12-07T10:00"}' \
    '{"event_id":"e1a","case":"E","type":"flow","item":"c1","outcome":"holds","at":"2026-12-07T10:00"}' \
    '{"event_id":"e1b","case":"E","type":"flow","item":"c2","outcome":"holds","at":"2026-12-07T10:00"}' \
    '{"event_id":"e2","case":"E","type":"complete","step":"register","at":"2026-12-07T11:00"}' | run)
expect "submit: the term is pending" "$(echo "$out" | sed -n 1p | jq -r '[.term_deadline, .term_deadline_status, .term_pending] | map(tostring) | join(" ")')" \
    "null none from the exam: not yet passed"
expect "complete: still pending" "$(echo "$out" | sed -n 4p | jq -r '.term_pending')" "from the exam: not yet passed"
expect "status: the term is pending" \
    "$("$BIN/east_kazakhstan" status E --store "$db" --at 2026-12-08T10:00 | grep '^  term')" \
    "  term       pending, counted from the exam: not yet passed"
expect "status --json: term_pending" \
    "$("$BIN/east_kazakhstan" status E --store "$db" --at 2026-12-08T10:00 --json | jq -r '[.term_deadline, .term_pending] | map(tostring) | join(" ")')" \
    "null from the exam: not yet passed"
expect "the store keeps no anchor yet" "$(sqlite3 "$db" "SELECT coalesce(term_anchor, 'null'), coalesce(term_deadline, 'null') FROM cases")" "null|null"

before=$(sqlite3 "$db" "SELECT * FROM cases")
out=$(printf '%s\n' \
    '{"event_id":"e3","case":"E","type":"anchor","anchor":"interview","at":"2026-12-09T15:00"}' \
    '{"event_id":"e4","case":"E","type":"anchor","at":"2026-12-09T15:00"}' | run)
expect "an anchor the term does not count from" "$(echo "$out" | sed -n 1p | jq -r '.reason + ": " + .message')" \
    "unknown_anchor: the term of variant \`issue\` counts from \`exam\`, not \`interview\`"
expect "an anchor event without its name" "$(echo "$out" | sed -n 2p | jq -r '.reason + ": " + .message')" \
    "missing_field: a anchor event needs \`anchor\`"
expect "refused anchors change nothing" "$(sqlite3 "$db" "SELECT * FROM cases")" "$before"

# 3wd from Wednesday 15:00: Thursday, Friday, Monday; the term ends at the end of the
# third working day's hours as every term does (docs/semantics.md §3.2).
out=$(printf '%s\n' '{"event_id":"e5","case":"E","type":"anchor","anchor":"exam","at":"2026-12-09T15:00"}' | run)
expect "the exam starts the term" "$(echo "$out" | jq -r '[.status, .term_deadline, (.term_pending // "none")] | join(" ")')" \
    "accepted 2026-12-14T18:00 none"
expect "the store keeps the anchor (minutes of 2026-12-09T15:00)" \
    "$(sqlite3 "$db" "SELECT term_anchor = (SELECT at FROM journal WHERE event_id = 'e5') FROM cases")" 1
expect "the journal records the exam" "$(sqlite3 "$db" "SELECT type FROM journal WHERE event_id = 'e5'")" anchor
expect "status: the term from the exam" \
    "$("$BIN/east_kazakhstan" status E --store "$db" --at 2026-12-10T10:00 | grep '^  term' | cut -c1-43)" \
    "  term       deadline 2026-12-14T18:00, 2wd"
out=$(printf '%s\n' '{"event_id":"e6","case":"E","type":"anchor","anchor":"exam","at":"2026-12-10T09:00"}' | run)
expect "a second exam" "$(echo "$out" | jq -r '.reason + ": " + .message')" \
    "unknown_anchor: \`exam\` was recorded already, at 2026-12-09T15:00"

# The other variants count from the submission: no anchor event is theirs.
out=$(printf '%s\n' \
    '{"event_id":"d1","case":"D","type":"submit","service":"small_vessel_certificate","variant":"duplicate","channel":"portal","at":"2026-12-07T10:00"}' \
    '{"event_id":"d2","case":"D","type":"anchor","anchor":"exam","at":"2026-12-07T12:00"}' | run)
expect "duplicate: term from the submission" "$(echo "$out" | sed -n 1p | jq -r '[.term_deadline, (.term_pending // "none")] | join(" ")')" \
    "2026-12-09T18:00 none"
expect "duplicate: an exam is refused" "$(echo "$out" | sed -n 2p | jq -r '.reason + ": " + .message')" \
    "unknown_anchor: the term of variant \`duplicate\` counts from the submission, not from an event"

# timeline: no exam in a timeline, so the term is pending.
expect "timeline: pending" \
    "$("$BIN/east_kazakhstan" timeline small_vessel_certificate --variant issue --channel portal --submitted 2026-12-07T10:00 | grep '^  term')" \
    "  term 3wd from \"емтиханды табысты тапсырған кезден бастап\": pending, counted from the exam: not yet passed"
expect "timeline --json: pending" \
    "$("$BIN/east_kazakhstan" timeline small_vessel_certificate --variant issue --channel portal --submitted 2026-12-07T10:00 --json | jq -r '[.term_deadline, .term_pending] | map(tostring) | join(" ")')" \
    "null from the exam: not yet passed"

# The compiler: the anchor in the model, and a step anchor that is not a step.
expect "export --json names the event" \
    "$("$REGC" export --json rules/east_kazakhstan/small_vessel_certificate.reg 2> /dev/null | jq -r '.variants[] | select(.name == "issue") | .term_from_event')" exam
mkdir -p "$tmp/test"
cat > "$tmp/test/a.reg" <<'REG'
regulation a {
  title kk "Қызмет"
  region test
  result licence "лицензия"
  actor office "кеңсе"
  variant issue "беру" result licence term 5wd from step reveiw "қараудан бастап"
  step register "тіркеу" by office takes 1h cite "1" -> review
  step review "қарау" by office takes 1h cite "2" -> end
}
REG
expect "a step anchor that is not a step" "$(NO_COLOR=1 "$REGC" check "$tmp/test/a.reg" 2>&1 | grep error: | sed 's/^.*error: //')" \
    "the term of variant \`issue\` counts from step \`reveiw\`, which it does not have"
sed -i 's/reveiw/review/' "$tmp/test/a.reg"
expect "a step anchor in the model" \
    "$("$REGC" export --json "$tmp/test/a.reg" 2> /dev/null | jq -r '.variants[0].term_from_step')" review
expect "fmt keeps the anchor" "$("$REGC" fmt "$tmp/test/a.reg" | grep -c 'term 5wd from step review "қараудан бастап"')" 1

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
