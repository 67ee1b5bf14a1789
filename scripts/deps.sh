#!/bin/sh
# deps.sh GROUP... - make sure the Debian packages that GROUP needs are here.
#
#   build     what `make` needs: the C compiler, flex and bison, pkg-config,
#             the headers of cJSON, SQLite and libpq, Graphviz (the diagrams)
#   test      what `make test` needs on top: cmocka, the sqlite3 and psql
#             tools and a PostgreSQL server, valgrind, jq, GNU time; for
#             tests/suites/bpmn.sh xmllint, Chromium (with a font), Node.js
#             and npm when there is no node, and the npm packages pinned in
#             tests/bpmn/package-lock.json (npm ci, whenever the lock file is
#             newer than the installed tree; nothing downloads a browser:
#             puppeteer drives /usr/bin/chromium)
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
    test)
        want="$want libcmocka-dev sqlite3 postgresql valgrind jq time libxml2-utils chromium fonts-dejavu-core"
        command -v node > /dev/null 2>&1 || want="$want nodejs npm"
        ;;
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

# The npm packages of tests/bpmn/, once Node.js is here: npm ci when the
# tree is missing or older than the lock file. Install scripts are not run:
# the only one among these packages would fetch a browser of puppeteer's own.
npm_test_packages() {
    case " $* " in
    *" test "*)
        dir=$(dirname "$0")/../tests/bpmn
        stamp=$dir/node_modules/.package-lock.json
        if [ ! -f "$stamp" ] || [ "$dir/package-lock.json" -nt "$stamp" ]; then
            echo "deps: npm ci in tests/bpmn"
            (cd "$dir" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
        fi
        ;;
    esac
}

if [ -z "$missing" ]; then
    npm_test_packages "$@"
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
    npm_test_packages "$@"
else
    echo "deps: run this, then make again:"
    echo "    sudo apt-get install -y$missing"
    exit 1
fi
