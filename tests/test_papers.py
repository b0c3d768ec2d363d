"""The class papers of the whole school: one zip, a folder per class and subject group, every file opened."""

from __future__ import annotations

import io
import random
import re
import zipfile
from dataclasses import replace
from datetime import date, timedelta

import openpyxl
import pypdf
import pytest
from test_privacy import pdf_text, xlsx_text

from makker import papers, subjects
from makker.baseline import random_plan
from makker.cli import main as cli_main
from makker.fictional import SCHOOLS, fictional_roster
from makker.i18n import LANGUAGES, MakkerError, t
from makker.pack import letters_pdf
from makker.rules import Rules, pair
from makker.school import SchoolSettings
from makker.store import Workspace

START = date(2026, 8, 19)
ROTATIONS = 4
GROUP = "Matematikk R1"
RULE_WORDS = ("aldri sammen", "aldri saman", "never together", "helst ikke", "helst ikkje", "preferably apart",
              "hold sammen", "hald saman", "keep together", "regel", "rule")
GENDER_WORDS = ("jente", "gutt", "girl", "boy", "kjønn", "gender")


def _dated(plan, dates):
    return plan.with_rotations([replace(r, start=a, end=b) for r, (a, b) in zip(plan.rotations, dates)])


def _school(tmp_path, seed: int, classes: int = 4):
    """A saved school year: ``classes`` classes of random size 12–34 with never-together, preferably-apart
    and keep-together rules, a subject group saved as a class, and one class without a plan."""
    rng = random.Random(seed)
    ws = Workspace(tmp_path / f"year-{seed}.sqlite")
    dates = SchoolSettings(START, "", 3, ROTATIONS).dates()
    rosters = [fictional_roster(rng.randint(12, 34), seed=seed * 10 + i, klass=f"{1 + i // 4}ST{'ABCD'[i % 4]}",
                                id_start=4001 + 100 * i) for i in range(classes)]
    plans = {}
    for r in rosters:
        ids = r.ids()
        a, b, c, d, e, f = rng.sample(ids, 6)
        rules = Rules(never={pair(a, b)}, apart={pair(c, d)}, keep={1: {pair(e, f)}})
        rev = ws.save_rules(r.klass, rules, ws.save_roster(r))
        plan = _dated(random_plan(r.students, ROTATIONS, seed=seed, rules=rules, reject_hard=True), dates)
        ws.save_plan(r.klass, plan, rev)
        plans[r.klass] = plan
    members = [(s.klass, s.id) for r in rosters[:2] for s in rng.sample(r.students, 7)]
    group = subjects.from_workspace(ws, GROUP, members)
    rev = subjects.save(ws, group)
    gplan = _dated(random_plan(group.roster.students, ROTATIONS, seed=seed, klass=GROUP), dates)
    ws.save_plan(GROUP, gplan, rev)
    plans[GROUP] = gplan
    ws.save_roster(fictional_roster(15, seed=seed, klass="3STX", id_start=9001))  # saved, never planned
    return ws, plans


def _ics_events(text: str) -> list[dict]:
    """The VEVENTs of an iCalendar text (RFC 5545: unfold continuation lines, then split NAME;PARAMS:VALUE)."""
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    lines = re.sub(r"\r\n[ \t]", "", text).split("\r\n")
    events, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None and ":" in line:
            name, value = line.split(":", 1)
            current[name.split(";")[0]] = value
    return events


def _pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_folder_per_class_and_subject_group_holds_plan_pack_calendar_and_letters_and_each_opens(tmp_path, seed):
    ws, plans = _school(tmp_path, seed)
    today = START + timedelta(days=10)  # inside rotation 1: the next pack is rotation 2's
    result = papers.from_workspace(ws, "nb", today=today)
    zf = zipfile.ZipFile(io.BytesIO(result.data))
    assert zf.testzip() is None
    folders = {name.split("/")[0] for name in zf.namelist() if "/" in name}
    assert folders == {f.folder for f in result.folders} and len(folders) == len(plans)
    assert result.not_planned == ("3STX",)
    for folder in result.folders:
        plan = plans[folder.klass]
        names = [n for n in zf.namelist() if n.startswith(folder.folder + "/")]
        by_kind = {kind: [n for n in names if n.endswith("." + kind)] for kind in ("xlsx", "pdf", "ics")}
        assert len(names) == 4 and len(by_kind["xlsx"]) == 1 and len(by_kind["ics"]) == 1 and len(by_kind["pdf"]) == 2
        # the plan: every student on the overview sheet, one sheet per rotation
        wb = openpyxl.load_workbook(io.BytesIO(zf.read(by_kind["xlsx"][0])))
        assert len(wb.sheetnames) == 1 + ROTATIONS
        listed = {row[0] for row in wb.worksheets[0].iter_rows(min_row=2, values_only=True)}
        assert listed == {s.name for s in plan.students}
        # the class pack of the next rotation, with every name of the class
        assert folder.rotations == (2,)
        pack = next(n for n in by_kind["pdf"] if "klassepakke" in n)
        assert pack.endswith("makkerperiode-2.pdf")
        text = " ".join(" ".join(p.split()) for p in _pdf_pages(zf.read(pack)))
        assert all(s.name in text for s in plan.students)
        # the change dates: one all-day event per rotation, on the plan's dates
        events = _ics_events(zf.read(by_kind["ics"][0]).decode("utf-8"))
        assert [e["DTSTART"] for e in events] == [r.start.strftime("%Y%m%d") for r in plan.rotations]
        assert [e["DTEND"] for e in events] == [(r.end + timedelta(days=1)).strftime("%Y%m%d") for r in plan.rotations]
        # the letters to students and parents
        letters = next(n for n in by_kind["pdf"] if n != pack)
        letter_text = " ".join(_pdf_pages(zf.read(letters)))
        assert len(_pdf_pages(zf.read(letters))) >= 2 and "foresatte" in letter_text.casefold()


