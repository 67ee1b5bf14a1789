#!/bin/sh
# coverage.sh BUILD - line and branch coverage of compiler/, runtime/ and
# grammar/ after the suites ran against a build made with --coverage
# (make coverage does both). Prints a table per directory and writes
# BUILD/coverage.json (gcovr's summary per file) and BUILD/coverage.txt
# (per file, with the lines not run).
set -eu
BUILD=${1:?usage: scripts/coverage.sh BUILD}
command -v gcovr > /dev/null 2>&1 || { echo "coverage: gcovr is missing (make coverage installs it)" >&2; exit 1; }
# gcovr reads the .gcda files next to the objects; the flex and bison
# outputs count as grammar/ (their #line directives point there).
set -- --root . --object-directory "$BUILD" \
    --filter 'compiler/' --filter 'runtime/' --filter 'grammar/' \
    --exclude-unreachable-branches --exclude-throw-branches
gcovr "$@" --json-summary "$BUILD/coverage.json" --txt "$BUILD/coverage.txt" > /dev/null 2>&1 ||
    gcovr "$@" --json-summary "$BUILD/coverage.json" --txt "$BUILD/coverage.txt"
gcovr "$@" --branches --txt "$BUILD/coverage-branches.txt" > /dev/null 2>&1 || true
jq -r '
    def pct(a; b): if b == 0 then "-" else ((a * 1000 / b | floor) / 10 | tostring) + "%" end;
    [.files[] | {dir: (.filename | split("/")[0]), lc: .line_covered, lt: .line_total,
                 bc: .branch_covered, bt: .branch_total}]
    | (group_by(.dir) | map({dir: .[0].dir, lc: (map(.lc) | add), lt: (map(.lt) | add),
                             bc: (map(.bc) | add), bt: (map(.bt) | add)})) as $dirs
    | ($dirs + [{dir: "all", lc: ($dirs | map(.lc) | add), lt: ($dirs | map(.lt) | add),
                 bc: ($dirs | map(.bc) | add), bt: ($dirs | map(.bt) | add)}])
    | (["directory", "lines", "run/all", "branches", "taken/all"] | @tsv),
      (.[] | [.dir, pct(.lc; .lt), "\(.lc)/\(.lt)", pct(.bc; .bt), "\(.bc)/\(.bt)"] | @tsv)
' "$BUILD/coverage.json" | column -t -s "$(printf '\t')"
echo "per file, with the lines never run: $BUILD/coverage.txt"
