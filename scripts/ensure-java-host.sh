#!/usr/bin/env bash
# Prints the path of a `pulumi-language-java` language host next to the pulumi CLI on stdout; progress on stderr.
# Java programs need it, and the CLI finds it next to its own binary, as it finds the YAML host. Built once from the
# Go module proxy (pulumi-java, lib/java.sh) into the cache beside the CLI; never committed. It runs programs with
# the `mvn` (and `java`) on PATH.
# Usage: ensure-java-host.sh [<dir of the pulumi binary>]   (default: the CLI ensure-pulumi-cli.sh provides)
set -euo pipefail
SETUP_NAME=ensure-java-host
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-tools.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/java.sh"

CLI_DIR="${1:-$(dirname "$(bash "$(dirname "${BASH_SOURCE[0]}")/ensure-pulumi-cli.sh")")}"
host_beside_cli "$CLI_DIR" pulumi-language-java "$PULUMI_JAVA_VERSION" \
  "about 90 modules to download, 2 minutes of CPU to compile" \
  "$PULUMI_JAVA_MODULE/cmd/pulumi-language-java" \
  "-X $PULUMI_JAVA_MODULE/version.Version=v$PULUMI_JAVA_VERSION" \
  "$PULUMI_JAVA_MODULE/cmd/pulumi-language-java@v$PULUMI_JAVA_VERSION"
