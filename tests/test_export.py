"""Excel/CSV exports: round trip, Norwegian Excel CSV, no formulas, no rules or personal attributes."""

import base64
import csv
import html
import io
import re
from datetime import date

import openpyxl
import pytest

from makker.baseline import random_plan
from makker.export import data_link, export_filename, plan_to_csv, plan_to_xlsx, safe_text, write_plan
from makker.fictional import fictional_students, realistic_rules
from makker.i18n import LANGUAGES, MakkerError, t
from makker.plan import Plan, Rotation
from makker.students import Student

HOSTILE = ['=HYPERLINK("http://evil.example","klikk")', "+1", "-2", "@SUM(A1:A9)", "\t=1+1", "\r=2", "=cmd|'/C calc'!A0"]


def plan_of(n=9, rotations=3, seed=0, hostile=False) -> Plan:
    students = fictional_students(n, seed)
    if hostile:
        students = [Student(s.id, HOSTILE[i], klass=s.klass, gender=s.gender, school=s.school) if i < len(HOSTILE) else s
                    for i, s in enumerate(students)]
    plan = random_plan(students, rotations, seed=seed)
    dated = [Rotation(r.number, r.groups, date(2026, 8, 17 + 21 * (r.number - 1)), date(2026, 9, 4 + 21 * (r.number - 1))) if r.number == 1 else r
             for r in plan.rotations]
    return plan.with_rotations(dated)


