#!/bin/sh
# hostile.sh BUILD - labels an attacker or a careless author could write.
#
# Every valid tests/hostile/*.reg (and a few made here from raw bytes) is
# compiled with `regc gen` into a temporary directory, and each output is
# proved well-formed rather than compared with a golden copy:
#   - every generated .c compiles with -std=c11 -pedantic -Wall -Wextra -Werror;
#   - a program linked with the machine finds every string literal of the
#     rule file among the machine's strings, byte for byte (check_machine.c);
#   - the JSON model parses with cJSON and holds every literal (check_json.c);
#   - every DOT file renders with `dot -Tsvg` without a warning;
#   - no Mermaid label contains a raw `"`;
#   - every BPMN file is well-formed XML with no raw bidi control
#   - every page (.md) holds no raw invisible character, no HTML but the
#     page's own `<br>`, anchors and first-line comment outside its mermaid
#     blocks, and every table row has as many cells as its header;
#     (tests/suites/bpmn.sh validates them against the schema and opens them);
#   - a second run generates the same bytes.
# bad_*.reg and the raw-byte cases below must be refused with their message;
# names_*.reg must be refused or compile. Inputs saved by the fuzzer in
# tests/fuzz/regressions/ must not crash any command, and `regc fmt` must be
# a fixed point on them.
set -u
BUILD=${1:?usage: tests/suites/hostile.sh BUILD}
REGC=$BUILD/bin/regc
CC=${CC:-cc}
CSTRICT="-std=c11 -pedantic -Wall -Wextra -Werror"
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass() { passed=$((passed + 1)); }
fail() {
    echo "FAIL $*"
    failed=$((failed + 1))
}
# Shows the first lines of a log after a failure.
show() { [ -s "$1" ] && head -n 8 "$1" | sed 's/^/    /'; }

# U+200F and U+202E, raw: a BPMN file spells them as character references.
invisible=$(printf '\342\200\217\|\342\200\256')

service_of() { sed -n 's/^regulation \([A-Za-z0-9_]*\).*/\1/p' "$1" | head -n 1; }

if ! $CC $CSTRICT -Itests/hostile tests/hostile/check_json.c -lcjson -o "$tmp/check_json" 2> "$tmp/cc.log"; then
    fail "hostile: cannot build tests/hostile/check_json.c"
    show "$tmp/cc.log"
    echo "$passed passed, $failed failed"
    exit 1
fi

