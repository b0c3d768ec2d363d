"""Loading: open the dashboard, upload a class list through the file chooser,
and see the roster summary (served by a real Voila, driven in Chromium)."""
from __future__ import annotations

import re
import shutil

import dash
import pytest

from makker.i18n import t
from makker.roster import read_rosters

pytestmark = pytest.mark.browser


def test_upload_through_file_chooser_shows_roster_summary(page, voila_server, sample_dir, tmp_path):
    # A distinct file name proves the summary comes from *this* upload, not a sample.
    src = tmp_path / "opplasting_1BAA.csv"
    shutil.copy(sample_dir / "vg1_yrkesfag_15.csv", src)
    roster = read_rosters(src).rosters[0]

    dash.open_dashboard(page, voila_server)
    assert page.title() == "makker – VIP Makkerskap"  # from voila.json
    assert page.evaluate("document.documentElement.lang") == "nb"
    assert dash.text_of(page, ".makker-roster-table").strip() == t("app.load.nothing", "nb")

    dash.upload(page, src)
    dash.wait_text(page, ".makker-source", "opplasting_1BAA")
    dash.wait_text(page, ".makker-roster-table", re.escape(t("app.load.roster_caption", "nb", klass=roster.klass, n=15)))
    dash.wait_text(page, ".makker-roster-counts", re.escape(roster.students[0].school or ""))

    source = dash.text_of(page, ".makker-source")
    assert t("app.load.source", "nb", name=src.name, n=15) in source
    table = dash.text_of(page, ".makker-roster-table")
    assert t("app.load.roster_caption", "nb", klass=roster.klass, n=15) in table
    for student in roster.students:
        assert student.name in table
    assert page.locator(".makker-roster-table tbody tr").count() == 15

    g = roster.gender_counts()
    counts = dash.text_of(page, ".makker-roster-counts")
    assert t("app.load.gender_counts", "nb", girls=g["K"], boys=g["M"], unknown=g["unknown"]) in counts
    for school, n in roster.school_counts().items():
        assert school in counts
    assert dash.text_of(page, ".makker-error").strip() == ""
    assert page.watch.errors == []
