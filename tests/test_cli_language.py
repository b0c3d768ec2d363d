"""nb and nn users never see English on the command line: argparse's headings and errors are translated,
and so is every message of the error paths a user can hit."""

from __future__ import annotations

import re

import pytest

from makker.cli import COMMANDS, main

# Words of argparse's own texts and of English messages; none is a bokmål or nynorsk word.
ENGLISH = {
    "usage", "options", "optional", "positional", "arguments", "required", "invalid", "choice",
    "choose", "error", "expected", "unrecognized", "show", "help", "message", "exit", "the", "following",
    "ambiguous", "could", "match", "allowed", "file", "path", "name", "folder", "must", "cannot", "please",
    "value", "missing", "unknown", "command", "subcommands", "not", "found", "see", "write", "date",
}


def english_words(text: str) -> set[str]:
    # option strings (--out, -h), paths and the command names are not words of a language
    words = [w for w in re.split(r"\s+", text) if not w.startswith("-") and "/" not in w]
    found = set()
    for w in words:
        for part in re.findall(r"[A-Za-zÆØÅæøå]+", w):
            if part.lower() in ENGLISH and part.lower() not in COMMANDS:
                found.add(part)
    return found


@pytest.fixture
def roster_file(tmp_path):
    f = tmp_path / "klasse.csv"
    f.write_text("Navn;Klasse\nOla Nordmann;1A\nKari Nordmann;1A\nPer Hansen;1A\nAnne Berg;1A\n", encoding="utf-8")
    return f


ERROR_PATHS = [
    [],                                          # no command
    ["plan"],                                    # missing FILE and --out
    ["plan", "{roster}"],                        # missing --out
    ["plan", "{roster}", "--out"],               # option without its value
    ["plan", "{roster}", "--out", "{tmp}/p.json", "--bogus"],  # unknown option
    ["nope"],                                    # bad command
    ["plan", "{roster}", "--out", "{tmp}/p.json", "--lang", "xx"],  # bad choice
    ["plan", "{tmp}/mangler.csv", "--out", "{tmp}/p.json"],      # file that does not exist
    ["plan", "{roster}", "--out", "{tmp}/p.json", "--rotations", "abc"],
    ["plan", "{roster}", "--out", "{tmp}/p.json", "--start", "31.02.2026"],
    ["plan", "{roster}", "--out", "{tmp}/p.txt"],
    ["roster"],
    ["roster", "{tmp}/mangler.xlsx"],
    ["calendar", "--start", "yesterday"],
    ["calendar", "--start", "17.08.2026", "--rotations", "0"],
    ["pack", "--out", "{tmp}/k.txt"],
    ["pack", "--out", "{tmp}/k.pdf"],
    ["check"],
    ["bench", "--sizes"],
]


@pytest.mark.parametrize("lang", ["nb", "nn"])
@pytest.mark.parametrize("argv", ERROR_PATHS, ids=lambda a: " ".join(a) or "none")
def test_error_paths_speak_the_users_language(lang, argv, roster_file, tmp_path, capsys):
    args = [a.format(roster=roster_file, tmp=tmp_path) for a in argv]
    with pytest.raises(SystemExit) as info:
        raise SystemExit(main(["--lang", lang, *args]))
    out = capsys.readouterr()
    assert info.value.code == 2
    text = out.err + out.out
    assert text.strip() and len(text.strip().splitlines()) == 1, text  # one line, no traceback
    assert not english_words(text), (english_words(text), text)


@pytest.mark.parametrize("lang", ["nb", "nn"])
@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)], ids=lambda c: " ".join(c) or "makker")
def test_help_speaks_the_users_language(lang, command, capsys):
    with pytest.raises(SystemExit) as info:
        main(["--lang", lang, *command, "--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    assert ("bruk:" in text) and ("valg:" in text or "val:" in text)
    assert not english_words(text), (english_words(text), text)


def test_nynorsk_plan_without_out_is_nynorsk_only(roster_file, capsys):
    assert_exit = pytest.raises(SystemExit)
    with assert_exit as info:
        main(["--lang", "nn", "plan", str(roster_file)])
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert err == "makker: Feil i kommandoen: dette må vere med: --out. Sjå «makker plan --help».\n"


def test_english_keeps_argparse_english(roster_file, capsys):
    with pytest.raises(SystemExit):
        main(["--lang", "en", "plan", str(roster_file)])
    assert "the following arguments are required: --out" in capsys.readouterr().err


def test_the_english_word_check_can_fail():
    assert english_words("usage: makker [-h] error: the following arguments are required") >= {"usage", "error"}
    assert not english_words("bruk: makker plan [-h] --out STI FIL")
