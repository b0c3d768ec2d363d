"""The school year on disk: one SQLite file that never loses a saved plan.

Everything a coordinator does during a school year lives in one file
(``~/makker/<skoleår>.sqlite`` by default, or under ``$MAKKER_HOME``):
classes, students, rules, the current plan of each class, the published
(locked) rotations and the implementation log.

Why it is built this way:
- every write is one transaction (``with conn:``) with ``synchronous=FULL``
  and a rollback journal, so a process killed mid-save leaves the previous
  state readable;
- each class has a revision counter; a save names the revision it started
  from, and a save from a stale browser tab is refused instead of silently
  overwriting newer work (optimistic concurrency);
- the schema has no column for national id numbers or birth dates, and rules
  are stored as id pairs without any reason;
- deleting uses ``secure_delete`` and ``VACUUM`` and removes the rolling
  backups, so deleted names are really gone from the disk files makker owns.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from .i18n import MakkerError
from .plan import Plan, Rotation
from .rules import Rules, Weights, keep_from_json, keep_to_json, pair
from .students import Roster, Student

FORMAT = "makker-workspace"
SCHEMA_VERSION = 1
SUFFIX = ".makker"
KEEP_BACKUPS = 10
BACKUP_EVERY_SECONDS = 300

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS classes (
    name TEXT PRIMARY KEY, revision INTEGER NOT NULL DEFAULT 0,
    settings TEXT NOT NULL DEFAULT '{}', updated TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS students (
    klass TEXT NOT NULL REFERENCES classes(name) ON DELETE CASCADE,
    id TEXT NOT NULL, name TEXT NOT NULL, first TEXT NOT NULL DEFAULT '', last TEXT NOT NULL DEFAULT '',
    gender TEXT CHECK (gender IN ('K', 'M')), school TEXT,
    active INTEGER NOT NULL DEFAULT 1, position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (klass, id));
CREATE TABLE IF NOT EXISTS rules (
    kind TEXT NOT NULL CHECK (kind IN ('never', 'apart')),
    klass_a TEXT NOT NULL, a TEXT NOT NULL, klass_b TEXT NOT NULL, b TEXT NOT NULL,
    PRIMARY KEY (kind, klass_a, a, klass_b, b));
CREATE TABLE IF NOT EXISTS plans (
    klass TEXT PRIMARY KEY REFERENCES classes(name) ON DELETE CASCADE,
    data TEXT NOT NULL, saved TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS published (
    klass TEXT NOT NULL REFERENCES classes(name) ON DELETE CASCADE,
    rotation INTEGER NOT NULL, data TEXT NOT NULL, published TEXT NOT NULL,
    PRIMARY KEY (klass, rotation));
CREATE TABLE IF NOT EXISTS log (
    klass TEXT NOT NULL REFERENCES classes(name) ON DELETE CASCADE,
    rotation INTEGER NOT NULL, change_done INTEGER NOT NULL DEFAULT 0,
    contracts_written INTEGER NOT NULL DEFAULT 0, day TEXT, note TEXT NOT NULL DEFAULT '',
    updated TEXT NOT NULL, PRIMARY KEY (klass, rotation));
"""
TABLES = ("meta", "classes", "students", "rules", "plans", "published", "log")


def school_year(today: date | None = None) -> str:
    """'2026-2027' from August on, '2025-2026' before (the year a plan belongs to)."""
    today = today or date.today()
    y = today.year if today.month >= 7 else today.year - 1
    return f"{y}-{y + 1}"


def default_folder() -> Path:
    return Path(os.environ.get("MAKKER_HOME") or Path.home() / "makker")


def default_path(year: str | None = None) -> Path:
    return default_folder() / f"{year or school_year()}.sqlite"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class ClassInfo:
    name: str
    revision: int
    students: int
    updated: str
    has_plan: bool
    published: tuple[int, ...]


@dataclass(frozen=True)
class LogEntry:
    """The fidelity record of one rotation: was the change done, were contracts written."""

    klass: str
    rotation: int
    change_done: bool
    contracts_written: bool
    day: date | None
    note: str
    updated: str


def _finish_cut_off_save(path: Path) -> None:
    """Roll back a save that a crash cut off, as SQLite does on the next writable open.

    The crash leaves a hot journal beside the file; the read-only check cannot
    roll it back and would call an intact workspace damaged.
    """
    if not path.with_name(path.name + "-journal").exists():
        return
    try:
        with closing(sqlite3.connect(path, timeout=10.0)) as conn:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError:
        pass  # the check that follows names what is wrong


