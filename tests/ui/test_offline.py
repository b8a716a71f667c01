"""Offline proof: load → render → window with the network forbidden."""

from __future__ import annotations

import socket

import pytest


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    attempts = []

    def forbidden(*args, **kwargs):
        attempts.append(args)
        raise NetworkUsed(f"network use attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", forbidden)
    monkeypatch.setattr(socket.socket, "connect_ex", forbidden)
    monkeypatch.setattr(socket, "create_connection", forbidden)
    monkeypatch.setattr(socket, "getaddrinfo", forbidden)
    return attempts


def test_guard_really_blocks(no_network):
    with pytest.raises(NetworkUsed):
        socket.create_connection(("127.0.0.1", 9))


def test_whole_flow_uses_no_network(qtbot, make_window, tmp_path, no_network, bundled_library):
    (tmp_path / "index.md").write_text(
        "# I\n\n![remote](https://example.org/pic.png)\n\n<img src=\"http://x.test/a.png\">\n\n"
        "[web](https://example.org)\n")
    for lib in (tmp_path, bundled_library):
        w = make_window(lib)
        for rb in w.library.runbooks:
            w.open_runbook(rb.path)
        w.follow_link("https://example.org")
        qtbot.wait(50)
    assert no_network == []
    w0 = make_window(tmp_path, show=False)
    assert "image not loaded (offline)" in w0.view.toPlainText()
