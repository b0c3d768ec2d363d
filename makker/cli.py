"""The ``makker`` command line.

Each command lives in ``makker/commands/<name>.py`` and exposes
``add_parser(subparsers, tr)`` and ``run(args, tr) -> int``. Exit codes follow
``docs/interfaces.md``: 0 success, 2 a problem the user can fix (one clear line on
stderr, no traceback), 1 an internal error.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import signal
import sys
import threading
import traceback

from .i18n import LANGUAGES, MakkerError, Translator

COMMANDS = ("roster", "plan", "check", "bench", "calendar", "pack", "evaluate", "dashboard")


def _pre_lang(argv: list[str]) -> str | None:
    """Find ``--lang`` before the full parser exists, so --help is translated too."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--lang")
    known, _ = pre.parse_known_args(argv)
    return known.lang


def _command_modules():
    for name in COMMANDS:
        yield name, importlib.import_module(f"makker.commands.{name}")


# argparse's own texts (gettext message ids of Python 3.11+) and the catalog key for each.
ARGPARSE_TEXTS = {
    "usage: ": "cli.argparse.usage",
    "positional arguments": "cli.argparse.positional",
    "options": "cli.argparse.options",
    "show this help message and exit": "cli.argparse.help",
    "the following arguments are required: %s": "cli.argparse.required",
    "invalid choice: %(value)r (choose from %(choices)s)": "cli.argparse.invalid_choice",
    "unrecognized arguments: %s": "cli.argparse.unrecognized",
    "argument %(argument_name)s: %(message)s": "cli.argparse.argument",
    "expected one argument": "cli.argparse.expected_one",
    "expected at most one argument": "cli.argparse.expected_at_most_one",
    "expected at least one argument": "cli.argparse.expected_at_least_one",
    "ambiguous option: %(option)s could match %(matches)s": "cli.argparse.ambiguous",
    "not allowed with argument %s": "cli.argparse.not_allowed",
    "one of the arguments %s is required": "cli.argparse.one_required",
    "ignored explicit argument %r": "cli.argparse.ignored",
    "invalid %(type)s value: %(value)r": "cli.argparse.invalid_value",
    "unexpected option string: %s": "cli.argparse.unexpected_option",
    "%(prog)s: error: %(message)s\n": "cli.argparse.error",
}
ARGPARSE_PLURALS = {"expected %s argument": "cli.argparse.expected_n"}


@contextlib.contextmanager
def argparse_language(tr: Translator):
    """argparse's headings and errors («usage:», «options:», «invalid choice» ...) in ``tr``'s language.

    argparse looks its texts up through gettext at the moment it prints them;
    they are answered from the catalogs for as long as the block runs.
    """
    hooks = vars(argparse)  # the module's own gettext names, which typeshed does not list
    saved = hooks["_"], hooks["ngettext"]

    def text(message):
        key = ARGPARSE_TEXTS.get(message)
        return tr(key) if key else saved[0](message)

    def plural(singular, plural_text, n):
        key = ARGPARSE_PLURALS.get(singular)
        return tr(key).replace("{n}", "%s") if key else saved[1](singular, plural_text, n)

    hooks["_"], hooks["ngettext"] = text, plural
    try:
        yield
    finally:
        hooks["_"], hooks["ngettext"] = saved


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

    def add_lang(p: argparse.ArgumentParser) -> None:
        p.add_argument("--lang", choices=LANGUAGES, default=tr.lang, help=tr("cli.lang_help"))

    add_lang(parser)
    sub = parser.add_subparsers(dest="command", required=True, metavar=tr("cli.command_metavar"))
    for _name, module in _command_modules():
        cmd = module.add_parser(sub, tr)
        add_lang(cmd)
        cmd.set_defaults(_run=module.run)
    return parser


def _stop(signum, frame):
    """SIGTERM (a server or service being stopped) ends a command like Ctrl+C does,
    so a running solver still stops CBC and removes its temp files."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    tr = Translator(_pre_lang(argv))
    with argparse_language(tr):
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
