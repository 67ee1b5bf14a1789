#!/bin/sh
# shellcheck disable=SC2086 # $CFLAGS is a list of flags, split on purpose
# run.sh - `make bench`: regc, the generated machines and the runtime against
# their peers and targets. Writes the tables that docs/performance.md shows
# (Markdown) to BUILD/bench/results.md and prints them at the end; progress
# goes to stderr as it runs. `make bench` is the quick run (3,000 rule
# files, 200,000 stored cases: a few minutes on 2 cores); `make
# bench-national` the national one (15,000 files, a million stored cases),
# which the targets of 15,000 files and a million cases are judged on.
#
#   sh bench/run.sh [BUILD]      BUILD: the build directory (default: build),
#                                with regc, libregrt.a and libregapp.a built
#
# Environment (the quick run's defaults; make bench-national sets the first and last):
#   BENCH_PER_REGION  regulations per region in the corpus (150: 3,000 files; national 750)
#   BENCH_CASES       cases in the transition script (1000000)
#   BENCH_QUERIES     deadline queries (1000000)
#   BENCH_STORE_CASES cases stored for the `overdue` figure (200000; national 1000000)
#
# Scratch files go to a fresh directory in /dev/shm (tmpfs) when there is one,
# so that the figures are of the programs and not of this machine's disk;
# the case stores (bench/store.sh) are on the disk, since they must be durable.
set -eu

BUILD=${1:-build}
cd "$(dirname "$0")/.."
PER_REGION=${BENCH_PER_REGION:-150}
CASES=${BENCH_CASES:-1000000}
QUERIES=${BENCH_QUERIES:-1000000}
STORE_CASES=${BENCH_STORE_CASES:-200000}
REGIONS_N=20
CAL=rules/calendar/kz.cal
REGC=$BUILD/bin/regc
BB=$BUILD/bench
CFLAGS="-std=c11 -O2 -g -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE"

