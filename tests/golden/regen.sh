#!/bin/sh
# regen.sh [BUILD] - rewrite the expectations of tests/suites/golden.sh from
# the current regc (BUILD/bin/regc, default build/bin/regc), after a change
# to the diagrams or to `regc diff` that is meant. Review the result with
# `git diff tests/` against tests/golden/REASONS.md, which says for each
# golden what a person checks to know it is right, before committing it. Run from the repository root.
set -eu
BUILD=${1:-build}
REGC="$BUILD/bin/regc"
[ -x "$REGC" ] || { echo "regen.sh: no $REGC; run make regc first" >&2; exit 2; }

# Diagrams and pages of the purpose-made inputs: only the .dot, .mmd, .bpmn and .md files, the
# other back ends have goldens of their own.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$REGC" gen -o "$tmp" tests/golden/input/*.reg
rm -rf tests/golden/expected
for f in "$tmp"/*/*.dot "$tmp"/*/*.mmd "$tmp"/*/*.bpmn "$tmp"/*/*.md; do
    rel=${f#"$tmp"/}
    mkdir -p "tests/golden/expected/$(dirname "$rel")"
    cp "$f" "tests/golden/expected/$rel"
done

# `regc diff` of every pair; a case with an expected.dot also has its diagram.
for dir in tests/diff/*/; do
    dir=${dir%/}
    "$REGC" diff "$dir/old.reg" "$dir/new.reg" > "$dir/expected.txt" || [ $? -eq 1 ]
    if [ -f "$dir/expected.dot" ]; then
        "$REGC" diff --dot "$dir/old.reg" "$dir/new.reg" > "$dir/expected.dot" || [ $? -eq 1 ]
    fi
done
echo "regenerated tests/golden/expected and tests/diff/*/expected.*; changed:"
git status --short tests/golden/expected tests/diff 2> /dev/null | sed 's/^/    /'
echo "check each changed file against its section of tests/golden/REASONS.md (or update that"
echo "section in the same commit, saying why the new output is right); review with git diff tests/"