def test_the_year_wheel_lists_every_class_and_every_change_in_date_order(tmp_path):
    ws, plans = _school(tmp_path, 5, classes=6)
    result = papers.from_workspace(ws, "nb")
    zf = zipfile.ZipFile(io.BytesIO(result.data))
    assert result.overview_name in zf.namelist() and "/" not in result.overview_name
    wb = openpyxl.load_workbook(io.BytesIO(zf.read(result.overview_name)))
    classes, changes = wb.worksheets
    rows = list(classes.iter_rows(min_row=2, values_only=True))
    shown = {subjects.shown_name(p, "nb"): p for p in plans.values()}
    assert [r[0] for r in rows[:-1]] == [subjects.shown_name(plans[f.klass], "nb") for f in result.folders]
    for row in rows[:-1]:
        plan = shown[row[0]]
        assert row[1] == len(plan.students)
        assert [c.date() for c in row[2:]] == [r.start for r in plan.rotations]
    assert rows[-1][0] == "3STX" and rows[-1][2] == t("papers.not_planned", "nb")
    long = list(changes.iter_rows(min_row=2, values_only=True))
    assert len(long) == ROTATIONS * len(plans)
    days = [r[0].date() for r in long]
    assert days == sorted(days)
    assert {(r[0].date(), r[1], r[2]) for r in long} == {
        (rot.start, subjects.shown_name(p, "nb"), rot.number) for p in plans.values() for rot in p.rotations}


def test_all_rotations_gives_one_pack_per_rotation(tmp_path):
    ws, plans = _school(tmp_path, 7, classes=2)
    result = papers.from_workspace(ws, "en", all_rotations=True)
    zf = zipfile.ZipFile(io.BytesIO(result.data))
    for folder in result.folders:
        packs = sorted(n for n in zf.namelist() if n.startswith(folder.folder + "/") and "class-pack" in n)
        assert folder.rotations == tuple(range(1, ROTATIONS + 1))
        assert packs == sorted(f"{folder.folder}/{folder.folder}_class-pack_rotation-{k}.pdf" for k in folder.rotations)
        for k, name in zip(range(1, ROTATIONS + 1), sorted(packs)):
            first = " ".join(_pdf_pages(zf.read(name))[0].split())
            assert f"Rotation {k}" in first, (name, first[:200])


@pytest.mark.parametrize("today, expected", [
    (START - timedelta(days=30), 1), (START, 1), (START + timedelta(days=1), 2), (date(2027, 6, 30), ROTATIONS)])
def test_the_next_rotation_is_the_first_that_starts_today_or_later(tmp_path, today, expected):
    _, plans = _school(tmp_path, 9, classes=1)
    plan = plans["1STA"]
    assert papers.next_rotation(plan, today) == expected
    undated = plan.with_rotations([replace(r, start=None, end=None) for r in plan.rotations])
    assert papers.next_rotation(undated, today) == 1


