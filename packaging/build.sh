#!/usr/bin/env bash
# Build the desktop bundle: dist/runbook-viewer/ (one folder, the default) or, with --onefile,
# dist/runbook-viewer (a single executable). Installs its own build dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh all >&2
onefile=0
[ "${1:-}" = "--onefile" ] && onefile=1
# The bundled library's search index, built ahead of time so the first search is instant.
.venv/bin/python -m runbook_viewer.core.search.prebuild runbooks build/index/bundled-library.sqlite3
RUNBOOK_VIEWER_ONEFILE=$onefile .venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/runbook-viewer.spec
if [ "$onefile" = 1 ]; then
  echo "built: dist/runbook-viewer ($(du -sh dist/runbook-viewer | cut -f1))"
else
  echo "built: dist/runbook-viewer/ ($(du -sh dist/runbook-viewer | cut -f1))"
fi
