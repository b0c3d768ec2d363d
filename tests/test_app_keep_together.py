"""Keep-together in the dashboard's rules editor: added with its rotations, saved with the class, back after a reload."""

from __future__ import annotations

import pytest
from uploads import csv_of, upload_value

from makker.app.app_model import AppModel
from makker.app.load_view import LoadView
from makker.app.schoolyear import build_schoolyear_tab
from makker.fictional import fictional_roster
from makker.rules import keep_entries, pair
from makker.store import Workspace


def open_page():
    app = AppModel()
    app.tune.preview_delay = 0
    year = build_schoolyear_tab(app).model
    return app, year


def _upload(app, n=22, seed=5):
    roster = fictional_roster(n, seed=seed, klass="1STA")
    assert app.load.load_upload(upload_value(csv_of(roster), "klasse.csv"))
    return app.load.roster.ids()


def test_keep_rule_with_rotations_is_saved_and_comes_back_after_a_reload():
    app, _ = open_page()
    ids = _upload(app)
    assert app.load.add_rule("keep", ids[0], ids[1], "1 2")
    assert app.load.add_rule("keep", ids[2], ids[3], "")
    assert app.load.add_rule("never", ids[4], ids[5])
    assert app.load.rules().keep[1] == {pair(ids[0], ids[1]), pair(ids[2], ids[3])}
    assert pair(ids[0], ids[1]) not in app.load.rules().keep[3]
    saved = Workspace(Workspace(None).path).rules("1STA")
    assert keep_entries(saved.keep) == [(pair(ids[0], ids[1]), (1, 2)), (pair(ids[2], ids[3]), None)]
    again, _ = open_page()  # a reload: a new page on the same school year
    assert set(again.load.keep) == {(pair(ids[0], ids[1]), (1, 2)), (pair(ids[2], ids[3]), None)}
    assert again.tune.rules.keep[2] >= {pair(ids[0], ids[1])}
    assert again.load.remove_rule("keep", ids[1], ids[0])
    assert keep_entries(Workspace(Workspace(None).path).rules("1STA").keep) == [(pair(ids[2], ids[3]), None)]


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_keep_and_never_for_the_same_pair_is_refused_with_a_message(lang):
    app, _ = open_page()
    app.lang = lang
    ids = _upload(app)
    assert app.load.add_rule("never", ids[0], ids[1])
    assert not app.load.add_rule("keep", ids[1], ids[0], "")
    text = app.error.render(lang)
    names = app.load.roster.by_id()
    assert names[ids[0]].name in text and names[ids[1]].name in text
    assert app.load.keep == () and pair(ids[0], ids[1]) in app.load.never  # nothing entered is lost
    assert not app.load.add_rule("keep", ids[2], ids[3], "snart")
    assert "snart" in app.error.render(lang) and app.load.keep == ()


def test_view_shows_keep_controls_only_for_keep_and_hides_rules_in_presentation():
    app, _ = open_page()
    view = LoadView(app)
    ids = _upload(app)
    assert "makker-rule-keep" in view.keep_box._dom_classes
    assert view.keep_box.layout.display == "none"
    view.rule_kind.value = "keep"
    assert view.keep_box.layout.display != "none"
    view.rule_a.value, view.rule_b.value, view.rule_rotations.value = ids[0], ids[1], "2"
    view.rule_add.click()
    names = app.load.roster.by_id()
    assert names[ids[0]].name in view.rule_list.value and "makker-rule-keep" in view.rule_list.value
    app.presentation = True
    assert names[ids[0]].name not in view.rule_list.value
    assert view.rules_box.layout.display == "none"
