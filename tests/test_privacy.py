"""Privacy: national ID numbers, birth dates and rules never leave the importer.

A class list with fake fødselsnummer and birth dates (in named columns, in a
column with an innocent heading, and in the id column itself) goes through
every way makker produces output: ``makker roster`` (text and JSON),
``makker plan`` (.json, .xlsx, .csv), ``makker check``, ``makker pack`` (PDF
text), the charts (SVG text and PDF text), the Excel/CSV exports with
attributes, and the SQLite workspace with its backups. Every output is
searched for every sensitive value. The same outputs must not carry
never-together / preferably-apart rules, and the plan file must have no place
for them.

Each search has a positive control (a student name that must be found), so a
format the search cannot read (e.g. SVG text drawn as paths) fails the test
instead of passing it silently.
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from makker.cli import main as cli_main
from makker.fictional import fictional_students, pseudonymise
from makker.plan import Plan
from makker.roster import read_rosters
from makker.rules import Rules, pair

N = 14
STUDENTS = fictional_students(N, seed=11, klass="1STA")
FNR = [f"{(i % 28) + 1:02d}{(i % 12) + 1:02d}09{47100 + 13 * i:05d}" for i in range(N)]
BIRTH = [datetime(2009, (i % 12) + 1, (i % 28) + 1) for i in range(N)]
RULE_WORDS = ("aldri sammen", "aldri saman", "never together", "never-together", "helst ikke sammen",
              "helst ikkje saman", "preferably apart", "preferably-apart", "mobbing", "bullying")


def sensitive_strings() -> list[str]:
    """Every way a test value could leak: whole, split, or reformatted."""
    out = []
    for fnr, born in zip(FNR, BIRTH):
        out += [fnr, f"{fnr[:6]} {fnr[6:]}", fnr[6:], born.strftime("%d.%m.%Y"), born.date().isoformat()]
    return out


SENSITIVE = sensitive_strings()


def assert_clean(text: str, where: str, *, expect_names: bool = True) -> None:
    """No sensitive value and no rule wording in ``text``; a real name must be there."""
    for value in SENSITIVE:
        assert value not in text, f"{value!r} leaked into {where}"
    low = text.casefold()
    for word in RULE_WORDS:
        assert word not in low, f"rule wording {word!r} in {where}"
    if expect_names:
        assert any(s.last in text for s in STUDENTS), f"positive control: no student name found in {where}"


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """The class list (CSV and Excel), its rule files, and an output folder."""
    d = tmp_path_factory.mktemp("privacy")
    header = ["Klasse", "Elevnummer", "Fornavn", "Etternavn", "Kjønn", "Ungdomsskole", "Fødselsnummer",
              "Fødselsdato", "Født", "Personnr", "Merknad"]
    rows = [[s.klass, s.id, s.first, s.last, s.gender, s.school, fnr, born.strftime("%d.%m.%Y"),
             born.strftime("%d.%m.%Y"), f"{fnr[:6]} {fnr[6:]}", fnr]
            for s, fnr, born in zip(STUDENTS, FNR, BIRTH)]
    csv_path = d / "1STA.csv"
    csv_path.write_text("\r\n".join(";".join(r) for r in [header] + rows) + "\r\n", encoding="cp1252")
    # The id column itself holds fødselsnummer (it happens: "ID" exported from the wrong field).
    id_fnr = d / "id_er_fnr.csv"
    id_fnr.write_text("\r\n".join(";".join([r[0], r[6], r[2], r[3], r[4]]) for r in [header] + rows) + "\r\n",
                      encoding="utf-8")
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r, born in zip(rows, BIRTH):
        ws.append(r[:7] + [born, born] + r[9:])  # real Excel dates, not text
    xlsx_path = d / "1STA.xlsx"
    wb.save(xlsx_path)
    a, b, c, e = STUDENTS[0], STUDENTS[1], STUDENTS[2], STUDENTS[3]
    (d / "aldri.csv").write_text(f"{a.name};{b.name}\r\n", encoding="utf-8")
    (d / "helst_ikke.csv").write_text(f"{c.id};{e.id}\r\n", encoding="utf-8")
    out = d / "out"
    out.mkdir()
    return {"csv": csv_path, "xlsx": xlsx_path, "id_fnr": id_fnr, "never": d / "aldri.csv",
            "apart": d / "helst_ikke.csv", "out": out}


def run_cli(capsys, *argv) -> str:
    code = cli_main([*map(str, argv)])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out + err


@pytest.mark.parametrize("kind", ["csv", "xlsx", "id_fnr"])
def test_importer_keeps_nothing_sensitive(files, kind):
    result = read_rosters(files[kind])
    roster = result.rosters[0]
    assert len(roster) == N
    dump = json.dumps([s.__dict__ for s in roster.students], ensure_ascii=False, default=str)
    assert_clean(dump, f"roster from {kind}")
    warnings = " ".join(w.render(lang) for w in result.all_warnings() for lang in ("nb", "nn", "en"))
    assert_clean(warnings, f"warnings of {kind}", expect_names=False)
    assert any(w.key in ("roster.dropped_sensitive", "roster.dropped_id_like") for w in result.all_warnings())


@pytest.mark.parametrize("kind", ["csv", "xlsx", "id_fnr"])
def test_roster_command_output(files, kind, capsys):
    text = run_cli(capsys, "roster", files[kind])
    assert_clean(text, f"makker roster {kind}", expect_names=False)
    data = run_cli(capsys, "roster", files[kind], "--json", "--lang", "en")
    assert_clean(data, f"makker roster --json {kind}", expect_names=False)
    assert json.loads(data)["classes"][0]["students"] == N


@pytest.fixture(scope="module")
def planned(files):
    """``makker plan`` with both rule files, written as .json, .xlsx and .csv."""
    import contextlib

    outs = {}
    for suffix in ("json", "xlsx", "csv"):
        path = files["out"] / f"plan.{suffix}"
        buf_out, buf_err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(buf_out), contextlib.redirect_stderr(buf_err):
            code = cli_main(["plan", str(files["xlsx"]), "--never", str(files["never"]), "--apart", str(files["apart"]),
                             "--rotations", "2", "--time-limit", "3", "--out", str(path)])
        assert code == 0, buf_err.getvalue()
        outs[suffix] = (path, buf_out.getvalue() + buf_err.getvalue())
    return outs


def test_plan_command_outputs(planned):
    for suffix, (path, console) in planned.items():
        assert_clean(console, f"makker plan console ({suffix})", expect_names=False)
        # positive control: the summary (counts of goals, the final figures' seconds) is in the console
        assert "ikke helt nådd" in console or "når alle målene" in console
        assert "var nådd etter" in console
    plan_json = planned["json"][0].read_text(encoding="utf-8")
    assert_clean(plan_json, "plan.json")
    data = json.loads(plan_json)
    assert set(data) == {"format", "version", "class", "students", "rotations"}  # no place for rules
    for s in data["students"]:
        assert set(s) <= {"id", "name", "gender", "school"}
    assert_clean(planned["csv"][0].read_bytes().decode("utf-8-sig"), "plan.csv")
    assert_clean(xlsx_text(planned["xlsx"][0].read_bytes()), "plan.xlsx")


def test_plan_keeps_the_never_together_pair_apart(planned):
    """The rule was used (so the files above really came from a plan with rules)."""
    plan = Plan.load(planned["json"][0])
    a, b = STUDENTS[0].id, STUDENTS[1].id
    for rotation in plan.rotations:
        assert pair(a, b) not in rotation.group_links()


def xlsx_text(data: bytes) -> str:
    import zipfile

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data))
    cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    with zipfile.ZipFile(io.BytesIO(data)) as z:  # document properties, shared strings, everything
        parts = [z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml")]
    return "\n".join(cells + parts)


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    meta = " ".join(str(v) for v in (reader.metadata or {}).values())
    return meta + "\n" + "\n".join(page.extract_text() or "" for page in reader.pages)


def pairs_in(data):
    """Every two-string list/tuple anywhere in a JSON value, as a set."""
    if isinstance(data, dict):
        for value in data.values():
            yield from pairs_in(value)
    elif isinstance(data, list):
        if len(data) == 2 and all(isinstance(x, str) for x in data):
            yield set(data)
        for value in data:
            yield from pairs_in(value)


def test_check_and_pack_commands(planned, files, capsys):
    plan_path = planned["json"][0]
    text = run_cli(capsys, "check", plan_path, "--never", files["never"])
    assert_clean(text, "makker check", expect_names=False)
    never = {STUDENTS[0].id, STUDENTS[1].id}
    assert never not in list(pairs_in(json.loads(text))), "makker check lists the never-together pair"
    pack = files["out"] / "pakke.pdf"
    console = run_cli(capsys, "pack", plan_path, "--rotation", "1", "--out", pack)
    assert_clean(console, "makker pack console", expect_names=False)
    assert_clean(pdf_text(pack.read_bytes()), "class pack PDF")


@pytest.fixture(scope="module")
def imported_plan(files, planned):
    """The plan with the importer's own Student objects (which carry the kept-aside columns)."""
    roster = read_rosters(files["xlsx"]).rosters[0]
    plan = Plan.load(planned["json"][0])
    return Plan(plan.klass, roster.students, plan.rotations)


