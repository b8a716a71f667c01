"""Parse one runbook's markdown into the model (no Qt, no file I/O).

Line-based and forgiving: it understands ATX headings, fenced code, front matter, metadata lines,
`### Step N: …` steps, `- [ ]` items, 🔵/🔴 labels and links; anything odd becomes a
:class:`~runbook_viewer.core.model.Problem`, never an exception.
"""

from __future__ import annotations

import hashlib
import re

from markdown.extensions.toc import slugify

from .model import ChecklistItem, Label, Link, Problem, Runbook, Section, Trigger

HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
FENCE_RE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
ITEM_RE = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])\s+\[( |x|X)\]\s+(.*)$")
STEP_RE = re.compile(r"^Step\s+(\d+)\s*[:.)-]\s*(.*)$", re.IGNORECASE)
META_RE = re.compile(
    r"^\s*(?:\*\*|__)?(Last Updated|Version|Owner|Severity|Status)"
    r"(?::\s*(?:\*\*|__)|(?:\*\*|__)?:)\s*(.+?)\s*$",
    re.IGNORECASE,
)
LINK_RE = re.compile(
    r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
REFDEF_RE = re.compile(r"^\s{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+[\"'(].*)?$")
AUTOLINK_RE = re.compile(r"<((?:https?|mailto|ftp):[^>\s]+)>")
LABEL_RE = re.compile(r"(🔵|🔴)\s*(?:\*\*|__)?\s*(OPERATIONAL|CONSTITUTIONAL)?", re.IGNORECASE)
CITATION_RE = re.compile(r"\b(FR\d+(?:\s*[–-]\s*(?:FR)?\d+)?|ADR-\d+)\b")
SEVERITY_RE = re.compile(r"\b(CRITICAL|HIGH|MEDIUM|LOW|INFO)\b")
INLINE_CODE_RE = re.compile(r"`+([^`]*)`+")
CODE_SPAN_RE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
VERIFICATION_RE = re.compile(
    r"^\s*(?:(?:\*\*|__)\s*Verification\s*:?\s*(?:\*\*|__)|Verification\s*:)\s*:?", re.IGNORECASE)
VERIFY_ITEM_RE = re.compile(
    r"^\s*[-*+]\s+(?:\*\*|__)?\s*(Expected outcome|Command to verify)\s*:?\s*(?:\*\*|__)?"
    r"\s*:?\s*(.*?)\s*$", re.IGNORECASE)

META_KEYS = {"last updated": "Last Updated", "version": "Version", "owner": "Owner",
             "severity": "Severity", "status": "Status"}


_BOLD_RE = re.compile(r"(\*\*|__)(?![\s*_])(.+?)(?<![\s*_])\1")  # not a `________` field
_ITALIC_RE = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)")
_TAG_RE = re.compile(r"<[^>]+>")
_SPACES_RE = re.compile(r"\s+")


def strip_inline(text: str) -> str:
    """Markdown inline syntax → plain text (links keep their text, code keeps its content).

    Code spans are taken verbatim: a `<placeholder>`, `__init__` or `**` inside code is part of
    the command, not markup."""
    # each pattern needs its marker character: skip the ones that cannot match (start-up
    # time — most lines have no markup at all)
    if "`" not in text:
        return _strip_markup(text).strip()
    out, last = [], 0
    for m in CODE_SPAN_RE.finditer(text):
        out.append(_strip_markup(text[last:m.start()]))
        out.append(m.group(2))
        last = m.end()
    out.append(_strip_markup(text[last:]))
    return "".join(out).strip()


def _strip_markup(text: str) -> str:
    if "[" in text:
        text = LINK_RE.sub(lambda m: m.group(2), text)
    if "**" in text or "__" in text:
        text = _BOLD_RE.sub(r"\2", text)
    if "*" in text:
        text = _ITALIC_RE.sub(r"\1", text)
    if "<" in text:
        text = _TAG_RE.sub("", text)
    return text


def make_anchor(title: str, used: set[str]) -> str:
    """The heading id Python-Markdown's toc extension gives (same slug, same de-duplication)."""
    base = slugify(title, "-") or "section"
    anchor, n = base, 1
    while anchor in used:
        anchor = f"{base}_{n}"
        n += 1
    used.add(anchor)
    return anchor


def find_label(text: str) -> Label | None:
    m = LABEL_RE.search(text)
    if not m:
        return None
    word = (m.group(2) or "").upper()
    if word == "CONSTITUTIONAL" or (not word and m.group(1) == "🔴"):
        return Label.CONSTITUTIONAL
    return Label.OPERATIONAL


def citations(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c.replace(" ", "") for c in CITATION_RE.findall(text)))


def mask_code_spans(line: str) -> str:
    """``line`` with the inside of every `code span` blanked (same length): not links."""
    return CODE_SPAN_RE.sub(lambda m: m.group(1) + " " * len(m.group(2)) + m.group(1), line)


def _norm(text: str) -> str:
    return _SPACES_RE.sub(" ", strip_inline(text)).strip().lower()


