"""`makker plan --all-classes`: one plan per class in parallel, a summary, per-class failures, --county."""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from makker import calendar
from makker.batch import class_filenames
from makker.cli import main
from makker.plan import Plan
from makker.roster import read_rosters
from makker.rules import Rules

SCHOOL = Path(__file__).resolve().parent.parent / "sample_rosters" / "hele_skolen_vg1.xlsx"
START, COUNTY = date(2026, 9, 14), "Oslo"  # rotation 1 runs into Oslo's autumn break (week 40)
FAILING = "1ELA"


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("makker: ") and "Traceback" not in err[0]
    return err[0]


@pytest.fixture(scope="module")
def school():
    return read_rosters(SCHOOL).rosters


@pytest.fixture(scope="module")
def batch(school, tmp_path_factory):
    """One batch run for the whole module: the slow part (a few seconds per class)."""
    tmp = tmp_path_factory.mktemp("batch")
    by_class = {r.klass: r.students for r in school}
    sta, stb, ela = by_class["1STA"], by_class["1STB"], by_class[FAILING]
    never = tmp / "aldri.csv"
    rows = [(sta[0].name, sta[1].name),  # inside 1STA, by name
            (sta[2].id, stb[0].id)]  # across two classes: irrelevant for per-class plans
    rows += [(ela[0].id, s.id) for s in ela[1:]]  # makes 1ELA impossible
    never.write_text("".join(f"{a};{b}\n" for a, b in rows), encoding="utf-8")
    out = tmp / "planer"
    rc = main(["plan", str(SCHOOL), "--all-classes", "--out", str(out), "--never", str(never),
               "--rotations", "2", "--time-limit", "3", "--jobs", "2", "--start", START.isoformat(),
               "--county", COUNTY, "--seed", "1"])
    return rc, out, (sta[0].id, sta[1].id), ela[0].name


def test_exit_2_when_one_class_fails_but_the_others_are_written(batch, school):
    rc, out, _, _ = batch
    assert rc == 2
    names = class_filenames([r.klass for r in school], "json")
    written = {p.name for p in out.iterdir()}
    expected = {names[r.klass] for r in school if r.klass != FAILING}
    assert expected | {"sammendrag.csv", "sammendrag.json"} == written


def test_every_plan_is_valid(batch, school):
    rc, out, (a, b), _ = batch
    names = class_filenames([r.klass for r in school], "json")
    for roster in school:
        if roster.klass == FAILING:
            continue
        plan = Plan.load(out / names[roster.klass])
        assert plan.klass == roster.klass and len(plan.rotations) == 2
        ids = sorted(s.id for s in roster.students)
        for rotation in plan.rotations:
            seen = Counter(sid for group in rotation.groups for pair in group for sid in pair)
            assert sorted(seen) == ids and set(seen.values()) == {1}  # every student exactly once
            for group in rotation.groups:
                members = {sid for pair in group for sid in pair}
                assert not {a, b} <= members  # the never-together rule holds


def test_dates_skip_the_county_holidays(batch, school):
    _, out, _, _ = batch
    expected = calendar.rotation_dates(START, 2, county=COUNTY)
    assert expected != calendar.rotation_dates(START, 2)  # the county makes a difference here
    plan = Plan.load(out / "1STB.json")
    assert [(r.start, r.end) for r in plan.rotations] == expected


def test_summary_complete(batch, school):
    _, out, _, failing_name = batch
    data = json.loads((out / "sammendrag.json").read_text(encoding="utf-8"))
    rows = {row["klass"]: row for row in data["classes"]}
    assert list(rows) == [r.klass for r in school]  # file order
    sizes = {r.klass: len(r.students) for r in school}
    for klass, row in rows.items():
        assert row["students"] == sizes[klass]
        if klass == FAILING:
            assert row["status"] == "failed" and row["file"] == "" and failing_name in row["message"]
            continue
        assert row["status"] in ("ok", "timeout") and (out / row["file"]).exists()
        assert row["rotations"] == 2 and row["repeated_pairs"] == 0
        assert 1 <= row["repeat_free_rotations"] <= 2
        assert 3 <= row["min_classmates"] <= row["mean_classmates"] <= 10  # at most 5 new mates a rotation
        assert row["seconds"] > 0
    with (out / "sammendrag.csv").open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f, delimiter=";"))
    assert len(table) == 1 + len(school) and all(len(r) == len(table[0]) == 11 for r in table)
    assert [r[0] for r in table[1:]] == list(rows)


