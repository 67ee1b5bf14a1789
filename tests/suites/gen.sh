#!/bin/sh
# gen.sh BUILD - `regc gen` refuses a regulation defined by two files, and
# removes from generated/<region>/ only the files it no longer produces.
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

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
