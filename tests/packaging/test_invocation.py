"""Commands the app tells the user to type start the way the user started it; Qt start-up
problems (no UTF-8 locale, a missing system library) are one clear line."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import hidelibs
import pytest

from runbook_viewer import invocation, qtenv

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "app" / "runbook_viewer"


@pytest.fixture
def clean_env(monkeypatch):
    monkeypatch.delenv(invocation.COMMAND_ENV, raising=False)


def fake_exe(folder: Path, name: str = "runbook-viewer") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    exe = folder / name
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    return exe


def test_run_sh_says_how_it_was_started(monkeypatch):
    monkeypatch.setenv(invocation.COMMAND_ENV, "bash scripts/run.sh")
    assert invocation.example("list") == "bash scripts/run.sh list"


POSIX_ONLY = pytest.mark.skipif(os.name == "nt", reason="shell scripts as fake executables")
LINUX_ONLY = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="Qt's locale check and libGL are Linux matters")


@POSIX_ONLY
def test_an_executable_found_on_the_path_is_just_its_name(tmp_path, monkeypatch, clean_env):
    exe = fake_exe(tmp_path / "bin")
    monkeypatch.setenv("PATH", str(exe.parent))
    assert invocation.command(str(exe)) == "runbook-viewer"
    assert invocation.command("runbook-viewer") == "runbook-viewer"


@POSIX_ONLY
def test_an_executable_not_on_the_path_is_quoted_as_typed(tmp_path, monkeypatch, clean_env):
    exe = fake_exe(tmp_path / "my apps" / "rv")  # …/my apps/rv/runbook-viewer
    other = fake_exe(tmp_path / "elsewhere")  # a different runbook-viewer on the PATH
    monkeypatch.setenv("PATH", str(other.parent))
    monkeypatch.chdir(tmp_path)
    assert invocation.command(str(exe)) == "'my apps/rv/runbook-viewer'"
    monkeypatch.chdir(exe.parent)
    assert invocation.command(str(exe)) == "./runbook-viewer"


def test_python_dash_m_is_repeated_with_the_same_interpreter(clean_env):
    said = invocation.command(str(APP / "__main__.py"))
    assert said.endswith(" -m runbook_viewer")
    interpreter = said.removesuffix(" -m runbook_viewer").strip("'")
    assert os.path.samefile(interpreter, sys.executable)


def _message_strings(tree: ast.AST):
    """String constants that are not docstrings (f-string parts included)."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) \
                and node.body and isinstance(node.body[0], ast.Expr) \
                and isinstance(node.body[0].value, ast.Constant):
            docstrings.add(id(node.body[0].value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in docstrings:
            yield node


def test_no_message_hard_codes_the_command_name():
    """A message must quote commands through invocation.example(), or the user copies a
    `runbook-viewer …` that their shell does not have (it only exists inside .venv)."""
    offenders = []
    for path in sorted(APP.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _message_strings(tree):
            if "`runbook-viewer " in node.value or "xvfb-run -a runbook-viewer" in node.value:
                offenders.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not offenders, "use invocation.example(...) in: " + ", ".join(offenders)


@pytest.mark.parametrize(("env", "expected", "after"), [
    ({}, "LC_CTYPE", {"LC_CTYPE": "C.UTF-8"}),
    ({"LANG": "C"}, "LC_CTYPE", {"LANG": "C", "LC_CTYPE": "C.UTF-8"}),
    ({"LC_ALL": "POSIX", "LANG": "de_DE.UTF-8"}, "LC_ALL", {"LC_ALL": "C.UTF-8",
                                                            "LANG": "de_DE.UTF-8"}),
    ({"LANG": "de_DE.UTF-8"}, None, {"LANG": "de_DE.UTF-8"}),
    ({"LC_CTYPE": "en_US.utf8", "LANG": "C"}, None, {"LC_CTYPE": "en_US.utf8", "LANG": "C"}),
])
def test_a_utf8_locale_is_chosen_for_qt_only_when_there_is_none(env, expected, after,
                                                                 monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    assert qtenv.prepare_locale(env) == expected
    assert env == after


def test_missing_system_library_names_the_package():
    exc = ImportError("libGL.so.1: cannot open shared object file: No such file or directory")
    said = qtenv.qt_import_problem(exc)
    assert said == ("Qt cannot start: the system library libGL.so.1 is missing; install the "
                    "package libgl1 (Debian/Ubuntu, as root: apt-get install libgl1).")
    egl = ImportError("libEGL.so.1: cannot open shared object file: No such file or directory")
    assert "package libegl1" in qtenv.qt_import_problem(egl)
    assert qtenv.missing_library(ImportError("No module named 'PySide6'")) is None


@LINUX_ONLY
def test_no_locale_warning_in_a_failed_self_test(tmp_path):
    """LC_ALL=C (Python's own locale coercion does not apply): before, Qt's 'Detected locale
    "C"' warning was printed as if it were the reason of the failure."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LC_ALL": "C"}
    proc = subprocess.run([sys.executable, "-m", "runbook_viewer", "--self-test", "--library",
                           str(tmp_path / "nowhere")], env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 1
    assert "SELFTEST FAILED at stage 'library'" in proc.stderr
    assert "Detected locale" not in proc.stderr and "UTF-8 locale" not in proc.stderr
    ok = subprocess.run([sys.executable, "-m", "runbook_viewer", "--self-test"], env=env,
                        capture_output=True, text=True, timeout=180, check=False)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "Detected locale" not in ok.stderr and "UTF-8 locale" not in ok.stderr


@pytest.fixture(scope="module")
def without_libgl(tmp_path_factory):
    """This system without the libgl1 package's libGL.so.1 (needs root; see hidelibs)."""
    root = tmp_path_factory.mktemp("no-libgl") / "root"
    system = hidelibs.SystemWithout(root, "libGL.so.1", "libGL.so",
                                    keep=[REPO / "app", REPO / "runbooks", REPO / "resources",
                                          Path(sys.prefix)])
    yield system
    system.remove()


def test_without_libgl_print_and_self_test_say_install_libgl1(without_libgl):
    """As on a machine without the libgl1 package: one line naming it, no traceback."""
    env = {"PATH": "/usr/bin:/bin", "HOME": "/root", "LANG": "C.UTF-8",
           "RUNBOOK_VIEWER_HOME": "/tmp/state"}
    rv = [sys.executable, "-m", "runbook_viewer"]
    for args in (["print", "startup.md", "-o", "/tmp/out.pdf"], ["--self-test"]):
        proc = without_libgl.run(rv + args, env)
        assert proc.returncode == 1, proc.stdout + proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1, proc.stderr
        assert "libGL.so.1 is missing; install the package libgl1" in lines[0]
        assert "Traceback" not in proc.stdout + proc.stderr
    assert not (without_libgl.root / "tmp" / "out.pdf").exists()
