"""The class pack PDF: real text with æøå, one contract page per group, no private data."""

import io
import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from makker.cli import main
from makker.fictional import SCHOOLS, fictional_students
from makker.i18n import LANGUAGES, MakkerError, placeholders
from makker.pack import class_pack, letters_pdf, load_template
from makker.plan import Plan, Rotation
from makker.roster import read_rosters

SAMPLE = Path(__file__).resolve().parents[1] / "sample_rosters" / "vg1_studiespesialisering_30.xlsx"


def _groups(ids):
    """Pairs of 2 (one trio if odd), groups of 2 pairs (one of 3 pairs if odd)."""
    pairs = [list(ids[i:i + 2]) for i in range(0, len(ids) - len(ids) % 2, 2)]
    if len(ids) % 2:
        pairs[-1].append(ids[-1])
    groups = [pairs[i:i + 2] for i in range(0, len(pairs) - len(pairs) % 2, 2)]
    if len(pairs) % 2:
        groups[-1].append(pairs[-1])
    return tuple(tuple(tuple(p) for p in g) for g in groups)


def _plan(students, klass="1STA"):
    rot = Rotation(1, _groups([s.id for s in students]), date(2026, 8, 20), date(2026, 9, 11))
    return Plan(klass, list(students), [rot])


def _pages(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [" ".join(p.extract_text().split()) for p in reader.pages]


@pytest.fixture(scope="module")
def sample_plan():
    if SAMPLE.exists():
        (roster,) = read_rosters(SAMPLE).rosters[:1]
        students = roster.students
    else:  # pragma: no cover - the sample ships with the repository
        students = fictional_students(30, seed=30)
    return _plan(students, students[0].klass or "1STA")


@pytest.fixture(scope="module")
def sample_pages(sample_plan):
    return _pages(class_pack(sample_plan, 1, "nb", school="Fjordheim vidaregåande skule"))


def test_every_name_is_in_the_text(sample_plan, sample_pages):
    text = " ".join(sample_pages)
    assert len(sample_plan.students) == 30
    for s in sample_plan.students:
        assert s.name in text, s.name


def test_one_contract_page_per_group(sample_plan, sample_pages):
    groups = sample_plan.rotations[0].groups
    contract_pages = [p for p in sample_pages if "Gruppekontrakt – makkergruppe" in p]
    assert len(contract_pages) == len(groups)
    assert _contracts_fit_on_one_page(sample_pages, "Gruppekontrakt – makkergruppe", "Underskrifter:", "Makkerkort") == len(groups)
    for gi, (page, group) in enumerate(zip(contract_pages, groups), start=1):
        assert f"makkergruppe {gi}" in page
        for pair in group:
            for sid in pair:
                assert sample_plan.name(sid) in page  # members and signature lines on the same page


def test_no_gender_school_or_rule_text(sample_plan, sample_pages):
    text = " ".join(sample_pages).lower()
    for school in {s.school for s in sample_plan.students if s.school} | set(SCHOOLS):
        assert school.lower() not in text
    for word in ("kjønn", "jente", "gutt", "aldri sammen", "helst ikke", "regel", "ungdomsskole"):
        assert word not in text, word


def test_pack_contains_duties_cards_and_reflection(sample_plan, sample_pages):
    text = " ".join(sample_pages)
    assert "Makkerkort for" in text and "Makker: " in text
    assert "Hva fungerte godt i samarbeidet vårt?" in text
    assert "20.08.2026" in text and "11.09.2026" in text
    assert "Fjordheim vidaregåande skule" in sample_pages[0]


def test_buddy_card_names_the_partner():
    students = fictional_students(8, seed=2)
    plan = _plan(students)
    text = " ".join(_pages(class_pack(plan, 1, "en")))
    (a, b), _ = plan.rotations[0].groups[0]
    assert f"Buddy card for {plan.name(a)} Your buddy: {plan.name(b)}" in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_letters_and_norwegian_letters_in_every_language(lang):
    students = [s for s in fictional_students(40, seed=11) if re.search("[æøåÆØÅ]", s.name)][:8]
    assert students, "the fictional names include æ, ø and å"
    plan = _plan(students)
    text = " ".join(_pages(class_pack(plan, 1, lang, letters=True)))
    for s in students:
        assert s.name in text
    tpl = load_template(lang)
    assert tpl["letter_parents_heading"] in text and tpl["letter_students_heading"] in text
    only = " ".join(_pages(letters_pdf(lang)))
    assert tpl["letter_parents_heading"] in only


def _contracts_fit_on_one_page(pages, heading, signatures, next_heading):
    index = [i for i, p in enumerate(pages) if heading in p]
    for i in index:
        assert signatures in pages[i]  # the whole form, signatures included, on its page
        assert heading in pages[i + 1] or next_heading in pages[i + 1]
    return len(index)


def test_odd_class_with_trio_and_big_group():
    students = fictional_students(15, seed=4)
    plan = _plan(students)
    pages = _pages(class_pack(plan, 1, "nn"))
    assert max(len(g) for g in plan.rotations[0].groups) == 3  # a group of three pairs, one a trio
    count = _contracts_fit_on_one_page(pages, "Gruppekontrakt – makkergruppe", "Underskrifter:", "Makkerkort")
    assert count == len(plan.rotations[0].groups)
    assert all(s.name in " ".join(pages) for s in students)


def test_no_dates_and_unknown_rotation():
    students = fictional_students(4, seed=1)
    plan = replace(_plan(students), rotations=[Rotation(1, _groups([s.id for s in students]))])
    assert "Makkerperiode 1" in " ".join(_pages(class_pack(plan, 1, "nb")))
    with pytest.raises(MakkerError):
        class_pack(plan, 7, "nb")


def test_school_template_folder_overrides(tmp_path):
    (tmp_path / "nb").mkdir()
    (tmp_path / "nb" / "pack.json").write_text(json.dumps({"duties_heading": "Våre makkerregler"}), encoding="utf-8")
    plan = _plan(fictional_students(4, seed=1))
    text = " ".join(_pages(class_pack(plan, 1, "nb", templates=tmp_path)))
    assert "Våre makkerregler" in text


def test_cli_pack(tmp_path, capsys):
    plan = _plan(fictional_students(8, seed=3))
    src = tmp_path / "plan.json"
    plan.save(src)
    out = tmp_path / "pakke.pdf"
    assert main(["pack", str(src), "--rotation", "1", "--out", str(out), "--lang", "nn"]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert main(["pack", str(src), "--rotation", "5", "--out", str(out)]) == 2
    assert main(["pack", str(src), "--out", str(tmp_path / "x.docx")]) == 2
    letters = tmp_path / "brev.pdf"
    assert main(["pack", "--letters", "--out", str(letters)]) == 0 and letters.exists()


# --- the template files are translations of each other --------------------------------------

TEMPLATES = {lang: load_template(lang) for lang in LANGUAGES}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_template_keys_and_fields_are_equal(lang):
    nb, other = TEMPLATES["nb"], TEMPLATES[lang]
    assert set(other) == set(nb)
    for key, text in nb.items():
        assert type(other[key]) is type(text), key
        if isinstance(text, list):
            assert len(other[key]) == len(text), key
            assert all(v.strip() for v in other[key]), key
        else:
            assert placeholders(other[key]) == placeholders(text), key
            assert other[key].strip(), key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_letters_are_signed_by_the_school_else_the_contact_teacher(lang):
    tpl = load_template(lang)
    signed = " ".join(_pages(letters_pdf(lang, school="Fjordheim vidaregåande skule")))
    assert "Fjordheim vidaregåande skule" in signed and "{school}" not in signed
    unsigned = " ".join(_pages(letters_pdf(lang)))
    assert tpl["signature_fallback"] in unsigned and "{school}" not in unsigned


# --------------------------------------------------------------------------- the seating chart's page

LONG_NAMES = [("Marie-Louise", "Abrahamsen-Kristoffersen"), ("Bartholomew", "Vanderbilt-Montgomery"),
              ("Åsmund", "Øvergaard Sæbø"), ("Li", "Wu"), ("Muhammad Abdirahman", "Mohamed")]


def _text_sizes(page) -> list[tuple[str, float, float]]:
    """(text, font size in points, height above the page's foot) of every piece of text on ``page``."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            found.append((text.strip(), float(size) * scale, float(tm[5]) * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    return found


def _class_of(n: int, seed: int, shape: str, long_names: int):
    from makker.baseline import random_plan

    students = fictional_students(n, seed=seed, klass="2STC")
    for i, (first, last) in enumerate(LONG_NAMES[:long_names]):
        students[i] = replace(students[i], first=first, last=last, name=f"{first} {last}")
    plan = random_plan(students, 2, seed=seed, shape=shape, klass="2STC")
    return plan.with_rotations([replace(r, start=date(2026, 8, 24), end=date(2026, 9, 11)) for r in plan.rotations])


def _landscape(page) -> bool:
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    turned = int(page.get("/Rotate", 0) or 0) % 180 == 90
    if turned:
        width, height = height, width
    return (round(width), round(height)) == (842, 595)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(12, 34), seed=st.integers(0, 10_000), shape=st.sampled_from(["standard", "trio-alone"]),
       long_names=st.integers(0, len(LONG_NAMES)), lang=st.sampled_from(LANGUAGES))
def test_the_seating_chart_is_its_own_a4_landscape_page_with_every_name_at_10_pt_or_more(n, seed, shape, long_names, lang):
    plan = _class_of(n, seed, shape, long_names)
    reader = pypdf.PdfReader(io.BytesIO(class_pack(plan, 2, lang)))
    landscape = [i for i, page in enumerate(reader.pages) if _landscape(page)]
    assert landscape == [1], "the seating chart alone on page 2, A4 landscape; every other page A4 portrait"
    assert all((round(float(p.mediabox.width)), round(float(p.mediabox.height))) == (595, 842)
               for i, p in enumerate(reader.pages) if i != 1)
    pieces = _text_sizes(reader.pages[1])
    body = [(text, size) for text, size, y in pieces if y > 45]  # the footer line (8 pt) sits below 1.6 cm
    assert min(size for _, size in body) >= 10.0, sorted(body, key=lambda p: p[1])[:3]
    lines = [text for text, _ in body]  # in the order drawn: desk by desk, line by line
    joined = "\n".join(lines)
    long = {f"{first} {last}" for first, last in LONG_NAMES}
    read = " ".join(re.sub(r"-\n", "", joined).split("\n"))  # a word broken with «-» read as one, lines as words
    for s in plan.students:  # every name whole on its desk: one line, two, or a long word broken with «-»
        whole = re.search(rf"(^| ){re.escape(s.name)}( |$)", read) is not None
        cut = s.name in long and any(x.endswith("…") and (s.first.startswith(x[:-1]) or s.last.startswith(x[:-1]))
                                     for x in lines)
        assert whole or cut, (s.name, lines)


def test_the_seating_pdf_alone_is_one_a4_landscape_page_with_the_same_names():
    from makker.pack import seating_pdf

    plan = _class_of(27, 3, "standard", 0)
    reader = pypdf.PdfReader(io.BytesIO(seating_pdf(plan, 1, "nn")))
    assert len(reader.pages) == 1 and _landscape(reader.pages[0])
    pieces = _text_sizes(reader.pages[0])
    assert min(size for _, size, _ in pieces) >= 10.0
    assert all(s.name in {p[0] for p in pieces} or s.first in {p[0] for p in pieces} for s in plan.students)
