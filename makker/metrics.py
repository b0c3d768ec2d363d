"""Plain counts about a plan: how many repeats, how well the class mixes.

Everything here is a count a coordinator can check by hand on the printed
plan. Students may join or leave during the year, so each rotation is
measured over the students present in it. Nothing returned by ``to_json`` or
the student-facing functions names the pairs of a never-together or
preferably-apart rule; only counts of broken rules.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache
from math import comb

from .i18n import t
from .plan import Plan, Rotation
from .rules import Rules
from .shapes import DEFAULT_SHAPE, SHAPES, classmates_bound, group_sizes, repeat_free_bound, sizes_bound
from .shapes import links_per_rotation as _links

MAX_NAMED_LINES = 20  # name lines in the summary before "... and N more"


@dataclass(frozen=True)
class Bounds:
    """What no plan can beat, for ``n`` students and ``rotations`` rotations."""

    n: int
    rotations: int
    repeat_free: int  # rotations before the first repeated group-mate (pigeonhole, counting, per student)
    classmates: int  # distinct classmates of the student meeting fewest: min(n-1, the class average)
    mean_classmates: float  # over the class, with the real group shapes
    coverage: list[float]  # share of classmate pairs met after each rotation, at most
    shape: str = DEFAULT_SHAPE  # the group shape the bounds are for (makker.shapes)


@dataclass
class RotationMetrics:
    number: int
    students: int
    new_groupmates: int  # group links never seen in an earlier rotation
    repeated_pairs: int  # pair links seen as pair links before
    repeated_groupmates: int  # group links seen as group links before
    coverage: float  # share of classmate pairs (among those present) met so far
    mixed_gender_pairs: int
    gendered_pairs: int  # pairs whose members all have a known gender
    mixed_gender_possible: int  # most mixed pairs the class's gender counts allow
    same_gender_pairs: int  # pairs (and trios) of one gender, every gender known (metrics.same_gender)
    same_gender_fewest: int  # the fewest of them the rotation's genders allow
    lone_girl_groups: int
    lone_boy_groups: int
    same_school_pairs: int  # pair links between students of the same previous school
    broken_never: int
    broken_apart: int


@dataclass
class StudentMetrics:
    id: str
    rotations: int  # rotations the student took part in
    classmates_met: int  # distinct group-mates over the plan
    repeated_groupmates: int  # group-mates met again (counted once per rotation)
    repeated_partners: int
    trio_turns: int
    big_group_turns: int  # turns in the group of three pairs


@dataclass
class PlanMetrics:
    klass: str
    n: int
    rotations: list[RotationMetrics]
    students: list[StudentMetrics]
    bounds: Bounds
    repeat_free_rotations: int
    repeated_pairs: int
    repeated_groupmates: int
    min_classmates: int
    mean_classmates: float
    coverage: float
    mixed_gender_pairs: int
    lone_gender_groups: int
    same_school_pairs: int
    broken_never: int
    broken_apart: int
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        """A JSON-able dict (ids and counts; never the pairs of a rule)."""
        data = asdict(self)
        data["class"] = data.pop("klass")
        data["mean_classmates"] = round(self.mean_classmates, 3)
        data["coverage"] = round(self.coverage, 4)
        for r in data["rotations"]:
            r["coverage"] = round(r["coverage"], 4)
        data["bounds"]["coverage"] = [round(c, 4) for c in self.bounds.coverage]
        data["bounds"]["mean_classmates"] = round(self.bounds.mean_classmates, 3)
        return data


def _group_members(rotation: Rotation) -> list[list[str]]:
    return [[s for p in g for s in p] for g in rotation.groups]


def links_per_rotation(n: int, shape: str = DEFAULT_SHAPE) -> int:
    """Group links of one rotation with the planner's group shapes."""
    return _links(n, shape)


