#!/usr/bin/env bash
# Prints the path of the Java SDK generator (scripts/generate/sdkgen-java) on stdout; progress on stderr. Built once
# per version of its source with the go tool, against pulumi-java's code generator (lib/java.sh) from the Go module
# proxy, into the cache outside the repository; never committed.
set -euo pipefail
SETUP_NAME=ensure-java-sdkgen
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/java.sh"

SOURCES="$REPO_ROOT/scripts/generate/sdkgen-java"
KEY="$(cat "$SOURCES"/*.go | { sha256sum 2>/dev/null || shasum -a 256; } | cut -c1-12)"
BIN="$CACHE_ROOT/sdkgen-java-v$PULUMI_JAVA_VERSION-$KEY/sdkgen-java"

if [ -x "$BIN" ]; then
  printf '%s\n' "$BIN"
  exit 0
fi
require_go 1.25.11
lock_cache sdkgen-java
if [ ! -x "$BIN" ]; then
  log "building the Java SDK generator against pulumi-java v$PULUMI_JAVA_VERSION (first time only: about 1 minute with warm Go caches)"
  open_setup_log
  GO_BUILD_SOURCES="$SOURCES" go_build_tool "$BIN" . "" "$PULUMI_JAVA_MODULE@v$PULUMI_JAVA_VERSION"
fi
printf '%s\n' "$BIN"
