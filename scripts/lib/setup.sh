# Shared by the set-up scripts (sourced, not run): the cache outside the repository, a quiet terminal (tool output
# goes to a log file in the cache; the terminal shows the stage, a progress figure and, on failure, the log's last
# lines), one builder per tool at a time, and a work dir and a progress reporter that are always cleaned up,
# whatever the exit path. A script that sources this sets SETUP_NAME first and prints only its result on stdout.
#
# Usage in a set-up script:
#   open_setup_log [<name>]                      # $CACHE_ROOT/logs/<name or SETUP_NAME>.log, path printed once
#   run_stage "go get" '^go: downloading' "modules fetched" go get ... || fail "go get failed (exit $?): ..."

CACHE_ROOT="${PULUMI_ELASTIC_KEYS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-elastic-keys}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

log() { printf '%s: %s\n' "${SETUP_NAME:-setup}" "$*" >&2; }
fail() {
  log "$*"
  [ -z "$SETUP_LOG" ] || log "full log: $SETUP_LOG"
  exit 1
}

WORK=""
PROGRESS=""
SETUP_LOG=""

# The tool output of this set-up goes to one log file in the cache from here on (rewritten on each build).
open_setup_log() {
  mkdir -p "$CACHE_ROOT/logs"
  SETUP_LOG="$CACHE_ROOT/logs/${1:-$SETUP_NAME}.log"
  printf '# %s, %s\n' "${1:-$SETUP_NAME}" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$SETUP_LOG"
  log "tool output: $SETUP_LOG"
}

elapsed_since() { # elapsed_since <SECONDS at start>: "42s" or "3m07s"
  local s=$((SECONDS - $1))
  if [ "$s" -lt 60 ]; then printf '%ss' "$s"; else printf '%dm%02ds' $((s / 60)) $((s % 60)); fi
}

# progress_figure <first log line of the stage> <count pattern> <noun> <start>: "412 modules fetched, 3m07s".
progress_figure() {
  local n=""
  if [ -n "$2" ]; then n="$(tail -n "+$1" "$SETUP_LOG" 2>/dev/null | grep -c -E "$2" || true)"; fi
  printf '%s%s' "${n:+$n $3, }" "$(elapsed_since "$4")"
}

# While a stage runs: on a terminal one line redrawn every second, otherwise a line every
# PULUMI_ELASTIC_KEYS_HEARTBEAT_SECONDS (30). Its `sleep` gets no stdio of ours: a sleeping child that inherited the
# caller's pipes would keep the caller waiting after this script exited. It stops by itself if its owner dies.
start_progress() {
  local what="$1" from="$2" pattern="$3" noun="$4" start="$5" owner="$BASHPID" tty=""
  local interval="${PULUMI_ELASTIC_KEYS_HEARTBEAT_SECONDS:-30}"
  if [ -t 2 ]; then tty=1 interval=1; fi
  (
    trap 'kill $! 2>/dev/null; exit 0' TERM
    while :; do
      sleep "$interval" </dev/null >/dev/null 2>&1 &
      wait $!
      kill -0 "$owner" 2>/dev/null || exit 0
      if [ -n "$tty" ]; then
        printf '\r\033[K%s: %s: %s' "$SETUP_NAME" "$what" "$(progress_figure "$from" "$pattern" "$noun" "$start")" >&2
      else
        log "... $what: $(progress_figure "$from" "$pattern" "$noun" "$start")"
      fi
    done
  ) &
  PROGRESS=$!
}

# Idempotent: safe from the EXIT trap after an explicit stop.
stop_progress() {
  [ -n "$PROGRESS" ] || return 0
  kill "$PROGRESS" 2>/dev/null || true
  wait "$PROGRESS" 2>/dev/null || true
  PROGRESS=""
  if [ -t 2 ]; then printf '\r\033[K' >&2; fi
}

