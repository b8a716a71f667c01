#!/usr/bin/env bash
# Build the desktop bundle. Installs its own build dependencies (scripts/bootstrap.sh all).
#   packaging/build.sh            -> dist/runbook-viewer/ (one folder: runbook-viewer + _internal/)
#   packaging/build.sh --onefile  -> dist/onefile/runbook-viewer (one executable; slower start:
#                                    it unpacks itself to $TMPDIR on every start)
# Check a build with: dist/runbook-viewer/runbook-viewer --self-test
set -euo pipefail
cd "$(dirname "$0")/.."
onefile=0
case "${1:-}" in
  --onefile) onefile=1 ;;
  "") ;;
  *) echo "usage: packaging/build.sh [--onefile]" >&2; exit 2 ;;
esac
bash scripts/bootstrap.sh all >&2
# PyInstaller embeds the interpreter's shared library (libpython3.X.so.1.0): say clearly if the
# .venv's Python has none (bootstrap installs it for the system Python; see scripts/libpython.py)
.venv/bin/python scripts/libpython.py >/dev/null || exit 1

# The bundled library's search index, built ahead of time so the first search is instant.
rm -rf build/index
.venv/bin/python -m runbook_viewer.core.search.prebuild runbooks build/index/bundled-library.sqlite3

if [ "$onefile" = 1 ]; then
  dist=dist/onefile work=build/pyinstaller-onefile
else
  dist=dist work=build/pyinstaller
fi
RUNBOOK_VIEWER_ONEFILE=$onefile .venv/bin/pyinstaller --noconfirm --clean --log-level ERROR \
  --distpath "$dist" --workpath "$work" packaging/runbook-viewer.spec

if [ "$onefile" = 1 ]; then
  out=dist/onefile/runbook-viewer
  bytes=$(stat -c %s "$out")
else
  out=dist/runbook-viewer/
  # the bundle carries its own desktop-menu installer: dist/runbook-viewer/install-desktop.sh
  install -m 755 packaging/install-desktop.sh dist/runbook-viewer/install-desktop.sh
  bytes=$(du -sb --apparent-size dist/runbook-viewer | cut -f1)
fi
glibc=$(ldd --version | head -n1 | grep -o '[0-9]\+\.[0-9]\+$' || true)
echo "built: $out ($((bytes / 1000000)) MB; runs on Linux x86-64 with glibc >= ${glibc:-that of the build host})"
