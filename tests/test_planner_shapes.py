"""The planner with another group shape: every rotation keeps the shape, and the shape buys mixing."""

from __future__ import annotations

import csv
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from makker.cli import main
from makker.fictional import fictional_students
from makker.metrics import compute
from makker.planner import plan_rotation, plan_year
from makker.rules import Rules, Weights
from makker.shapes import SHAPES, group_sizes


def _sizes(rotation):
    return sorted((sum(len(p) for p in g) for g in rotation.groups), reverse=True)


@settings(max_examples=6, deadline=None)
@given(st.integers(12, 34), st.sampled_from(SHAPES), st.integers(0, 50))
def test_one_rotation_has_the_chosen_shape(n, shape, seed):
    students = fictional_students(n, seed=seed)
    result = plan_rotation(students, Rules(), Weights(), time_limit=20, shape=shape, seed=seed)
    assert _sizes(result.rotation) == group_sizes(n, shape)
    assert sorted(result.rotation.members()) == sorted(s.id for s in students)


def test_trio_alone_gives_fifteen_students_more_than_one_repeat_free_rotation():
    students = fictional_students(15, seed=3)
    standard = plan_year(students, Rules(), Weights(), 4, time_limit=20, improve=False).plan
    alone = plan_year(students, Rules(), Weights(), 4, time_limit=20, improve=False, shape="trio-alone").plan
    assert all(_sizes(r) == [4, 4, 4, 3] for r in alone.rotations)
    assert compute(standard).repeat_free_rotations == 1  # 4-5-6: the bound
    m = compute(alone)
    assert m.bounds.shape == "trio-alone" and m.bounds.repeat_free == 4
    assert m.repeat_free_rotations >= 2 and m.repeated_pairs == 0


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "klasse.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["Elevnummer", "Fornavn", "Etternavn", "Klasse", "Kjønn", "Skole"])
        for s in fictional_students(14, seed=2):
            w.writerow([s.id, s.first, s.last, "1STA", s.gender, s.school])
    return path


def test_cli_shape_option(roster, tmp_path, capsys):
    out = tmp_path / "plan.json"
    assert main(["plan", str(roster), "--rotations", "2", "--shape", "trio-alone", "--time-limit", "10",
                 "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    for r in data["rotations"]:
        assert sorted((sum(len(p) for p in g) for g in r["groups"]), reverse=True) == [4, 4, 3, 3]
    capsys.readouterr()
    assert main(["--lang", "en", "plan", str(roster), "--shape", "triangles", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "triangles" in err[0] and "trio-alone" in err[0] and "Traceback" not in err[0]