def _check_file(path: Path) -> None:
    """Raise MakkerError unless ``path`` is a readable makker workspace."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            ok = conn.execute("PRAGMA quick_check").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            # a file from elsewhere must not bring code (triggers, views) that runs on our writes
            extras = conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE type IN ('trigger', 'view')").fetchone()[0]
            fmt = conn.execute("SELECT value FROM meta WHERE key='format'").fetchone() if "meta" in tables else None
            version = conn.execute("SELECT value FROM meta WHERE key='version'").fetchone() if fmt else None
    except (sqlite3.DatabaseError, UnicodeDecodeError):  # a damaged page can hold invalid UTF-8, even in messages
        raise MakkerError("store.not_a_workspace", path=path.name) from None
    if ok != "ok" or extras or not fmt or fmt[0] != FORMAT or not set(TABLES) <= tables or version is None:
        raise MakkerError("store.not_a_workspace", path=path.name)
    try:
        newer = int(version[0]) > SCHEMA_VERSION
    except (TypeError, ValueError):
        raise MakkerError("store.not_a_workspace", path=path.name) from None
    if newer:
        raise MakkerError("store.newer_version", version=version[0])


def _columns(conn: sqlite3.Connection) -> dict[str, list[str]]:
    return {t: [r[1] for r in conn.execute(f"PRAGMA table_info({t})")] for t in TABLES}


def _check_content(path: Path) -> None:
    """Refuse an imported file whose rows makker could not read back.

    A ``.makker`` upload is someone else's bytes: the tables must have our
    columns, and every stored plan, rotation, setting and date must load,
    or the dashboard would fail right after the import.
    """
    with closing(sqlite3.connect(":memory:")) as mem:
        mem.executescript(SCHEMA)
        expected = _columns(mem)
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":  # indexes too, unlike quick_check
                raise ValueError("integrity")
            if _columns(conn) != expected:
                raise ValueError("columns")
            for table in TABLES:  # every text decodes (invalid UTF-8 raises here, not in the dashboard)
                conn.execute(f"SELECT * FROM {table}").fetchall()
            for (data,) in conn.execute("SELECT data FROM plans"):
                Plan.from_json(json.loads(data))
            for (data,) in conn.execute("SELECT data FROM published"):
                Rotation.from_json(json.loads(data))
            for (text,) in conn.execute("SELECT settings FROM classes"):
                settings = json.loads(text or "{}")
                weights = settings.get("weights") or {}
                Weights(**{k: float(v) for k, v in weights.items() if k in ("gender", "school", "repeat", "apart")})
            for (day,) in conn.execute("SELECT day FROM log WHERE day IS NOT NULL"):
                date.fromisoformat(day)
    except (sqlite3.DatabaseError, ValueError, TypeError, KeyError, AttributeError, RecursionError, MakkerError):
        raise MakkerError("store.not_a_workspace", path=path.name) from None


class Workspace:
    """One school year's data in one SQLite file. Cheap to create; opens a connection per call."""

    def __init__(self, path: str | Path | None = None, *, year: str | None = None, keep_backups: int = KEEP_BACKUPS):
        self.path = Path(path) if path else default_path(year)
        self.year = year or self.path.stem
        self.keep_backups = keep_backups
        self._before_commit: Callable[[], None] | None = None  # test hook: crash inside a write
        self._last_backup = 0.0
        # A 0-byte file with backups beside it is a damaged workspace, not a new one.
        fresh = not self.path.exists() or (self.path.stat().st_size == 0 and not self.backups())
        if fresh:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        else:
            self._check_or_offer_backup()
        with closing(self._connect()) as conn:
            conn.executescript(SCHEMA)
        _private(self.path)
        with self._write() as conn:
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('format', ?)", (FORMAT,))
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('version', ?)", (str(SCHEMA_VERSION),))
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('year', ?)", (self.year,))
        if not fresh:
            self.backup()

    # ------------------------------------------------------------------ plumbing

    def _check_or_offer_backup(self) -> None:
        _finish_cut_off_save(self.path)
        try:
            _check_file(self.path)
        except MakkerError as err:
            if err.key == "store.newer_version":
                raise
            backups = self.backups()
            if not backups:
                raise MakkerError("store.corrupt_no_backup", path=str(self.path)) from None
            raise MakkerError("store.corrupt", path=str(self.path), backup=str(backups[-1])) from None

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=10.0, isolation_level="DEFERRED")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA secure_delete = ON")
        conn.row_factory = sqlite3.Row
        return conn

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with closing(self._connect()) as conn:
            yield conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: all of it is saved, or none of it."""
        try:
            with closing(self._connect()) as conn:
                conn.execute("BEGIN IMMEDIATE")
                with conn:
                    yield conn
                    if self._before_commit:
                        self._before_commit()
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise MakkerError("store.busy") from None
            raise

    def _bump(self, conn: sqlite3.Connection, klass: str, expected: int | None) -> int:
        """Check the caller's revision and move the class to the next one."""
        row = conn.execute("SELECT revision FROM classes WHERE name = ?", (klass,)).fetchone()
        if row is None:
            raise MakkerError("store.unknown_class", klass=klass)
        if expected is not None and row["revision"] != expected:
            raise MakkerError("store.conflict", klass=klass)
        conn.execute("UPDATE classes SET revision = revision + 1, updated = ? WHERE name = ?", (_now(), klass))
        return row["revision"] + 1

    # ------------------------------------------------------------------ classes and students

    def classes(self) -> list[ClassInfo]:
        with self._read() as conn:
            rows = conn.execute("SELECT * FROM classes ORDER BY name").fetchall()
            out = []
            for r in rows:
                n = conn.execute("SELECT COUNT(*) FROM students WHERE klass=? AND active=1", (r["name"],)).fetchone()[0]
                plan = conn.execute("SELECT 1 FROM plans WHERE klass=?", (r["name"],)).fetchone()
                pub = tuple(x[0] for x in conn.execute(
                    "SELECT rotation FROM published WHERE klass=? ORDER BY rotation", (r["name"],)))
                out.append(ClassInfo(r["name"], r["revision"], n, r["updated"], plan is not None, pub))
        return out

    def class_names(self) -> list[str]:
        return [c.name for c in self.classes()]

    def revision(self, klass: str) -> int:
        with self._read() as conn:
            row = conn.execute("SELECT revision FROM classes WHERE name=?", (klass,)).fetchone()
        if row is None:
            raise MakkerError("store.unknown_class", klass=klass)
        return row["revision"]

    def save_roster(self, roster: Roster, expected_revision: int | None = None) -> int:
        """Add a class or replace its student list; students not in ``roster`` become inactive (left)."""
        with self._write() as conn:
            exists = conn.execute("SELECT 1 FROM classes WHERE name=?", (roster.klass,)).fetchone()
            if not exists:
                if expected_revision not in (None, 0):
                    raise MakkerError("store.conflict", klass=roster.klass)
                conn.execute("INSERT INTO classes (name, revision, updated) VALUES (?, 0, ?)", (roster.klass, _now()))
            conn.execute("UPDATE students SET active = 0 WHERE klass = ?", (roster.klass,))
            for pos, s in enumerate(roster.students):
                self._put_student(conn, roster.klass, s, pos)
            return self._bump(conn, roster.klass, expected_revision)

    @staticmethod
    def _put_student(conn, klass: str, s: Student, pos: int) -> None:
        gender = s.gender if s.gender in ("K", "M") else None
        conn.execute(
            "INSERT INTO students (klass, id, name, first, last, gender, school, active, position)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT (klass, id) DO UPDATE SET name=excluded.name,"
            " first=excluded.first, last=excluded.last, gender=excluded.gender, school=excluded.school,"
            " active=1, position=excluded.position",
            (klass, s.id, s.name, s.first, s.last, gender, s.school, pos))

    def roster(self, klass: str, *, include_left: bool = False) -> Roster:
        with self._read() as conn:
            if not conn.execute("SELECT 1 FROM classes WHERE name=?", (klass,)).fetchone():
                raise MakkerError("store.unknown_class", klass=klass)
            sql = "SELECT * FROM students WHERE klass=?" + ("" if include_left else " AND active=1")
            rows = conn.execute(sql + " ORDER BY position, id", (klass,)).fetchall()
        students = [Student(r["id"], r["name"], r["first"], r["last"], klass, r["gender"], r["school"]) for r in rows]
        return Roster(klass, students, [], "workspace")

    def add_student(self, klass: str, student: Student, expected_revision: int | None = None) -> int:
        """A student joins the class (or comes back)."""
        with self._write() as conn:
            pos = conn.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM students WHERE klass=?", (klass,)).fetchone()[0]
            rev = self._bump(conn, klass, expected_revision)
            self._put_student(conn, klass, student, pos)
            return rev

    def remove_student(self, klass: str, sid: str, expected_revision: int | None = None) -> int:
        """A student leaves: kept (inactive) so published rotations still show their name."""
        with self._write() as conn:
            rev = self._bump(conn, klass, expected_revision)
            cur = conn.execute("UPDATE students SET active=0 WHERE klass=? AND id=?", (klass, sid))
            if cur.rowcount == 0:
                raise MakkerError("store.unknown_student", student=sid, klass=klass)
            return rev

    # ------------------------------------------------------------------ rules

    def save_rules(self, klass: str, rules: Rules, expected_revision: int | None = None) -> int:
        """Replace the never/apart rules between students of one class (ids only, no reasons)."""
        with self._write() as conn:
            rev = self._bump(conn, klass, expected_revision)
            conn.execute("DELETE FROM rules WHERE klass_a=? AND klass_b=?", (klass, klass))
            for kind, pairs in (("never", rules.never), ("apart", rules.apart)):
                for p in pairs:
                    a, b = sorted(p)
                    conn.execute("INSERT OR IGNORE INTO rules VALUES (?, ?, ?, ?, ?)", (kind, klass, a, klass, b))
            # keep-together rules (with their rotations) live in the class settings, ids only
            row = conn.execute("SELECT settings FROM classes WHERE name=?", (klass,)).fetchone()
            settings = json.loads((row["settings"] if row is not None else None) or "{}")
            settings["keep"] = keep_to_json(rules.keep)
            if not settings["keep"]:
                settings.pop("keep")
            conn.execute("UPDATE classes SET settings=? WHERE name=?", (json.dumps(settings, ensure_ascii=False), klass))
            return rev

    def add_rule(self, kind: str, a: tuple[str, str], b: tuple[str, str], expected_revision: int | None = None) -> None:
        """A rule between two students, each given as (class, id); they may be in different classes."""
        if kind not in ("never", "apart"):
            raise ValueError(kind)
        (ka, ia), (kb, ib) = sorted([tuple(a), tuple(b)])
        with self._write() as conn:
            for k in {ka, kb}:
                self._bump(conn, k, expected_revision if k == ka else None)
            conn.execute("INSERT OR IGNORE INTO rules VALUES (?, ?, ?, ?, ?)", (kind, ka, ia, kb, ib))

    def rules(self, klass: str) -> Rules:
        """The rules between students of this class."""
        with self._read() as conn:
            rows = conn.execute("SELECT kind, a, b FROM rules WHERE klass_a=? AND klass_b=?", (klass, klass)).fetchall()
            row = conn.execute("SELECT settings FROM classes WHERE name=?", (klass,)).fetchone()
        out = Rules()
        for r in rows:
            (out.never if r["kind"] == "never" else out.apart).add(pair(r["a"], r["b"]))
        out.keep = keep_from_json(json.loads((row["settings"] if row is not None else None) or "{}").get("keep"))
        return out

    def rules_between(self, members: Iterable[tuple[str, str]], key: Callable[[str, str], str]) -> Rules:
        """Every rule among the given (class, id) students, with ids made by ``key`` (cross-class groups)."""
        members = set(members)
        with self._read() as conn:
            rows = conn.execute("SELECT * FROM rules").fetchall()
        out = Rules()
        for r in rows:
            a, b = (r["klass_a"], r["a"]), (r["klass_b"], r["b"])
            if a in members and b in members:
                (out.never if r["kind"] == "never" else out.apart).add(pair(key(*a), key(*b)))
        return out

    # ------------------------------------------------------------------ settings

    def settings(self, klass: str) -> dict:
        with self._read() as conn:
            row = conn.execute("SELECT settings FROM classes WHERE name=?", (klass,)).fetchone()
        if row is None:
            raise MakkerError("store.unknown_class", klass=klass)
        return json.loads(row["settings"] or "{}")

    def save_settings(self, klass: str, settings: dict, expected_revision: int | None = None) -> int:
        """Per-class choices (weights, rotations, first school day, county...) as JSON."""
        with self._write() as conn:
            rev = self._bump(conn, klass, expected_revision)
            conn.execute("UPDATE classes SET settings=? WHERE name=?", (json.dumps(settings, ensure_ascii=False), klass))
            return rev

    def weights(self, klass: str) -> Weights:
        w = self.settings(klass).get("weights") or {}
        return Weights(**{k: float(v) for k, v in w.items() if k in ("gender", "school", "repeat", "apart")})

    # ------------------------------------------------------------------ plans and publishing

    def load_plan(self, klass: str) -> tuple[Plan | None, int]:
        """The class's current plan and the revision to hand back to ``save_plan``."""
        with self._read() as conn:
            row = conn.execute("SELECT revision FROM classes WHERE name=?", (klass,)).fetchone()
            if row is None:
                raise MakkerError("store.unknown_class", klass=klass)
            p = conn.execute("SELECT data FROM plans WHERE klass=?", (klass,)).fetchone()
        plan = Plan.from_json(json.loads(p["data"])) if p else None
        return plan, row["revision"]

    def plan(self, klass: str) -> Plan | None:
        return self.load_plan(klass)[0]

    def save_plan(self, klass: str, plan: Plan, expected_revision: int | None) -> int:
        """Save a plan unless the class changed since ``expected_revision`` or a locked rotation differs."""
        if plan.klass and plan.klass != klass:
            raise MakkerError("store.wrong_class", klass=klass, other=plan.klass)
        data = plan.to_json()
        data["class"] = klass
        with self._write() as conn:
            rev = self._bump(conn, klass, expected_revision)
            self._check_locked(conn, klass, plan)
            conn.execute("INSERT INTO plans VALUES (?, ?, ?) ON CONFLICT (klass) DO UPDATE SET data=excluded.data,"
                         " saved=excluded.saved", (klass, json.dumps(data, ensure_ascii=False), _now()))
        self._maybe_backup()
        return rev

    @staticmethod
    def _check_locked(conn, klass: str, plan: Plan) -> None:
        locked = {r["rotation"]: r["data"] for r in conn.execute(
            "SELECT rotation, data FROM published WHERE klass=?", (klass,))}
        mine = {r.number: _rotation_text(r) for r in plan.rotations}
        for number, text in locked.items():
            if mine.get(number) != text:
                raise MakkerError("store.locked", klass=klass, number=number)

    def publish(self, klass: str, number: int, expected_revision: int | None = None) -> int:
        """Lock rotation ``number`` of the saved plan: it will never be re-planned."""
        with self._write() as conn:
            rev = self._bump(conn, klass, expected_revision)
            row = conn.execute("SELECT data FROM plans WHERE klass=?", (klass,)).fetchone()
            plan = Plan.from_json(json.loads(row["data"])) if row else None
            rot = plan.rotation(number) if plan else None
            if rot is None:
                raise MakkerError("store.no_such_rotation", klass=klass, number=number)
            conn.execute("INSERT OR IGNORE INTO published VALUES (?, ?, ?, ?)",
                         (klass, number, _rotation_text(rot), _now()))
            return rev

    def published(self, klass: str) -> dict[int, Rotation]:
        with self._read() as conn:
            rows = conn.execute("SELECT rotation, data FROM published WHERE klass=? ORDER BY rotation", (klass,)).fetchall()
        return {r["rotation"]: Rotation.from_json(json.loads(r["data"])) for r in rows}

    def published_numbers(self, klass: str) -> list[int]:
        return sorted(self.published(klass))

    # ------------------------------------------------------------------ implementation log

    def log_rotation(self, klass: str, rotation: int, *, change_done: bool, contracts_written: bool,
                     day: date | None = None, note: str = "") -> None:
        """Record whether the change happened and the contracts were written (fidelity record)."""
        with self._write() as conn:  # the log is not part of the plan: no revision bump, no conflicts
            if not conn.execute("SELECT 1 FROM classes WHERE name=?", (klass,)).fetchone():
                raise MakkerError("store.unknown_class", klass=klass)
            conn.execute(
                "INSERT INTO log VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (klass, rotation) DO UPDATE SET"
                " change_done=excluded.change_done, contracts_written=excluded.contracts_written,"
                " day=excluded.day, note=excluded.note, updated=excluded.updated",
                (klass, int(rotation), int(change_done), int(contracts_written),
                 day.isoformat() if day else None, note.strip(), _now()))

    def log(self, klass: str | None = None) -> list[LogEntry]:
        sql = "SELECT * FROM log"
        params: tuple[str, ...] = ()
        if klass is not None:
            sql, params = sql + " WHERE klass=?", (klass,)
        with self._read() as conn:
            rows = conn.execute(sql + " ORDER BY klass, rotation", params).fetchall()
        return [LogEntry(r["klass"], r["rotation"], bool(r["change_done"]), bool(r["contracts_written"]),
                         date.fromisoformat(r["day"]) if r["day"] else None, r["note"], r["updated"]) for r in rows]

    def overview(self) -> list[dict]:
        """Per class: rotations planned, published, changes done, contracts written (school overview)."""
        log = self.log()
        out = []
        for c in self.classes():
            plan = self.plan(c.name)
            mine = [e for e in log if e.klass == c.name]
            out.append({"class": c.name, "students": c.students,
                        "planned": len(plan.rotations) if plan else 0, "published": len(c.published),
                        "changes_done": sum(e.change_done for e in mine),
                        "contracts_written": sum(e.contracts_written for e in mine)})
        return out

    # ------------------------------------------------------------------ backups, export, import

    def backup_folder(self) -> Path:
        return self.path.parent / "backups"

    def backups(self) -> list[Path]:
        """This workspace's rolling backups, oldest first."""
        folder = self.backup_folder()
        if not folder.exists():
            return []
        return sorted(folder.glob(f"{self.path.stem}-*.sqlite"))

    def backup(self) -> Path:
        """Copy the workspace with SQLite's backup API (consistent even while others write)."""
        folder = self.backup_folder()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        dest = folder / f"{self.path.stem}-{stamp}.sqlite"
        self._copy_to(dest)
        for old in self.backups()[:-self.keep_backups]:
            old.unlink(missing_ok=True)
        self._last_backup = time.monotonic()
        return dest

    def backup_info(self) -> list[dict]:
        """Every backup, newest first, with when it was made and which classes differ from now.

        ``changed`` names the classes whose saved state is not the same in the
        backup (another revision, or a class only one of them has), so the
        coordinator can see what a restore would bring back.
        """
        now = self._revisions(self.path)
        out = []
        for path in reversed(self.backups()):
            try:
                then = self._revisions(path)
            except sqlite3.Error:
                continue
            stamp = path.stem.rsplit("-", 1)[-1]
            try:
                made = datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
            except ValueError:
                made = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            changed = sorted(k for k in set(now) | set(then) if now.get(k) != then.get(k))
            out.append({"path": path, "made": made, "classes": sorted(then), "changed": changed})
        return out

    @staticmethod
    def _revisions(path: Path) -> dict[str, int]:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            return {name: rev for name, rev in conn.execute("SELECT name, revision FROM classes")}

    def roll_back(self, backup: str | Path) -> "Workspace":
        """Go back to one of this workspace's backups; what is there now is kept as a new backup first."""
        backup = Path(backup)
        if backup.parent != self.backup_folder() or not backup.exists():
            raise MakkerError("store.no_such_backup", name=backup.name)
        _check_file(backup)
        tmp = self.path.with_name(self.path.name + ".restoring")
        shutil.copyfile(backup, tmp)  # first: the backup of the present may rotate the chosen one away
        _private(tmp)
        self.backup()
        os.replace(tmp, self.path)
        return type(self)(self.path, year=self.year, keep_backups=self.keep_backups)

    def meta(self, key: str, default: str = "") -> str:
        with self._read() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row["value"] if row else default

    def set_meta(self, key: str, value: str) -> None:
        """Small page state (the chosen class, the last class list's name); never personal data."""
        with self._write() as conn:
            conn.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value=excluded.value",
                         (key, str(value)))

    def _maybe_backup(self) -> None:
        if time.monotonic() - self._last_backup > BACKUP_EVERY_SECONDS:
            self.backup()

    def _copy_to(self, dest: Path) -> None:
        tmp = dest.with_name(dest.name + ".part")
        tmp.unlink(missing_ok=True)
        with closing(self._connect()) as src, closing(sqlite3.connect(tmp)) as out:
            src.backup(out)
        _private(tmp)
        os.replace(tmp, dest)

    def export(self, dest: str | Path) -> Path:
        """The whole school year as one ``.makker`` file (to move to another PC or keep safe)."""
        dest = Path(dest)
        if dest.suffix != SUFFIX:
            dest = dest.with_name(dest.name + SUFFIX)
        self._copy_to(dest)
        return dest

    def export_bytes(self) -> bytes:
        """The ``.makker`` file as bytes, for a download link in the dashboard."""
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            return self.export(Path(tmp) / "export").read_bytes()

    @classmethod
    def import_file(cls, source: str | Path | bytes, dest: str | Path | None = None, *, replace: bool = False) -> "Workspace":
        """Check a ``.makker`` file and install it as the workspace at ``dest``."""
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "import.sqlite"
            if isinstance(source, (bytes, bytearray, memoryview)):
                src.write_bytes(bytes(source))
            else:
                shutil.copyfile(source, src)
            _check_file(src)
            _check_content(src)
            with closing(sqlite3.connect(src)) as conn:
                year = conn.execute("SELECT value FROM meta WHERE key='year'").fetchone()
            # the year names the file: never let it reach outside the folder ("../../x")
            dest = Path(dest) if dest else default_path(safe_filename(str(year[0])) if year else None)
            if dest.exists() and not replace:
                raise MakkerError("store.exists", path=str(dest))
            dest.parent.mkdir(parents=True, exist_ok=True)
            if dest.exists():
                cls(dest).backup()
            part = dest.with_name(dest.name + ".part")
            shutil.copyfile(src, part)
            os.replace(part, dest)
        return cls(dest)

    @classmethod
    def restore(cls, backup: str | Path, dest: str | Path) -> "Workspace":
        """Put a backup back in place of a broken workspace (the broken file is kept aside)."""
        dest = Path(dest)
        _check_file(Path(backup))
        if dest.exists():
            os.replace(dest, dest.with_name(dest.name + ".broken"))
        shutil.copyfile(backup, dest)
        return cls(dest)

    # ------------------------------------------------------------------ deleting

    def delete_class(self, klass: str, confirm: str) -> None:
        """Delete every trace of a class; the class name must be typed back exactly."""
        if confirm.strip() != klass:
            raise MakkerError("store.confirm_class", klass=klass)
        with self._write() as conn:
            if not conn.execute("SELECT 1 FROM classes WHERE name=?", (klass,)).fetchone():
                raise MakkerError("store.unknown_class", klass=klass)
            conn.execute("DELETE FROM rules WHERE klass_a=? OR klass_b=?", (klass, klass))
            for table in ("students", "plans", "published", "log"):
                conn.execute(f"DELETE FROM {table} WHERE klass=?", (klass,))
            conn.execute("DELETE FROM classes WHERE name=?", (klass,))
        self._vacuum()
        self._purge_backups()
        self.backup()

    def delete_year(self, confirm: str) -> None:
        """Delete the whole school year (file and backups); the year must be typed back exactly."""
        if confirm.strip() != self.year:
            raise MakkerError("store.confirm_year", year=self.year)
        with self._write() as conn:
            for table in TABLES[1:]:
                conn.execute(f"DELETE FROM {table}")
        self._vacuum()
        self._purge_backups()
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)

    def _vacuum(self) -> None:
        with closing(self._connect()) as conn:
            conn.execute("VACUUM")

    def _purge_backups(self) -> None:
        for old in self.backups():
            old.unlink(missing_ok=True)
        # Copies cut short by a crash and the file restore() set aside hold the same names.
        for stray in self.backup_folder().glob(f"{self.path.stem}-*.sqlite.part"):
            stray.unlink(missing_ok=True)
        Path(str(self.path) + ".broken").unlink(missing_ok=True)


def _private(path: Path) -> None:
    """Only the coordinator's own user may read the file (it holds data about minors)."""
    try:
        os.chmod(path, 0o600)
    except OSError:  # pragma: no cover - e.g. a network drive without POSIX modes
        pass


def _rotation_text(rotation: Rotation) -> str:
    """The canonical text of a rotation: what 'byte-identical' is measured on."""
    return json.dumps(rotation.to_json(), ensure_ascii=False, sort_keys=True)


def safe_filename(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text, flags=re.UNICODE).strip("_") or "makker"
