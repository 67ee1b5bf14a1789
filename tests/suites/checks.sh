#!/bin/sh
# checks.sh BUILD - the static checks of regc (docs/checks.md).
#
# tests/checks/NAME[.CASE].fires.reg must make `regc check` print exactly its
# .expected file, exit 1 when that holds an error and 0 otherwise, and name
# the check NAME in its JSON; NAME `sema` marks errors found by name
# resolution, which have no check name. tests/checks/*.silent.reg must pass
# with nothing printed at all. Then the -W options and `regc gen`.
set -u
BUILD=${1:?}
REGC="$BUILD/bin/regc"
passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

for input in tests/checks/*.fires.reg; do
    expected="${input%.reg}.expected"
    if [ ! -f "$expected" ]; then
        fail "$input: no $expected"
        continue
    fi
    actual=$(NO_COLOR=1 "$REGC" check "$input" 2>&1 >/dev/null)
    rc=$?
    want=0
    grep -q ': error: ' "$expected" && want=1
    if [ "$rc" -ne "$want" ]; then
        fail "$input: exit status $rc, expected $want"
    elif [ "$actual" != "$(cat "$expected")" ]; then
        fail "$input: diagnostics differ"
        printf '%s\n' "$actual" | diff "$expected" - | head -n 20
    else
        ok
    fi
    name=$(basename "$input" .fires.reg)
    name=${name%%.*}
    [ "$name" = sema ] && continue
    if "$REGC" check --json "$input" 2>/dev/null | grep -q "\"check\": \"$name\""; then
        ok
    else
        fail "$input: --json does not name the check \`$name\`"
    fi
done

for input in tests/checks/*.silent.reg; do
    actual=$(NO_COLOR=1 "$REGC" check "$input" 2>&1 >/dev/null)
    rc=$?
    if [ "$rc" -ne 0 ] || [ -n "$actual" ]; then
        fail "$input: exit status $rc, expected 0 and no diagnostics"
        printf '%s\n' "$actual" | head -n 20
    else
        ok
    fi
done

# expect STATUS PATTERN DESCRIPTION ARGS...: `regc ARGS` exits with STATUS and
# its stderr matches the grep pattern PATTERN ('' for an empty stderr).
expect() {
    want=$1 pattern=$2 what=$3
    shift 3
    err=$(NO_COLOR=1 "$REGC" "$@" 2>&1 >/dev/null)
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        fail "$what: exit status $rc, expected $want"
    elif [ -z "$pattern" ] && [ -n "$err" ]; then
        fail "$what: expected no diagnostics, got:"
        printf '%s\n' "$err" | head -n 10
    elif [ -n "$pattern" ] && ! printf '%s\n' "$err" | grep -q -- "$pattern"; then
        fail "$what: stderr does not match \`$pattern\`"
        printf '%s\n' "$err" | head -n 10
    else
        ok
    fi
}

term=tests/checks/term-exceeded.fires.reg
expect 1 'error: steps of variant `duplicate` take 2 wd 5 h, its term is 2 wd \[-Werror=term-exceeded\]' \
    "-Werror turns a warning into an error" check -Werror "$term"
expect 0 'warning: steps of variant' "-Wno-error undoes -Werror" check -Werror -Wno-error "$term"
expect 0 '' "-Wno-term-exceeded silences it" check -Wno-term-exceeded "$term"
expect 0 '' "-Wno-term-exceeded with -Werror leaves nothing to fail" check -Werror -Wno-term-exceeded "$term"
expect 0 '\[-Wterm-exceeded\]' "-Wterm-exceeded after -Wno-term-exceeded wins" \
    check -Wno-term-exceeded -Wterm-exceeded "$term"
expect 0 '' "-Wno-missing-term silences missing-term" check -Wno-missing-term tests/checks/missing-term.fires.reg
expect 0 '\[-Wmissing-term\]' "-Wmissing-term after -Wno-missing-term wins" check -Wno-missing-term -Wmissing-term tests/checks/missing-term.fires.reg
expect 1 'error: step `archive` cannot be reached' "-Wno-NAME leaves errors alone" \
    check -Wno-unused-result tests/checks/unreachable-step.fires.reg
expect 2 'unknown warning option `-Wterm-exceded`; did you mean `-Wterm-exceeded`' \
    "an unknown -W name is a usage error" check -Wterm-exceded "$term"
expect 2 '^warnings: term-exceeded missing-term missing-cite' "a usage error lists the names" check -Wbogus "$term"
expect 2 '`no-exit` is an error' "an error cannot be turned off" check -Wno-no-exit "$term"
expect 2 'unknown warning option' "regc gen takes the same names" gen -o /nonexistent -Wbogus "$term"

json=$("$REGC" check --json tests/checks/unreachable-step.fires.reg 2>/dev/null)
if printf '%s\n' "$json" | grep -q '"severity": "error", "flag": null, "check": "unreachable-step"'; then
    ok
else
    fail "--json: an error carries its check name"
fi
json=$("$REGC" check --json -Werror "$term" 2>/dev/null)
if printf '%s\n' "$json" | grep -q '"severity": "error", "flag": "term-exceeded", "check": "term-exceeded"'; then
    ok
else
    fail "--json -Werror: a promoted warning keeps its name"
fi

# --terms: the per-channel figures behind term-exceeded, one line per variant and channel.
terms=$("$REGC" check --terms tests/checks/term-exceeded.only.fires.reg 2>/dev/null)
want='term_exceeded issue portal: 1 wd 1 h of 1 wd, exceeded: register 1h -> review 6h -> deliver_courier skipped -> send_notice 2h -> end
term_exceeded issue state_corporation: 7 h 30 m of 1 wd, within: register 1h -> review 6h -> deliver_courier 30m -> send_notice skipped -> end'
if [ "$terms" = "$want" ]; then ok; else fail "--terms: got '$terms'"; fi
terms=$("$REGC" check --terms tests/checks/term-exceeded.anchor.fires.reg 2>/dev/null | sed -n 2p)
if [ "$terms" = "term_exceeded issue state_corporation: 7 h of 1 wd from step review, within: review 6h -> send_notice 1h -> end" ]; then
    ok
else
    fail "--terms from a step: no intake, no steps before it: got '$terms'"
fi
nochannel=$(mktemp)
sed '/channel portal/d; /flow portal/,/^  }/d' "$term" > "$nochannel"
terms=$("$REGC" check --terms "$nochannel" 2>/dev/null)
rm -f "$nochannel"
if [ "$terms" = "term_exceeded duplicate -: 2 wd 5 h of 2 wd, exceeded: register 1h -> head_review 3h -> department_review 2h -> prepare 1wd -> sign 3h -> deliver 4h -> end" ]; then
    ok
else
    fail "--terms without channels: one way: got '$terms'"
fi
# --terms --json: the same figures as objects, with the diagnostics, in one JSON object.
tj=$("$REGC" check --terms --json tests/checks/term-exceeded.only.fires.reg 2>/dev/null)
if printf '%s' "$tj" | jq -e '(.terms | length) == 2 and .terms[0].channel == "portal" and .terms[0].exceeded == true and
        .terms[0].minutes == 540 and .terms[0].term_minutes == 480 and .terms[1].exceeded == false and
        (.terms[1].way | startswith("register 1h")) and (.diagnostics | map(.check) | index("term-exceeded")) != null' > /dev/null; then
    ok
else
    fail "--terms --json: got '$tj'"
fi

# regc gen: warnings are printed and do not stop it; errors and -Werror do.
out=$(mktemp -d)
expect 0 '\[-Wterm-exceeded\]' "gen prints warnings and succeeds" gen -o "$out" "$term"
if [ -f "$out/test/term_exceeded.json" ]; then ok; else fail "gen wrote nothing with a warning"; fi
rm -rf "$out"
out=$(mktemp -d)
expect 1 'nothing generated' "gen -Werror fails on a warning" gen -Werror -o "$out" "$term"
expect 1 'nothing generated' "gen fails on a check error" gen -o "$out" tests/checks/no-exit.fires.reg
if [ -z "$(ls "$out")" ]; then ok; else fail "gen wrote files despite errors"; fi
rm -rf "$out"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
