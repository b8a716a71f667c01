"""Python-Markdown extensions for runbooks (each testable with plain ``markdown.markdown``).

- :class:`HeadingAnchorExtension` — ids on every heading, the same anchors the parser computed.
- :class:`TaskListExtension` — ``[ ]`` / ``[x]`` list items become clickable checkboxes
  (``<a href="check:ID">``) drawn from a state map, the current item highlighted.
- :class:`LabelBadgeExtension` — 🔵 OPERATIONAL / 🔴 CONSTITUTIONAL become badges that read in
  black and white too; a constitutional label paragraph becomes an unmistakable banner.
- :class:`OfflineExtension` — nothing remote is ever loaded: remote images become text, active
  raw HTML (script, iframe, object, …) is removed, external links are marked.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from .palette import EMOJI, GLYPH, STATE_GLYPH, palette
from .parser import LABEL_RE, find_label, make_anchor

ITEM_PREFIX_RE = re.compile(r"^\s*\[( |x|X)\]\s+")



def badge_html(label: str, dark: bool = False) -> str:
    bg, fg = palette(dark).badge[label]
    return (f'<span style="background-color:{bg}; color:{fg}; font-weight:bold;">'
            f"&nbsp;{GLYPH[label]} {label.upper()}&nbsp;</span>")


def _text_of(el: etree.Element) -> str:
    return "".join(el.itertext())


class HeadingAnchorProcessor(Treeprocessor):
    def __init__(self, md, anchors: list[str] | None):
        super().__init__(md)
        self.anchors = anchors

    def run(self, root: etree.Element) -> None:
        from .parser import strip_inline

        used: set[str] = set()
        headings = [el for el in root.iter() if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
        use_given = bool(self.anchors) and len(self.anchors) == len(headings)
        for n, el in enumerate(headings):
            anchor = self.anchors[n] if use_given else make_anchor(strip_inline(_text_of(el)), used)
            el.set("id", anchor)
            # QTextBrowser scrolls to <a name=…>, not to id: give it both.
            target = etree.Element("a", {"name": anchor})
            target.tail = el.text
            el.text = None
            el.insert(0, target)


class HeadingAnchorExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {"anchors": [[], "anchors in document order (from the parser)"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        md.treeprocessors.register(
            HeadingAnchorProcessor(md, self.getConfig("anchors")), "rv_anchors", 4)


class TaskListProcessor(Treeprocessor):
    def __init__(self, md, ext: TaskListExtension):
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        ids = list(self.ext.getConfig("item_ids") or [])
        states = self.ext.getConfig("states") or {}
        current = self.ext.getConfig("current")
        interactive = self.ext.getConfig("interactive")
        n = 0
        parent_of = {c: p for p in root.iter() for c in p}
        for li in root.iter("li"):
            holder = li
            if (li.text is None or not li.text.strip()) and len(li) and li[0].tag == "p":
                holder = li[0]
            m = ITEM_PREFIX_RE.match(holder.text or "")
            if not m:
                continue
            item_id = ids[n] if n < len(ids) else f"item-{n}"
            n += 1
            checked_in_source = m.group(1).lower() == "x"
            state = states.get(item_id) or ("done" if checked_in_source else "pending")
            pal = palette(self.ext.getConfig("dark"))
            glyph, word = STATE_GLYPH.get(state, STATE_GLYPH["pending"])
            color = pal.state.get(state, pal.state["pending"])
            holder.text = holder.text[m.end():]
            box = etree.Element("a" if interactive else "span")
            if interactive:
                box.set("href", f"check:{item_id}")
            box.set("style", f"color:{color}; text-decoration:none; font-weight:bold; "
                    "font-size:large;")
            parent = parent_of.get(li)
            if parent is not None and parent.tag == "ul":
                parent.set("style", "list-style-type:none; margin-left:0px;")
            box.text = glyph
            box.tail = "\u00a0" + (holder.text or "")
            holder.text = None
            holder.insert(0, box)
            target = etree.Element("a", {"name": f"item-{item_id}"})
            holder.insert(0, target)
            li.set("class", f"task task-{state}")
            if word:
                tag = etree.SubElement(holder, "span")
                tag.set("style", f"color:{color}; font-size:small;")
                tag.text = f" [{word}]"
            if item_id == current:
                li.set("style", f"background-color:{pal.current_bg}; color:{pal.current_fg};")
                cur = etree.Element(
                    "span", {"style": f"color:{pal.current_marker}; font-weight:bold;"})
                cur.text = "▶\u00a0"
                holder.insert(0, cur)


class TaskListExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "item_ids": [[], "checklist item ids in document order"],
            "states": [{}, "item id -> pending|done|na|skipped"],
            "current": ["", "id of the item the operator is holding at"],
            "interactive": [True, "make boxes clickable check: links"],
            "dark": [False, "colours for a dark background"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        md.treeprocessors.register(TaskListProcessor(md, self), "rv_tasks", 6)


class LabelBadgeProcessor(Treeprocessor):
    """Turn label text into badges; a label paragraph becomes a one-cell banner table."""

    def __init__(self, md, dark: bool = False):
        super().__init__(md)
        self.pal = palette(dark)

    def run(self, root: etree.Element) -> None:
        parent_of = {c: p for p in root.iter() for c in p}
        for el in list(root.iter()):
            if el.tag not in ("p", "h2", "h3", "h4", "h5", "h6"):
                continue
            text = _text_of(el)
            if not LABEL_RE.search(text):
                continue
            label = find_label(text)
            if label is None:
                continue
            if el.tag == "p" and text.strip().startswith(("🔵", "🔴")):
                self._banner(el, parent_of.get(el), label.value, text)
            else:
                self._mark(el, label.value)

    def _banner(self, p, parent, label: str, text: str) -> None:
        if parent is None:
            return
        rest = LABEL_RE.sub("", text, count=1).strip().lstrip("—-–: ").strip()
        constitutional = label == "constitutional"
        bg, color, border = self.pal.banner[label]
        table = etree.Element("table", {"class": f"label label-{label}", "width": "100%",
                                        "cellpadding": "6", "cellspacing": "0",
                                        "border": "1" if constitutional else "0",
                                        "style": f"border-color:{border};"})
        tr = etree.SubElement(table, "tr")
        td = etree.SubElement(tr, "td", {"bgcolor": bg, "style": f"color:{color};"})
        b = etree.SubElement(td, "b")
        b.text = ("■ CONSTITUTIONAL" if constitutional else "● OPERATIONAL")
        if rest:
            b.tail = f" — {rest}"
        if constitutional:
            note = etree.SubElement(td, "span", {"style": f"color:{self.pal.banner_note};"})
            note.text = ("  ·  governance requirement: do not bypass; stop and escalate if "
                         "it cannot be met")
        index = list(parent).index(p)
        parent.remove(p)
        parent.insert(index, table)

    def _mark(self, el, label: str) -> None:
        # Replace the emoji+word in the element's own text nodes with a badge placeholder;
        # an emoji alone (its word is bold, in another node) becomes just the coloured glyph.
        for node in [el, *el.iter()]:
            for attr in ("text", "tail"):
                value = getattr(node, attr)
                m = LABEL_RE.search(value or "")
                if m:
                    html_ = badge_html(label, self.pal.dark) if m.group(2) else (
                        f'<span style="color:{self.pal.label[label]}; font-weight:bold;">'
                        f"{GLYPH[label]}</span>")
                    placeholder = self.md.htmlStash.store(html_)
                    setattr(node, attr, value[:m.start()] + placeholder + value[m.end():])
                    return


class LabelBadgeExtension(Extension):
    def __init__(self, dark: bool = False, **kwargs):
        self.dark = dark
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        md.treeprocessors.register(LabelBadgeProcessor(md, self.dark), "rv_labels", 5)


ACTIVE_TAGS_RE = re.compile(
    r"<(script|style|iframe|object|embed|applet|form|video|audio|source)\b.*?</\1\s*>"
    r"|<(script|style|iframe|object|embed|applet|link|meta|base|form|input|video|audio|source)"
    r"\b[^>]*>", re.IGNORECASE | re.DOTALL)
IMG_RE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
SRC_RE = re.compile(r"""\bsrc\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
ALT_RE = re.compile(r"""\balt\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def is_remote(url: str) -> bool:
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:|//)", url, re.IGNORECASE)) and \
        not url.lower().startswith(("check:", "#"))


class OfflinePostprocessor(Postprocessor):
    def __init__(self, md, dark: bool = False):
        super().__init__(md)
        self.pal = palette(dark)

    def run(self, text: str) -> str:
        text = ACTIVE_TAGS_RE.sub("", text)
        for emoji, label in EMOJI.items():
            text = text.replace(emoji, f'<span style="color:{self.pal.label[label]};">'
                                f"{GLYPH[label]}</span>")

        def img(m: re.Match) -> str:
            src = SRC_RE.search(m.group(0))
            url = src.group(1) if src else ""
            if url and not is_remote(url) and ".." not in url.split("/"):
                return m.group(0)
            alt = ALT_RE.search(m.group(0))
            label = alt.group(1) if alt else "image"
            return (f'<span style="color:{self.pal.muted};">[image not loaded (offline): '
                    f"{html.escape(label)} — {html.escape(url)}]</span>")

        return IMG_RE.sub(img, text)


class OfflineExtension(Extension):
    def __init__(self, dark: bool = False, **kwargs):
        self.dark = dark
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        md.postprocessors.register(OfflinePostprocessor(md, self.dark), "rv_offline", 1)


META_LINE_RE = re.compile(r"^\s*(Last Updated|Version|Owner|Severity|Status)\s*:", re.IGNORECASE)


class MetadataProcessor(Treeprocessor):
    """The header lines (Last Updated / Version / Owner) become one muted line."""

    def run(self, root: etree.Element) -> None:
        for p in root.iter("p"):
            if len(p) or not p.text:
                continue
            lines = [x for x in p.text.splitlines() if x.strip()]
            if lines and all(META_LINE_RE.match(x) for x in lines):
                p.set("class", "meta")
                p.text = "  ·  ".join(x.strip() for x in lines)
                return


class MetadataExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(MetadataProcessor(md), "rv_meta", 7)
