"""The group shape is the coordinator's choice in the tune panel: offered only where it changes the groups,
saved with the class, and used by «Lag plan»."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from makker.app.app_model import AppModel
from makker.app.tune_view import TuneView
from makker.shapes import group_sizes, shape_options
from makker.students import Student


def _class(n: int, girls: int) -> list[Student]:
    return [Student(id=f"s{i}", name=f"Elev {i}", gender="F" if i < girls else "M") for i in range(n)]


def _view(n: int) -> tuple[AppModel, TuneView]:
    app = AppModel()
    app.tune.preview_delay = 0
    view = TuneView(app)
    app.tune.students = _class(n, n // 2)
    return app, view


@settings(max_examples=25, deadline=None)
@given(n=st.integers(4, 34))
def test_the_choice_shows_exactly_when_the_shapes_differ(n):
    _app, view = _view(n)
    differ = len({tuple(group_sizes(n, s)) for s in ("standard", "trio-alone")}) > 1
    assert (view.shape.layout.display != "none") == differ
    assert len(view.shape.options) == (2 if differ else 1)
    if differ:  # each option says what it allows, with the class's own group sizes
        for option in shape_options(n, view.app.tune.rotations):
            assert "-".join(map(str, option["sizes"])) in view.shape_hint.value


def test_a_chosen_shape_is_saved_restored_and_planned(monkeypatch):
    app, view = _view(15)
    view.shape.value = "trio-alone"
    assert app.tune.settings()["shape"] == "trio-alone"
    other = AppModel()
    other.tune.apply_settings(app.tune.settings())
    assert other.tune.shape == "trio-alone"
    other.tune.apply_settings({"shape": "no-such-shape"})  # a hand-edited file cannot break the panel
    assert other.tune.shape == "trio-alone"

    seen = {}

    def plan_year(*args, **kw):
        seen.update(kw)
        raise RuntimeError("stop here")

    monkeypatch.setattr("makker.planner.plan_year", plan_year)
    app.tune.start_plan()
    app.tune.wait(10)
    assert seen["shape"] == "trio-alone"


@pytest.mark.parametrize("n", [14, 15, 23])
def test_trio_alone_plans_groups_of_at_most_four(n):
    from makker.planner import plan_year
    from makker.rules import Rules, Weights

    students = _class(n, random.Random(n).randint(2, n - 2))
    result = plan_year(students, Rules(), Weights(), 2, time_limit=5, shape="trio-alone", improve=False)
    for rotation in result.plan.rotations:
        sizes = sorted(sum(len(p) for p in g) for g in rotation.groups)
        assert max(sizes) <= 4 and sorted(sizes) == sorted(group_sizes(n, "trio-alone"))