def test_exports_with_attributes(imported_plan):
    from makker.export import plan_to_csv, plan_to_xlsx

    for lang in ("nb", "nn", "en"):
        assert_clean(xlsx_text(plan_to_xlsx(imported_plan, lang, with_attributes=True)), f"xlsx {lang}")
        assert_clean(plan_to_csv(imported_plan, lang, with_attributes=True).decode("utf-8-sig"), f"csv {lang}")


def test_charts_svg_and_pdf_text(imported_plan):
    from makker import charts

    figures = {
        "seating": charts.seating_chart(imported_plan, 1, "nb"),
        "network": charts.network_chart(imported_plan, 2, "nb"),
        "heatmap": charts.heatmap_chart(imported_plan, 2, "nb"),
        "coverage": charts.coverage_chart(imported_plan, "nb"),
    }
    for name, fig in figures.items():
        svg = charts.figure_bytes(fig, "svg").decode("utf-8")
        names_expected = name != "coverage"  # the coverage curve shows no names
        assert_clean(svg, f"{name} SVG", expect_names=names_expected)
        assert_clean(pdf_text(charts.figure_bytes(fig, "pdf")), f"{name} PDF", expect_names=names_expected)


def test_workspace_file_and_backups(files, imported_plan, tmp_path):
    from makker.store import Workspace

    roster = read_rosters(files["xlsx"]).rosters[0]
    ws = Workspace(tmp_path / "2026-2027.sqlite")
    rev = ws.save_roster(roster)
    rules = Rules(never={pair(STUDENTS[0].id, STUDENTS[1].id)}, apart={pair(STUDENTS[2].id, STUDENTS[3].id)})
    rev = ws.save_rules("1STA", rules, rev)
    ws.save_plan("1STA", imported_plan, rev)
    ws.backup()
    blobs = [ws.path.read_bytes()] + [b.read_bytes() for b in ws.backups()]
    for blob in blobs:
        text = blob.decode("latin-1")
        for value in SENSITIVE:
            assert value not in text and value.encode("utf-8").decode("latin-1") not in text
        assert STUDENTS[0].last.encode() in blob  # positive control
    # Rules are id pairs: no column for a reason, a note or a name.
    with sqlite3.connect(ws.path) as conn:
        cols = [r[1] for r in conn.execute("PRAGMA table_info(rules)")]
        everything = [r[1].casefold() for t in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
                      for r in conn.execute(f"PRAGMA table_info({t[0]})")]
    assert set(cols) <= {"kind", "klass_a", "a", "klass_b", "b"}, cols
    assert not [c for c in everything if re.search(r"reason|grunn|fødsel|fodsel|birth|personn|fnr", c)]
    assert ws.rules("1STA") == rules


