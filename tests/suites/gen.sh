#!/bin/sh
# gen.sh BUILD - `regc gen` refuses a regulation defined by two files, and
# removes from generated/<region>/ only the files it no longer produces; a
# second run reads and rewrites only what changed, and its output is what a
# run from nothing gives.
set -u
BUILD=${1:?}
REGC="$BUILD/bin/regc"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }

src=tests/runtime/fixture/licence.reg
mkdir -p "$tmp/a" "$tmp/b" "$tmp/c"
cp "$src" "$tmp/a/licence.reg"
cp "$src" "$tmp/b/licence.reg"
cp "$src" "$tmp/c/licence.reg"

# three files of one regulation: every later one is reported against each earlier one
"$REGC" gen -o "$tmp/out" "$tmp/a/licence.reg" "$tmp/b/licence.reg" "$tmp/c/licence.reg" 2> "$tmp/err"
rc=$?
n=$(grep -c "error: regulation \`licence\` is also defined in" "$tmp/err")
if [ "$rc" -eq 1 ] && [ "$n" -eq 3 ] && [ ! -e "$tmp/out" ] &&
    grep -q "^$tmp/c/licence.reg: error: regulation \`licence\` is also defined in $tmp/a/licence.reg$" "$tmp/err"; then
    ok
else
    bad "duplicate regulation: exit $rc, $n reports"
    cat "$tmp/err"
fi

# a stale file goes, the generated ones stay
mkdir -p "$tmp/out/fixture"
echo stale > "$tmp/out/fixture/renamed_service.json"
if "$REGC" gen -o "$tmp/out" "$src" 2> "$tmp/err" && [ ! -e "$tmp/out/fixture/renamed_service.json" ] &&
    [ -f "$tmp/out/fixture/licence.json" ] && [ -f "$tmp/out/fixture/licence.c" ] && [ -f "$tmp/out/fixture/fixture.h" ]; then
    ok
else
    bad "stale files: $(ls "$tmp/out/fixture" | tr '\n' ' ')"
    cat "$tmp/err"
fi

# ---- incremental runs, on a small corpus of bench/gen_corpus.c ----
CC=${CC:-cc}
if ! $CC -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE bench/gen_corpus.c -o "$tmp/gen_corpus" 2> "$tmp/err"; then
    bad "cannot build bench/gen_corpus.c"
    cat "$tmp/err"
