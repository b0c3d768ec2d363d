"""Dashboard views without a browser: click buttons, move sliders, fake uploads.

Rendered HTML is collected from every widget in the tree, so the privacy tests
look at exactly what the browser would receive.
"""

from __future__ import annotations

import base64
import io
import re

import ipywidgets as w
import pytest
from test_app_models import SAMPLE30, SAMPLES, fake_planner  # noqa: F401 (fixture)
from uploads import upload_value
from widget_tree import by_class, walk

from makker.app import AppModel, MakkerApp
from makker.app.environment import Settings
from makker.fictional import fictional_roster
from makker.i18n import LANGUAGES, t
from makker.students import Roster, Student

SELECTORS = (
    "makker-upload makker-class-select makker-sample-select makker-rotations makker-weight-gender "
    "makker-weight-school makker-weight-repeat makker-weight-apart makker-solve makker-progress makker-status "
    "makker-plan-table makker-seating makker-network makker-heatmap makker-coverage makker-download-xlsx "
    "makker-download-csv makker-download-png makker-download-pdf makker-lang makker-presentation makker-error"
).split()


def visible_html(app) -> str:
    """Text of every HTML widget and description the browser would show (hidden boxes skipped)."""

    def visit(widget):
        if getattr(widget.layout, "display", None) == "none":
            return
        if isinstance(widget, w.HTML):
            yield widget.value
        desc = getattr(widget, "description", "")
        if desc:
            yield desc
        if isinstance(widget, w.Dropdown):
            yield " ".join(str(label) for label, _ in widget._options_full if hasattr(widget, "_options_full")) or ""
            yield " ".join(str(label) for label in widget._options_labels)
        for child in getattr(widget, "children", ()):
            yield from visit(child)

    return "\n".join(visit(app))


def all_html_values(app) -> str:
    """Every HTML widget's value, with data: payloads (base64 noise) cut out."""
    text = "\n".join(x.value for x in walk(app) if isinstance(x, w.HTML))
    return re.sub(r"base64,[A-Za-z0-9+/=]+", "base64,", text)


pytestmark = pytest.mark.usefixtures("isolated_workspace")  # the school-year tab autosaves


@pytest.fixture
def app(fake_planner):
    model = AppModel(Settings(rotations=3, time_limit=5), sample_dir=SAMPLES)
    model.tune.preview_delay = 0
    return MakkerApp(model)


def test_every_documented_selector_is_on_exactly_one_widget(app):
    for css in SELECTORS:
        by_class(app, css)


def test_every_control_has_a_visible_label(app):
    app.model.load.load_sample(SAMPLE30)
    controls = (w.Dropdown, w.IntSlider, w.FloatSlider, w.DatePicker, w.Checkbox, w.Button, w.FileUpload, w.IntProgress)
    for widget in walk(app):
        if isinstance(widget, controls) and getattr(widget.layout, "display", None) != "none":
            assert widget.description.strip(), f"{widget._dom_classes} has no label"


@pytest.mark.parametrize("sample, name, count", [("vg1_yrkesfag_15.csv", "1baa.csv", 15),
                                                  ("vg1_odde_27.xlsx", "1std.xlsx", 27)])
def test_fake_upload_via_set_state_shows_the_roster(app, sample, name, count):
    upload = by_class(app, "makker-upload")
    data = (SAMPLES / sample).read_bytes()
    upload.set_state({"value": [{"name": name, "type": "", "size": len(data),
                                 "content": memoryview(data), "last_modified": 0}]})
    table = by_class(app, "makker-roster-table").value
    assert table.count("<tr>") == count + 1
    assert app.model.load.source == name and app.model.error is None
    assert upload.value == ()  # cleared so the same file can be chosen again


def test_sample_select_and_class_select(app):
    by_class(app, "makker-sample-select").value = "hele_skolen_vg1.xlsx"
    klass = by_class(app, "makker-class-select")
    assert len(klass.options) > 1 and klass.layout.display != "none"
    klass.value = klass.options[-1][1]
    assert app.model.load.roster.klass == klass.value
    assert klass.value in by_class(app, "makker-roster-table").value


