#!/usr/bin/env bash
# Prints the path of a Maven local repository in the cache on stdout (progress on stderr) that holds everything a
# Java program on the plugin's Java SDK needs to build and run offline (`mvn -o`): com.pulumi:pulumi and its
# dependencies, the Maven plugins the poms pin, and the generated SDK itself. Made once from Maven Central by doing
# what a user does — `mvn install` of plugin/sdks/java, then building and starting a Java program
# (test/sdk/java) — in copies, so the checkout gets no target/. Made again when either pom changes; a half-made
# repository is never marked ready. Never ~/.m2: a fresh machine's path is the one every run takes.
# JAVA and MVN name the binaries to check and use here (default: java and mvn on PATH, which the language host uses).
set -euo pipefail
SETUP_NAME=ensure-java-env
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"

REPO="$CACHE_ROOT/maven-repo"
SDK="$REPO_ROOT/plugin/sdks/java"
PROGRAM="$REPO_ROOT/test/sdk/java"
KEY="$(cat "$SDK/pom.xml" "$PROGRAM/pom.xml" | { sha256sum 2>/dev/null || shasum -a 256; } | cut -c1-12)"
READY="$REPO/.ready-$KEY"

if [ -f "$READY" ]; then
  printf '%s\n' "$REPO"
  exit 0
fi
# version_at_least <minimum> <have>
version_at_least() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$1" ]; }
JAVA="${JAVA:-java}" MVN="${MVN:-mvn}"
command -v "$JAVA" >/dev/null 2>&1 ||
  fail "java is not installed: the Java SDK needs a JDK >= 11 (e.g. apt-get install openjdk-17-jdk-headless)"
have="$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9.]*\).*/\1/p' | head -n1)"
version_at_least 11 "${have:-0}" || fail "java ${have:-of unknown version} is too old: the Java SDK needs a JDK >= 11"
command -v "$MVN" >/dev/null 2>&1 ||
  fail "mvn is not installed: Java programs are built with Maven >= 3.6.3 (e.g. apt-get install maven)"
have="$("$MVN" -B -v 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g' | sed -n 's/^Apache Maven \([0-9.]*\).*/\1/p' |
  head -n1)"
version_at_least 3.6.3 "${have:-0}" ||
  fail "Maven ${have:-of unknown version} is too old: the poms' plugins need Maven >= 3.6.3"

lock_cache maven-repo
if [ ! -f "$READY" ]; then
  log "fetching what the Java SDK and a Java program build with from Maven Central into $REPO"
  log "(first time only: about 45 MB, 280 artifacts)"
  open_setup_log
  new_work_dir
  cp -R "$SDK" "$WORK/sdk" && cp -R "$PROGRAM" "$WORK/program" || fail "cannot copy $SDK and $PROGRAM"
  mvn_in() { local dir="$1"; shift; (cd "$dir" && "$MVN" -B -Dmaven.repo.local="$REPO" "$@"); }
  why="the log's last lines above say why (is Maven Central reachable?)"
  run_stage "mvn install (the generated Java SDK)" '\] Downloaded from' "artifacts fetched" \
    mvn_in "$WORK/sdk" install || fail "mvn install of the Java SDK failed (exit $?): $why"
  # What the Java language host runs before a program (which plugins it needs) builds and starts it as a run does.
  run_stage "mvn compile exec:java (a Java program)" '\] Downloaded from' "artifacts fetched" \
    mvn_in "$WORK/program" compile exec:java -DmainClass=com.pulumi.bootstrap.internal.Main -DmainArgs=packages ||
    fail "building a Java program on the SDK failed (exit $?): $why"
  mkdir -p "$REPO" && touch "$READY"
fi
printf '%s\n' "$REPO"
