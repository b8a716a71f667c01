"""Does this Python have the shared library PyInstaller embeds in the bundle?

    python scripts/libpython.py                 exit 0 and print its path, or exit 1
    python scripts/libpython.py --for-bootstrap same, with the message for scripts/bootstrap.sh

PyInstaller's bootloader loads ``libpython3.X.so.1.0`` (``INSTSONAME``). Debian and Ubuntu ship
it apart from ``python3`` (package ``libpython3.X``, ``libpython3.Xt64`` on Ubuntu 24.04), a
pyenv Python has it only when built with ``--enable-shared``. When PyInstaller is installed its
own lookup is used, so this answers exactly what the build will find. Standard library only.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig


def soname() -> str:
    name = sysconfig.get_config_var("INSTSONAME") or ""
    if sysconfig.get_config_var("Py_ENABLE_SHARED") and name:
        return os.path.basename(name)
    return f"libpython{sys.version_info[0]}.{sys.version_info[1]}.so.1.0"


def _in_ld_cache(name: str) -> str | None:
    try:
        out = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True,
                             check=False, timeout=30).stdout
    except OSError:
        return None
    for line in out.splitlines():
        parts = line.strip().split(" => ")
        if len(parts) == 2 and parts[0].split(" ")[0] == name and os.path.exists(parts[1]):
            return parts[1]
    return None


def find() -> str | None:
    """The shared library's path, as PyInstaller would find it (its own lookup if present)."""
    try:
        from PyInstaller.depend.bindepend import get_python_library_path
    except ImportError:
        pass
    else:
        try:
            return get_python_library_path()
        except (Exception, SystemExit):  # PythonLibraryNotFoundError is a SystemExit
            return None
    if not sysconfig.get_config_var("Py_ENABLE_SHARED"):
        return None
    name = soname()
    for folder in (sysconfig.get_config_var("LIBDIR"), sys.base_prefix,
                   os.path.join(sys.base_prefix, "lib")):
        if folder and os.path.exists(os.path.join(folder, name)):
            return os.path.realpath(os.path.join(folder, name))
    return _in_ld_cache(name)


def advice() -> str:
    ver = f"{sys.version_info[0]}.{sys.version_info[1]}"
    exe = os.path.realpath(sys.executable)
    return (
        f"PyInstaller needs Python's shared library {soname()}, and {exe} (Python {ver}) has "
        "none, so the desktop bundle cannot be built (running from source and every test that "
        "does not build the bundle work). Fix one of: Debian/Ubuntu system Python — install "
        f"the package libpython{ver} (Ubuntu 24.04: libpython{ver}t64), which "
        "scripts/bootstrap.sh does when apt-get is available; pyenv — rebuild with "
        f"PYTHON_CONFIGURE_OPTS=--enable-shared pyenv install {ver}; or point "
        "RUNBOOK_VIEWER_PYTHON at a Python that has it, remove .venv and run the set-up again.")


def main(argv: list[str]) -> int:
    found = find()
    if found:
        print(found)
        return 0
    prefix = "bootstrap: " if "--for-bootstrap" in argv else ""
    print(f"{prefix}{advice()}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
