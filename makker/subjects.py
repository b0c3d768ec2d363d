"""Subject groups (faggrupper): students of several classes planned together like one class.

A coordinator or subject teacher builds a group by picking classes and
students, from a column of the school's export («Undervisningsgruppe»,
«Faggruppe»), or from a separate list of names or ids. Members get the id
``class:id`` (see :func:`member_key`) so ids of two classes
never collide. The group inherits the never-together and preferably-apart
rules among its members from their classes, and only those: a rule with a
student outside the group is dropped, and keep-together rules stay with the
class (they name the class's rotations).

A saved subject group is a class of the school year whose settings say
``subject_group``; its plan, publishing and exports work as for a class, and
its seating chart and class pack say «Faggruppe: NAME». Plain types only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .i18n import MakkerError, t
from .rules import Rules
from .students import Roster, Student

# headings of a school export's subject-group column (compared after roster.heading_key)
SUBJECT_HEADINGS = ("undervisningsgruppe", "undervisningsgrupper", "faggruppe", "faggrupper", "subject group",
                    "subject groups", "teaching group", "teaching groups")
SETTINGS_KEY = "subject_group"
CROSS_SEPARATOR = ":"  # a member's id: "1STA:4001"


def member_key(klass: str, sid: str) -> str:
    """A member's id in the group: class and the student's own id."""
    return f"{klass}{CROSS_SEPARATOR}{sid}"


@dataclass(frozen=True)
class SubjectGroup:
    name: str
    roster: Roster  # students with ``class:id`` ids, klass = the group's name
    rules: Rules  # the inherited rules, with ``class:id`` ids
    classes: tuple[str, ...]  # the classes the members come from


# ----------------------------------------------------------------- rules


def inherited_rules(members: Sequence[Student], rules: Rules | Mapping[str, Rules]) -> Rules:
    """The never-together and preferably-apart rules among ``members``, with ``class:id`` ids.

    ``rules`` is either each class's own rules (``{class: Rules}``, ids of that
    class) or one school-wide Rules whose ids are the students' own ids (a
    rule file for the whole school). A rule with a student outside the group
    is dropped.
    """
    out = Rules()
    if isinstance(rules, Rules):
        keys: dict[str, list[str]] = {}
        for s in members:
            keys.setdefault(s.id, []).append(member_key(s.klass, s.id))
        for attr in ("never", "apart"):
            for p in getattr(rules, attr):
                found = [keys.get(sid, []) for sid in p]
                if len(p) == 2 and all(len(k) == 1 for k in found):
                    getattr(out, attr).add(frozenset(k[0] for k in found))
        return out
    inside = {(s.klass, s.id) for s in members}
    for klass, class_rules in rules.items():
        for attr in ("never", "apart"):
            for p in getattr(class_rules, attr):
                if len(p) == 2 and all((klass, sid) in inside for sid in p):
                    getattr(out, attr).add(frozenset(member_key(klass, sid) for sid in p))
    out.apart -= out.never  # a never-together rule wins over a preferably-apart one
    return out


def build(name: str, members: Sequence[Student], rules: Rules | Mapping[str, Rules]) -> SubjectGroup:
    """A subject group of ``members`` (Students of their own classes) with the rules among them."""
    name = str(name or "").strip()
    if not name:
        raise MakkerError("subjects.no_name")
    classes = tuple(dict.fromkeys(s.klass for s in members))
    return SubjectGroup(name, group_roster(name, members), inherited_rules(members, rules), classes)


def group_roster(name: str, members: Sequence[Student]) -> Roster:
    """The group's class list: ids become ``class:id``, a name shared by two students gets the class added."""
    if len(members) < 2:
        raise MakkerError("schoolyear.group_too_small", name=name)
    seen: dict[str, int] = {}
    for s in members:
        seen[s.name] = seen.get(s.name, 0) + 1
    out, keys = [], set()
    for s in members:
        key = member_key(s.klass, s.id)
        if key in keys:
            continue
        keys.add(key)
        shown = f"{s.name} ({s.klass})" if seen[s.name] > 1 else s.name
        out.append(Student(key, shown, s.first, s.last, name, s.gender, s.school))
    return Roster(name, out, [], "subject-group")


# ----------------------------------------------------------------- where members come from


def _heading(text: str) -> str:
    from .roster import heading_key

    return heading_key(text)


def subject_names(student: Student) -> list[str]:
    """The subject groups the school export's column gives a student («R1, Kjemi 1» -> two)."""
    wanted = {_heading(h) for h in SUBJECT_HEADINGS}
    out: list[str] = []
    for heading, value in student.extra:
        if _heading(heading) in wanted:
            out += [v.strip() for v in re.split(r"[,;/\n]+", str(value or "")) if v.strip()]
    return out


def groups_in(rosters: Iterable[Roster]) -> dict[str, list[Student]]:
    """Every subject group the school file's «Faggruppe»/«Undervisningsgruppe» column names, with its students."""
    spelling: dict[str, str] = {}
    out: dict[str, list[Student]] = {}
    for roster in rosters:
        for s in roster.students:
            for name in subject_names(s):
                shown = spelling.setdefault(name.casefold(), name)
                out.setdefault(shown, []).append(s)
    return out


