#!/bin/sh
# deps.sh - make sure the Debian packages the build and tests need are here.
# Installs the missing ones with apt-get when run as root; otherwise prints
# the exact command to run and fails.
set -eu

# tool/header to look for, and the package that provides it
PACKAGES="gcc make flex bison pkg-config libcmocka-dev libcjson-dev libsqlite3-dev sqlite3 \
libpq-dev postgresql graphviz clang libclang-rt-14-dev valgrind jq time"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    exit 0
fi

echo "deps: missing Debian packages:$missing"
if [ "$(id -u)" = "0" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing
    echo "deps: installed:$missing"
else
    echo "deps: run this, then make again:"
    echo "    sudo apt-get install -y$missing"
    exit 1
fi
