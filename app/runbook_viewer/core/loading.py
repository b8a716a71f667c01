"""Loading many files fast: the parse cache first, then every core for what is left (no Qt).

- Every file is read and hashed; an unchanged file's model comes from the parse cache
  (:mod:`.parse_cache`) — a second open of 20,000 files is a read and a lookup each.
- When at least :data:`PARALLEL_MIN_FILES` files must be parsed and the machine has more than
  one core, they are parsed by worker processes (spawned, never forked: the window has
  threads), in chunks, in order; any failure of the workers — no process allowed, a worker
  killed — falls back to parsing in this process. The models are the same either way.
- Tokens are kept for the page while the library's text stays under ``KEEP_TOKENS_BYTES``
  and dropped as soon as it is over, so they never pile up.
- What is loaded is moved out of the garbage collector's way every :data:`GC_BATCH` files
  (``gc.freeze``), and stays there: a full collection would otherwise walk every model
  loaded so far, again and again (a 20,000-file library loaded in twice the time), and once
  more after the load (half a second the window would wait for). The models live as long as
  the library is open; reference counting still frees what they drop.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import pickle
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from pathlib import Path

from .model import Runbook
from .parse_cache import ParseCache, text_hash

Progress = Callable[[int, int], None]

class LoadCancelled(Exception):
    """Raised by a progress callback to stop a load (the window closed meanwhile)."""


PARALLEL_MIN_FILES = 400  # fewer files to parse than this: not worth starting processes
MAX_WORKERS = 8
CHUNK = 100  # files a worker parses per task
GC_BATCH = 1000  # files loaded between two gc.freeze()
PROGRESS_EVERY = 50  # files between two progress reports


def workers() -> int:
    """How many worker processes to parse with (1: parse here)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_WORKERS))


def _watch_parent(parent: int) -> None:
    """In a worker: leave as soon as the app that started it is gone (killed, crashed): a
    worker waiting for work would otherwise wait for ever."""
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _parse_chunk(root: str, rels: list[str]) -> list[bytes]:
    """In a worker: the models of ``rels`` (pickled, without tokens)."""
    from .library import load_runbook

    gc.disable()  # a short-lived process: nothing to collect that matters
    base = Path(root)
    out = []
    for rel in rels:
        rb = dataclasses.replace(load_runbook(base, base / rel), doc=None)
        out.append(pickle.dumps(rb, protocol=5))
    return out


def _in_workers(root: Path, paths: list[Path], count: int) -> Generator[Runbook] | None:
    """The runbooks of ``paths`` parsed by ``count`` worker processes, in order; None when
    the workers cannot start."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    rels = [p.relative_to(root).as_posix() for p in paths]
    chunks = [rels[k:k + CHUNK] for k in range(0, len(rels), CHUNK)]
    try:
        pool = ProcessPoolExecutor(max_workers=count,
                                   mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_watch_parent, initargs=(os.getpid(),))
        results = pool.map(_parse_chunk, [str(root)] * len(chunks), chunks)
    except Exception:  # no processes here (a sandbox, a frozen build without support)
        return None

    def stream() -> Generator[Runbook]:
        try:
            for blobs in results:
                for blob in blobs:
                    yield pickle.loads(blob)
        except BaseException:  # stopped or broken: do not wait for the chunks left
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()

    return stream()


def _sequential(root: Path, paths: Iterable[Path]) -> Iterator[Runbook]:
    from .library import load_runbook

    for path in paths:
        yield load_runbook(root, path)


def _relative(root: Path, path: Path) -> str:
    """``path.relative_to(root).as_posix()``, as string work (it runs for every file)."""
    base, full = str(root), str(path)
    if full.startswith(base) and full[len(base):len(base) + 1] == os.sep:
        return full[len(base) + 1:].replace(os.sep, "/")
    return path.relative_to(root).as_posix()


def _cached(root: Path, path: Path, cache: ParseCache) -> Runbook | None:
    from .library import read_text

    text, problem = read_text(path)
    if text is None or problem:  # unreadable, or a notice about its bytes: load it whole
        return None
    rb = cache.get(_relative(root, path), text_hash(text))
    if rb is not None:
        rb.abs_path, rb.text = path, text
    return rb


class _Loaded:
    """Collects runbooks in file order, keeping tokens only while they fit, with progress."""

    def __init__(self, total: int, progress: Progress | None, keep_bytes: int):
        self.out: list[Runbook | None] = [None] * total
        self.total, self.progress, self.keep_bytes = total, progress, keep_bytes
        self.done = self.text_bytes = 0
        self.keep = True

    def add(self, index: int, rb: Runbook) -> None:
        self.out[index] = rb
        self.text_bytes += len(rb.text)
        if self.keep and self.text_bytes > self.keep_bytes:
            self.keep = False
            for done in self.out:
                if done is not None:
                    done.doc = None
        if not self.keep:
            rb.doc = None
        self.done += 1
        if self.done % GC_BATCH == 0:
            gc.freeze()
        if self.progress is not None and (self.done % PROGRESS_EVERY == 0
                                          or self.done == self.total):
            self.progress(self.done, self.total)


def load_all(root: Path, paths: list[Path], cache: ParseCache | None,
             progress: Progress | None, keep_bytes: int) -> list[Runbook]:
    """Every file's runbook, in the order of ``paths`` (see the module doc)."""
    loaded = _Loaded(len(paths), progress, keep_bytes)
    missing = list(range(len(paths)))
    if cache is not None:
        missing = []
        for n, path in enumerate(paths):
            rb = _cached(root, path, cache)
            if rb is None:
                missing.append(n)
            else:
                loaded.add(n, rb)
    todo = [paths[n] for n in missing]
    count = workers()
    parsed = _in_workers(root, todo, count) \
        if len(todo) >= PARALLEL_MIN_FILES and count > 1 else None
    try:
        for k, rb in enumerate(parsed if parsed is not None else _sequential(root, todo)):
            loaded.add(missing[k], rb)
            if cache is not None:
                cache.put(rb)
    except LoadCancelled:
        if parsed is not None:
            parsed.close()
        raise
    except Exception:  # the workers broke down (one was killed…): the rest parsed here
        rest = [n for n in missing if loaded.out[n] is None]
        for n, rb in zip(rest, _sequential(root, [paths[n] for n in rest]), strict=True):
            loaded.add(n, rb)
            if cache is not None:
                cache.put(rb)
    return [rb for rb in loaded.out if rb is not None]


#: what prepare() keeps in the parse cache (plain data: no runbook objects in it)
KEPT = ("scenarios", "backlinks")


def prepare(lib, use_cache: bool = True) -> None:
    """Work out, on the loading thread, what the window needs from the whole library (each is
    kept on the library: see ``Library.derive``). The scenarios and backlinks of a library
    that did not change since the last time come from the parse cache."""
    from .folders import display_titles, folder_tree
    from .parse_cache import library_digest
    from .scenarios import build_scenarios
    from .scenarios.wayfinding import backlinks

    cache = ParseCache.for_library(lib.root) if use_cache else None
    digest = library_digest(lib.runbooks) if cache is not None else ""
    kept = cache.get_derived(digest) if cache is not None else None
    if kept is not None and set(kept) == set(KEPT):
        for name, value in kept.items():
            lib.seed(name, value)
    build_scenarios(lib)
    folder_tree(lib)
    display_titles(lib)
    backlinks(lib)
    if cache is not None:
        if kept is None:
            cache.put_derived(digest, {name: lib.derived[name][1] for name in KEPT})
        cache.close(complete=False)
