"""The school-year tab without a browser: autosave, reload, conflicts, swaps, pack, log."""

from datetime import date

import pytest

from makker.app.app_model import AppModel
from makker.app.schoolyear import build_schoolyear_tab
from makker.fictional import fictional_roster
from makker.i18n import LANGUAGES, t
from makker.planner import plan_year


@pytest.fixture(scope="module")
def year_plan():
    roster = fictional_roster(12, seed=2)
    return roster, plan_year(roster.students, None, None, 4, klass=roster.klass, time_limit=5, improve=False).plan


def _app_with_plan(year_plan):
    roster, plan = year_plan
    app = AppModel()
    app.tune.time_limit = 3
    view = build_schoolyear_tab(app)
    app.load.load_roster(roster)
    app.tune.plan = plan
    return app, view, view.model


def test_plan_is_saved_and_comes_back_after_reload(year_plan):
    app, view, m = _app_with_plan(year_plan)
    assert m.saved and m.error is None and m.classes == ["1STA"]
    assert m.publish(1) and m.published == [1]
    again = AppModel()  # a reload: a new kernel with a fresh app
    view2 = build_schoolyear_tab(again)
    assert again.tune.plan.to_json() == year_plan[1].to_json()
    assert again.load.roster.ids() == year_plan[0].ids()
    assert view2.model.published == [1]
    assert "1" in view2.published.value


def _swap_anyway(model, number, a, b) -> bool:
    """A swap with warnings waits for «Bytt likevel»; this gives it."""
    if model.swap(number, a, b):
        return True
    return model.pending_swap == (number, a, b) and model.swap(number, a, b, confirm=True)


def test_stale_tab_gets_the_conflict_message(year_plan):
    app, _, first = _app_with_plan(year_plan)
    other = build_schoolyear_tab(AppModel()).model
    ids = year_plan[0].ids()
    assert _swap_anyway(other, 3, ids[0], ids[1])
    assert not first.save(year_plan[1])
    assert first.error.key == "store.conflict"
    first.reload()
    assert first.error is None or first.error.key != "store.conflict"
    assert first.save(first.plan)


def test_swap_stays_in_unpublished_rotations_and_warns(year_plan):
    app, view, m = _app_with_plan(year_plan)
    m.publish(1)
    rot2 = year_plan[1].rotations[1]
    a = rot2.members()[0]
    b = next(s for s in rot2.members() if s not in rot2.group_of() or rot2.group_of()[s] != rot2.group_of()[a])
    app.load.add_rule("never", a, b)
    saved = m.ws.plan("1STA")
    # a swap that puts a never-together pair in one group is refused, not saved and warned about afterwards
    assert not m.swap(2, rot2.members()[1], b) and m.error.key == "dashboard.swap_never"
    assert not m.swap(2, rot2.members()[1], b, confirm=True) and m.error.key == "dashboard.swap_never"
    assert m.ws.plan("1STA").rotations == saved.rotations and m.plan.rotations == saved.rotations
    assert not m.swap(1, a, b) and m.error.key == "schoolyear.locked"
    view.render()
    assert [v for _, v in view.swap_rot.options] == [2, 3, 4]


def test_leave_join_replan_keeps_published(year_plan):
    app, view, m = _app_with_plan(year_plan)
    m.publish(1)
    first = year_plan[1].rotations[0].to_json()
    leaver = year_plan[0].ids()[0]
    assert m.leave(leaver)
    m.wait(60)
    assert m.error is None
    assert m.plan.rotations[0].to_json() == first
    assert leaver not in m.plan.rotations[1].members()
    assert m.join("Åse Ødegård", "K")
    m.wait(60)
    assert any(s.name == "Åse Ødegård" for s in app.load.roster.students)
    assert len(m.plan.rotations[2].members()) == 12
    assert m.ws.plan("1STA").to_json() == m.plan.to_json()


def test_never_rule_with_one_student_twice_says_pick_two(year_plan):
    app, view, m = _app_with_plan(year_plan)
    sid = year_plan[0].ids()[0]
    assert not m.add_never(sid, sid, replan=False)
    assert m.error.key == "app.error.pick_two"
    view.render()
    assert t("app.error.pick_two", "nb") in view.error.value


def test_calendar_dates_pack_log_and_export(year_plan):
    app, view, m = _app_with_plan(year_plan)
    m.start, m.county = date(2026, 8, 20), "vestland"
    assert m.compute_dates() and len(m.dates) == 4
    assert m.apply_dates()
    assert m.ws.plan("1STA").rotations[0].start == date(2026, 8, 20)
    files = {f.css_class: f for f in m.calendar_files()}
    assert files["makker-download-ics"].mime == "text/calendar"
    assert b"BEGIN:VCALENDAR" in files["makker-download-ics"].data and "20.08.2026" in files["makker-download-dates"].data.decode("utf-8")
    pack = m.pack_file(1)
    assert pack.mime == "application/pdf" and pack.data.startswith(b"%PDF")
    view.dates_out.value = view._dates_html(lambda key, **kw: key)
    assert "makker-download-ics" in view.dates_out.value and "data:text/calendar;base64," in view.dates_out.value
    assert m.log_rotation(1, True, False, date(2026, 8, 21), "Gikk fint")
    view.render()
    assert "Gikk fint" in view.log_table.value and "1STA" in view.overview.value
    assert m.workspace_file().css_class == "makker-workspace-link" and len(m.workspace_file().data) > 0
    view.export_btn.click()
    assert "makker-workspace-link" in view.export_link.value


