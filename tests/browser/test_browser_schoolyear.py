"""The school year: plan, publish rotation 1, reload the page, and everything is still there."""
from __future__ import annotations

import re
import shutil

import dash
import pytest

from makker.i18n import t
from makker.roster import read_rosters

pytestmark = pytest.mark.browser


def test_plan_publish_reload_everything_still_there(browser_context, workspace_server, sample_dir, tmp_path):
    server, workspace = workspace_server
    src = tmp_path / "klasse_1BAA.csv"
    shutil.copy(sample_dir / "vg1_yrkesfag_15.csv", src)
    roster = read_rosters(src).rosters[0]
    page = browser_context.new_page()
    page.set_default_timeout(60_000)
    try:
        dash.open_with_class_list(page, server, src)
        dash.plan_and_see_it_saved(page, roster.klass)
        dash.choose(page, ".makker-publish-rotation", "1")
        page.click(".makker-publish-button")
        dash.wait_text(page, ".makker-published", re.escape(t("schoolyear.ui.published_list", "nb", numbers="1")))
        page.close(run_before_unload=True)

        # a new page is a new kernel: nothing but the workspace file carries the work over
        page = browser_context.new_page()
        page.set_default_timeout(60_000)
        dash.open_dashboard(page, server)
        dash.select_tab(page, "schoolyear")
        dash.wait_text(page, ".makker-published", re.escape(t("schoolyear.ui.published_list", "nb", numbers="1")))
        assert t("schoolyear.ui.restored", "nb", klass=roster.klass) in dash.text_of(page, ".makker-schoolyear-status")
        options = page.locator(".makker-publish-rotation select option").all_inner_texts()
        assert [o.strip() for o in options] == ["2", "3"]  # rotation 1 is locked
        dash.select_tab(page, "see")
        dash.wait_text(page, ".makker-plan-table", re.escape(t("app.see.table_caption", "nb", number=1)))
        table = dash.text_of(page, ".makker-plan-table")
        assert sum(s.name in table for s in roster.students) == 15
        assert dash.text_of(page, ".makker-error").strip() == ""
    finally:
        page.close(run_before_unload=True)
    assert workspace.exists()
