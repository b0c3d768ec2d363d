"""The whole school from one page: upload a 12-class file, set the school once, plan every class, reload."""
from __future__ import annotations

import csv
import re

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
        dash.open_dashboard(page, server)
        page.locator(dash.TAB).nth(OVERVIEW_TAB).click()
        dash.wait_text(page, ".makker-school-overview", re.escape(CLASSES[-1]))
        rows = page.locator(".makker-overview-row").all_inner_texts()
        assert [r.split()[0] for r in rows] == CLASSES
        assert all(t("overview.status.planned", "nb", n=3) in r for r in rows)
        assert page.locator(".makker-school-start input").first.input_value() == "2026-08-19"
        assert dash.text_of(page, ".makker-error").strip() == ""
    finally:
        page.close(run_before_unload=True)
