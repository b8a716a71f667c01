#!/usr/bin/env bash
# Linux only: add Runbook Viewer to the current user's application menu (no root needed):
#   ~/.local/share/applications/runbook-viewer.desktop   (Exec= the bundle's executable)
#   ~/.local/share/icons/hicolor/{scalable,256x256}/apps/runbook-viewer.{svg,png}
#
# Usage: install-desktop.sh [--exec PATH] [--uninstall]
# Run it from the bundle folder (it is copied there by packaging/build.sh) or from the repo
# (it then uses dist/runbook-viewer/runbook-viewer). --exec names another executable.
# Honours XDG_DATA_HOME. Idempotent; --uninstall removes exactly what it installed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
apps="$data/applications"
icons="$data/icons/hicolor"
name=runbook-viewer

exe=""
uninstall=0
while [ $# -gt 0 ]; do
  case "$1" in
    --exec) exe=${2:?--exec needs a path}; shift 2 ;;
    --uninstall) uninstall=1; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-desktop.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

refresh() {  # menus and icon caches pick the change up; both tools are optional
  command -v update-desktop-database >/dev/null && update-desktop-database -q "$apps" 2>/dev/null || true
  command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$icons" 2>/dev/null || true
}

if [ "$uninstall" = 1 ]; then
  rm -f "$apps/$name.desktop" "$icons/scalable/apps/$name.svg" "$icons/256x256/apps/$name.png"
  refresh
  echo "removed Runbook Viewer from the application menu"
  exit 0
fi

# Where the bundle's files are: beside this script (inside a bundle) or in the repo.
shipped="$here/_internal/runbook_viewer/_bundled/resources"  # package data, as in a wheel
if [ -d "$shipped" ]; then
  resources="$shipped"; default_exe="$here/$name"
else
  resources="$here/../resources"; default_exe="$here/../dist/$name/$name"
fi
exe=${exe:-$default_exe}
if [ ! -x "$exe" ]; then
  echo "install-desktop.sh: no executable at $exe — build the bundle first" \
       "(packaging/build.sh) or give one with --exec PATH" >&2
  exit 1
fi
exe=$(cd "$(dirname "$exe")" && pwd)/$(basename "$exe")
for f in "$resources/$name.desktop" "$resources/icons/$name.svg" "$resources/icons/$name.png"; do
  [ -f "$f" ] || { echo "install-desktop.sh: missing $f" >&2; exit 1; }
done

mkdir -p "$apps" "$icons/scalable/apps" "$icons/256x256/apps"
# Exec/TryExec point at this executable; a path with spaces is quoted per the desktop spec.
quoted=$exe
case "$exe" in *" "*) quoted="\"$exe\"" ;; esac
tmp=$(mktemp --suffix=.desktop "$apps/.$name.XXXXXX")
sed -e "s|^Exec=.*|Exec=$quoted|" -e "/^Exec=/a TryExec=$exe" "$resources/$name.desktop" > "$tmp"
chmod 644 "$tmp"
if command -v desktop-file-validate >/dev/null && ! desktop-file-validate "$tmp" >&2; then
  rm -f "$tmp"
  echo "install-desktop.sh: the desktop entry did not validate (see above); nothing installed" >&2
  exit 1
fi
install -m 644 "$resources/icons/$name.svg" "$icons/scalable/apps/$name.svg"
install -m 644 "$resources/icons/$name.png" "$icons/256x256/apps/$name.png"
mv -f "$tmp" "$apps/$name.desktop"
refresh
echo "installed: $apps/$name.desktop -> $exe"
echo "icons:     $icons/{scalable,256x256}/apps/$name.{svg,png}"
