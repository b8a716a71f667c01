#!/usr/bin/env bash
# Installs everything Runbook Viewer needs on a fresh Debian/Ubuntu machine:
# the system libraries Qt needs, fonts, a virtual screen for headless use, PDF tools for tests,
# and a project virtualenv (.venv) with the package and its extras.
# Idempotent: a second run installs nothing new. Usage: scripts/bootstrap.sh [EXTRAS]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
extras=${1:-test}

APT_PACKAGES=(
  python3 python3-venv python3-pip
  libglib2.0-0 libgl1 libegl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libxkbcommon0
  fontconfig fonts-dejavu-core libxcb1 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-shm0
  libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0
  xvfb xauth poppler-utils binutils desktop-file-utils
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "bootstrap: installing system packages: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Debian python3 (not a pyenv or conda shim) is what a fresh machine has; prefer it.
PY=${RUNBOOK_VIEWER_PYTHON:-}
if [ -z "$PY" ]; then
  if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=python3; fi
fi
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
  echo "bootstrap: creating $venv" >&2
  "$PY" -m venv "$venv"
fi
stamp="$venv/.installed-$extras"
if [ ! -f "$stamp" ] || [ "$here/pyproject.toml" -nt "$stamp" ]; then
  echo "bootstrap: installing runbook-viewer[$extras] into .venv" >&2
  "$venv/bin/python" -m pip install -q --upgrade pip >/dev/null
  "$venv/bin/python" -m pip install -q -e "$here[$extras]"
  touch "$stamp"
fi
