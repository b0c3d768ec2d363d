"""The whole school from one page: upload a 12-class file, set the school once, plan every class, reload,
and download the class papers of every class as one zip."""
from __future__ import annotations

import csv
import io
import re
import zipfile

import dash
import pytest

from makker.fictional import fictional_roster
from makker.i18n import t

pytestmark = pytest.mark.browser

OVERVIEW_TAB = 5
CLASSES = [f"{level}ST{letter}" for level in (1, 2, 3) for letter in "ABCD"]


def _school_file(path, sizes):
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["Navn", "Klasse", "Kjønn"])
        for i, (klass, n) in enumerate(zip(CLASSES, sizes)):
            for s in fictional_roster(n, seed=100 + i, klass=klass).students:
                out.writerow([s.name, klass, {"K": "J", "M": "G"}.get(s.gender, "")])
    return path


def _fill(page, css, value):
    box = page.locator(f"{css} input").first
    box.fill(str(value))
    box.press("Tab")


def test_plan_every_class_from_the_overview_and_reload(browser_context, workspace_server, tmp_path):
    server, workspace = workspace_server
    sizes = [12 + (i * 5) % 9 for i in range(12)]
    src = _school_file(tmp_path / "hele_skolen.csv", sizes)
    page = browser_context.new_page()
    page.set_default_timeout(60_000)
    page.set_default_navigation_timeout(180_000)  # a busy machine starts kernels slowly
    try:
        dash.open_with_class_list(page, server, src)
        page.locator(dash.TAB).nth(OVERVIEW_TAB).click()
        dash.wait_text(page, ".makker-school-overview", re.escape(CLASSES[-1]))
        page.locator(".makker-school-start input").first.fill("2026-08-19")
        page.locator(".makker-school-start input").first.press("Tab")
        dash.choose(page, ".makker-school-county", "Oslo")
        _fill(page, ".makker-school-rotations", 3)
        _fill(page, ".makker-school-time", 3)
        dash.wait_text(page, ".makker-school-dates", re.escape("19.08.2026"))
        page.click(".makker-plan-all")
        done = re.escape(t("overview.planned_all", "nb", ok=12, n=12))
        dash.wait_text(page, ".makker-plan-all-message", done, timeout=600_000)
        table = dash.text_of(page, ".makker-overview-figures")
        assert table.count(t("overview.status.planned", "nb", n=3)) == 12
        page.close(run_before_unload=True)

        page = browser_context.new_page()  # a reload: a new kernel, only the saved school year carries over
        page.set_default_timeout(60_000)
        page.set_default_navigation_timeout(180_000)
        dash.open_dashboard(page, server)
        page.locator(dash.TAB).nth(OVERVIEW_TAB).click()
        dash.wait_text(page, ".makker-school-overview", re.escape(CLASSES[-1]))
        rows = page.locator(".makker-overview-row").all_inner_texts()
        assert [r.split()[0] for r in rows] == CLASSES
        assert all(t("overview.status.planned", "nb", n=3) in r for r in rows)
        assert page.locator(".makker-school-start input").first.input_value() == "2026-08-19"
        assert dash.text_of(page, ".makker-error").strip() == ""
        _download_school_papers(page, tmp_path, sizes)
    finally:
        page.close(run_before_unload=True)


def _download_school_papers(page, folder, sizes):
    """«Lag klassepapirene», then the link ``.makker-download-school``: a folder per class with plan, pack and
    calendar, each opened (openpyxl, pypdf, the iCalendar text)."""
    import openpyxl
    import pypdf

    page.click(".makker-school-papers")
    link = page.locator("a.makker-download-school")
    link.wait_for(state="visible", timeout=600_000)
    dash.wait_text(page, ".makker-school-papers-message", re.escape(t("papers.made", "nb", n=12)))
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".zip")
    path = folder / download.suggested_filename
    download.save_as(path)
    zf = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    assert zf.testzip() is None
    names = zf.namelist()
    assert sorted({n.split("/")[0] for n in names if "/" in n}) == sorted(CLASSES)
    for klass, n in zip(CLASSES, sizes):
        files = [x for x in names if x.startswith(f"{klass}/")]
        (plan,) = [x for x in files if x.endswith("_makkerplan.xlsx")]
        (pack,) = [x for x in files if "_klassepakke_" in x]
        (ics,) = [x for x in files if x.endswith(".ics")]
        wb = openpyxl.load_workbook(io.BytesIO(zf.read(plan)))
        assert wb.worksheets[0].max_row == 1 + n and len(wb.sheetnames) == 1 + 3, klass
        reader = pypdf.PdfReader(io.BytesIO(zf.read(pack)))
        assert len(reader.pages) >= 4 and klass in reader.pages[0].extract_text(), klass
        calendar = zf.read(ics).decode("utf-8")
        assert calendar.startswith("BEGIN:VCALENDAR") and calendar.count("BEGIN:VEVENT") == 3, klass
        assert "DTSTART;VALUE=DATE:20260819" in calendar, klass
    assert any(x.endswith(".xlsx") and "/" not in x for x in names)  # the year wheel beside the folders
