#!/usr/bin/env bash
# Installs everything Runbook Viewer needs on a fresh Debian/Ubuntu machine:
# the system libraries Qt needs, fonts, a virtual screen for headless use, PDF tools for tests,
# the Python shared library PyInstaller needs (extras "package"/"all"), and a project
# virtualenv (.venv) with the package and its extras.
# Idempotent: a second run installs nothing new. Usage: scripts/bootstrap.sh [EXTRAS]
# (`scripts/bootstrap.sh --libpython-package` only prints that package's name for this system.)
# apt-get runs directly as root, through sudo otherwise. RUNBOOK_VIEWER_PYTHON=/path/python
# picks the interpreter for .venv (default: the system's /usr/bin/python3).
set -euo pipefail
here=$(cd -P "$(dirname "$0")/.." && pwd)
extras=${1:-test}

APT_PACKAGES=(
  python3 python3-venv python3-pip
  libglib2.0-0 libgl1 libegl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libxkbcommon0
  fontconfig fonts-dejavu-core libxcb1 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-shm0
  libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0
  xvfb xauth poppler-utils binutils desktop-file-utils
)

say() { echo "bootstrap: $*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    say "installing system packages needs root: run this as root or install sudo"
    exit 1
  fi
}

apt_updated=0
apt_update() {
  [ "$apt_updated" = 1 ] && return 0
  as_root apt-get update -qq
  apt_updated=1
}

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

apt_install() {  # the given packages that are not installed yet
  local missing=() p
  for p in "$@"; do installed "$p" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null; then
    say "this is not a Debian/Ubuntu system (no apt-get); install the equivalents of:" \
        "${missing[*]} — then run this again"
    exit 1
  fi
  say "installing system packages: ${missing[*]}"
  apt_update
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The Debian package holding PY's shared library (libpython3.11 on Debian 12, libpython3.12t64
# on Ubuntu 24.04), or nothing when PY is not the system's apt-installed interpreter.
libpython_package() {
  local ver cand
  command -v dpkg-query >/dev/null || return 0
  dpkg-query -S "$(readlink -f "$PY")" >/dev/null 2>&1 || return 0
  ver=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  for attempt in 1 2; do
    for cand in "libpython${ver}t64" "libpython${ver}"; do
      if apt-cache show --no-all-versions "$cand" 2>/dev/null | grep -qx "Package: $cand"; then
        echo "$cand"; return 0
      fi
    done
    [ "$attempt" = 1 ] && apt_update  # a fresh image has no package lists yet
  done
  echo "libpython${ver}"
}

python_for_venv() {
  # The Debian python3 (not a pyenv or conda shim) is what a fresh machine has; prefer it.
  if [ -n "${RUNBOOK_VIEWER_PYTHON:-}" ]; then echo "$RUNBOOK_VIEWER_PYTHON"
  elif [ -x /usr/bin/python3 ]; then echo /usr/bin/python3
  else echo python3
  fi
}

if [ "$extras" = "--libpython-package" ]; then  # diagnosis: which package bootstrap would add
  PY=$(python_for_venv)
  libpython_package
  exit 0
fi

apt_install "${APT_PACKAGES[@]}"
PY=$(python_for_venv)

case ",$extras," in
  *,all,*|*,package,*) wants_pyinstaller=1 ;;
  *) wants_pyinstaller=0 ;;
esac
if [ "$wants_pyinstaller" = 1 ] && ! "$PY" "$here/scripts/libpython.py" >/dev/null 2>&1; then
  pkg=$(libpython_package)
  [ -n "$pkg" ] && apt_install "$pkg"
fi

venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
  say "creating $venv"
  "$PY" -m venv "$venv"
fi
# one stamp per extras; "all" covers every other set
stamp="$venv/.installed-$extras"
fresh() { [ -f "$1" ] && ! [ "$here/pyproject.toml" -nt "$1" ]; }
if ! fresh "$stamp" && ! fresh "$venv/.installed-all"; then
  say "installing runbook-viewer[$extras] into .venv"
  "$venv/bin/python" -m pip install -q --upgrade pip >/dev/null
  "$venv/bin/python" -m pip install -q -e "$here[$extras]"
  touch "$stamp"
  cat >&2 <<EOF
bootstrap: set-up done. From the project folder, run the app and its commands with
  bash scripts/run.sh [COMMAND …]        e.g. bash scripts/run.sh search "heartbeats missing"
or put runbook-viewer on this shell's PATH first:  . .venv/bin/activate
EOF
fi

# PyInstaller needs the interpreter's shared library; say clearly when it is not there.
if [ "$wants_pyinstaller" = 1 ]; then
  "$venv/bin/python" "$here/scripts/libpython.py" --for-bootstrap >/dev/null
fi
