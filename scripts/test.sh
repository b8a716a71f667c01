#!/usr/bin/env bash
# Installs everything (system packages, .venv) and runs every check and test.
# This is the README's test command; CI (.ci/run) runs it on a fresh Debian 12.
# Arguments go to pytest, e.g. `bash scripts/test.sh -x tests/core`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh all
export QT_QPA_PLATFORM=offscreen
export PATH="$PWD/.venv/bin:$PATH"
echo "== ruff check"
ruff check .
echo "== import-linter: the layers (pyproject.toml [tool.importlinter])"
lint-imports
echo "== mypy: app/runbook_viewer (pyproject.toml [tool.mypy], per package)"
mypy
echo "== pymarkdownlnt: runbooks/"
pymarkdown --config pyproject.toml scan runbooks
echo "== actionlint: .github/workflows/"
actionlint .github/workflows/*.yml
echo "== runbook-viewer check: runbooks/"
runbook-viewer check --library runbooks
echo "== pytest"
if [ $# -eq 0 ]; then  # the whole suite: with coverage and its floor ([tool.coverage.report])
  python -m pytest --cov --cov-report=term:skip-covered
  # the floor once more from the saved data: pytest-cov's own check ran before the report in a
  # full run and let a 91.7 % through with exit 0
  if ! total=$(python -m coverage report --format=total 2>&1); then
    echo "== coverage below the floor (fail_under in pyproject.toml): ${total//$'\n'/ }"
    exit 1
  fi
  echo "== coverage: $total % (floor: fail_under in pyproject.toml)"
else
  python -m pytest "$@"
fi
