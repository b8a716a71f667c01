"""Text analysis for operations runbooks: words, identifier splitting, stop words, synonyms.

Words are split the way SQLite FTS5's ``unicode61`` tokenizer splits them (letters and digits
form words; everything else — spaces, punctuation, ``-``, ``_``, ``.`` — separates them), folded
to lower case without diacritics. On top of that, identifiers written in camel case are split into
their parts: ``KubePodCrashLooping`` → kube pod crash looping, ``etcdGRPCRequestsSlow`` → etcd
grpc requests slow, while ``x509`` and ``pg16`` stay whole. ``etcd_no_leader`` and ``redis-cli``
are already separate words. The index keeps both the whole identifier (for exact and prefix
matches) and its parts.

Synonyms come from the table shipped in ``runbook_viewer/data/synonyms.txt`` plus an optional
``synonyms.txt`` at a library's root; the file header documents the format.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import namedtuple
from collections.abc import Iterable
from pathlib import Path

SYNONYMS_FILE = "synonyms.txt"

WORD_RE = re.compile(r"[^\W_]+")
COMMENT_RE = re.compile(r"(?:^|\s)#.*$")
CAMEL_RE = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+\d*|[A-Z]+\d*|\d+")

# Function words and filler an operator types around a symptom ("the api keeps returning 503").
# Only dropped from queries (never from the index), and never when nothing else is left.
_STOPWORD_TEXT = """
a about after again all also am an and any are as at be one been being but by can could did do does
doing for from had has have having he her here how i if in into is it its itself just keep keeps
kept me my of on once only or our please really seem seems she so some still suddenly that the
their them then there these they this those to too us very was we were what when where which
while who why will with would you your getting seeing happening help may might must should shall
never won don doesn didn isn aren wasn weren couldn shouldn wouldn hasn haven
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def fold(word: str) -> str:
    """Lower case without diacritics (what FTS5 ``remove_diacritics`` does)."""
    word = word.lower()
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def raw_words(text: str) -> list[str]:
    """Words as written (case kept), split like FTS5 unicode61."""
    return WORD_RE.findall(text)


def words(text: str) -> list[str]:
    """Folded words of ``text``."""
    return [fold(w) for w in WORD_RE.findall(text)]


def split_identifier(word: str) -> list[str]:
    """Folded parts of a camel-case identifier, or [] when ``word`` is not one.

    ``KubePodCrashLooping`` → [kube, pod, crash, looping]; ``CPUThrottlingHigh`` → [cpu,
    throttling, high]; ``x509``, ``redis``, ``HTTP`` → [] (nothing to split).
    """
    if word.islower() or word.isupper() or not any(c.isupper() for c in word[1:]):
        return []
    parts = [fold(p) for p in CAMEL_RE.findall(word)]
    parts = [p for p in parts if len(p) > 1 or p.isdigit()]
    return parts if len(parts) >= 2 else []


def identifier_parts(text: str) -> list[str]:
    """The parts of every camel-case identifier in ``text`` (in order, with repeats)."""
    out: list[str] = []
    for w in WORD_RE.findall(text):
        out.extend(split_identifier(w))
    return out


def vocabulary(text: str) -> set[str]:
    """Every folded word of ``text`` plus the parts of its identifiers (for the vocabulary)."""
    found: set[str] = set()
    for w in WORD_RE.findall(text):
        found.add(fold(w))
        found.update(split_identifier(w))
    return found


# One word of a query: folded form, identifier parts (if any), the text as typed, and whether
# it is part of a pasted name like file-23-stor-gprd or web-01.example. (A named tuple, not a
# dataclass: `dataclasses` costs a terminal search more than the search itself.)
QueryWord = namedtuple("QueryWord", "word parts typed instance", defaults=((), "", False))


# a pasted host, pod or instance name: letters and digits joined by - . _ (file-23-stor-gprd,
# kube-proxy-b9g23, node1.example.com); its words say which machine, not what is wrong
INSTANCE_RE = re.compile(r"(?=[^\s]*\d)(?=[^\s]*[A-Za-z])[A-Za-z0-9]+(?:[-._][A-Za-z0-9]+){2,}")


