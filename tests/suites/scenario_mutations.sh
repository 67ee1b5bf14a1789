#!/bin/sh
# scenario_mutations.sh BUILD - the seed scenarios have teeth: change any one
# step duration, variant term or step target (`on OUTCOME ... -> T` and
# `-> T`) of a seed rule file, and at least one of its scenarios fails.
#
# Durations: every duration written on a step's `takes` line (its own, and
# its per-variant and per-channel overrides in `[...]`) and every variant's
# `term` becomes one unit longer (15m -> 16m, 1cd -> 2cd). Targets: each
# target is replaced by the first other step, `end`, in the order of the
# file, with which the file still compiles (a mutant the compiler already
# refuses tells nothing about the scenarios; when every other target makes
# the file fail to compile, as for most `->` of a chain of steps, whose
# skipped steps become unreachable, the mutation is counted as caught by
# `regc check` and the check asserts that it is). Flow items are left alone:
# the engine does not run flows yet (docs/scenarios.md, "Coverage").
#
# One check per mutant: `regc test --rules MUTANT` on the seed's scenarios
# must report at least one failed scenario (exit 1, every file run).
set -u
BUILD=${1:?}
REGC="$BUILD/bin/regc"
passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# try_mutant REG TEST MUTANT WHAT: the scenarios must catch MUTANT.
try_mutant() {
    out=$("$REGC" test --rules "$3" "$2" 2>/dev/null)
    rc=$?
    last=$(printf '%s\n' "$out" | tail -n 1)
    case $last in
    *" not run"*) fail "$1: $4: the mutant did not run: $last" ;;
    *", 0 failed") fail "$1: $4: no scenario fails" ;;
    *) if [ "$rc" -eq 1 ]; then ok; else fail "$1: $4: exit status $rc"; fi ;;
    esac
}

# The rule file without its strings and comments, for finding durations and
# targets: a string may hold anything.
bare() {
    sed -e 's/"\([^"\\]\|\\.\)*"/""/g' -e 's://.*$::' "$1"
}

for reg in rules/*/*.reg; do
    test="${reg%.reg}.test"
    mkdir -p "$tmp/m"
    mutant="$tmp/m/$(basename "$reg")"
    bare "$reg" > "$tmp/bare"
    steps=$(awk '$1 == "step" { print $2 }' "$tmp/bare")
    # ---- durations on `takes` and `term` lines, one token at a time ----
    awk '($1 == "by" || $1 == "term" || $0 ~ /^[ \t]*takes/) && $1 != "flow" && $1 != "process" {
            line = $0; k = 0
            while (match(line, /(^|[ \t\[,])[0-9]+(m|h|wd|cd)([ \t,\]]|$)/)) {
                k++; print NR, k
                line = substr(line, RSTART + RLENGTH - 1)
            }
        }' "$tmp/bare" > "$tmp/durations"
    ndur=0
    while read -r ln k; do
        # Lengthen the k-th duration of line ln; strings stay as they are,
        # since durations come before the first string on these lines.
        awk -v ln="$ln" -v k="$k" 'NR == ln {
                q = index($0, "\""); head = q ? substr($0, 1, q - 1) : $0; tail = q ? substr($0, q) : ""
                out = ""; n = 0
                while (match(head, /[0-9]+(m|h|wd|cd)([ \t,\]]|$)/)) {
                    pre = substr(head, 1, RSTART - 1); tok = substr(head, RSTART, RLENGTH)
                    head = substr(head, RSTART + RLENGTH)
                    if (pre != "" && pre !~ /[ \t\[,]$/) { out = out pre tok; continue }
                    n++
                    if (n == k) { match(tok, /^[0-9]+/); tok = (substr(tok, 1, RLENGTH) + 1) substr(tok, RLENGTH + 1) }
                    out = out pre tok
                }
                $0 = out head tail
            } { print }' "$reg" > "$mutant"
        if cmp -s "$reg" "$mutant"; then
            fail "$reg:$ln: duration $k was not changed"
            continue
        fi
        ndur=$((ndur + 1))
        try_mutant "$reg" "$test" "$mutant" "line $ln, duration $k one unit longer"
    done < "$tmp/durations"
    # ---- targets of steps: `-> T` and `on OUTCOME "..." -> T` ----
    ntarget=0
    nrefused=0
    awk '$1 == "->" || $1 == "on" {
            if (match($0, /->[ \t]*[A-Za-z_][A-Za-z0-9_]*/)) {
                t = substr($0, RSTART, RLENGTH); sub(/->[ \t]*/, "", t); print NR, t
            }
        }' "$tmp/bare" > "$tmp/targets"
    while read -r ln target; do
        caught=no
        # A step that only this line leads to becomes unreachable whatever
        # the new target, which regc check refuses: no search (it is slow
        # under the sanitizers), the refusal is asserted below.
        refs=$(awk -v t="$target" '($1 == "->" || $1 == "on") && $0 ~ ("->[ \t]*" t "([ \t]|$)")' "$tmp/bare" | wc -l)
        candidates="$steps end"
        [ "$target" != end ] && [ "$refs" -eq 1 ] && candidates=
        for other in $candidates; do
            [ "$other" = "$target" ] && continue
            # The last `-> TARGET` of the line: conditions come before it.
            sed "${ln}s/\\(.*\\)->\\([ \\t]*\\)$target\\b/\\1->\\2$other/" "$reg" > "$mutant"
            cmp -s "$reg" "$mutant" && continue
            "$REGC" check "$mutant" > /dev/null 2>&1 || continue
            ntarget=$((ntarget + 1))
            try_mutant "$reg" "$test" "$mutant" "line $ln, -> $target made -> $other"
            caught=yes
            break
        done
        if [ "$caught" = no ]; then
            # Every other target is refused by the compiler; make sure of one.
            sed "${ln}s/\\(.*\\)->\\([ \\t]*\\)$target\\b/\\1->\\2end/" "$reg" > "$mutant"
            [ "$target" = end ] && sed "${ln}s/\\(.*\\)->\\([ \\t]*\\)end\\b/\\1->\\2$(echo $steps | cut -d' ' -f1)/" "$reg" > "$mutant"
            if "$REGC" check "$mutant" > /dev/null 2>&1; then fail "$reg:$ln: a mutant of \`-> $target\` compiles but was not tried"; else ok; fi
            nrefused=$((nrefused + 1))
        fi
    done < "$tmp/targets"
    echo "# $reg: $ndur durations and $ntarget targets caught by the scenarios, $nrefused targets whose every change regc check refuses"
    if [ "$ndur" -gt 0 ] && [ "$ntarget" -gt 0 ]; then ok; else fail "$reg: nothing was mutated"; fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
