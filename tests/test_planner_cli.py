"""`makker plan` and `makker check`: exit codes, one-line errors, no rule pairs in any output."""

from __future__ import annotations

import csv
import json

import pytest

from makker.cli import main
from makker.fictional import fictional_students


@pytest.fixture
def files(tmp_path):
    students = fictional_students(10, seed=2)
    roster = tmp_path / "klasse.csv"
    with roster.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["Elevnummer", "Fornavn", "Etternavn", "Klasse", "Kjønn", "Skole"])
        for s in students:
            w.writerow([s.id, s.first, s.last, "1STA", s.gender, s.school])
    never = tmp_path / "never.csv"
    never.write_text(f"{students[0].name};{students[1].name}\n", encoding="utf-8")
    return tmp_path, roster, never, students


def _one_line_error(capsys):
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("makker: ")
    assert "Traceback" not in err[0]
    return err[0]


def test_plan_then_check(files, capsys):
    tmp, roster, never, students = files
    out = tmp / "plan.json"
    rc = main(["plan", str(roster), "--rotations", "2", "--never", str(never), "--start", "2026-08-17",
               "--time-limit", "10", "--seed", "1", "--out", str(out)])
    assert rc == 0
    text = out.read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["format"] == "makker-plan" and len(data["rotations"]) == 2
    assert data["rotations"][0]["start"]
    # the never-together pair is nowhere in the file, and is never in one group
    a, b = students[0].id, students[1].id
    for rotation in data["rotations"]:
        for group in rotation["groups"]:
            members = {s for p in group for s in p}
            assert not {a, b} <= members
    assert "never" not in text.lower()
    capsys.readouterr()
    assert main(["check", str(out), "--never", str(never)]) == 0
    printed = capsys.readouterr().out
    figures = json.loads(printed)
    assert figures["broken_never"] == 0
    assert students[0].name not in printed  # check prints figures, not who is never-together


@pytest.mark.parametrize("option", [["--gender", "11"], ["--repeat", "x"], ["--rotations", "0"],
                                    ["--start", "17.13.2026"], ["--solver", "glpk"], ["--keep", "1"],
                                    ["--time-limit", "-3"]])
def test_bad_options_exit_2(files, capsys, option):
    tmp, roster, _, _ = files
    assert main(["plan", str(roster), *option, "--out", str(tmp / "p.json")]) == 2
    _one_line_error(capsys)


def test_unknown_student_in_never_file(files, capsys):
    tmp, roster, _, _ = files
    bad = tmp / "bad.csv"
    bad.write_text("Ingen Elev;Noen Andre\n", encoding="utf-8")
    assert main(["plan", str(roster), "--never", str(bad), "--out", str(tmp / "p.json")]) == 2
    assert "Ingen Elev" in _one_line_error(capsys)


def test_impossible_rules_named(files, capsys):
    tmp, roster, _, students = files
    never = tmp / "many.csv"
    never.write_text("".join(f"{students[0].id};{s.id}\n" for s in students[1:]), encoding="utf-8")
    assert main(["--lang", "en", "plan", str(roster), "--never", str(never), "--out", str(tmp / "p.json")]) == 2
    line = _one_line_error(capsys)
    assert students[0].name in line and "9 of the 9" in line
    assert not (tmp / "p.json").exists()


def test_history_keep(files, capsys):
    tmp, roster, _, _ = files
    first = tmp / "first.json"
    assert main(["plan", str(roster), "--rotations", "2", "--time-limit", "6", "--out", str(first)]) == 0
    second = tmp / "second.json"
    assert main(["plan", str(roster), "--rotations", "3", "--history", str(first), "--keep", "1",
                 "--time-limit", "6", "--out", str(second)]) == 0
    old, new = json.loads(first.read_text()), json.loads(second.read_text())
    assert new["rotations"][0] == old["rotations"][0] and len(new["rotations"]) == 3
    assert main(["plan", str(roster), "--history", str(first), "--keep", "5", "--out", str(second)]) == 2


def test_history_of_another_class_is_refused(files, capsys):
    tmp, roster, _, _ = files
    other = tmp / "other.json"
    strangers = fictional_students(10, seed=9, klass="1STB", id_start=9001)
    from makker.plan import Plan, Rotation

    ids = [s.id for s in strangers]
    groups = ((tuple(ids[0:2]), tuple(ids[2:4])), (tuple(ids[4:6]), tuple(ids[6:8]), tuple(ids[8:10])))
    Plan("1STB", strangers, [Rotation(1, groups)]).save(other)
    out = tmp / "p.json"
    assert main(["--lang", "en", "plan", str(roster), "--history", str(other), "--keep", "1", "--out", str(out)]) == 2
    assert "1STB" in _one_line_error(capsys) and not out.exists()
    # the same plan relabelled as 1STA still shares no student with the class
    Plan("1STA", strangers, [Rotation(1, groups)]).save(other)
    assert main(["plan", str(roster), "--history", str(other), "--keep", "1", "--out", str(out)]) == 2
    _one_line_error(capsys)


@pytest.mark.parametrize("extra, key", [
    (["--history", "{first}"], "--keep"),  # keeping every rotation silently is not what was asked
    (["--history", "{first}", "--keep", "2", "--rotations", "1"], "--rotations"),
])
def test_history_options_are_explicit(files, capsys, extra, key):
    tmp, roster, _, _ = files
    first = tmp / "first.json"
    assert main(["plan", str(roster), "--rotations", "2", "--time-limit", "4", "--out", str(first)]) == 0
    capsys.readouterr()
    args = [a.format(first=first) for a in extra]
    assert main(["--lang", "en", "plan", str(roster), *args, "--out", str(tmp / "second.json")]) == 2
    assert key in _one_line_error(capsys)


def test_missing_output_folder_is_reported_before_planning(files, capsys):
    tmp, roster, _, _ = files
    assert main(["--lang", "en", "plan", str(roster), "--out", str(tmp / "nowhere" / "p.json")]) == 2
    line = _one_line_error(capsys)
    assert "nowhere" in line and "folder" in line


def test_bad_command_line_is_one_translated_line(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--lang", "nn", "plan", "klasse.csv", "--out", "p.json", "--bogus"])
    assert exit_.value.code == 2
    line = _one_line_error(capsys)
    assert "--bogus" in line and "Sjå" in line


def test_check_on_a_spreadsheet_says_it_is_not_a_plan(files, capsys):
    tmp, roster, _, _ = files
    assert main(["--lang", "en", "check", str(roster)]) == 2
    assert "not a makker plan" in _one_line_error(capsys)
