"""The three catalogs must stay equal, or a page silently falls back to bokmål."""

import re

import pytest

from makker.i18n import LANGUAGES, MakkerError, Translator, domain_files, normalise_lang, placeholders, t

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
