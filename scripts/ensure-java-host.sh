#!/usr/bin/env bash
# Prints the path of a `pulumi-language-java` language host next to the pulumi CLI on stdout; progress on stderr.
# Java programs need it, and the CLI finds it next to its own binary, as it finds the YAML host. Built once from the
# Go module proxy (pulumi-java, lib/java.sh) into the cache beside the CLI; never committed. It runs programs with
# the `mvn` (and `java`) on PATH.
# Usage: ensure-java-host.sh [<dir of the pulumi binary>]   (default: the CLI ensure-pulumi-cli.sh provides)
set -euo pipefail
SETUP_NAME=ensure-java-host
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/java.sh"

CLI_DIR="${1:-$(dirname "$(bash "$(dirname "${BASH_SOURCE[0]}")/ensure-pulumi-cli.sh")")}"
BIN="$CLI_DIR/pulumi-language-java"

STAMP="$BIN.version"
# A stamp written after a successful build records which version sits there.
usable() { [ -x "$BIN" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$PULUMI_JAVA_VERSION" ]; }
if usable; then
  printf '%s\n' "$BIN"
  exit 0
fi
[ -w "$CLI_DIR" ] || fail "$CLI_DIR is not writable: the Java language host must sit next to the pulumi binary"
require_go 1.25.11
lock_cache java-host
if ! usable; then
  log "building pulumi-language-java v$PULUMI_JAVA_VERSION from the Go module proxy (first time only: about 90 modules to download, 2 minutes of CPU to compile)"
  open_setup_log
  go_build_tool "$BIN" "$PULUMI_JAVA_MODULE/cmd/pulumi-language-java" \
    "-X $PULUMI_JAVA_MODULE/version.Version=v$PULUMI_JAVA_VERSION" \
    "$PULUMI_JAVA_MODULE/cmd/pulumi-language-java@v$PULUMI_JAVA_VERSION"
  [ -x "$BIN" ] || fail "go build did not produce $BIN"
  printf '%s\n' "$PULUMI_JAVA_VERSION" >"$STAMP.tmp" && mv "$STAMP.tmp" "$STAMP"
fi
printf '%s\n' "$BIN"