def repeat_free_limit(sizes: list[int]) -> int:
    """Most rotations without a repeated group-mate when every rotation has
    groups of these sizes (members): pigeonhole, counting and per student
    (:func:`makker.shapes.sizes_bound`), or the exhaustive-search value where
    the sizes are a named shape's. The number every part of makker calls the
    "theoretical best": :func:`bounds`, the coverage chart, the benchmark and
    the year optimiser's target and stop test."""
    sizes = sorted((int(s) for s in sizes if s), reverse=True)
    n = sum(sizes)
    for shape in SHAPES:
        if n >= 4 and sizes == group_sizes(n, shape):
            return repeat_free_bound(n, shape)
    if len(sizes) < 2 or sizes[-1] < 2:
        return 1
    return sizes_bound(sizes)


def bounds(n: int, rotations: int, shape: str = DEFAULT_SHAPE) -> Bounds:
    """The theoretical limits for the class's group sizes (see :mod:`makker.shapes`:
    pigeonhole, counting, per student; the social golfer problem).

    ``repeat_free`` is :func:`repeat_free_limit` of the shape's group sizes,
    at most ``rotations``: 30 students (6-4-4-4-4-4-4) allow 8, 31 allow 8,
    26 allow 7."""
    if n < 2:
        return Bounds(n, rotations, rotations, 0, 0.0, [1.0] * rotations, shape)
    links, total = links_per_rotation(n, shape), comb(n, 2)
    repeat_free = min(rotations, repeat_free_limit(group_sizes(n, shape)) if n >= 4 else 1)
    # counting, and every run of repeat_free + 1 rotations holds at least one repeated group-mate
    free = max(1, repeat_free_limit(group_sizes(n, shape)) if n >= 4 else rotations)
    coverage = [min(1.0, (r * links - r // (free + 1)) / total) for r in range(1, rotations + 1)]
    mean = min(float(n - 1), 2 * rotations * links / n)
    return Bounds(n, rotations, repeat_free, classmates_bound(n, rotations, shape), mean, coverage, shape)


def plan_shape(plan: Plan, n: int | None = None) -> str:
    """The group shape (:data:`makker.shapes.SHAPES`) the plan's rotations use; default when none matches."""
    n = _class_size(plan) if n is None else n
    for r in plan.rotations:
        sizes = sorted((sum(len(p) for p in g) for g in r.groups), reverse=True)
        for shape in SHAPES:
            if len(r.members()) == n and sizes == group_sizes(n, shape):
                return shape
    return DEFAULT_SHAPE


def _class_size(plan: Plan) -> int:
    ids = {s.id for s in plan.students}
    for r in plan.rotations:
        ids.update(r.members())
    return len(ids) if not plan.students else len(plan.students)


# --- the soft rules: one definition each --------------------------------------
#
# The cost model (planner/costs.py), the year search (planner/search_state.py), the
# counts below and the plain-words report all call these. Students of unknown
# gender count as neither girl nor boy; a previous school left empty matches no
# other. The functions on counts take ints or numpy arrays alike.

def lone_girl(girls, boys):
    """The one meaning of "a group with a lone girl": exactly one girl and at
    least two boys among the members whose gender is known (students of
    unknown gender count as neither). Works on ints and on numpy arrays."""
    return (girls == 1) & (boys >= 2)


def lone_boy(girls, boys):
    """The one meaning of "a group with a lone boy": exactly one boy and at
    least two girls among the members whose gender is known."""
    return (boys == 1) & (girls >= 2)


def lone_gender(girls, boys):
    """A lone girl or a lone boy (never both at once)."""
    return lone_girl(girls, boys) | lone_boy(girls, boys)


def same_gender(girls, boys, unknown):
    """The one meaning of "a buddy pair (or trio) of one gender": at least two
    members, every gender known, and all the same."""
    return (unknown == 0) & ((girls == 0) | (boys == 0)) & (girls + boys >= 2)


def same_school(a: str | None, b: str | None) -> bool:
    """Two students from the same previous school (both known)."""
    return bool(a) and a == b


def is_trio(members):
    """A buddy "pair" of three."""
    return members >= 3


def is_big_group(members):
    """A group of three pairs (six or more members): turns in it are shared out."""
    return members >= 6


def meetings_again(times):
    """Repeats of one link met ``times`` times: every meeting after the first."""
    return max(times - 1, 0) if isinstance(times, int) else (times - 1).clip(min=0)


@lru_cache(maxsize=1024)
def fewest_same_gender(parts: tuple[int, ...], girls: int, boys: int, unknown: int) -> int:
    """Fewest :func:`same_gender` parts (pairs and trios of these sizes) the
    rotation's genders allow: what no plan can avoid."""
    memo: dict[tuple[int, int, int, int], int] = {}

    def least(i: int, g: int, b: int, u: int) -> int:
        if i == len(parts):
            return 0
        key = (i, g, b, u)
        if key not in memo:
            k, best = parts[i], len(parts)
            for x in range(min(k, g) + 1):
                for y in range(min(k - x, b) + 1):
                    z = k - x - y
                    if z <= u:
                        best = min(best, int(same_gender(x, y, z)) + least(i + 1, g - x, b - y, u - z))
            memo[key] = best
        return memo[key]

    return least(0, girls, boys, unknown)


def _counts(members, gender: dict[str, str | None]) -> tuple[int, int, int]:
    """(girls, boys, unknown) among ``members``."""
    girls = sum(1 for s in members if gender.get(s) == "K")
    boys = sum(1 for s in members if gender.get(s) == "M")
    return girls, boys, len(members) - girls - boys


def _lone_gender(members: list[str], gender: dict[str, str | None]) -> tuple[int, int]:
    girls, boys, _ = _counts(members, gender)
    return int(lone_girl(girls, boys)), int(lone_boy(girls, boys))


def _same_gender_pairs(rotation: Rotation, gender: dict[str, str | None]) -> tuple[int, int]:
    """(pairs of one gender, the fewest the rotation's genders allow)."""
    parts = [p for g in rotation.groups for p in g]
    same = sum(int(same_gender(*_counts(p, gender))) for p in parts)
    fewest = fewest_same_gender(tuple(sorted(len(p) for p in parts)), *_counts(rotation.members(), gender))
    return same, fewest


def _gender_pairs(rotation: Rotation, gender: dict[str, str | None]) -> tuple[int, int, int]:
    """(mixed pairs, pairs with known genders, most mixed pairs possible)."""
    mixed = known = 0
    for p in rotation.pairs():
        gs = [gender.get(s) for s in p]
        if all(g in ("K", "M") for g in gs):
            known += 1
            mixed += int(len(set(gs)) > 1)
    members = rotation.members()
    girls = sum(1 for s in members if gender.get(s) == "K")
    boys = sum(1 for s in members if gender.get(s) == "M")
    return mixed, known, min(girls, boys, sum(1 for _ in rotation.pairs()))


def _rotation_metrics(rotation: Rotation, seen_pairs: set, seen_links: set, met: set, plan_info: dict, rules: Rules) -> RotationMetrics:
    gender, school = plan_info["gender"], plan_info["school"]
    pair_links, group_links = rotation.pair_links(), rotation.group_links()
    present = rotation.members()
    met.update(group_links)
    total = comb(len(present), 2)
    present_set = set(present)
    met_present = sum(1 for link in met if link <= present_set)
    lone = [_lone_gender(m, gender) for m in _group_members(rotation)]
    mixed, known, possible = _gender_pairs(rotation, gender)
    same_school_links = sum(1 for link in pair_links if same_school(*(school.get(s) for s in link)))
    same, fewest = _same_gender_pairs(rotation, gender)
    return RotationMetrics(
        number=rotation.number,
        students=len(present),
        new_groupmates=len(group_links - seen_links),
        repeated_pairs=len(pair_links & seen_pairs),
        repeated_groupmates=len(group_links & seen_links),
        coverage=met_present / total if total else 1.0,
        mixed_gender_pairs=mixed,
        gendered_pairs=known,
        mixed_gender_possible=possible,
        same_gender_pairs=same,
        same_gender_fewest=fewest,
        lone_girl_groups=sum(a for a, _ in lone),
        lone_boy_groups=sum(b for _, b in lone),
        same_school_pairs=same_school_links,
        broken_never=len(group_links & rules.never),
        broken_apart=len(group_links & rules.apart),
    )


def _student_metrics(plan: Plan, rotations: list[Rotation]) -> list[StudentMetrics]:
    order = [s.id for s in plan.students]
    for r in rotations:
        order += [s for s in r.members() if s not in set(order)]
    stats = {sid: StudentMetrics(sid, 0, 0, 0, 0, 0, 0) for sid in order}
    mates: dict[str, set[str]] = {sid: set() for sid in order}
    partners: dict[str, set[str]] = {sid: set() for sid in order}
    for r in rotations:
        for g in r.groups:
            members = [s for p in g for s in p]
            for p in g:
                for sid in p:
                    st = stats[sid]
                    st.rotations += 1
                    others = set(members) - {sid}
                    st.repeated_groupmates += len(others & mates[sid])
                    st.repeated_partners += len((set(p) - {sid}) & partners[sid])
                    st.trio_turns += int(is_trio(len(p)))
                    st.big_group_turns += int(is_big_group(len(members)))
                    mates[sid] |= others
                    partners[sid] |= set(p) - {sid}
    for sid, st in stats.items():
        st.classmates_met = len(mates[sid])
    return list(stats.values())


def rotation_metrics(plan: Plan, rules: Rules | None = None, upto: int | None = None) -> list[RotationMetrics]:
    """Each rotation's counts (what :func:`compute` adds up), without the per-student figures:
    for callers that grade many variants of one plan."""
    rules = rules or Rules()
    rotations = plan.rotations[:upto] if upto is not None else list(plan.rotations)
    info = {
        "gender": {s.id: s.gender for s in plan.students},
        "school": {s.id: s.school for s in plan.students},
    }
    seen_pairs: set = set()
    seen_links: set = set()
    met: set = set()
    per_rotation = []
    for r in rotations:
        per_rotation.append(_rotation_metrics(r, seen_pairs, seen_links, met, info, rules))
        seen_pairs |= r.pair_links()
        seen_links |= r.group_links()
    return per_rotation


def compute(plan: Plan, rules: Rules | None = None, upto: int | None = None) -> PlanMetrics:
    """Every count of the plan (its first ``upto`` rotations, default all)."""
    rotations = plan.rotations[:upto] if upto is not None else list(plan.rotations)
    per_rotation = rotation_metrics(plan, rules, upto)
    students = _student_metrics(plan, rotations)
    active = [s for s in students if s.rotations] or students
    first_repeat = next((i for i, rm in enumerate(per_rotation) if rm.repeated_groupmates), len(per_rotation))
    n = _class_size(plan)
    return PlanMetrics(
        klass=plan.klass,
        n=n,
        rotations=per_rotation,
        students=students,
        bounds=bounds(n, len(rotations), plan_shape(plan, n)),
        repeat_free_rotations=first_repeat,
        repeated_pairs=sum(r.repeated_pairs for r in per_rotation),
        repeated_groupmates=sum(r.repeated_groupmates for r in per_rotation),
        min_classmates=min((s.classmates_met for s in active), default=0),
        mean_classmates=sum(s.classmates_met for s in active) / len(active) if active else 0.0,
        coverage=per_rotation[-1].coverage if per_rotation else 0.0,
        mixed_gender_pairs=sum(r.mixed_gender_pairs for r in per_rotation),
        lone_gender_groups=sum(r.lone_girl_groups + r.lone_boy_groups for r in per_rotation),
        same_school_pairs=sum(r.same_school_pairs for r in per_rotation),
        broken_never=sum(r.broken_never for r in per_rotation),
        broken_apart=sum(r.broken_apart for r in per_rotation),
    )


def avoidable_same_gender(rm: RotationMetrics) -> int:
    """Pairs of one gender where the rotation's genders allowed a mixed one (the report's count)."""
    return max(0, rm.same_gender_pairs - rm.same_gender_fewest)


def coverage_curve(plan: Plan) -> list[float]:
    """Share of classmate pairs (among those present) that have been group-mates, after each rotation."""
    met: set = set()
    curve = []
    for r in plan.rotations:
        met |= r.group_links()
        present = set(r.members())
        total = comb(len(present), 2)
        curve.append(sum(1 for link in met if link <= present) / total if total else 1.0)
    return curve


@dataclass
class MetMatrix:
    """Who has met whom in the first ``upto`` rotations, in ``ids`` order."""

    ids: list[str]
    names: list[str]
    count: list[list[int]]  # rotations in the same group
    first: list[list[int]]  # number of the first rotation together, 0 = never


def met_matrix(plan: Plan, upto: int | None = None) -> MetMatrix:
    """Square matrices of group-mate counts and first meetings (students sorted by name)."""
    rotations = plan.rotations[:upto] if upto is not None else plan.rotations
    ids = [s.id for s in plan.students]
    for r in rotations:
        ids += [s for s in r.members() if s not in set(ids)]
    ids.sort(key=lambda sid: (plan.name(sid).casefold(), sid))
    index = {sid: i for i, sid in enumerate(ids)}
    count = [[0] * len(ids) for _ in ids]
    first = [[0] * len(ids) for _ in ids]
    for r in rotations:
        for link in r.group_links():
            a, b = sorted(index[s] for s in link)
            for i, j in ((a, b), (b, a)):
                count[i][j] += 1
                first[i][j] = first[i][j] or r.number
    return MetMatrix(ids, [plan.name(s) for s in ids], count, first)


def first_meetings(plan: Plan, upto: int | None = None) -> dict[frozenset[str], int]:
    """Group link -> number of the rotation in which the two first were group-mates."""
    rotations = plan.rotations[:upto] if upto is not None else plan.rotations
    out: dict[frozenset[str], int] = {}
    for r in rotations:
        for link in r.group_links():
            out.setdefault(link, r.number)
    return out


# --- plain-language summary --------------------------------------------------

def _count_line(key: str, count: int, lang: str, **params) -> str:
    return t(f"{key}_{'one' if count == 1 else 'many'}", lang, count=count, **params)


def _and_list(numbers: list[int], lang: str) -> str:
    words = [str(n) for n in numbers]
    if len(words) == 1:
        return words[0]
    return t("metrics.list_and", lang, first=", ".join(words[:-1]), last=words[-1])


def _repeat_lines(plan: Plan, rotations: list[Rotation], lang: str) -> list[str]:
    """One line per repeated pair partner / group-mate, with the rotations they shared."""
    together: dict[frozenset[str], list[int]] = {}
    partners: dict[frozenset[str], list[int]] = {}
    for r in rotations:
        for link in r.group_links():
            together.setdefault(link, []).append(r.number)
        for link in r.pair_links():
            partners.setdefault(link, []).append(r.number)
    lines = []
    for key, table in (("metrics.summary_repeat_partner", partners), ("metrics.summary_repeat_group", together)):
        for link, numbers in sorted(table.items(), key=lambda kv: (kv[1], sorted(plan.name(s) for s in kv[0]))):
            if len(numbers) < 2 or (key.endswith("group") and link in partners and len(partners[link]) >= 2):
                continue
            a, b = sorted(plan.name(s) for s in link)
            lines.append(t(key, lang, a=a, b=b, rotations=_and_list(numbers, lang)))
    if len(lines) > MAX_NAMED_LINES:
        rest = len(lines) - MAX_NAMED_LINES
        lines = lines[:MAX_NAMED_LINES] + [t("metrics.summary_more", lang, count=rest)]
    return lines


def _rule_lines(plan: Plan, rm: RotationMetrics, rotation: Rotation, rules: Rules, lang: str, coordinator: bool) -> list[str]:
    lines = []
    if rm.broken_never:
        lines.append(_count_line("metrics.summary_never", rm.broken_never, lang, rotation=rm.number))
    if rm.broken_apart:
        lines.append(_count_line("metrics.summary_apart", rm.broken_apart, lang, rotation=rm.number))
        if coordinator:
            for link in sorted(rotation.group_links() & rules.apart, key=lambda l: sorted(l)):
                a, b = sorted(plan.name(s) for s in link)
                lines.append(t("metrics.summary_apart_names", lang, a=a, b=b, rotation=rm.number))
    return lines


def broken_rules_summary(plan: Plan, rules: Rules | None = None, lang: str = "nb", *, coordinator: bool = False, upto: int | None = None) -> list[str]:
    """Plain sentences about every broken soft rule (coordinator-facing).

    Never-together pairs are only counted, never named. Preferably-apart pairs
    are named only with ``coordinator=True``. Empty list: nothing broken.
    """
    rules = rules or Rules()
    rotations = plan.rotations[:upto] if upto is not None else list(plan.rotations)
    m = compute(plan, rules, upto)
    lines: list[str] = []
    for rm, rotation in zip(m.rotations, rotations):
        lines += _rule_lines(plan, rm, rotation, rules, lang, coordinator)
        if rm.lone_girl_groups:
            lines.append(_count_line("metrics.summary_lone_girl", rm.lone_girl_groups, lang, rotation=rm.number))
        if rm.lone_boy_groups:
            lines.append(_count_line("metrics.summary_lone_boy", rm.lone_boy_groups, lang, rotation=rm.number))
        missing = avoidable_same_gender(rm)
        if missing > 0:
            lines.append(_count_line("metrics.summary_unmixed", missing, lang, rotation=rm.number))
        if rm.same_school_pairs:
            lines.append(_count_line("metrics.summary_same_school", rm.same_school_pairs, lang, rotation=rm.number))
    return lines + _repeat_lines(plan, rotations, lang)


def summary_lines(m: PlanMetrics, lang: str = "nb") -> list[str]:
    """The headline figures as sentences (for the dashboard and the CLI)."""
    b = m.bounds
    return [
        t("metrics.line_repeat_free", lang, value=m.repeat_free_rotations, bound=b.repeat_free),
        t("metrics.line_classmates", lang, min=m.min_classmates, mean=f"{m.mean_classmates:.1f}", bound=b.classmates),
        t("metrics.line_coverage", lang, value=f"{100 * m.coverage:.0f}", bound=f"{100 * (b.coverage[-1] if b.coverage else 0):.0f}"),
        t("metrics.line_repeats", lang, pairs=m.repeated_pairs, groups=m.repeated_groupmates),
    ]


# --- the report a teacher reads ----------------------------------------------

def plan_report(plan: Plan, rules: Rules | None = None, weights=None, lang: str = "nb",
                upto: int | None = None) -> list[str]:
    """What the plan did not reach, as a few grouped lines with counts, most important first.

    One line per kind (never-together, repeated pair partners, preferably-apart,
    repeated group-mates, lone girl, lone boy, same-gender pairs, same previous
    school) with the total and the rotations it happens in. Nothing about a
    soft rule whose weight (:class:`makker.rules.Weights`) is 0. Names no
    student and no pair of a rule. Empty list: nothing to report. The grouping
    is :func:`makker.report.missed_goals`.
    """
    from .report import missed_lines

    return missed_lines(plan, rules, weights, lang, upto)