# ---------------------------------------------------------------- training mode
MARKED = [s.__class__(s.id, f"Zqx{s.first} Vwj{s.last}", f"Zqx{s.first}", f"Vwj{s.last}", s.klass, s.gender, s.school)
          for s in STUDENTS]


def test_pseudonymise_replaces_every_name_consistently():
    fake = pseudonymise(MARKED, seed=1)
    assert [s.id for s in fake] == [s.id for s in MARKED]
    assert [s.gender for s in fake] == [s.gender for s in MARKED]
    assert len({s.name for s in fake}) == len(fake)
    for s in fake:
        assert "Zqx" not in s.name + s.first + s.last and "Vwj" not in s.name + s.first + s.last
    again = pseudonymise(MARKED, seed=1)
    assert [s.name for s in again] == [s.name for s in fake]  # same id -> same invented name


def test_pseudonymised_plan_charts_and_exports_leak_no_real_name():
    from makker import charts
    from makker.baseline import random_plan
    from makker.export import plan_to_csv, plan_to_xlsx

    real = random_plan(MARKED, 2, seed=3, klass="1STA")
    fake_students = pseudonymise(MARKED, seed=1)
    fake = Plan(real.klass, fake_students, real.rotations)  # same groups, other names
    outputs = {
        "json": fake.dumps(),
        "xlsx": xlsx_text(plan_to_xlsx(fake, "nb", with_attributes=True)),
        "csv": plan_to_csv(fake, "nb").decode("utf-8-sig"),
        "seating": charts.figure_bytes(charts.seating_chart(fake, 1, "nb"), "svg").decode(),
        "network": charts.figure_bytes(charts.network_chart(fake, 2, "nb"), "svg").decode(),
    }
    for where, text in outputs.items():
        assert "Zqx" not in text and "Vwj" not in text, f"a real name leaked into {where}"
    # consistent: the name the export gives a student is the one the JSON gives the same id
    by_id = {s["id"]: s["name"] for s in json.loads(outputs["json"])["students"]}
    for row in outputs["csv"].splitlines()[1:]:
        cells = row.split(";")
        sid, name = cells[5], cells[6]
        assert by_id[sid] == name
    assert any(s.first in outputs["seating"] for s in fake_students)  # positive control


@pytest.mark.parametrize("n", [4, 15, 28, 40])
def test_no_real_name_reappears_on_another_student(n):
    """Real classes share names with the invented pool ("Emma Hansen"): such a name must not be handed out."""
    for seed in range(8):
        for girls in (0.0, 0.5, 1.0):
            real = fictional_students(n, seed=seed, girls=girls)  # drawn from the very pool pseudonymise uses
            fake = pseudonymise(real, seed=seed)
            assert not {s.name for s in fake} & {s.name for s in real}
            assert len({s.name for s in fake}) == n
            assert [s.gender for s in fake] == [s.gender for s in real]
