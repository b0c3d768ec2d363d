"""The training page as a trainer uses it: shown at once, filled in when its plan has run.

The course is one box; the sections that show the plan (figures, rules and
sliders, the teachers' files) say that they come, and appear when the
demonstration plan is done; the presentation switch hides gender and previous
school in the class list under it. Driven against a real Voila in headless
Chromium, in nynorsk.
"""
from __future__ import annotations

import dash
import harness
import pytest

from makker.i18n import t

pytestmark = pytest.mark.browser


def test_the_course_shows_first_and_fills_in_when_the_plan_is_done(browser_context, monkeypatch):
    monkeypatch.setenv("MAKKER_TIME_LIMIT", "5")
    monkeypatch.setenv("MAKKER_ROTATIONS", "3")
    with harness.VoilaServer(notebook="dashboards/opplaering.ipynb") as server:
        page = browser_context.new_page()
        page.set_default_timeout(dash.OPEN_TIMEOUT)
        page.goto(server.url + "?lang=nn", wait_until="commit")
        page.wait_for_selector(".makker-course .makker-upload", state="visible")
        intro = page.inner_text(".makker-course-text h1")
        assert intro and intro in t("course.intro", "nn")

        # the plan's sections come once it has run, and say so until then
        page.wait_for_selector(".makker-course-later .makker-plan-table")
        page.wait_for_selector(".makker-course-later .makker-weights")
        assert page.locator(".makker-course-waiting").count() == 0
        page.wait_for_function("(word) => [...document.querySelectorAll('.makker-training-coverage')]"
                               ".some(e => e.innerText.includes(word))", arg=t("app.training.plan", "nn"))
        assert t("app.error.unexpected", "nn") not in dash.visible_text(page)

        # presentation mode: the class list under the switch keeps the names only
        table = ".makker-training-roster"
        assert t("app.col.gender", "nn") in page.inner_text(table)
        page.check(".makker-presentation input")
        page.wait_for_function("([css, word]) => !document.querySelector(css).innerText.includes(word)",
                               arg=[table, t("app.col.gender", "nn")])
        assert t("app.col.name", "nn") in page.inner_text(table)
        page.close(run_before_unload=True)