def query_words(query: str) -> list[QueryWord]:
    """The words of a query, in order, stop words included (callers decide what to drop)."""
    spans = [m.span() for m in INSTANCE_RE.finditer(query)]
    return [QueryWord(fold(m.group()), tuple(split_identifier(m.group())), m.group(),
                      any(a <= m.start() < b for a, b in spans))
            for m in WORD_RE.finditer(query)]


def is_stopword(word: str) -> bool:
    return word in STOPWORDS or (len(word) == 1 and not word.isdigit())


# ----------------------------------------------------------------------------------- synonyms

Phrase = tuple[str, ...]


class Synonyms:
    """Groups of interchangeable words/phrases; see the header of ``data/synonyms.txt``."""

    def __init__(self) -> None:
        self._alts: dict[Phrase, set[Phrase]] = {}
        self.max_words = 1
        self.problems: list[str] = []
        self.sources: list[str] = []

    def __len__(self) -> int:
        return len(self._alts)

    def add_text(self, text: str, source: str = "synonyms") -> None:
        """Add the groups in ``text``; malformed lines are noted in ``problems``, not raised."""
        self.sources.append(source)
        for n, raw in enumerate(text.splitlines(), 1):
            line = COMMENT_RE.sub("", raw).strip()
            if not line:
                continue
            if line.count("=>") > 1:
                self.problems.append(f"{source}:{n}: more than one '=>'; line ignored")
                continue
            if "=>" in line:
                left, right = line.split("=>")
                lhs, rhs = _entries(left), _entries(right)
                if not lhs or not rhs:
                    self.problems.append(f"{source}:{n}: '=>' needs words on both sides")
                    continue
                for a in lhs:
                    self._add(a, rhs)
            else:
                group = _entries(line)
                if len(group) < 2:
                    self.problems.append(f"{source}:{n}: a group needs at least two entries "
                                         "separated by commas; line ignored")
                    continue
                for a in group:
                    self._add(a, group)

    def _add(self, key: Phrase, alts: Iterable[Phrase]) -> None:
        target = self._alts.setdefault(key, set())
        target.update(a for a in alts if a != key)
        self.max_words = max(self.max_words, len(key))

    def lookup(self, phrase: Phrase) -> list[Phrase]:
        """Alternatives for a word or phrase (not including itself), most specific first.

        A single word also tries its singular (``certs`` → ``cert``, ``caches`` → ``cache``).
        """
        found = self._alts.get(phrase)
        if found is None and len(phrase) == 1:
            w = phrase[0]
            for cand in (w[:-1] if w.endswith("s") else "", w[:-2] if w.endswith("es") else ""):
                if len(cand) > 1 and (cand,) in self._alts:
                    found = self._alts[(cand,)] | {(cand,)}
                    break
        if not found:
            return []
        return sorted((a for a in found if a != phrase), key=lambda a: (len(a), a))

    def knows(self, phrase: Phrase) -> bool:
        return bool(self.lookup(phrase))

    @classmethod
    def load(cls, library_root: Path | str | None = None) -> Synonyms:
        """The shipped table plus ``<library_root>/synonyms.txt`` when it exists."""
        syn = cls()
        syn.add_text(shipped_synonyms_text(), "runbook_viewer/data/synonyms.txt")
        if library_root is not None:
            path = Path(library_root) / SYNONYMS_FILE
            if path.is_file():
                try:
                    syn.add_text(path.read_text(encoding="utf-8-sig"), str(path))
                except (OSError, UnicodeDecodeError) as exc:
                    syn.problems.append(f"{path}: cannot read ({exc}); library synonyms unused")
        return syn


def _entries(text: str) -> list[Phrase]:
    out: list[Phrase] = []
    for item in text.split(","):
        phrase = tuple(words(item))
        if phrase and phrase not in out:
            out.append(phrase)
    return out


@functools.cache
def shipped_synonyms_text() -> str:
    # beside the package (source tree, wheel and PyInstaller bundle alike); importlib.resources
    # would cost more to import than reading the file
    path = Path(__file__).resolve().parents[2] / "data" / SYNONYMS_FILE
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    try:  # packaged some other way (a zip): ask the import system
        import importlib.resources

        ref = importlib.resources.files("runbook_viewer") / "data" / SYNONYMS_FILE
        return ref.read_text(encoding="utf-8")
    except (OSError, ModuleNotFoundError):  # a broken install: search works without it
        return ""
