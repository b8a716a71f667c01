"""Hugo shortcodes, so a Hugo library reads as its site shows it (no Qt, no I/O).

- ``{{< ref "x.md" >}}`` / ``{{< relref "x.md#a" >}}`` (also ``{{% … %}}``) become the path they
  name, so ``[see]({{< ref "x.md" >}})`` is an ordinary link that resolves in the library;
- any other shortcode shows its inner text: ``{{< hint info >}}Careful{{< /hint >}}`` →
  ``Careful``; a shortcode with no inner text (``{{< toc >}}``) disappears;
- an escaped shortcode ``{{</* x */>}}`` shows as written, ``{{< x >}}``.

Replacements never add or remove a line, so every line number stays that of the file.
"""

from __future__ import annotations

import re

_REF_RE = re.compile(
    r"\{\{([<%])\s*(?:rel)?ref\s+(?:\"([^\"\n]*)\"|'([^'\n]*)'|([^\s>%}]+))\s*[>%]\}\}")
_ESCAPED_RE = re.compile(r"\{\{([<%])/\*(.*?)\*/([>%])\}\}")
_SHORTCODE_RE = re.compile(
    r"\{\{[<%]-?\s*/?\s*[A-Za-z][\w./-]*(?:[^{}\n]|\{[^{}\n]*\})*?-?[>%]\}\}")
_ANY_RE = re.compile(r"\{\{[<%]")


def has_shortcodes(text: str) -> bool:
    return bool(_ANY_RE.search(text))


def _ref(m: re.Match) -> str:
    target = m.group(2) if m.group(2) is not None else (m.group(3) or m.group(4) or "")
    return target.replace(" ", "%20")


def rewrite(text: str) -> str:
    """``text`` with Hugo shortcodes resolved as described above (same lines)."""
    if not has_shortcodes(text):
        return text
    escaped: list[str] = []

    def keep(m: re.Match) -> str:
        escaped.append("{{" + m.group(1) + m.group(2) + m.group(3) + "}}")
        return f"\x1a{len(escaped) - 1}\x1a"

    text = _ESCAPED_RE.sub(keep, text)
    text = _REF_RE.sub(_ref, text)
    text = _SHORTCODE_RE.sub("", text)
    if escaped:
        text = re.sub("\x1a(\\d+)\x1a", lambda m: escaped[int(m.group(1))], text)
    return text


def strip_shortcodes(text: str) -> str:
    """Plain text without shortcode braces: refs become their path, others their inner text
    (for search snippets and any other text shown outside the rendered page)."""
    return rewrite(text)
