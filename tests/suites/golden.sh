#!/bin/sh
# golden.sh BUILD - the diagram back ends and `regc diff` against their
# expectations (docs/diagrams.md). Run from the repository root.
#
#   tests/golden/input/*.reg      purpose-made rule files; their .dot and .mmd
#                                 files must equal tests/golden/expected/
#   tests/diff/<case>/            old.reg, new.reg and expected.txt, the
#                                 output of `regc diff` (empty: exit 0, else 1);
#                                 expected.dot, when present, of `regc diff --dot`
#
# Also: output is the same on every run, every DOT file renders with
# `dot -Tsvg` without a word on stderr, hostile labels stay labels, one
# changed duration is one changed line. After a change that is meant,
# tests/golden/regen.sh rewrites the expectations.
set -u
BUILD=${1:?usage: tests/suites/golden.sh BUILD}
REGC="$BUILD/bin/regc"
passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Renders one DOT file; Graphviz must accept it and say nothing.
renders() {
    dot -Tsvg "$1" -o "$tmp/render.svg" 2> "$tmp/render.err" && [ ! -s "$tmp/render.err" ]
}

if ! command -v dot > /dev/null 2>&1; then
    fail "graphviz: no dot command (apt-get install graphviz)"
fi

# ---- diagrams of the purpose-made inputs ----
if "$REGC" gen -o "$tmp/gen" tests/golden/input/*.reg 2> "$tmp/gen.err"; then
    pass
else
    fail "regc gen tests/golden/input/*.reg: exit status $?"
    cat "$tmp/gen.err"
fi
for expected in tests/golden/expected/*/*; do
    rel=${expected#tests/golden/expected/}
    actual="$tmp/gen/$rel"
    if [ ! -f "$actual" ]; then
        fail "$expected: regc gen did not write $rel"
    elif cmp -s "$expected" "$actual"; then
        pass
    else
        fail "$expected: differs from regc gen (tests/golden/regen.sh after a change that is meant)"
        diff "$expected" "$actual" | head -n 20
    fi
done
for actual in "$tmp"/gen/*/*.dot "$tmp"/gen/*/*.mmd "$tmp"/gen/*/*.bpmn "$tmp"/gen/*/*.md; do
    [ -f "$actual" ] || continue
    rel=${actual#"$tmp"/gen/}
    [ -f "tests/golden/expected/$rel" ] || fail "$rel: written by regc gen but not in tests/golden/expected"
done

# The same input gives the same bytes.
"$REGC" gen -o "$tmp/again" tests/golden/input/*.reg 2> /dev/null
# .regc-gen-stamp records the files' identities (inodes, times), not output.
if diff -r -x .regc-gen-stamp "$tmp/gen" "$tmp/again" > /dev/null; then
    pass
else
    fail "regc gen: two runs on the same input differ"
fi

# Every diagram renders without a warning.
for f in "$tmp"/gen/*/*.dot; do
    [ -f "$f" ] || continue
    if renders "$f"; then
        pass
    else
        fail "${f#"$tmp"/gen/}: dot -Tsvg complains"
        head -n 5 "$tmp/render.err"
    fi
done

# ---- hostile labels ----
hostile="$tmp/gen/demo/hostile_labels"
# A label is one quoted string, so a line of a Mermaid file holds no quote
# or two: any other count means a raw quote inside a label.
for f in "$hostile".*.mmd; do
    bad=$(awk -F'"' 'NF != 1 && NF != 3 { print FNR": "$0 }' "$f")
    if [ -z "$bad" ]; then pass; else fail "$f: raw quote in a label"; echo "$bad" | head -n 5; fi
    # %% would start a comment mid-line; markup must be entity codes.
    if grep -n '<script\|<img\|%%.*%%\|[^ ]%%' "$f" > "$tmp/grep.out"; then
        fail "$f: markup or %% left raw"; head -n 5 "$tmp/grep.out"
    else
        pass
    fi
done
# Characters a reader cannot see are spelled as codes in both notations.
rlm=$(printf '\342\200\217')
rlo=$(printf '\342\200\256')
for f in "$hostile".*.dot "$hostile".*.mmd "$hostile.bpmn"; do
    if grep -q "$rlm\|$rlo" "$f"; then fail "$f: raw U+200F or U+202E"; else pass; fi
done
if grep -q '&#8207;' "$hostile.issue.dot" && grep -q '#8207;' "$hostile.issue.mmd" &&
   grep -q '&#8207;' "$hostile.bpmn"; then
    pass
else
    fail "hostile_labels: U+200F is not shown as a character code"
fi
# Graphviz shows the text: no element comes out of a label.
for f in "$hostile".*.dot; do
    if dot -Tsvg "$f" 2> /dev/null | grep -q '<script\|<img\|<b>\|<i>'; then
        fail "$f: a label became markup in the SVG"
    else
        pass
    fi
done

# Swimlanes: Graphviz puts the steps of a variant left to right in the act's
# order, whatever lane each is in (small_vessel_certificate: deliver, in the
# office's lane with register, comes last, not beside register).
in_order() {
    dot -Tplain "$1" 2> /dev/null | awk -v want="$2" '
        $1 == "node" { x[$2] = $3 }
        END {
            n = split(want, ids, " ")
            for (i = 2; i <= n; i++)
                if (!(("step_" ids[i]) in x) || x["step_" ids[i]] <= x["step_" ids[i - 1]]) {
                    printf "%s (x %s) is not right of %s (x %s)\n", ids[i], x["step_" ids[i]], ids[i - 1], x["step_" ids[i - 1]]
                    exit 1
                }
        }'
}
for spec in "$tmp/gen/demo/demo_licence.issue.dot:register review consult sign hand_over" \
    "generated/east_kazakhstan/small_vessel_certificate.issue.dot:register head_review department_review prepare sign deliver"; do
    f=${spec%%:*}
    if in_order "$f" "${spec#*:}" > "$tmp/order.log"; then
        pass
    else
        fail "$f: steps not in the act's order along the lanes: $(cat "$tmp/order.log")"
    fi
done

# BPMN: markup from the rules is character data, never an element.
if grep -q '<script\|<img\|<b>' "$hostile.bpmn"; then
    fail "$hostile.bpmn: markup from a label left raw"
elif [ "$(grep -c '&lt;script&gt;' "$hostile.bpmn")" -gt 0 ] && xmllint --noout "$hostile.bpmn" 2> /dev/null; then
    pass
else
    fail "$hostile.bpmn: not well-formed, or <script> not escaped as &lt;script&gt;"
fi

# ---- one changed duration, one changed line ----
"$REGC" gen -o "$tmp/d_old" tests/diff/duration/old.reg 2> /dev/null
"$REGC" gen -o "$tmp/d_new" tests/diff/duration/new.reg 2> /dev/null
for ext in dot mmd bpmn; do
    changed=0
    for f in "$tmp"/d_old/*/*."$ext"; do
        n=$(diff "$f" "$tmp/d_new/${f#"$tmp"/d_old/}" | grep -c '^>')
        changed=$((changed + n))
    done
    removed=0
    for f in "$tmp"/d_old/*/*."$ext"; do
        n=$(diff "$f" "$tmp/d_new/${f#"$tmp"/d_old/}" | grep -c '^<')
        removed=$((removed + n))
    done
    # The step's duration differs in variant issue only (reissue overrides it).
    if [ "$changed" -eq 1 ] && [ "$removed" -eq 1 ]; then
        pass
    else
        fail "duration change: $changed added and $removed removed lines in the .$ext files, expected 1 and 1"
    fi
done
# On the page: the step's row in the table of variant issue and its node in
# the mermaid block below it; the index page does not change.
changed=0
removed=0
for f in "$tmp"/d_old/*/*.md; do
    n=$(diff "$f" "$tmp/d_new/${f#"$tmp"/d_old/}" | grep -c '^>')
    changed=$((changed + n))
    n=$(diff "$f" "$tmp/d_new/${f#"$tmp"/d_old/}" | grep -c '^<')
    removed=$((removed + n))
done
if [ "$changed" -eq 2 ] && [ "$removed" -eq 2 ]; then
    pass
else
    fail "duration change: $changed added and $removed removed lines in the .md files, expected 2 and 2"
fi

# ---- regc export ----
out="$tmp/export.dot"
"$REGC" export --dot tests/golden/input/demo_licence.reg > "$out"
if cmp -s "$out" tests/golden/expected/demo/demo_licence.issue.dot; then pass; else fail "export --dot: not the first variant's diagram"; fi
"$REGC" export --dot --variant reissue tests/golden/input/demo_licence.reg > "$out"
if cmp -s "$out" tests/golden/expected/demo/demo_licence.reissue.dot; then pass; else fail "export --dot --variant reissue"; fi
"$REGC" export --mermaid --flow portal tests/golden/input/demo_licence.reg > "$out"
if cmp -s "$out" tests/golden/expected/demo/demo_licence.flow.portal.mmd; then pass; else fail "export --mermaid --flow portal"; fi
"$REGC" export --dot --variant nosuch tests/golden/input/demo_licence.reg > /dev/null 2>&1
rc=$?
if [ "$rc" -eq 2 ]; then pass; else fail "export --dot --variant nosuch: exit status $rc, expected 2"; fi

# ---- regc diff ----
for dir in tests/diff/*/; do
    dir=${dir%/}
    if [ ! -f "$dir/expected.txt" ]; then
        fail "$dir: no expected.txt"
        continue
    fi
    "$REGC" diff "$dir/old.reg" "$dir/new.reg" > "$tmp/diff.out" 2> "$tmp/diff.err"
    rc=$?
    want=1
    [ -s "$dir/expected.txt" ] || want=0
    if [ "$rc" -ne "$want" ]; then
        fail "$dir: regc diff exit status $rc, expected $want"
        head -n 5 "$tmp/diff.err"
    elif ! cmp -s "$dir/expected.txt" "$tmp/diff.out"; then
        fail "$dir: regc diff output differs"
        diff "$dir/expected.txt" "$tmp/diff.out" | head -n 20
    else
        pass
    fi
    if [ -f "$dir/expected.dot" ]; then
        "$REGC" diff --dot "$dir/old.reg" "$dir/new.reg" > "$tmp/diff.dot" 2> /dev/null
        rc=$?
        if [ "$rc" -ne "$want" ]; then
            fail "$dir: regc diff --dot exit status $rc, expected $want"
        elif ! cmp -s "$dir/expected.dot" "$tmp/diff.dot"; then
            fail "$dir: regc diff --dot output differs"
            diff "$dir/expected.dot" "$tmp/diff.dot" | head -n 20
        elif ! renders "$tmp/diff.dot"; then
            fail "$dir: the diff diagram does not render cleanly"
            head -n 5 "$tmp/render.err"
        else
            pass
        fi
    fi
done

# Removed steps are still drawn, dashed red; added ones green.
if grep -q 'step_check_fee \[.*color="#1a7f37"' tests/diff/added_step/expected.dot &&
   grep -q 'step_register -> result_refusal \[.*style="dashed", color="#cf222e"' tests/diff/removed_branch/expected.dot &&
   grep -q 'step_deliver \[.*style="rounded,dashed", color="#cf222e"' tests/diff/mixed_reverse/expected.dot; then
    pass
else
    fail "regc diff --dot: added parts are not green or removed parts not dashed red"
fi

# Exit status 2: usage errors, unreadable and invalid input (with its diagnostics).
"$REGC" diff tests/diff/term/old.reg > /dev/null 2>&1
rc=$?
if [ "$rc" -eq 2 ]; then pass; else fail "regc diff with one file: exit status $rc, expected 2"; fi
"$REGC" diff tests/diff/term/old.reg "$tmp/does-not-exist.reg" > /dev/null 2>&1
rc=$?
if [ "$rc" -eq 2 ]; then pass; else fail "regc diff of a missing file: exit status $rc, expected 2"; fi
NO_COLOR=1 "$REGC" diff tests/diff/broken.reg tests/diff/term/old.reg > "$tmp/diff.out" 2> "$tmp/diff.err"
rc=$?
if [ "$rc" -eq 2 ] && [ ! -s "$tmp/diff.out" ] && grep -q '^tests/diff/broken.reg:6:29: error: unknown actor' "$tmp/diff.err"; then
    pass
else
    fail "regc diff of an invalid file: exit status $rc, expected 2 and its diagnostics"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
