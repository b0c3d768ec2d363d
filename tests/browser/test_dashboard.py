"""The coordinator's whole round trip in a real browser.

One page (one kernel) walks through the steps in order, like a coordinator:
upload a class list, move a slider, run «Lag plan», look at the charts,
download Excel and PNG, switch to nynorsk, turn on presentation mode.
"""
from __future__ import annotations

import io
import re
import shutil

import dash
import pytest

from makker.i18n import t
from makker.roster import read_rosters

pytestmark = pytest.mark.browser

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ROTATIONS = 3


@pytest.fixture(scope="module")
def flow(browser_context, voila_server, sample_dir, tmp_path_factory):
    """The shared page plus what the test knows about the uploaded class."""
    folder = tmp_path_factory.mktemp("flow")
    src = folder / "klasse_1BAA.csv"
    shutil.copy(sample_dir / "vg1_yrkesfag_15.csv", src)
    page = browser_context.new_page()
    page.set_default_timeout(60_000)
    from conftest import PageWatch

    page.watch = PageWatch(page)
    state = {"page": page, "src": src, "roster": read_rosters(src).rosters[0], "dir": folder}
    yield state
    page.close(run_before_unload=True)


def test_upload_and_slider_preview(flow, voila_server):
    page = flow["page"]
    dash.open_with_class_list(page, voila_server, flow["src"])

    dash.select_tab(page, "tune")
    dash.wait_text(page, ".makker-preview-table", re.escape(t("app.see.table_caption", "nb", number=1)))
    count = page.locator(".makker-preview-table [data-preview-count]").get_attribute("data-preview-count")
    slider = ".makker-weight-gender"
    before = int(dash.slider_value(page, slider))
    dash.nudge_slider(page, slider, "ArrowRight" if before < 10 else "ArrowLeft")
    dash.wait_text(page, f"{slider} .widget-readout", rf"^\s*{before + (1 if before < 10 else -1)}\s*$")
    # A new fast preview of rotation 1 (table + seating image) follows the slider.
    page.wait_for_function(
        "(n) => { const e = document.querySelector('.makker-preview-table [data-preview-count]');"
        " return !!e && Number(e.dataset.previewCount) > n; }",
        arg=int(count),
    )
    preview = dash.text_of(page, ".makker-preview-table")
    assert sum(s.name in preview for s in flow["roster"].students) == 15
    assert dash.wait_image(page, ".makker-preview-seating")["w"] > 0


def test_lag_plan_shows_seating_network_and_coverage(flow):
    page = flow["page"]
    dash.set_slider(page, ".makker-rotations", ROTATIONS)
    dash.set_slider(page, ".makker-time-limit", 20)
    page.click(".makker-solve")
    done = re.escape(t("app.status.done", "nb", n=ROTATIONS, seconds="§")).replace("§", r"[\d.,]+")
    timed_out = re.escape(t("app.status.timed_out", "nb", n=ROTATIONS, seconds="§")).replace("§", r"[\d.,]+")
    dash.wait_text(page, ".makker-status", f"{done}|{timed_out}", timeout=120_000)
    assert not page.locator("button.makker-solve").is_disabled()

    dash.select_tab(page, "see")
    for css in (".makker-seating", ".makker-network", ".makker-heatmap", ".makker-coverage"):
        img = dash.wait_image(page, css)
        assert img["src"].startswith(("blob:", "data:image/png")), img
        assert img["w"] > 100 and img["h"] > 100, (css, img)
    table = dash.text_of(page, ".makker-plan-table")
    assert t("app.see.table_caption", "nb", number=1) in table
    assert sum(s.name in table for s in flow["roster"].students) == 15
    assert dash.text_of(page, ".makker-error").strip() == ""


def _download(page, css: str, folder):
    with page.expect_download() as info:
        page.click(css)
    download = info.value
    path = folder / download.suggested_filename
    download.save_as(path)
    return download.suggested_filename, path.read_bytes()


