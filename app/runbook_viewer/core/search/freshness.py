"""Is an index up to date with the files on disk — decided without parsing the library.

A search from the terminal should cost little more than starting Python: when nothing
changed, it must not import the markdown engine or parse a single runbook. The index's
``files`` table holds, for every file it was built from (the runbooks and the library's
``.runbook-viewer.toml``), its size, modification time and SHA-256. The library folder is
walked the way :func:`..library.discover` walks it; a file whose size and time match is
unchanged, one whose time differs is hashed (a copied bundle has new times but the same
bytes). Any difference — a file added, removed or changed, or a walk that finds a different
set of files for any reason — answers "not fresh", and the caller takes the full path (load,
compare content hashes, update): the shortcut can only ever save work, never skip it.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

CONFIG_FILES = (".runbook-viewer.toml",)  # read while indexing (non-production marks)
MAX_FILES = 5000  # more than the library loader takes: never fresh (the slow path decides)


def library_files(root: Path) -> list[str] | None:
    """Library-relative paths of the markdown files under ``root`` (as the loader finds them),
    plus the config files present; None when the folder cannot be walked."""
    found: list[str] = []
    try:
        real_root = root.resolve()
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if not name.lower().endswith(".md") or name.startswith("."):
                    continue
                path = Path(dirpath) / name
                if path.is_symlink():
                    path.resolve().relative_to(real_root)  # ValueError when it leaves
                found.append(path.relative_to(root).as_posix())
                if len(found) > MAX_FILES:
                    return None
    except (OSError, ValueError):
        return None
    found += [name for name in CONFIG_FILES if (root / name).is_file()]
    return sorted(found)


def sha_of(path: Path) -> str:
    import hashlib  # only when a file's time changed

    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def stamp(root: Path, rel: str) -> tuple[int, int, str]:
    path = root / rel
    st = path.stat()
    return st.st_size, st.st_mtime_ns, sha_of(path)


def write_stamps(con: sqlite3.Connection, root: Path) -> None:
    """Record the files of ``root`` as they are now (inside the caller's transaction)."""
    con.execute("DELETE FROM files")
    rows = []
    for rel in library_files(root) or []:
        try:
            rows.append((rel, *stamp(root, rel)))
        except OSError:
            continue  # unreadable: the next check will not be fresh, which is right
    con.executemany("INSERT INTO files(path, size, mtime_ns, sha) VALUES(?, ?, ?, ?)", rows)


def is_fresh(con: sqlite3.Connection, root: Path) -> bool:
    """Do the files under ``root`` match the ``files`` table exactly?"""
    try:
        stored = {p: (size, mtime, sha) for p, size, mtime, sha in
                  con.execute("SELECT path, size, mtime_ns, sha FROM files")}
    except sqlite3.Error:
        return False
    now = library_files(root)
    if not stored or now is None or sorted(stored) != now:
        return False
    for rel, (size, mtime, sha) in stored.items():
        try:
            st = (root / rel).stat()
            if st.st_size != size:
                return False
            if st.st_mtime_ns != mtime and sha_of(root / rel) != sha:
                return False
        except OSError:
            return False
    return True
