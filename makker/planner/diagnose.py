"""Why a set of rules is impossible, in words a coordinator can act on.

The ILP only says "infeasible". These checks find the usual reasons first and
name the students and the rule set involved (never-together, keep-together),
so the coordinator knows which rule to loosen. Never-together pairs are only
named to the coordinator here, never written to any export.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from ..i18n import MakkerError, Message
from ..rules import Rules
from ..students import Student

MIN_CLASS = 4


class ImpossibleRules(MakkerError):
    """The rules cannot all hold; ``messages`` says which and why."""

    def __init__(self, messages: Sequence[Message]):
        messages = list(messages) or [Message.of("planner.infeasible")]
        first = messages[0]
        super().__init__(first.key, **dict(first.params))
        self.messages = messages

    def message(self, lang: str | None = None) -> str:
        return " ".join(m.render(lang) for m in self.messages)


def _compatible(ids: list[str], rules: Rules) -> dict[str, set[str]]:
    return {a: {b for b in ids if b != a and frozenset((a, b)) not in rules.never} for a in ids}


def _can_join_group(sid: str, ok: dict[str, set[str]]) -> bool:
    """Is there a group of 4 with ``sid`` and no never-together pair inside?"""
    mates = sorted(ok[sid])
    for b, c in combinations(mates, 2):
        if c in ok[b] and (ok[b] & ok[c] & ok[sid]) - {b, c}:
            return True
    return False


def _student_checks(students: Sequence[Student], rules: Rules) -> list[Message]:
    ids = [s.id for s in students]
    names = {s.id: s.name for s in students}
    ok = _compatible(ids, rules)
    out = []
    for sid in ids:
        if not _can_join_group(sid, ok):
            blocked = len(ids) - 1 - len(ok[sid])
            out.append(Message.of("planner.student_blocked", name=names[sid],
                                  count=blocked, others=len(ids) - 1))
    return out


def _keep_components(pairs: set[frozenset[str]]) -> list[set[str]]:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for p in pairs:
        a, b = tuple(p)
        parent[find(a)] = find(b)
    comps: dict[str, set[str]] = {}
    for x in list(parent):
        comps.setdefault(find(x), set()).add(x)
    return list(comps.values())


def _keep_checks(students: Sequence[Student], rules: Rules) -> list[Message]:
    names = {s.id: s.name for s in students}
    n = len(students)
    out = []
    for number, pairs in sorted(rules.keep.items()):
        pairs = {p for p in pairs if p <= names.keys() and len(p) == 2}
        for p in sorted(pairs & rules.never, key=sorted):
            a, b = sorted(p)
            out.append(Message.of("planner.keep_vs_never", a=names[a], b=names[b], rotation=number))
        comps = [c for c in _keep_components(pairs) if len(c) >= 3]
        too_big = [c for c in comps if len(c) > 3]
        trios = [c for c in comps if len(c) == 3]
        for c in too_big + (trios if n % 2 == 0 else trios[1:]):
            who = ", ".join(sorted(names[x] for x in c))
            out.append(Message.of("planner.keep_chain", names=who, rotation=number))
    return out


def diagnose(students: Sequence[Student], rules: Rules | None = None) -> list[Message]:
    """Every reason found why no rotation can satisfy the hard rules (empty = none found)."""
    rules = (rules or Rules()).restricted_to(s.id for s in students)
    if len(students) < MIN_CLASS:
        return [Message.of("planner.too_few", count=len(students), minimum=MIN_CLASS)]
    return _student_checks(students, rules) + _keep_checks(students, rules)

