"""Run a command as on a machine where some system libraries are not installed.

In a private mount namespace (``unshare --mount``, needs root), the system library folder is
replaced by a folder of symlinks to every file in it except the hidden ones; the dynamic loader
then finds no such library, exactly as when its package is not installed. Nothing changes
outside that one process tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = r"""
set -e
lib=$1; work=$2; pattern=$3; shift 3
mkdir -p "$work/orig" "$work/farm"
mount --bind "$lib" "$work/orig"
for f in "$work"/orig/* "$work"/orig/.[!.]*; do
  [ -e "$f" ] || [ -L "$f" ] || continue
  b=${f##*/}
  case "$b" in $pattern) ;; *) ln -s "$f" "$work/farm/$b" ;; esac
done
mount --bind "$work/farm" "$lib"
exec "$@"
"""


def library_folder(soname: str) -> Path:
    """The folder the loader takes ``soname`` from (e.g. /usr/lib/x86_64-linux-gnu)."""
    out = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        name, _, target = line.strip().partition(" => ")
        if name.split(" ")[0] == soname and os.path.exists(target):
            return Path(os.path.realpath(target)).parent
    raise LookupError(f"{soname} is not installed here")


def require_namespaces() -> None:
    """Skip (with the reason) where mount namespaces are unavailable: not Linux, not root."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("hiding a system library needs Linux, root and unshare (CI runs as root)")
    probe = subprocess.run(["unshare", "--mount", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"unshare --mount is not permitted here: {probe.stderr.decode().strip()}")


def without(soname: str, pattern: str, cmd: list[str], work: Path) -> list[str]:
    """``cmd`` wrapped so that files matching ``pattern`` (e.g. ``libGL.so*``) are not found in
    the folder that holds ``soname``."""
    require_namespaces()
    folder = library_folder(soname)
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", SCRIPT, "sh",
            str(folder), str(work), pattern, *cmd]
