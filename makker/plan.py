"""Plan -> Rotation -> Group -> Pair, and the JSON plan file of docs/interfaces.md.

A pair is a tuple of 2 student ids (3 for the one trio of an odd class); a
group is a tuple of 2 pairs (3 for the one big group when the pair count is
odd). The plan file never contains any rule.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import combinations
from pathlib import Path

from .i18n import MakkerError, Message
from .students import Student

Pair = tuple[str, ...]
Group = tuple[Pair, ...]
FORMAT = "makker-plan"
VERSION = 1


@dataclass(frozen=True)
class Rotation:
    number: int
    groups: tuple[Group, ...]
    start: date | None = None
    end: date | None = None

    def pairs(self) -> Iterator[Pair]:
        for group in self.groups:
            yield from group

    def members(self) -> list[str]:
        return [sid for pair in self.pairs() for sid in pair]

    def group_of(self) -> dict[str, int]:
        """student id -> index of their group in this rotation."""
        return {sid: gi for gi, g in enumerate(self.groups) for p in g for sid in p}

    def pair_of(self) -> dict[str, Pair]:
        return {sid: p for p in self.pairs() for sid in p}

    def pair_links(self) -> set[frozenset[str]]:
        """Every two students sitting in the same pair."""
        return {frozenset(ab) for p in self.pairs() for ab in combinations(p, 2)}

    def group_links(self) -> set[frozenset[str]]:
        """Every two students in the same group (pair partners included)."""
        out: set[frozenset[str]] = set()
        for g in self.groups:
            out.update(frozenset(ab) for ab in combinations([s for p in g for s in p], 2))
        return out

    def to_json(self) -> dict:
        out: dict = {"number": self.number}
        if self.start:
            out["start"] = self.start.isoformat()
        if self.end:
            out["end"] = self.end.isoformat()
        out["groups"] = [[list(p) for p in g] for g in self.groups]
        return out

    @classmethod
    def from_json(cls, data: dict) -> "Rotation":
        groups = tuple(tuple(tuple(str(s) for s in _list(p)) for p in _list(g)) for g in _list(data["groups"]))
        parse = lambda v: date.fromisoformat(v) if v else None  # noqa: E731
        return cls(int(data["number"]), groups, parse(data.get("start")), parse(data.get("end")))


@dataclass
class Plan:
    klass: str
    students: list[Student]
    rotations: list[Rotation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # solver notes (time-outs, gaps); not in the file

    def by_id(self) -> dict[str, Student]:
        return {s.id: s for s in self.students}

    def name(self, sid: str) -> str:
        s = self.by_id().get(sid)
        return s.name if s else sid

    def rotation(self, number: int) -> Rotation | None:
        """The rotation with this number, or None."""
        return next((r for r in self.rotations if r.number == number), None)

    def with_rotations(self, rotations: list[Rotation]) -> "Plan":
        return replace(self, rotations=list(rotations))

    def to_json(self, attributes: bool = True) -> dict:
        """The plan file; ``attributes=False`` leaves out gender and previous school (for downloads)."""
        students = [s.to_json() for s in self.students]
        if not attributes:
            students = [{"id": s["id"], "name": s["name"]} for s in students]
        return {
            "format": FORMAT,
            "version": VERSION,
            "class": self.klass,
            "students": students,
            "rotations": [r.to_json() for r in self.rotations],
        }

    def dumps(self, attributes: bool = True) -> str:
        return json.dumps(self.to_json(attributes), ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, data: dict) -> "Plan":
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise MakkerError("plan.not_a_plan")
        try:
            version = int(data.get("version", 0))
        except (TypeError, ValueError):
            raise MakkerError("plan.broken_file", detail=Message.of("plan.detail_version")) from None
        if version > VERSION:
            raise MakkerError("plan.newer_version", version=version)
        klass = data.get("class", "")
        if not isinstance(klass, (str, int)):
            raise MakkerError("plan.broken_file", detail=Message.of("plan.detail_class"))
        klass = str(klass)
        try:
            students = [Student.from_json(s, klass) for s in data["students"]]
            rotations = [Rotation.from_json(r) for r in _list(data.get("rotations", []))]
        except (KeyError, TypeError, ValueError, AttributeError):
            raise MakkerError("plan.broken_file", detail=Message.of("plan.detail_content")) from None
        problem = _shape_problem(students, rotations)
        if problem:
            raise MakkerError("plan.broken_file", detail=problem)
        return cls(klass, students, rotations)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.dumps() + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> "Plan":
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
        except UnicodeDecodeError:
            raise MakkerError("plan.not_a_plan") from None
        except json.JSONDecodeError as exc:
            if exc.pos == 0:  # not JSON at all: a CSV, a spreadsheet, a text file
                raise MakkerError("plan.not_a_plan") from None
            raise MakkerError("plan.broken_line", line=exc.lineno) from None
        except RecursionError:  # "[[[[...": a hostile file, not a plan
            raise MakkerError("plan.broken_file", detail=Message.of("plan.detail_nesting")) from None
        return cls.from_json(data)


def _list(value) -> list:
    """A JSON list, or TypeError (a dict or string would otherwise iterate as keys/letters)."""
    if not isinstance(value, list):
        raise TypeError("list expected")
    return value


def _shape_problem(students: list[Student], rotations: list[Rotation]) -> Message | None:
    """Why a loaded plan cannot be a makker plan, or None.

    A hand-edited or hostile file must not reach the charts and the class
    pack: ids are unique, every rotation number once, groups of 1–3 pairs,
    pairs of 2–3 known students, nobody twice in a rotation. (A student may
    be missing from a rotation: they joined the class later.)
    """
    ids = [s.id for s in students]
    if len(set(ids)) != len(ids):
        return Message.of("plan.detail_ids")
    known, numbers = set(ids), set()
    for r in rotations:
        where = Message.of("plan.detail_rotation", number=r.number)
        if not 1 <= r.number <= 999 or r.number in numbers:
            return where
        numbers.add(r.number)
        if not r.groups or any(not 1 <= len(g) <= 3 or any(not 2 <= len(p) <= 3 for p in g) for g in r.groups):
            return where
        members = r.members()
        if len(set(members)) != len(members) or not set(members) <= known:
            return where
    return None
