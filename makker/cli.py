"""The ``makker`` command line.

Each command lives in ``makker/commands/<name>.py`` and exposes
``add_parser(subparsers, tr)`` and ``run(args, tr) -> int``. Exit codes follow
``interfaces.md``: 0 success, 2 a problem the user can fix (one clear line on
stderr, no traceback), 1 an internal error.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import threading
import traceback

from .i18n import LANGUAGES, MakkerError, Translator

COMMANDS = ("roster", "plan", "check", "bench", "calendar", "pack")


def _pre_lang(argv: list[str]) -> str | None:
    """Find ``--lang`` before the full parser exists, so --help is translated too."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--lang")
    known, _ = pre.parse_known_args(argv)
    return known.lang


def _command_modules():
    for name in COMMANDS:
        try:
            yield name, importlib.import_module(f"makker.commands.{name}")
        except ModuleNotFoundError as exc:  # command not built yet
            if exc.name != f"makker.commands.{name}":
                raise


def _parser_class(tr: Translator) -> type[argparse.ArgumentParser]:
    """argparse that reports a bad command line as one line in ``tr``'s language (exit 2), not a usage block.

    Subparsers are made of the same class, so every command gets it.
    """

    class Parser(argparse.ArgumentParser):
        def error(self, message: str):  # argparse's hook
            self.exit(2, f"makker: {tr('cli.bad_usage', detail=message, command=self.prog)}\n")

    return Parser


def build_parser(tr: Translator) -> argparse.ArgumentParser:
    parser = _parser_class(tr)(prog="makker", description=tr("cli.description"))
    lang_opt = dict(choices=LANGUAGES, default=tr.lang, help=tr("cli.lang_help"))
    parser.add_argument("--lang", **lang_opt)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, module in _command_modules():
        cmd = module.add_parser(sub, tr)
        cmd.add_argument("--lang", **lang_opt)
        cmd.set_defaults(_run=module.run)
    return parser


def _stop(signum, frame):
    """SIGTERM (a server or service being stopped) ends a command like Ctrl+C does,
    so a running solver still stops CBC and removes its temp files."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    tr = Translator(_pre_lang(argv))
    parser = build_parser(tr)
    args = parser.parse_args(argv)
    tr = Translator(args.lang)
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _stop) if in_main else None
    try:
        return int(args._run(args, tr) or 0)
    except MakkerError as err:
        print(f"makker: {err.message(tr.lang)}", file=sys.stderr)
        return 2
    except FileNotFoundError as err:
        print(f"makker: {tr('cli.not_found', path=err.filename or err)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"makker: {tr('cli.interrupted')}", file=sys.stderr)
        return 130
    except Exception as err:  # noqa: BLE001 - the last line of defence
        if os.environ.get("MAKKER_DEBUG"):
            traceback.print_exc()
        print(f"makker: {tr('cli.internal_error', error=type(err).__name__)}", file=sys.stderr)
        return 1
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