def test_hostile_names_are_escaped():
    bad = Student(id="1", name='<img src=x onerror="alert(1)">', klass="1X", gender="K", school="<b>Skole</b>")
    others = list(fictional_roster(7, seed=1, klass="1X").students)
    model = AppModel(sample_dir=SAMPLES)
    app = MakkerApp(model)
    model.load.load_roster(Roster("1X", [bad, *others]))
    html = all_html_values(app)
    assert "<img src=x" not in html and "&lt;img src=x onerror=" in html
    assert "<b>Skole</b>" not in html


def test_rule_editor_adds_and_removes_pairs(app):
    app.model.load.load_sample(SAMPLE30)
    a, b = by_class(app, "makker-rule-a"), by_class(app, "makker-rule-b")
    a.value, b.value = a.options[1][1], a.options[2][1]
    by_class(app, "makker-rule-kind").value = "never"
    by_class(app, "makker-rule-add").click()
    assert len(app.model.load.never) == 1
    assert a.options[1][0] in by_class(app, "makker-rule-list").value
    by_class(app, "makker-rule-remove").click()
    assert app.model.load.never == ()
    b.value = a.value
    by_class(app, "makker-rule-add").click()
    assert t("app.error.pick_two", "nb") in by_class(app, "makker-error").value


def test_slider_move_updates_the_preview(app):
    app.model.load.load_sample(SAMPLE30)
    table = by_class(app, "makker-preview-table")
    app.model.tune.show_preview(None)
    assert table.value == ""
    by_class(app, "makker-weight-gender").value = 10
    assert app.model.tune.gender == 10
    assert table.value.count("<tr>") == 15 + 1  # 15 pairs + header


def _parent(app, child):
    return next(x for x in walk(app) if any(c is child for c in getattr(x, "children", ())))


def test_preview_seating_chart_scales_like_the_see_panel(app):
    """An Image straight in an HBox keeps its natural width and is cut off at 1400 px; in a VBox it shrinks."""
    for css in ("makker-preview-seating", "makker-seating"):
        img = by_class(app, css)
        box = _parent(app, img)
        assert isinstance(box, w.VBox) and isinstance(_parent(app, box), w.HBox), css
        assert img.layout.max_width == "100%" and img.layout.height == "auto"


def small_class(app, n=12):
    """A fictional class with genders and previous schools (small: charts draw fast)."""
    app.model.load.load_roster(fictional_roster(n, seed=7, klass="1STA"))
    return app.model.load.roster


def test_solve_button_runs_the_plan_and_fills_every_view(app):
    small_class(app)
    by_class(app, "makker-rotations").value = 3
    solve = by_class(app, "makker-solve")
    solve.click()
    app.model.tune.wait(60)
    assert not solve.disabled
    assert by_class(app, "makker-progress").value == 100  # the run is done
    assert "3" in by_class(app, "makker-status").value
    assert by_class(app, "makker-plan-table").value.count("<tr>") == 6 + 1
    for css in ("makker-seating", "makker-network", "makker-heatmap", "makker-coverage"):
        image = by_class(app, css)
        assert bytes(image.value).startswith(b"\x89PNG"), css
        assert not image.tooltip, css  # a tooltip stops an Image from rendering (ipywidgets#3860)
        assert by_class(app, f"{css}-caption").value.strip(), css  # the text alternative
    assert app.tabs.selected_index == 2
    app.tabs.selected_index = 3
    link = by_class(app, "makker-download-xlsx").value
    payload = re.search(r"base64,([^\"]+)\"", link).group(1)
    from openpyxl import load_workbook

    assert load_workbook(io.BytesIO(base64.b64decode(payload))).sheetnames
    assert by_class(app, "makker-download-pdf").value.count("application/pdf") == 1


def test_button_is_disabled_while_running(app, monkeypatch):
    import threading

    from test_app_models import FakeYear

    import makker.planner as planner_pkg
    from makker.baseline import random_plan

    release = threading.Event()

    def slow(students, rules, weights, rotations, *, cancel=None, klass="", **kw):
        release.wait(10)
        return FakeYear(random_plan(students, rotations, klass=klass))

    monkeypatch.setattr(planner_pkg, "plan_year", slow)
    small_class(app)
    solve = by_class(app, "makker-solve")
    solve.click()
    assert solve.disabled and not by_class(app, "makker-cancel").disabled
    assert by_class(app, "makker-weight-repeat").disabled
    release.set()
    app.model.tune.wait(10)
    assert not solve.disabled and by_class(app, "makker-cancel").disabled


