"""Shared test data and builders (on the path through pytest's pythonpath = ["tests"])."""

from __future__ import annotations

from pathlib import Path


def write_files(root: Path, files: dict[str, str]) -> Path:
    """``files`` ({relative path: text}) written as UTF-8 under ``root`` (created); ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def rv(capsys, *argv) -> tuple[int, str, str]:
    """``runbook-viewer ARGV`` in this process: (exit code, stdout, stderr), never a traceback."""
    from runbook_viewer import cli

    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err
