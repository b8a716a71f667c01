"""Writing an output file so that a failure is reported and never leaves half a file behind.

:func:`write_output` produces the content into a temporary file next to the destination,
checks it (``verify``: e.g. that a PDF has its trailer — a full disk makes some writers stop
silently), fsyncs it and renames it over the destination: the destination then holds the old
file or the complete new one, never a truncated one. Special destinations:

* ``-`` writes the content to standard output (the temporary file lives in the temp folder);
* an existing non-regular file (``/dev/stdout``, ``/dev/null``, a terminal, a FIFO with a
  reader) is written in place, every write checked (``/dev/full`` reports "no space");
* a folder, a missing folder, an unwritable or pseudo-filesystem path (``/proc/version``)
  raise :class:`OutputError` with one readable sentence, and nothing is left behind.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

STDOUT = "-"


class OutputError(Exception):
    """The output could not be written (the message is for the user); nothing was left."""


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def pdf_problem(path: Path) -> str | None:
    """Why the file at ``path`` is not a complete PDF, or None: header, trailer and the
    cross-reference offset must be there (a truncated write loses the end first)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"it cannot be read back ({_why(exc)})"
    if not data.startswith(b"%PDF-"):
        return "it is empty or not a PDF"
    tail = data[-2048:]
    at = tail.rfind(b"startxref")
    if b"%%EOF" not in tail or at < 0:
        return "it is incomplete (its end is missing — is the disk full?)"
    try:
        offset = int(tail[at + 9:].split()[0])
    except (IndexError, ValueError):
        return "it is incomplete (no cross-reference offset)"
    if not 0 < offset < len(data) or data[offset:offset + 4] != b"xref":
        return "it is damaged (its cross-reference table is not where the trailer says)"
    return None


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` durable (best effort: some systems cannot)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _produce(tmp: Path, dest_name: str, produce: Callable[[Path], None],
             verify: Callable[[Path], str | None] | None) -> None:
    try:
        produce(tmp)
    except OSError as exc:
        raise OutputError(f"cannot write {dest_name}: {_why(exc)}; nothing was written") \
            from None
    problem = verify(tmp) if verify else None
    if problem:
        raise OutputError(f"cannot write {dest_name}: {problem}; nothing was written")
    try:
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
    except OSError as exc:
        raise OutputError(f"cannot write {dest_name}: {_why(exc)}; nothing was written") \
            from None


def _copy_into(tmp: Path, out, name: str) -> None:
    """Copy the checked temporary file into an open binary stream, checking every write."""
    try:
        with open(tmp, "rb") as src:
            while chunk := src.read(1 << 16):
                out.write(chunk)
        out.flush()
    except OSError as exc:
        raise OutputError(f"cannot write {name}: {_why(exc)}") from None


def _to_special(dest: Path, tmp: Path) -> None:
    """An existing device or FIFO: write in place (never replace the node itself)."""
    try:
        fd = os.open(dest, os.O_WRONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise OutputError(f"cannot write {dest}: {_why(exc)}") from None
    os.set_blocking(fd, True)
    with os.fdopen(fd, "wb") as out:
        _copy_into(tmp, out, str(dest))


def _in_temp(dest_name: str, produce, verify, deliver: Callable[[Path], None]) -> None:
    with tempfile.TemporaryDirectory(prefix="runbook-viewer-out-") as folder:
        tmp = Path(folder) / "output"
        _produce(tmp, dest_name, produce, verify)
        deliver(tmp)


def write_output(dest: str | Path, produce: Callable[[Path], None],
                 verify: Callable[[Path], str | None] | None = None) -> str:
    """Produce the output via a temporary file and deliver it to ``dest``; returns the name it
    went to. ``produce(tmp)`` writes the temporary file; it may raise OSError or its own
    exceptions (they propagate after the temporary file is removed)."""
    if str(dest) == STDOUT:
        _in_temp("standard output", produce, verify,
                 lambda tmp: _copy_into(tmp, sys.stdout.buffer, "standard output"))
        return "standard output"
    target = Path(dest).expanduser()
    try:
        info = target.stat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {_why(exc)}") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError(f"cannot write {target}: it is a folder; give a file name such as "
                          f"{target / 'out.pdf'}")
    if info is not None and not stat.S_ISREG(info.st_mode):
        _in_temp(str(target), produce, verify, lambda tmp: _to_special(target, tmp))
        return str(target)
    target = target.resolve()  # a symlink: replace what it points to, not the link
    if not target.parent.is_dir():
        raise OutputError(f"cannot write {target}: folder {target.parent} does not exist")
    if info is not None and not os.access(target, os.W_OK):
        raise OutputError(f"cannot write {target}: permission denied")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: no file can be created in "
                          f"{target.parent} ({_why(exc)})") from None
    os.close(fd)
    tmp = Path(name)
    try:
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, stat.S_IMODE(info.st_mode) if info else 0o666 & ~mask)
        _produce(tmp, str(target), produce, verify)
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {_why(exc)}; nothing was written") \
            from None
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(target.parent)
    return str(target)


def write_text_output(dest: str | Path, text: str) -> str:
    """:func:`write_output` for UTF-8 text (exports)."""
    def produce(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)

    return write_output(dest, produce)
