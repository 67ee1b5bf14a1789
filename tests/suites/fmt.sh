#!/bin/sh
# fmt.sh BUILD - `regc fmt -w` and `-l` on files in a temporary directory:
# -w rewrites a file to exactly what `regc fmt` prints, keeps its comments,
# its permissions and a symbolic link to it (the file it names is
# rewritten), leaves a canonical file and a file with errors untouched,
# and leaves no temporary file; -l names only the files that differ.
set -u
BUILD=${1:?usage: fmt.sh BUILD}
REGC="$BUILD/bin/regc"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() {
    echo "FAIL $*"
    failed=$((failed + 1))
}
expect() {
    if [ "$2" = "$3" ]; then pass; else fail "$1: got '$2', expected '$3'"; fi
}

src=tests/checks/missing-cite.silent.reg
# The same regulation laid out badly: indentation lost, a comment kept.
sed -e 's/^  *//' -e 's/^step review/\/\/ the second step\nstep review/' "$src" > "$tmp/messy.reg"
"$REGC" fmt "$tmp/messy.reg" > "$tmp/want" 2> "$tmp/err"
expect "fmt prints" $? 0
chmod 0640 "$tmp/messy.reg"
ln -s messy.reg "$tmp/link.reg"
"$REGC" fmt "$tmp/want" | cmp -s - "$tmp/want" && pass || fail "fmt is not a fixed point on its own output"
"$REGC" fmt -l "$tmp/link.reg" "$tmp/want" > "$tmp/listed" 2> "$tmp/err"
expect "fmt -l: exit status when a file differs" $? 1
expect "fmt -l: names only the file that differs" "$(cat "$tmp/listed")" "$tmp/link.reg"
"$REGC" fmt -w "$tmp/link.reg" 2> "$tmp/err"
expect "fmt -w: exit status" $? 0
if cmp -s "$tmp/want" "$tmp/messy.reg"; then pass; else fail "fmt -w: the file is not what fmt prints"; fi
if grep -q '// the second step' "$tmp/messy.reg"; then pass; else fail "fmt -w: the comment is gone"; fi
if [ -L "$tmp/link.reg" ]; then pass; else fail "fmt -w: the symbolic link was replaced by a file"; fi
expect "fmt -w: the permissions" "$(stat -c %a "$tmp/messy.reg")" 640
expect "fmt -w: no temporary file left" "$(ls "$tmp" | grep -c 'fmt-tmp')" 0
"$REGC" fmt -l "$tmp/messy.reg" > "$tmp/listed"
expect "fmt -l after -w" "$?:$(cat "$tmp/listed")" "0:"

# Permissions of a file rewritten directly.
sed -e 's/^  *//' "$src" > "$tmp/private.reg"
chmod 0600 "$tmp/private.reg"
"$REGC" fmt -w "$tmp/private.reg" 2> "$tmp/err"
expect "fmt -w keeps the permissions of the file" "$(stat -c %a "$tmp/private.reg")" 600

# A canonical file is not rewritten (its time stays).
cp "$tmp/want" "$tmp/canonical.reg"
touch -d '2020-01-01 00:00' "$tmp/canonical.reg"
"$REGC" fmt -w "$tmp/canonical.reg"
expect "fmt -w on a canonical file" "$(stat -c %Y "$tmp/canonical.reg")" "$(date -d '2020-01-01 00:00' +%s)"

# A file with a syntax error is reported and left as it is.
printf 'regulation broken {\n  title kk "x"\n  step\n' > "$tmp/broken.reg"
cp "$tmp/broken.reg" "$tmp/broken.orig"
"$REGC" fmt -w "$tmp/broken.reg" > /dev/null 2> "$tmp/err"
expect "fmt -w on a file with errors: exit status" $? 1
if grep -q 'error' "$tmp/err"; then pass; else fail "fmt -w on a file with errors: no error printed"; fi
if cmp -s "$tmp/broken.orig" "$tmp/broken.reg"; then pass; else fail "fmt -w changed a file with errors"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
