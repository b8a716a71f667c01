"""The Python shared library PyInstaller needs: found, or a clear message saying what to install.

On a fresh Debian 12 `python3` does not pull in `libpython3.11`, and PyInstaller stopped with
"Python shared library … was not found"; bootstrap now installs the package that belongs to
its interpreter and checks the library is there (scripts/libpython.py).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "libpython.py"


@pytest.fixture
def libpython():
    spec = importlib.util.spec_from_file_location("libpython_check", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="libpython*.so: Linux builds")
def test_the_shared_library_pyinstaller_will_embed_is_found():
    proc = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True,
                          check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr
    found = Path(proc.stdout.strip())
    assert found.is_file()
    assert found.name == sysconfig.get_config_var("INSTSONAME")


def test_a_missing_shared_library_is_one_clear_message(libpython, monkeypatch, capsys):
    real = sysconfig.get_config_var

    def fake(name):  # an interpreter whose libpython is not installed anywhere
        return "libpython3.99.so.1.0" if name in ("INSTSONAME", "LDLIBRARY") else real(name)

    monkeypatch.setattr(sysconfig, "get_config_var", fake)
    assert libpython.main(["--for-bootstrap"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    ver = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert err.startswith("bootstrap: PyInstaller needs Python's shared library "
                          "libpython3.99.so.1.0")
    assert f"the package libpython{ver} (Ubuntu 24.04: libpython{ver}t64)" in err
    assert "--enable-shared" in err


@pytest.mark.skipif(not (shutil.which("apt-cache") and shutil.which("dpkg-query")),
                    reason="deriving the package name needs a Debian/Ubuntu system")
def test_bootstrap_derives_the_package_from_its_interpreter():
    proc = subprocess.run(["bash", str(REPO / "scripts" / "bootstrap.sh"), "--libpython-package"],
                          capture_output=True, text=True, check=False, timeout=300,
                          env={**os.environ, "RUNBOOK_VIEWER_PYTHON": "/usr/bin/python3"})
    assert proc.returncode == 0, proc.stderr
    ver = subprocess.run(["/usr/bin/python3", "-c", "import sys; print('%d.%d' % "
                          "sys.version_info[:2])"], capture_output=True, text=True,
                         check=True).stdout.strip()
    # Debian 12: libpython3.11; Ubuntu 24.04 (64-bit time_t transition): libpython3.12t64
    assert proc.stdout.strip() in (f"libpython{ver}", f"libpython{ver}t64")
    owner = subprocess.run(["dpkg-query", "-S", os.path.realpath(
        f"/usr/lib/{sysconfig.get_config_var('MULTIARCH')}/libpython{ver}.so.1.0")],
        capture_output=True, text=True, check=False)
    if owner.returncode == 0:  # installed: it must be the very package bootstrap named
        assert owner.stdout.split(":")[0] == proc.stdout.strip()
