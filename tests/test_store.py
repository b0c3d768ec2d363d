"""The school-year workspace: round trips, conflicts, crash safety, real deletion."""

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from makker.fictional import fictional_roster
from makker.i18n import LANGUAGES, MakkerError
from makker.plan import Plan, Rotation
from makker.rules import Rules, Weights, pair
from makker.store import Workspace, school_year
from makker.students import Student


def simple_plan(roster, rotations=3, klass=None):
    ids = roster.ids()
    rots = []
    for r in range(rotations):
        order = ids[r:] + ids[:r]
        pairs = [tuple(order[i:i + 2]) for i in range(0, len(order), 2)]
        groups = tuple(tuple(pairs[i:i + 2]) for i in range(0, len(pairs), 2))
        rots.append(Rotation(r + 1, groups, date(2026, 8, 17 + 0), None))
    return Plan(klass or roster.klass, list(roster.students), rots)


@pytest.fixture
def ws(tmp_path):
    return Workspace(tmp_path / "2026-2027.sqlite")


@pytest.fixture
def roster():
    return fictional_roster(8, seed=3)


def test_school_year_name():
    assert school_year(date(2026, 8, 17)) == "2026-2027"
    assert school_year(date(2027, 3, 1)) == "2026-2027"


def test_default_path_uses_makker_home(tmp_path, monkeypatch):
    monkeypatch.setenv("MAKKER_HOME", str(tmp_path))
    w = Workspace(year="2030-2031")
    assert w.path == tmp_path / "2030-2031.sqlite" and w.path.exists()


def test_files_are_private(ws, roster):
    ws.save_roster(roster)
    backup = Workspace(ws.path).backups()[-1]
    assert ws.path.stat().st_mode & 0o077 == 0
    assert backup.stat().st_mode & 0o077 == 0


def test_schema_has_no_national_id_or_birth_date(ws):
    with sqlite3.connect(ws.path) as conn:
        cols = " ".join(r[1].lower() for t in ("students", "rules", "classes")
                        for r in conn.execute(f"PRAGMA table_info({t})"))
    for banned in ("fodsel", "fødsel", "birth", "national", "ssn", "personnummer", "reason", "grunn"):
        assert banned not in cols


def test_roster_rules_settings_plan_round_trip(ws, roster, tmp_path):
    rev = ws.save_roster(roster)
    a, b, c = roster.ids()[:3]
    rev = ws.save_rules("1STA", Rules(never={pair(a, b)}, apart={pair(a, c)}), rev)
    rev = ws.save_settings("1STA", {"weights": {"gender": 3, "repeat": 9}, "county": "Oslo"}, rev)
    plan = simple_plan(roster)
    rev = ws.save_plan("1STA", plan, rev)
    again = Workspace(ws.path)  # a fresh process would do the same
    assert again.roster("1STA").students == roster.students
    assert again.rules("1STA").never == {pair(a, b)} and again.rules("1STA").apart == {pair(a, c)}
    assert again.weights("1STA") == Weights(gender=3, repeat=9)
    loaded, rev2 = again.load_plan("1STA")
    assert rev2 == rev
    assert loaded.to_json() == plan.to_json()
    assert again.class_names() == ["1STA"]


def test_two_tabs_conflict_is_detected(ws, roster):
    rev = ws.save_roster(roster)
    tab1 = tab2 = rev
    plan = simple_plan(roster)
    ws.save_plan("1STA", plan, tab1)
    with pytest.raises(MakkerError) as err:
        ws.save_plan("1STA", simple_plan(roster, 2), tab2)
    assert err.value.key == "store.conflict"
    for lang in LANGUAGES:
        assert "1STA" in err.value.message(lang)
    assert len(ws.plan("1STA").rotations) == 3  # the first tab's work survived


