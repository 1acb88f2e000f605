#!/usr/bin/env bash
# Prints the path of the SDK generator (scripts/generate/sdkgen) on stdout; progress on stderr. Built once per
# version of its source with the go tool, against github.com/pulumi/pulumi/pkg/v3 v3.259.0 from the Go module proxy
# (the modules the CLI build already fetched), into the cache outside the repository; never committed.
set -euo pipefail
SETUP_NAME=ensure-sdkgen
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"

PULUMI_VERSION="3.259.0"
SOURCES="$REPO_ROOT/scripts/generate/sdkgen"
KEY="$(cat "$SOURCES"/*.go | { sha256sum 2>/dev/null || shasum -a 256; } | cut -c1-12)"
BIN="$CACHE_ROOT/sdkgen-v$PULUMI_VERSION-$KEY/sdkgen"

if [ -x "$BIN" ]; then
  printf '%s\n' "$BIN"
  exit 0
fi
require_go 1.25.11
lock_cache sdkgen
if [ ! -x "$BIN" ]; then
  log "building the SDK generator against pulumi pkg/v3 v$PULUMI_VERSION (first time only: about 1 minute with warm Go caches)"
  open_setup_log
  GO_BUILD_SOURCES="$SOURCES" go_build_tool "$BIN" . "" \
    "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION"
fi
printf '%s\n' "$BIN"
