"""Text from outside (an imported run's operator name, a note, a runbook title) made safe to
show: on a terminal, in a Markdown record, in a Qt rich-text label.

Control characters are never shown raw — ESC and CSI start terminal escape sequences that can
rewrite the screen, retitle the window or fake output — nor are the bidirectional overrides that
reorder what is displayed. Each becomes U+FFFD (�), so the reader sees that something was there.
The data itself is stored unchanged; only what is displayed is cleaned.
"""

from __future__ import annotations

import html
import re

REPLACEMENT = "\ufffd"
# C0 controls (tab and newline handled by the callers), DEL, C1 controls, and the bidi
# embedding/override/isolate characters
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str) -> str:
    """Multi-line text: every control character but newline and tab replaced."""
    return _UNSAFE.sub(REPLACEMENT, text.replace("\r\n", "\n"))


def clean_line(text: str) -> str:
    """One line: every control character (newlines too) replaced."""
    return _UNSAFE_LINE.sub(REPLACEMENT, text)


def safe_html(text: str) -> str:
    """One line for a rich-text label: cleaned, then HTML-escaped (no markup gets in)."""
    return html.escape(clean_line(text))


def json_safe(dumped: str) -> str:
    """JSON text with DEL and C1 controls escaped too (``json.dumps`` escapes only C0): still
    the same JSON, never a raw escape sequence on a terminal."""
    return re.sub("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]",
                  lambda m: f"\\u{ord(m.group()):04x}", dumped)
