# Sourced after lib/setup.sh by the scripts that build a Go command once with go_build_tool: a language host next to
# the pulumi CLI, or a program of our own (a folder of .go files) into the cache. Each prints the command's path on
# stdout and ends the script.

# host_beside_cli <cli dir> <name> <version> <first-time cost> <package> <ldflags> <module@version>...
# The engine finds language hosts next to its own binary. A host has no --version flag: a stamp written after a
# successful build records which version sits there.
host_beside_cli() {
  local dir="$1" name="$2" version="$3" cost="$4"
  shift 4
  local bin="$dir/$name"
  if ! host_is "$bin" "$version"; then
    [ -w "$dir" ] || fail "$dir is not writable: $name must sit next to the pulumi binary"
    require_go 1.25.11
    lock_cache "$name"
    if ! host_is "$bin" "$version"; then
      log "building $name v$version from the Go module proxy (first time only: $cost)"
      open_setup_log
      go_build_tool "$bin" "$@"
      [ -x "$bin" ] || fail "go build did not produce $bin"
      printf '%s\n' "$version" >"$bin.version.tmp" && mv "$bin.version.tmp" "$bin.version"
    fi
  fi
  printf '%s\n' "$bin"
  exit 0
}
host_is() { [ -x "$1" ] && [ "$(cat "$1.version" 2>/dev/null)" = "$2" ]; }

# own_go_tool <name> <what it is> <sources dir> <tag> <what it builds against> <module@version>...: a command of
# ours, built once per version of its sources into $CACHE_ROOT/<name>-<tag>-<hash of the sources>/<name>.
own_go_tool() {
  local name="$1" what="$2" sources="$3" tag="$4" against="$5" key
  shift 5
  key="$(cat "$sources"/*.go | { sha256sum 2>/dev/null || shasum -a 256; } | cut -c1-12)"
  local bin="$CACHE_ROOT/$name-$tag-$key/$name"
  if [ ! -x "$bin" ]; then
    require_go 1.25.11
    lock_cache "$name"
    if [ ! -x "$bin" ]; then
      log "building $what against $against (first time only: about 1 minute with warm Go caches)"
      open_setup_log
      GO_BUILD_SOURCES="$sources" go_build_tool "$bin" . "" "$@"
    fi
  fi
  printf '%s\n' "$bin"
  exit 0
}