def load(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_xlsx_has_overview_and_one_sheet_per_rotation(lang):
    plan = plan_of(11, 3)
    wb = load(plan_to_xlsx(plan, lang))
    assert wb.sheetnames == [t("export.sheet_overview", lang)] + [t("export.sheet_rotation", lang, number=i) for i in (1, 2, 3)]
    for r, ws in zip(plan.rotations, wb.worksheets[1:]):
        names = [row[2] for row in ws.iter_rows(min_row=2, values_only=True)]
        assert sorted(names) == sorted(s.name for s in plan.students)  # everyone exactly once
        for g, p, name, sid, *_ in ws.iter_rows(min_row=2, values_only=True):
            gi, pi = g - 1, p - 1
            assert sid in r.groups[gi][pi] and plan.name(sid) == name
        assert ws.freeze_panes == "A2" and ws["A1"].font.bold
    overview = wb.worksheets[0]
    rows = list(overview.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 11
    first = plan.rotations[0]
    gi = first.group_of()
    row = next(r for r in rows if r[1] == plan.students[0].id)
    pair_no = list(first.groups[gi[row[1]]]).index(first.pair_of()[row[1]]) + 1
    assert row[2] == t("export.cell_position", lang, group=gi[row[1]] + 1, pair=pair_no)
    start = wb.worksheets[1]["E2"]
    assert start.is_date and start.value.date() == date(2026, 8, 17)  # a date Excel can sort and filter
    assert start.number_format == ("D MMM YYYY" if lang == "en" else "DD.MM.YYYY")
    assert wb.worksheets[2]["E2"].value is None  # rotation 2 has no dates


def test_xlsx_properties_hold_no_personal_data():
    plan = plan_of()
    wb = load(plan_to_xlsx(plan))
    props = wb.properties
    assert props.creator == "makker" and props.lastModifiedBy == "makker"
    text = " ".join(str(v) for v in vars(props).values() if v)
    assert not any(s.name in text or s.first in text for s in plan.students)


def test_hostile_names_are_text_never_formulas():
    plan = plan_of(12, 2, hostile=True)
    wb = load(plan_to_xlsx(plan, with_attributes=True))
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                seen.add(cell.value)
    # XML turns a carriage return into a line feed on reading; the name is still there, as text
    assert {h.replace("\r", "\n") for h in HOSTILE} <= {str(v).replace("\r", "\n") for v in seen}
    rows = list(csv.reader(io.StringIO(plan_to_csv(plan).decode("utf-8-sig")), delimiter=";"))
    cells = [c for row in rows for c in row]
    for h in HOSTILE:
        assert "'" + h in cells
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)


def test_safe_text():
    assert safe_text("=1+1") == "'=1+1" and safe_text("@x") == "'@x" and safe_text("\tx") == "'\tx"
    assert safe_text("Nora Hansen") == "Nora Hansen" and safe_text("O'Brien") == "O'Brien"
    assert safe_text(None) == "" and safe_text(12) == "12"


def test_csv_is_norwegian_excel_friendly():
    plan = plan_of(9, 2)
    data = plan_to_csv(plan, "nb")
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Makkerperiode", "Fra", "Til", "Gruppe", "Par", "Elev-ID", "Navn"]
    assert len(rows) == 1 + 9 * 2
    for rot in (1, 2):
        assert sorted(r[6] for r in rows[1:] if r[0] == str(rot)) == sorted(s.name for s in plan.students)
    assert rows[1][1] == "17.08.2026"
    assert plan_to_csv(plan, "en").decode("utf-8-sig").startswith("Rotation;From;To")


def test_exports_hold_no_rules_gender_or_school():
    plan = plan_of(16, 3, seed=2)
    rules = realistic_rules(plan.students, 2, never=2, apart=2)
    assert rules.never and rules.apart
    xlsx = load(plan_to_xlsx(plan))
    cells = [str(c.value) for ws in xlsx.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    csv_text = plan_to_csv(plan).decode("utf-8-sig")
    schools = {s.school for s in plan.students}
    for blob in ("\n".join(cells), csv_text):
        assert not any(school in blob for school in schools)
        for word in ("Kjønn", "Ungdomsskole", "aldri", "helst", "never", "apart"):
            assert word.lower() not in blob.lower()
    assert not any(c in ("K", "M") for c in cells)
    with_attr = plan_to_csv(plan, with_attributes=True).decode("utf-8-sig")
    assert any(school in with_attr for school in schools)


def test_write_plan_by_suffix(tmp_path):
    plan = plan_of(8, 2)
    assert Plan.load(write_plan(plan, tmp_path / "p.json")).to_json() == plan.to_json()
    assert load((write_plan(plan, tmp_path / "p.xlsx", "en")).read_bytes()).sheetnames[0] == "Overview"
    assert (write_plan(plan, tmp_path / "p.CSV")).read_bytes().startswith(b"\xef\xbb\xbf")
    with pytest.raises(MakkerError) as err:
        write_plan(plan, tmp_path / "p.docx")
    assert "p.docx" in err.value.message("nn")


def test_export_filename():
    assert export_filename("1STA", "makkerplan", 2, "xlsx") == "1STA_makkerplan_makkerperiode-2.xlsx"
    assert export_filename("1STA", "network", 3, ext="png", lang="en") == "1STA_network_rotation-3.png"
    assert export_filename("2ELEA", "sitteplan", ext=".pdf") == "2ELEA_sitteplan.pdf"
    name = export_filename("../../etc/Bø Vg1 <x>", 'plan"; rm', 1, "svg")
    assert re.fullmatch(r"[A-Za-z0-9_-]+\.[A-Za-z0-9]+", name) and "Bo" in name
    assert export_filename("", "", None, "csv") == "makker.csv"


def test_data_link_is_escaped_and_carries_the_bytes():
    payload = bytes(range(256))
    link = data_link(payload, 'a"><script>.csv', "text/csv", "<b>Last ned</b>", css_class="makker-download-csv")
    assert "<script>" not in link and "<b>" not in link
    assert 'download="a&quot;&gt;&lt;script&gt;.csv"' in link
    b64 = re.search(r'base64,([A-Za-z0-9+/=]+)"', link).group(1)
    assert base64.b64decode(b64) == payload
    assert html.unescape(re.search(r">(.*)</a>", link).group(1)) == "<b>Last ned</b>"
    assert 'class="makker-download-csv"' in link


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_name = st.tuples(st.sampled_from(["=", "+", "-", "@", "\t", "\r", "", "'", " ="]),
                  st.text(min_size=0, max_size=20)).map("".join).filter(lambda s: s.strip())


@settings(max_examples=25, deadline=None)
@given(names=st.lists(_name, min_size=4, max_size=9, unique=True))
def test_any_names_give_formula_free_files(names):
    students = [Student(str(i), name, klass="1STA") for i, name in enumerate(names)]
    plan = random_plan(students, 2, seed=1)
    wb = load(plan_to_xlsx(plan))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            assert all(cell.data_type != "f" for cell in row)
    rows = list(csv.reader(io.StringIO(plan_to_csv(plan).decode("utf-8-sig"), newline=""), delimiter=";"))
    assert len(rows) == 1 + 2 * len(names)
    assert not any(row[6].startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows[1:])