def test_download_excel_and_png(flow):
    import openpyxl

    page = flow["page"]
    dash.select_tab(page, "export")
    page.wait_for_selector("a.makker-download-xlsx", state="visible")

    name, data = _download(page, "a.makker-download-xlsx", flow["dir"])
    assert name.endswith(".xlsx") and flow["roster"].klass in name
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert len(book.sheetnames) >= ROTATIONS + 1  # one per rotation + overview
    cells = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value}
    text = " ".join(cells)
    for student in flow["roster"].students:
        assert student.name in text
    per_rotation = [ws for ws in book.worksheets if sum(s.name in " ".join(
        str(c.value) for row in ws.iter_rows() for c in row if c.value) for s in flow["roster"].students) == 15]
    assert len(per_rotation) >= ROTATIONS
    assert not any(str(v).startswith("=") for v in cells), "formula cell in an export"

    page.wait_for_selector("a.makker-download-png", state="visible")
    name, data = _download(page, "a.makker-download-png", flow["dir"])
    assert name.endswith(".png") and flow["roster"].klass in name
    assert data.startswith(PNG_MAGIC) and len(data) > 1000


def test_switch_to_nynorsk(flow):
    page = flow["page"]
    dash.choose(page, ".makker-lang", "Nynorsk")
    want = [t(f"app.tab.{k}", "nn") for k in ("load", "tune", "see", "export")]
    page.wait_for_function(
        "(want) => want.every((w, i) => (document.querySelectorAll('.makker-tabs .lm-TabBar-tabLabel')[i] || {}).innerText === w)",
        arg=want,
    )
    assert dash.tab_labels(page)[:4] == want
    assert t("app.title", "nn") in dash.text_of(page, ".makker-title")
    assert page.locator(".makker-title h1").get_attribute("lang") == "nn"
    page.wait_for_function("() => document.documentElement.lang === 'nn'")  # for screen readers
    dash.choose(page, ".makker-lang", "Bokmål")
    dash.wait_text(page, ".makker-tabs .lm-TabBar-tab", re.escape(t("app.tab.load", "nb")))
    page.wait_for_function("() => document.documentElement.lang === 'nb'")


def _add_never_rule(page, a: str, b: str) -> None:
    dash.select_tab(page, "load")
    dash.choose(page, ".makker-rule-kind", t("app.rules.never", "nb"))
    dash.choose(page, ".makker-rule-a", a)
    dash.choose(page, ".makker-rule-b", b)
    page.click(".makker-rule-add")
    dash.wait_text(page, ".makker-rule-list", re.escape(f"{min(a, b)} – {max(a, b)}"))


def test_presentation_mode_hides_rules_gender_and_school(flow):
    page = flow["page"]
    roster = flow["roster"]
    a, b = roster.students[0].name, roster.students[1].name
    _add_never_rule(page, a, b)
    before = dash.visible_text(page)
    assert t("app.rules.title", "nb") in before and t("app.col.gender", "nb") in before

    page.locator(".makker-presentation input[type=checkbox]").check()
    dash.wait_text(page, ".makker-title", re.escape(t("app.mode.presentation", "nb")))

    secret = [
        t("app.rules.title", "nb"), t("app.rules.never", "nb"), t("app.rules.apart", "nb"),
        f"{min(a, b)} – {max(a, b)}", t("app.col.gender", "nb"), t("app.col.school", "nb"),
        t("app.tune.weight.gender", "nb"), t("app.tune.weight.school", "nb"),
        *{s.school for s in roster.students if s.school},
    ]
    gender_words = {t("app.gender.K", "nb"), t("app.gender.M", "nb")}
    for tab in ("load", "tune", "see", "export"):
        dash.select_tab(page, tab)
        page.wait_for_timeout(300)
        shown = dash.visible_text(page)
        leaked = [s for s in secret if s in shown]
        assert leaked == [], (tab, leaked)
        assert not (gender_words & dash.words(shown)), (tab, [ln for ln in shown.splitlines() if dash.words(ln) & gender_words])
    # The names and the plan are still there for the class to see.
    dash.select_tab(page, "see")
    assert a in dash.text_of(page, ".makker-plan-table")
    page.locator(".makker-presentation input[type=checkbox]").uncheck()
    assert page.watch.dialogs == [] and page.watch.errors == []


def test_lang_from_url(page, voila_server):
    dash.open_dashboard(page, voila_server, "lang=nn")
    assert dash.tab_labels(page)[:4] == [t(f"app.tab.{k}", "nn") for k in ("load", "tune", "see", "export")]
    assert page.locator(".makker-lang select").input_value() == "Nynorsk"
    assert t("app.load.nothing", "nn") in dash.text_of(page, ".makker-roster-table")
    page.wait_for_function("() => document.documentElement.lang === 'nn'")
