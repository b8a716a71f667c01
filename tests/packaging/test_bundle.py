"""The PyInstaller one-folder bundle: build it (or reuse a fresh one) and run it like an operator.

The build (packaging/build.sh) takes 20-60 s here; it is redone only when a source file, the
library, the resources or the packaging files are newer than the bundle. A lock keeps
concurrent test runs from building into dist/ at the same time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import hidelibs
import pytest

from runbook_viewer import __version__
from runbook_viewer.selftest import FAILED_PREFIX, OK_LINE

pytestmark = [
    pytest.mark.packaging,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="packaging/build.sh builds "
                       "the Linux bundle; .github/workflows/release.yml builds and self-tests "
                       "the Windows and macOS ones"),
]

REPO = Path(__file__).resolve().parents[2]
BUNDLE = REPO / "dist" / "runbook-viewer"
EXE = BUNDLE / "runbook-viewer"
SIZE_LIMIT = 110_000_000  # bytes: the 110 MB
BUILD_TIMEOUT = 1200
SOURCES = ("app", "runbooks", "resources", "packaging", "pyproject.toml")


def newest_source() -> float:
    newest = 0.0
    for name in SOURCES:
        top = REPO / name
        files = [top] if top.is_file() else [p for p in top.rglob("*") if p.is_file()
                                             and "__pycache__" not in p.parts]
        newest = max([newest, *(p.stat().st_mtime for p in files)])
    return newest


@pytest.fixture(scope="module")
def bundle() -> Path:
    lock_path = REPO / "build" / ".bundle.lock"
    lock_path.parent.mkdir(exist_ok=True)
    import fcntl  # POSIX; this module runs on Linux only

    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not EXE.is_file() or EXE.stat().st_mtime < newest_source():
            proc = subprocess.run(["bash", "packaging/build.sh"], cwd=REPO, capture_output=True,
                                  text=True, timeout=BUILD_TIMEOUT, check=False)
            assert proc.returncode == 0, f"build failed:\n{proc.stdout[-3000:]}" \
                                         f"\n{proc.stderr[-5000:]}"
        assert EXE.is_file(), "packaging/build.sh did not produce dist/runbook-viewer/"
        yield BUNDLE


def operator_env(tmp_path: Path) -> dict[str, str]:
    """A laptop with no display and no Python set-up: only PATH, a home, a locale."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
            "TMPDIR": str(tmp_path)}


def run(args: list[str], env: dict[str, str], timeout: float = 180):
    return subprocess.run([str(EXE), *args], env=env, capture_output=True, text=True,
                          timeout=timeout, check=False, cwd=env["HOME"])


