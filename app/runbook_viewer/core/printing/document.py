"""Print documents (no Qt): a runbook as read, and the whole library as one binder.

A :class:`PrintDocument` is HTML inside QTextDocument's subset (tables, inline styles,
``page-break-before``), black on white, plus what the page painter needs: the page header
(title, version, last-updated date, short content hash), the anchors that start
keep-together groups (a step is moved to the next page rather than split when it fits on one),
the anchors from which another header applies (the library binder changes header per runbook),
and — for the binder — a function that fills page numbers into the contents page.

Blank checklists and filled-in runs are built in :mod:`.checklist`.
Labels never rely on colour: 🔴 becomes "■ CONSTITUTIONAL" in a heavy solid box, 🔵
"● OPERATIONAL" in a thin dashed one (the glyphs the viewer uses; no emoji font is assumed).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .. import fonts
from ..model import Library, Runbook
from ..palette import PRINT_BG, PRINT_FG
from ..render import runbook_html

HASH_CHARS = 12
CONSTITUTIONAL_MARK = "■ CONSTITUTIONAL"
OPERATIONAL_MARK = "● OPERATIONAL"


def short_hash(content_hash: str | None) -> str:
    return (content_hash or "")[:HASH_CHARS]


@dataclass
class PageHeader:
    """What the painter prints at the top of a page."""

    title: str
    kind: str = ""  # "Runbook", "Blank checklist", "Run record", "Runbook library"
    version: str | None = None
    last_updated: str | None = None
    content_hash: str | None = None  # short form
    path: str = ""

    @classmethod
    def for_runbook(cls, rb: Runbook, kind: str) -> PageHeader:
        return cls(title=rb.title, kind=kind, version=rb.version, last_updated=rb.last_updated,
                   content_hash=short_hash(rb.content_hash), path=rb.path)

    def left(self) -> str:
        return f"{self.title} — {self.kind}" if self.kind else self.title

    def right(self) -> str:
        parts = []
        if self.version:
            parts.append(f"Version {self.version}")
        if self.last_updated:
            parts.append(f"updated {self.last_updated}")
        if self.content_hash:
            parts.append(f"sha256 {self.content_hash}")
        return " · ".join(parts)


@dataclass
class PrintDocument:
    html: str
    header: PageHeader
    keep: list[str] = field(default_factory=list)  # anchors starting keep-together groups
    parts: list[tuple[str, PageHeader]] = field(default_factory=list)  # header from anchor on
    toc_anchors: list[str] = field(default_factory=list)
    with_page_numbers: Callable[[dict[str, int]], str] | None = None

    @property
    def title(self) -> str:
        return self.header.title


def print_stylesheet() -> str:
    return """
body { color:PRINT_FG; background-color:PRINT_BG; font-family:@SANS;
       font-size:10pt; }
h1 { font-size:17pt; margin-top:0px; margin-bottom:6px; }
h2 { font-size:13.5pt; margin-top:14px; margin-bottom:4px; }
h3 { font-size:12pt; margin-top:12px; margin-bottom:4px; }
h4 { font-size:10.5pt; margin-top:8px; margin-bottom:3px; }
p { margin-top:3px; margin-bottom:3px; }
a { color:PRINT_FG; text-decoration:none; }
code { font-family:@MONO; font-size:9pt; }
pre { font-family:@MONO; font-size:8.5pt; margin-top:0px;
      margin-bottom:0px; white-space:pre-wrap; }
