#!/bin/sh
# large_chain.sh BUILD - a regulation at the size limit builds and runs: the
# C back end writes a machine as tables only, with no code of its own
# (compiler/emit_c.c), so a chain of 9,998 steps compiles like any other
# machine. Chains of 1,000 and 9,998 steps are generated at run time,
# compiled with the project's warnings, linked with the runtime, and one
# case walks each to its result through the engine (tests/large_chain/walk.c).
set -u
BUILD=${1:?usage: tests/suites/large_chain.sh BUILD}
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
chain 1000 > "$tmp/rules/bench/chain1000.reg"
chain 9998 > "$tmp/rules/bench/chain9998.reg"
if ! "$REGC" gen -o "$tmp/gen" "$tmp"/rules/bench/*.reg 2> "$tmp/gen.log"; then
    fail "regc gen of the chains"
    cat "$tmp/gen.log"
    echo "$passed passed, $failed failed"
    exit 1
fi
g=$tmp/gen/bench
for m in chain1000 chain9998; do
    if grep -q '\.states = bench_'$m'_states' "$g/$m.c" && ! grep -q 'switch\|_apply' "$g/$m.c"; then
        ok "$m.c: tables only, no code of its own"
    else fail "$m.c: not tables only"; fi
done

if $CC -std=c11 -O1 -Wall -Wextra -Werror $SANFLAGS -D_POSIX_C_SOURCE=200809L -Iruntime -I"$g" \
        tests/large_chain/walk.c "$g"/*.c "$BUILD/lib/libregrt.a" -lm -o "$tmp/walk" 2> "$tmp/cc.log"; then
    ok "the chains compile with -Wall -Wextra -Werror and link with libregrt.a"
    for m in "chain1000 1000" "chain9998 9998"; do
        set -- $m
        want="$1: $2 steps, ok"
        got=$("$tmp/walk" "$1" rules/calendar/kz.cal 2>&1)
        if [ "$got" = "$want" ]; then ok "$want"; else fail "$1: expected '$want', got '$got'"; fi
    done
else
    fail "the chains do not compile"
    head -n 20 "$tmp/cc.log"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
