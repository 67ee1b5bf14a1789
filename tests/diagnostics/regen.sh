#!/bin/sh
# regen.sh [BUILD] - rewrite every tests/diagnostics/*.expected from what the
# current regc prints. Run it from the top of the tree after an intended
# change of a message, then read `git diff tests/diagnostics/`: each changed
# line is a message a user will see.
set -u
BUILD=${1:-build}
REGC="$BUILD/bin/regc"
if [ ! -x "$REGC" ]; then
    echo "regen.sh: $REGC not found; run make regc first" >&2
    exit 2
fi
status=0
for input in tests/diagnostics/*.reg; do
    expected="${input%.reg}.expected"
    NO_COLOR=1 "$REGC" check "$input" 2>"$expected" >/dev/null
    rc=$?
    # The suite also demands exit status 1; say so here rather than there.
    if [ "$rc" -ne 1 ]; then
        echo "regen.sh: $input: regc check exited with $rc, expected 1" >&2
        status=1
    fi
done
exit $status