def test_no_gender_no_previous_school_and_no_rule_in_any_file(tmp_path):
    ws, plans = _school(tmp_path, 11, classes=3)
    for lang in LANGUAGES:
        zf = zipfile.ZipFile(io.BytesIO(papers.from_workspace(ws, lang, all_rotations=True).data))
        seen_names = 0
        for name in zf.namelist():
            data = zf.read(name)
            text = (xlsx_text(data) if name.endswith(".xlsx") else pdf_text(data) if name.endswith(".pdf")
                    else data.decode("utf-8"))
            low = text.casefold()
            for school in SCHOOLS:
                assert school.casefold() not in low, (lang, name, school)
            if t("papers.file_letters", lang) in name:
                # the letters are the same for every class and name no student: they explain the programme
                assert text.split("\n", 1)[1] == pdf_text(letters_pdf(lang)).split("\n", 1)[1]
                continue
            for word in RULE_WORDS + GENDER_WORDS:
                assert not re.search(rf"\b{re.escape(word)}\b", low), (lang, name, word)
            seen_names += any(s.name in text for p in plans.values() for s in p.students)
        assert seen_names >= 2 * len(plans)  # positive control: the plans and the packs name the students


def test_no_plan_anywhere_is_a_clear_message_not_an_empty_zip(tmp_path):
    ws = Workspace(tmp_path / "empty.sqlite")
    ws.save_roster(fictional_roster(14, seed=1, klass="1STA"))
    with pytest.raises(MakkerError) as err:
        papers.from_workspace(ws, "nb")
    assert err.value.key == "papers.no_plans"


def test_the_command_writes_the_zip_and_refuses_a_wrong_name(tmp_path, capsys):
    ws, plans = _school(tmp_path, 13, classes=2)
    out = tmp_path / "skolen.zip"
    assert cli_main(["pack", "--all-classes", "--workspace", str(ws.path), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert str(out) in said and "3STX" in said
    names = zipfile.ZipFile(out).namelist()
    assert sum(n.endswith(".ics") for n in names) == len(plans)
    assert cli_main(["pack", "--all-classes", "--workspace", str(ws.path), "--out", str(tmp_path / "x.pdf")]) == 2
    assert ".zip" in capsys.readouterr().err
    assert cli_main(["pack", "--all-classes", "--workspace", str(tmp_path / "none.sqlite")]) == 2
    err = capsys.readouterr().err
    assert "none.sqlite" in err and "Traceback" not in err
    assert not (tmp_path / "none.sqlite").exists()


def test_the_command_defaults_to_the_school_years_workspace(tmp_path, capsys, monkeypatch):
    ws, plans = _school(tmp_path, 15, classes=1)
    monkeypatch.setenv("MAKKER_WORKSPACE", str(ws.path))
    monkeypatch.chdir(tmp_path)
    assert cli_main(["pack", "--all-classes", "--lang", "nn"]) == 0
    (made,) = tmp_path.glob("klassepapir_*.zip")
    assert {n.split("/")[0] for n in zipfile.ZipFile(made).namelist() if "/" in n} == {"1STA", "Matematikk-R1"}


def test_the_dashboard_model_offers_the_zip_and_drops_it_when_the_year_changes(tmp_path):
    from makker.app.overview.papers_model import SchoolPapersModel
    from makker.app.schoolyear.model import SchoolYearModel

    ws, plans = _school(tmp_path, 17, classes=2)
    year = SchoolYearModel(path=ws.path)
    model = SchoolPapersModel(year)
    assert model.make(wait=True)
    assert model.error is None and not model.running
    d = model.download
    assert d.css_class == "makker-download-school" and d.filename.endswith(".zip") and d.mime == "application/zip"
    assert 'class="makker-download-school"' in d.link()
    assert len({n.split("/")[0] for n in zipfile.ZipFile(io.BytesIO(d.data)).namelist() if "/" in n}) == len(plans)
    assert model.status.key == "papers.made_some"
    model.all_rotations = True
    assert model.download is None  # the choice changed: the next click builds it again
    empty = SchoolPapersModel(SchoolYearModel(path=tmp_path / "empty.sqlite"))
    assert empty.make(wait=True) and empty.download is None and empty.error.key == "papers.no_plans"


def test_the_view_shows_the_link_only_when_the_zip_is_ready(tmp_path):
    from makker.app.overview.papers_model import SchoolPapersModel
    from makker.app.overview.papers_view import SchoolPapersView
    from makker.app.schoolyear.model import SchoolYearModel

    ws, plans = _school(tmp_path, 19, classes=1)
    model = SchoolPapersModel(SchoolYearModel(path=ws.path, lang="nn"))
    view = SchoolPapersView(model)
    assert "makker-school-papers-panel" in view._dom_classes
    assert view.link.value == "" and view.make_btn.description == t("papers.make", "nn")
    view.make_btn.click()
    model.wait(120)
    assert '<a download="klassepapir_' in view.link.value and 'class="makker-download-school"' in view.link.value
    assert t("papers.download", "nn") in view.link.value and not view.make_btn.disabled
    assert t("papers.made_some", "nn", n=len(plans), classes="3STX") in view.message.value
    view.all_rotations.value = True
    assert model.all_rotations and view.link.value == ""