def test_language_switch_rerenders_labels_and_tabs(app):
    app.model.load.load_sample(SAMPLE30)
    lang = by_class(app, "makker-lang")
    seen = {}
    for code in LANGUAGES:
        lang.value = code
        seen[code] = (app.tabs.titles, by_class(app, "makker-solve").description,
                      by_class(app, "makker-weight-gender").description, by_class(app, "makker-roster-table").value)
        assert by_class(app, "makker-solve").description == t("app.tune.solve", code)
        assert t("app.col.name", code) in by_class(app, "makker-roster-table").value
    assert len({v[0] for v in seen.values()}) == 3
    assert seen["nn"][3] != seen["nb"][3]
    # one page-language class, for <html lang> (the template copies it)
    assert [c for c in app._dom_classes if c.startswith("makker-page-lang-")] == ["makker-page-lang-en"]


def test_presentation_mode_hides_rules_gender_and_school(app):
    model = app.model
    roster = small_class(app)
    model.load.add_rule("never", roster.students[0].id, roster.students[1].id)
    model.load.add_rule("apart", roster.students[2].id, roster.students[3].id)
    by_class(app, "makker-solve").click()
    model.tune.wait(60)
    by_class(app, "makker-presentation").value = True
    app.tabs.selected_index = 3
    shown = re.sub(r"base64,[A-Za-z0-9+/=]+", "base64,", visible_html(app))
    values = all_html_values(app)
    for lang in LANGUAGES:
        for key in ("app.rules.never", "app.rules.apart", "app.col.gender", "app.col.school", "app.gender.K",
                    "app.gender.M", "app.rules.title", "app.tune.weight.gender", "app.tune.weight.school"):
            word = re.compile(rf"\b{re.escape(t(key, lang))}\b", re.IGNORECASE)
            assert not word.search(values), (lang, key)
            assert not word.search(shown), (lang, key)
    schools = {s.school for s in roster.students if s.school}
    assert schools and not any(school in values for school in schools)
    assert by_class(app, "makker-rules").layout.display == "none"
    app.tabs.selected_index = 2
    assert by_class(app, "makker-network").layout.display != "none"
    assert by_class(app, "makker-heatmap").layout.display == "none"
    assert by_class(app, "makker-summary").value == ""
    assert by_class(app, "makker-rule-list").value == ""
    assert roster.students[0].name in by_class(app, "makker-roster-table").value  # names still shown
    by_class(app, "makker-presentation").value = False
    assert roster.students[2].name in by_class(app, "makker-rule-list").value  # nothing was lost


def test_error_box_is_translated_and_has_no_traceback(app):
    app.model.load.load_upload(upload_value(b"\x00garbage", "liste.xlsx"))
    box = by_class(app, "makker-error")
    nb_text = box.value
    assert 'role="alert"' in nb_text and "Traceback" not in nb_text
    by_class(app, "makker-lang").value = "en"
    assert box.value != nb_text and box.value


def test_from_environment_reads_the_query_string(monkeypatch, fake_planner):
    monkeypatch.setenv("QUERY_STRING", "lang=nn&mode=training")
    monkeypatch.setenv("MAKKER_SAMPLES", str(SAMPLES))
    app = MakkerApp.from_environment()
    assert app.model.lang == "nn" and by_class(app, "makker-lang").value == "nn"
    assert app.model.load.roster is not None and by_class(app, "makker-training").value


def test_real_planner_end_to_end_small_class():
    """No fakes: the real preview and plan_year through the widgets (small class, short budget)."""
    model = AppModel(Settings(rotations=2, time_limit=4), sample_dir=SAMPLES)
    model.tune.preview_delay = 0
    app = MakkerApp(model)
    model.load.load_roster(fictional_roster(12, seed=5, klass="1R"))
    ids = model.load.roster.ids()
    model.load.add_rule("never", ids[0], ids[1])
    assert model.tune.preview is not None and sorted(model.tune.preview.members()) == sorted(ids)
    by_class(app, "makker-solve").click()
    model.tune.wait(120)
    assert model.error is None, model.error
    plan = model.see.plan
    assert plan is not None and len(plan.rotations) == 2
    for rotation in plan.rotations:
        assert sorted(rotation.members()) == sorted(ids)
        assert frozenset(ids[:2]) not in rotation.group_links()  # the hard rule holds
    assert model.tune.status.key in ("app.status.done", "app.status.timed_out")
    assert bytes(by_class(app, "makker-seating").value).startswith(b"\x89PNG")


