"""The markdown engine (markdown-it-py): one token stream per file for the model and the page.

- :mod:`.engine` — the parser and :class:`~.engine.Document` (tokens, lines, front matter);
- :mod:`.build` — the library model from the tokens;
- :mod:`.html` — the page for QTextBrowser (and print); :mod:`.text` — terminal text;
- :mod:`.engine` also holds Hugo shortcodes and GitHub's heading anchors (with the old ones);
- :mod:`.safe` — raw HTML and images made safe for an offline viewer.
"""

from .engine import strip_shortcodes

__all__ = ["strip_shortcodes"]
