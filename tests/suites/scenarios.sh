#!/bin/sh
# scenarios.sh BUILD - `regc test` and the scenarios next to the rule files
# (docs/scenarios.md).
#
#  - every seed regulation's scenarios pass and cover 100% of its variants,
#    channels, paths, steps, branches and results;
#  - the machine regc test builds in memory moves a case exactly as the
#    generated C of the region binary does: for every seed, variant and
#    channel, the binary's `timeline --json` is turned into a scenario
#    (each step's start, deadline and mark) that regc test must pass;
#  - tests/scenarios/bad/*.test draw exactly their .expected diagnostics
#    and exit 1; --json, --coverage, --diagrams and the usage errors.
set -u
BUILD=${1:?}
REGC="$BUILD/bin/regc"
passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- the seeds ----
out=$("$REGC" test --coverage 2>"$tmp/err")
rc=$?
nfiles=$(ls rules/*/*.reg | wc -l)
ntests=$(ls rules/*/*.test | wc -l)
if [ "$rc" -eq 0 ] && [ ! -s "$tmp/err" ]; then ok; else fail "regc test on rules/: exit $rc"; head -n 20 "$tmp/err"; fi
if [ "$ntests" -eq "$nfiles" ]; then ok; else fail "$nfiles rule files but $ntests scenario files"; fi
n100=$(printf '%s\n' "$out" | grep -c ': [0-9]* scenarios, 100.0% covered$')
if [ "$n100" -eq "$nfiles" ]; then ok; else fail "$n100 of $nfiles seed regulations at 100% coverage"; printf '%s\n' "$out" | grep 'not covered' | head; fi
if printf '%s\n' "$out" | grep -q '^total: \([0-9]*\) of \1 (100.0%)$'; then ok; else fail "the total line is not 100%"; fi
if printf '%s\n' "$out" | tail -n 1 | grep -q '^[0-9]* scenarios, [0-9]* passed, 0 failed$'; then ok; else fail "last line: $(printf '%s\n' "$out" | tail -n 1)"; fi
# Flow items count: every seed's are all covered (each intake check both ways).
if [ "$(printf '%s\n' "$out" | grep -c '^  flow items *\([0-9]*\) of *\1  100.0%$')" -eq "$nfiles" ]; then ok; else fail "flow items line"; fi

