"""The school's rules and the planner's weights, as plain data.

Rules are stored as pairs of student ids, never with a reason: a
never-together rule often concerns bullying and is confidential. Nothing in this
module is ever written to an export.
"""

from __future__ import annotations

from dataclasses import dataclass, field

IdPair = frozenset  # frozenset({id_a, id_b})


def pair(a: str, b: str) -> frozenset[str]:
    return frozenset((str(a), str(b)))


@dataclass(frozen=True)
class Weights:
    """How much the planner cares about each soft goal, 0 (not at all) to 10."""

    gender: float = 5.0  # mixed pairs, and no lone girl/boy in a group
    school: float = 5.0  # students from the same previous school apart
    repeat: float = 8.0  # avoid repeated group-mates across rotations
    apart: float = 7.0  # keep preferably-apart pairs apart

    def clamp(self) -> "Weights":
        f = lambda v: float(min(10.0, max(0.0, v)))  # noqa: E731
        return Weights(f(self.gender), f(self.school), f(self.repeat), f(self.apart))


@dataclass
class Rules:
    """Hard and soft pair rules between students of one class (or across classes)."""

    never: set[frozenset[str]] = field(default_factory=set)  # hard: not same pair, not same group
    apart: set[frozenset[str]] = field(default_factory=set)  # soft: weighted by Weights.apart
    keep: dict[int, set[frozenset[str]]] = field(default_factory=dict)  # rotation -> must be a pair

    def restricted_to(self, ids) -> "Rules":
        """The rules that concern only the given students (others have left)."""
        ids = set(ids)
        inside = lambda pairs: {p for p in pairs if p <= ids}  # noqa: E731
        return Rules(inside(self.never), inside(self.apart), {r: inside(ps) for r, ps in self.keep.items()})
