"""The school's evaluation survey beside the programme's national figures.

Reads a survey export (Excel or CSV, one row per answer, a class and/or level
column, one column per statement), matches the statement columns to the
programme's statements by their wording (the coordinator can correct the
matching), and keeps only counts: per statement and group, how many agreed,
how many answered on the scale, how many said «Vet ikke» and how many answers
were not understood. Free-text columns are never read into the result.

Groups with fewer than :data:`MIN_GROUP` answers are never shown on their own:
in :func:`figures` they are merged into one "other" group per level of detail,
and that group is hidden as well when it is still too small.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from . import tabular
from .i18n import MakkerError

MIN_GROUP = 5

# The programme's statements, their national share agreeing (fully or partly),
# and the words that identify them in a survey's column heading (nb, nn, en).
STATEMENTS: dict[str, dict] = {
    "better_start": {"who": "students", "national": 0.78,
                     "words": ("bedre start", "betre start", "better start")},
    "know_more": {"who": "students", "national": 0.75,
                  "words": ("kjenner flere", "kjenner fleire", "kjent med flere", "kjent med fleire", "kjend med fleire",
                            "bli kjent", "know more", "got to know", "get to know")},
    "safe": {"who": "students", "national": 0.66, "words": ("trygt", "trygg", "safe")},
    "less_left_out": {"who": "students", "national": 0.59,
                      "words": ("utenfor", "utanfor", "left out")},
    "less_absence": {"who": "students", "national": 0.27,
                     "words": ("fravær", "fråvær", "absence")},
    "teacher_satisfied": {"who": "teachers", "national": 0.75,
                          "words": ("fornøyd", "nøgd", "satisfied")},
    "teacher_better_start": {"who": "teachers", "national": 0.73,
                             "words": ("elevene en bedre start", "elevane ein betre start",
                                       "students a better start", "mine elever", "elevane mine",
                                       "my students")},
}

# answer text -> 1..5 (5 = agree fully); None = «Vet ikke» (don't know)
_SCALE_WORDS = {
    5: ("helt enig", "heilt einig", "strongly agree", "agree fully", "fully agree", "completely agree",
        "svært fornøyd", "svært nøgd", "very satisfied"),
    4: ("delvis enig", "delvis einig", "agree partly", "partly agree", "somewhat agree", "agree",
        "fornøyd", "nøgd", "satisfied"),
    3: ("verken enig eller uenig", "verken einig eller ueinig", "korkje einig eller ueinig",
        "neither agree nor disagree", "verken fornøyd eller misfornøyd", "korkje nøgd eller misnøgd",
        "neither satisfied nor dissatisfied"),
    2: ("delvis uenig", "delvis ueinig", "disagree partly", "partly disagree", "somewhat disagree", "disagree",
        "misfornøyd", "misnøgd", "dissatisfied"),
    1: ("helt uenig", "heilt ueinig", "strongly disagree", "disagree fully", "fully disagree",
        "completely disagree", "svært misfornøyd", "svært misnøgd", "very dissatisfied"),
}
_DONT_KNOW = ("vet ikke", "veit ikkje", "veit ikke", "vet ikkje", "don't know", "do not know", "dont know",
              "not sure", "6")
SCALE: dict[str, int | None] = {w: v for v, words in _SCALE_WORDS.items() for w in words}
SCALE.update({str(v): v for v in range(1, 6)})
SCALE.update(dict.fromkeys(_DONT_KNOW))

_CLASS_HEADINGS = ("klasse", "class", "basisgruppe", "gruppe", "group")
# columns that are never a statement (when the answer was given, who answered)
_OTHER_HEADINGS = ("tidspunkt", "tid", "dato", "date", "time", "timestamp", "starttid", "sluttid", "start time",
                   "completion time", "id", "svar-id", "respondent", "e-post", "email", "navn", "name")
_LEVEL_HEADINGS = ("trinn", "årstrinn", "nivå", "level", "year", "vg")
_LEVEL = re.compile(r"(?i)^\s*(?:vg\s*)?([123])")


def norm(text: str) -> str:
    """Lower case, single spaces, curly quotes straightened, trailing dots and numbering dropped."""
    text = unicodedata.normalize("NFC", str(text)).replace("\u2019", "'").replace("\u00a0", " ").lower()
    text = re.sub(r"\s+", " ", text).strip(" .:;!*")
    return text


def scale_value(answer: str) -> int | None | str:
    """1..5, None for don't know, "" for blank, or "unknown" when not understood (never guessed)."""
    key = norm(answer)
    if not key:
        return ""
    key = re.sub(r"^[1-5]\s*[-–=:.)]\s*", "", key) if key not in SCALE else key  # "5 - Helt enig"
    if key in SCALE:
        return SCALE[key]
    return "unknown"