def item_id(step_key: str, text: str, occurrence: int) -> str:
    """Stable id: the step's name (not its number) + the item's text (+ n-th duplicate)."""
    raw = f"{step_key}\x1f{_norm(text)}\x1f{occurrence}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:12]


def closes_fence(line: str, fence: str) -> bool:
    """Whether ``line`` closes a code block opened with ``fence`` (``` or ~~~, CommonMark:
    the same character, at least as long, nothing after it)."""
    m = FENCE_RE.match(line)
    return bool(m) and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
        and not line.strip()[len(m.group(1)):].strip()


def strip_front_matter(text: str) -> str:
    """``text`` without its YAML/TOML front matter (what is rendered and printed)."""
    lines = text.splitlines()
    _, start = split_front_matter(lines)
    return "\n".join(lines[start:]) if start else text


def split_front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    """YAML (---) or TOML (+++) front matter: simple `key: value` / `key = value` pairs."""
    if not lines or lines[0].strip() not in ("---", "+++"):
        return {}, 0
    fence = lines[0].strip()
    for end in range(1, min(len(lines), 200)):
        if lines[end].strip() == fence:
            data: dict[str, str] = {}
            for raw in lines[1:end]:
                m = re.match(r"^([A-Za-z_][\w-]*)\s*[:=]\s*(.*)$", raw)
                if m:
                    data[m.group(1).lower()] = m.group(2).strip().strip("'\"")
            return data, end + 1
    return {}, 0


def parse_runbook(rb: Runbook, text: str) -> Runbook:
    """Fill ``rb`` (path and abs_path already set) from markdown ``text``."""
    rb.text = text
    rb.content_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    lines = text.splitlines()
    rb.front_matter, start = split_front_matter(lines)

    used: set[str] = set()
    stack: list[Section] = []
    fence: str | None = None
    body_lines: dict[str, list[str]] = {}
    current: Section | None = None
    group_label: Label | None = None
    group_title: str | None = None
    item_counts: dict[tuple[str, str], int] = {}
    refdefs: list[Link] = []
    in_triggers = False
    step_numbers: list[tuple[int, int]] = []
    h1_seen = 0
    verifying: Section | None = None  # the step whose **Verification:** block is open

    def add_problem(line: int, code: str, message: str, level: str = "warning") -> None:
        rb.problems.append(Problem(rb.path, line, code, message, level))

    for idx in range(start, len(lines)):
        lineno = idx + 1
        line = lines[idx]
        fm = FENCE_RE.match(line)
        if fence is not None:
            if closes_fence(line, fence):
                fence = None
            if current is not None:
                body_lines[current.anchor].append(line)
            continue
        if fm:
            fence = fm.group(1)
            if current is not None:
                body_lines[current.anchor].append(line)
            continue

        hm = HEADING_RE.match(line)
        if hm:
            level = len(hm.group(1))
            title = strip_inline(hm.group(2))
            anchor = make_anchor(title, used)
            while stack and stack[-1].level >= level:
                stack.pop().end_line = lineno - 1
            sec = Section(anchor=anchor, title=title, level=level, line=lineno,
                          parent=stack[-1].anchor if stack else None,
                          path=(*tuple(s.title for s in stack if s.level > 1), title))
            label = find_label(hm.group(2))
            if label:
                sec.label = label
                sec.label_line = lineno
                sec.citations = citations(hm.group(2))
            verifying = None
            if level >= 4 and title.rstrip(": ").lower() == "verification":
                verifying = _innermost_step(stack)
                if verifying is not None and not verifying.verification_line:
                    verifying.verification_line = lineno
            step = STEP_RE.match(title)
            if step and level >= 2:
                sec.step_number = int(step.group(1))
                step_numbers.append((sec.step_number, lineno))
            if level == 1:
                h1_seen += 1
                if not rb.title:
                    rb.title = title
            if level <= 3 or sec.is_step:
                group_label, group_title = None, None
            if level >= 4 and not sec.is_step:
                group_label, group_title = label, title
            in_triggers = (level == 2 and "trigger" in title.lower()) or (
                in_triggers and level > 2)
            stack.append(sec)
            rb.sections.append(sec)
            body_lines[anchor] = []
            current = sec
            continue

        if current is not None:
            body_lines[current.anchor].append(line)

        # metadata lines before the first H2
        if not any(s.level >= 2 for s in rb.sections):
            mm = META_RE.match(line)
            if mm:
                key = META_KEYS[mm.group(1).lower()]
                rb.metadata[key] = strip_inline(mm.group(2))
                rb.metadata_lines[key] = lineno

        # a label paragraph right under a heading labels that heading's section
        if current is not None and line.strip() and not ITEM_RE.match(line):
            label = find_label(line)
            if label and current.label is None and not body_has_items(rb, current):
                current.label = label
                current.label_line = lineno
                current.citations = citations(line)
                if current.level >= 4:
                    group_label, group_title = label, current.title

        if VERIFICATION_RE.match(line):
            verifying = _innermost_step(stack)
            if verifying is not None and not verifying.verification_line:
                verifying.verification_line = lineno
        elif verifying is not None:
            vm = VERIFY_ITEM_RE.match(line)
            if vm:
                key = "Expected outcome" if vm.group(1).lower().startswith("exp") \
                    else "Command to verify"
                verifying.verification.setdefault(key, vm.group(2))

        im = ITEM_RE.match(line)
        if im:
            owner = _owning_section(stack)
            step_key = _step_key(owner)
            text_ = strip_inline(im.group(3))
            n = item_counts.get((step_key, _norm(text_)), 0)
            item_counts[(step_key, _norm(text_))] = n + 1
            rb.items.append(ChecklistItem(
                id=item_id(step_key, text_, n), text=text_, line=lineno,
                checked=im.group(2).lower() == "x",
                section_anchor=owner.anchor if owner else "",
                label=group_label or (owner.label if owner else None) or find_label(line),
                group=group_title))
        elif in_triggers and re.match(r"^\s*[-*+]\s+", line):
            links = LINK_RE.findall(line)
            sev = SEVERITY_RE.search(line)
            rb.triggers.append(Trigger(
                text=strip_inline(re.sub(r"^\s*[-*+]\s+", "", line)),
                severity=sev.group(1) if sev else None,
                target=links[-1][2] if links else None, line=lineno,
                label=find_label(line)))

        for m in LINK_RE.finditer(mask_code_spans(line)):  # `[a](b)` in code is no link
            text_, target = line[m.start(2):m.end(2)], line[m.start(3):m.end(3)]
            if m.group(1) != "!":
                rb.links.append(Link(strip_inline(text_), target, lineno))
            else:
                rb.links.append(Link("image: " + strip_inline(text_), target, lineno))
        for m in AUTOLINK_RE.finditer(line):
            rb.links.append(Link(m.group(1), m.group(1), lineno))
        rm = REFDEF_RE.match(line)
        if rm:
            refdefs.append(Link(rm.group(1), rm.group(2), lineno))

    if fence is not None:
        add_problem(len(lines), "unclosed-fence", "code block opened with "
                    f"{fence!r} is never closed; the rest of the file shows as code")
    for s in stack:
        s.end_line = len(lines)
    for s in rb.sections:
        s.body = "\n".join(body_lines.get(s.anchor, [])).strip("\n")
        if not s.end_line:
            s.end_line = len(lines)
    rb.links.extend(refdefs)

    if not rb.title:
        rb.title = rb.front_matter.get("title") or _title_from_path(rb.path)
    elif rb.front_matter.get("title"):
        rb.title = rb.front_matter["title"]
    if h1_seen > 1:
        add_problem(0, "many-h1", f"{h1_seen} top-level (#) headings; the first is the title",
                    "info")
    expected = 1
    for number, lineno in step_numbers:
        if number != expected:
            add_problem(lineno, "step-order", f"step {number} found where step {expected} "
                        "was expected")
        expected = number + 1
    return rb


