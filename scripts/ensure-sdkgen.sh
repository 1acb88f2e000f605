#!/usr/bin/env bash
# Prints the path of the SDK generator (scripts/generate/sdkgen) on stdout; progress on stderr. Built once per
# version of its source with the go tool, against github.com/pulumi/pulumi/pkg/v3 v3.259.0 from the Go module proxy
# (the modules the CLI build already fetched), into the cache outside the repository; never committed.
set -euo pipefail
SETUP_NAME=ensure-sdkgen
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/go-tools.sh"

PULUMI_VERSION="3.259.0"
own_go_tool sdkgen "the SDK generator" "$REPO_ROOT/scripts/generate/sdkgen" \
  "v$PULUMI_VERSION" "pulumi pkg/v3 v$PULUMI_VERSION" \
  "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION"
