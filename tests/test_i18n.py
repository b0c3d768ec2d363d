"""The three catalogs must stay equal, or a page silently falls back to bokmål."""

import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from makker.i18n import (
    LANGUAGES,
    MakkerError,
    Translator,
    catalog,
    date_text,
    domain_files,
    normalise_lang,
    parse_date,
    placeholders,
    t,
)

DOMAINS = domain_files()


def test_every_domain_exists_in_every_language():
    assert DOMAINS, "no catalogs found"
    for domain, by_lang in DOMAINS.items():
        assert set(by_lang) == set(LANGUAGES), f"{domain}.json missing in {set(LANGUAGES) - set(by_lang)}"


@pytest.mark.parametrize("domain", sorted(DOMAINS))
def test_keys_and_placeholders_are_equal(domain):
    nb = DOMAINS[domain]["nb"]
    for lang in LANGUAGES:
        other = DOMAINS[domain][lang]
        assert set(other) == set(nb), f"{domain}/{lang}: {set(other) ^ set(nb)}"
        for key, text in nb.items():
            assert placeholders(other[key]) == placeholders(text), f"{lang}:{key}"
            assert other[key].strip(), f"{lang}:{key} is empty"


def test_keys_are_prefixed_by_their_domain():
    for domain, by_lang in DOMAINS.items():
        for key in by_lang["nb"]:
            assert key.split(".")[0] == domain, f"{key} lives in {domain}.json"


TEMPLATES = {lang: json.loads((Path(__file__).resolve().parents[1] / "makker" / "templates" / lang / "pack.json").read_text(encoding="utf-8"))
             for lang in LANGUAGES}


def _texts(lang: str):
    """Every visible text of a language: the catalogs and the class pack's template."""
    for by_lang in DOMAINS.values():
        yield from by_lang[lang].items()
    for key, value in TEMPLATES[lang].items():
        for text in value if isinstance(value, list) else [value]:
            yield key, text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_quotes_are_the_languages_own(lang):
    """«…» in bokmål and nynorsk, “…” in English; no straight or single quotes around words."""
    wrong = "“”" if lang != "en" else "«»"
    for key, text in _texts(lang):
        assert not any(mark in text for mark in wrong), f"{lang}:{key} uses the other language's quotes: {text}"
        assert not re.search(r"(?<![\w\]])'[^'\s][^']*'(?!\w)", text), f"{lang}:{key} uses single quotes: {text}"


def test_fallback_and_language_choice():
    assert normalise_lang("nb-NO") == "nb"
    assert normalise_lang("NNO") == "nn"
    assert normalise_lang("fr") == "nb"
    assert t("no.such.key", "en") == "no.such.key"
    assert t("cli.not_found", "en", path="x.csv") == "File not found: x.csv. Check the name and the folder."
    assert Translator("nn")("cli.not_found", path="a") != Translator("nb")("cli.not_found", path="a")


def test_error_carries_key_and_renders_each_language():
    err = MakkerError("cli.not_found", path="elever.xlsx")
    texts = {lang: err.message(lang) for lang in LANGUAGES}
    assert len(set(texts.values())) == 3
    assert all("elever.xlsx" in v for v in texts.values())


def test_decimal_numbers_get_the_languages_decimal_mark():
    assert "91,9" in t("planner.note_gap", "nb", rotation=2, gap="91.9")
    assert "91,9" in t("planner.note_gap", "nn", rotation=2, gap="91.9")
    assert "91.9" in t("planner.note_gap", "en", rotation=2, gap="91.9")
    assert "2,5" in t("cli.not_found", "nb", path=2.5)
    # only whole decimal numbers: file names and versions with dots stay as they are
    assert "plan.v1.2.json" in t("cli.not_found", "nb", path="plan.v1.2.json")


def test_number_for_cells_outside_messages():
    from makker.i18n import number

    assert number(10.654, "nb", 2) == "10,65" and number(10.654, "nn", 1) == "10,7"
    assert number(10.654, "en", 2) == "10.65"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_counted_words_agree_with_the_number(lang):
    """«1 elev», «3 elever»: a {count:one|other} field picks the word; no catalog writes «elev(er)»."""
    one = t("roster.file_line", lang, file="a.xlsx", classes=1, count=1)
    many = t("roster.file_line", lang, file="a.xlsx", classes=2, count=27)
    words = {"nb": ("1 klasse, 1 elev", "2 klasser, 27 elever"), "nn": ("1 klasse, 1 elev", "2 klassar, 27 elevar"),
             "en": ("1 class, 1 student", "2 classes, 27 students")}[lang]
    assert one.endswith(words[0]) and many.endswith(words[1])
    assert "{" not in t("calendar.warn_before_break", lang, number=2, start="x", weeks=1)
    for domain, by_lang in DOMAINS.items():
        for key, text in by_lang[lang].items():
            assert not re.search(r"\w\((r|s|er|ar|es|e)\)|/-", text), f"{lang}:{key} hedges a plural: {text}"


