#!/bin/sh
# bpmn.sh BUILD - the reviewer-facing formats opened by their real consumers.
#
#   - every .bpmn file (generated/, and what regc gen makes of the golden and
#     hostile inputs) is valid against the official BPMN 2.0 XSD, which
#     bpmn-moddle ships (xmllint, from Debian's libxml2-utils);
#   - tests/bpmn/check.mjs imports each with bpmn-moddle (no warning), lints
#     it with bpmnlint (tests/bpmn/.bpmnlintrc) and renders it with bpmn-js in
#     Debian's headless Chromium (no import warning or error), keeping a
#     screenshot in BUILD/bpmn/<region>/<service>.png; and renders every
#     ```mermaid block of the pages (generated/*/*.md and those of the golden
#     and hostile inputs) with
#     @mermaid-js/mermaid-cli in the same browser.
#
# The tools come from `sh scripts/deps.sh test` (make test runs it): Debian's
# chromium, libxml2-utils, nodejs and npm, and `npm ci` in tests/bpmn/. When
# they are not there the suite is skipped (exit status 77 with the reason on a
# SKIP line, as tests/run.sh expects), which fails the run when CI is set.
set -u
BUILD=${1:?usage: tests/suites/bpmn.sh BUILD}
REGC="$BUILD/bin/regc"
XSD=tests/bpmn/node_modules/bpmn-moddle/resources/bpmn/xsd/BPMN20.xsd
passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
skip() {
    echo "SKIP $*; run sh scripts/deps.sh test"
    exit 77
}

command -v xmllint > /dev/null 2>&1 || skip "no xmllint (Debian package libxml2-utils)"
command -v node > /dev/null 2>&1 || skip "no node (Debian package nodejs)"
[ -x /usr/bin/chromium ] || skip "no /usr/bin/chromium (Debian package chromium)"
[ -f "$XSD" ] && [ -d tests/bpmn/node_modules/bpmn-js ] || skip "no tests/bpmn/node_modules (npm ci in tests/bpmn)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The golden and hostile inputs, generated here: their labels are the
# hostile ones. One directory per input, as tests/suites/hostile.sh does.
for rule in tests/golden/input/*.reg tests/hostile/*.reg; do
    name=$(basename "$rule" .reg)
    case $name in bad_* | names_*) continue ;; esac
    if "$REGC" gen -o "$tmp/gen/$name" "$rule" > "$tmp/gen.log" 2>&1; then
        pass
    else
        fail "$rule: regc gen failed"
        head -n 5 "$tmp/gen.log"
    fi
done

bpmn_files=$(ls generated/*/*.bpmn "$tmp"/gen/*/*/*.bpmn 2> /dev/null)
[ -n "$bpmn_files" ] || fail "no .bpmn file to check"
for f in $bpmn_files; do
    if xmllint --noout --schema "$XSD" "$f" > "$tmp/xsd.log" 2>&1; then
        pass
    else
        fail "$f: not valid against the BPMN 2.0 schema"
        head -n 5 "$tmp/xsd.log"
    fi
done

# The pages: generated/ and those of the golden and hostile inputs, whose
# labels reach the mermaid blocks too.
pages=$(ls generated/*/*.md "$tmp"/gen/*/*/*.md 2> /dev/null)
out=$BUILD/bpmn
rm -rf "$out"
# shellcheck disable=SC2086
node tests/bpmn/check.mjs "$out" $bpmn_files $pages > "$tmp/check.log" 2>&1
grep '^FAIL' "$tmp/check.log"
last=$(tail -n 1 "$tmp/check.log")
p=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
f=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
if [ -z "$p" ]; then
    fail "tests/bpmn/check.mjs did not finish"
    tail -n 20 "$tmp/check.log"
else
    passed=$((passed + p))
    failed=$((failed + f))
fi
echo "screenshots: $out"
echo "$passed passed, $failed failed"
