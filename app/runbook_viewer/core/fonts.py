"""Font stacks for the screen and for print, in CSS ``font-family`` form.

Qt takes the first family of the list that is installed. DejaVu ships with most Linux systems
(``fonts-dejavu-core`` on Debian); Windows has Consolas and Segoe UI, macOS Menlo and Helvetica
Neue, and Noto/Liberation cover Linux systems without DejaVu. A generic name alone is not
enough: with an unknown first family Qt's rich text falls back to the default *proportional*
font even for ``monospace`` (measured with PySide6 6.11 on Linux), so every stack names real
families for each system before the generic one.
"""

from __future__ import annotations

MONO_FAMILIES = ("DejaVu Sans Mono", "Consolas", "Menlo", "Noto Sans Mono", "Liberation Mono",
                 "Courier New")
SANS_FAMILIES = ("DejaVu Sans", "Segoe UI", "Helvetica Neue", "Noto Sans", "Liberation Sans",
                 "Arial")


def css_stack(families: tuple[str, ...], generic: str) -> str:
    """``"DejaVu Sans Mono", "Consolas", …, monospace`` for a ``font-family:`` declaration."""
    return ", ".join([*(f'"{family}"' for family in families), generic])


MONO = css_stack(MONO_FAMILIES, "monospace")
SANS = css_stack(SANS_FAMILIES, "sans-serif")