SINGULAR = {  # what «1 …» must read like in the progress and count messages
    "nb": {"app.status.running": "1 av 1 makkerperiode er ferdig.",
           "improve.progress": "1 makkerperiode uten gjentatte gruppekamerater, 1 gjentatt gruppekamerat i",
           "overview.planned_all": "1 av 1 klasse er planlagt", "planner.keep_too_many": "beholde 1 makkerperiode:"},
    "nn": {"app.status.running": "1 av 1 makkerperiode er ferdig.",
           "improve.progress": "1 makkerperiode utan gjentekne gruppekameratar, 1 gjenteken gruppekamerat i",
           "overview.planned_all": "1 av 1 klasse er planlagd", "planner.keep_too_many": "behalde 1 makkerperiode:"},
    "en": {"app.status.running": "1 of 1 rotation done.",
           "improve.progress": "1 rotation without repeated group-mates, 1 repeated group-mate in",
           "overview.planned_all": "1 of 1 class is planned", "planner.keep_too_many": "keep 1 rotation:"},
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_progress_and_count_messages_agree_with_one_and_with_many(lang):
    """«1 av 1 makkerperiode er ferdig», «2 av 10 makkerperioder er ferdige»: no «1 makkerperioder»."""
    one = dict(done=1, total=1, repeat_free=1, repeats=1, ok=1, n=1, keep=1, have=0)
    many = dict(done=2, total=10, repeat_free=2, repeats=5, ok=2, n=10, keep=3, have=2)
    plural_word = {"nb": "makkerperioder", "nn": "makkerperiodar", "en": "rotations"}[lang]
    for key, expected in SINGULAR[lang].items():
        assert expected in t(key, lang, **one), f"{lang}:{key}: {t(key, lang, **one)}"
        assert expected not in t(key, lang, **many), f"{lang}:{key}"
    assert plural_word in t("app.status.running", lang, **many)
    assert plural_word in t("improve.progress", lang, **many)
    assert ("are" if lang == "en" else "klass") in t("subjects.ambiguous_members", lang, file="f", count=2,
                                                     names="A, B")


# --------------------------------------------------------------------------- every key is used
ROOT = Path(__file__).resolve().parents[1]
# Keys built at run time from a prefix and a name (``t(f"app.chart.{name}")``): the name must appear
# in the code as a quoted word or a ``name=`` keyword, so a key under these prefixes can still be dead.
DYNAMIC_PREFIXES = (
    "app.alt.", "app.chart.", "app.export.", "app.file.", "app.tune.help.", "app.tune.weight.",
    "bench.col_", "bench.method_", "bench.rules_", "evaluation.chart.title_", "evaluation.col.", "evaluation.file.",
    "evaluation.short.", "evaluation.statement.",
    "export.col_", "export.gender_",
    "planner.batch_col_", "planner.batch_status_", "report.why_", "schoolyear.swap_", "shapes.name_", "shapes.short_",
    "schoolyear.ui.b_", "schoolyear.ui.h_", "schoolyear.ui.l_", "schoolyear.ui.o_",
)
PLURAL_SUFFIX = re.compile(r"_(one|many)$")  # "metrics.summary_never" + "_one" / "_many"


def _code_text() -> str:
    """Everything in the tree that may name a catalog key: the package, the notebooks and the tools."""
    files = [*ROOT.glob("makker/**/*.py"), *ROOT.glob("makker/**/*.html"), *ROOT.glob("makker/**/*.js"),
             *ROOT.glob("dashboards/**/*.ipynb"), *ROOT.glob("tools/**/*.py")]
    return "\n".join(p.read_text(encoding="utf-8") for p in files)


def _is_used(key: str, code: str) -> bool:
    for name in (key, PLURAL_SUFFIX.sub("", key)):
        if re.search(r"(?<![\w.])" + re.escape(name) + r"(?!\w)", code):
            return True
    for prefix in DYNAMIC_PREFIXES:
        if key.startswith(prefix):
            rest = re.escape(PLURAL_SUFFIX.sub("", key[len(prefix):]))
            if re.search(rf"[\"']{rest}[\"']", code) or re.search(rf"\b{rest}\s*=", code):
                return True
    return False


def test_every_catalog_key_is_used_somewhere():
    code = _code_text()
    for lang in LANGUAGES:
        unused = sorted(k for k in catalog(lang) if not _is_used(k, code))
        assert not unused, f"{lang}: keys no code uses (delete them or list a dynamic prefix): {unused}"


def test_the_unused_key_check_can_fail():
    code = _code_text()
    assert not _is_used("export.what_plan", code) and not _is_used("app.chart.nothing_like_this", code)
    assert _is_used("app.chart.coverage", code) and _is_used("metrics.summary_never_one", code)


def test_every_key_exists_in_nb_nn_and_en():
    keys = {lang: set(catalog(lang)) for lang in LANGUAGES}
    for lang in LANGUAGES:
        assert keys[lang] == keys["nb"], (lang, keys[lang] ^ keys["nb"])


# --------------------------------------------------------------------------- one date style per language
@pytest.mark.parametrize("lang, text", [("nb", "17.08.2026"), ("nn", "17.08.2026"), ("en", "17 Aug 2026")])
def test_date_text_is_the_languages_one_style(lang, text):
    assert date_text(date(2026, 8, 17), lang) == text
    assert date_text("2026-08-17", lang) == text
    assert t("calendar.line", lang, number=1, start=date(2026, 8, 17), end=date(2026, 9, 4), weeks=3).count(text) == 1
    assert "2026-08-17" not in t("calendar.line", lang, number=1, start=date(2026, 8, 17), end=date(2026, 9, 4), weeks=3)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_dates_read_back_in_both_ways_of_writing(d):
    assert parse_date(date_text(d, "nb")) == d == parse_date(d.isoformat())
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}", date_text(d, "en"))
