"""The plain student and class types that every part of makker shares.

Kept apart from the importer (``roster.py``) so that the planner, exports and
the dashboard depend on these small types only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .i18n import Message

GENDERS = ("K", "M")  # K = jente/kvinne, M = gutt/mann; None = not given


@dataclass(frozen=True)
class Student:
    """One student as makker needs them: no national id, no birth date."""

    id: str
    name: str  # display name, unique within the class
    first: str = ""
    last: str = ""
    klass: str = ""  # class code, e.g. "1STA" ("class" is a Python keyword)
    gender: str | None = None  # "K", "M" or None
    school: str | None = None  # previous (lower-secondary) school
    extra: tuple[tuple[str, str], ...] = ()  # other columns, kept aside

    def to_json(self) -> dict:
        out = {"id": self.id, "name": self.name}
        if self.gender in GENDERS:
            out["gender"] = self.gender
        if self.school:
            out["school"] = self.school
        return out

    @classmethod
    def from_json(cls, data: dict, klass: str = "") -> "Student":
        return cls(
            id=str(data["id"]),
            name=str(data.get("name") or data["id"]),
            klass=klass,
            gender=data.get("gender") if data.get("gender") in GENDERS else None,
            school=data.get("school") or None,
        )


@dataclass
class Roster:
    """One class: its students in list order, and what the importer warned about."""

    klass: str
    students: list[Student]
    warnings: list[Message] = field(default_factory=list)  # rendered in the user's language at the edge
    source: str = ""  # file name it came from

    def __len__(self) -> int:
        return len(self.students)

    def ids(self) -> list[str]:
        return [s.id for s in self.students]

    def by_id(self) -> dict[str, Student]:
        return {s.id: s for s in self.students}

    def gender_counts(self) -> dict[str, int]:
        counts = {"K": 0, "M": 0, "unknown": 0}
        for s in self.students:
            counts[s.gender if s.gender in GENDERS else "unknown"] += 1
        return counts

    def school_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for s in self.students:
            if s.school:
                counts[s.school] = counts.get(s.school, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def subset(self, ids: Iterable[str]) -> "Roster":
        keep = set(ids)
        return Roster(self.klass, [s for s in self.students if s.id in keep], list(self.warnings), self.source)