def test_published_rotation_is_locked(ws, roster):
    rev = ws.save_plan("1STA", simple_plan(roster), ws.save_roster(roster))
    rev = ws.publish("1STA", 1, rev)
    assert ws.published_numbers("1STA") == [1]
    changed = simple_plan(roster)
    changed.rotations[0] = changed.rotations[1].__class__(1, changed.rotations[1].groups)
    with pytest.raises(MakkerError) as err:
        ws.save_plan("1STA", changed, rev)
    assert err.value.key == "store.locked"
    # the same rotation 1 with other later rotations is fine
    later = simple_plan(roster, 4)
    ws.save_plan("1STA", later, rev)
    with pytest.raises(MakkerError):
        ws.publish("1STA", 9)


def test_join_and_leave(ws, roster):
    rev = ws.save_roster(roster)
    leaver = roster.ids()[0]
    rev = ws.remove_student("1STA", leaver, rev)
    rev = ws.add_student("1STA", Student("9001", "Åse Ødegård", "Åse", "Ødegård", "1STA", "K"), rev)
    now = ws.roster("1STA")
    assert leaver not in now.ids() and "9001" in now.ids()
    assert leaver in ws.roster("1STA", include_left=True).ids()
    with pytest.raises(MakkerError):
        ws.remove_student("1STA", "nobody")


def test_implementation_log_and_overview(ws, roster):
    ws.save_plan("1STA", simple_plan(roster), ws.save_roster(roster))
    ws.log_rotation("1STA", 1, change_done=True, contracts_written=False, day=date(2026, 8, 17), note="Bra start")
    ws.log_rotation("1STA", 1, change_done=True, contracts_written=True, day=date(2026, 8, 18), note="Kontrakter ok")
    entries = ws.log("1STA")
    assert len(entries) == 1 and entries[0].contracts_written and entries[0].note == "Kontrakter ok"
    (row,) = ws.overview()
    assert row == {"class": "1STA", "students": 8, "planned": 3, "published": 0,
                   "changes_done": 1, "contracts_written": 1}


def test_cross_class_rules(ws):
    a = fictional_roster(6, seed=1, klass="1STA")
    b = fictional_roster(6, seed=2, klass="1STB", id_start=5001)
    ws.save_roster(a)
    ws.save_roster(b)
    ws.add_rule("never", ("1STA", a.ids()[0]), ("1STB", b.ids()[0]))
    key = lambda k, i: f"{k}/{i}"  # noqa: E731
    members = [("1STA", i) for i in a.ids()] + [("1STB", i) for i in b.ids()]
    rules = ws.rules_between(members, key)
    assert rules.never == {pair(f"1STA/{a.ids()[0]}", f"1STB/{b.ids()[0]}")}
    assert ws.rules("1STA").never == set()


def test_export_import_round_trip(ws, roster, tmp_path):
    ws.save_plan("1STA", simple_plan(roster), ws.save_roster(roster))
    out = ws.export(tmp_path / "mitt skoleår")
    assert out.suffix == ".makker"
    moved = Workspace.import_file(out, tmp_path / "other" / "2026-2027.sqlite")
    assert moved.plan("1STA").to_json() == ws.plan("1STA").to_json()
    with pytest.raises(MakkerError) as err:
        Workspace.import_file(out, moved.path)
    assert err.value.key == "store.exists"
    again = Workspace.import_file(ws.export_bytes(), moved.path, replace=True)
    assert again.class_names() == ["1STA"]


def test_import_rejects_other_files(tmp_path):
    bad = tmp_path / "x.makker"
    bad.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(MakkerError) as err:
        Workspace.import_file(bad, tmp_path / "w.sqlite")
    assert err.value.key == "store.not_a_workspace"
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(MakkerError):
        Workspace.import_file(other, tmp_path / "w2.sqlite")


def test_import_rejects_a_file_with_triggers(ws, roster, tmp_path):
    ws.save_roster(roster)
    out = ws.export(tmp_path / "lurt")
    with sqlite3.connect(out) as conn:
        conn.execute("CREATE TRIGGER spy AFTER INSERT ON plans BEGIN DELETE FROM log; END")
    with pytest.raises(MakkerError) as err:
        Workspace.import_file(out, tmp_path / "w.sqlite")
    assert err.value.key == "store.not_a_workspace"


