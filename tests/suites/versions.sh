#!/bin/sh
# versions.sh BUILD - wordings of a service and the cases pinned to them.
# Builds a region binary `ferry` from tests/versions/ferry/ (two wordings of
# ferry_licence, the second from 2026-01-01 renames step `examine` to
# `review`, removes `inspect` and shortens the term), then: a case submitted
# before the amendment finishes on its wording while a new case gets the new
# one; the store records version and fingerprint; a wording edited in place
# and rebuilt strands its cases, and they are refused, reported and left
# unchanged; `regc gen` refuses overlapping wordings and gaps.
set -u
BUILD=${1:?usage: versions.sh BUILD}
REGC="$BUILD/bin/regc"
export REG_CALENDAR="${REG_CALENDAR:-rules/calendar/kz.cal}"
tmp=$(mktemp -d /tmp/regc-versions.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
expect() { if [ "$2" = "$3" ]; then pass; else fail "$1: got '$2', expected '$3'"; fi; }
for tool in jq sqlite3 cc pkg-config; do
    command -v "$tool" > /dev/null 2>&1 || { echo "FAIL $tool is missing (make deps)"; echo "0 passed, 1 failed"; exit 1; }
done

# build DIR OUT: regc gen DIR's rules, then link a region binary as the Makefile does.
FLAGS=""
if nm "$BUILD/lib/libregrt.a" 2> /dev/null | grep -q __asan; then FLAGS="-fsanitize=address,undefined"; fi
if nm "$BUILD/lib/libregrt.a" 2> /dev/null | grep -q __gcov; then FLAGS="$FLAGS --coverage"; fi
build() {
    region=${3:-ferry}
    rm -rf "$tmp/gen"
    "$REGC" gen -o "$tmp/gen" "$1"/*.reg 2> "$tmp/gen.log" || { cat "$tmp/gen.log"; return 1; }
    # shellcheck disable=SC2046
    cc -std=c11 $FLAGS $(pkg-config --cflags libcjson sqlite3 libpq) -Iruntime -I"$tmp/gen/$region" -DREGION="$region" \
        runtime/region_main.c "$tmp/gen/$region"/*.c "$BUILD/lib/libregapp.a" "$BUILD/lib/libregrt.a" \
        $(pkg-config --libs libcjson sqlite3 libpq) -lm -o "$2" 2> "$tmp/cc.log" || { cat "$tmp/cc.log"; return 1; }
}
if build tests/versions/ferry "$tmp/ferry"; then pass; else fail "the ferry region does not build"; echo "$passed passed, $failed failed"; exit 1; fi
F="$tmp/ferry"
db="$tmp/cases.db"
run() { "$1" run --store "$db" 2> /dev/null; }

# ---- a case before the amendment keeps its wording; a new case gets the new one ----
out=$(printf '%s\n' \
    '{"event_id":"a1","case":"A","type":"submit","service":"ferry_licence","variant":"issue","at":"2025-12-29T10:00"}' \
    '{"event_id":"a2","case":"A","type":"complete","step":"register","at":"2025-12-29T11:00"}' \
    '{"event_id":"b1","case":"B","type":"submit","service":"ferry_licence","variant":"issue","at":"2026-01-05T10:00"}' \
    '{"event_id":"b2","case":"B","type":"complete","step":"register","at":"2026-01-05T11:00"}' | run "$F")
expect "A on the first wording: at examine" "$(echo "$out" | sed -n 2p | jq -r '.status + " " + .step')" "accepted examine"
expect "B on the new wording: at review" "$(echo "$out" | sed -n 4p | jq -r '.status + " " + .step')" "accepted review"
expect "the store pins each case" "$(sqlite3 "$db" "SELECT case_id, service, version, length(fingerprint) FROM cases ORDER BY case_id" | tr '\n' ' ')" \
    "A|ferry_licence|ferry_licence|16 B|ferry_licence|ferry_licence_2026|16 "
fp_old=$(jq -r .fingerprint "$tmp/gen/ferry/ferry_licence.json")
fp_new=$(jq -r .fingerprint "$tmp/gen/ferry/ferry_licence_2026.json")
expect "the fingerprints are the compiled models'" "$(sqlite3 "$db" "SELECT fingerprint FROM cases ORDER BY case_id" | tr '\n' ' ')" "$fp_old $fp_new "
expect "the two wordings differ in meaning" "$([ "$fp_old" != "$fp_new" ] && echo yes)" yes
out=$(printf '%s\n' \
    '{"event_id":"a3","case":"A","type":"complete","step":"examine","at":"2026-01-06T10:00"}' \
    '{"event_id":"a4","case":"A","type":"complete","step":"inspect","at":"2026-01-06T12:00"}' \
    '{"event_id":"a5","case":"A","type":"complete","step":"deliver","at":"2026-01-06T14:00"}' \
    '{"event_id":"b3","case":"B","type":"complete","step":"examine","at":"2026-01-06T10:00"}' \
    '{"event_id":"b4","case":"B","type":"complete","step":"review","at":"2026-01-06T10:00"}' | run "$F")
expect "A finishes on its wording after the amendment" "$(echo "$out" | sed -n 1,3p | jq -r '.status + ":" + (.step // .result)' | tr '\n' ' ')" \
    "accepted:inspect accepted:deliver accepted:licence "
expect "B has no step examine" "$(echo "$out" | sed -n 4p | jq -r .reason)" wrong_step
expect "B goes on in the new wording" "$(echo "$out" | sed -n 5p | jq -r '.status + " " + .step')" "accepted deliver"
expect "A's term is its wording's 5wd (7 January is a holiday)" "$("$F" status A --store "$db" --json | jq -r .term_deadline)" 2026-01-08T18:00
expect "B's term is the new 4wd" "$("$F" status B --store "$db" --json | jq -r .term_deadline)" 2026-01-12T18:00
expect "list shows both wordings" "$("$F" list --json | jq -r '[.[] | select(.service | startswith("ferry_licence")) | .service + ":" + (.wording_of // "-")] | join(" ")')" \
    "ferry_licence:- ferry_licence_2026:ferry_licence"

# ---- a term counted from a step: pending until the case reaches it ----
out=$(printf '%s\n' \
    '{"event_id":"i1","case":"I","type":"submit","service":"ferry_inspection","variant":"issue","at":"2026-03-02T10:00"}' | run "$F")
expect "step anchor: pending at submission" "$(echo "$out" | jq -r '(.term_deadline | tostring) + " " + .term_pending')" "null from step review: not yet reached"
out=$(printf '%s\n' \
    '{"event_id":"i2","case":"I","type":"complete","step":"register","at":"2026-03-03T15:00"}' | run "$F")
expect "step anchor: the term counts from reaching review (2wd from Tuesday 15:00)" \
    "$(echo "$out" | jq -r '[.step, .term_deadline, (.term_pending // "none")] | join(" ")')" "review 2026-03-05T18:00 none"
expect "step anchor: kept in the store" "$(sqlite3 "$db" "SELECT term_anchor = (SELECT at FROM journal WHERE event_id = 'i2') FROM cases WHERE case_id = 'I'")" 1

# ---- a wording edited in place strands its cases: refused, reported, unchanged ----
printf '%s\n' \
    '{"event_id":"c1","case":"C","type":"submit","service":"ferry_licence","variant":"issue","at":"2026-02-02T10:00"}' \
    '{"event_id":"c2","case":"C","type":"complete","step":"register","at":"2026-02-02T11:00"}' | run "$F" > /dev/null
mkdir -p "$tmp/edited"
cp tests/versions/ferry/*.reg "$tmp/edited/"
sed -i 's/-> review$/-> department_review/; s/step review "тексеру"/step department_review "тексеру"/' "$tmp/edited/ferry_licence_2026.reg"
if build "$tmp/edited" "$tmp/ferry2"; then pass; else fail "the edited ferry region does not build"; fi
before=$(sqlite3 "$db" "SELECT * FROM cases WHERE case_id = 'C'")
journal=$(sqlite3 "$db" "SELECT count(*) FROM journal")
out=$(printf '%s\n' \
    '{"event_id":"c3","case":"C","type":"complete","step":"review","at":"2026-02-02T12:00"}' \
    '{"event_id":"c4","case":"C","type":"refuse","at":"2026-02-02T12:10"}' \
    '{"event_id":"c5","case":"C","type":"timer","at":"2026-02-20T10:00"}' | run "$tmp/ferry2")
expect "stranded: every event refused" "$(echo "$out" | jq -r .reason | sort -u)" version_missing
expect "stranded: the refusal names the missing version" "$(echo "$out" | sed -n 1p | jq -r .message | cut -d'(' -f1)" \
    "case \`C\`: the case is pinned to version \`ferry_licence_2026\` of \`ferry_licence\` "
echo "$out" | sed -n 1p | grep -q "a wording edited in place" && pass || fail "stranded: the refusal says the wording was edited in place"
expect "stranded: the case is unchanged" "$(sqlite3 "$db" "SELECT * FROM cases WHERE case_id = 'C'")" "$before"
expect "stranded: nothing journaled" "$(sqlite3 "$db" "SELECT count(*) FROM journal")" "$journal"
"$tmp/ferry2" status C --store "$db" --at 2026-02-03T10:00 > "$tmp/st" 2> "$tmp/st_err"
expect "stranded: status exits 4" $? 4
grep -q "STRANDED   the case is pinned to version \`ferry_licence_2026\`" "$tmp/st" && pass || fail "stranded: status says why: $(cat "$tmp/st")"
"$tmp/ferry2" overdue --at 2026-02-20T10:00 --store "$db" --json > "$tmp/od"
expect "stranded: overdue lists it with the reason" "$(jq -r '.cases[] | select(.case == "C") | .stranded' "$tmp/od" | cut -c1-45)" \
    "the case is pinned to version \`ferry_licence_"
# The unedited binary still runs it.
out=$(printf '%s\n' '{"event_id":"c6","case":"C","type":"complete","step":"review","at":"2026-02-02T12:00"}' | run "$F")
expect "the binary with its wording runs it" "$(echo "$out" | jq -r '.status + " " + .step')" "accepted deliver"
# A label or citation edit keeps the meaning, and the fingerprint.
cp tests/versions/ferry/*.reg "$tmp/edited/"
sed -i 's/cite "5-т. 3)"/cite "5-т. 3) (жаңа)"/; s/"беру" by office/"нәтижені беру" by office/' "$tmp/edited/ferry_licence_2026.reg"
"$REGC" gen -o "$tmp/gen3" "$tmp/edited"/*.reg 2> /dev/null
expect "a label edit keeps the fingerprint" "$(jq -r .fingerprint "$tmp/gen3/ferry/ferry_licence_2026.json")" "$fp_new"

# ---- the issue's reproduction: small_vessel_certificate with department_review renamed ----
EK="$BUILD/bin/east_kazakhstan"
sdb="$tmp/sv.db"
printf '%s\n' \
    '{"event_id":"s1","case":"E","type":"submit","service":"small_vessel_certificate","variant":"issue","at":"2026-03-02T10:00"}' \
    '{"event_id":"s2","case":"E","type":"complete","step":"register","at":"2026-03-02T10:30"}' \
    '{"event_id":"s3","case":"E","type":"complete","step":"head_review","at":"2026-03-02T12:00"}' |
    "$EK" run --store "$sdb" > /dev/null 2>&1
mkdir -p "$tmp/ek/east_kazakhstan"
cp rules/east_kazakhstan/*.reg "$tmp/ek/east_kazakhstan/"
sed -i 's/-> department_review$/-> department_check/; s/step department_review /step department_check /' \
    "$tmp/ek/east_kazakhstan/small_vessel_certificate.reg"
if build "$tmp/ek/east_kazakhstan" "$tmp/ek2" east_kazakhstan; then pass; else fail "the edited east_kazakhstan does not build"; fi
before=$(sqlite3 "$sdb" "SELECT * FROM cases")
out=$(printf '%s\n' \
    '{"event_id":"s4","case":"E","type":"complete","step":"department_review","at":"2026-03-02T14:00"}' \
    '{"event_id":"s5","case":"E","type":"refuse","at":"2026-03-02T14:10"}' \
    '{"event_id":"s6","case":"E","type":"timer","at":"2026-03-20T10:00"}' | "$tmp/ek2" run --store "$sdb" 2> /dev/null)
expect "reproduction: complete, refuse and timer refused" "$(echo "$out" | jq -r .reason | sort -u)" version_missing
echo "$out" | sed -n 1p | grep -q 'pinned to version `small_vessel_certificate` of `small_vessel_certificate`' && pass ||
    fail "reproduction: the refusal names the version: $(echo "$out" | sed -n 1p)"
expect "reproduction: nothing changed" "$(sqlite3 "$sdb" "SELECT * FROM cases")" "$before"
expect "reproduction: nothing journaled" "$(sqlite3 "$sdb" "SELECT count(*) FROM journal")" 3
"$tmp/ek2" status E --store "$sdb" --at 2026-03-03T10:00 > /dev/null 2>&1
expect "reproduction: status exits 4" $? 4
expect "reproduction: overdue lists it" "$("$tmp/ek2" overdue --at 2026-03-20T10:00 --store "$sdb" --json | jq -r '.cases[] | select(.case == "E") | .stranded' | cut -c1-31)" \
    "the case is pinned to version \`"

# ---- migrate: open cases of the first wording onto the second ----
mdb="$tmp/migrate.db"
printf '%s\n' \
    '{"event_id":"m1","case":"M1","type":"submit","service":"ferry_licence","variant":"issue","at":"2025-12-22T10:00"}' \
    '{"event_id":"m2","case":"M1","type":"complete","step":"register","at":"2025-12-22T11:00"}' \
    '{"event_id":"n1","case":"M2","type":"submit","service":"ferry_licence","variant":"issue","at":"2025-12-22T10:00"}' \
    '{"event_id":"n2","case":"M2","type":"complete","step":"register","at":"2025-12-22T11:00"}' \
    '{"event_id":"n3","case":"M2","type":"complete","step":"examine","at":"2025-12-23T10:00"}' \
    '{"event_id":"p1","case":"M3","type":"submit","service":"ferry_licence","variant":"issue","at":"2025-12-22T10:00"}' \
    '{"event_id":"q1","case":"M4","type":"submit","service":"ferry_licence","variant":"issue","at":"2025-12-22T10:00"}' \
    '{"event_id":"q2","case":"M4","type":"refuse","at":"2025-12-22T10:30"}' |
    "$F" run --store "$mdb" > /dev/null 2>&1
before=$(sqlite3 "$mdb" "SELECT * FROM cases ORDER BY case_id")
"$F" migrate --from ferry_licence --to ferry_licence_2026 --dry-run --store "$mdb" --at 2026-01-05T09:00 > "$tmp/plan"
expect "dry run exits 0" $? 0
expect "dry run: M1 at a renamed step cannot move without a map" "$(grep '^cannot   M1' "$tmp/plan")" \
    "cannot   M1 at issue.examine: step \`examine\` was removed in \`ferry_licence_2026\` and no --map gives its counterpart: add --map examine=STEP"
expect "dry run: M2 at a removed step cannot move" "$(grep -c '^cannot   M2 at issue.inspect: step `inspect` was removed' "$tmp/plan")" 1
expect "dry run: M3 at a kept step would move" "$(grep '^would move M3' "$tmp/plan" | cut -d, -f1)" \
    "would move M3: issue.register (ferry_licence) -> issue.register (ferry_licence_2026)"
expect "dry run: the finished case is not listed" "$(grep -c M4 "$tmp/plan")" 0
expect "dry run: summary" "$(tail -n 1 "$tmp/plan")" "would move 1 of 3 open cases of ferry_licence to ferry_licence_2026; 2 cannot move"
expect "dry run changes nothing" "$(sqlite3 "$mdb" "SELECT * FROM cases ORDER BY case_id")" "$before"
"$F" migrate --from ferry_licence --to ferry_licence_2026 --map examine=review --dry-run --store "$mdb" --at 2026-01-05T09:00 > "$tmp/plan"
expect "dry run with --map examine=review" "$(grep '^would move M1' "$tmp/plan" | cut -d, -f1)" \
    "would move M1: issue.examine (ferry_licence) -> issue.review (ferry_licence_2026)"
# The real run: M1 (mapped) and M3 move, M2 stays on its wording and is reported.
"$F" migrate --from ferry_licence --to ferry_licence_2026 --map examine=review --store "$mdb" --at 2026-01-05T09:00 > "$tmp/moved"
expect "real run exits 1: a case could not move" $? 1
expect "real run: what moved" "$(grep -c '^moved    M[13]:' "$tmp/moved")" 2
expect "real run: summary" "$(tail -n 1 "$tmp/moved")" "moved 2 of 3 open cases of ferry_licence to ferry_licence_2026; 1 cannot move"
expect "the store: M1 and M3 on the new wording, M2 on the old" \
    "$(sqlite3 "$mdb" "SELECT case_id, version, state, fingerprint FROM cases WHERE case_id LIKE 'M%' ORDER BY case_id" | tr '\n' ' ')" \
    "M1|ferry_licence_2026|issue.review|$fp_new M2|ferry_licence|issue.inspect|$fp_old M3|ferry_licence_2026|issue.register|$fp_new M4|ferry_licence|result.refusal|$fp_old "
expect "journaled" "$(sqlite3 "$mdb" "SELECT event_id, type, state FROM journal WHERE type = 'migrate' ORDER BY case_id" | tr '\n' ' ')" \
    "migrate:M1:ferry_licence_2026:$fp_new|migrate|issue.review migrate:M3:ferry_licence_2026:$fp_new|migrate|issue.register "
expect "the journal keeps the plan" "$(sqlite3 "$mdb" "SELECT raw FROM journal WHERE event_id LIKE 'migrate:M1:%'" | jq -r '[.from.version, .from.state, .to.version, .to.state, .map.examine] | join(" ")')" \
    "ferry_licence issue.examine ferry_licence_2026 issue.review review"
# Deadlines after a move: the step keeps its start (2025-12-22T11:00) and takes the new
# wording's 1wd; the term keeps its anchor (the submission) and takes the new 4wd.
expect "M1: step deadline from its start, term from its submission, with the new durations" \
    "$("$F" status M1 --store "$mdb" --json | jq -r '[.step_start, .step_deadline, .term_deadline] | join(" ")')" \
    "2025-12-22T11:00 2025-12-23T11:00 2025-12-26T18:00"
out=$(printf '%s\n' '{"event_id":"m3","case":"M1","type":"complete","step":"review","at":"2026-01-05T10:00"}' | "$F" run --store "$mdb" 2> /dev/null)
expect "M1 goes on in the new wording" "$(echo "$out" | jq -r '.status + " " + .step')" "accepted deliver"
"$F" migrate --from ferry_licence --to ferry_licence_2026 --map inspect=deliver --store "$mdb" --at 2026-01-05T11:00 > "$tmp/moved"
expect "M2 moves with --map inspect=deliver" "$(sqlite3 "$mdb" "SELECT state FROM cases WHERE case_id = 'M2'")" issue.deliver
# A case stranded by a wording edited in place is moved onto the edited wording.
printf '%s\n' \
    '{"event_id":"d1","case":"D","type":"submit","service":"ferry_licence","variant":"issue","at":"2026-02-02T10:00"}' \
    '{"event_id":"d2","case":"D","type":"complete","step":"register","at":"2026-02-02T11:00"}' | run "$F" > /dev/null
"$tmp/ferry2" migrate --from ferry_licence_2026 --to ferry_licence_2026 --dry-run --store "$db" --at 2026-02-03T09:00 > "$tmp/plan"
expect "stranded case: the plan names the renamed step" "$(grep -c '^cannot   D at issue.review: step `review` was removed' "$tmp/plan")" 1
"$tmp/ferry2" migrate --from ferry_licence_2026 --to ferry_licence_2026 --map review=department_review --store "$db" --at 2026-02-03T09:00 > /dev/null
out=$(printf '%s\n' '{"event_id":"d3","case":"D","type":"complete","step":"department_review","at":"2026-02-03T10:00"}' | run "$tmp/ferry2")
expect "the moved case runs on the edited wording" "$(echo "$out" | jq -r '.status + " " + .step')" "accepted deliver"
"$tmp/ferry2" status D --store "$db" > /dev/null 2>&1
expect "no longer stranded" $? 0
expect "a second identical migrate moves nothing" \
    "$("$tmp/ferry2" migrate --from ferry_licence_2026 --to ferry_licence_2026 --store "$db" --at 2026-02-03T09:00 | tail -n 1 | cut -c1-20)" "moved 0 of 0 open ca"

# regc gen warns when a wording's meaning changes under the model generated before.
cp tests/versions/ferry/*.reg "$tmp/edited/"
"$REGC" gen -o "$tmp/gen5" "$tmp/edited"/*.reg 2> /dev/null
sed -i 's/term 4wd/term 3wd/' "$tmp/edited/ferry_licence_2026.reg"
"$REGC" gen -o "$tmp/gen5" "$tmp/edited"/*.reg 2> "$tmp/gen5.log"
expect "wording edited in place: warned" "$(grep -c "warning: the meaning of \`ferry_licence_2026\` changed in place (fingerprint $fp_new -> .*\[-Wwording-edited\]" "$tmp/gen5.log")" 1
"$REGC" gen -Wno-wording-edited -o "$tmp/gen5" tests/versions/ferry/*.reg 2> "$tmp/gen5.log"
expect "-Wno-wording-edited silences it" "$(grep -c wording-edited "$tmp/gen5.log")" 0

# regc diff between the two wordings shows the amendment.
"$REGC" diff tests/versions/ferry/ferry_licence.reg tests/versions/ferry/ferry_licence_2026.reg > "$tmp/diff"
expect "diff: the amendment" "$(grep -E '^(amended|variant issue: (term|step examine|step inspect|step review))' "$tmp/diff" | tr '\n' '|')" \
    'amended: added "Сынақ актісі, 2025 жылғы 1 желтоқсан № 7"|variant issue: term 5wd -> 4wd|variant issue: step examine: removed|variant issue: step inspect: removed|variant issue: step review: added (by head, takes 1wd)|'

# ---- regc gen: the wordings follow each other ----
cp tests/versions/ferry/*.reg "$tmp/edited/"
sed -i 's/valid from 2026-01-01$/valid from 2025-12-01/' "$tmp/edited/ferry_licence_2026.reg"
expect "overlap refused" "$(NO_COLOR=1 "$REGC" gen -o "$tmp/gen4" "$tmp/edited"/*.reg 2>&1 | grep -o 'error: .*')" \
    "error: wordings of \`ferry_licence\` overlap: \`ferry_licence\` ends 2026-01-01, \`ferry_licence_2026\` begins 2025-12-01"
sed -i 's/valid from 2025-12-01$/valid from 2026-02-01/' "$tmp/edited/ferry_licence_2026.reg"
expect "gap refused" "$(NO_COLOR=1 "$REGC" gen -o "$tmp/gen4" "$tmp/edited"/*.reg 2>&1 | grep -o 'error: .*')" \
    "error: no wording of \`ferry_licence\` applies from 2026-01-01 until 2026-02-01: \`ferry_licence\` ends, \`ferry_licence_2026\` has not begun"
sed -i 's/valid from 2026-02-01$/valid from 2026-01-01/' "$tmp/edited/ferry_licence_2026.reg"
sed -i 's/valid from 2025-01-01 until 2026-01-01/valid from 2025-01-01/' "$tmp/edited/ferry_licence.reg"
expect "an open-ended earlier wording refused" "$(NO_COLOR=1 "$REGC" gen -o "$tmp/gen4" "$tmp/edited"/*.reg 2>&1 | grep -o 'error: .*')" \
    "error: wording \`ferry_licence\` of \`ferry_licence\` applies without end, but \`ferry_licence_2026\` applies from 2026-01-01"

# ---- a gap the law leaves between two wordings, declared with `after gap` ----
why='the first regulation was repealed by act № 9 of 2025-12-20 and the next took effect on 2026-02-01'
mkdir -p "$tmp/gap"
cp tests/versions/ferry/*.reg "$tmp/gap/"
sed -i 's/valid from 2026-01-01$/valid from 2026-02-01/' "$tmp/gap/ferry_licence_2026.reg"
expect "an undeclared gap: the hint names the clause" \
    "$(NO_COLOR=1 "$REGC" gen -o "$tmp/gen6" "$tmp/gap"/*.reg 2>&1 | grep -c 'hint: .*`wording of ferry_licence after gap "why" cite "act"`')" 1
sed -i "s/^  wording of ferry_licence\$/  wording of ferry_licence after gap \"$why\" cite \"Сынақ актісі № 9, 2-т.\"/" "$tmp/gap/ferry_licence_2026.reg"
if build "$tmp/gap" "$tmp/ferry_gap"; then pass; else fail "a declared gap: gen or the build failed"; fi
gdb="$tmp/gap.db"
out=$(printf '%s\n' \
    '{"event_id":"g1","case":"G1","type":"submit","service":"ferry_licence","variant":"issue","at":"2025-12-30T10:00"}' \
    '{"event_id":"g2","case":"G2","type":"submit","service":"ferry_licence","variant":"issue","at":"2026-01-15T10:00"}' \
    '{"event_id":"g3","case":"G3","type":"submit","service":"ferry_licence","variant":"issue","at":"2026-02-02T10:00"}' |
    "$tmp/ferry_gap" run --store "$gdb" 2> /dev/null)
expect "before the gap: the first wording" "$(echo "$out" | sed -n 1p | jq -r .status)" accepted
expect "in the gap: rejected not_in_force" "$(echo "$out" | sed -n 2p | jq -r '.status + " " + .reason')" "rejected not_in_force"
expect "in the gap: the refusal says why no wording applies" "$(echo "$out" | sed -n 2p | jq -r .message)" \
    "no wording of \`ferry_licence\` applies on 2026-01-15: a gap the law leaves before \`ferry_licence_2026\` (valid from 2026-02-01): $why (Сынақ актісі № 9, 2-т.)"
expect "after the gap: the new wording" "$(sqlite3 "$gdb" "SELECT case_id, version FROM cases ORDER BY case_id" | tr '\n' ' ')" \
    "G1|ferry_licence G3|ferry_licence_2026 "
expect "list --json shows the gap" "$("$tmp/ferry_gap" list --json | jq -r '.[] | select(.service == "ferry_licence_2026") | .after_gap.cite')" \
    "Сынақ актісі № 9, 2-т."
expect "list shows the gap" "$("$tmp/ferry_gap" list | grep -c "after a gap: $why")" 1
expect "show shows the gap" "$("$tmp/ferry_gap" show ferry_licence_2026 | grep '^  after gap')" \
    "  after gap no wording applies before 2026-02-01: $why (Сынақ актісі № 9, 2-т.)"
expect "diff shows the gap" "$("$REGC" diff tests/versions/ferry/ferry_licence_2026.reg "$tmp/gap/ferry_licence_2026.reg" | grep '^after gap' | tr '\n' '|')" \
    "after gap: none -> \"$why\"|after gap: cite none -> \"Сынақ актісі № 9, 2-т.\"|"
expect "fmt keeps the clause" "$("$REGC" fmt "$tmp/gap/ferry_licence_2026.reg" 2> /dev/null | grep -c "wording of ferry_licence after gap \"$why\" cite")" 1
# A declared gap where there is none, and on the first wording.
sed -i 's/valid from 2026-02-01$/valid from 2026-01-01/' "$tmp/gap/ferry_licence_2026.reg"
expect "a declared gap between adjacent wordings" "$(NO_COLOR=1 "$REGC" gen -o "$tmp/gen6" "$tmp/gap"/*.reg 2>&1 | grep -o '[0-9]*:[0-9]*: error: .*')" \
    "8:34: error: \`ferry_licence_2026\` declares a gap after \`ferry_licence\`, but there is none: \`ferry_licence\` ends 2026-01-01, the day \`ferry_licence_2026\` begins"
sed -i 's/valid from 2026-01-01$/valid from 2025-12-01/' "$tmp/gap/ferry_licence_2026.reg"
expect "a declared gap between overlapping wordings" "$(NO_COLOR=1 "$REGC" gen -o "$tmp/gen6" "$tmp/gap"/*.reg 2>&1 | grep -o 'error: .*')" \
    "error: \`ferry_licence_2026\` declares a gap after \`ferry_licence\`, but they overlap: \`ferry_licence\` ends 2026-01-01, \`ferry_licence_2026\` begins 2025-12-01"
expect "a gap declared on the first wording" "$(NO_COLOR=1 "$REGC" gen -o "$tmp/gen7" "$tmp/gap/ferry_licence_2026.reg" 2>&1 | grep -o 'error: .*')" \
    "error: wording \`ferry_licence_2026\` is the first of \`ferry_licence\`: there is no earlier wording to leave a gap after"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
