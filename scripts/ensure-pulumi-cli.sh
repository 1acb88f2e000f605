#!/usr/bin/env bash
# Prints the path of a usable `pulumi` CLI (>= v3.259.0) on stdout; progress goes to stderr. Exit 0 whenever a
# usable CLI results, else non-zero with the reason.
# Order: $PULUMI_CLI_PATH, the cached build, `pulumi` on PATH, else build v3.259.0 from the Go module proxy.
# The build lands in a cache outside the repo and is reused; it is never committed.
set -euo pipefail
SETUP_NAME=ensure-pulumi-cli
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"

VERSION="3.259.0"
PREFIX="$CACHE_ROOT/pulumi-v$VERSION"
BIN="$PREFIX/bin/pulumi"

# The dynamic-provider plugin (pulumi-resource-pulumi-nodejs) ships inside @pulumi/pulumi: a small script that runs
# the dynamic-provider host of the @pulumi/pulumi it resolves from the program's directory, so it belongs to no clone.
# The engine finds bundled plugins next to its binary; the cached CLI gets its own copy there (a file, never a link:
# nothing in the shared cache points into a clone). Older versions of this script linked it into whichever clone ran
# last; such a link is replaced.
install_nodejs_plugin() {
  local dir="$1" plugin="$REPO_ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  local target="$dir/pulumi-resource-pulumi-nodejs"
  [ -w "$dir" ] || return 0
  if [ -L "$target" ]; then rm -f "$target"; fi
  [ -f "$plugin" ] || return 0 # before npm ci: the next run installs it
  if [ -f "$target" ] && cmp -s "$plugin" "$target"; then return 0; fi
  cp "$plugin" "$target.tmp.$$" && chmod 755 "$target.tmp.$$" && mv -f "$target.tmp.$$" "$target"
}

version_ok() { # version_ok <binary>: is it at least v$VERSION?
  local v
  v="$("$1" version 2>/dev/null | tr -d 'v\r' | head -n1)" || return 1
  [ -n "$v" ] || return 1
  [ "$(printf '%s\n%s\n' "$VERSION" "${v%%-*}" | sort -V | head -n1)" = "$VERSION" ]
}

finish() {
  case "$1" in "$CACHE_ROOT"/*) install_nodejs_plugin "$(dirname "$1")" || true ;; esac
  printf '%s\n' "$1"
  exit 0
}

if [ -n "${PULUMI_CLI_PATH:-}" ]; then
  [ -x "$PULUMI_CLI_PATH" ] || fail "PULUMI_CLI_PATH=$PULUMI_CLI_PATH is not an executable file"
  finish "$PULUMI_CLI_PATH"
fi
[ -x "$BIN" ] && version_ok "$BIN" && finish "$BIN"
if command -v pulumi >/dev/null 2>&1 && version_ok "$(command -v pulumi)"; then
  finish "$(command -v pulumi)"
fi

command -v go >/dev/null 2>&1 || fail "no pulumi CLI >= v$VERSION was found and the go tool is not installed.
Install Go >= 1.25.11 (https://go.dev/doc/install) so this script can build the CLI, or install pulumi
v$VERSION or later and put it on PATH, or point PULUMI_CLI_PATH at it."
require_go 1.25.11

lock_cache pulumi-cli
[ -x "$BIN" ] && version_ok "$BIN" && finish "$BIN"

log "building pulumi v$VERSION with $(go version | cut -d' ' -f3) from the Go module proxy into $PREFIX"
log "(first time only: downloads about 270 MB of modules (700 MB unpacked) and compiles for about 5 minutes on 2 cores)."
open_setup_log
go_build_tool "$PREFIX/bin/pulumi.new" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
  "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$VERSION" \
  "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$VERSION" "github.com/pulumi/pulumi/sdk/v3@v$VERSION"

built="$("$PREFIX/bin/pulumi.new" version 2>/dev/null || true)"
[ "$built" = "v$VERSION" ] || fail "the built binary reports '$built', expected v$VERSION"
mv -f "$PREFIX/bin/pulumi.new" "$BIN"
log "built $BIN ($built)"
finish "$BIN"
