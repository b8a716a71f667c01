"""The one place that knows where things live on disk.

Every filesystem location the app uses — the bundled library, resources, the search index cache,
the checklist state database, settings — is decided here. ``RUNBOOK_VIEWER_HOME=DIR`` puts all
state, cache and config under DIR (tests use it).

What the app ships (the runbook library, icons and desktop entry, the prebuilt search index) is
package data, ``runbook_viewer/_bundled/{runbooks,resources,index}``, the folder
``importlib.resources.files("runbook_viewer")`` names — the same lookup in an installed wheel
(``packaging/build_hooks.py`` puts it there) and in the PyInstaller bundle (the spec puts it
there). Only a source checkout has no package data: there the same folders are the
repository's own ``runbooks/`` and ``resources/``, where they are written.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "runbook-viewer"
HOME_ENV = "RUNBOOK_VIEWER_HOME"
PACKAGE_DATA = "_bundled"  # folder of package data inside runbook_viewer/
PREBUILT_INDEX = "bundled-library.sqlite3"


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def _package_data() -> Path | None:
    """``runbook_viewer/_bundled`` as a real folder, or None (a source checkout).

    This is ``importlib.resources.files("runbook_viewer") / "_bundled"`` — for a package on
    disk (a wheel in site-packages, PyInstaller's ``_internal``) ``files()`` is the package's
    own folder, and tests/packaging/test_wheel.py checks that both agree. It is computed here
    without importing ``importlib.resources``, which costs about 7 ms on every command. The
    data must be real files anyway: SQLite opens the index, the library is walked as a folder.
    """
    here = Path(__file__).resolve().parent.parent / PACKAGE_DATA
    return here if here.is_dir() else None


def _shipped_root() -> Path:
    """The folder holding ``runbooks/``, ``resources/`` and ``index/``."""
    packaged = _package_data()
    if packaged is not None:  # an installed wheel or a PyInstaller bundle
        return packaged
    # a source checkout: app/runbook_viewer/core/paths.py -> the repository root
    return Path(__file__).resolve().parents[3]


def bundled_library() -> Path:
    """The runbook library shipped with the app."""
    return _shipped_root() / "runbooks"


def resources_dir() -> Path:
    return _shipped_root() / "resources"


def resource(name: str) -> Path:
    return resources_dir() / name


def prebuilt_index() -> Path:
    """Search index built ahead of time for the bundled library (wheels and bundles only)."""
    return _shipped_root() / "index" / PREBUILT_INDEX


def _home() -> Path | None:
    value = os.environ.get(HOME_ENV)
    return Path(value).expanduser() if value else None


def _platform_dir(kind: str) -> Path:
    """platformdirs' user_<kind>_dir (imported on first use: it is not needed to start)."""
    import platformdirs

    return Path(getattr(platformdirs, f"user_{kind}_dir")(APP_NAME, appauthor=False))


def _dir(kind: str, create: bool = True) -> Path:
    """state/cache/config folder: under RUNBOOK_VIEWER_HOME if set, else the platform's.
    Created unless ``create`` is False (raises OSError when it cannot be)."""
    home = _home()
    path = home / kind if home else _platform_dir(kind)
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def state_dir() -> Path:
    return _dir("state")


def cache_dir() -> Path:
    return _dir("cache")


def config_dir(create: bool = True) -> Path:
    return _dir("config", create)


def checklist_db() -> Path:
    """SQLite database with checklist runs and their append-only event log."""
    return state_dir() / "checklists.sqlite3"


def parse_cache_file(library_root: Path) -> Path:
    """The parse cache of one library (the model of each file, by content hash): one SQLite
    file per library folder. Raises OSError when the cache folder cannot be made."""
    import hashlib

    name = hashlib.sha256(str(library_root).encode("utf-8", "surrogatepass")).hexdigest()[:20]
    path = cache_dir() / "parse-cache"
    path.mkdir(parents=True, exist_ok=True)
    return path / f"{name}.sqlite3"


def index_cache_dir() -> Path:
    path = cache_dir() / "search-index"
    path.mkdir(parents=True, exist_ok=True)
    return path


def settings_file(create: bool = True) -> Path:
    """QSettings INI file (the UI stores geometry and last runbook here); ``create=False``
    names it without creating its folder (a read-only home: read it if it is there)."""
    return config_dir(create) / "settings.ini"
