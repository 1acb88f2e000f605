#!/usr/bin/env bash
# Prints the path of a `pulumi-language-yaml` language host (v1.25.0) next to the pulumi CLI on stdout; progress on
# stderr. YAML programs need it, and the CLI finds it next to its own (real, not symlinked) binary. Built once from
# the Go module proxy into the cache beside the CLI; never committed.
# Usage: ensure-yaml-host.sh [<dir of the pulumi binary>]   (default: the CLI ensure-pulumi-cli.sh provides)
set -euo pipefail
SETUP_NAME=ensure-yaml-host
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"

VERSION="1.25.0"
CLI_DIR="${1:-$(dirname "$(bash "$(dirname "${BASH_SOURCE[0]}")/ensure-pulumi-cli.sh")")}"
BIN="$CLI_DIR/pulumi-language-yaml"

STAMP="$BIN.version"
# The host has no --version flag: a stamp written after a successful build records which version sits there.
usable() { [ -x "$BIN" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$VERSION" ]; }
if usable; then
  printf '%s\n' "$BIN"
  exit 0
fi
[ -w "$CLI_DIR" ] || fail "$CLI_DIR is not writable: the YAML language host must sit next to the pulumi binary"
require_go 1.25.11
lock_cache yaml-host
if ! usable; then
  # pulumi-yaml v1.25.0 builds against pulumi pkg/sdk v3.206.0 (not v3.259.0): its own wrapper module.
  log "building pulumi-language-yaml v$VERSION from the Go module proxy (first time only: about 1 minute with warm Go caches, 5 cold)"
  open_setup_log
  go_build_tool "$BIN" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml \
    "-X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$VERSION" \
    "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v$VERSION"
  [ -x "$BIN" ] || fail "go build did not produce $BIN"
  printf '%s\n' "$VERSION" >"$STAMP.tmp" && mv "$STAMP.tmp" "$STAMP"
fi
printf '%s\n' "$BIN"