def fence_blocks(text: str) -> list[tuple[int, int | None]]:
    """(opening line, closing line or None if never closed) of each fenced code block, 1-based,
    the same way :func:`parse_runbook` sees them (front matter skipped)."""
    lines = text.splitlines()
    _, start = split_front_matter(lines)
    blocks: list[tuple[int, int | None]] = []
    fence: str | None = None
    for idx in range(start, len(lines)):
        fm = FENCE_RE.match(lines[idx])
        if fence is not None:
            if closes_fence(lines[idx], fence):
                fence = None
                blocks[-1] = (blocks[-1][0], idx + 1)
        elif fm:
            fence = fm.group(1)
            blocks.append((idx + 1, None))
    return blocks


def fenced_lines(text: str) -> set[int]:
    """1-based numbers of the lines inside fenced code blocks, fences and front matter
    included."""
    lines = text.splitlines()
    _, start = split_front_matter(lines)
    out: set[int] = set(range(1, start + 1))
    total = len(lines)
    for first, last in fence_blocks(text):
        out.update(range(first, (last or total) + 1))
    return out


def body_has_items(rb: Runbook, sec: Section) -> bool:
    return any(i.section_anchor == sec.anchor for i in rb.items)


def _innermost_step(stack: list[Section]) -> Section | None:
    for s in reversed(stack):
        if s.is_step:
            return s
    return None


def _owning_section(stack: list[Section]) -> Section | None:
    """The step an item belongs to: the innermost step, else the innermost H2/H3 section."""
    for s in reversed(stack):
        if s.is_step:
            return s
    for s in reversed(stack):
        if s.level <= 3:
            return s
    return stack[-1] if stack else None


def _step_key(sec: Section | None) -> str:
    if sec is None:
        return ""
    m = STEP_RE.match(sec.title)
    return _norm(m.group(2) if m else sec.title)


def _title_from_path(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    if name.lower().endswith(".md"):
        name = name[:-3]
    if name.lower() in ("_index", "index", "readme"):
        folder = path.rsplit("/", 2)[-2] if "/" in path else "Library"
        name = folder
    return re.sub(r"[-_]+", " ", name).strip().capitalize() or path