def test_summary_names_no_rule_partner(batch, school):
    """The summary may name a blocked student (what to fix), never who the rules are with."""
    _, out, _, _ = batch
    by_class = {r.klass: r.students for r in school}
    partners = [by_class["1STA"][i].name for i in range(3)] + [by_class["1STB"][0].name]
    partners += [s.name for s in by_class[FAILING][1:]]
    for name in ("sammendrag.csv", "sammendrag.json"):
        text = (out / name).read_text(encoding="utf-8-sig")
        assert not [p for p in partners if p in text]


def test_bad_folder_is_one_line(tmp_path, capsys):
    blocker = tmp_path / "fil.txt"
    blocker.write_text("x", encoding="utf-8")
    rc = main(["plan", str(SCHOOL), "--all-classes", "--out", str(blocker / "planer"), "--time-limit", "1"])
    assert rc == 2
    assert str(blocker / "planer") in _one_line_error(capsys)


@pytest.mark.parametrize("option", [["--class", "1STA"], ["--format", "pdf"], ["--jobs", "0"],
                                    ["--county", "Atlantis", "--start", "2026-08-17"], ["--county", "Oslo"]])
def test_bad_batch_options_exit_2(tmp_path, capsys, option):
    rc = main(["plan", str(SCHOOL), "--all-classes", *option, "--out", str(tmp_path / "ut")])
    assert rc == 2
    _one_line_error(capsys)
    assert not (tmp_path / "ut").exists()  # nothing written before the options are checked


def test_unknown_county_in_single_class_mode(tmp_path, capsys):
    rc = main(["--lang", "en", "plan", str(SCHOOL), "--class", "1ELA", "--start", "2026-08-17",
               "--county", "Atlantis", "--out", str(tmp_path / "p.json")])
    assert rc == 2 and "Atlantis" in _one_line_error(capsys)


def test_class_filenames_never_collide():
    names = class_filenames(["1ST/A", "1ST A", "sammendrag", "1STB"], "csv")
    assert len(set(names.values())) == 4
    assert names["1STB"] == "1STB.csv" and names["sammendrag"] != "sammendrag.csv"
    assert all(n.endswith(".csv") and "/" not in n for n in names.values())


def test_xlsx_csv_and_a_crashing_class_in_the_pool(tmp_path):
    """Other formats are written; an internal error in one worker becomes that class's row."""
    from makker.batch import ClassJob, run_jobs
    from makker.fictional import fictional_students
    from makker.rules import Weights

    def job(klass, students, fmt):
        return ClassJob(klass, students, Rules(), Weights(), 2, None, 1.0, "cbc", 0,
                        str(tmp_path / f"{klass}.{fmt}"), "en")

    jobs = [job("1A", fictional_students(8, seed=1, klass="1A"), "xlsx"),
            job("1B", ["not a student"] * 8, "csv"),
            job("1C", fictional_students(9, seed=2, klass="1C"), "csv")]
    seen = []
    rows = run_jobs(jobs, 2, seen.append)
    assert [r.klass for r in rows] == ["1A", "1B", "1C"] and len(seen) == 3
    assert rows[1].status == "failed" and "Internal error" in rows[1].message and not rows[1].file
    for row in (rows[0], rows[2]):
        assert row.status in ("ok", "timeout") and (tmp_path / row.file).stat().st_size > 0
    assert (tmp_path / "1A.xlsx").read_bytes()[:2] == b"PK"
    text = (tmp_path / "1C.csv").read_text(encoding="utf-8-sig")
    assert all(s.name in text for s in jobs[2].students)
