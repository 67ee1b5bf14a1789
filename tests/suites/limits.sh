#!/bin/sh
# limits.sh BUILD - inputs at and past the compiler's limits.
#
# Each case is generated at run time into a temporary directory (nothing big
# is kept in the repository) and must either work or fail with a clear
# message, within MAX_SECONDS and MAX_MIB of peak resident memory, measured
# by /usr/bin/time when it is installed. A hard cap protects the machine
# while a case misbehaves: `ulimit -v` for plain builds, the sanitizer's
# hard_rss_limit_mb for ASan builds (which reserve terabytes of address
# space and cannot run under ulimit -v), and a kill after KILL_SECONDS.
#
# The rule language has no nesting beyond `regulation { variant { step } }`
# and `flow { }`: lists are left-recursive in the grammar and no pass of the
# compiler recurses over the input, so "deep nesting" is tested as 100,000
# unclosed braces and block openers, which must be rejected in bounded time.
set -u
BUILD=${1:?usage: tests/suites/limits.sh BUILD}
REGC=$BUILD/bin/regc
REGC_LIB=$BUILD/lib
# The flags the region binaries of BUILD were linked with (sanitizers).
SANFLAGS=
grep -q __asan_init "$REGC" 2> /dev/null && SANFLAGS="-fsanitize=address,undefined"
grep -q __gcov "$REGC" 2> /dev/null && SANFLAGS="$SANFLAGS --coverage"
CC=${CC:-cc}
MAX_SECONDS=${LIMITS_MAX_SECONDS:-60}
MAX_MIB=${LIMITS_MAX_MIB:-1024}
KILL_SECONDS=$((MAX_SECONDS + 15))
HARD_MIB=2048
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

asan=0
grep -q __asan_init "$REGC" 2> /dev/null && asan=1
have_time=0
[ -x /usr/bin/time ] && have_time=1

fail() {
    echo "FAIL $*"
    failed=$((failed + 1))
}

# run NAME STATUS MESSAGE COMMAND...: runs COMMAND under the caps and checks
# its exit status, that MESSAGE (if not empty) is in its output, and the time and memory bounds. Leaves the exit
# status in $rc.
run() {
    name=$1 want=$2 message=$3
    shift 3
    start=$(date +%s)
    (
        [ "$asan" -eq 0 ] && ulimit -v $((HARD_MIB * 1024))
        ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}hard_rss_limit_mb=$HARD_MIB"
        export ASAN_OPTIONS
        if [ "$have_time" -eq 1 ]; then
            exec /usr/bin/time -f '%e %M' -o "$tmp/time" timeout -s KILL "$KILL_SECONDS" "$@"
        else
            exec timeout -s KILL "$KILL_SECONDS" "$@"
        fi
    ) > "$tmp/out" 2> "$tmp/err"
    rc=$?
    secs=$(($(date +%s) - start))
    kib=
    if [ "$have_time" -eq 1 ] && [ -f "$tmp/time" ]; then
        kib=$(tail -n 1 "$tmp/time" | cut -d' ' -f2)
        secs=$(tail -n 1 "$tmp/time" | cut -d' ' -f1 | cut -d. -f1)
        rm -f "$tmp/time"
    fi
    why=
    if [ "$rc" -eq 137 ] || [ "$rc" -eq 124 ]; then
        why="killed after ${KILL_SECONDS}s;"
    elif [ "$rc" -ne "$want" ]; then
        why="exit status $rc, expected $want;"
    fi
    if [ -n "$message" ] && ! grep -qF -- "$message" "$tmp/out" "$tmp/err"; then
        why="$why no \"$message\" in the output;"
    fi
    if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' "$tmp/err"; then
        why="$why sanitizer report;"
    fi
    [ "$secs" -gt "$MAX_SECONDS" ] && why="$why took ${secs}s (limit ${MAX_SECONDS}s);"
    if [ -n "$kib" ] && [ "$kib" -gt $((MAX_MIB * 1024)) ]; then
        why="$why peak RSS $((kib / 1024)) MiB (limit $MAX_MIB MiB);"
    fi
    if [ -n "$why" ]; then
        fail "$name: $why"
        head -c 600 "$tmp/err" | head -n 6 | sed 's/^/    /'
    else
        passed=$((passed + 1))
        echo "ok $name (${secs}s${kib:+, $((kib / 1024)) MiB})"
    fi
}

