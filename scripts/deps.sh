#!/bin/sh
# deps.sh GROUP... - make sure the Debian packages that GROUP needs are here.
#
#   build     what `make` needs: the C compiler, flex and bison, pkg-config,
#             the headers of cJSON, SQLite and libpq, Graphviz (the diagrams)
#   test      what `make test` needs on top: cmocka, the sqlite3 and psql
#             tools and a PostgreSQL server, valgrind, jq, GNU time
#   fuzz      what `make fuzz` needs on top: clang with its libFuzzer runtime
#   coverage  what `make coverage` needs on top: gcovr
#
# Installs the missing ones with apt-get when run as root; otherwise prints
# the exact command to run and fails. No package name belongs to one Debian
# release: the fuzzer runtime is the one of the installed clang.
set -eu

[ $# -gt 0 ] || set -- build

want=""
for group in "$@"; do
    case $group in
    build) want="$want gcc make flex bison pkg-config libcjson-dev libsqlite3-dev libpq-dev graphviz" ;;
    test) want="$want libcmocka-dev sqlite3 postgresql valgrind jq time" ;;
    fuzz) want="$want clang" ;;
    coverage) want="$want gcovr" ;;
    *) echo "deps: unknown group \`$group\` (build, test, fuzz, coverage)" >&2; exit 2 ;;
    esac
done

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=""
for p in $want; do
    installed "$p" || missing="$missing $p"
done

# clang's libFuzzer runtime is packaged apart from clang, under a name that
# carries clang's major version on some releases: ask the installed clang
# whether it can link a fuzzer, and name the package of its own version.
fuzzer_runtime() {
    command -v clang > /dev/null 2>&1 || return 0
    tmp=$(mktemp -d)
    printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
        > "$tmp/f.c"
    if clang -fsanitize=fuzzer "$tmp/f.c" -o "$tmp/f" > /dev/null 2>&1; then
        rm -rf "$tmp"
        return 0
    fi
    rm -rf "$tmp"
    major=$(clang -dumpversion | cut -d. -f1)
    for p in "libclang-rt-$major-dev" libclang-rt-dev; do
        if apt-cache show "$p" > /dev/null 2>&1; then
            echo "$p"
            return 0
        fi
    done
    echo "libclang-rt-$major-dev"
}

case " $* " in
*" fuzz "*)
    if [ -z "$missing" ]; then
        rt=$(fuzzer_runtime)
        [ -z "$rt" ] || missing="$missing $rt"
    fi
    ;;
esac

if [ -z "$missing" ]; then
    exit 0
fi

echo "deps: missing Debian packages for $*:$missing"
if [ "$(id -u)" = "0" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing
    echo "deps: installed:$missing"
    # clang came just now: its fuzzer runtime is known only once it is here.
    case " $* " in
    *" fuzz "*)
        rt=$(fuzzer_runtime)
        if [ -n "$rt" ]; then
            apt-get install -y -qq --no-install-recommends "$rt"
            echo "deps: installed: $rt"
        fi
        ;;
    esac
else
    echo "deps: run this, then make again:"
    echo "    sudo apt-get install -y$missing"
    exit 1
fi