say() { echo "bench: $*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }

for tool in /usr/bin/time cc make; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (run: make deps)"
done
# Node.js runs only the XState peer, so it is not among make deps' packages.
for tool in node npm; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is missing: apt-get install nodejs npm"
done
for f in "$REGC" "$BUILD/lib/libregrt.a" "$BUILD/lib/libregapp.a"; do
    [ -e "$f" ] || die "$f is missing: run make first"
done

if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    W=$(mktemp -d /dev/shm/regc-bench.XXXXXX)
    SCRATCH="tmpfs (/dev/shm)"
else
    W=$(mktemp -d)
    SCRATCH="$(dirname "$W") (no tmpfs)"
fi
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$BB"
# The tables go to BUILD/bench/results.md and are printed at the end.
exec 3>&1 >"$BB/results.md"

# timeit CMD...: runs CMD under /usr/bin/time; sets T_WALL, T_USER, T_SYS,
# T_CPU (user + sys; s) and T_RSS (peak resident set of the largest process, MiB). Output of CMD
# goes to $W/out.txt and $W/err.txt.
timeit() {
    if ! /usr/bin/time -f '%e %U %S %M' -o "$W/time.txt" "$@" >"$W/out.txt" 2>"$W/err.txt"; then
        echo "bench: failed: $1 ..." >&2
        tail -20 "$W/err.txt" >&2
        exit 1
    fi
    read -r T_WALL T_USER T_SYS T_RSS <"$W/time.txt"
    T_CPU=$(awk "BEGIN { printf \"%.2f\", $T_USER + $T_SYS }")
    T_RSS=$(awk "BEGIN { printf \"%.0f\", $T_RSS / 1024 }")
}

# per_file SECONDS FILES: microseconds per file.
per_file() { awk "BEGIN { printf \"%.0f\", $1 * 1e6 / $2 }"; }
# num N: 15000 -> 15,000
num() { echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|[,.]\)/\1,\2\3/' -e 'ta'; }
# kv KEY FILE [FILTER]: the value of KEY= on the line of FILE matching FILTER.
kv() { awk -v k="$1" -v f="${3:-}" 'index($0, f) { for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) { print substr($i, length(k) + 2); exit } }' "$2"; }
# yes_no CONDITION: whether an awk condition holds, as a target's verdict.
yes_no() { awk "BEGIN { print (($1) ? \"reached\" : \"**not reached**\") }"; }
# A target stated for the national corpus is judged only on it.
national() {
    if [ "$PER_REGION" -ge 750 ]; then yes_no "$1"; else echo "judged on 15,000 files: make bench-national"; fi
}
# Rates with thousands separators, in millions when large.
rate() { awk "BEGIN { v = $1; if (v >= 1e6) printf \"%.1f M\", v / 1e6; else if (v >= 1e3) printf \"%.1f k\", v / 1e3; else printf \"%.0f\", v }"; }

# ---- the harnesses, with the project's flags ----
say "building the harnesses"
cc $CFLAGS bench/gen_corpus.c -o "$BB/gen_corpus"
cc $CFLAGS -Iruntime -Igenerated/zhambyl -c generated/zhambyl/grain_warehouse_licence.c -o "$BB/grain_warehouse_licence.o"
cc $CFLAGS -c bench/handwritten_grain.c -o "$BB/handwritten_grain.o"
cc $CFLAGS -Iruntime -Igenerated/zhambyl -Ibench -c bench/transitions.c -o "$BB/transitions.o"
cc "$BB/transitions.o" "$BB/grain_warehouse_licence.o" "$BB/handwritten_grain.o" "$BUILD/lib/libregrt.a" -o "$BB/transitions"
cc $CFLAGS -Iruntime bench/deadlines.c "$BUILD/lib/libregrt.a" -o "$BB/deadlines"

# The libraries a region binary links with, as the Makefile says.
RT_LIBS=$(printf 'bench-print-rt-libs:\n\t@echo $(RT_LIBS)\n' >"$W/print.mk" &&
    make -s --no-print-directory -f Makefile -f "$W/print.mk" bench-print-rt-libs 2>/dev/null) ||
    RT_LIBS="-lcjson -lsqlite3 -lpq"

START=$(date +%s)
FILES=$((REGIONS_N * PER_REGION))
HALF=$((FILES / 2))

# ---- header ----
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
ncpu=$(nproc)
mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
echo "The run (printed by make bench):"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- command: \`sh bench/run.sh $BUILD\` (what \`make bench\` runs after \`make all\`)"
echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- 2>/dev/null || echo ' (with uncommitted changes)')"
echo "- machine: $cpu, $ncpu CPUs, $mem RAM ($(uname -sr)); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- compiler: $(cc --version | head -1); flags $CFLAGS"
echo "- node $(node --version), xstate $(sed -n 's/.*"xstate": *"\([^"]*\)".*/\1/p' bench/package.json)"
echo "- scratch files: $SCRATCH"
echo

# ---- compile: corpus, regc check and gen, build ----
say "writing the corpus: $REGIONS_N regions x $PER_REGION regulations"
"$BB/gen_corpus" --seed 1 --per-region "$PER_REGION" "$W/corpus/rules" >/dev/null
ls "$W"/corpus/rules/*/*.reg >"$W/files.txt"
[ "$(wc -l <"$W/files.txt")" -eq "$FILES" ] || die "the corpus has $(wc -l <"$W/files.txt") files, not $FILES"
corpus_mb=$(du -sm "$W/corpus" | cut -f1)
REGION_LIST=$(ls "$W/corpus/rules" | tr '\n' ' ')

echo "### regc on the national corpus"
echo
echo "bench/gen_corpus.c, seed 1: $REGIONS_N regions x $(num "$PER_REGION") = $(num "$FILES") rule files, $corpus_mb MB."
echo "xargs -P2 runs two regc check processes of $(num "$HALF") files each (10 regions each); regc gen runs"
echo "one process (-j 1) and then a worker per processor (-j $(nproc), its default here)."
echo
echo "| step | files | wall s | user s | sys s | peak RSS MiB | wall µs/file |"
echo "|---|---:|---:|---:|---:|---:|---:|"

say "regc check, one process"
# shellcheck disable=SC2046
timeit "$REGC" check $(cat "$W/files.txt")
# Diagnostics of the corpus stop the run; regc check also reports on the
# shipped calendar (near the end of its confirmed years it warns), which
# says nothing about the corpus.
grep -q "^$W/corpus/" "$W/err.txt" && die "the corpus does not check cleanly: $(grep "^$W/corpus/" "$W/err.txt" | head -1)"
CHECK15_WALL=$T_WALL
CHECK15_CPU=$T_CPU
echo "| regc check, 1 process | $(num "$FILES") | $T_WALL | $T_USER | $T_SYS | $T_RSS | $(per_file "$T_WALL" "$FILES") |"

say "regc check, xargs -P2"
timeit xargs -a "$W/files.txt" -n "$HALF" -s 2000000 -P 2 "$REGC" check
CHECK_P2_WALL=$T_WALL
echo "| regc check, xargs -P2 | $(num "$FILES") | $T_WALL | $T_USER | $T_SYS | $T_RSS | $(per_file "$T_WALL" "$FILES") |"

say "regc gen, one process (-j 1)"
# shellcheck disable=SC2046
timeit "$REGC" gen -j 1 -o "$W/gen" $(cat "$W/files.txt")
GEN15_WALL=$T_WALL
GEN15_CPU=$T_CPU
GEN15_RSS=$T_RSS
gen_mb=$(du -sm "$W/gen" | cut -f1)
gen_files=$(find "$W/gen" -type f | wc -l)
echo "| regc gen -j 1, 1 process | $(num "$FILES") | $T_WALL | $T_USER | $T_SYS | $T_RSS | $(per_file "$T_WALL" "$FILES") |"

say "regc gen, a worker per processor (the default -j: $(nproc))"
# shellcheck disable=SC2046
timeit "$REGC" gen -o "$W/genj" $(cat "$W/files.txt")
GEN_J_WALL=$T_WALL
GEN_J_RSS=$T_RSS
diff -r -x .regc-gen-stamp "$W/gen" "$W/genj" >/dev/null || die "regc gen -j 1 and -j $(nproc) wrote different files"
rm -rf "$W/genj"
echo "| regc gen, -j $(nproc) (the default here), the same files as -j 1 | $(num "$FILES") | $T_WALL | $T_USER | $T_SYS | $T_RSS | $(per_file "$T_WALL" "$FILES") |"

# Incremental runs into the same directory: its stamp (.regc-gen-stamp)
# lets regc skip the rule files that did not change.
say "regc gen again, nothing changed"
# shellcheck disable=SC2046
timeit "$REGC" gen -o "$W/gen" $(cat "$W/files.txt")
GEN_NOOP_WALL=$T_WALL
echo "| regc gen again, nothing changed | $(num "$FILES") | $T_WALL | $T_USER | $T_SYS | $T_RSS | $(per_file "$T_WALL" "$FILES") |"
say "regc gen after one changed file"
one=$(head -n 1 "$W/files.txt")
cp -p "$one" "$W/one.reg"
sed -i '0,/takes \([0-9]*\)wd/s//takes 9\1wd/' "$one"
touch "$W/marker"
sleep 0.02
# shellcheck disable=SC2046
timeit "$REGC" gen -o "$W/gen" $(cat "$W/files.txt")
GEN_ONE_WALL=$T_WALL
GEN_ONE_FILES=$(find "$W/gen" -type f -newer "$W/marker" ! -name .regc-gen-stamp | wc -l)
echo "| regc gen after one changed file ($GEN_ONE_FILES files rewritten) | $(num "$FILES") | $T_WALL | $T_USER | $T_SYS | $T_RSS | $(per_file "$T_WALL" "$FILES") |"
cp "$W/one.reg" "$one"
# shellcheck disable=SC2046
"$REGC" gen -o "$W/gen" $(cat "$W/files.txt") 2>/dev/null || die "regc gen after restoring $one failed"

say "regc gen of 1,000 files onto the disk ($BB)"
head -n 1000 "$W/files.txt" >"$W/files1k.txt"
rm -rf "$BB/disk-gen"
sync
# shellcheck disable=SC2046
timeit "$REGC" gen -o "$BB/disk-gen" $(cat "$W/files1k.txt")
rm -rf "$BB/disk-gen"
echo "| regc gen, 1 process, output on disk | 1,000 | $T_WALL | $T_USER | $T_SYS | $T_RSS | $(per_file "$T_WALL" 1000) |"

say "building $REGIONS_N region binaries from the generated C (make -j2; a few minutes)"
cfiles=$(ls "$W"/gen/*/*.c | wc -l)
timeit make -s --no-print-directory -j2 -f bench/regions.mk GEN="$W/gen" OUT="$W/out" BUILD="$BUILD" \
    REGIONS="$REGION_LIST" RT_LIBS="$RT_LIBS"
BUILD_WALL=$T_WALL
bins=$(ls "$W/out/bin" | wc -l)
[ "$bins" -eq "$REGIONS_N" ] || die "the build made $bins region binaries, not $REGIONS_N"
bin_mb=$(du -cm "$W"/out/bin/* | tail -1 | cut -f1)
"$W/out/bin/zhambyl" list >/dev/null || die "a built region binary does not run"
echo "| build: $(num "$cfiles") generated .c -> $REGIONS_N region binaries, make -j2 | $(num "$cfiles") | $T_WALL | $T_USER | $T_SYS | $T_RSS | $(per_file "$T_WALL" "$cfiles") |"
echo
echo "regc gen wrote $(num "$gen_files") files, $gen_mb MB; the $REGIONS_N binaries take $bin_mb MB."
echo
rm -rf "$W/out"

# ---- growth ----
echo "#### Growth with the number of files"
echo
echo "The first N/20 files of every region (the same files at every size). One process each;"
echo "CPU is user + sys, which other load on the machine does not inflate as it does wall time."
echo
echo "| files | check wall s | check CPU s | check CPU µs/file | gen wall s | gen CPU s | gen CPU µs/file | gen peak RSS MiB |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
for per in 50 100 250 500; do
    [ "$per" -lt "$PER_REGION" ] || continue
    n=$((per * REGIONS_N))
    say "growth: $n files"
    "$BB/gen_corpus" --seed 1 --per-region "$per" "$W/g/rules" >/dev/null
    ls "$W"/g/rules/*/*.reg >"$W/gfiles.txt"
    # shellcheck disable=SC2046
    timeit "$REGC" check $(cat "$W/gfiles.txt")
    cw=$T_WALL
    ccpu=$T_CPU
    # shellcheck disable=SC2046
    timeit "$REGC" gen -o "$W/g/gen" $(cat "$W/gfiles.txt")
    echo "| $(num "$n") | $cw | $ccpu | $(per_file "$ccpu" "$n") | $T_WALL | $T_CPU | $(per_file "$T_CPU" "$n") | $T_RSS |"
    rm -rf "$W/g"
done
echo "| $(num "$FILES") | $CHECK15_WALL | $CHECK15_CPU | $(per_file "$CHECK15_CPU" "$FILES") | $GEN15_WALL | $GEN15_CPU | $(per_file "$GEN15_CPU" "$FILES") | $GEN15_RSS |"
echo
rm -rf "$W/gen" "$W/corpus"

# ---- transitions ----
say "transitions: writing the event script ($CASES cases)"
"$BB/transitions" script --cases "$CASES" --seed 1 "$W/script.bin" >/dev/null
say "transitions: generated, hand-written, engine"
"$BB/transitions" run --reps 15 --engine-reps 5 "$CAL" "$W/script.bin" >"$W/tr.txt"
say "transitions: XState (npm ci in bench/, then one pass over the script)"
(cd bench && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>"$W/npm.txt") ||
    { cat "$W/npm.txt" >&2; die "npm ci failed in bench/"; }
node bench/xstate_grain.mjs --segments 20 --warmup 100000 "$W/script.bin" >"$W/xs.txt"

ncases=$(kv cases "$W/tr.txt" impl=generated)
nevents=$(kv events "$W/tr.txt" impl=generated)
echo "### Transitions: regulation 001 (zhambyl grain_warehouse_licence)"
echo
echo "One script of $(num "$ncases") cases and $(num "$nevents") events (bench/transitions.c, seed 1: variant, channel,"
echo "branches to the refusal, refusals and timers drawn at random), run by every runner; each"
echo "must end every case with the result the script expects. C: 15 passes over the whole script"
echo "(engine: 5), generated and hand-written alternating; XState: one pass after 100,000 warm-up"
echo "cases, timed in 20 segments. Median, with the fastest and slowest pass or segment."
echo
echo "| runner | median s | events/s (median) | events/s (min-max) | cases/s |"
echo "|---|---:|---:|---:|---:|"
row() { # IMPL LABEL
    med=$(kv median_s "$W/tr.txt" "impl=$1 ")
    lo=$(kv min_s "$W/tr.txt" "impl=$1 ")
    hi=$(kv max_s "$W/tr.txt" "impl=$1 ")
    echo "| $2 | $med | $(rate "$nevents / $med") | $(rate "$nevents / $hi") - $(rate "$nevents / $lo") | $(rate "$ncases / $med") |"
}
row generated "generated tables: reg_machine_apply on reg_machine_case"
row handwritten "hand-written switch (bench/handwritten_grain.c)"
row engine "generated through reg_case_apply (names, times, deadlines)"
xs_total=$(kv total_s "$W/xs.txt")
xs_ev=$(kv events_per_s "$W/xs.txt")
xs_lo=$(kv events_per_s_min "$W/xs.txt")
xs_hi=$(kv events_per_s_max "$W/xs.txt")
xs_cases=$(kv cases_per_s "$W/xs.txt")
echo "| XState actor per case, Node $(node --version) | $xs_total (one pass) | $(rate "$xs_ev") | $(rate "$xs_lo") - $(rate "$xs_hi") | $(rate "$xs_cases") |"
gen_ev=$(awk "BEGIN { print $nevents / $(kv median_s "$W/tr.txt" "impl=generated ") }")
hand_ev=$(awk "BEGIN { print $nevents / $(kv median_s "$W/tr.txt" "impl=handwritten ") }")
RATIO_HAND=$(awk "BEGIN { printf \"%.2f\", $gen_ev / $hand_ev }")
RATIO_XS=$(awk "BEGIN { printf \"%.0f\", $gen_ev / $xs_ev }")
RATIO_ENGINE_XS=$(awk "BEGIN { printf \"%.0f\", $nevents / $(kv median_s "$W/tr.txt" "impl=engine ") / $xs_ev }")
CASE_BYTES=$(kv sizeof_reg_case "$W/tr.txt")
echo
echo "- generated / hand-written: **$RATIO_HAND x** (events/s, medians of the same run)"
echo "- generated / XState: **$RATIO_XS x**; through reg_case_apply with deadlines / XState: $RATIO_ENGINE_XS x"
echo "- in memory: sizeof(reg_case) = $CASE_BYTES bytes, sizeof(reg_machine_case) = $(kv sizeof_reg_machine_case "$W/tr.txt") bytes"
echo
rm -f "$W/script.bin"

# ---- deadlines ----
say "deadlines: $QUERIES queries"
"$BB/deadlines" --queries "$QUERIES" --seed 1 --reps 11 --naive-reps 3 "$CAL" >"$W/dl.txt" 2>/dev/null
echo "### Deadlines: working-time queries"
echo
echo "$(num "$QUERIES") queries (bench/deadlines.c, seed 1): a start at any minute of 2015-2026 and a duration"
echo "of 1-480 m, 1-40 h, 1-30 wd or 1-60 cd; the indexed functions against the day-by-day reference"
echo "versions on the same queries, after checking that both agree on every one. Those whose deadline"
echo "falls after 2026 (out of range for both) are timed too: $(kv out_of_range "$W/dl.txt" 'fn=step impl=indexed') for step, $(kv out_of_range "$W/dl.txt" 'fn=term impl=indexed') for term."
echo "Indexed: 11 passes, naive: 3; median, with the fastest and slowest pass."
echo
echo "| function | queries/s (median) | min - max | vs naive |"
echo "|---|---:|---:|---:|"
for fn in step term; do
    for impl in indexed naive; do
        m=$(kv median_s "$W/dl.txt" "fn=$fn impl=$impl ")
        lo=$(kv min_s "$W/dl.txt" "fn=$fn impl=$impl ")
        hi=$(kv max_s "$W/dl.txt" "fn=$fn impl=$impl ")
        nm=$(kv median_s "$W/dl.txt" "fn=$fn impl=naive ")
        name=reg_deadline_$fn
        [ "$impl" = naive ] && name=reg_deadline_${fn}_naive
        echo "| $name | $(rate "$QUERIES / $m") | $(rate "$QUERIES / $hi") - $(rate "$QUERIES / $lo") | $(awk "BEGIN { printf \"%.1f x\", $nm / $m }") |"
    done
done
DL_MIN=$(awk -v q="$QUERIES" '/impl=indexed/ { for (i = 1; i <= NF; i++) if ($i ~ /^median_s=/) { v = q / substr($i, 10); if (min == "" || v < min) min = v } } END { printf "%.0f", min }' "$W/dl.txt")
echo

# ---- one regulation at the size limit ----
. bench/large.sh

# ---- store ----
. bench/store.sh

# ---- targets ----
echo "### Targets"
echo
echo "| target | measured | |"
echo "|---|---|---|"
echo "| generated transitions >= 0.9 x the hand-written switch | $RATIO_HAND x | $(yes_no "$RATIO_HAND >= 0.9") |"
echo "| generated transitions >= 100 x XState | $RATIO_XS x | $(yes_no "$RATIO_XS >= 100") |"
echo "| $(num "$FILES") files through regc check in < 10 s on 2 cores | $CHECK_P2_WALL s (xargs -P2); 1 process $CHECK15_WALL s | $(yes_no "$CHECK_P2_WALL < 10") |"
echo "| $(num "$FILES") files through regc gen in <= 5 s on 2 cores | $GEN_J_WALL s (-j $(nproc)); -j 1 $GEN15_WALL s | $(national "$GEN_J_WALL <= 5") |"
echo "| regc gen of $(num "$FILES") files in <= 256 MiB | $GEN15_RSS MiB (-j 1), $GEN_J_RSS MiB (-j $(nproc), each process) | $(national "$GEN15_RSS <= 256 && $GEN_J_RSS <= 256") |"
echo "| regc gen after one changed file in <= 0.5 s | $GEN_ONE_WALL s ($GEN_ONE_FILES files rewritten; nothing changed: $GEN_NOOP_WALL s) | $(national "$GEN_ONE_WALL <= 0.5") |"
echo "| the national build (20 region binaries) in <= 60 s with make -j2 | $BUILD_WALL s for $(num "$FILES") regulations | $(national "$BUILD_WALL <= 60") |"
echo "| the $(num "$LARGE_STEPS")-step file: regc gen and its C compiled in <= 10 s | $LARGE_BUILD_WALL s | $(yes_no "$LARGE_BUILD_WALL <= 10") |"
echo "| regc diff of two $(num "$LARGE_STEPS")-step versions in <= 64 MiB | $DIFF_RSS MiB | $(yes_no "$DIFF_RSS <= 64") |"
echo "| >= 10 M deadline queries/s | $(rate "$DL_MIN")/s (slower of step and term) | $(yes_no "$DL_MIN >= 10000000") |"
echo "| <= 64 bytes per in-memory case | $CASE_BYTES bytes | $(yes_no "$CASE_BYTES <= 64") |"
echo "| >= 50,000 durable events/s with batching on SQLite | $STORE_TARGET_TEXT | $STORE_TARGET_RESULT |"
if [ -n "${STORE_PG_RATIO:-}" ]; then
    echo "| PostgreSQL at --batch 64 >= 50% of SQLite's events/s, same events, same run | ${STORE_PG_RATIO}% | $(yes_no "$STORE_PG_RATIO >= 50") |"
fi
echo "| overdue listing every open case in <= 64 MiB | $OVERDUE_RSS MiB for $(num "$OVERDUE_LISTED") cases | $(if [ "$STORE_CASES" -ge 1000000 ]; then yes_no "$OVERDUE_RSS <= 64"; else echo "judged on a million cases: make bench-national"; fi) |"
BENCH_SECONDS=$(( $(date +%s) - START ))
if [ "$PER_REGION" -lt 750 ]; then
    echo "| the quick make bench in <= 15 minutes | $BENCH_SECONDS s | $(yes_no "$BENCH_SECONDS <= 900") |"
fi
echo
echo "make bench took $BENCH_SECONDS s (the build of the $REGIONS_N binaries: $BUILD_WALL s); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
exec 1>&3
cat "$BB/results.md"
