"""Run a command as on a machine where some system libraries are not installed.

:class:`SystemWithout` builds a root folder of hard links to this system's ``/usr`` and
``/etc`` (no copies, no mounts: nothing outside the folder changes, and it works inside the
chroot CI runs in), deletes the hidden libraries there, adds the project paths the command
needs at their usual absolute places, and runs the command with ``chroot``. The dynamic loader
then finds no such library, exactly as when its package is not installed. ``restore()`` links
them back, for a control run in the same root. Needs Linux and root (chroot).
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

DEVICES = {"null": (1, 3), "zero": (1, 5), "urandom": (1, 9)}


def require_root() -> None:
    if not sys.platform.startswith("linux") or os.geteuid() != 0 or not Path(
            "/usr/sbin/chroot").exists():
        pytest.skip("hiding a system library needs Linux, root and chroot (CI runs as root)")


def library_folder(soname: str) -> Path:
    """The folder the loader takes ``soname`` from (e.g. /usr/lib/x86_64-linux-gnu)."""
    out = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        name, _, target = line.strip().partition(" => ")
        if name.split(" ")[0] == soname and os.path.exists(target):
            return Path(os.path.realpath(target)).parent
    raise LookupError(f"{soname} is not installed here")


def _link_tree(src: Path, dest: Path) -> None:
    """``cp -al``: hard links where possible (same file system), plain copies otherwise."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    linked = subprocess.run(["cp", "-al", str(src), str(dest)], capture_output=True,
                            check=False)
    if linked.returncode != 0:
        shutil.rmtree(dest, ignore_errors=True)
        subprocess.run(["cp", "-a", str(src), str(dest)], check=True)


class SystemWithout:
    """A chroot-able copy of this system without the libraries matching ``prefix``."""

    def __init__(self, root: Path, soname: str, prefix: str, keep: list[Path]) -> None:
        require_root()
        self.root, self.prefix = root, prefix
        self.folder = library_folder(soname)
        for top in ("usr", "etc"):
            _link_tree(Path("/") / top, root / top)
        for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
            real = Path("/") / name
            if real.is_symlink():  # merged /usr
                (root / name).symlink_to(os.readlink(real))
            elif real.is_dir():
                _link_tree(real, root / name)
        for name in ("tmp", "root", "dev"):
            (root / name).mkdir(exist_ok=True)
        (root / "tmp").chmod(0o1777)
        for name, (major, minor) in DEVICES.items():
            os.mknod(root / "dev" / name, 0o666 | stat.S_IFCHR, os.makedev(major, minor))
        for path in keep:  # the project files the command runs, at the same absolute paths
            _link_tree(path, root / path.relative_to("/"))
        self.hidden = sorted((root / self.folder.relative_to("/")).glob(f"{prefix}*"))
        assert self.hidden, f"nothing matches {prefix}* in {self.folder}"
        for path in self.hidden:
            path.unlink()

    def restore(self) -> None:
        """Put the hidden libraries back (a control run must then succeed)."""
        for path in self.hidden:
            original = self.folder / path.name
            if original.is_symlink():
                path.symlink_to(os.readlink(original))
            else:
                try:
                    os.link(original, path)
                except OSError:  # another file system
                    shutil.copy2(original, path)

    def run(self, cmd: list[str], env: dict[str, str], timeout: float = 180):
        return subprocess.run(["/usr/sbin/chroot", str(self.root), *cmd], env=env,
                              capture_output=True, text=True, timeout=timeout, check=False)

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