# run_stage <what> <count pattern (ERE) or ""> <noun> <command...>: runs the command with its output in the log, and
# one line on the terminal when it ends. On failure the log's last lines (PULUMI_ELASTIC_KEYS_LOG_TAIL, 20) are
# shown. Returns the command's exit status, for the caller's `|| fail "<what it means>"`.
run_stage() {
  local what="$1" pattern="$2" noun="$3" start=$SECONDS from status=0
  shift 3
  [ -n "$SETUP_LOG" ] || open_setup_log
  printf '\n# %s: %s\n' "$what" "$*" >>"$SETUP_LOG"
  from=$(($(wc -l <"$SETUP_LOG") + 1))
  if [ -t 2 ]; then printf '%s: %s ...' "$SETUP_NAME" "$what" >&2; else log "$what ..."; fi
  start_progress "$what" "$from" "$pattern" "$noun" "$start"
  "$@" </dev/null >>"$SETUP_LOG" 2>&1 || status=$?
  stop_progress
  if [ "$status" -eq 0 ]; then
    log "$what: done ($(progress_figure "$from" "$pattern" "$noun" "$start"))"
  else
    log "$what: failed with exit $status ($(progress_figure "$from" "$pattern" "$noun" "$start")); the log's last lines:"
    tail -n "+$from" "$SETUP_LOG" | tail -n "${PULUMI_ELASTIC_KEYS_LOG_TAIL:-20}" | sed 's/^/  | /' >&2
  fi
  return "$status"
}

# Never fails and keeps the script's own exit status (set -e must not turn a clean-up hiccup into a failure).
cleanup_on_exit() {
  local status=$?
  set +e
  stop_progress
  [ -n "$WORK" ] && rm -rf "$WORK"
  exit "$status"
}
trap cleanup_on_exit EXIT

# One builder of <tool> at a time; a second caller waits for the first, then finds its result.
lock_cache() {
  mkdir -p "$CACHE_ROOT"
  exec 9>"$CACHE_ROOT/$1.lock"
  if ! flock -n 9; then
    log "another set-up of $1 is running; waiting for it"
    flock 9
  fi
}

new_work_dir() {
  WORK="$(mktemp -d "$CACHE_ROOT/build.XXXXXX")"
}

# require_go <minimum>: the go tool is there and at least <minimum>, or a clear failure saying what to install.
require_go() {
  command -v go >/dev/null 2>&1 ||
    fail "the go tool is not installed. Install Go >= $1 (https://go.dev/doc/install), or see README for alternatives."
  local have
  have="$(go env GOVERSION 2>/dev/null | sed "s/^go//" || true)"
  [ "$(printf '%s\n%s\n' "$1" "${have%%-*}" | sort -V | head -n1)" = "$1" ] ||
    fail "go $have is too old: building needs Go >= $1 (https://go.dev/doc/install)."
}

# go_build_tool <out> <package> <ldflags> <module@version>...: builds a Go command in a throw-away wrapper module
# (a module with replace directives cannot be `go install`ed), with the release build's flags, into <out>.
go_build_tool() {
  local out="$1" package="$2" ldflags="$3"
  shift 3
  new_work_dir
  (
    cd "$WORK"
    printf 'module local.invalid/pulumi-elastic-keys-build\n\ngo %s\n' "$(go env GOVERSION | sed 's/^go//')" >go.mod
    export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0
    run_stage "step 1/2: go get (module download)" '^go: downloading' "modules fetched" go get "$@" ||
      fail "go get failed (exit $?): is the Go module proxy reachable (GOPROXY=$(go env GOPROXY))?"
    # A command of our own (GO_BUILD_SOURCES: a folder of .go files) is built as the wrapper module's package ".".
    if [ -n "${GO_BUILD_SOURCES:-}" ]; then cp "$GO_BUILD_SOURCES"/*.go . || fail "cannot copy $GO_BUILD_SOURCES"; fi
    # -v names each package as it is compiled: the progress figure.
    run_stage "step 2/2: go build" '^[[:alnum:]_.~/-]+$' "packages compiled" \
      go build -v -trimpath -tags osusergo,grpcnotrace -ldflags "-s -w $ldflags" -o "$WORK/out" "$package" ||
      fail "go build of $package failed (exit $?): the compiler's messages are in the log's last lines above."
  ) || exit 1
  mkdir -p "$(dirname "$out")"
  mv -f "$WORK/out" "$out.tmp.$$" && mv -f "$out.tmp.$$" "$out" # atomic on one filesystem
}