# A small valid regulation without warnings; its steps come from $1 (a file).
regulation() {
    printf 'regulation %s {\n  title kk "t"\n  region limits\n  result ok "ok"\n' "$1"
    printf '  actor a "a"\n  variant issue "i" result ok term 1000wd cite "c"\n'
}
one_step='  step s "s" by a takes 1m cite "c" -> end\n'

# ---- a 100 MB rule file: a valid regulation padded with comments ----
{
    regulation padded
    printf "$one_step"
    yes '  // padding padding padding padding padding padding padding padding padding padding' |
        head -n 1250000
    printf '}\n'
} > "$tmp/padded.reg"
run "100 MB of comments: check" 0 "" "$REGC" check "$tmp/padded.reg"
run "100 MB of comments: gen" 0 "" "$REGC" gen -o "$tmp/padded" "$tmp/padded.reg"
rm -rf "$tmp/padded.reg" "$tmp/padded"

# ---- past the file size limit (a sparse file: no disk is used) ----
truncate -s 300M "$tmp/huge.reg"
run "300 MB file" 1 "file is larger than 256 MiB" "$REGC" check "$tmp/huge.reg"
rm -f "$tmp/huge.reg"

# ---- one string at 1 MiB and one byte over ----
# The Russian title: the Kazakh one is drawn in every diagram's title, where
# Graphviz reads at most 16381 bytes (the case after these).
big_title() {
    [ "${2:-ru}" = ru ] && printf 'regulation big {\n  title kk "k"\n  title ru "' ||
        printf 'regulation big {\n  title kk "'
    head -c "$1" /dev/zero | tr '\0' 'a'
    printf '"\n  region limits\n  result ok "ok"\n  actor a "a"\n'
    printf '  variant issue "i" result ok term 1wd cite "c"\n'
    printf "$one_step}\n"
}
big_title 1048576 > "$tmp/at.reg"
big_title 1048577 > "$tmp/over.reg"
run "string of 1,048,576 bytes: gen" 0 "" "$REGC" gen -o "$tmp/at" "$tmp/at.reg"
# The generated C keeps the whole string; ISO C only promises 4095 bytes per
# literal, so this compiles with the project's flags, without -pedantic.
if $CC -std=c11 -Wall -Wextra -Werror -Iruntime -I"$tmp/at/limits" -c "$tmp/at/limits/big.c" \
        -o "$tmp/big.o" 2> "$tmp/cc.log"; then
    passed=$((passed + 1))
else
    fail "string of 1,048,576 bytes: the generated C does not compile"
    head -n 4 "$tmp/cc.log"
fi
if $CC -std=c11 -Wall -Wextra -Werror -Itests/hostile tests/hostile/check_json.c -lcjson \
        -o "$tmp/check_json" 2> "$tmp/cc.log" &&
        "$tmp/check_json" "$tmp/at.reg" "$tmp/at/limits/big.json" > "$tmp/json.log" 2>&1; then
    passed=$((passed + 1))
else
    fail "string of 1,048,576 bytes: not whole in the JSON model"
    head -c 300 "$tmp/json.log" "$tmp/cc.log"
fi
run "string of 1,048,577 bytes" 1 "string of 1048577 bytes is too long" "$REGC" check "$tmp/over.reg"
big_title 1048576 kk > "$tmp/kk.reg"
run "Kazakh title of 1,048,576 bytes" 1 "more than Graphviz reads" "$REGC" check "$tmp/kk.reg"
rm -f "$tmp/kk.reg"
rm -rf "$tmp/at" "$tmp/at.reg" "$tmp/over.reg" "$tmp/big.o"

# ---- a chain of 100,000 steps ----
{
    regulation chain
    awk 'BEGIN { n = 100000
        for (i = 1; i <= n; i++)
            printf "  step s%d \"s\" by a takes 1m cite \"c\" -> %s\n", i, i < n ? "s" (i + 1) : "end" }'
    printf '}\n'
} > "$tmp/chain.reg"
# regc refuses a regulation above its size limit (10,000 states) with a
# message, at once; the front end reads all 100,000 steps to say so.
run "100,000 steps: check" 1 "is too large: 100001 states" "$REGC" check "$tmp/chain.reg"
run "100,000 steps: fmt" 0 "" "$REGC" fmt "$tmp/chain.reg"
# gen refuses it too (the runtime numbers states in 16 bits), and writes
# nothing.
nothing_written() {
    if [ -e "$1" ]; then fail "$2: regc gen refused but wrote $1"; else passed=$((passed + 1)); fi
}
run "100,000 steps: gen" 1 "is too large: 100001 states" "$REGC" gen -o "$tmp/chain" "$tmp/chain.reg"
nothing_written "$tmp/chain" "100,000 steps"
rm -rf "$tmp/chain" "$tmp/chain.reg"

