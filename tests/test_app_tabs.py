"""The app builds a tab when it is first opened: the page's first control shows sooner,
and a tab opened late still shows everything the coordinator did before."""

from __future__ import annotations

import pytest
from test_app_models import SAMPLES, fake_planner  # noqa: F401 (fixture)

from makker.app import AppModel, MakkerApp
from makker.app import main as app_main
from makker.app.environment import Settings
from makker.fictional import fictional_roster
from makker.i18n import t

pytestmark = pytest.mark.usefixtures("isolated_workspace")  # the school-year tab autosaves


def shallow(widget):
    """The widget tree as the browser has it now (no tab is built by looking)."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from shallow(child)


def find(app, css):
    found = [x for x in shallow(app) if css in x._dom_classes]
    return found[0] if len(found) == 1 else None


@pytest.fixture
def app(fake_planner):
    model = AppModel(Settings(rotations=3, time_limit=5), sample_dir=SAMPLES)
    model.tune.preview_delay = 0
    return MakkerApp(model)


def plan(app, n=14):
    app.model.load.load_roster(fictional_roster(n, seed=7, klass="1STA"))
    app.model.tune.start_plan()
    app.model.tune.wait(60)


def test_at_start_only_the_class_list_and_the_planner_tabs_are_built(app):
    assert len(app.tabs.children) == len(app.tabs.titles) == 7
    assert [t(app_main.TAB_KEYS[k], "nb") for k in app.tab_keys] == list(app.tabs.titles)
    assert find(app, "makker-upload") is not None and find(app, "makker-solve") is not None
    for key in ("see", "export", "schoolyear", "overview", "evaluation"):
        slot = find(app, f"makker-tab-{key}")
        assert slot is not None and slot.children == (), key
    assert find(app, "makker-plan-table") is None


def test_opening_a_tab_builds_it_once(app):
    app.tabs.selected_index = app.tab_keys.index("schoolyear")
    built = app.schoolyear_view
    assert built is not None and find(app, "makker-schoolyear-status") is not None
    app.tabs.selected_index = 0
    app.tabs.selected_index = app.tab_keys.index("schoolyear")
    assert app.schoolyear_view is built
    assert find(app, "makker-tab-schoolyear").children == (built,)


def test_a_plan_made_before_the_see_tab_was_opened_is_all_there(app):
    app.tabs.selected_index = app.tab_keys.index("schoolyear")  # no jump to «Se planen» from here
    plan(app)
    assert app.tabs.selected_index == app.tab_keys.index("schoolyear")
    assert find(app, "makker-plan-table") is None
    app.tabs.selected_index = app.tab_keys.index("see")
    rotation, upto = find(app, "makker-see-rotation"), find(app, "makker-network-step")
    assert rotation.max == upto.max == 3 and upto.value == 3
    assert find(app, "makker-plan-table").value.count("<tr>") == 7 + 1
    rotation.value = 2
    assert app.model.see.rotation == 2


def test_a_plan_made_on_the_planner_tab_opens_the_see_tab_with_the_plan(app):
    app.tabs.selected_index = 1
    plan(app, n=16)
    assert app.tabs.selected_index == 2
    assert find(app, "makker-plan-table").value.count("<tr>") == 8 + 1
    assert bytes(find(app, "makker-seating").value).startswith(b"\x89PNG")


def test_language_chosen_before_a_tab_is_built_reaches_it(app):
    app.model.lang = "nn"
    app.tabs.selected_index = app.tab_keys.index("export")
    assert find(app, "makker-export-chart").description == t("app.export.chart", "nn")
    assert t("app.see.no_plan", "nn") in find(app, "makker-export-intro").value.replace("&#x27;", "'")
    assert app.tabs.titles[app.tab_keys.index("export")] == t("app.tab.export", "nn")


def test_a_tab_that_cannot_be_built_says_so_and_the_rest_of_the_page_works(app, monkeypatch):
    def broken(_model):
        raise RuntimeError("boom")

    monkeypatch.setattr(app_main, "EvaluationView", broken)
    app.tabs.selected_index = app.tab_keys.index("evaluation")
    failed = find(app, "makker-tab-failed")
    assert failed is not None and t("app.error.unexpected", "nb") in failed.value
    assert "boom" not in failed.value and "Traceback" not in failed.value
    app.tabs.selected_index = 1
    plan(app)
    assert app.tabs.selected_index == 2 and find(app, "makker-plan-table").value


def test_presentation_mode_before_the_see_tab_is_built_hides_the_summary(app):
    plan(app)
    app.model.presentation = True
    app.tabs.selected_index = 0
    fresh = MakkerApp(app.model, start=False)
    fresh.tabs.selected_index = 2
    assert find(fresh, "makker-summary").value == ""


def test_the_app_displays_in_a_notebook(app):
    bundle = app._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
