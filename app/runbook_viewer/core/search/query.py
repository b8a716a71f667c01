"""From what the operator typed to FTS5 queries.

Each meaningful word of the query becomes a *group* of alternatives that all stand for it:

- the word itself (FTS5 stems it: "heartbeats" also finds "heartbeat");
- for a camel-case identifier, its parts (``KubePodCrashLooping`` → kube AND pod AND crash AND
  looping) besides the whole identifier;
- its synonyms (``db`` → database, postgres, …), and phrases ("out of memory" → oom);
- for the last word while it is still being typed (no space after it) and not a word of the
  library by itself, the library's words that start with it ("missin" → missing, …);
- for a word no section contains, its nearest library words by edit distance ("hearbeat" →
  heartbeat) — the correction also becomes the "did you mean" suggestion — or, failing that,
  the library words that start like it ("colluding" → collusion).

Stop words ("the", "is", "keeps", …) are dropped unless nothing else matches; a word that
matches nothing even after correction is left out and reported. The engine runs the AND of the
groups first and falls back to their OR when that finds too little.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable

from .analyzer import (
    Phrase,
    QueryWord,
    Synonyms,
    is_stopword,
    query_words,
    split_identifier,
    words,
)
from .index import TOKENIZER
from .vocab import Stemmer, TermCache

MAX_ALTERNATIVES = 24
MIN_STEM = 5  # the shortest start of an unknown word tried as a word of its own
MIN_PART = 3  # the shortest part of a compound word split in two ("filesystem" → file system)
NEAR_WORDS = 2  # words allowed between the words of a phrase ("disk is full" for "disk full")
INSTANCE_WEIGHT = 0.1  # words of a pasted host/pod name (file-23-stor-gprd) in coverage
PAIR_DISTANCE = 3  # neighbouring query words count as together this close in a section
STEMMER = Stemmer(TOKENIZER)


def quote(phrase: Phrase | str) -> str:
    """An FTS5 string for a word or phrase (words are letters/digits only, so this is safe)."""
    text = phrase if isinstance(phrase, str) else " ".join(phrase)
    return '"' + text.replace('"', '""') + '"'


class Group:
    """One query word (or phrase) and every FTS5 alternative that stands for it."""

    def __init__(self, typed: str, span: list[QueryWord] | None = None) -> None:
        self.typed = typed  # the query word(s) as typed
        self.span = span or []  # the query words it stands for
        self.alternatives: list[str] = []  # FTS5 sub-expressions
        self.correction: str | None = None  # the library word a typo was corrected to
        self.keys: set[tuple[str, ...]] = set()  # stems of the alternatives
        self.stems: set[str] = set()  # every stem the alternatives contain
        self.key_order: list[tuple[str, ...]] = []  # keys, as alternatives

    @property
    def weight(self) -> float:
        """How much the group counts towards coverage (× its rarity): little for the words of
        a pasted machine name."""
        return INSTANCE_WEIGHT if self.span and all(w.instance for w in self.span) else 1.0

    @property
    def expr(self) -> str:
        alts = self.alternatives[:MAX_ALTERNATIVES]
        return alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")"

    def add(self, expr: str, key: tuple[str, ...] | None = None) -> bool:
        """Add an alternative unless one with the same stems is there (an OR of "pod" and
        "pods" would count the same word twice in the ranking)."""
        key = key or (expr,)
        if key in self.keys:
            return False
        self.keys.add(key)
        self.key_order.append(key)
        self.stems.update(k for k in key if k not in ("", "&"))
        self.alternatives.append(expr)
        return True


class Plan:
    """The groups of a query (AND of groups, OR inside a group) and what did not match."""

    def __init__(self) -> None:
        self.groups: list[Group] = []
        self.unmatched: list[str] = []  # words nothing matches
        self.words: list[str] = []  # the query's words/phrases, as typed
        self.pairs: list[str] = []  # NEAR(a b) of neighbouring words

    @property
    def empty(self) -> bool:
        return not self.groups

    def and_expr(self) -> str:
        return " AND ".join(g.expr for g in self.groups)

    def or_expr(self) -> str:
        return " OR ".join(g.expr for g in self.groups)

    def any_expr(self) -> str:
        """Every distinct alternative once (for marking matches: cheaper than ``or_expr``)."""
        seen: dict[tuple[str, ...], str] = {}
        for g in self.groups:
            for k, alt in zip(g.key_order, g.alternatives, strict=True):
                seen.setdefault(k, alt)
        return " OR ".join(seen.values())

    def matcher(self) -> Callable[[str], bool]:
        """Is a word of a section (``KubePodCrashLooping``) matched through its parts?"""
        stems = set().union(*(g.stems for g in self.groups)) if self.groups else set()

        seen: dict[str, bool] = {}

        def match(word: str) -> bool:
            if word.islower() or word.isupper() or word.isdigit():
                return False  # the common case, fast: not a camel-case identifier
            found = seen.get(word)
            if found is None:
                found = seen[word] = any(STEMMER.stem(p) in stems
                                         for p in split_identifier(word))
            return found
        return match

    @staticmethod
    def same_word(text: str) -> tuple[str, ...]:
        """A key equal for forms of the same words ("Heartbeats" and "heartbeat")."""
        return tuple(STEMMER.stem(w) for w in words(text))

    @property
    def suggestion(self) -> str | None:
        """The query with corrected words, when a word had to be corrected."""
        fixes = {g.typed: g.correction for g in self.groups if g.correction}
        if not fixes:
            return None
        return " ".join(fixes.get(w, w) for w in self.words)


def _joined(con: sqlite3.Connection, cache: TermCache, a: QueryWord, b: QueryWord) -> str:
    """The one word the library writes for two ("file system" → filesystem, "fail over",
    "log in"), or ""."""
    joined = a.word + b.word
    if a.parts or b.parts or not (a.word.isalpha() and b.word.isalpha()) or \
            is_stopword(a.word) or is_stopword(joined) or len(joined) < 5:
        return ""
    return joined if cache.known(con, quote(joined)) else ""


def _spans(qwords: list[QueryWord], synonyms: Synonyms) -> list[list[QueryWord]]:
    """Split the query into runs: multi-word synonym phrases, then single words."""
    out: list[list[QueryWord]] = []
    i = 0
    while i < len(qwords):
        for n in range(min(synonyms.max_words, len(qwords) - i), 1, -1):
            phrase = tuple(w.word for w in qwords[i:i + n])
            if synonyms.knows(phrase):
                out.append(qwords[i:i + n])
                i += n
                break
        else:
            out.append([qwords[i]])
            i += 1
    return out


def _split_compound(con: sqlite3.Connection, cache: TermCache, word: str) -> list[Phrase]:
    """The ways a word splits into two library words written apart that the library also
    uses as a phrase ("filesystem" → file system, "failover" → fail over)."""
    if len(word) < 2 * MIN_PART or not word.isalpha():
        return []
    out: list[Phrase] = []
    for k in range(MIN_PART, len(word) - MIN_PART + 1):
        head, tail = word[:k], word[k:]
        if cache.in_vocab(con, head) and cache.in_vocab(con, tail) and \
                cache.known(con, quote((head, tail))):
            out.append((head, tail))
    return out


def plan_query(con: sqlite3.Connection, cache: TermCache, synonyms: Synonyms, query: str,
               partial_last: bool | None = None) -> Plan:
    """The groups for ``query``. ``partial_last`` (default: no trailing space) treats the last
    word as still being typed."""
    if partial_last is None:
        partial_last = bool(query) and not query[-1].isspace()
    qwords = query_words(query)
    plan = Plan()
    spans = _spans(qwords, synonyms)
    plan.words = [" ".join(w.typed for w in span) for span in spans]
    content = [s for s in spans if len(s) > 1 or not is_stopword(s[0].word)]
    filler = [s for s in spans if s not in content]
    for batch in (content, filler):  # the filler words only when nothing else matched
        for span in batch:
            last = span[-1] is qwords[-1]
            group = _group(con, cache, synonyms, span, partial_last and last)
            if group.alternatives:
                plan.groups.append(group)
            elif batch is content:
                plan.unmatched.append(group.typed)
        if plan.groups:
            break
    _compounds(con, cache, spans, plan)
    plan.pairs = _pairs(plan.groups)
    # "database db" asks for the same group twice
    unique: dict[frozenset[tuple[str, ...]], Group] = {}
    for g in plan.groups:
        unique.setdefault(frozenset(g.keys), g)
    plan.groups = list(unique.values())
    return plan


def _compounds(con: sqlite3.Connection, cache: TermCache, spans: list[list[QueryWord]],
               plan: Plan) -> None:
    """Two query words the library writes as one ("file system", "fail over", "log in"):
    the joined word becomes an alternative of both words' groups, so a section that writes
    it either way matches both — and one with the two words apart still does."""
    by_word = {id(g.span[0]): g for g in plan.groups if len(g.span) == 1}
    for a, b in itertools.pairwise(spans):
        if len(a) != 1 or len(b) != 1:
            continue
        joined = _joined(con, cache, a[0], b[0])
        first, second = by_word.get(id(a[0])), by_word.get(id(b[0]))
        if not joined or first is None:
            continue
        if second is None:  # "log in": a verb and its particle mean the compound
            unit = Group(f"{first.typed} {b[0].typed}", [a[0], b[0]])
            unit.add(quote(joined), ("", STEMMER.stem(joined)))
            pair = (a[0].word, b[0].word)
            if cache.known(con, quote(pair)):
                unit.add(quote(pair), ("", *(STEMMER.stem(w) for w in pair)))
            plan.groups[plan.groups.index(first)] = unit
            continue
        for g in (first, second):
            g.add(quote(joined), ("", STEMMER.stem(joined)))


def _pairs(groups: list[Group]) -> list[str]:
    """NEAR expressions of neighbouring query words, for the proximity boost: a section
    that holds "remaining connection slots" together answers better than one with the three
    words far apart."""
    words = [g.alternatives[0] if g.alternatives and " " not in g.alternatives[0]
             and g.alternatives[0].startswith('"') else None for g in groups]
    return [f"NEAR({a} {b}, {PAIR_DISTANCE})" for a, b in itertools.pairwise(words)
            if a and b]


class _Alternatives:
    """Adds the alternatives of one group, each once and only when the library holds it."""

    def __init__(self, con: sqlite3.Connection, cache: TermCache, group: Group) -> None:
        self.con, self.cache, self.group = con, cache, group

    @staticmethod
    def key(words: Phrase, tag: str = "") -> tuple[str, ...]:
        return (tag, *(STEMMER.stem(w) for w in words))

    def add_if_known(self, expr: str, k: tuple[str, ...]) -> bool:
        if k in self.group.keys:
            return True
        if self.cache.known(self.con, expr):
            return self.group.add(expr, k)
        return False

    def add_term(self, term: str) -> None:
        """A word the library is known to hold (a completion or a correction)."""
        self.group.add(quote(term), self.key((term,)))


def _group(con: sqlite3.Connection, cache: TermCache, synonyms: Synonyms,
           span: list[QueryWord], partial: bool) -> Group:
    typed = " ".join(w.typed for w in span)
    group = Group(typed, list(span))
    alts = _Alternatives(con, cache, group)
    phrase: Phrase = tuple(w.word for w in span)
    word = span[0] if len(span) == 1 else None
    whole = _add_as_written(alts, phrase, word)
    for alt in synonyms.lookup(phrase):
        alts.add_if_known(quote(alt), alts.key(alt))
    if partial and word is not None and not whole:
        _add_completions(alts, word)
    if group.alternatives or word is None:
        return group
    _add_corrections(alts, synonyms, word, partial)
    return group


def _add_as_written(alts: _Alternatives, phrase: Phrase, word: QueryWord | None) -> bool:
    """The words as typed (several: also near each other, and written as one word; one:
    also split into the library's words, and its parts together). True when the whole
    phrase is in the library."""
    whole = alts.add_if_known(quote(phrase), alts.key(phrase))
    if word is None:
        near = " ".join(quote(w) for w in phrase)
        whole = alts.add_if_known(f"NEAR({near}, {NEAR_WORDS})", alts.key(phrase, "&")) or whole
        if len(phrase) == 2:
            joined = ("".join(phrase),)
            whole = alts.add_if_known(quote("".join(phrase)), alts.key(joined)) or whole
        return whole
    for parts in _split_compound(alts.con, alts.cache, word.word):
        alts.add_if_known(quote(parts), alts.key(parts))
    if word.parts:
        alts.add_if_known("(" + " AND ".join(quote(p) for p in word.parts) + ")",
                          alts.key(word.parts, "&"))
    return whole


def _add_completions(alts: _Alternatives, word: QueryWord) -> None:
    """The last word still being typed: the library words it starts."""
    for term in alts.cache.completions(alts.con, word.word):
        alts.add_term(term)
    if word.parts:
        head = " AND ".join(quote(p) for p in word.parts[:-1])
        tails = alts.cache.completions(alts.con, word.parts[-1])
        if tails:
            tail = " OR ".join(quote(t) for t in tails)
            alts.add_if_known(f"({head} AND ({tail}))",
                              alts.key((*word.parts[:-1], *tails), "&"))


def _add_corrections(alts: _Alternatives, synonyms: Synonyms, word: QueryWord,
                     partial: bool) -> None:
    """A word the library does not hold: its typo corrections (with their synonyms), else
    another form of a library word."""
    fixes = alts.cache.corrections(alts.con, word.word, partial)
    for fix in fixes:
        alts.add_term(fix)
        for alt in synonyms.lookup((fix,)):
            alts.add_if_known(quote(alt), alts.key(alt))
    if fixes:
        alts.group.correction = fixes[0]
        return
    # another form of a library word ("colluding" for "collusion"): complete a shorter
    # start of it; silent, since it is no typo
    for k in range(len(word.word) - 1, max(MIN_STEM, len(word.word) - 4) - 1, -1):
        comps = alts.cache.completions(alts.con, word.word[:k])
        if comps:
            for term in comps[:3]:
                alts.add_term(term)
            break