def test_presentation_hides_rules_and_files(year_plan):
    app, view, m = _app_with_plan(year_plan)
    m.log_rotation(1, True, True, None, "Snakket med foresatte")
    app.presentation = True
    assert view.never_box.layout.display == "none" and view.files_box.layout.display == "none"
    assert "Snakket" not in view.log_table.value and view.log_note.layout.display == "none"
    app.presentation = False
    assert view.never_box.layout.display != "none"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_view_follows_language(year_plan, lang):
    app, view, m = _app_with_plan(year_plan)
    app.lang = lang
    assert t("schoolyear.ui.h_calendar", lang) in view.heading["calendar"].value
    assert view.publish_btn.description == t("schoolyear.ui.b_publish", lang)


def test_delete_class_needs_the_name(year_plan):
    app, view, m = _app_with_plan(year_plan)
    assert not m.delete_class("feil") and m.error.key == "store.confirm_class"
    assert m.delete_class("1STA") and m.classes == []


def test_css_classes_for_browser_tests(year_plan):
    _, view, _ = _app_with_plan(year_plan)
    classes = set()

    def walk(widget):
        classes.update(widget._dom_classes)
        for child in getattr(widget, "children", ()):
            walk(child)
    walk(view)
    for css in ("makker-calendar", "makker-publish", "makker-swap", "makker-log", "makker-pack-download",
                "makker-replan", "makker-save", "makker-schoolyear"):
        assert css in classes, css


def test_damaged_workspace_is_reported_and_the_backup_restored(year_plan, tmp_path, monkeypatch):
    path = tmp_path / "aar.sqlite"
    monkeypatch.setenv("MAKKER_WORKSPACE", str(path))
    _app_with_plan(year_plan)
    build_schoolyear_tab(AppModel())  # opening again leaves a backup with the plan
    path.write_bytes(b"\0broken" * 5000)
    app = AppModel()
    view = build_schoolyear_tab(app)
    m = view.model
    assert m.ws is None and m.error.key == "store.corrupt"
    assert m.restore_backup()
    assert app.tune.plan.to_json() == year_plan[1].to_json()
    assert (tmp_path / "aar.sqlite.broken").exists()


def test_new_class_list_version_waits_for_the_coordinator(year_plan):
    app, view, m = _app_with_plan(year_plan)
    roster, plan = year_plan
    fewer = roster.subset(roster.ids()[1:])
    app.load.load_roster(fewer)  # another version of 1STA arrives
    assert m.pending["1STA"]["gone"] == [roster.students[0].name] and m.pending["1STA"]["new"] == []
    assert app.load.roster.ids() == fewer.ids()  # the class list tab shows the list just loaded
    assert not m.save(plan) and m.error.key == "dashboard.decide_first"
    assert not app.tune.start_plan() and app.tune.error.key == "dashboard.decide_first"
    assert m.ws.roster("1STA").ids() == roster.ids()  # nothing saved yet
    assert m.replace_class()
    m.wait(30)
    assert m.ws.roster("1STA").ids() == fewer.ids() and not m.pending


def test_refreshing_never_hides_a_conflict(year_plan):
    _, _, first = _app_with_plan(year_plan)
    other = build_schoolyear_tab(AppModel()).model
    ids = year_plan[0].ids()
    assert first.log_rotation(1, True, True, None, "")  # a log entry is no conflict for anyone
    assert _swap_anyway(other, 2, ids[0], ids[1])  # the other tab changes the plan
    first.refresh()
    assert first.log_rotation(2, True, False, None, "")
    assert not first.save(year_plan[1])
    assert first.error.key == "store.conflict"


def test_student_pickers_start_empty_and_leaving_needs_a_confirmation(year_plan):
    app, view, m = _app_with_plan(year_plan)
    pickers = (view.leaver, view.swap_a, view.swap_b, view.never_a, view.never_b)
    assert all(p.value == "" and p.label == "–" for p in pickers)
    before = app.load.roster.ids()
    view.leave_btn.click()
    assert m.error.key == "schoolyear.ui.pick_student" and app.load.roster.ids() == before
    view.swap_rot.value = 2
    view.swap_btn.click()
    assert m.error.key == "schoolyear.same_student" and m.plan.to_json() == year_plan[1].to_json()
    leaver = before[0]
    view.leaver.value = leaver
    view.leave_btn.click()  # first click: only asks
    assert app.load.roster.ids() == before and m.error is None
    name = app.load.roster.by_id()[leaver].name
    assert view.leave_btn.description == t("schoolyear.ui.b_leave_confirm", "nb", name=name)
    view.leaver.value = before[1]  # another student: the question starts over
    assert view.leave_btn.description == t("schoolyear.ui.b_leave", "nb")
    view.leaver.value = leaver
    view.leave_btn.click()
    view.leave_btn.click()  # second click: done
    m.wait(60)
    assert leaver not in app.load.roster.ids()
    assert view.leaver.value == "" and view.leave_btn.description == t("schoolyear.ui.b_leave", "nb")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_letters_are_signed_with_the_school_name_typed_on_the_page(year_plan, lang):
    import io

    import pypdf

    app, view, m = _app_with_plan(year_plan)
    app.lang = lang
    assert view.pack_school.description == t("schoolyear.ui.l_school", lang)

    def letters_text() -> str:
        pdf = m.pack_file(1, letters=True)
        return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)

    unsigned = letters_text()
    assert "Nordby videregående skole" not in unsigned
    view.pack_school.value = "  Nordby videregående skole "
    assert m.school == "Nordby videregående skole"
    signed = letters_text()
    assert "Nordby videregående skole" in " ".join(signed.split())