def members_from_column(rosters: Sequence[Roster], name: str) -> list[Student]:
    """The students the school file's subject-group column puts in ``name`` (case does not matter)."""
    groups = groups_in(rosters)
    found = next((v for k, v in groups.items() if k.casefold() == str(name).strip().casefold()), None)
    if found is None:
        known = ", ".join(sorted(groups)) or "–"
        raise MakkerError("subjects.no_group", name=name, known=known)
    return found


def members_from_list(source, filename: str | None, rosters: Sequence[Roster]) -> list[Student]:
    """Students named in a list: one per row, an id or full name, optionally the class in another cell.

    Every name the school's lists do not have (or have in two classes, with no
    class given) is reported together so the list can be fixed in one go.
    """
    from . import tabular
    from .roster import _key, _student_index

    students = [s for r in rosters for s in r.students]
    index = _student_index(students)
    by_id = {id(s): s for s in students}
    where: dict[str, list[Student]] = {}
    for s in students:
        for k, ids in index.items():
            if s.id in ids:
                where.setdefault(k, []).append(s)
    classes = {r.klass.casefold() for r in rosters}
    loaded = tabular.load(source, filename)
    table = next(iter(tabular.tables(loaded, lambda rows: 1.0)))
    out: list[Student] = []
    unknown: list[str] = []
    ambiguous: list[str] = []
    for _number, cells in table.rows:
        cells = [c for c in cells if c]
        klass = next((c for c in cells if c.casefold() in classes), None)
        names = [c for c in cells if c is not klass]
        if not names:
            continue
        cell = names[0]
        found = [s for s in where.get(_key(cell), []) if klass is None or s.klass.casefold() == klass.casefold()]
        found = list({id(s): s for s in found}.values())
        if not found:
            if not out and not unknown and _looks_like_heading(cell):
                continue
            unknown.append(cell)
        elif len(found) > 1:
            ambiguous.append(cell)
        elif all(found[0] is not s for s in out):
            out.append(by_id[id(found[0])])
    if unknown:
        raise MakkerError("subjects.unknown_members", file=table.name, count=len(unknown),
                          names=", ".join(dict.fromkeys(unknown)))
    if ambiguous:
        names = list(dict.fromkeys(ambiguous))
        raise MakkerError("subjects.ambiguous_members", file=table.name, count=len(names), names=", ".join(names))
    return out


def _looks_like_heading(cell: str) -> bool:
    from .roster import field_of

    return field_of(cell) is not None or _heading(cell) in {_heading(h) for h in SUBJECT_HEADINGS}


def members_from_workspace(ws, members: Iterable[tuple[str, str]]) -> list[Student]:
    """(class, id) pairs of the saved school year as Students of their classes."""
    members = list(members)
    out = []
    for klass in dict.fromkeys(k for k, _ in members):
        by_id = ws.roster(klass).by_id()
        for k, sid in members:
            if k == klass:
                if sid not in by_id:
                    raise MakkerError("store.unknown_student", student=sid, klass=klass)
                out.append(by_id[sid])
    return out


def from_workspace(ws, name: str, members: Iterable[tuple[str, str]]) -> SubjectGroup:
    """A subject group of saved students, with every rule among them (also rules stored across classes)."""
    students = members_from_workspace(ws, members)
    group = build(name, students, {})
    rules = ws.rules_between([(s.klass, s.id) for s in students], member_key)
    rules.apart -= rules.never
    return SubjectGroup(group.name, group.roster, Rules(never=rules.never, apart=rules.apart), group.classes)


def save(ws, group: SubjectGroup) -> int:
    """Save the group as a class of the school year (students, inherited rules, ``subject_group`` setting)."""
    if group.name in ws.class_names() and not is_saved_group(ws, group.name):
        raise MakkerError("subjects.name_taken", name=group.name)
    ws.save_roster(group.roster)
    ws.save_rules(group.name, group.rules)
    settings = {**ws.settings(group.name), SETTINGS_KEY: {"classes": list(group.classes)}}
    return ws.save_settings(group.name, settings)


def is_saved_group(ws, klass: str) -> bool:
    try:
        return bool(ws.settings(klass).get(SETTINGS_KEY))
    except MakkerError:
        return False


def saved_groups(ws) -> list[str]:
    return [k for k in ws.class_names() if is_saved_group(ws, k)]


# ----------------------------------------------------------------- how a group is named on paper


def is_subject_group(klass: str, students: Iterable[Student]) -> bool:
    """Whether a plan's students come from other classes (``class:id`` ids), i.e. it is a subject group."""
    students = list(students)
    if not students:
        return False
    for s in students:
        home, sep, _ = s.id.partition(CROSS_SEPARATOR)
        if not sep or home == klass:
            return False
    return True


def shown_name(plan, lang: str | None = None) -> str:
    """The class name, or «Faggruppe: NAME» for a subject group (seating chart, class pack, export title)."""
    if is_subject_group(plan.klass, plan.students):
        return t("subjects.label", lang, name=plan.klass)
    return plan.klass
