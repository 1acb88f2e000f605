#!/usr/bin/env bash
# Prints the path of a `pulumi-language-yaml` language host (v1.25.0) next to the pulumi CLI on stdout; progress on
# stderr. YAML programs need it, and the CLI finds it next to its own (real, not symlinked) binary. Built once from
# the Go module proxy into the cache beside the CLI; never committed.
# Usage: ensure-yaml-host.sh [<dir of the pulumi binary>]   (default: the CLI ensure-pulumi-cli.sh provides)
set -euo pipefail
SETUP_NAME=ensure-yaml-host
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-tools.sh"

VERSION="1.25.0"
CLI_DIR="${1:-$(dirname "$(bash "$(dirname "${BASH_SOURCE[0]}")/ensure-pulumi-cli.sh")")}"
# pulumi-yaml v1.25.0 builds against pulumi pkg/sdk v3.206.0 (not v3.259.0): its own wrapper module.
host_beside_cli "$CLI_DIR" pulumi-language-yaml "$VERSION" "about 1 minute with warm Go caches, 5 cold" \
  github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml \
  "-X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$VERSION" \
  "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v$VERSION"