th { font-weight:bold; text-align:left; }
.meta { font-size:9pt; }
.small { font-size:8.5pt; }
""".replace("@SANS", fonts.SANS).replace("@MONO", fonts.MONO) \
        .replace("PRINT_FG", PRINT_FG).replace("PRINT_BG", PRINT_BG)


def wrap_html(body: str) -> str:
    return (f"<html><head><meta charset='utf-8'><style>{print_stylesheet()}</style></head>"
            f"<body>{body}</body></html>")


_COLOR_RE = re.compile(r"(?<![-\w])color\s*:\s*#[0-9a-fA-F]{3,8}")
_BG_RE = re.compile(r"background(?:-color)?\s*:\s*#[0-9a-fA-F]{3,8}")
_BGCOLOR_ATTR_RE = re.compile(r'(?<!\s)\s+bgcolor="[^"]*"')  # (?<!\s): linear on long blanks
_CODE_DIV_RE = re.compile(r'<div class="codehilite"[^>]*>(.*?)</div>', re.DOTALL)
_MD_TABLE_RE = re.compile(r'<table class="md"[^>]*>')
_BANNER_RE = re.compile(r'<table class="label label-(constitutional|operational)"[^>]*>')


def monochrome(body: str) -> str:
    """Black on white: colours and backgrounds go, labels become text + symbol, code is boxed."""
    for emoji, mark in (("🔴", CONSTITUTIONAL_MARK), ("🔵", OPERATIONAL_MARK)):
        body = body.replace(f"{emoji} {mark.split()[1]}", mark)
    body = body.replace("🔴", "■").replace("🔵", "●")
    body = _COLOR_RE.sub(f"color:{PRINT_FG}", body)
    body = _BG_RE.sub(f"background-color:{PRINT_BG}", body)
    body = _BGCOLOR_ATTR_RE.sub("", body)
    body = _BANNER_RE.sub(lambda m: label_table_open(m.group(1) == "constitutional"), body)
    body = _MD_TABLE_RE.sub(lambda m: table_open(), body)
    return _CODE_DIV_RE.sub(lambda m: boxed(m.group(1), style="dotted"), body)


def table_open(border: int = 1, style: str = "solid", padding: int = 4) -> str:
    """A full-width black table; collapsed borders, so lines are single and crisp."""
    return (f'<table width="100%" border="{border}" cellspacing="0" cellpadding="{padding}" '
            f'style="border-collapse:collapse; border-style:{style}; border-color:{PRINT_FG}; '
            'margin-top:3px; margin-bottom:3px;">')


def label_table_open(constitutional: bool) -> str:
    """A heavy solid box for constitutional, a thin dashed one for operational."""
    return table_open(3, "solid", 5) if constitutional else table_open(1, "dashed", 4)


def boxed(inner: str, style: str = "solid", width: int = 1) -> str:
    return f"{table_open(width, style)}<tr><td>{inner}</td></tr></table>"


def keep_anchor(n: int) -> str:
    return f"rv-keep-{n}"


def _keep_starts(rb: Runbook) -> list[str]:
    """Anchors of headings that start a keep-together group in the runbook as read.

    Every H2 section and every step starts one, except a heading that directly follows its
    parent's heading with nothing in between (``## Procedure`` + ``### Step 1`` stay together).
    """
    starts: list[str] = []
    previous = None
    for sec in rb.sections:
        if sec.level == 2 or sec.is_step:
            glued = (previous is not None and sec.parent == previous.anchor
                     and not previous.body.strip())
            if not glued:
                starts.append(sec.anchor)
        previous = sec
    return starts


def runbook_body(rb: Runbook) -> str:
    """The runbook as read, print-styled (no interactive boxes, black on white)."""
    if rb.load_error:
        return (f"<h1>{html.escape(rb.title)}</h1>"
                f"<p><b>This file cannot be printed:</b> {html.escape(rb.load_error)}</p>"
                f'<p class="meta">{html.escape(rb.path)}</p>')
    return monochrome(runbook_html(rb, interactive=False, dark=False))


def meta_line(rb: Runbook, kind: str) -> str:
    parts = [f"<b>{html.escape(kind.upper())}</b>", html.escape(rb.path)]
    if rb.version:
        parts.append(f"Version {html.escape(rb.version)}")
    if rb.last_updated:
        parts.append(f"Last updated {html.escape(rb.last_updated)}")
    if rb.metadata.get("Owner"):
        parts.append(f"Owner {html.escape(rb.metadata['Owner'])}")
    parts.append(f"Content sha256 {short_hash(rb.content_hash)}")
    return " · ".join(parts)


def runbook_document(rb: Runbook) -> PrintDocument:
    """(1) A runbook as read."""
    body = f'<p class="meta">{meta_line(rb, "Runbook")}</p>' + runbook_body(rb)
    return PrintDocument(html=wrap_html(body), header=PageHeader.for_runbook(rb, "Runbook"),
                         keep=_keep_starts(rb))


_NAME_RE = re.compile(r'(<a name="|\sid=")([^"]+)"')


def _prefixed(body: str, prefix: str) -> str:
    """Make anchor names unique inside a binder of many runbooks."""
    return _NAME_RE.sub(lambda m: f'{m.group(1)}{prefix}{m.group(2)}"', body)


def library_document(lib: Library) -> PrintDocument:
    """(4) The whole library as one binder: a contents page, then every runbook on new pages."""
    landing = lib.landing
    title = landing.title if landing is not None else f"Runbook library {lib.root.name}"
    header = PageHeader(title=title, kind="Runbook library",
                        version=landing.version if landing else None,
                        last_updated=landing.last_updated if landing else None)
    ordered = ([landing] if landing is not None else []) + [
        rb for rb in lib.runbooks if rb is not landing]
    parts: list[tuple[str, PageHeader]] = []
    keep: list[str] = []
    chapters: list[str] = []
    for n, rb in enumerate(ordered, 1):
        anchor = f"rv-rb-{n}"
        prefix = f"rb{n}-"
        parts.append((anchor, PageHeader.for_runbook(rb, "Runbook library")))
        keep.extend(prefix + a for a in _keep_starts(rb) if not rb.load_error)
        chapters.append(
            f'<p class="meta" style="page-break-before:always;"><a name="{anchor}"></a>'
            f"<b>{n}.</b> {meta_line(rb, 'Runbook')}</p>"
            + _prefixed(runbook_body(rb), prefix))
    anchors = [a for a, _h in parts]

    def build(pages: dict[str, int] | None = None) -> str:
        pages = pages or {}
        rows = "".join(
            f"<tr><td>{n}.</td><td>{html.escape(rb.title)}"
            f'<br/><span class="small">{html.escape(rb.path)}'
            f"{' — cannot be printed: ' + html.escape(rb.load_error) if rb.load_error else ''}"
            f"</span></td>"
            f"<td>{html.escape(rb.version or '—')}</td>"
            f"<td>{html.escape(rb.last_updated or '—')}</td>"
            f'<td><span class="small">{short_hash(rb.content_hash) or "—"}</span></td>'
            f'<td align="right">{pages.get(anchors[n - 1], "…")}</td></tr>'
            for n, rb in enumerate(ordered, 1))
        problems = len([p for p in lib.all_problems() if p.level == "error"])
        note = (f"<p>{problems} file(s) with errors are listed but cannot be printed.</p>"
                if problems else "")
        contents = (
            f"<h1>{html.escape(title)}</h1>"
            f'<p class="meta"><b>RUNBOOK LIBRARY</b> · {len(ordered)} runbooks · '
            f"{html.escape(str(lib.root))}</p>{note}"
            "<h2>Contents</h2>"
            f"{table_open()}"
            '<thead><tr><th width="5%">No.</th><th>Runbook</th><th width="9%">Version</th>'
            '<th width="14%">Updated</th><th width="15%">sha256</th>'
            '<th width="7%" align="right">Page</th></tr></thead>'
            f"{rows}</table>"
            '<p class="small">Every page carries the runbook\'s title, version, last-updated '
            "date and content hash in its header; compare the hash with the viewer to know "
            "that the paper copy is current.</p>")
        return wrap_html(contents + "".join(chapters))

    return PrintDocument(html=build(), header=header, keep=keep, parts=parts,
                         toc_anchors=anchors, with_page_numbers=build)
