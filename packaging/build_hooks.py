"""Build backend for the wheel: setuptools, plus the data the app ships inside its package.

pyproject.toml names this module as the build backend (``backend-path = ["packaging"]``) and
:class:`BuildPy` as setuptools' ``build_py``. A wheel (and so ``pip install``, ``pipx install``)
gets, under ``runbook_viewer/_bundled/`` (read through ``importlib.resources`` by
``core/paths.py``, exactly as in the PyInstaller bundle):

* ``runbooks/``   — the bundled library, copied from the repository's ``runbooks/`` (where it
  is written; nothing is duplicated in git);
* ``resources/``  — icons and the desktop entry;
* ``index/``      — the library's search index, prebuilt so the first search is instant.

Prebuilding the index runs the app's own core (no Qt), so the wheel build also needs the
project's non-Qt dependencies: :func:`get_requires_for_build_wheel` adds them, read from
``[project].dependencies`` so there is one list. Editable installs (``pip install -e``) are
left alone: a source checkout reads ``runbooks/`` and ``resources/`` where they are.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403 (the PEP 517 hooks this backend does not change)
from setuptools.command.build_py import build_py as _build_py

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "runbook_viewer"
DATA = "_bundled"
INDEX_NAME = "bundled-library.sqlite3"
NOT_NEEDED_TO_PREBUILD = ("pyside6",)  # core never imports Qt


def _project_dependencies() -> list[str]:
    import tomllib

    with open(ROOT / "pyproject.toml", "rb") as fh:
        deps = tomllib.load(fh)["project"].get("dependencies", [])
    return [d for d in deps if not d.lower().startswith(NOT_NEEDED_TO_PREBUILD)]


def get_requires_for_build_wheel(config_settings=None) -> list[str]:
    return [*_setuptools.get_requires_for_build_wheel(config_settings),
            *_project_dependencies()]


def _copy_tree(src: Path, dest: Path) -> int:
    """Copy the files of ``src`` (no caches, no hidden files) to ``dest``; returns the count."""
    count = 0
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if path.is_dir() or any(p.startswith(".") or p == "__pycache__" for p in rel.parts):
            continue
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest / rel)
        count += 1
    return count


def prebuild_index(library: Path, out: Path) -> None:
    """Run the app's prebuild (``runbook_viewer.core.search.prebuild``) from the source tree.

    The source folder goes on ``sys.path`` inside the child, not through PYTHONPATH: pip's
    build isolation drops every path that a site folder of the outer environment adds, and an
    editable install of this project adds exactly this one."""
    code = ("import sys; sys.path.insert(0, sys.argv[1]); "
            f"from {PACKAGE}.core.search.prebuild import main; sys.exit(main(sys.argv[2:]))")
    subprocess.run([sys.executable, "-c", code, str(ROOT / "app"), str(library), str(out)],
                   check=True, cwd=ROOT)


class BuildPy(_build_py):
    """setuptools' build_py, then the library, resources and prebuilt index as package data."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / PACKAGE / DATA
        shutil.rmtree(target, ignore_errors=True)  # nothing stale from an earlier build
        for name in ("runbooks", "resources"):
            if not (ROOT / name).is_dir():
                raise FileNotFoundError(f"{ROOT / name} is missing: the wheel needs it")
            copied = _copy_tree(ROOT / name, target / name)
            self.announce(f"runbook-viewer: {copied} files of {name}/ -> {target / name}", 2)
        prebuild_index(target / "runbooks", target / "index" / INDEX_NAME)
        for path in (target / "index").iterdir():  # the index and its .sum; no leftovers
            if is_leftover(path.name):
                path.unlink()


def is_leftover(name: str) -> bool:
    """A build's temporary or journal file beside the index (not shipped)."""
    return ".tmp" in name or name.endswith(("-wal", "-shm", "-journal"))
