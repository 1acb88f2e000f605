#!/usr/bin/env bash
# Prints the path of the Java SDK generator (scripts/generate/sdkgen-java) on stdout; progress on stderr. Built once
# per version of its source with the go tool, against pulumi-java's code generator (lib/java.sh) from the Go module
# proxy, into the cache outside the repository; never committed.
set -euo pipefail
SETUP_NAME=ensure-java-sdkgen
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-tools.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/java.sh"

own_go_tool sdkgen-java "the Java SDK generator" "$REPO_ROOT/scripts/generate/sdkgen-java" \
  "v$PULUMI_JAVA_VERSION" "pulumi-java v$PULUMI_JAVA_VERSION" "$PULUMI_JAVA_MODULE@v$PULUMI_JAVA_VERSION"
