"""Every command the README (usage) and the app (no-display message) tell a user to type works
as written, from the project folder, in a shell that has only what set-up made: no
`.venv/bin` on the PATH, no display.

The project folder is a fresh folder of symlinks to this checkout, so files the commands write
(`-o startup-checklist.pdf`) land there and the checkout stays clean.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the README's set-up is for Debian/Ubuntu (apt-get)")


def bash_blocks(text: str) -> list[list[str]]:
    return [block.strip().splitlines()
            for block in re.findall(r"^```bash\n(.*?)^```", text, flags=re.S | re.M)]


def without_comment(line: str) -> str:
    return re.split(r"\s{2,}#\s", line, maxsplit=1)[0].strip()


def usage_commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    usage = text[text.index("## Using it"):text.index("## Your own library")]
    blocks = bash_blocks(usage)
    assert blocks, "the README's usage section has no bash block"
    return [without_comment(line) for block in blocks for line in block if line.strip()]


@pytest.fixture
def project(tmp_path) -> Path:
    folder = tmp_path / "runbook-viewer"
    folder.mkdir()
    for entry in REPO.iterdir():
        (folder / entry.name).symlink_to(entry)
    return folder


@pytest.fixture
def user_env(tmp_path, isolated_home) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    return {"PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "HOME": str(home),
            "LANG": "C.UTF-8", "RUNBOOK_VIEWER_HOME": str(isolated_home)}


def typed(command: str, cwd: Path, env: dict[str, str], timeout: float = 240):
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)


def assert_worked(command: str, proc: subprocess.CompletedProcess) -> None:
    said = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"{command!r} exited {proc.returncode}:\n{said[-3000:]}"
    assert "not found" not in proc.stderr and "Traceback" not in said, said[-3000:]


def test_usage_commands_work_as_written(project, user_env):
    commands = usage_commands()
    assert all(c.startswith("bash scripts/run.sh ") for c in commands), commands
    run_id = None
    for command in commands:
        if re.search(r"\bRUN\b", command):
            assert run_id, f"{command!r} needs the run a previous command started"
            command = re.sub(r"\bRUN\b", run_id[:8], command)
        proc = typed(command, project, user_env)
        assert_worked(command, proc)
        started = re.search(r"Started run ([0-9a-f-]{8,})", proc.stdout)
        run_id = started.group(1) if started else run_id
    assert run_id, "the usage example starts no run"
    for pdf in re.findall(r"-o (\S+\.pdf)", " ".join(commands)):
        assert (project / pdf).read_bytes().startswith(b"%PDF"), pdf
    assert not (REPO / "startup-checklist.pdf").exists()


def test_no_display_message_commands_work_as_written(project, user_env):
    proc = typed("bash scripts/run.sh", project, user_env)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    hints = re.findall(r"`([^`]+)`", proc.stderr)
    assert len(hints) >= 6, proc.stderr
    for hint in hints:
        words = shlex.split(hint)
        assert words[:2] == ["bash", "scripts/run.sh"] or words[:4] == [
            "xvfb-run", "-a", "bash", "scripts/run.sh"], hint
        env = user_env
        if words[0] == "xvfb-run":  # a real window on a virtual screen; the probe closes it
            env = dict(user_env, RUNBOOK_VIEWER_STARTUP_PROBE="1")
        done = typed(hint, project, env)
        assert_worked(hint, done)
        if words[0] == "xvfb-run":
            assert re.search(r"STARTUP-PROBE \S+ ready", done.stdout), done.stdout
    assert (project / "startup.pdf").read_bytes().startswith(b"%PDF")
