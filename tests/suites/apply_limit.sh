#!/bin/sh
# apply_limit.sh BUILD - the C back end writes an apply switch for machines
# of up to 1,024 states and none above (compiler/emit_c.c,
# EMIT_C_APPLY_SWITCH_MAX_STATES): the engine then steps the machine on its
# tables. Chains of 1,023 steps (1,024 states with the result: a switch)
# and 1,024 steps (1,025 states: none) are generated at run time, compiled
# with the project's warnings, linked with the runtime, and one case walks
# each to its result through the engine (tests/apply_limit/walk.c).
set -u
BUILD=${1:?usage: tests/suites/apply_limit.sh BUILD}
REGC=$BUILD/bin/regc
CC=${CC:-cc}
SANFLAGS=
grep -q __asan_init "$REGC" 2> /dev/null && SANFLAGS="-fsanitize=address,undefined"
grep -q __gcov "$REGC" 2> /dev/null && SANFLAGS="$SANFLAGS --coverage"
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { echo "ok $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }

# chain N: a regulation of N steps in a row, on stdout.
chain() {
    printf 'regulation chain%d {\n  title kk "t"\n  region bench\n  result ok "ok"\n  actor a "a"\n' "$1"
    printf '  variant issue "i" result ok term 1000wd cite "c"\n'
    awk -v n="$1" 'BEGIN { for (k = 1; k <= n; k++)
        printf "  step s%d \"s\" by a takes 1m cite \"c\" -> %s\n", k, k < n ? "s" (k + 1) : "end" }'
    printf '}\n'
}
mkdir -p "$tmp/rules/bench"
chain 1023 > "$tmp/rules/bench/chain1023.reg"
chain 1024 > "$tmp/rules/bench/chain1024.reg"
if ! "$REGC" gen -o "$tmp/gen" "$tmp"/rules/bench/*.reg 2> "$tmp/gen.log"; then
    fail "regc gen of the chains"
    cat "$tmp/gen.log"
    echo "$passed passed, $failed failed"
    exit 1
fi
g=$tmp/gen/bench
if grep -q '\.apply = bench_chain1023_apply,' "$g/chain1023.c"; then
    ok "1,024 states: the generated apply switch"
else fail "1,024 states: no apply switch in chain1023.c"; fi
if grep -q '\.apply = NULL,' "$g/chain1024.c" && ! grep -q 'chain1024_apply' "$g/chain1024.c"; then
    ok "1,025 states: no apply switch, apply = NULL"
else fail "1,025 states: chain1024.c has an apply switch"; fi

if $CC -std=c11 -O1 -Wall -Wextra -Werror $SANFLAGS -D_POSIX_C_SOURCE=200809L -Iruntime -I"$g" \
        tests/apply_limit/walk.c "$g"/*.c "$BUILD/lib/libregrt.a" -lm -o "$tmp/walk" 2> "$tmp/cc.log"; then
    ok "the chains compile with -Wall -Wextra -Werror and link with libregrt.a"
    for m in "chain1023 1 1023" "chain1024 0 1024"; do
        set -- $m
        want="$1: $3 steps, ok"
        got=$("$tmp/walk" "$1" "$2" rules/calendar/kz.cal 2>&1)
        if [ "$got" = "$want" ]; then ok "$want"; else fail "$1: expected '$want', got '$got'"; fi
    done
else
    fail "the chains do not compile"
    head -n 20 "$tmp/cc.log"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
