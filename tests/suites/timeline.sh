#!/bin/sh
# timeline.sh BUILD - end-to-end timelines of the seed regulations against
# dates computed by hand (docs/timelines.md shows the working of each case).
#
# Run from the repository root. Every case in tests/timeline/ is a NAME.args
# file; NAME starts with the region (NAME = <region>.<service>.<...>), and the
# region binary is BUILD/bin/<region>. In NAME.args:
#   line 1  the arguments of the binary, e.g.
#           timeline small_vessel_certificate --variant issue --submitted 2026-12-11T10:00 --json
#   line 2  optional: `exit N`, the expected exit status (0 when absent)
# NAME.json is the expected standard output and NAME.stderr the expected
# standard error, byte for byte; a missing file means that stream must be
# empty. The binary always reads rules/calendar/kz.cal (--calendar), so the
# hand-computed dates do not depend on REG_CALENDAR.
set -u
BUILD=${1:?usage: tests/suites/timeline.sh BUILD}
CASES=${TIMELINE_CASES:-tests/timeline}
CALENDAR=rules/calendar/kz.cal
passed=0
failed=0

fail() {
    echo "FAIL $1"
    failed=$((failed + 1))
}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/timeline.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM

# An expected output without its arguments is a broken case, not a skipped one.
for f in "$CASES"/*.json "$CASES"/*.stderr; do
    [ -e "$f" ] || continue
    base=${f%.*}
    [ -f "$base.args" ] || fail "$f: no $base.args"
done

ncases=0
for args in "$CASES"/*.args; do
    [ -e "$args" ] || continue
    ncases=$((ncases + 1))
    base=${args%.args}
    name=$(basename "$base")
    region=${name%%.*}
    bin="$BUILD/bin/$region"
    if [ ! -x "$bin" ]; then
        fail "$name: no region binary $bin"
        continue
    fi
    line=$(sed -n 1p "$args")
    if [ -z "$line" ]; then
        fail "$name: empty first line in $args"
        continue
    fi
    want_rc=0
    second=$(sed -n 2p "$args")
    case "$second" in
        "") ;;
        "exit "[0-9]*) want_rc=${second#exit } ;;
        *)
            fail "$name: second line of $args must be \`exit N\`, not \`$second\`"
            continue
            ;;
    esac
    if [ ! -f "$base.json" ] && [ "$want_rc" -eq 0 ]; then
        fail "$name: a successful case needs $base.json"
        continue
    fi
    # The arguments are split into words at blanks, with no globbing.
    set -f
    # shellcheck disable=SC2086
    "$bin" --calendar "$CALENDAR" $line >"$TMP/out" 2>"$TMP/err"
    rc=$?
    set +f
    ok=1
    if [ "$rc" -ne "$want_rc" ]; then
        fail "$name: exit status $rc, expected $want_rc ($bin $line)"
        sed 's/^/  stderr: /' "$TMP/err" | head -n 5
        continue
    fi
    if [ -f "$base.json" ]; then
        exp_out="$base.json"
    else
        exp_out=/dev/null
    fi
    if [ -f "$base.stderr" ]; then
        exp_err="$base.stderr"
    else
        exp_err=/dev/null
    fi
    if ! cmp -s "$exp_out" "$TMP/out"; then
        fail "$name: standard output differs ($bin $line)"
        # one JSON field a line, so the diff points at the step that differs
        tr ',' '\n' <"$exp_out" >"$TMP/exp.split"
        tr ',' '\n' <"$TMP/out" >"$TMP/out.split"
        diff -u "$TMP/exp.split" "$TMP/out.split" | sed '1,2d' | head -n 30
        ok=0
    fi
    if ! cmp -s "$exp_err" "$TMP/err"; then
        if [ "$ok" -eq 1 ]; then
            fail "$name: standard error differs ($bin $line)"
        else
            echo "  and standard error differs"
        fi
        diff -u "$exp_err" "$TMP/err" | sed '1,2d' | head -n 20
        ok=0
    fi
    [ "$ok" -eq 1 ] && passed=$((passed + 1))
done
[ "$ncases" -gt 0 ] || fail "no cases in $CASES"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
