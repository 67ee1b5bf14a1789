#!/bin/sh
# build.sh [BUILD] - compile the libFuzzer harnesses into BUILD/fuzz/.
#
# The compiler sources and the flex/bison outputs in BUILD/gen/ (made by
# `make regc`) are compiled again with clang's fuzzer, address and undefined
# behaviour instrumentation, so the fuzzer sees coverage inside the parser
# tables and every memory error aborts. They go into an archive, so a source
# file that is still being written (and not yet referenced) does not break
# the link.
set -eu
BUILD=${1:-build}
CLANG=${CLANG:-clang}
OUT=$BUILD/fuzz
OBJ=$OUT/obj
GEN=$BUILD/gen

for f in parser.c parser.h lexer.c lexer.h; do
    if [ ! -f "$GEN/$f" ]; then
        echo "build.sh: $GEN/$f is missing; run \`make regc\` first" >&2
        exit 2
    fi
done

SAN="-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"
CFLAGS="-std=c11 -g -O1 -fno-omit-frame-pointer -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE"
# The same allowances the Makefile gives generated scanner and parser code.
GEN_FLAGS="-Wno-unused-function -Wno-sign-compare -Wno-unused-parameter"
INC="-Icompiler -I$GEN -Iruntime"

rm -rf "$OBJ"
mkdir -p "$OBJ"
for src in compiler/*.c; do
    [ "$src" = compiler/main.c ] && continue
    $CLANG $CFLAGS $SAN $INC -c "$src" -o "$OBJ/$(basename "$src" .c).o"
done
for g in parser lexer; do
    $CLANG $CFLAGS $GEN_FLAGS $SAN $INC -c "$GEN/$g.c" -o "$OBJ/gen_$g.o"
done
rm -f "$OUT/libregc_fuzz.a"
ar rcs "$OUT/libregc_fuzz.a" "$OBJ"/*.o

# The runtime, for the harnesses of the event reader (fuzz_events) and the
# calendar reader (fuzz_calendar). Its libraries by pkg-config.
RT_INC="-Iruntime $(pkg-config --cflags libcjson sqlite3 libpq)"
RT_LIBS=$(pkg-config --libs libcjson sqlite3 libpq)
mkdir -p "$OBJ/runtime"
for src in runtime/*.c; do
    [ "$src" = runtime/region_main.c ] && continue
    $CLANG $CFLAGS $SAN $RT_INC -c "$src" -o "$OBJ/runtime/$(basename "$src" .c).o"
done
rm -f "$OUT/libregrt_fuzz.a"
ar rcs "$OUT/libregrt_fuzz.a" "$OBJ"/runtime/*.o

for h in tests/fuzz/fuzz_*.c; do
    name=$(basename "$h" .c)
    case $name in
    fuzz_events | fuzz_calendar)
        $CLANG $CFLAGS $SAN $RT_INC "$h" "$OUT/libregrt_fuzz.a" $RT_LIBS -o "$OUT/$name" ;;
    *)
        # regc checks calendars with the runtime's reader: the runtime's
        # archive after the compiler's.
        $CLANG $CFLAGS $SAN $INC "$h" "$OUT/libregc_fuzz.a" "$OUT/libregrt_fuzz.a" $RT_LIBS -o "$OUT/$name" ;;
    esac
    echo "  FUZZ  $OUT/$name"
done
