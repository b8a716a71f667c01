"""Print HTML for Qt: no anchors left (Qt imports them in quadratic time), the wanted ones as
marks on the next character; the body cut into keep-together groups at the top level."""

from __future__ import annotations

import re

from runbook_viewer.core.printing.marks import MARK_PREFIX, mark_anchors, mark_names, split_groups

HTML = ('<html><head><style>x</style></head><body><h1>T</h1><p>x</p>'
        '<h3 id="a"><a name="a"></a>A</h3><ul><li><h3 id="n">N</h3></li></ul>'
        '<p style="page-break-before:always"><a name="rv-rb-1"></a><b>1.</b> x</p>'
        '<h3><a name="k"></a>&amp;K</h3><p>id="in text" name="too"</p><h3 id="e"></h3>'
        '<a href="#a" name="raw">link</a></body></html>')


def test_every_anchor_goes_and_the_wanted_ones_become_marks():
    out = mark_anchors(HTML, {"a", "rv-rb-1", "k", "e"})
    assert not re.search(r'<[^>]*\s(?:name|id)="', out)  # no anchor in any tag
    assert '<h3><span title="rv-mark:a">A</span></h3>' in out
    assert '<b><span title="rv-mark:rv-rb-1">1</span>.</b>' in out
    assert '<span title="rv-mark:k">&amp;</span>K' in out  # an entity is one character
    assert 'id="in text" name="too"' in out  # text that looks like attributes stays
    assert "\x01" not in out and "\x02" not in out
    # an empty heading has no character: its mark goes to the next text there is
    assert '<h3></h3><a href="#a"><span title="rv-mark:e">l</span>ink</a>' in out
    assert out.count(MARK_PREFIX) == 4
    assert mark_names("rv-mark:a b") == ["a", "b"] and mark_names("a tooltip") == []


def test_groups_are_cut_before_top_level_headings_and_chapters_only():
    head, segments, tail = split_groups(HTML, ["a", "n", "rv-rb-1", "k"])
    assert head.endswith("<body>") and tail == "</body></html>"
    assert head + "".join(segments) + tail == HTML
    # "n" sits in a list: no cut, it stays in the group of "a"
    assert [s[:10] for s in segments] == ["<h1>T</h1>", '<h3 id="a"', "<p style=\"",
                                          "<h3><a nam"]
    assert split_groups(HTML, [])[1] == [HTML[len(head):-len(tail)]]
