"""The one place that knows where things live on disk.

Every filesystem location the app uses — the bundled library, resources, the search index cache,
the checklist state database, settings — is decided here. ``RUNBOOK_VIEWER_HOME=DIR`` puts all
state, cache and config under DIR (tests use it). Works frozen (PyInstaller) and unfrozen.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "runbook-viewer"
HOME_ENV = "RUNBOOK_VIEWER_HOME"


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def _bundle_root() -> Path:
    """Folder holding `runbooks/` and `resources/`: the bundle dir frozen, the repo unfrozen."""
    if is_frozen():
        return Path(sys._MEIPASS)  # type: ignore[attr-defined]
    # app/runbook_viewer/core/paths.py -> repo root is parents[3]
    return Path(__file__).resolve().parents[3]


def bundled_library() -> Path:
    """The runbook library shipped with the app."""
    return _bundle_root() / "runbooks"


def resources_dir() -> Path:
    return _bundle_root() / "resources"


def resource(name: str) -> Path:
    return resources_dir() / name


def prebuilt_index() -> Path:
    """Search index built ahead of time for the bundled library (present in bundles only)."""
    return _bundle_root() / "index" / "bundled-library.sqlite3"


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


def index_cache_dir() -> Path:
    path = cache_dir() / "search-index"
    path.mkdir(parents=True, exist_ok=True)
    return path


def settings_file(create: bool = True) -> Path:
    """QSettings INI file (the UI stores geometry and last runbook here); ``create=False``
    names it without creating its folder (a read-only home: read it if it is there)."""
    return config_dir(create) / "settings.ini"
