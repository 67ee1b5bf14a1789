#!/bin/sh
# embedding.sh BUILD - the example of docs/embedding.md compiles against a
# region library with the documented command and prints what it should.
set -u
BUILD=${1:?}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
passed=0
failed=0
# A library built with sanitizers needs them at link time too.
SAN=""
if nm "$BUILD/lib/libeast_kazakhstan.a" 2>/dev/null | grep -q __asan; then
    SAN="-fsanitize=address,undefined"
fi
# And one built for coverage (make coverage) needs gcov's.
if nm "$BUILD/lib/libeast_kazakhstan.a" 2>/dev/null | grep -q __gcov; then
    SAN="$SAN --coverage"
fi
if cc -std=c11 -Wall -Wextra -Werror $SAN -Igenerated/east_kazakhstan -Iruntime \
    tests/embed/embed_example.c "$BUILD/lib/libeast_kazakhstan.a" -o "$out/embed" 2> "$out/cc.log"; then
    passed=$((passed + 1))
else
    echo "FAIL embedding example does not compile"
    cat "$out/cc.log"
    failed=$((failed + 1))
fi
if [ -x "$out/embed" ]; then
    if "$out/embed" rules/calendar/kz.cal > "$out/actual" 2>&1 && diff -u tests/embed/expected.txt "$out/actual"; then
        passed=$((passed + 1))
    else
        echo "FAIL embedding example output differs"
        failed=$((failed + 1))
    fi
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