def test_bundled_self_test_passes_without_a_display(bundle, tmp_path):
    proc = run(["--self-test"], operator_env(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1].startswith(OK_LINE)
    assert "(bundle)" in proc.stdout.splitlines()[0]
    assert "offscreen platform, icon ok" in proc.stdout  # the SVG icon engine is bundled
    # the bundled library, found as package data (importlib.resources) as in a wheel
    assert str(bundle / "_internal" / "runbook_viewer" / "_bundled" / "runbooks") in proc.stdout
    assert "(prebuilt index)" in proc.stdout  # the shipped search index matched and was used
    assert "fonts embedded" in proc.stdout
    assert "Traceback" not in proc.stderr
    # the self-test's state went to a throwaway folder, not the operator's home
    assert not any((tmp_path / "home").rglob("*.sqlite3"))


def test_bundled_self_test_failure_is_one_clear_line(bundle, tmp_path):
    proc = run(["--self-test", "--library", str(tmp_path / "nowhere")], operator_env(tmp_path))
    assert proc.returncode == 1
    assert f"{FAILED_PREFIX} at stage 'library'" in proc.stderr
    assert "does not exist" in proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr


def test_version(bundle, tmp_path):
    proc = run(["--version"], operator_env(tmp_path))
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"runbook-viewer {__version__}"


def test_list_matches_the_source_tree(bundle, tmp_path):
    proc = run(["list"], operator_env(tmp_path))
    assert proc.returncode == 0, proc.stderr
    source = subprocess.run([str(REPO / ".venv" / "bin" / "python"), "-m", "runbook_viewer",
                             "list", "--library", str(REPO / "runbooks")],
                            capture_output=True, text=True, check=False, timeout=120)
    assert source.returncode == 0, source.stderr
    assert proc.stdout == source.stdout
    assert "index.md" in proc.stdout


def test_a_user_library_works_frozen(bundle, tmp_path):
    lib = tmp_path / "my-runbooks"
    lib.mkdir()
    (lib / "frob.md").write_text(
        "# Frobnicator Recovery\n\nLast Updated: 2026-01-05\n\n## Procedure\n\n"
        "### Step 1: Restart the frobnicator\n\n- [ ] Stop the frobnicator service\n",
        encoding="utf-8")
    env = operator_env(tmp_path)
    listed = run(["--library", str(lib), "list"], env)
    assert listed.returncode == 0, listed.stderr
    assert "frob.md" in listed.stdout and "Frobnicator Recovery" in listed.stdout
    assert "index.md" not in listed.stdout
    checked = run(["--self-test", "--library", str(lib)], env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "top frob.md" in checked.stdout
    assert "index built in the cache" in checked.stdout


def test_bundle_size_and_contents(bundle):
    files = [p for p in bundle.rglob("*") if not p.is_dir()]
    size = sum(p.lstat().st_size for p in files)
    assert size <= SIZE_LIMIT, f"bundle is {size / 1e6:.1f} MB"
    names = {p.relative_to(bundle).as_posix() for p in files}
    dangling = [n for n in names if (bundle / n).is_symlink() and not (bundle / n).exists()]
    assert not dangling
    assert not [n for n in names if "/_bundled/index/" in n and ".tmp" in n]
    for absent in ("libQt6Network", "libQt6Qml", "libQt6Quick", "/translations/", "libqwayland",
                   "libqeglfs", "libqgtk3", "xcbglintegrations", "libgtk-3", "libssl",
                   "libstdc++", "_ssl.", "libcupsprintersupport"):
        assert not [n for n in names if absent in n], absent
    for present in ("_internal/PySide6/Qt/plugins/platforms/libqxcb.so",
                    "_internal/PySide6/Qt/plugins/platforms/libqoffscreen.so",
                    "_internal/PySide6/Qt/plugins/iconengines/libqsvgicon.so",
                    "_internal/PySide6/QtPrintSupport.abi3.so",
                    "_internal/runbook_viewer/_bundled/index/bundled-library.sqlite3",
                    "_internal/runbook_viewer/_bundled/index/bundled-library.sqlite3.sum",
                    "_internal/runbook_viewer/_bundled/resources/icons/runbook-viewer.svg",
                    "_internal/runbook_viewer/_bundled/resources/runbook-viewer.desktop",
                    "_internal/runbook_viewer/_bundled/runbooks/index.md",
                    "install-desktop.sh"):
        assert present in names, present


def test_install_desktop_from_the_bundle(bundle, tmp_path):
    env = dict(operator_env(tmp_path), XDG_DATA_HOME=str(tmp_path / "share"))
    proc = subprocess.run(["bash", str(bundle / "install-desktop.sh")], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    entry = (tmp_path / "share" / "applications" / "runbook-viewer.desktop").read_text()
    assert f"Exec={EXE}\n" in entry and f"TryExec={EXE}\n" in entry
    assert (tmp_path / "share/icons/hicolor/scalable/apps/runbook-viewer.svg").is_file()
    assert os.access(EXE, os.X_OK)


def test_bundle_on_a_machine_with_no_locale(bundle, tmp_path):
    """No LANG at all (a bare container): Qt's 'Detected locale "C"' warning must not appear,
    least of all as if it were the reason of an unrelated failure."""
    env = {k: v for k, v in operator_env(tmp_path).items() if k != "LANG"}
    for args, code in ((["--self-test"], 0), (["--self-test", "--library", "nowhere"], 1)):
        proc = run(args, env)
        assert proc.returncode == code, proc.stdout + proc.stderr
        assert "Detected locale" not in proc.stderr and "UTF-8 locale" not in proc.stderr, \
            proc.stderr


def test_bundle_without_libgl_names_the_package(bundle, tmp_path):
    """As on a target without libgl1 (Qt's libraries link to libGL.so.1, which is never
    bundled): print and the self-test each end with one line naming the package; with the
    library back, the same root passes the self-test (so libGL was the only thing missing)."""
    system = hidelibs.SystemWithout(tmp_path / "root", "libGL.so.1", "libGL.so", keep=[bundle])
    try:
        env = {"PATH": "/usr/bin:/bin", "HOME": "/root", "LANG": "C.UTF-8"}
        for args in (["print", "startup.md", "-o", "/tmp/startup.pdf"], ["--self-test"]):
            proc = system.run([str(EXE), *args], env)
            assert proc.returncode == 1, proc.stdout + proc.stderr
            lines = proc.stderr.strip().splitlines()
            assert len(lines) == 1 and "install the package libgl1" in lines[0], proc.stderr
            assert "Traceback" not in proc.stdout + proc.stderr
        assert not (system.root / "tmp" / "startup.pdf").exists()
        system.restore()
        control = system.run([str(EXE), "--self-test"], env)
        assert control.returncode == 0, control.stdout + control.stderr
    finally:
        system.remove()
