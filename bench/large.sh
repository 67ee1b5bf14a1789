# large.sh - one regulation at the size limit, part of `make bench`, sourced
# by bench/run.sh (it uses run.sh's variables and helpers). Sets DIFF_RSS for
# the table of targets, and LARGE_BUILD_WALL: regc gen of the old version
# and the compile of its C with the project's flags.
#
# A chain of 9,998 steps (the largest a regulation may have: 10,000 states
# with the start and the result) and a new version of it with 100 steps in
# reverse order and ten durations changed: regc diff's time and peak memory
# between the two.

LARGE_STEPS=9998
# large_reg OLD|NEW: the rule file on stdout.
large_reg() {
    printf 'regulation chain {\n  title kk "t"\n  region bench\n  result ok "ok"\n  actor a "a"\n'
    printf '  variant issue "i" result ok term 1000wd cite "c"\n'
    awk -v v="$1" -v n="$LARGE_STEPS" 'BEGIN {
        for (k = 1; k <= n; k++) {
            rev = v == "new" && k > 100 && k <= 200  # steps 101..200 reversed
            i = rev ? 301 - k : k
            nx = rev ? (k < 200 ? 300 - k : 201) : (k < n ? k + 1 : 0)
            if (v == "new" && k == 100) nx = 200
            printf "  step s%d \"s\" by a takes %dm cite \"c\" -> %s\n", i,
                (v == "new" && k % 1000 == 0) ? 2 : 1, nx ? "s" nx : "end"
        }
    }'
    printf '}\n'
}

say "large: a regulation of $LARGE_STEPS steps"
mkdir -p "$W/large"
large_reg old >"$W/large/old.reg"
large_reg new >"$W/large/new.reg"
"$REGC" check "$W/large/old.reg" "$W/large/new.reg" 2>/dev/null || die "the $LARGE_STEPS-step files do not check"

echo "### One regulation of $(num "$LARGE_STEPS") steps"
echo
echo "A chain of $(num "$LARGE_STEPS") steps (bench/large.sh) and a new version with 100 steps in reverse"
echo "order and ten durations changed."
echo
echo "| step | wall s | user s | sys s | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|"
# regc diff exits 1 when the versions differ, which they do.
/usr/bin/time -f '%e %U %S %M' -o "$W/time.txt" "$REGC" diff "$W/large/old.reg" "$W/large/new.reg" \
    >"$W/large/diff.txt" 2>"$W/err.txt" || [ $? -eq 1 ] || die "regc diff failed: $(cat "$W/err.txt")"
# time writes "Command exited with non-zero status 1" above its figures.
read -r T_WALL T_USER T_SYS T_RSS <<EOT
$(tail -n 1 "$W/time.txt")
EOT
DIFF_RSS=$(awk "BEGIN { printf \"%.0f\", $T_RSS / 1024 }")
echo "| regc diff ($(wc -l <"$W/large/diff.txt") lines of changes) | $T_WALL | $T_USER | $T_SYS | $DIFF_RSS |"
# The file built as a region binary builds it: regc gen, then cc on its C.
timeit sh -c "\"$REGC\" gen -j 1 -o \"$W/large/gen\" \"$W/large/old.reg\" &&
    cc $CFLAGS -Iruntime -I\"$W/large/gen/bench\" -c \"$W/large/gen/bench/chain.c\" -o \"$W/large/old.o\""
LARGE_BUILD_WALL=$T_WALL
echo "| regc gen, then cc $CFLAGS on its C | $T_WALL | $T_USER | $T_SYS | $T_RSS |"
echo
