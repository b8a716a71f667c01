"""One file must never take the library away: link loops, FIFOs, devices, unreadable folders,
UTF-16/UTF-32/UTF-8-SIG files. Every bad entry is skipped with a notice naming it; the rest of
the library loads. Loads that could hang run in a subprocess with a timeout."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from runbook_viewer.core.library import decode_text, load_library, load_notice

APP_DIR = Path(__file__).resolve().parents[2] / "app"
GOOD = "# Good runbook\n\n## Procedure\n\n### Step 1: Go\n\n- [ ] do it\n"


def rv(*args, timeout=60, user=None, cwd=None):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(APP_DIR)
    return subprocess.run([sys.executable, "-m", "runbook_viewer", *args], capture_output=True,
                          text=True, env=env, timeout=timeout, user=user, cwd=cwd)


@pytest.fixture
def hostile_lib(tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    (root / "good.md").write_text(GOOD, encoding="utf-8")
    os.symlink("loop.md", root / "loop.md")  # x.md -> x.md
    os.symlink("b.md", root / "a.md")  # a -> b -> a
    os.symlink("a.md", root / "b.md")
    os.symlink("missing-target.md", root / "dangling.md")
    os.mkfifo(root / "pipe.md")
    os.symlink("/dev/zero", root / "zero.md")
    return root


@pytest.fixture
def deadline():
    """Fail (instead of hanging the suite) if the code under test blocks on a FIFO."""
    def expired(signum, frame):
        raise TimeoutError("loading the library blocked")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_loops_fifos_and_devices_are_skipped_and_named(hostile_lib, deadline):
    lib = load_library(hostile_lib)  # a FIFO read would block forever
    assert [rb.path for rb in lib.runbooks] == ["good.md"]
    skipped = {p.path: p.message for p in lib.problems if p.code == "skipped-file"}
    assert set(skipped) == {"loop.md", "a.md", "b.md", "dangling.md", "pipe.md", "zero.md"}
    assert "loops" in skipped["loop.md"] and "broken link" in skipped["dangling.md"]
    assert "named pipe" in skipped["pipe.md"] and "character device" in skipped["zero.md"]
    notice = load_notice(lib, limit=10) or ""
    assert "everything else works" in notice
    for name in skipped:
        assert name in notice


@pytest.mark.parametrize("command", [["list"], ["show", "good.md"], ["scenarios"],
                                     ["check"], ["runs", "start", "good.md", "--operator", "jd"]])
def test_every_command_survives_a_hostile_library(hostile_lib, command, isolated_home):
    out = rv(*command, "--library", str(hostile_lib), timeout=60)
    assert "Traceback" not in out.stderr, out.stderr
    if command[0] != "check":  # check reports the files as problems (exit 1) by design
        assert out.returncode == 0, out.stderr
        assert "pipe.md" in out.stderr and "loop.md" in out.stderr


@pytest.mark.parametrize("codec,bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
                                       ("utf-8", b"\xef\xbb\xbf"),
                                       ("utf-32-le", b"\xff\xfe\x00\x00"),
                                       ("utf-32-be", b"\x00\x00\xfe\xff")])
def test_files_with_a_byte_order_mark_are_decoded(tmp_path, codec, bom):
    text = "# Café runbook\n\n## Procedure\n\n### Step 1: Redémarrer\n\n- [ ] systemctl restart\n"
    (tmp_path / "bom.md").write_bytes(bom + text.encode(codec))
    rb = load_library(tmp_path).get("bom.md")
    assert rb.load_error is None and not rb.problems
    assert rb.title == "Café runbook" and [i.text for i in rb.items] == ["systemctl restart"]


def test_utf16_without_a_bom_says_exactly_why():
    text, problem = decode_text("# Runbook\n\n- [ ] item\n".encode("utf-16-le"))
    assert text is None and "UTF-16" in problem and "byte-order mark" in problem
    text, problem = decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\xf4")
    assert text is None and "binary" in problem


def test_a_bad_utf16_body_is_shown_with_replacement_characters():
    text, problem = decode_text(b"\xff\xfe" + "# Title\n".encode("utf-16-le") + b"\x00\xd8x")
    assert text is not None and text.startswith("# Title") and "�" in text
    assert "UTF-16" in problem


UNREADABLE_SCRIPT = """
import sys
from runbook_viewer.core.library import load_library, load_notice
lib = load_library(sys.argv[1])
print(",".join(rb.path for rb in lib.runbooks))
print(load_notice(lib))
"""


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_an_unreadable_subfolder_is_named_not_silently_skipped(tmp_path):
    """As root (CI) the load runs as the unprivileged user nobody, who cannot read it."""
    base = Path(tempfile.mkdtemp(prefix="rv-unreadable-"))
    try:
        base.chmod(0o755)
        root = base / "lib"
        (root / "secret").mkdir(parents=True)
        (root / "good.md").write_text(GOOD, encoding="utf-8")
        (root / "secret" / "hidden.md").write_text(GOOD, encoding="utf-8")
        root.chmod(0o755)
        (root / "good.md").chmod(0o644)
        (root / "secret").chmod(0o000)
        user = 65534 if os.geteuid() == 0 else None
        env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(APP_DIR), "HOME": str(base)}
        out = subprocess.run([sys.executable, "-c", UNREADABLE_SCRIPT, str(root)],
                             capture_output=True, text=True, timeout=60, env=env, user=user,
                             group=user, cwd=str(base))
        assert out.returncode == 0, out.stderr
        loaded, notice = out.stdout.splitlines()[:2]
        assert loaded == "good.md"
        assert "secret" in notice and "cannot be read" in notice
    finally:
        (base / "lib" / "secret").chmod(0o700)
        shutil.rmtree(base, ignore_errors=True)
