"""The «Evaluering» tab in a real browser: upload a survey export, see the chart, download the report and read it."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import dash
import pytest

from makker import evaluation as ev
from makker.i18n import percent, t

pytestmark = pytest.mark.browser

SURVEY = "evaluering_elever_2025-26.xlsx"
CHECKER = (Path(__file__).parent / "a11y.js").read_text(encoding="utf-8")


def test_upload_a_survey_see_the_chart_and_read_the_report(page, voila_server, sample_dir, tmp_path):
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) not installed: run tools/ensure_browser.sh as root")
    school = {f.statement: f for f in ev.figures(ev.read_survey(sample_dir / SURVEY)) if f.kind == "school"}
    dash.open_dashboard(page, voila_server)
    dash.select_tab(page, "evaluation")
    assert dash.tab_labels(page)[dash.TABS["evaluation"]] == t("evaluation.tab", "nb")
    dash.upload(page, sample_dir / SURVEY, ".makker-eval-upload")

    # the chart, with the national figure beside the school's for every statement
    info = dash.wait_image(page, ".makker-eval-chart")
    assert info["w"] > 300 and info["src"].startswith("data:image/svg+xml")
    chart = re.sub(r"\s+", " ", dash.text_of(page, ".makker-eval-chart"))
    for key, f in school.items():
        assert t("evaluation.chart.caption_school", "nb", statement=t(f"evaluation.statement.{key}", "nb"),
                 school=percent(f.share, "nb"), national=percent(f.national, "nb")) in chart
    assert "1EL" not in dash.visible_text(page)  # the class with 3 answers is never shown
    assert page.locator(".makker-eval-match select").count() == 6  # five statements and the comment column
    found = page.evaluate(CHECKER)  # the tab's dropdowns, links and charts: named, labelled, readable
    assert found["names"] == [] and found["labels"] == [] and found["contrast"] == [], found

    # the two-page report, read back with pdftotext
    pdf = dash.download(page, ".makker-download-eval-pdf a", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = re.sub(r"\s+", " ", text)
    assert t("evaluation.report.title", "nb") in text
    for key, f in school.items():
        assert t(f"evaluation.statement.{key}", "nb") in text
        assert percent(f.share, "nb") in text and percent(f.national, "nb") in text
    assert "1EL" not in text
    assert page.watch.errors == []