def test_corrupt_file_offers_the_last_backup(ws, roster):
    ws.save_plan("1STA", simple_plan(roster), ws.save_roster(roster))
    Workspace(ws.path)  # opening makes a backup
    good = ws.backups()[-1]
    ws.path.write_bytes(b"\0garbage" * 4096)
    with pytest.raises(MakkerError) as err:
        Workspace(ws.path)
    assert err.value.key == "store.corrupt" and str(good) in err.value.message("en")
    restored = Workspace.restore(good, ws.path)
    assert restored.plan("1STA") is not None


def test_backups_roll(tmp_path, roster):
    path = tmp_path / "y.sqlite"
    Workspace(path, keep_backups=3).save_roster(roster)
    for _ in range(6):
        Workspace(path, keep_backups=3)
    assert len(Workspace(path, keep_backups=3).backups()) == 3


def _file_bytes(ws):
    data = ws.path.read_bytes()
    for extra in ws.backups():
        data += extra.read_bytes()
    return data


def test_delete_class_really_deletes(ws, roster):
    other = fictional_roster(6, seed=9, klass="2STB", id_start=7001)
    ws.save_roster(other)
    rev = ws.save_roster(roster)
    ws.save_plan("1STA", simple_plan(roster), rev)
    ws.log_rotation("1STA", 1, change_done=True, contracts_written=True, note="hemmelig notat")
    Workspace(ws.path)  # a backup that holds the class too
    name = roster.students[0].name.encode()
    assert name in _file_bytes(ws)
    with pytest.raises(MakkerError) as err:
        ws.delete_class("1STA", confirm="1sta")
    assert err.value.key == "store.confirm_class"
    ws.delete_class("1STA", confirm="1STA")
    assert ws.class_names() == ["2STB"]
    data = _file_bytes(ws)
    for s in roster.students:
        assert s.name.encode() not in data
    assert b"hemmelig" not in data
    assert other.students[0].name.encode() in data


def test_delete_year(ws, roster):
    ws.save_roster(roster)
    Workspace(ws.path)
    with pytest.raises(MakkerError):
        ws.delete_year(confirm="2025-2026")
    ws.delete_year(confirm="2026-2027")
    assert not ws.path.exists() and ws.backups() == []


CRASHER = textwrap.dedent("""
    import os, sys, time
    from makker.fictional import fictional_roster
    from makker.store import Workspace
    ws = Workspace(sys.argv[1])
    bigger = fictional_roster(30, seed=5)
    def hang():
        print("inside", flush=True)
        time.sleep(60)
    ws._before_commit = hang
    ws.save_roster(bigger, expected_revision=int(sys.argv[2]))
""")


def test_killed_mid_write_leaves_previous_state(ws, roster, tmp_path):
    rev = ws.save_plan("1STA", simple_plan(roster), ws.save_roster(roster))
    script = tmp_path / "crash.py"
    script.write_text(CRASHER)
    proc = subprocess.Popen([sys.executable, str(script), str(ws.path), str(rev)], stdout=subprocess.PIPE,
                            text=True, cwd=Path(__file__).resolve().parents[1])
    try:
        assert proc.stdout.readline().strip() == "inside"  # the transaction is open and half written
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    after = Workspace(ws.path)
    assert after.revision("1STA") == rev
    assert after.roster("1STA").students == roster.students
    assert after.plan("1STA").to_json() == simple_plan(roster).to_json()
    after.save_plan("1STA", simple_plan(roster, 2), rev)  # and it is writable again


def test_rolling_back_to_the_oldest_backup_when_the_backups_are_full(tmp_path):
    """The backup of the present is made after the chosen one is read: it may rotate the oldest away."""
    ws = Workspace(tmp_path / "year.sqlite", keep_backups=2)
    ws.save_roster(fictional_roster(12, seed=1, klass="1A"))
    oldest = ws.backup()
    ws.save_roster(fictional_roster(14, seed=2, klass="1B"))
    ws.backup()
    assert len(ws.backups()) == 2 and ws.backups()[0] == oldest
    back = ws.roll_back(oldest)
    assert back.class_names() == ["1A"]
    assert any("1B" in Workspace(b).class_names() for b in back.backups())  # the present, kept