# ---- 300 variants: more than the runtime's 8-bit variant numbers ----
{
    printf 'regulation variants {\n  title kk "t"\n  region limits\n  result ok "ok"\n  actor a "a"\n'
    awk 'BEGIN { for (i = 1; i <= 300; i++) printf "  variant v%d \"v\" result ok term 1wd cite \"c\"\n", i }'
    printf "$one_step}\n"
} > "$tmp/variants.reg"
run "300 variants: gen" 1 "is too large: 301 states, 300 variants" "$REGC" gen -o "$tmp/variants" "$tmp/variants.reg"
nothing_written "$tmp/variants" "300 variants"
rm -rf "$tmp/variants" "$tmp/variants.reg"

# ---- a million repeated clauses where the state limit does not reach ----
# Titles, branches of one step and duration overrides of one step are
# lists too; each must be checked in bounded time (or refused), not by
# comparing every element with every other.
{
    regulation titles
    awk 'BEGIN { for (i = 1; i <= 1000000; i++) printf "  title t%d \"x\"\n", i }'
    printf "$one_step}\n"
} > "$tmp/many.reg"
run "1,000,000 titles" 1 "is too large" "$REGC" check "$tmp/many.reg"
{
    regulation branches
    printf '  step s "s" by a takes 1m cite "c"\n'
    awk 'BEGIN { for (i = 1; i <= 1000000; i++) printf "    on o%d \"x\" -> end\n", i }'
    printf '    -> end\n}\n'
} > "$tmp/many.reg"
run "1,000,000 branches of one step" 1 "is too large" "$REGC" check "$tmp/many.reg"
{
    regulation overrides
    printf '  step s "s" by a takes 1m ['
    awk 'BEGIN { for (i = 1; i <= 1000000; i++) printf "%sk%d 1m", (i > 1 ? ", " : ""), i }'
    printf '] cite "c" -> end\n}\n'
} > "$tmp/many.reg"
run "1,000,000 overrides of one step" 1 "is too large" "$REGC" check "$tmp/many.reg"
# 70,000 outcomes: more than the runtime's 16-bit outcome numbers.
{
    regulation outcomes
    printf '  step s "s" by a takes 1m cite "c"\n'
    awk 'BEGIN { for (i = 1; i <= 70000; i++) printf "    on o%d \"x\" -> end\n", i }'
    printf '    -> end\n}\n'
} > "$tmp/many.reg"
# (Each `on` is one declaration: the 10,000 limit on them refuses it.)
run "70,000 outcomes: gen" 1 "is too large: 2 states, 1 variants, 0 channels, 0 flow items (0 in its longest flow), 70003 other declarations" \
    "$REGC" gen -o "$tmp/outcomes" "$tmp/many.reg"
nothing_written "$tmp/outcomes" "70,000 outcomes"
rm -rf "$tmp/many.reg" "$tmp/outcomes"

# ---- nesting: 100,000 unclosed braces and block openers ----
{ printf 'regulation n {\n'; yes '{' | head -n 100000; } > "$tmp/braces.reg"
run "100,000 open braces" 1 "unexpected \`{\`" "$REGC" check "$tmp/braces.reg"
{ printf 'regulation n {\n'; yes 'variant v "x" result r {' | head -n 100000; } > "$tmp/blocks.reg"
run "100,000 variant blocks opened" 1 "error" "$REGC" check "$tmp/blocks.reg"
rm -f "$tmp/braces.reg" "$tmp/blocks.reg"

# ---- a duration that overflows 64 bits ----
{
    printf 'regulation d {\n  title kk "t"\n  region limits\n  result ok "ok"\n  actor a "a"\n'
    printf '  variant issue "i" result ok term 99999999999999999999999wd cite "c"\n'
    printf "$one_step}\n"
} > "$tmp/duration.reg"
run "duration 99999999999999999999999wd" 1 "duration \`99999999999999999999999wd\` is too large" \
    "$REGC" check "$tmp/duration.reg"

