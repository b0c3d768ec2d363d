"""The training page shows at once; its demonstration plan runs afterwards and the page fills in."""

from __future__ import annotations

import pytest
from test_app_models import fake_planner  # noqa: F401 (fixture)

from makker.app import training
from makker.i18n import t

pytestmark = pytest.mark.usefixtures("isolated_workspace")


@pytest.fixture
def app(fake_planner):
    model = training.model({"MAKKER_ROTATIONS": "3", "MAKKER_TIME_LIMIT": "5"})
    yield model
    model.tune.wait(60)


def status_of(box) -> str:
    return box.children[0].value


def test_the_plan_waits_for_the_last_cell_and_says_so(app):
    box = training.make_plan(app, start=False)
    assert app.tune.plan is None and not app.tune.running
    assert t("app.training.plan_coming", "nb") in status_of(box)
    training.start_plan(app)
    app.tune.wait(60)
    assert app.tune.plan is not None
    progress = box.children[1]
    assert progress.value == progress.max >= 1
    assert app.tune.status.render("nb") in status_of(box).replace("&#x27;", "'")
    made = app.tune.plan
    training.start_plan(app)  # a second call does not plan again
    app.tune.wait(60)
    assert app.tune.plan is made


def test_the_comparison_table_gains_the_plan_when_it_is_ready(app):
    before = training.coverage_table(app, rotations=12, with_plan=False)
    compare = training.coverage_table(app)
    plan_col = t("app.training.plan", "nb")
    assert plan_col not in compare.value and plan_col not in before.value
    assert before.value.count("<tr>") == 12 + 1
    training.start_plan(app)
    app.tune.wait(60)
    assert plan_col in compare.value and compare.value.count("<tr>") == 3 + 1
    assert plan_col not in before.value  # the first table shows the draw alone, as the trainer said


def test_the_page_follows_the_language(app):
    box = training.make_plan(app, start=False)
    table = training.coverage_table(app, with_plan=False)
    app.lang = "nn"
    assert t("app.training.plan_coming", "nn") in status_of(box)
    assert t("app.training.caption", "nn") in table.value and t("app.training.caption", "nb") not in table.value


def texts_of(box) -> list[str]:
    return [c.value for c in box.children if "makker-course-text" in c._dom_classes]


def test_the_course_shows_every_section_in_order_in_the_page_language(app):
    box = training.course(app)
    keys = [key for key, _ in training.SECTIONS]
    assert texts_of(box) == [training.markdown(t(key, "nb")) for key in keys]
    assert "<h2>" in texts_of(box)[1] and "**" not in "".join(texts_of(box))  # Markdown became HTML
    assert len(box.children) == len(keys) + sum(build is not None for _, build in training.SECTIONS)
    app.lang = "nn"
    assert texts_of(box) == [training.markdown(t(key, "nn")) for key in keys]
    assert app.tune.plan is None and not app.tune.running  # building the page starts no plan


def test_the_presentation_switch_hides_what_is_confidential_everywhere(app):
    section = training.presentation(app)
    switch = section.children[0]
    assert switch.value is False and switch.description == t("app.presentation", "nb")
    switch.value = True
    assert app.presentation is True
    app.presentation = False
    assert switch.value is False
    app.lang = "en"
    assert switch.description == t("app.presentation", "en")


def test_course_texts_never_run_html():
    assert training.markdown("**a** <script>x</script>") == "<p><strong>a</strong> &lt;script&gt;x&lt;/script&gt;</p>\n"


def test_the_sections_that_show_the_plan_are_built_when_it_has_run(app):
    box = training.course(app)
    later = [c for c in box.children if "makker-course-later" in c._dom_classes]
    assert len(later) == 3
    waiting = t("app.training.after_plan", "nb")
    assert all(waiting in c.children[0].value for c in later)
    app.lang = "en"
    assert all(t("app.training.after_plan", "en") in c.children[0].value for c in later)
    training.start_plan(app)
    app.tune.wait(60)
    assert app.tune.plan is not None
    built = [c.children[0] for c in later]
    assert [type(v).__name__ for v in built] == ["SeeView", "TuneView", "ExportView"]
    assert all("makker-course-waiting" not in v._dom_classes for v in built)
    again = training.course(app)  # a page opened after the plan gets the sections at once
    assert [type(c.children[0]).__name__ for c in again.children if "makker-course-later" in c._dom_classes] == \
        ["SeeView", "TuneView", "ExportView"]


def test_the_presentation_table_shows_only_names(app):
    section = training.presentation(app)
    switch, table = section.children
    roster = app.load.roster
    assert roster is not None
    hidden = [f">{s.school}</td>" for s in roster.students if s.school]
    assert hidden and any(school in table.value for school in hidden)
    switch.value = True
    assert not any(school in table.value for school in hidden)
    assert all(s.name in table.value for s in roster.students[:3])


def test_a_section_that_cannot_be_built_says_so_and_the_rest_of_the_course_stays(app):
    def broken(app):
        raise RuntimeError("cannot draw")

    section = training.after_plan(broken)(app)
    fine = training.after_plan(training.export)(app)
    training.start_plan(app)
    app.tune.wait(60)
    assert "makker-course-failed" in section.children[0]._dom_classes
    assert t("app.error.unexpected", "nb") in section.children[0].value
    assert type(fine.children[0]).__name__ == "ExportView"
