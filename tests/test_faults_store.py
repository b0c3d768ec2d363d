"""The workspace under crashes and damage: lose nothing that was saved.

- A process SIGKILLed at random moments while it saves over and over: the
  workspace always opens and holds the last completed save (or the one that
  was committing), never a mix.
- A damaged file (garbage page, truncated, emptied to 0 bytes, replaced by a
  picture): one clear message in every language that names the latest backup,
  and restoring that backup gives back its data.
- Files set aside while recovering hold names too: deleting a class or the
  school year removes them.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from test_hostile import assert_clear  # noqa: E402  (tests/ is on sys.path)

from makker.fictional import fictional_roster
from makker.i18n import LANGUAGES, MakkerError
from makker.plan import Plan, Rotation
from makker.store import Workspace

ROOT = Path(__file__).resolve().parents[1]


def numbered_plan(roster, k: int) -> Plan:
    """Plan number ``k``: its rotation count and seating order both encode ``k``."""
    ids = roster.ids()
    rots = []
    for r in range(1 + k % 4):
        shift = (k + r) % len(ids)
        order = ids[shift:] + ids[:shift]
        pairs = [tuple(order[i:i + 2]) for i in range(0, len(order), 2)]
        rots.append(Rotation(r + 1, tuple(tuple(pairs[i:i + 2]) for i in range(0, len(pairs), 2)),
                             date(2026, 8, 17), date(2026, 9, 4)))
    return Plan(roster.klass, list(roster.students), rots)


SAVER = textwrap.dedent("""
    import sys
    from makker.fictional import fictional_roster
    from makker.store import Workspace
    sys.path.insert(0, sys.argv[3])
    from test_faults_store import numbered_plan
    ws = Workspace(sys.argv[1])
    roster = fictional_roster(12, seed=1)
    rev, k = ws.revision("1STA"), int(sys.argv[2])
    while True:
        k += 1
        rev = ws.save_plan("1STA", numbered_plan(roster, k), rev)
        if k % 7 == 0:
            ws.backup()  # a kill may also land in the middle of a backup copy
        print(k, rev, flush=True)
""")


@pytest.mark.parametrize("seed", range(4))
def test_sigkill_at_random_moments_keeps_the_last_completed_save(tmp_path, seed):
    roster = fictional_roster(12, seed=1)
    ws = Workspace(tmp_path / "2026-2027.sqlite")
    rev = ws.save_plan("1STA", numbered_plan(roster, 0), ws.save_roster(roster))
    base = rev
    rng = random.Random(seed)
    script = tmp_path / "saver.py"
    script.write_text(SAVER)
    last_k = 0
    for round_ in range(3):
        proc = subprocess.Popen([sys.executable, str(script), str(ws.path), str(last_k), str(ROOT / "tests")],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
        try:
            for _ in range(rng.randrange(2, 12)):  # let a few saves complete
                line = proc.stdout.readline()
                assert line, proc.stderr.read()
            os.kill(proc.pid, signal.SIGKILL)
            rest = proc.stdout.read()
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        lines = [line for line in (line + rest).splitlines() if line.strip()]
        completed_k, completed_rev = map(int, lines[-1].split())
        after = Workspace(ws.path)  # opens without any message
        plan, disk_rev = after.load_plan("1STA")
        # the save that was committing when the kill came may have made it, nothing else
        assert disk_rev in (completed_rev, completed_rev + 1), (disk_rev, completed_rev)
        k_on_disk = completed_k + (disk_rev - completed_rev)
        assert plan.to_json() == numbered_plan(roster, k_on_disk).to_json()
        assert disk_rev - base == k_on_disk
        last_k = k_on_disk
    assert last_k > 0


CUT_OFF = textwrap.dedent("""
    import os, sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA cache_size = 1")  # changed pages spill into the file before the commit
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE meta SET value = value")
    conn.executemany("INSERT INTO meta VALUES (?, ?)", ((f"cut{i}", os.urandom(400).hex()) for i in range(int(sys.argv[2]))))
    os._exit(0)  # killed before the commit
