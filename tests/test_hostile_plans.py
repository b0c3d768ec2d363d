"""Hostile plan files: ``makker check`` / ``makker pack`` / ``--history`` read them too.

A plan file may be hand-edited, truncated, from another program, or made to
break things. Loading it gives a Plan that the charts and the class pack can
trust, or one clear MakkerError; the CLI exits 0 or 2, never 1 (internal error).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_hostile import assert_clear  # noqa: E402  (tests/ is on sys.path)

from makker.cli import main as cli_main
from makker.i18n import MakkerError
from makker.plan import Plan

IDS = [str(i) for i in range(1, 9)]
GOOD_GROUPS = [[["1", "2"], ["3", "4"]], [["5", "6"], ["7", "8"]]]


def plan_data(**over) -> dict:
    data = {"format": "makker-plan", "version": 1, "class": "1STA",
            "students": [{"id": i, "name": f"Elev {i}"} for i in IDS],
            "rotations": [{"number": 1, "groups": GOOD_GROUPS}]}
    data.update(over)
    return data


def rotation(groups, number=1, **extra):
    return [{"number": number, "groups": groups, **extra}]


STUDENTS = plan_data()["students"]
BROKEN = {
    "version is text": plan_data(version="abc"),
    "version is a list": plan_data(version=[1]),
    "version is null": plan_data(version=None),
    "class is a list": plan_data(**{"class": ["1STA"]}),
    "students is text": plan_data(students="x"),
    "student without id": plan_data(students=[{"name": "x"}] + STUDENTS[1:]),
    "students are numbers": plan_data(students=[1, 2, 3]),
    "duplicate student id": plan_data(students=STUDENTS + [{"id": "1", "name": "Kopi"}]),
    "unknown student in a pair": plan_data(rotations=rotation([[["1", "99"], ["3", "4"]], [["5", "6"], ["7", "8"]]])),
    "student twice in a rotation": plan_data(rotations=rotation([[["1", "1"], ["3", "4"]], [["5", "6"], ["7", "8"]]])),
    "no groups": plan_data(rotations=rotation([])),
    "empty pair": plan_data(rotations=rotation([[[], ["3", "4"]]])),
    "pair of five": plan_data(rotations=rotation([[["1", "2", "3", "4", "5"]]])),
    "group of four pairs": plan_data(rotations=rotation([[["1", "2"], ["3", "4"], ["5", "6"], ["7", "8"]]])),
    "group is text": plan_data(rotations=rotation(["abcd"])),
    "groups is a dict": plan_data(rotations=rotation({"a": 1})),
    "rotations is a dict": plan_data(rotations={"a": 1}),
    "negative rotation number": plan_data(rotations=rotation(GOOD_GROUPS, number=-5)),
    "huge rotation number": plan_data(rotations=rotation(GOOD_GROUPS, number=10**30)),
    "rotation number twice": plan_data(rotations=rotation(GOOD_GROUPS) * 2),
    "impossible date": plan_data(rotations=rotation(GOOD_GROUPS, start="2026-13-45")),
    "date as number": plan_data(rotations=rotation(GOOD_GROUPS, start=20260817)),
}
NOT_A_PLAN = {"a list": [1, 2], "other format": {"format": "x"}, "number": 5}
ACCEPTED = {
    "fine": plan_data(),
    "student 8 not in the kept rotation": plan_data(rotations=rotation([[["1", "2"], ["3", "4"]], [["5", "6", "7"]]])),
    "odd values kept as text": plan_data(students=[dict(s, gender="X", school=5, name=None) for s in STUDENTS]),
    "numeric ids": plan_data(students=[dict(s, id=int(s["id"])) for s in STUDENTS]),
    "class like a path": plan_data(**{"class": "../../etc/passwd"}),
    "html and formula names": plan_data(students=[dict(s, name=n) for s, n in zip(
        STUDENTS, ["<img src=x onerror=alert(1)>", "=1+1", "@SUM(1)", "+4", "-1", "\t=2", "Ola", "Kari"])]),
}


def write(tmp_path: Path, data, name="plan.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def cli(capsys, *argv) -> tuple[int, str]:
    code = cli_main([str(a) for a in argv] + ["--lang", "en"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, err


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_plan_is_one_clear_message(tmp_path, case, capsys):
    path = write(tmp_path, BROKEN[case])
    with pytest.raises(MakkerError) as info:
        Plan.load(path)
    assert info.value.key == "plan.broken_file"
    assert_clear(info.value)
    for command in (["check", path], ["pack", path, "--rotation", "1", "--out", tmp_path / "x.pdf"]):
        code, err = cli(capsys, *command)
        assert code == 2 and err.count("\n") == 1, err


@pytest.mark.parametrize("case", sorted(NOT_A_PLAN))
def test_other_json_is_not_a_plan(tmp_path, case):
    with pytest.raises(MakkerError) as info:
        Plan.load(write(tmp_path, NOT_A_PLAN[case]))
    assert info.value.key == "plan.not_a_plan"


@pytest.mark.parametrize("raw", [b"{{{", b"[" * 100_000 + b"]" * 100_000, bytes(range(256)),
                                 json.dumps(plan_data()).encode("utf-16"), b""])
def test_unreadable_bytes(tmp_path, raw, capsys):
    path = tmp_path / "plan.json"
    path.write_bytes(raw)
    with pytest.raises(MakkerError) as info:
        Plan.load(path)
    assert_clear(info.value)
    code, err = cli(capsys, "check", path)
    assert code == 2


@pytest.mark.filterwarnings("ignore:Glyph")  # a tab in a name has no glyph: drawn as a box
@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_odd_but_valid_plans_work_everywhere(tmp_path, case, capsys):
    path = write(tmp_path, ACCEPTED[case])
    plan = Plan.load(path)
    assert plan.rotations
    assert cli(capsys, "check", path)[0] == 0
    assert cli(capsys, "pack", path, "--rotation", "1", "--out", tmp_path / "x.pdf")[0] == 0


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
                    max_leaves=20)


@settings(max_examples=150, deadline=None)
@given(students=st.one_of(JSON, st.just(STUDENTS)), rotations=JSON, groups=JSON, number=JSON, start=JSON)
def test_random_plan_structures(students, rotations, groups, number, start):
    """Random JSON in every slot of the plan file: a Plan or MakkerError, nothing else."""
    for data in (plan_data(students=students, rotations=rotations),
                 plan_data(students=students, rotations=[{"number": number, "groups": groups, "start": start}])):
        try:
            plan = Plan.from_json(data)
        except MakkerError as err:
            assert_clear(err)
            continue
        ids = {s.id for s in plan.students}
        for r in plan.rotations:  # what the charts and the pack rely on
            members = r.members()
            assert len(members) == len(set(members)) and set(members) <= ids
