#!/usr/bin/env bash
# Installs everything needed (system libraries for Qt included) and starts Runbook Viewer.
# With no display it prints how to use the library headless and exits 2.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh test >&2
exec .venv/bin/runbook-viewer "$@"
