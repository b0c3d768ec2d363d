"""Hostile workspace files: a ``.makker`` upload is someone else's SQLite file.

``Workspace.import_file`` must either refuse the file with one clear message
or install a workspace whose every read works: the dashboard reads classes,
rosters, rules, settings, weights, plans, published rotations and the log
right after an import, and a crash there would leave the coordinator stuck.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_hostile import assert_clear  # noqa: E402  (tests/ is on sys.path)

from makker.fictional import fictional_roster
from makker.i18n import MakkerError
from makker.plan import Plan, Rotation
from makker.store import Workspace


def good_workspace(folder: Path) -> Path:
    roster = fictional_roster(8, seed=1)
    ws = Workspace(folder / "kilde.sqlite", year="2026-2027")
    rev = ws.save_roster(roster)
    ids = roster.ids()
    groups = ((tuple(ids[0:2]), tuple(ids[2:4])), (tuple(ids[4:6]), tuple(ids[6:8])))
    rev = ws.save_settings("1STA", {"weights": {"gender": 5}}, rev)
    ws.save_plan("1STA", Plan("1STA", roster.students, [Rotation(1, groups)]), rev)
    ws.publish("1STA", 1)
    ws.log_rotation("1STA", 1, change_done=True, contracts_written=False)
    return ws.path


def read_everything(ws: Workspace) -> None:
    """What the dashboard does after opening a workspace."""
    for info in ws.classes():
        ws.roster(info.name)
        ws.rules(info.name)
        ws.settings(info.name)
        ws.weights(info.name)
        ws.load_plan(info.name)
        ws.published(info.name)
    ws.log()
    ws.overview()


def import_outcome(source, dest: Path):
    try:
        ws = Workspace.import_file(source, dest)
    except MakkerError as err:
        assert_clear(err)
        return err
    read_everything(ws)  # any exception here fails the test
    return ws


TAMPER = {
    "plan is not JSON": "UPDATE plans SET data = 'not json'",
    "plan has a text version": "UPDATE plans SET data = json_set(data, '$.version', 'abc')",
    "plan names an unknown student": "UPDATE plans SET data = json_set(data, '$.rotations[0].groups[0][0][0]', 'x')",
    "settings not JSON": "UPDATE classes SET settings = '[[['",
    "settings a list": "UPDATE classes SET settings = '[1, 2]'",
    "weights not numbers": "UPDATE classes SET settings = '{\"weights\": {\"gender\": \"mye\"}}'",
    "published rotation garbage": "UPDATE published SET data = '{\"groups\": 5}'",
    "log day not a date": "UPDATE log SET day = 'i morgen'",
    "meta version text": "UPDATE meta SET value = 'abc' WHERE key = 'version'",
    "students table without CHECK and a wrong gender": (
        "PRAGMA foreign_keys=OFF; CREATE TABLE s2 AS SELECT * FROM students; DROP TABLE students;"
        " ALTER TABLE s2 RENAME TO students; UPDATE students SET gender = 'X'"),
    "students table missing a column": (
        "PRAGMA foreign_keys=OFF; CREATE TABLE s2 AS SELECT klass, id, name FROM students; DROP TABLE students;"
        " ALTER TABLE s2 RENAME TO students"),
}


@pytest.mark.parametrize("case", sorted(TAMPER))
def test_tampered_workspace_is_refused_or_fully_readable(tmp_path, case):
    path = good_workspace(tmp_path)
    with sqlite3.connect(path) as conn:
        conn.executescript(TAMPER[case])
    conn.close()
    outcome = import_outcome(path.read_bytes(), tmp_path / "ny.sqlite")
    if isinstance(outcome, MakkerError):
        assert outcome.key.startswith("store.")


def test_untampered_workspace_imports(tmp_path):
    path = good_workspace(tmp_path)
    ws = import_outcome(path.read_bytes(), tmp_path / "ny.sqlite")
    assert isinstance(ws, Workspace) and ws.class_names() == ["1STA"]


GOOD = None


@settings(max_examples=int(os.environ.get("MAKKER_FUZZ_EXAMPLES", "60")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**31), flips=st.integers(1, 30))
def test_flipped_bytes_in_a_workspace(tmp_path_factory, seed, flips):
    import random

    global GOOD
    if GOOD is None:
        GOOD = good_workspace(tmp_path_factory.mktemp("good")).read_bytes()
    rng = random.Random(seed)
    data = bytearray(GOOD)
    for _ in range(flips):
        data[rng.randrange(len(data))] = rng.randrange(256)
    dest = tmp_path_factory.mktemp("import") / "ny.sqlite"
    import_outcome(bytes(data), dest)
