"""Placeholders in commands: the words an operator replaces with the incident's values (no Qt).

Public runbooks write them two ways, and this module finds exactly those:

* ``<angle-bracket words>`` — ``<namespace>``, ``<BREACH_ID>``, ``<value of namespace label
  from alert>``, ``<head - 1000>``. The grammar, checked on the bundled library and both
  corpora (``tests/core/test_placeholders.py``):

  - ``<`` is not preceded by a word character, ``<`` or ``#`` (``List<String>``, the heredoc
    ``<<EOF``, Ruby's ``#<Project …>`` are not placeholders) and is followed by a letter (so
    ``< file``, ``<(cmd)``, ``<13>``, ``</p>``, ``<-``, ``<>`` are not);
  - then letters, digits, spaces and ``_ . / : , | + -`` up to 60 characters, ending with a
    letter or digit right before ``>`` (so ``sort <in >out`` is not one); never ``@``, ``=``,
    quotes, ``$`` or a URL's ``://`` (an e-mail address, an HTML attribute, a link are not);
  - an HTML element name whose closing tag (``</p>``) is in the same text is a tag, ``<br>``
    always; and words programs print in angle brackets (``<none>``, ``<nil>``, ``<IDLE>``,
    ``<snip>``…, :data:`NOT_PLACEHOLDERS`) are output, not placeholders.

* ``{{ name }}`` — an identifier between double braces. A text holding any other ``{{ … }}``
  (``{{ $labels.instance }}``, ``{{range .items}}``, ``{{.metadata.name}}``) is a Go, Helm,
  Jinja or Prometheus template, and none of its braces are placeholders; template keywords
  (``{{end}}``, ``{{else}}``) never are.

Shell variables (``$NS``, ``${NS}``) are left alone: the shell resolves them.

A placeholder's :attr:`Placeholder.name` is its words (spaces collapsed): ``<namespace>`` and
``{{ namespace }}`` share one value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ANGLE_RE = re.compile(
    r"(?<![\w<#])<(?P<body>[^\W\d_][\w .:,|+/-]{0,58}?(?<=[^\W_]))>")
MUSTACHE_RE = re.compile(r"(?<!\{)\{\{\s*(?P<body>[A-Za-z_][\w-]{0,58})\s*\}\}(?!\})")
ANY_MUSTACHE_RE = re.compile(r"\{\{.*?\}\}", re.DOTALL)

#: words programs print between angle brackets: kubectl ``<none>``, Go ``<nil>``, PostgreSQL
#: ``<IDLE>``, an elided ``<snip>``… — output, never a value to fill in
NOT_PLACEHOLDERS = frozenset({
    "none", "nil", "null", "unknown", "unnamed", "idle", "snip", "snipped", "redacted",
    "omitted", "empty", "invalid", "missing", "truncated", "defunct", "not set", "no value",
    "unset", "pending", "undefined", "anonymous", "br", "hr", "wbr"})
#: template keywords that look like ``{{ name }}``
TEMPLATE_WORDS = frozenset({
    "end", "else", "range", "if", "with", "define", "template", "block", "break", "continue",
    "nil", "true", "false", "not", "and", "or", "len", "index", "print", "printf", "println",
    "html", "js", "urlquery", "call", "slice", "eq", "ne", "lt", "le", "gt", "ge", "this",
    "endif", "endfor", "raw", "endraw"})
_HTML_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*")


@dataclass(frozen=True)
class Placeholder:
    name: str  # the words, spaces collapsed: the key of its value
    start: int  # offsets in the text searched
    end: int
    written: str  # as written: "<namespace>", "{{ name }}"


def _angle_ok(body: str, text: str) -> bool:
    if "://" in body or "  " in body:
        return False
    if body.lower() in NOT_PLACEHOLDERS:
        return False
    return not (_HTML_NAME_RE.fullmatch(body) and f"</{body.lower()}>" in text.lower())


def _is_template(text: str) -> bool:
    """Whether ``text`` uses double braces for a template language (not only placeholders)."""
    for m in ANY_MUSTACHE_RE.finditer(text):
        inner = MUSTACHE_RE.fullmatch(m.group(0))
        if inner is None or inner.group("body").lower() in TEMPLATE_WORDS:
            return True
    return False


def find(text: str) -> list[Placeholder]:
    """The placeholders in ``text`` (a command, or one command line), in order."""
    found: list[Placeholder] = []
    if "<" in text:
        for m in ANGLE_RE.finditer(text):
            body = m.group("body")
            if _angle_ok(body, text):
                found.append(Placeholder(" ".join(body.split()), m.start(), m.end(), m.group(0)))
    if "{{" in text and not _is_template(text):
        for m in MUSTACHE_RE.finditer(text):
            found.append(Placeholder(m.group("body"), m.start(), m.end(), m.group(0)))
    found.sort(key=lambda p: p.start)
    return found


def names(texts) -> list[str]:
    """Every placeholder name in ``texts``, once each, in order of first appearance."""
    seen: dict[str, None] = {}
    for text in texts:
        for p in find(text):
            seen.setdefault(p.name, None)
    return list(seen)


def display(name: str) -> str:
    """How the viewer writes a placeholder's name: ``<namespace>``."""
    return f"<{name}>"
