"""The window with a library holding a link loop, a FIFO and a UTF-16 file: it opens, names the
files it skipped in its notice bar, and shows everything else."""

from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="FIFOs and symlinks are POSIX")


def test_window_names_the_skipped_files_and_shows_the_rest(make_window, tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    (root / "index.md").write_text("# Index\n\n- [Wide](wide.md)\n", encoding="utf-8")
    (root / "wide.md").write_bytes(b"\xff\xfe" + "# Wide runbook\n\n- [ ] item\n"
                                   .encode("utf-16-le"))
    os.symlink("x.md", root / "x.md")
    os.mkfifo(root / "pipe.md")
    window = make_window(root)
    notice = window.notice.text()
    assert window.notice.isVisible()
    assert "x.md" in notice and "loops" in notice and "pipe.md" in notice
    assert [rb.path for rb in window.library.runbooks] == ["index.md", "wide.md"]
    window.open_runbook("wide.md")
    assert "Wide runbook" in window.view.toPlainText()
