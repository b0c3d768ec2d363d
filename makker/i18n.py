"""Message catalogs: bokmål (default), nynorsk and English.

Catalogs live in ``makker/locales/<lang>/<domain>.json``; every module owns its
own domain file so that parallel work never collides. A key is looked up in the
requested language, then in bokmål (the default), then the key itself is shown,
so a missing translation never breaks a page (sepal_ui style fallback).
"""

from __future__ import annotations

import json
import os
import re
import string
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources

LANGUAGES = ("nb", "nn", "en")
DEFAULT_LANG = "nb"


def normalise_lang(lang: str | None) -> str:
    """Map user input (``NO``, ``nb-NO``, ``nno``, ``en_GB``...) to one of LANGUAGES."""
    if not lang:
        return os.environ.get("MAKKER_LANG", DEFAULT_LANG) if os.environ.get("MAKKER_LANG") in LANGUAGES else DEFAULT_LANG
    code = lang.strip().lower().replace("_", "-").split("-")[0]
    aliases = {"no": "nb", "nob": "nb", "nno": "nn", "eng": "en"}
    code = aliases.get(code, code)
    return code if code in LANGUAGES else DEFAULT_LANG


@cache
def catalog(lang: str) -> dict[str, str]:
    """All messages of one language, merged over every domain file."""
    merged: dict[str, str] = {}
    root = resources.files("makker") / "locales" / lang
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".json"):
            merged.update(json.loads(entry.read_text(encoding="utf-8")))
    return merged


def domain_files() -> dict[str, dict[str, dict[str, str]]]:
    """{domain: {lang: messages}}, for the test that keeps the catalogs equal."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    for lang in LANGUAGES:
        root = resources.files("makker") / "locales" / lang
        for entry in root.iterdir():
            if entry.name.endswith(".json"):
                out.setdefault(entry.name[:-5], {})[lang] = json.loads(entry.read_text(encoding="utf-8"))
    return out


def placeholders(text: str) -> set[str]:
    """Names used in ``{name}`` fields of a message."""
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


class _Formatter(string.Formatter):
    """``{count:elev|elever}`` in a message is the word for one or for any other number.

    So a catalog says «1 elev» and «3 elever» instead of «elev(er)»; the number
    itself is written as usual: ``{count} {count:elev|elever}``.
    """

    def format_field(self, value, format_spec: str):
        if "|" in format_spec:
            one, other = format_spec.split("|", 1)
            try:
                return one if abs(float(str(value).replace(",", "."))) == 1 else other
            except ValueError:
                return other
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


def t(key: str, lang: str | None = None, **params) -> str:
    """Translate ``key`` into ``lang`` and fill in ``params``."""
    lang = normalise_lang(lang)
    text = catalog(lang).get(key) or catalog(DEFAULT_LANG).get(key) or key
    if not params:
        return text
    try:
        return _FORMATTER.vformat(text, (), {name: _param(value, lang) for name, value in params.items()})
    except (KeyError, IndexError, ValueError):
        return text


_DECIMAL = re.compile(r"-?\d+\.\d+")


def _param(value, lang: str):
    """A parameter as the language writes it: dates in the language's date style, decimals with its mark."""
    if isinstance(value, date):
        return date_text(value, lang)
    if isinstance(value, Message):  # a part of a sentence that is itself translated
        return value.render(lang)
    return _decimal(value, lang)


def _decimal(value, lang: str):
    """Norwegian writes 9,1 s and 91,9 %: a decimal number given as a parameter gets a comma.

    Callers format numbers as they like (``f"{x:.1f}"``); the language is
    applied here, once, so no message shows «9.1 s» in bokmål or nynorsk.
    """
    if lang == "en":
        return value
    if isinstance(value, float):
        value = f"{value:g}"
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        return value.replace(".", ",")
    return value


def number(value: float, lang: str | None = None, digits: int = 1) -> str:
    """``value`` with ``digits`` decimals and the language's decimal mark (for cells outside messages)."""
    return _decimal(f"{value:.{digits}f}", normalise_lang(lang))


_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_NORWEGIAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def date_text(value: date | str | None, lang: str | None = None) -> str:
    """A date as people read it: «17.08.2026» in bokmål and nynorsk, «17 Aug 2026» in English.

    The one date style of every text, table, CSV and calendar entry; files
    meant for programs (the plan JSON) keep ISO dates. An ISO string is
    accepted too; text that is not a date is returned unchanged.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        text = value
        try:
            value = parse_date(text)
        except ValueError:
            return text
    if isinstance(value, datetime):
        value = value.date()
    if normalise_lang(lang) == "en":
        return f"{value.day} {_EN_MONTHS[value.month - 1]} {value.year}"
    return value.strftime("%d.%m.%Y")


def parse_date(text: str) -> date:
    """A date typed by a user: ISO (2026-08-17) or Norwegian (17.08.2026, 17.8.2026). ValueError otherwise."""
    text = str(text).strip()
    match = _NORWEGIAN_DATE.fullmatch(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return date(year, month, day)
    return date.fromisoformat(text)


def percent(value: float, lang: str | None = None, digits: int = 0) -> str:
    """A share (0–1) as a percentage: «45 %» in bokmål and nynorsk, «45%» in English."""
    text = number(100 * value, lang, digits)
    return f"{text}%" if normalise_lang(lang) == "en" else f"{text} %"


class Translator:
    """A language bound to ``t``: ``tr = Translator('nn'); tr('roster.empty')``."""

    def __init__(self, lang: str | None = None):
        self.lang = normalise_lang(lang)

    def __call__(self, key: str, **params) -> str:
        return t(key, self.lang, **params)


@dataclass(frozen=True)
class Message:
    """A sentence still to be translated: a key and its parameters.

    Warnings and notes are kept as Messages so the dashboard can show them in
    whatever language the user switches to later.
    """

    key: str
    params: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, key: str, **params) -> "Message":
        return cls(key, tuple(sorted(params.items())))

    def render(self, lang: str | None = None) -> str:
        return t(self.key, lang, **dict(self.params))


class MakkerError(Exception):
    """A problem the user can fix: carries a message key, not a sentence.

    The sentence is made in the user's language at the edge (CLI, dashboard)
    with :meth:`message`. ``str(err)`` gives bokmål for logs and tests.
    """

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.params)

    def as_message(self) -> Message:
        """Keep the error as a Message so it re-renders when the language changes."""
        return Message.of(self.key, **self.params)

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message(DEFAULT_LANG)