def is_scale_like(word: str) -> bool:
    """An odd answer short enough to show as an example: one word of at most 15 characters."""
    return 0 < len(word) <= 15 and not re.search(r"\s", word)


def match_statement(heading: str) -> str | None:
    """The programme statement a column heading names, by its wording; None if none fits."""
    h = norm(heading)
    best, best_len = None, 0
    for key, st in STATEMENTS.items():
        for w in st["words"]:
            if w in h and len(w) > best_len:
                best, best_len = key, len(w)
    return best


def level_of(klass: str) -> str:
    """Vg1–Vg3 from a class name such as 1STA or Vg2B; "" when the name says nothing."""
    m = _LEVEL.match(klass or "")
    return f"Vg{m.group(1)}" if m else ""


@dataclass
class Counts:
    agree: int = 0
    answers: int = 0  # on the five-point scale
    dont_know: int = 0
    unknown: int = 0

    def share(self) -> float | None:
        return self.agree / self.answers if self.answers else None


@dataclass
class Survey:
    """Only aggregated counts: nothing about a single respondent is kept."""

    name: str
    who: str  # "students" or "teachers"
    columns: dict[str, str | None]  # statement column heading -> statement key (None = not used)
    counts: dict[str, dict[tuple[str, str], Counts]] = field(default_factory=dict)
    unknown_answers: int = 0
    unknown_examples: tuple[str, ...] = ()  # scale-like words not understood (short, no free text)
    respondents: int = 0
    class_levels: dict[str, str] = field(default_factory=dict)  # class -> Vg1..Vg3 ("" unknown)


class NoStatements(MakkerError):
    """No column is matched to a statement; ``columns`` are the columns the coordinator may match."""

    def __init__(self, file: str, columns: dict[str, str | None]):
        super().__init__("evaluation.no_statements", file=file)
        self.columns = columns


def _find(headings: list[str], names: tuple[str, ...]) -> int | None:
    for i, h in enumerate(headings):
        if norm(h) in names:
            return i
    return None


def _score(rows) -> float:
    return max((sum(1 for c in r if match_statement(c)) for r in rows), default=0)