""")


@pytest.mark.parametrize("rows", [300, 3000])
def test_a_save_cut_off_while_its_pages_are_written_is_rolled_back_on_the_next_open(tmp_path, rows):
    """The kill leaves a hot journal beside the file: the next open rolls the save back and calls nothing damaged."""
    roster = fictional_roster(12, seed=1)
    ws = Workspace(tmp_path / "2026-2027.sqlite")
    rev = ws.save_plan("1STA", numbered_plan(roster, 3), ws.save_roster(roster))
    subprocess.run([sys.executable, "-c", CUT_OFF, str(ws.path), str(rows)], check=True, timeout=60)
    journal = ws.path.with_name(ws.path.name + "-journal")
    assert journal.exists()  # the cut-off save left its journal
    after = Workspace(ws.path)  # opens without any message
    plan, disk_rev = after.load_plan("1STA")
    assert disk_rev == rev and plan.to_json() == numbered_plan(roster, 3).to_json()
    assert not journal.exists()
    with closing(sqlite3.connect(ws.path)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM meta WHERE key LIKE 'cut%'").fetchone()[0] == 0


@pytest.fixture
def saved(tmp_path):
    """A workspace with a plan, a backup of it, and one later save not yet backed up."""
    roster = fictional_roster(12, seed=2)
    ws = Workspace(tmp_path / "2026-2027.sqlite")
    rev = ws.save_plan("1STA", numbered_plan(roster, 1), ws.save_roster(roster))
    backup = ws.backup()
    ws.save_plan("1STA", numbered_plan(roster, 2), rev)
    return ws, roster, backup


def _damage_page(path: Path) -> None:
    data = bytearray(path.read_bytes())
    assert len(data) >= 3 * 4096
    data[4096:8192] = os.urandom(4096)
    path.write_bytes(bytes(data))


DAMAGE = {
    "garbage page": _damage_page,
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 3]),
    "emptied": lambda p: p.write_bytes(b""),
    "picture": lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100),
    "header only": lambda p: p.write_bytes(p.read_bytes()[:100]),
}


@pytest.mark.parametrize("how", sorted(DAMAGE))
def test_damaged_workspace_gives_one_message_and_offers_the_backup(saved, how):
    ws, roster, backup = saved
    DAMAGE[how](ws.path)
    with pytest.raises(MakkerError) as info:
        Workspace(ws.path)
    err = info.value
    assert err.key == "store.corrupt", err.key
    assert_clear(err)
    for lang in LANGUAGES:
        assert str(backup) in err.message(lang)
    restored = Workspace.restore(backup, ws.path)
    assert restored.plan("1STA").to_json() == numbered_plan(roster, 1).to_json()  # the backed-up save
    assert restored.roster("1STA").students == roster.students


def test_damaged_workspace_without_backup_says_so(tmp_path):
    path = tmp_path / "2026-2027.sqlite"
    ws = Workspace(path)
    ws.save_roster(fictional_roster(8, seed=3))
    for b in ws.backups():
        b.unlink()
    _damage_page_or_truncate(path)
    with pytest.raises(MakkerError) as info:
        Workspace(path)
    assert info.value.key == "store.corrupt_no_backup"
    assert_clear(info.value)


def _damage_page_or_truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:100] + os.urandom(max(0, len(data) - 100)))


def test_set_aside_files_are_deleted_with_the_class_and_the_year(saved):
    """restore() keeps the broken file as ``.broken``; an aborted backup leaves ``.part``."""
    ws, roster, backup = saved
    _damage_page(ws.path)
    ws = Workspace.restore(backup, ws.path)
    broken = Path(str(ws.path) + ".broken")
    part = ws.backup_folder() / f"{ws.path.stem}-20260101T000000000000Z.sqlite.part"
    part.write_bytes(ws.path.read_bytes())
    assert broken.exists()
    ws.delete_class("1STA", confirm="1STA")
    name = roster.students[0].name.encode()
    for f in [ws.path, *ws.path.parent.rglob("*")]:
        if f.is_file():
            assert name not in f.read_bytes(), f"{f.name} still holds a deleted student's name"
    part.write_bytes(b"x" + name)
    broken.write_bytes(b"x" + name)
    ws.delete_year(confirm="2026-2027")
    assert [f.name for f in ws.path.parent.rglob("*") if f.is_file()] == []
