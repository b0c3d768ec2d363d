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


# ----------------------------------------------------------------- keep-together

MAX_ROTATIONS = 60  # the most rotations a plan may have; "every rotation" means 1..MAX_ROTATIONS
KeepEntry = tuple  # (frozenset({id_a, id_b}), tuple of rotation numbers, or None for every rotation)


def keep_for(entries, rotations: int = MAX_ROTATIONS) -> dict[int, set[frozenset[str]]]:
    """Keep-together entries as the planner's ``Rules.keep``: rotation -> pairs."""
    out: dict[int, set[frozenset[str]]] = {}
    for p, numbers in entries:
        for number in (range(1, rotations + 1) if numbers is None else numbers):
            if 1 <= int(number) <= rotations:
                out.setdefault(int(number), set()).add(frozenset(p))
    return out


def keep_entries(keep: dict[int, set[frozenset[str]]]) -> list[tuple[frozenset[str], tuple[int, ...] | None]]:
    """The other way round: one entry per pair, ``None`` when it holds for every rotation."""
    by_pair: dict[frozenset[str], set[int]] = {}
    for number, pairs in keep.items():
        for p in pairs:
            by_pair.setdefault(frozenset(p), set()).add(int(number))
    every = set(range(1, MAX_ROTATIONS + 1))
    return [(p, None if numbers >= every else tuple(sorted(numbers)))
            for p, numbers in sorted(by_pair.items(), key=lambda item: sorted(item[0]))]


def keep_to_json(keep: dict[int, set[frozenset[str]]]) -> list[dict]:
    """Keep-together rules as JSON for the class settings (ids only, no reason)."""
    return [{"pair": sorted(p), "rotations": None if numbers is None else list(numbers)}
            for p, numbers in keep_entries(keep)]


def keep_from_json(data) -> dict[int, set[frozenset[str]]]:
    entries = []
    for item in data or ():
        try:
            a, b = item["pair"]
            numbers = item.get("rotations")
            entries.append((pair(a, b), None if numbers is None else tuple(int(n) for n in numbers)))
        except (KeyError, TypeError, ValueError):
            continue  # a damaged entry is dropped, never guessed
    return keep_for(entries)


def keep_pairs(keep: dict[int, set[frozenset[str]]]) -> set[frozenset[str]]:
    return {p for pairs in keep.values() for p in pairs}


def parse_rotations(text: str) -> tuple[int, ...] | None:
    """``"1,2"``, ``"1-3"``, ``"2 4"`` -> rotation numbers; empty, ``alle``/``all`` -> None (every rotation).

    Raises ValueError on anything else.
    """
    import re

    text = str(text or "").strip().casefold()
    if text in ("", "alle", "all", "*"):
        return None
    numbers: set[int] = set()
    for part in re.split(r"[,;\s]+", text):
        if not part:
            continue
        m = re.fullmatch(r"(\d+)(?:\s*[-–]\s*(\d+))?", part)
        if m is None:
            raise ValueError(text)
        low, high = int(m.group(1)), int(m.group(2) or m.group(1))
        if not 1 <= low <= high <= MAX_ROTATIONS:
            raise ValueError(text)
        numbers.update(range(low, high + 1))
    if not numbers:
        raise ValueError(text)
    return tuple(sorted(numbers))


def check_keep(rules: "Rules", names: dict[str, str] | None = None) -> None:
    """A keep-together pair that is also never-together cannot be planned: say which one."""
    from .i18n import MakkerError

    names = names or {}
    for p in sorted(keep_pairs(rules.keep) & rules.never, key=sorted):
        a, b = sorted(p)
        raise MakkerError("planner.keep_and_never", a=names.get(a, a), b=names.get(b, b))
