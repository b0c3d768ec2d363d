"""Start-up settings from the page URL and environment (no widgets here).

Voilà hands the request's query string to the kernel as ``QUERY_STRING``, so
``?lang=nn&mode=training`` chooses the language and the training mode. Env vars
(``MAKKER_LANG``, ``MAKKER_MODE``, ``MAKKER_SAMPLE``, ``MAKKER_TIME_LIMIT``,
``MAKKER_ROTATIONS``) do the same for ``make dashboard``, tests and notebooks.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs

from ..i18n import LANGUAGES, normalise_lang

SAMPLE_SUFFIXES = (".xlsx", ".csv")
RULE_FILE_HINTS = ("never", "aldri", "apart", "helst", "regel", "rule")


@dataclass(frozen=True)
class Settings:
    lang: str = "nb"
    training: bool = False
    presentation: bool = False
    sample: str = ""  # file name in the sample folder to open at start
    time_limit: float = 60.0  # like `makker plan --time-limit`
    rotations: int = 4


def _first(query: dict[str, list[str]], key: str) -> str:
    values = query.get(key) or [""]
    return values[0].strip()


def _number(text: str, default: float, low: float, high: float) -> float:
    try:
        return min(high, max(low, float(text)))
    except (TypeError, ValueError):
        return default


def settings_from_environment(environ: Mapping[str, str] | None = None) -> Settings:
    """Read the URL (``QUERY_STRING``) first, then ``MAKKER_*`` variables."""
    env = os.environ if environ is None else environ
    query = parse_qs(env.get("QUERY_STRING", ""), keep_blank_values=False)
    lang_text = _first(query, "lang") or env.get("MAKKER_LANG", "")
    lang = normalise_lang(lang_text) if lang_text else "nb"
    mode = (_first(query, "mode") or env.get("MAKKER_MODE", "")).lower()
    training = mode in ("training", "opplaering", "opplæring", "demo")
    presentation = _first(query, "presentation").lower() in ("1", "true", "yes", "ja")
    return Settings(
        lang=lang if lang in LANGUAGES else "nb",
        training=training,
        presentation=presentation,
        sample=_first(query, "sample") or env.get("MAKKER_SAMPLE", ""),
        time_limit=_number(env.get("MAKKER_TIME_LIMIT", ""), 60.0, 1.0, 600.0),
        rotations=int(_number(env.get("MAKKER_ROTATIONS", ""), 4, 1, 15)),
    )


def sample_folder() -> Path | None:
    """The repo's ``sample_rosters/`` (or ``MAKKER_SAMPLES``), if it exists."""
    override = os.environ.get("MAKKER_SAMPLES")
    candidates = [Path(override)] if override else []
    here = Path(__file__).resolve()
    candidates += [here.parents[2] / "sample_rosters", Path.cwd() / "sample_rosters", Path.cwd().parent / "sample_rosters"]
    for folder in candidates:
        if folder.is_dir():
            return folder
    return None


def sample_files(folder: Path | None = None) -> list[Path]:
    """Class-list samples (not the rule example files), sorted by name."""
    folder = folder if folder is not None else sample_folder()
    if folder is None or not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.iterdir()):
        name = path.name.lower()
        if path.suffix.lower() in SAMPLE_SUFFIXES and not any(h in name for h in RULE_FILE_HINTS):
            out.append(path)
    return out
