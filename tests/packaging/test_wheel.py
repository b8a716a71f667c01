"""The wheel: built from this tree, installed into a fresh virtualenv outside it (as pipx does),
and used from there — library, icons and the prebuilt search index come from the package.

Before, `pip install .` gave a runbook-viewer that looked for `…/lib/python3.11/runbooks` and
failed. The wheel is pure Python (py3-none-any): it installs wherever PySide6 has wheels.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from runbook_viewer.selftest import OK_LINE

pytestmark = pytest.mark.packaging

REPO = Path(__file__).resolve().parents[2]
BIN = "Scripts" if os.name == "nt" else "bin"
EXE_SUFFIX = ".exe" if os.name == "nt" else ""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheelhouse")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                           str(out), str(REPO)], capture_output=True, text=True,
                          timeout=900, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    built = sorted(out.glob("runbook_viewer-*.whl"))
    assert len(built) == 1, built
    return built[0]


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh virtualenv, outside the source tree, with the wheel and its dependencies."""
    venv = tmp_path_factory.mktemp("laptop") / "venv"
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / BIN / f"python{EXE_SUFFIX}"
    proc = subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)],
                          capture_output=True, text=True, timeout=1800, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    return venv


def laptop_env(tmp_path: Path, venv: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {"PATH": os.pathsep.join([str(venv / BIN), os.environ.get("PATH", "")]),
           "HOME": str(home), "LANG": "C.UTF-8"}
    # Windows needs these to start Python at all; the Qt platform is the runner's choice there
    # (tests.yml: the native one), offscreen on Linux
    for keep in ("SYSTEMROOT", "TEMP", "TMP", "USERPROFILE", "APPDATA", "LOCALAPPDATA",
                 "QT_QPA_PLATFORM"):
        if keep in os.environ:
            env[keep] = os.environ[keep]
    if sys.platform.startswith("linux"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def rv(venv: Path, args: list[str], env: dict[str, str], timeout: float = 300):
    exe = venv / BIN / f"runbook-viewer{EXE_SUFFIX}"
    return subprocess.run([str(exe), *args], env=env, cwd=env["HOME"], capture_output=True,
                          text=True, timeout=timeout, check=False)


def test_the_wheel_is_pure_and_carries_the_library_resources_and_index(wheel):
    assert wheel.name.endswith("-py3-none-any.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = "runbook_viewer/_bundled/"
    library = sorted(p.relative_to(REPO / "runbooks").as_posix()
                     for p in (REPO / "runbooks").rglob("*.md"))
    assert library and all(f"{shipped}runbooks/{name}" in names for name in library)
    for name in ("resources/icons/runbook-viewer.svg", "resources/icons/runbook-viewer.png",
                 "resources/runbook-viewer.desktop", "index/bundled-library.sqlite3",
                 "index/bundled-library.sqlite3.sum"):  # the index's checksum is checked at open
        assert shipped + name in names, name
    assert not [n for n in names if "__pycache__" in n or ".tmp" in n
                or n.endswith((".pyc", "-wal", "-shm"))]


def test_installed_wheel_passes_the_self_test_outside_the_source_tree(installed, tmp_path):
    proc = rv(installed, ["--self-test"], laptop_env(tmp_path, installed))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert out.splitlines()[-1].startswith(OK_LINE)
    # where importlib.resources says the package data is, and that paths.py agrees
    probe = ("from importlib.resources import files; from runbook_viewer.core import paths; "
             "data = files('runbook_viewer') / '_bundled'; "
             "print(data); print(paths.bundled_library().parent == data)")
    where, agree = subprocess.run([str(installed / BIN / f"python{EXE_SUFFIX}"), "-c", probe],
                                  capture_output=True, text=True, check=True,
                                  cwd=tmp_path).stdout.split()
    assert agree == "True"
    assert Path(where).is_relative_to(installed)  # the installed copy, not this checkout
    assert f"runbooks from {Path(where) / 'runbooks'}," in out
    assert str(REPO) not in out
    assert "icon ok" in out and "(prebuilt index)" in out and "fonts embedded" in out


def test_installed_wheel_searches_and_lists_like_the_source_tree(installed, tmp_path):
    env = laptop_env(tmp_path, installed)
    source_rv = [sys.executable, "-m", "runbook_viewer"]
    for query in ("heartbeats missing", "x509 certificate has expired", "disk full"):
        found = rv(installed, ["search", "--json", query], env)
        here = subprocess.run([*source_rv, "search", "--json", query], capture_output=True,
                              text=True, timeout=120, check=False)
        assert found.returncode == 0 and here.returncode == 0, found.stderr + here.stderr
        hits = [(h["path"], h["anchor"]) for h in json.loads(found.stdout)]
        assert hits and hits == [(h["path"], h["anchor"]) for h in json.loads(here.stdout)]
    listed = rv(installed, ["list"], env)
    source = subprocess.run([*source_rv, "list"], capture_output=True, text=True, timeout=120,
                            check=False)
    assert listed.returncode == 0 and source.returncode == 0, listed.stderr + source.stderr
    assert listed.stdout == source.stdout