# ---- the in-memory machine against the generated C ----
for reg in rules/*/*.reg; do
    region=$(basename "$(dirname "$reg")")
    service=$(basename "$reg" .reg)
    model=$("$REGC" export --json "$reg" 2>/dev/null)
    from=$(printf '%s' "$model" | jq -r '.valid.from // "2026-03-02"')
    # A Monday morning in force and inside the calendar's confirmed years.
    case $from in 2014*|2015*) day=2016-02-01 ;; 2017*) day=2019-03-04 ;; *) day=2026-03-02 ;; esac
    for variant in $(printf '%s' "$model" | jq -r '.variants[].name'); do
        for channel in $(printf '%s' "$model" | jq -r '.channels[].id'); do
            tl=$("$BUILD/bin/$region" timeline "$service" --variant "$variant" --channel "$channel" \
                --submitted "${day}T10:00" --json 2>&1) || { fail "$region timeline $service $variant $channel"; continue; }
            {
                echo "scenario \"the timeline of $variant through $channel\""
                echo "  submit variant $variant channel $channel at ${day}T10:00"
                printf '%s' "$tl" | jq -r '"  expect term_deadline \(if .term_pending then "pending" else (.term_deadline // "none") end)",
                    "  expect term_mark \(.term_deadline_status)",
                    (.steps[] | "  expect step \(.id)", "  expect step_start \(.start)",
                        "  expect step_deadline \(.deadline)", "  expect step_mark \(.deadline_status)",
                        "  complete \(.id) at \(.deadline)"),
                    "  expect finished yes"'
            } > "$tmp/timeline.test"
            if "$REGC" test --rules "$reg" "$tmp/timeline.test" > /dev/null 2> "$tmp/err"; then ok; else
                fail "$reg $variant $channel: regc test disagrees with build/bin/$region timeline"
                head -n 8 "$tmp/err"
            fi
        done
    done
done

# ---- bad scenario files ----
for input in tests/scenarios/bad/*.test; do
    expected="${input%.test}.expected"
    actual=$(NO_COLOR=1 "$REGC" test --rules rules/karaganda/guardianship.reg "$input" 2>&1 >/dev/null)
    rc=$?
    if [ "$rc" -ne 1 ]; then
        fail "$input: exit status $rc, expected 1"
    elif [ "$actual" != "$(cat "$expected")" ]; then
        fail "$input: diagnostics differ"
        printf '%s\n' "$actual" | diff "$expected" - | head -n 20
    else
        ok
    fi
done

# ---- --json ----
json=$("$REGC" test --json --coverage --rules rules/karaganda/guardianship.reg tests/scenarios/bad/wrong_deadline.test 2>/dev/null)
rc=$?
if [ "$rc" -eq 1 ] && printf '%s' "$json" | jq -e '.failed == 1 and .diagnostics[0].line == 4 and
        .diagnostics[0].column == 24 and (.diagnostics[0].message | test("expected step_deadline 2026-03-02T10:30, the engine says 2026-03-02T10:15"))' > /dev/null; then
    ok
else
    fail "--json on a failing scenario"
fi
json=$("$REGC" test --json --coverage rules/karaganda/guardianship.test 2>/dev/null)
if printf '%s' "$json" | jq -e '.failed == 0 and .files[0].coverage.steps.covered == .files[0].coverage.steps.total and
        .files[0].coverage["flow items"].covered == .files[0].coverage["flow items"].total' > /dev/null; then ok; else fail "--json coverage"; fi

# ---- partial coverage and the diagrams ----
sed -n '/^scenario "issue through state_corporation/,/^$/p' rules/karaganda/guardianship.test > "$tmp/one.test"
mkdir -p "$tmp/diagrams"
out=$("$REGC" test --coverage --diagrams "$tmp/diagrams" --rules rules/karaganda/guardianship.reg "$tmp/one.test" 2>&1)
if printf '%s\n' "$out" | grep -q 'guardianship.*: 1 scenario, 52.3% covered' &&
    printf '%s\n' "$out" | grep -q '^  flow items     9 of   25   36.0%$' &&
    printf '%s\n' "$out" | grep -q 'not covered: flow state_corporation check c1 fails (rules/karaganda/guardianship.reg:86)' &&
    printf '%s\n' "$out" | grep -q 'not covered: result intake_refused (an intake check that fails)' &&
    printf '%s\n' "$out" | grep -q 'not covered: branch issue.prepare on refused (rules/karaganda/guardianship.reg:63)' &&
    printf '%s\n' "$out" | grep -q 'not covered: channel portal'; then ok; else fail "partial coverage table"; printf '%s\n' "$out"; fi
dotf="$tmp/diagrams/guardianship.issue.coverage.dot"
if [ -f "$dotf" ] && [ -f "$tmp/diagrams/guardianship.issue.coverage.mmd" ]; then ok; else fail "--diagrams wrote no files"; fi
# The step taken is green; the refusal branch and result never reached are red and dashed.
if grep -q 'step_prepare \[.*color="#1a7f37"' "$dotf" && grep -q 'result_refusal \[.*color="#cf222e"' "$dotf" &&
    grep -q 'step_prepare -> step_issue_resolution \[.*style="dashed", color="#cf222e"' "$dotf" &&
    grep -q 'legend_uncovered \[label="not covered"' "$dotf"; then ok; else fail "coverage colours in the DOT diagram"; cat "$dotf"; fi
if command -v dot > /dev/null && dot -Tsvg "$dotf" -o "$tmp/d.svg" 2> "$tmp/dot.err" && [ ! -s "$tmp/dot.err" ]; then ok; else fail "dot renders the coverage diagram"; fi
if grep -q '^  class result_refusal uncovered$' "$tmp/diagrams/guardianship.issue.coverage.mmd" &&
    grep -q '^  class step_deliver covered$' "$tmp/diagrams/guardianship.issue.coverage.mmd"; then ok; else fail "coverage classes in the Mermaid diagram"; fi

# ---- usage ----
"$REGC" test --no-such-option > /dev/null 2>&1
if [ $? -eq 2 ]; then ok; else fail "an unknown option exits 2"; fi
err=$("$REGC" test rules/karaganda/no_such.test 2>&1 >/dev/null)
if [ $? -eq 1 ] && printf '%s' "$err" | grep -q 'cannot open file'; then ok; else fail "a missing scenario file"; fi
err=$("$REGC" test --rules tests/checks/no_such.reg rules/karaganda/guardianship.test 2>&1 >/dev/null)
if [ $? -eq 1 ] && printf '%s' "$err" | grep -q 'does not compile'; then ok; else fail "a rule file that does not load"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