def test_impossible_rules_from_the_real_planner_are_explained():
    """One student who may sit with nobody: the planner's own message, translated, input kept."""
    model = AppModel(Settings(rotations=2, time_limit=3), sample_dir=SAMPLES)
    model.tune.preview_delay = 0
    app = MakkerApp(model)
    model.load.load_roster(fictional_roster(4, seed=5, klass="1I"))
    first, *others = model.load.roster.ids()
    for other in others:
        model.load.add_rule("never", first, other)
    by_class(app, "makker-solve").click()
    model.tune.wait(60)
    box = by_class(app, "makker-error").value
    assert model.error is not None and 'role="alert"' in box
    assert not model.error.key.startswith("app.error.unexpected")
    assert "Traceback" not in box and model.tune.plan is None
    assert len(model.load.never) == 3 and not by_class(app, "makker-solve").disabled
    by_class(app, "makker-lang").value = "en"
    assert by_class(app, "makker-error").value != box
    name = model.load.roster.students[0].name
    assert name in by_class(app, "makker-error").value
    by_class(app, "makker-presentation").value = True  # on a projector: no names, no rules
    assert name not in by_class(app, "makker-error").value
    assert t("app.error.hidden", "en") in by_class(app, "makker-error").value


def test_progress_bar_trade_off_and_final_figures(app, monkeypatch):
    """The bar follows the time limit and stays below 100 % until the plan is there; afterwards the
    sliders say what the plan's choice gives and the page says when its figures were reached."""
    import threading

    from test_app_models import FakeYear

    import makker.planner as planner_pkg
    from makker.baseline import random_plan

    release = threading.Event()

    def slow(students, rules, weights, rotations, *, klass="", **kw):
        release.wait(10)
        return FakeYear(random_plan(students, rotations, seed=2, klass=klass))

    monkeypatch.setattr(planner_pkg, "plan_year", slow)
    app.model.load.load_roster(fictional_roster(30, seed=4, klass="1STA"))
    tune, bar = app.model.tune, by_class(app, "makker-progress")
    tune.time_limit, tune.tick = 1, 0.02
    by_class(app, "makker-rotations").value = 4
    assert by_class(app, "makker-tradeoff").value == ""  # no plan yet
    by_class(app, "makker-solve").click()
    threading.Event().wait(0.5)
    assert 20 <= bar.value < 100
    threading.Event().wait(1.0)
    assert bar.value == 99 and tune.running  # over the time limit, not done
    release.set()
    tune.wait(10)
    assert bar.value == 100
    assert "var nådd etter" in by_class(app, "makker-best").value
    trade = by_class(app, "makker-tradeoff").value
    assert "Planen gir:" in trade and ("jente" in trade or "gutt" in trade)
    summary = by_class(app, "makker-summary").value
    count = re.search(r'data-plan-count="(\d+)"', summary).group(1)
    by_class(app, "makker-weight-gender").value = 0
    by_class(app, "makker-weight-school").value = 0
    by_class(app, "makker-solve").click()
    tune.wait(10)
    again = by_class(app, "makker-summary").value  # the same plan, made again: the report follows the sliders
    assert re.search(r'data-plan-count="(\d+)"', again).group(1) != count
    assert not any(word in again for word in ("jente", "gutt", "kjønn", "skole"))
    assert not any(word in by_class(app, "makker-tradeoff").value for word in ("jente", "gutt", "skole"))
    by_class(app, "makker-lang").value = "nn"
    assert "Planen gjev:" in by_class(app, "makker-tradeoff").value
    assert "Mål planen ikkje nådde heilt:" in by_class(app, "makker-summary").value
    by_class(app, "makker-presentation").value = True
    assert by_class(app, "makker-tradeoff").value == "" == by_class(app, "makker-best").value