def read_survey(source, filename: str | None = None, mapping: dict[str, str | None] | None = None) -> Survey:
    """Read a survey export. ``mapping`` corrects the matching: column heading -> statement key or None."""
    try:
        loaded = tabular.load(source, filename)
        table = next(tabular.tables(loaded, _score))
    except MakkerError as err:  # the reader's own words are about class lists: say it for a survey
        if err.key == "roster.not_a_file":
            raise
        name = err.params.get("file") or filename or str(source)
        raise MakkerError("evaluation.unreadable", file=Path(str(name)).name) from None
    header: list[str] | None = None
    rows: list[list[str]] = []
    for _, cells in table.rows:
        if header is None:
            if any(match_statement(c) or norm(c) in _CLASS_HEADINGS + _LEVEL_HEADINGS for c in cells) or (
                    mapping and any(c in mapping for c in cells)):
                header = cells
            continue
        rows.append(cells)
    if header is None:
        raise MakkerError("evaluation.no_statements", file=loaded.name)
    columns: dict[str, str | None] = {}  # every column that could hold a statement, matched or not
    for h in header:
        if not h or norm(h) in _CLASS_HEADINGS + _LEVEL_HEADINGS + _OTHER_HEADINGS or h in columns:
            continue
        key = match_statement(h)
        if mapping and h in mapping:
            key = mapping[h]
            if key is not None and key not in STATEMENTS:
                raise MakkerError("evaluation.unknown_statement", statement=key)
        columns[h] = key
    used = {h: k for h, k in columns.items() if k}
    if not used:
        raise NoStatements(loaded.name, columns)
    whos = Counter(STATEMENTS[k]["who"] for k in used.values())
    who = whos.most_common(1)[0][0]
    ci, li = _find(header, _CLASS_HEADINGS), _find(header, _LEVEL_HEADINGS)
    index = {h: header.index(h) for h in used}
    survey = Survey(loaded.name, who, columns)
    examples: Counter = Counter()
    for cells in rows:
        cells = cells + [""] * (len(header) - len(cells))
        klass = cells[ci] if ci is not None else ""
        level = level_of(cells[li]) if li is not None else ""
        level = level or level_of(klass)
        if klass:
            survey.class_levels.setdefault(klass, level)
        any_answer = False
        for h, key in used.items():
            value = scale_value(cells[index[h]])
            if value == "":
                continue
            any_answer = True
            for group in (("school", ""), ("level", level), ("class", klass)):
                if group[0] != "school" and not group[1]:
                    continue
                c = survey.counts.setdefault(key, {}).setdefault(group, Counts())
                if value == "unknown":
                    c.unknown += 1
                elif value is None:
                    c.dont_know += 1
                else:
                    c.answers += 1
                    c.agree += int(value) >= 4
            if value == "unknown":
                survey.unknown_answers += 1
                word = norm(cells[index[h]])
                if is_scale_like(word):  # one short word; anything longer may be free text and is not kept
                    examples[word] += 1
        survey.respondents += any_answer
    survey.unknown_examples = tuple(w for w, _ in examples.most_common(5))
    return survey


@dataclass(frozen=True)
class Figure:
    statement: str
    kind: str  # school, level, class
    group: str  # "" for the school, "other" for small groups merged
    answers: int
    share: float | None  # None without answers on the scale
    national: float
    previous: float | None = None

    def to_json(self) -> dict:
        return {"statement": self.statement, "level_of_detail": self.kind, "group": self.group,
                "answers": self.answers, "share_agreeing": None if self.share is None else round(self.share, 4),
                "national": self.national,
                "previous": None if self.previous is None else round(self.previous, 4)}


def _shown(groups: dict[tuple[str, str], Counts], kind: str, min_group: int,
           levels: dict[str, str] | None = None) -> list[tuple[str, Counts]]:
    """The groups of one level of detail that may be shown: small ones merged into "other", hidden if still small.

    For classes, the classes of one level that are not named must also hold 0 or at least ``min_group``
    answers, so that the level's figure minus its named classes never reveals a small class.
    """
    mine = sorted(((g, c) for (k, g), c in groups.items() if k == kind), key=lambda gc: gc[0])
    if kind == "class" and levels is not None:
        named = {g for g, c in mine if c.answers >= min_group}
        for level in set(levels.get(g, "") for g, _ in mine):
            inside = sorted(((c.answers, g) for g, c in mine if levels.get(g, "") == level))
            while True:
                hidden = sum(n for n, g in inside if g not in named)
                if not 0 < hidden < min_group:
                    break
                rest = [(n, g) for n, g in inside if g in named]
                if not rest:
                    break
                named.discard(rest[0][1])
        return _merge([(g, c) for g, c in mine if g in named], [c for g, c in mine if g not in named], min_group)
    if kind == "school":
        return [(g, c) for g, c in mine if c.answers >= min_group]
    return _merge([(g, c) for g, c in mine if c.answers >= min_group],
                  [c for g, c in mine if c.answers < min_group], min_group)


def _merge(big: list, small: list, min_group: int) -> list[tuple[str, Counts]]:
    if small:
        # a small group alone could be worked out from the school figure minus the others,
        # so the smallest shown groups join "other" until it is big enough
        big.sort(key=lambda gc: gc[1].answers)
        while sum(c.answers for c in small) < min_group and big:
            small.append(big.pop(0)[1])
        other = Counts(sum(c.agree for c in small), sum(c.answers for c in small))
        if other.answers >= min_group and big:  # "other" alone would only repeat the school figure
            big.sort()
            big.append(("other", other))
    return big


