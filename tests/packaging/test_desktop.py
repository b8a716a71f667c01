"""Desktop integration without a bundle: the .desktop entry, the icons, install-desktop.sh."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="desktop entries and install-desktop.sh are Linux-only")

REPO = Path(__file__).resolve().parents[2]
DESKTOP = REPO / "resources" / "runbook-viewer.desktop"
INSTALLER = REPO / "packaging" / "install-desktop.sh"


def validator() -> str:
    found = shutil.which("desktop-file-validate")
    assert found, "desktop-file-validate is missing: scripts/bootstrap.sh installs " \
                  "desktop-file-utils"
    return found


def entry(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


def test_desktop_entry_validates_cleanly():
    proc = subprocess.run([validator(), str(DESKTOP)], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0 and not (proc.stdout + proc.stderr).strip(), \
        proc.stdout + proc.stderr


def test_desktop_entry_matches_the_app():
    keys = entry(DESKTOP.read_text(encoding="utf-8"))
    assert keys["Exec"] == "runbook-viewer"  # takes no file arguments
    assert keys["Icon"] == "runbook-viewer"
    assert keys["StartupWMClass"] == "runbook-viewer"  # ui/app.py: setDesktopFileName
    assert "runbook-viewer" in (REPO / "app/runbook_viewer/ui/app.py").read_text()
    for icon in ("runbook-viewer.svg", "runbook-viewer.png"):
        assert (REPO / "resources" / "icons" / icon).stat().st_size > 0


@pytest.fixture
def fake_exe(tmp_path) -> Path:
    exe = tmp_path / "my apps" / "runbook-viewer"
    exe.parent.mkdir()
    exe.write_text("#!/bin/sh\necho fake\n")
    exe.chmod(0o755)
    return exe


def run_installer(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_DATA_HOME":
           str(tmp_path / "share")}
    return subprocess.run(["bash", str(INSTALLER), *args], env=env, capture_output=True,
                          text=True, timeout=60, check=False)


def test_install_and_uninstall_for_the_current_user(tmp_path, fake_exe):
    share = tmp_path / "share"
    proc = run_installer(["--exec", str(fake_exe)], tmp_path)
    assert proc.returncode == 0, proc.stderr
    installed = share / "applications" / "runbook-viewer.desktop"
    keys = entry(installed.read_text())
    assert keys["Exec"] == f'"{fake_exe}"'  # a path with a space is quoted
    assert keys["TryExec"] == str(fake_exe)
    assert subprocess.run([validator(), str(installed)], capture_output=True,
                          check=False).returncode == 0
    svg = share / "icons/hicolor/scalable/apps/runbook-viewer.svg"
    png = share / "icons/hicolor/256x256/apps/runbook-viewer.png"
    assert svg.read_bytes() == (REPO / "resources/icons/runbook-viewer.svg").read_bytes()
    assert png.read_bytes() == (REPO / "resources/icons/runbook-viewer.png").read_bytes()
    first = installed.read_text()
    again = run_installer(["--exec", str(fake_exe)], tmp_path)  # idempotent
    assert again.returncode == 0 and installed.read_text() == first
    leftovers = [p.name for p in (share / "applications").iterdir()
                 if p.name.startswith(".runbook-viewer")]
    assert not leftovers  # no temporary files left behind
    gone = run_installer(["--uninstall"], tmp_path)
    assert gone.returncode == 0
    assert not installed.exists() and not svg.exists() and not png.exists()


def test_installer_refuses_a_missing_executable(tmp_path):
    proc = run_installer(["--exec", str(tmp_path / "nope")], tmp_path)
    assert proc.returncode == 1
    assert "no executable" in proc.stderr
    assert not (tmp_path / "share" / "applications").exists() or \
        not any((tmp_path / "share" / "applications").iterdir())
