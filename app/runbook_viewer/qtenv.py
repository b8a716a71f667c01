"""Before and around the first Qt import: the environment Qt needs, and one clear line when the
system cannot load Qt (never a traceback).

* :func:`prepare_locale` — Qt on Linux needs a UTF-8 locale; on a machine with none (a bare
  container, ``LANG`` unset) it warns 'Detected locale "C" …' and switches itself. Choosing
  ``C.UTF-8`` before Qt starts gives the same result without the warning, so the warning is never
  mistaken for the reason of an unrelated failure.
* :func:`has_display` — whether a window can open here at all (else the CLI says how to work
  without one and the self-test goes offscreen).
* :func:`qt_import_problem` — Qt's libraries link against system libraries (libGL, libEGL,
  fontconfig, …) that are not part of PySide6 nor of the bundle. When one is missing, importing
  Qt raises ``ImportError: libGL.so.1: cannot open shared object file``; this turns that into a
  sentence naming the package to install.

No Qt import here: this module runs before Qt is loaded.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import MutableMapping

# Debian/Ubuntu packages of the system libraries Qt's xcb/GUI parts load, by soname stem.
SYSTEM_PACKAGES = {
    "libGL": "libgl1",
    "libEGL": "libegl1",
    "libOpenGL": "libopengl0",
    "libGLX": "libglx0",
    "libfontconfig": "libfontconfig1",
    "libfreetype": "libfreetype6",
    "libglib-2.0": "libglib2.0-0",
    "libgthread-2.0": "libglib2.0-0",
    "libdbus-1": "libdbus-1-3",
    "libxkbcommon": "libxkbcommon0",
    "libxkbcommon-x11": "libxkbcommon-x11-0",
    "libX11": "libx11-6",
    "libX11-xcb": "libx11-xcb1",
    "libxcb": "libxcb1",
    "libxcb-cursor": "libxcb-cursor0",
    "libxcb-icccm": "libxcb-icccm4",
    "libxcb-keysyms": "libxcb-keysyms1",
    "libxcb-image": "libxcb-image0",
    "libxcb-render-util": "libxcb-render-util0",
}
_MISSING = re.compile(r"(lib[\w.+-]+?\.so(?:\.\d+)*): cannot open shared object file")
_UTF8 = re.compile(r"utf-?8", re.IGNORECASE)


def prepare_locale(environ: MutableMapping[str, str] | None = None) -> str | None:
    """On Linux with no UTF-8 locale, select ``C.UTF-8`` for Qt; returns the variable set."""
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return None
    for var in ("LC_ALL", "LC_CTYPE", "LANG"):  # the first one set decides (POSIX order)
        value = env.get(var, "")
        if value:
            if _UTF8.search(value):
                return None
            break
    target = "LC_ALL" if env.get("LC_ALL") else "LC_CTYPE"
    env[target] = "C.UTF-8"
    return target


def missing_library(exc: BaseException) -> str | None:
    """The soname a failed Qt import could not load (e.g. ``libGL.so.1``), or None."""
    found = _MISSING.search(str(exc))
    return found.group(1) if found else None


def package_for(soname: str) -> str | None:
    return SYSTEM_PACKAGES.get(soname.split(".so", 1)[0])


def qt_import_problem(exc: BaseException) -> str:
    """One line saying why Qt cannot start and what to install."""
    soname = missing_library(exc)
    if soname is None:
        return f"Qt cannot start: {type(exc).__name__}: {exc}"
    package = package_for(soname)
    install = f"install the package {package} (Debian/Ubuntu, as root: apt-get install " \
        f"{package})" if package else f"install the package that provides {soname}"
    return f"Qt cannot start: the system library {soname} is missing; {install}."


def has_display() -> bool:
    """Whether a window can open: a desktop platform, a screenless Qt platform chosen
    (``QT_QPA_PLATFORM=offscreen``), or an X11/Wayland display."""
    if sys.platform in ("win32", "darwin"):
        return True
    if os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] in ("offscreen", "minimal", "vnc"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