# ---- a file of only NUL bytes (1 MiB) ----
head -c 1048576 /dev/zero > "$tmp/nul.reg"
run "1 MiB of NUL bytes" 1 "NUL byte in the file" "$REGC" check "$tmp/nul.reg"
rm -f "$tmp/nul.reg"

# ---- 10 MB lines ----
# A valid regulation whose last line carries a 10 MB comment.
{
    regulation longline
    printf "$one_step} // "
    head -c 10485760 /dev/zero | tr '\0' 'x'
    printf '\n'
} > "$tmp/line.reg"
run "10 MB comment line" 0 "" "$REGC" check "$tmp/line.reg"
# A 10 MB string: refused once, with the line quoted once.
{
    regulation longstring
    printf '  step s "'
    head -c 10485760 /dev/zero | tr '\0' 'x'
    printf '" by a takes 1m cite "c" -> end\n}\n'
} > "$tmp/line.reg"
run "10 MB string" 1 "string of 10485760 bytes is too long" "$REGC" check "$tmp/line.reg"
# A 10 MB line of stray characters: one error each would quote the line
# millions of times; it must stay within the bounds.
{ regulation junk; head -c 10485760 /dev/zero | tr '\0' ';'; printf '\n}\n'; } > "$tmp/line.reg"
run "10 MB line of ';'" 1 "unexpected character \`;\`" "$REGC" check "$tmp/line.reg"
rm -f "$tmp/line.reg"

# ---- names at the limit work in every stage ----
# Every name 63 bytes (rule_limits.h): regc gen, the C compiler, Graphviz
# and the case store of a region binary must all take them, the state
# `variant.step` (127 bytes) included.
n63() { printf "%s" "$1"; head -c $((63 - ${#1})) /dev/zero | tr '\0' 'n'; }
R=$(n63 r) S=$(n63 s) V=$(n63 v) P=$(n63 p) O=$(n63 o) A=$(n63 a) C=$(n63 c)
{
    printf 'regulation %s {\n  title kk "k"\n  region %s\n  result %s "ok"\n  result no "no" negative\n' "$S" "$R" "$O"
    printf '  actor %s "a"\n  channel %s "c"\n  variant %s "v" result %s term 1wd cite "c"\n' "$A" "$C" "$V" "$O"
    printf '  step %s "s" by %s takes 1h [%s 2h] cite "c" -> end\n' "$P" "$A" "$C"
    printf '  flow %s "f" { process x "x" -> end }\n}\n' "$C"
} > "$tmp/names.reg"
run "names of 63 bytes: gen" 0 "" "$REGC" gen -o "$tmp/names" "$tmp/names.reg"
ok=1
for f in "$tmp/names/$R"/*.dot; do
    dot -Tsvg "$f" -o "$tmp/names.svg" 2> "$tmp/dot.log" && [ ! -s "$tmp/dot.log" ] || { ok=0; cat "$tmp/dot.log"; }
done
[ "$ok" -eq 1 ] && passed=$((passed + 1)) || fail "names of 63 bytes: Graphviz refuses a diagram"
if $CC -std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -Iruntime -I"$tmp/names/$R" -DREGION="$R" \
        runtime/region_main.c "$tmp/names/$R"/*.c "$REGC_LIB/libregapp.a" "$REGC_LIB/libregrt.a" \
        -lcjson -lsqlite3 -lpq $SANFLAGS -o "$tmp/names.bin" 2> "$tmp/cc.log"; then
    printf '{"event_id":"e1","case":"c1","type":"submit","service":"%s","variant":"%s","channel":"%s","at":"2026-12-10T10:00"}\n' \
        "$S" "$V" "$C" > "$tmp/names.jsonl"
    if REG_CALENDAR=rules/calendar/kz.cal "$tmp/names.bin" run --store "$tmp/names.db" < "$tmp/names.jsonl" > "$tmp/run.log" 2>&1 &&
            "$tmp/names.bin" status c1 --store "$tmp/names.db" > "$tmp/status.log" 2>&1 &&
            grep -qF "$V.$P" "$tmp/status.log"; then
        passed=$((passed + 1))
    else
        fail "names of 63 bytes: the case store does not keep the case"
        head -c 600 "$tmp/run.log" "$tmp/status.log"
    fi
else
    fail "names of 63 bytes: the region binary does not build"
    head -n 5 "$tmp/cc.log"
fi
rm -rf "$tmp/names" "$tmp/names.reg" "$tmp/names.bin" "$tmp/names.db"*

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
