#!/usr/bin/env bash
# Installs everything (system packages, .venv) and runs every check and test.
# This is the README's test command and what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh all
export QT_QPA_PLATFORM=offscreen
export PATH="$PWD/.venv/bin:$PATH"
echo "== ruff check"
ruff check .
echo "== pymarkdownlnt: runbooks/"
pymarkdown --config pyproject.toml scan runbooks
echo "== runbook-viewer check: runbooks/"
runbook-viewer check --library runbooks
echo "== pytest"
python -m pytest "$@"
