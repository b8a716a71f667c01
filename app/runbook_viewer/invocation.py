"""The words that start this program the way the user started it.

Every command a message tells the user to type (``runbook-viewer search …``, ``xvfb-run -a …``)
is built with :func:`command`, so it works when pasted back into the same shell:

* ``scripts/run.sh`` says how it was called (``RUNBOOK_VIEWER_COMMAND=bash scripts/run.sh``);
* a ``runbook-viewer`` found on the PATH (pipx, a wheel in an activated venv, a bundle on the
  PATH) is just ``runbook-viewer``;
* anything else is the path as typed (``dist/runbook-viewer/runbook-viewer``,
  ``.venv/bin/runbook-viewer``), or ``PYTHON -m runbook_viewer`` for ``python -m``.
"""

from __future__ import annotations

import os
import sys

COMMAND_ENV = "RUNBOOK_VIEWER_COMMAND"
NAME = "runbook-viewer"


def _quote(word: str) -> str:
    if os.name == "nt":
        import subprocess

        return subprocess.list2cmdline([word])
    import shlex

    return shlex.quote(word)


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _shown_path(path: str) -> str:
    """``path`` relative to the current folder when it lies inside it, else as given."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path
    if rel.startswith(os.pardir) or os.path.isabs(rel):
        return path
    return rel if os.sep in rel else os.path.join(os.curdir, rel)


def command(argv0: str | None = None) -> str:
    """How to run runbook-viewer again from this shell, e.g. ``runbook-viewer`` or
    ``bash scripts/run.sh`` (without arguments; callers append the subcommand)."""
    told = os.environ.get(COMMAND_ENV, "").strip()
    if told:
        return told
    argv0 = (sys.argv[0] if sys.argv else "") if argv0 is None else argv0
    base = os.path.basename(argv0)
    stem = base[:-4] if base.lower().endswith(".exe") else base
    if stem != NAME and not getattr(sys, "frozen", False):  # python -m runbook_viewer, tests
        return f"{_quote(_shown_path(sys.executable))} -m runbook_viewer"
    import shutil  # here, not at start-up: only messages need it

    found = shutil.which(stem)
    if found and _same_file(found, argv0 if os.path.dirname(argv0) else found):
        return _quote(stem)
    return _quote(_shown_path(argv0))


def example(args: str) -> str:
    """A full command line to quote in a message: ``example("list")`` → ``runbook-viewer list``."""
    return f"{command()} {args}".rstrip()
