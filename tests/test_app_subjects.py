"""The subject-group panel in the school overview: classes and students picked, the file's column or a list; saved as a class."""

from __future__ import annotations

import random

import pytest
from uploads import csv_of, upload_value

from makker import subjects
from makker.app.app_model import AppModel
from makker.app.overview.subject_view import SubjectGroupView
from makker.app.schoolyear import build_schoolyear_tab
from makker.fictional import fictional_roster
from makker.store import Workspace
from makker.subjects import member_key

GROUP = "Matematikk R1"


def _page_with_school(seed=3, sizes=(18, 23, 29)):
    rng = random.Random(seed)
    rosters = [fictional_roster(n, seed=seed + i, klass=f"1ST{'ABC'[i]}", id_start=4001 + 100 * i)
               for i, n in enumerate(sizes)]
    members = rng.sample([s for r in rosters for s in r.students], 16)
    column = {s.id: GROUP for s in members}
    app = AppModel()
    app.tune.preview_delay = 0
    build_schoolyear_tab(app)
    assert app.load.load_upload(upload_value(csv_of(*rosters, columns={"Undervisningsgruppe": column}), "skolen.csv"))
    never = {}
    for r in rosters:  # never-together rules, given in each class's list tab
        app.load.choose_class(r.klass)
        ids = app.load.roster.ids()
        for _ in range(5):
            a, b = rng.sample(ids, 2)
            app.load.add_rule("never", a, b)
        never[r.klass] = set(app.load.never)
    return app, rosters, members, never


def _expected(members, never):
    inside = {(s.klass, s.id) for s in members}
    return {frozenset(member_key(k, x) for x in p) for k, ps in never.items() for p in ps
            if all((k, x) in inside for x in p)}


def test_group_from_the_files_column_is_saved_with_exactly_the_inherited_rules():
    app, rosters, members, never = _page_with_school()
    model = app.subject_groups()
    assert model.column_groups == [GROUP] and set(model.classes) == {"1STA", "1STB", "1STC"}
    assert model.from_column(GROUP) and model.name == GROUP
    assert set(model.members) == {member_key(s.klass, s.id) for s in members}
    assert model.inherited == len(_expected(members, never))
    assert model.save(), model.error
    ws = Workspace(Workspace(None).path)
    assert subjects.saved_groups(ws) == [GROUP] and ws.rules(GROUP).never == _expected(members, never)
    assert GROUP not in model.classes  # a subject group is not offered as a class to draw from
    assert GROUP in app.year.classes  # the overview lists it like a class


def test_students_picked_by_hand_and_errors_beside_the_panel():
    app, rosters, _, never = _page_with_school(seed=5)
    model = app.subject_groups()
    view = SubjectGroupView(model)
    assert "makker-subject-group" in view._dom_classes
    view.classes.value = ("1STA", "1STC")
    keys = [v for _, v in view.students.options]
    assert keys and all(k.split(":")[0] in ("1STA", "1STC") for k in keys)
    view.students.value = tuple(keys[:3] + keys[-3:])
    assert len(model.members) == 6
    assert view.save_btn.disabled  # no name yet
    assert not model.save() and model.error.key == "subjects.no_name"
    view.name.value = "1STA"  # a class's name is taken
    assert not model.save() and model.error.key == "subjects.name_taken"
    assert "1STA" in view.message.value and len(model.members) == 6  # nothing entered is lost
    view.name.value = "Kjemi 1"
    view.save_btn.click()
    assert model.error is None and subjects.saved_groups(Workspace(Workspace(None).path)) == ["Kjemi 1"]
    app.presentation = True
    assert "aldri" not in view.summary.value.casefold()


@pytest.mark.parametrize("lang,words", [("nb", "finnes ikke"), ("nn", "finst ikkje"), ("en", "not in the class lists")])
def test_list_upload_names_unknown_students_in_the_users_language(lang, words):
    app, rosters, members, _ = _page_with_school(seed=7)
    model = app.subject_groups()
    app.lang = lang
    good = "Navn;Klasse\n" + "\n".join(f"{s.name};{s.klass}" for s in members[:10]) + "\n"
    assert model.from_list(upload_value(good.encode(), "r1.csv"))
    assert set(model.members) == {member_key(s.klass, s.id) for s in members[:10]}
    assert not model.from_list(upload_value(b"Navn\nUkjent Elevsen\n", "r1.csv"))
    text = model.error.render(lang)
    assert words in text and "Ukjent Elevsen" in text and len(model.members) == 10