# Every .c of DIR compiles strictly; the machine of SERVICE links with
# check_machine and holds every literal of RULE. Returns 1 on the first failure.
compiles_and_keeps_labels() {
    rule=$1 dir=$2 service=$3 what=$4
    for c in "$dir"/*.c; do
        if ! $CC $CSTRICT -Iruntime -I"$dir" -c "$c" -o "$c.o" 2> "$tmp/cc.log"; then
            fail "$what: generated $(basename "$c") does not compile"
            show "$tmp/cc.log"
            return 1
        fi
    done
    if [ ! -f "$dir/$service.c" ]; then
        fail "$what: no $service.c was generated"
        return 1
    fi
    if ! $CC $CSTRICT -DMACHINE="hostile_${service}_machine" -Iruntime -I"$dir" -Itests/hostile \
            tests/hostile/check_machine.c "$dir/$service.c" -o "$dir/check_machine" 2> "$tmp/cc.log"; then
        fail "$what: the machine does not link"
        show "$tmp/cc.log"
        return 1
    fi
    if ! "$dir/check_machine" "$rule" > "$tmp/labels.log" 2>&1; then
        fail "$what: labels of the C machine differ from the rule file"
        show "$tmp/labels.log"
        return 1
    fi
    return 0
}

# A `"` in a Mermaid file is only allowed as a label delimiter; the YAML
# title of the front matter may hold only escaped quotes.
mermaid_quotes_ok() {
    awk '
        function bad(why) { printf "line %d: %s: %s\n", NR, why, $0; status = 1 }
        NR == 1 && $0 == "---" { front = 1; next }
        front {
            if ($0 == "---") { front = 0; next }
            if (sub(/^title: /, "")) {
                s = $0
                gsub(/\\\\/, "", s)
                if (s !~ /^"[^"]*"$/) bad("raw quote in the title")
            }
            next
        }
        {
            inside = 0
            n = length($0)
            for (i = 1; i <= n; i++) {
                if (substr($0, i, 1) != "\"") continue
                if (!inside) {
                    if (i == 1 || index("([|{>", substr($0, i - 1, 1)) == 0) bad("quote inside a label")
                    inside = 1
                } else {
                    if (index(")]|}", substr($0, i + 1, 1)) == 0) bad("quote inside a label")
                    inside = 0
                }
            }
            if (inside) bad("label not closed on its line")
        }
        END { exit status }' "$1"
}

# A generated page shows its labels as text: outside the ```mermaid blocks
# no `<` but the page's own markup, and no `|` from a label that would add a
# table cell (an escaped backslash or pipe is text).
markdown_ok() {
    awk '
        function bad(why) { printf "%s:%d: %s: %s\n", FILENAME, FNR, why, $0; status = 1 }
        /^```mermaid$/ { inblock = 1; next }
        inblock { if ($0 == "```") inblock = 0; next }
        {
            line = $0
            if (FNR == 1) sub(/^<!-- [^<>]* -->$/, "", line)
            gsub(/<br>/, "", line)
            gsub(/<a id="[a-z0-9_-]*"><\/a>/, "", line)
            if (index(line, "<")) bad("raw < outside a mermaid block")
            if (substr($0, 1, 1) != "|") { cells = 0; next }
            row = $0
            gsub(/\\\\/, "", row)
            gsub(/\\\|/, "", row)
            n = gsub(/\|/, "", row)
            if (cells == 0) cells = n
            else if (n != cells) bad("table row with " n " bars, its header has " cells)
        }
        END { exit status }' "$1"
}

check_valid() {
    rule=$1 name=$2
    out=$tmp/$name
    if ! "$REGC" gen -o "$out" "$rule" > "$tmp/gen.log" 2>&1; then
        fail "$name: regc gen failed"
        show "$tmp/gen.log"
        return
    fi
    dir=$out/hostile
    service=$(service_of "$rule")
    compiles_and_keeps_labels "$rule" "$dir" "$service" "$name" || return
    pass
    if "$tmp/check_json" "$rule" "$dir/$service.json" > "$tmp/json.log" 2>&1; then
        pass
    else
        fail "$name: JSON model invalid or a label changed"
        show "$tmp/json.log"
    fi
    ok=1
    for d in "$dir"/*.dot; do
        [ -f "$d" ] || continue
        if ! dot -Tsvg "$d" -o "$d.svg" 2> "$tmp/dot.log" || [ -s "$tmp/dot.log" ]; then
            fail "$name: $(basename "$d") does not render cleanly with dot"
            show "$tmp/dot.log"
            ok=0
        fi
    done
    for m in "$dir"/*.mmd; do
        [ -f "$m" ] || continue
        if ! mermaid_quotes_ok "$m" > "$tmp/mmd.log"; then
            fail "$name: $(basename "$m") has a raw quote in a label"
            show "$tmp/mmd.log"
            ok=0
        fi
    done
    for x in "$dir"/*.bpmn; do
        [ -f "$x" ] || continue
        if ! xmllint --noout "$x" > "$tmp/xml.log" 2>&1; then
            fail "$name: $(basename "$x") is not well-formed XML"
            show "$tmp/xml.log"
            ok=0
        elif LC_ALL=C grep -n "$invisible" "$x" > "$tmp/xml.log"; then
            fail "$name: $(basename "$x") holds a raw invisible character"
            show "$tmp/xml.log"
            ok=0
        fi
    done
    for p in "$dir"/*.md; do
        [ -f "$p" ] || continue
        if ! markdown_ok "$p" > "$tmp/md.log"; then
            fail "$name: $(basename "$p") lets a label act as Markdown"
            show "$tmp/md.log"
            ok=0
        elif LC_ALL=C grep -n "$invisible" "$p" > "$tmp/md.log"; then
            fail "$name: $(basename "$p") holds a raw invisible character"
            show "$tmp/md.log"
            ok=0
        fi
    done
    [ "$ok" -eq 1 ] && pass
    "$REGC" gen -o "$out.again" "$rule" > /dev/null 2>&1
    # The compiled objects and checkers are ours, not regc output; the stamp
    # holds the files' identities (inodes, times).
    if diff -r -x '*.o' -x '*.svg' -x check_machine -x .regc-gen-stamp "$out" "$out.again" > /dev/null 2>&1; then
        pass
    else
        fail "$name: a second regc gen gives different bytes"
    fi
}

# Refused: exit status 1 and the expected message.
check_refused() {
    rule=$1 name=$2 message=$3
    NO_COLOR=1 "$REGC" check "$rule" > /dev/null 2> "$tmp/check.log"
    rc=$?
    if [ "$rc" -ne 1 ]; then
        fail "$name: regc check exit status $rc, expected 1"
        show "$tmp/check.log"
    elif ! grep -qF -- "$message" "$tmp/check.log"; then
        fail "$name: no \"$message\" in the diagnostics"
        show "$tmp/check.log"
    else
        pass
    fi
}

# ---- valid hostile labels ----
for rule in tests/hostile/*.reg; do
    name=$(basename "$rule" .reg)
    case $name in bad_* | names_*) continue ;; esac
    check_valid "$rule" "$name"
done

# Raw bytes the text files do not hold: a raw tab and DEL inside strings are
# allowed and must survive every back end.
{
    printf 'regulation controls {\n  title kk "tab:\t: del:\177: end"\n  region hostile\n'
    printf '  result ok "\t"\n  actor a "\177"\n  variant issue "i" result ok\n'
    printf '  step s "s\tt" by a takes 1m -> end\n}\n'
} > "$tmp/controls.reg"
check_valid "$tmp/controls.reg" controls

# ---- refused ----
check_refused tests/hostile/bad_escape_x00.reg bad_escape_x00 'unknown escape `\x` in string'
check_refused tests/hostile/bad_escape_u.reg bad_escape_u 'unknown escape `\u` in string'
check_refused tests/hostile/bad_raw_newline.reg bad_raw_newline 'unterminated string'

# Made from raw bytes: the title of a small valid regulation is replaced.
with_title() {
    printf 'regulation raw {\n  title kk "%b"\n  region hostile\n  result ok "ok"\n' "$1"
    printf '  actor a "a"\n  variant issue "i" result ok\n  step s "s" by a takes 1m -> end\n}\n'
}
i=0
while read -r bytes message; do
    i=$((i + 1))
    with_title "$bytes" > "$tmp/raw$i.reg"
    check_refused "$tmp/raw$i.reg" "raw bytes \"$bytes\"" "$message"
done <<'EOF'
a\0000b NUL byte in string
a\0303(b invalid UTF-8 byte 0xC3 in string
a\0377b invalid UTF-8 byte 0xFF in string
a\0300\0257b invalid UTF-8 byte 0xC0 in string
a\0355\0240\0200b invalid UTF-8 byte 0xED in string
a\0364\0220\0200\0200b invalid UTF-8 byte 0xF4 in string
a\0342\0200 invalid UTF-8 byte 0xE2 in string
a\0033[31mred control character 0x1B in string
a\0015b control character 0x0D in string
EOF

# ---- names that collide in generated C ----
for rule in tests/hostile/names_*.reg; do
    name=$(basename "$rule" .reg)
    out=$tmp/$name
    "$REGC" gen -o "$out" "$rule" > "$tmp/gen.log" 2>&1
    rc=$?
    if [ "$rc" -eq 1 ] && grep -q 'error' "$tmp/gen.log"; then
        pass
    elif [ "$rc" -ne 0 ]; then
        fail "$name: regc gen exit status $rc"
        show "$tmp/gen.log"
    elif compiles_and_keeps_labels "$rule" "$out/hostile" "$(service_of "$rule")" "$name"; then
        pass
    fi
done

# ---- inputs saved by the fuzzer ----
# None may crash a command (exit status above 3, or a sanitizer report), and
# `regc fmt` must be a fixed point: its output formats to itself and is
# accepted by `regc check` exactly as the input was.
sanitizer='AddressSanitizer|LeakSanitizer|runtime error|UndefinedBehaviorSanitizer'
for input in tests/fuzz/regressions/*; do
    [ -f "$input" ] || continue
    name=regression/$(basename "$input")
    ok=1
    for cmd in check fmt export; do
        "$REGC" $cmd "$input" > "$tmp/out" 2> "$tmp/err"
        rc=$?
        if [ "$rc" -gt 3 ] || grep -qE "$sanitizer" "$tmp/err"; then
            fail "$name: regc $cmd crashed (exit status $rc)"
            show "$tmp/err"
            ok=0
        fi
    done
    "$REGC" gen -o "$tmp/regen" "$input" > /dev/null 2> "$tmp/err"
    rc=$?
    if [ "$rc" -gt 3 ] || grep -qE "$sanitizer" "$tmp/err"; then
        fail "$name: regc gen crashed (exit status $rc)"
        show "$tmp/err"
        ok=0
    fi
    if "$REGC" fmt "$input" > "$tmp/once.reg" 2> /dev/null; then
        "$REGC" check "$input" > /dev/null 2>&1
        before=$?
        "$REGC" check "$tmp/once.reg" > /dev/null 2>&1
        after=$?
        "$REGC" fmt "$tmp/once.reg" > "$tmp/twice.reg" 2> /dev/null
        if ! cmp -s "$tmp/once.reg" "$tmp/twice.reg"; then
            fail "$name: regc fmt is not a fixed point"
            diff "$tmp/once.reg" "$tmp/twice.reg" | head -n 6 | sed 's/^/    /'
            ok=0
        elif [ "$before" -ne "$after" ]; then
            fail "$name: regc check gives $before on the input but $after on its fmt output"
            ok=0
        fi
    fi
    [ "$ok" -eq 1 ] && pass
done

# A NUL byte inside a comment: it must be refused like a NUL anywhere else,
# or `regc fmt -w` must keep what follows it. (Today it silently drops it.)
printf 'regulation c {\n  title kk "t" // kept\000lost\n  region hostile\n  result ok "ok"\n  actor a "a"\n  variant issue "i" result ok\n  step s "s" by a takes 1m -> end\n}\n' > "$tmp/comment_nul.reg"
if NO_COLOR=1 "$REGC" check "$tmp/comment_nul.reg" 2>&1 | grep -q 'NUL byte'; then
    pass
elif "$REGC" fmt "$tmp/comment_nul.reg" 2> /dev/null | grep -qa 'lost'; then
    pass
else
    fail "comment_nul: a NUL byte in a comment is accepted and regc fmt drops the rest of the comment"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