def figures(survey: Survey, previous: Survey | None = None, min_group: int = MIN_GROUP) -> list[Figure]:
    out = []
    for key in STATEMENTS:
        groups = survey.counts.get(key)
        if not groups:
            continue
        prev_groups = previous.counts.get(key, {}) if previous else {}
        for kind in ("school", "level", "class"):
            shown = _shown(groups, kind, min_group, survey.class_levels)
            prev = dict(_shown(prev_groups, kind, min_group, previous.class_levels)) if prev_groups and previous else {}
            for g, c in shown:
                p = prev.get(g)
                out.append(Figure(key, kind, g, c.answers, c.share(), STATEMENTS[key]["national"],
                                  p.share() if p else None))
    return out


ON_TIME_DAYS = 6  # a change logged within the week after the rotation's planned first day is on time


@dataclass(frozen=True)
class Fidelity:
    """One class's implementation log beside its survey figures (only figures that may be shown)."""

    klass: str
    rotations: int  # rotations due: logged, or planned to have started by ``today``
    logged: int  # of those, how many are in the log
    changes_on_time: float  # share of those rotations whose change was done on time
    contracts_written: float  # share of those rotations with group contracts written
    shares: dict[str, float | None] = field(default_factory=dict)  # statement -> class's share agreeing

    def to_json(self) -> dict:
        return {"class": self.klass, "rotations": self.rotations, "logged": self.logged,
                "changes_on_time": round(self.changes_on_time, 4),
                "contracts_written": round(self.contracts_written, 4),
                "share_agreeing": {k: None if v is None else round(v, 4) for k, v in self.shares.items()}}


def on_time(entry, planned_start: date | None) -> bool:
    """The change was done, and (when both days are known) no later than a week after its planned first day."""
    if not entry.change_done:
        return False
    if entry.day is None or planned_start is None:
        return True
    return entry.day <= planned_start + timedelta(days=ON_TIME_DAYS)


def fidelity(log_entries, figs: list[Figure], planned: dict[str, dict[int, date | None]] | None = None,
             today: date | None = None) -> list[Fidelity]:
    """Per class: the share of changes done on time and of contracts written, beside its shown survey figures.

    ``planned`` holds each class's planned rotations (number -> first day); a planned rotation that should
    have started by ``today`` and is not in the log counts as not done. A class whose survey group is too
    small has no shares (its figures are never shown, not even here).
    """
    planned = planned or {}
    per: dict[str, dict[int, object]] = {}
    for e in log_entries:
        per.setdefault(e.klass, {})[e.rotation] = e
    shown: dict[str, dict[str, float | None]] = {}
    for f in figs:
        if f.kind == "class" and f.group != "other":
            shown.setdefault(f.group, {})[f.statement] = f.share
    out = []
    for klass in sorted(set(per) | {k for k, rots in planned.items() if today and any(
            d is not None and d <= today for d in rots.values())}):
        logged, plan = per.get(klass, {}), planned.get(klass, {})
        due = set(logged) | {n for n, d in plan.items() if today and d is not None and d <= today}
        if not due:
            continue
        done = sum(on_time(logged[n], plan.get(n)) for n in due if n in logged)
        contracts = sum(bool(getattr(logged[n], "contracts_written", False)) for n in due if n in logged)
        out.append(Fidelity(klass, len(due), len(set(logged) & due), done / len(due), contracts / len(due), dict(shown.get(klass, {}))))
    return out


def workspace_fidelity(ws, figs: list[Figure], today: date | None = None) -> list[Fidelity]:
    """:func:`fidelity` from a saved school year: its implementation log and its plans' dates."""
    planned: dict[str, dict[int, date | None]] = {}
    for name in ws.class_names():
        plan = ws.plan(name)
        if plan is not None:
            planned[name] = {r.number: r.start for r in plan.rotations}
    return fidelity(ws.log(), figs, planned, today or date.today())
