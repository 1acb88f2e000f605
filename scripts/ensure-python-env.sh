#!/usr/bin/env bash
# Prints the path of a Python interpreter whose virtualenv has what the plugin's Python SDK needs (pulumi 3.259.0 —
# the Automation API included —, parver, semver, setuptools to install the SDK) on stdout; progress on stderr.
# Made once from PyPI into the cache outside the repository; a half-made env is never used.
set -euo pipefail
SETUP_NAME=ensure-python-env
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"

PULUMI_VERSION="3.259.0"
REQUIREMENTS=("pulumi==$PULUMI_VERSION" "parver>=0.2.1" "semver>=2.8.1" "setuptools>=61.0" "wheel")
KEY="$(printf '%s\n' "${REQUIREMENTS[@]}" | { sha256sum 2>/dev/null || shasum -a 256; } | cut -c1-12)"
ENV_DIR="$CACHE_ROOT/python-pulumi-$PULUMI_VERSION-$KEY"
PY="$ENV_DIR/bin/python"

if [ -x "$PY" ] && [ -f "$ENV_DIR/.complete" ]; then
  printf '%s\n' "$PY"
  exit 0
fi
PYTHON="${PYTHON:-python3}"
command -v "$PYTHON" >/dev/null 2>&1 || fail "python3 is not installed (Python >= 3.9 is needed for the Python SDK tests)"
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' ||
  fail "$("$PYTHON" --version 2>&1) is too old: the Python SDK needs Python >= 3.9"
lock_cache python-env
if [ ! -f "$ENV_DIR/.complete" ]; then
  log "creating a virtualenv with pulumi $PULUMI_VERSION from PyPI in $ENV_DIR (first time only: about a minute)"
  open_setup_log
  rm -rf "$ENV_DIR"
  run_stage "python -m venv" "" "" "$PYTHON" -m venv "$ENV_DIR" ||
    fail "python3 -m venv failed (on Debian/Ubuntu: apt-get install python3-venv)"
  run_stage "pip install (from PyPI)" '^Collecting ' "packages collected" \
    "$PY" -m pip install --disable-pip-version-check --progress-bar off "${REQUIREMENTS[@]}" ||
    fail "pip install ${REQUIREMENTS[*]} failed: is PyPI reachable?"
  touch "$ENV_DIR/.complete"
fi
printf '%s\n' "$PY"