fi
"$tmp/gen_corpus" --seed 3 --per-region 3 "$tmp/inc/rules" > /dev/null
set -- "$tmp"/inc/rules/*/*.reg
one=$1
region=$(basename "$(dirname "$one")")
service=$(basename "$one" .reg)
gen_inc() { "$REGC" gen -o "$tmp/inc/out" "$@" 2> "$tmp/err"; }
# written: the files under the output directory newer than the marker
written() { find "$tmp/inc/out" -type f -newer "$tmp/marker" ! -name .regc-gen-stamp | sed "s|$tmp/inc/out/||" | sort; }
mark() { touch "$tmp/marker"; sleep 0.02; }
# same_as_full NAME: the output equals a run from nothing on the same files
same_as_full() {
    rm -rf "$tmp/inc/full"
    "$REGC" gen -o "$tmp/inc/full" "$@" 2> /dev/null
    if diff -r -x .regc-gen-stamp "$tmp/inc/out" "$tmp/inc/full" > "$tmp/diff"; then ok; else
        bad "$NAME: differs from a full run"
        head -n 20 "$tmp/diff"
    fi
}

gen_inc "$@" || bad "incremental: first run failed: $(cat "$tmp/err")"
if [ -f "$tmp/inc/out/.regc-gen-stamp" ]; then ok; else bad "incremental: no stamp written"; fi

mark
gen_inc "$@" || bad "incremental: second run failed: $(cat "$tmp/err")"
if [ -z "$(written)" ]; then ok; else bad "incremental: nothing changed, yet wrote $(written | tr '\n' ' ')"; fi

# one rule file changed: only its outputs are rewritten
sed -i '0,/takes \([0-9]*\)wd/s//takes 9\1wd/' "$one"
mark
gen_inc "$@" || bad "incremental: run after a change failed: $(cat "$tmp/err")"
# the region's index page (README.md) has a row per file with its findings,
# and a longer duration can add one: it may be rewritten too, nothing else
others=$(written | grep -v "^$region/$service\." | grep -v "^$region/README\.md$")
if [ -n "$(written | grep "^$region/$service\.json$")" ] && [ -z "$others" ]; then ok; else
    bad "incremental: after changing $service, wrote: $(written | tr '\n' ' ')"
fi
NAME="one file changed" same_as_full "$@"

# the same bytes with a new time: nothing rewritten
touch "$@"
mark
gen_inc "$@"
if [ -z "$(written)" ]; then ok; else bad "incremental: touched files, yet wrote $(written | tr '\n' ' ')"; fi

# a generated file deleted comes back; a stray one goes
rm "$tmp/inc/out/$region/$service.c"
echo stray > "$tmp/inc/out/$region/gone.json"
gen_inc "$@"
if [ -f "$tmp/inc/out/$region/$service.c" ] && [ ! -e "$tmp/inc/out/$region/gone.json" ]; then ok; else
    bad "incremental: deleted output not restored or stray file kept"
fi
NAME="deleted and stray files" same_as_full "$@"

# a rule file dropped from the command line: its outputs go
shift
gen_inc "$@"
if [ ! -e "$tmp/inc/out/$region/$service.json" ]; then ok; else bad "incremental: outputs of a dropped file kept"; fi
NAME="one file dropped" same_as_full "$@"

# an error after a stamped run: nothing is written, the old files stay
set -- "$one" "$@"
printf 'regulation {\n' >> "$one"
mark
if gen_inc "$@"; then bad "incremental: a broken file was accepted"; else
    if [ -z "$(written)" ] && ! find "$tmp/inc/out" -name '*.tmp' | grep -q .; then ok; else
        bad "incremental: a failed run wrote $(written | tr '\n' ' ')"
    fi
fi

# ---- -j N: worker processes, the output and messages of one process ----
"$tmp/gen_corpus" --seed 5 --per-region 2 "$tmp/par/rules" > /dev/null
# the corpus and the seeds: many regions, and warnings to print
set -- "$tmp"/par/rules/*/*.reg rules/*/*.reg
for j in 1 2 3; do
    NO_COLOR=1 "$REGC" gen -j "$j" -o "$tmp/par/out$j" "$@" 2> "$tmp/par/err$j"
    echo $? > "$tmp/par/rc$j"
done
for j in 2 3; do
    if diff -r -x .regc-gen-stamp "$tmp/par/out1" "$tmp/par/out$j" > "$tmp/diff" &&
        cmp -s "$tmp/par/err1" "$tmp/par/err$j" && cmp -s "$tmp/par/rc1" "$tmp/par/rc$j"; then ok; else
        bad "-j $j: output, messages or exit status differ from -j 1"
        head -n 10 "$tmp/diff"
    fi
done
if grep -q 'warning' "$tmp/par/err1" && [ "$(cat "$tmp/par/rc1")" = 0 ]; then ok; else
    bad "-j: the seeds' warnings were expected, exit 0"
fi

# errors in two files, whichever workers read them: the same messages, nothing written
cp -r "$tmp/par/rules" "$tmp/par/bad"
set -- "$tmp"/par/bad/*/*.reg
sed -i 's/ takes / tekes /' "$3"
printf 'regulation {\n' >> "$7"
for j in 1 3; do
    NO_COLOR=1 "$REGC" gen -j "$j" -o "$tmp/par/badout$j" "$@" 2> "$tmp/par/baderr$j"
    echo $? > "$tmp/par/badrc$j"
done
if cmp -s "$tmp/par/baderr1" "$tmp/par/baderr3" && [ "$(cat "$tmp/par/badrc3")" = 1 ] &&
    [ ! -e "$tmp/par/badout3" ] && grep -q 'nothing generated' "$tmp/par/baderr3"; then ok; else
    bad "-j 3 with errors: exit $(cat "$tmp/par/badrc3"), messages differ or files written"
    diff "$tmp/par/baderr1" "$tmp/par/baderr3" | head -n 10
fi

# a worker killed halfway (failure injection): the old output stays as it was
set -- "$tmp"/par/rules/*/*.reg
cp -r "$tmp/par/out1" "$tmp/par/kept"
sed -i '0,/takes \([0-9]*\)wd/s//takes 9\1wd/' "$1"
REGC_GEN_WORKER_ABORT=2 "$REGC" gen -j 2 -o "$tmp/par/out1" "$@" rules/*/*.reg 2> "$tmp/err"
rc=$?
if [ "$rc" -eq 3 ] && grep -q '^regc gen: worker 2 (process [0-9]*) was killed by signal' "$tmp/err" &&
    ! find "$tmp/par/out1" -name '*.tmp' | grep -q . && diff -r "$tmp/par/kept" "$tmp/par/out1" > /dev/null; then ok; else
    bad "killed worker: exit $rc, $(head -n 2 "$tmp/err" | tr '\n' ' '); .tmp left or output changed"
fi

# -j takes a number
"$REGC" gen -j 0 -o "$tmp/par/none" "$@" 2> "$tmp/err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q -- '-j takes a number of worker processes from 1 to 1024, not `0`' "$tmp/err"; then ok; else
    bad "-j 0: exit $rc, $(cat "$tmp/err")"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
