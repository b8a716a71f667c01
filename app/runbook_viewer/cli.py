"""Command line: `runbook-viewer [--library DIR] [COMMAND …]`.

With no command it starts the desktop app (or, with no display, says how to run headless and
exits 2). Each subcommand lives in ``runbook_viewer.commands.<name>`` and exposes
``add_parser(subparsers)`` and ``run(args) -> int``. No subcommand imports Qt unless it needs it.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from . import __version__, invocation, qtenv

COMMANDS = ["list", "show", "runs", "check", "scenarios", "print", "search"]

def no_display_message() -> str:
    """What to do without a screen, with commands that work as typed in this shell."""
    rv = invocation.command()
    return (
        "runbook-viewer: no display is available, so the window cannot open (DISPLAY and "
        "WAYLAND_DISPLAY are unset). The whole library works from this terminal: "
        f"`{rv} search \"redis connection refused\"` finds the step for a symptom, "
        f"`{rv} scenarios` lists what-is-happening triage entries, `{rv} show startup.md` "
        f"prints a runbook, `{rv} runs list` shows checklist runs, and "
        f"`{rv} print startup.md --blank -o startup.pdf` writes a checklist to PDF. To run the "
        f"window on a virtual screen: `xvfb-run -a {rv}`; for a self-check with no screen at "
        f"all: `{rv} --self-test`.")


def _module(name: str):
    return importlib.import_module(f"runbook_viewer.commands.{name.replace('-', '_')}")


def named_command(argv: list[str]) -> str | None:
    """The subcommand ``argv`` names (the first known command word that is not the value of
    ``--library``), or None."""
    for i, arg in enumerate(argv):
        if arg in COMMANDS and (i == 0 or argv[i - 1] != "--library"):
            return arg
    return None


def build_parser(commands: bool = True, only: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="runbook-viewer",
        description="Offline viewer for operations runbooks. With no command, opens the window.")
    parser.add_argument("--version", action="version",
                        version=f"runbook-viewer {__version__}")
    parser.add_argument("--library", metavar="DIR",
                        help="a folder of markdown runbooks (default: the bundled library)")
    parser.add_argument("--self-test", action="store_true",
                        help="start the real window offscreen, exercise it, print SELFTEST OK")
    if not commands:
        parser.set_defaults(command=None)
        return parser
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    # a named command needs only its own parser: importing every subcommand (and what they
    # import) would cost a terminal search more than the search itself
    for name in [only] if only else COMMANDS:
        _module(name).add_parser(sub)
    return parser


def _parse_window_args(argv: list[str]) -> argparse.Namespace | None:
    """The arguments of a plain window start, parsed without importing every subcommand
    (that costs a noticeable part of the start-up); None when argv names a command or asks for
    help, which the full parser handles."""
    if any(a in COMMANDS or a in ("-h", "--help") for a in argv):
        return None
    args, rest = build_parser(commands=False).parse_known_args(argv)
    return None if rest else args


def main(argv: list[str] | None = None) -> int:
    if getattr(sys, "frozen", False):  # a PyInstaller build started as a parse worker
        import multiprocessing  # (core.loading): run the worker, never the app

        multiprocessing.freeze_support()
    argv = sys.argv[1:] if argv is None else argv
    qtenv.prepare_locale()  # before anything can load Qt
    helping = any(a in ("-h", "--help") for a in argv[:1])
    args = _parse_window_args(argv) or build_parser(
        only=None if helping else named_command(argv)).parse_args(argv)
    # a subcommand's own --library wins over the global one
    try:
        if args.self_test:
            from .selftest import run_self_test

            return run_self_test(args.library)
        if args.command:
            return int(_module(args.command).run(args) or 0)
        if not qtenv.has_display():
            print(no_display_message(), file=sys.stderr)
            return 2
        from .ui.app import run_gui

        return run_gui(args.library)
    except ImportError as exc:  # Qt could not load a system library: say which package
        if qtenv.missing_library(exc) is None:
            raise
        print(f"runbook-viewer: {qtenv.qt_import_problem(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
