#!/usr/bin/env bash
# Prints the path of a usable `pulumi` CLI (>= v3.259.0) on stdout; progress goes to stderr.
# Order: $PULUMI_CLI_PATH, the cached build, `pulumi` on PATH, else build v3.259.0 from the Go module proxy.
# The build lands in a cache outside the repo and is reused; it is never committed.
set -euo pipefail

VERSION="3.259.0"
CACHE_ROOT="${PULUMI_ELASTIC_KEYS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-elastic-keys}"
PREFIX="$CACHE_ROOT/pulumi-v$VERSION"
BIN="$PREFIX/bin/pulumi"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf 'ensure-pulumi-cli: %s\n' "$*" >&2; }

# The dynamic-provider plugin ships inside @pulumi/pulumi; the engine finds bundled plugins next to the binary.
link_nodejs_plugin() {
  local dir="$1" plugin="$REPO_ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  [ -x "$plugin" ] || return 0
  [ -w "$dir" ] || return 0
  ln -sfn "$plugin" "$dir/pulumi-resource-pulumi-nodejs.tmp.$$" && mv -fT "$dir/pulumi-resource-pulumi-nodejs.tmp.$$" "$dir/pulumi-resource-pulumi-nodejs"
}

version_ok() {  # version_ok <binary>: is it at least v$VERSION?
  local v
  v="$("$1" version 2>/dev/null | tr -d 'v\r' | head -n1)" || return 1
  [ -n "$v" ] || return 1
  [ "$(printf '%s\n%s\n' "$VERSION" "${v%%-*}" | sort -V | head -n1)" = "$VERSION" ]
}

finish() { link_nodejs_plugin "$(dirname "$1")"; printf '%s\n' "$1"; exit 0; }

if [ -n "${PULUMI_CLI_PATH:-}" ]; then
  [ -x "$PULUMI_CLI_PATH" ] || { log "PULUMI_CLI_PATH=$PULUMI_CLI_PATH is not an executable file"; exit 1; }
  finish "$PULUMI_CLI_PATH"
fi
[ -x "$BIN" ] && version_ok "$BIN" && finish "$BIN"
if command -v pulumi >/dev/null 2>&1 && version_ok "$(command -v pulumi)"; then
  finish "$(command -v pulumi)"
fi

if ! command -v go >/dev/null 2>&1; then
  log "no pulumi CLI >= v$VERSION was found and the go tool is not installed."
  log "Install Go >= 1.25.11 (https://go.dev/doc/install) so this script can build the CLI, or install pulumi"
  log "v$VERSION or later and put it on PATH, or point PULUMI_CLI_PATH at it."
  exit 1
fi

mkdir -p "$CACHE_ROOT"
# One builder at a time; a second caller waits, then finds the finished binary.
exec 9>"$CACHE_ROOT/build.lock"
if ! flock -n 9; then
  log "another build of pulumi v$VERSION is running; waiting for it"
  flock 9
fi
[ -x "$BIN" ] && version_ok "$BIN" && finish "$BIN"

WORK="$(mktemp -d "$CACHE_ROOT/build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
log "building pulumi v$VERSION with $(go version | cut -d' ' -f3) from the Go module proxy (first time only;"
log "downloads several hundred MB and compiles for 10-25 minutes on 2 cores). Work dir: $WORK"
cd "$WORK"
GOVER="$(go env GOVERSION | sed 's/^go//')"
printf 'module local.invalid/pulumi-cli-build\n\ngo %s\n' "$GOVER" > go.mod
export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0

# Heartbeat so the long first build is never silent.
( start=$SECONDS; while sleep 30; do log "... still building ($((SECONDS - start))s)"; done ) &
HEARTBEAT=$!
trap 'kill $HEARTBEAT 2>/dev/null; rm -rf "$WORK"' EXIT

log "step 1/2: go get (module download)"
go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$VERSION" "github.com/pulumi/pulumi/sdk/v3@v$VERSION" >&2
log "step 2/2: go build"
mkdir -p "$WORK/out"
go build -trimpath -tags osusergo,grpcnotrace \
  -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$VERSION" \
  -o "$WORK/out/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
kill $HEARTBEAT 2>/dev/null || true

built="$("$WORK/out/pulumi" version)"
[ "$built" = "v$VERSION" ] || { log "built binary reports '$built', expected v$VERSION"; exit 1; }
mkdir -p "$PREFIX/bin"
mv -f "$WORK/out/pulumi" "$BIN.tmp.$$" && mv -f "$BIN.tmp.$$" "$BIN"   # atomic on one filesystem
log "built $BIN ($built)"
finish "$BIN"
