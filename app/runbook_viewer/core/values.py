"""Incident values put into commands — never in a way that changes what the command does.

An operator fills each placeholder once per run (``<namespace>`` = ``payments``); commands are
then shown and copied with the values in. A value is text typed in a hurry or imported from
another laptop, so it is checked twice:

1. **When it is entered** (:func:`check_value`, also on import): refused, with the reason,
   when it holds a newline or another control character (a paste would run the line), an
   invisible or direction-changing character (what is shown would not be what runs), a
   backtick or ``$(`` (command substitution), ``;``, ``|``, ``&`` (a second command),
   a quote that is not closed, or more than :data:`MAX_VALUE` characters.
2. **Where it goes** (:func:`fill`): the placeholder's position in the command is read with the
   shell's quoting rules. Inside ``'…'`` a value may hold anything but ``'``; inside ``"…"``
   anything but ``"``, ``\\``, ``$``, a backtick or ``!`` — otherwise the value is refused for
   that command, with the reason. Outside quotes a value of plain characters
   (letters, digits, ``@%+=:,./-_``) goes in as it is; any other (a space, ``*``, ``<``, ``#``,
   quotes…) goes in quoted with :func:`shlex.quote`, and the operator is told.

Nothing is ever pasted silently with a meaning the operator did not type.
"""

from __future__ import annotations

import re
import shlex
import unicodedata
from dataclasses import dataclass, field

from .placeholders import Placeholder, display

MAX_VALUE = 500
_SAFE_RE = re.compile(r"[\w@%+=:,./-]+", re.ASCII)
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff"}
#: what a value may not contain at all, and why (checked in this order)
_REFUSED = (
    ("`", "a backtick runs a command inside the command"),
    ("$(", "“$(” runs a command inside the command"),
    (";", "“;” starts a second command"),
    ("|", "“|” sends the output to another command"),
    ("&", "“&” starts another command or runs it in the background"),
)
#: inside double quotes the shell still reads these
_DOUBLE_QUOTE_SPECIAL = {"\"": "it would end the quoted text", "\\": "it escapes what follows",
                         "$": "the shell expands it", "`": "it runs a command",
                         "!": "interactive shells expand it (history)"}


class ValueRefused(ValueError):
    """A value that would change what a command does; ``str()`` says why."""


def _control_problem(value: str) -> str | None:
    for ch in value:
        if ch in "\n\r":
            return "it holds a line break: pasting it would run the command before it is complete"
        if unicodedata.category(ch) == "Cc":
            return f"it holds a control character (U+{ord(ch):04X})"
        if ch in _INVISIBLE or unicodedata.bidirectional(ch) in ("LRE", "RLE", "LRO", "RLO",
                                                                 "PDF", "LRI", "RLI", "FSI",
                                                                 "PDI"):
            return (f"it holds an invisible character (U+{ord(ch):04X}): what is shown would "
                    "not be what runs")
    return None


def _unbalanced(value: str) -> str | None:
    for quote in ("'", '"'):
        if value.count(quote) % 2:
            return f"it has a {quote} that is not closed"
    return None


def check_value(value: str) -> str:
    """The value to record (surrounding spaces removed), or :class:`ValueRefused` with why."""
    clean = (value or "").strip()
    if not clean:
        raise ValueRefused("the value is empty")
    if len(clean) > MAX_VALUE:
        raise ValueRefused(f"it is longer than {MAX_VALUE} characters")
    problem = _control_problem(clean)
    if problem is None:
        problem = next((why for bad, why in _REFUSED if bad in clean), None)
    if problem is None:
        problem = _unbalanced(clean)
    if problem is not None:
        raise ValueRefused(problem)
    return clean


def quote_context(text: str, at: int) -> str:
    """The shell's quoting at offset ``at`` of ``text``: "none", "single" or "double"."""
    quote: str | None = None
    escaped = False
    n = 0
    while n < at:
        ch = text[n]
        if escaped:
            escaped = False
        elif quote == "'":
            quote = None if ch == "'" else quote
        elif ch == "\\":
            escaped = True
        elif quote == '"':
            quote = None if ch == '"' else quote
        elif ch == "'" and text[n - 1:n] == "$":
            quote = "'"  # $'…' (ANSI-C quoting) ends at the same quote
        elif ch in "'\"":
            quote = ch
        n += 1
    return {"'": "single", '"': "double"}.get(quote or "", "none")


@dataclass(frozen=True)
class Refusal:
    name: str
    reason: str

    def __str__(self) -> str:
        return f"{display(self.name)}: {self.reason}"


@dataclass
class Filled:
    """A command with the run's values in it."""

    text: str  # what is copied: values in; unfilled or refused placeholders as written
    missing: list[str] = field(default_factory=list)  # names without a value
    refused: list[Refusal] = field(default_factory=list)
    quoted: list[str] = field(default_factory=list)  # names whose value went in quoted
    used: dict[str, str] = field(default_factory=dict)  # name -> the text put in
    #: (start, end, name, state) of each placeholder in ``text``: "filled", "missing", "refused"
    spans: list[tuple[int, int, str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.refused


def placed(value: str, context: str) -> tuple[str, bool]:
    """``value`` as it goes into a command at a place with this quoting: (text, quoted).
    Raises :class:`ValueRefused` when it cannot go there without changing the command."""
    value = check_value(value)
    if context == "single":
        if "'" in value:
            raise ValueRefused("it contains ' and this placeholder is inside '…' in the command:"
                               " it would end the quoted text")
        return value, False
    if context == "double":
        for ch, why in _DOUBLE_QUOTE_SPECIAL.items():
            if ch in value:
                return _refuse(ch, why)
        return value, False
    if _SAFE_RE.fullmatch(value):
        return value, False
    return shlex.quote(value), True


def _refuse(ch: str, why: str) -> tuple[str, bool]:
    raise ValueRefused(f"it contains {ch} and this placeholder is inside \"…\" in the command: "
                       f"{why}")


def fill(text: str, found: list[Placeholder] | tuple[Placeholder, ...],
         values: dict[str, str]) -> Filled:
    """``text`` with each placeholder in ``found`` (offsets in ``text``) replaced by its value
    from ``values``, placed safely (see the module doc)."""
    result = Filled("")
    out: list[str] = []
    pos = 0
    for p in sorted(found, key=lambda p: p.start):
        out.append(text[pos:p.start])
        start = sum(len(x) for x in out)
        piece, state = p.written, "missing"
        if p.name in values:
            try:
                piece, was_quoted = placed(values[p.name], quote_context(text, p.start))
                state = "filled"
                result.used[p.name] = piece
                if was_quoted and p.name not in result.quoted:
                    result.quoted.append(p.name)
            except ValueRefused as exc:
                piece, state = p.written, "refused"
                if all(r.name != p.name for r in result.refused):
                    result.refused.append(Refusal(p.name, str(exc)))
        elif p.name not in result.missing:
            result.missing.append(p.name)
        out.append(piece)
        result.spans.append((start, start + len(piece), p.name, state))
        pos = p.end
    out.append(text[pos:])
    result.text = "".join(out)
    return result
