"""Class-list import: the Excel and CSV files coordinators really have -> Rosters.

A coordinator exports the class list from the school administration system
(Visma InSchool, often re-saved as semicolon CSV in Windows-1252) and should
never have to fix it by hand. So the importer recognises the usual Norwegian
and English headings, splits "Etternavn, Fornavn", maps every common way of
writing gender, drops national ID numbers and birth dates on read, and turns
every problem into a translatable message naming file, row and column.

Public API: :func:`read_rosters`, :func:`read_pair_file`, :func:`summary`,
:func:`pick_class`.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import tabular
from .i18n import MakkerError, Message, t
from .students import Roster, Student

Source = str | os.PathLike | bytes | bytearray | memoryview

# ---------------------------------------------------------------- headings
_ALIASES: dict[str, tuple[str, ...]] = {
    "first": ("fornavn", "førenavn", "fornamn", "førenamn", "first name", "firstname", "given name",
              "given names", "first names", "forename"),
    "last": ("etternavn", "etternamn", "last name", "lastname", "surname", "family name"),
    "full": ("navn", "namn", "elevnavn", "elevnamn", "elev", "elevens navn", "elevens namn",
             "fullt navn", "fullt namn", "name", "full name", "student", "student name", "pupil"),
    "last_first": ("etternavn, fornavn", "etternavn,fornavn", "etternamn, førenamn", "etternamn, fornamn",
                   "etternavn og fornavn", "last name, first name", "surname, first name",
                   "surname, given name", "navn (etternavn, fornavn)"),
    "klass": ("klasse", "basisgruppe", "gruppe", "class", "klassekode", "klassenavn", "klassenamn",
              "basisgruppekode", "group", "class group", "klasse/gruppe", "klasse/basisgruppe"),
    "gender": ("kjønn", "kjonn", "kj", "gender", "sex", "kjønn (k/m)", "kjønn (j/g)"),
    "school": ("ungdomsskole", "ungdomsskule", "tidligere skole", "tidlegare skule", "tidlegare skole",
               "fra skole", "frå skule", "frå skole", "forrige skole", "førre skule", "avgiverskole",
               "avgjevarskule", "previous school", "former school", "lower secondary school",
               "from school"),
    "id": ("elevnummer", "elevnr", "elev nr", "elev id", "elevid", "elev nummer", "feidenavn", "feidenamn",
           "feide", "feide id", "feide navn", "brukernavn", "brukarnamn", "id", "student id", "studentid",
           "student number", "username", "user name", "pupil id"),
}
_HEADING = {alias: fld for fld, aliases in _ALIASES.items() for alias in aliases}
_NAME_FIELDS = ("first", "last", "full", "last_first")
# National ID numbers and birth dates: dropped on read, whatever else the column is called.
_SENSITIVE = re.compile(
    r"fødsel|fodsel|foedsel|personnummer|personnr|person nr|\bfnr\b|\bf nr\b|\bpnr\b|\bd nummer|\bdnr\b|"
    r"\bfødt\b|\bfodt\b|\bfødd\b|birth|\bdob\b|\bssn\b|national id|social security|personal number|personal id"
)
# 11 digits (10 when Excel ate the leading zero), maybe split after the date part.
_ID_NUMBER = re.compile(r"\d{6}[ .\-]?\d{4,5}")

_GENDERS = {
    "K": ("k", "kv", "kvinne", "kvinnelig", "j", "jente", "jenta", "ho", "hokjønn", "hunkjønn", "f", "female",
          "girl", "woman", "w", "feminin", "kvinneleg"),
    "M": ("m", "mann", "mannlig", "mannleg", "g", "gutt", "gut", "guten", "gutten", "han", "hankjønn", "male",
          "boy", "man", "maskulin"),
}
_GENDER = {alias: code for code, aliases in _GENDERS.items() for alias in aliases}

HEADER_SEARCH_ROWS = 20  # title rows an export may have above the headings
DEFAULT_CLASS = "roster.default_class"  # catalog key: the class name when neither a column nor a file name gives one


def heading_key(text: str) -> str:
    """A heading reduced for matching: NFC, case-folded, separators as one space."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = re.sub(r"[\s_.\-]+", " ", text).strip(" :*")
    return text


@lru_cache(maxsize=4096)
def field_of(heading: str) -> str | None:
    """Which student field a column heading means (``None``: keep it aside)."""
    key = heading_key(heading)
    if not key:
        return None
    if _SENSITIVE.search(key):
        return "sensitive"
    if key in _HEADING:
        return _HEADING[key]
    bare = re.sub(r"\s*\([^)]*\)$", "", key)  # "Kjønn (K/M)", "Elevnummer (Visma)"
    return _HEADING.get(bare)


@lru_cache(maxsize=1024)
def parse_gender(value: str) -> str | None:
    """'K', 'M' or None for every usual spelling (jente/gutt, J/G, F/M, girl/boy...)."""
    return _GENDER.get(heading_key(value))


def looks_like_national_id(value: str) -> bool:
    return bool(_ID_NUMBER.fullmatch(value.strip()))


def _has_id_number(value: str) -> bool:
    """Anything with 10+ digits in a row: never echoed back in a message."""
    return bool(re.search(r"\d{6}[ .\-]?\d{4}", value))


# ---------------------------------------------------------------- result types
@dataclass
class ImportResult:
    """What a class-list file held: one Roster per class, in file order."""

    rosters: list[Roster]
    warnings: list[Message] = field(default_factory=list)  # about the file as a whole
    source: str = ""

    def classes(self) -> list[str]:
        return [r.klass for r in self.rosters]

    def all_warnings(self) -> list[Message]:
        """File warnings first, then each class's own."""
        return list(self.warnings) + [w for r in self.rosters for w in r.warnings]


@dataclass
class _Layout:
    """Which column holds what, from the heading row."""

    row: int
    headings: list[str]
    fields: dict[str, int]  # field -> column index (first column wins)
    extra: list[int]  # kept aside, in order
    dropped: list[str]  # sensitive headings, never kept

    def names_whole(self) -> bool:
        """The list gives whole names (a surname column or one name column), so one word means a missing part."""
        return any(f in self.fields for f in ("last", "full", "last_first"))


@dataclass
class _Record:
    row: int
    first: str
    last: str
    klass: str
    gender_raw: str
    school: str
    sid: str
    extra: list[tuple[str, str]]


# ---------------------------------------------------------------- reading
def read_rosters(source: Source, filename: str | None = None, lang: str | None = None) -> ImportResult:
    """Read a class list (xlsx, csv, txt) into one Roster per class.

    ``source`` is a path or the file's bytes; ``filename`` gives the name
    (and suffix) to use for bytes, e.g. from an upload. ``lang`` names the
    class of a list without a class column or file name («Klasse» / «Class»).
    """
    loaded = tabular.load(source, filename)
    table, layout, rows, skipped_sheets = _find_class_list(loaded)
    warnings: list[Message] = []
    if skipped_sheets:
        warnings.append(Message.of("roster.sheet_used", file=table.name, skipped=", ".join(skipped_sheets)))
    records = _read_records(rows, layout, table.name, warnings)
    if not records:
        raise MakkerError("roster.no_students", file=table.name, row=layout.row)
    _drop_id_like_columns(records, layout, table.name, warnings)
    default = _default_class(filename or (None if isinstance(source, (bytes, bytearray, memoryview)) else source), lang)
    rosters = _build_rosters(records, layout, default, loaded.name, warnings)
    return ImportResult(rosters, warnings, loaded.name)


def _header_score(rows: Sequence[list[str]]) -> float:
    """How much the first rows look like class-list headings (for separator sniffing)."""
    best = 0
    for cells in rows[:HEADER_SEARCH_ROWS]:
        fields = [field_of(c) for c in cells]
        best = max(best, sum(1 for f in fields if f))
    return best


def _find_class_list(loaded: tabular.Loaded):
    """The first table with a heading row naming a name column."""
    first_problem: MakkerError | None = None
    any_rows = False
    skipped: list[str] = []
    for table in tabular.tables(loaded, _header_score):
        head = list(itertools.islice(table.rows, HEADER_SEARCH_ROWS))
        if not head:
            continue
        any_rows = True
        for i, (number, cells) in enumerate(head):
            layout = _layout(number, cells)
            if layout is not None:
                return table, layout, itertools.chain(head[i + 1 :], table.rows), skipped
        skipped.append(table.name)
        if first_problem is None:
            number, cells = head[0]
            shown = ", ".join(c for c in cells if c and field_of(c) != "sensitive" and not _has_id_number(c))[:200]
            first_problem = MakkerError("roster.no_name_column", file=table.name, row=number, columns=shown or "–")
    if not any_rows:
        raise MakkerError("roster.empty", file=loaded.name)
    raise first_problem  # type: ignore[misc]


def _layout(number: int, cells: list[str]) -> _Layout | None:
    fields: dict[str, int] = {}
    extra: list[int] = []
    dropped: list[str] = []
    for col, heading in enumerate(cells):
        fld = field_of(heading)
        if fld == "sensitive":
            dropped.append(heading)
        elif fld and fld not in fields:
            fields[fld] = col
        elif heading:
            extra.append(col)
    if not any(f in fields for f in _NAME_FIELDS):
        return None
    return _Layout(number, list(cells), fields, extra, dropped)


def _cell(cells: list[str], col: int | None) -> str:
    return cells[col] if col is not None and col < len(cells) else ""


def _read_records(rows, layout: _Layout, name: str, warnings: list[Message]) -> list[_Record]:
    if layout.dropped:
        warnings.append(Message.of("roster.dropped_sensitive", file=name, columns=", ".join(layout.dropped)))
    col = layout.fields.get
    kept = set(layout.fields.values()) | set(layout.extra) | {i for i, h in enumerate(layout.headings) if h}
    records: list[_Record] = []
    skipped: list[int] = []
    unheaded = False
    one_word: list[str] = []
    for number, cells in rows:
        if _repeats_headings(cells, layout):
            skipped.append(number)
            continue
        first, last = _split_name(*(_cell(cells, col(f)) for f in ("first", "last", "full", "last_first")))
        if (not (first or last) or not is_student_name(f"{first} {last}".strip()) or _merged_title(cells)
                or _section_title(cells, layout)):
            skipped.append(number)
            continue
        if not last and " " not in first and layout.names_whole():
            one_word.append(first)
        unheaded = unheaded or any(c and i not in kept for i, c in enumerate(cells))
        extra = [(layout.headings[c], _cell(cells, c)) for c in layout.extra]
        records.append(_Record(number, first, last, _cell(cells, col("klass")), _cell(cells, col("gender")),
                               _cell(cells, col("school")), _cell(cells, col("id")), extra))
    if skipped:
        warnings.append(Message.of("roster.skipped_rows", file=name, count=len(skipped), rows=_rows_text(skipped)))
    if one_word:
        warnings.append(Message.of("roster.one_word_names", file=name, count=len(one_word),
                                   names=", ".join(one_word[:10]) + (" …" if len(one_word) > 10 else "")))
    if unheaded:
        warnings.append(Message.of("roster.unnamed_columns_ignored", file=name))
    return records


# A total or footer line under the students: «Sum», «Totalt: 28», «Antall elever», «I alt 27».
_FOOTER = re.compile(
    r"(sum|summer|totalt?|i alt|antall|tal|talet|number|count)"
    r"( (elever|elevar|elevane|elevene|students|pupils|på elevar|of students))?\s*[:=]?\s*\d*",
    re.IGNORECASE,
)


def is_student_name(name: str) -> bool:
    """Whether a name cell can be a student: it has letters (any script; hyphens, apostrophes, «van der»).

    Separator rows («;;», «----»), numbers, totals and footers («Totalt: 28»,
    «Antall elever»), and a heading repeated in the name column are not students.
    """
    name = name.strip()
    if not any(ch.isalpha() for ch in name):
        return False
    if _FOOTER.fullmatch(name):
        return False
    return field_of(name) is None


def _merged_title(cells: list[str]) -> bool:
    """A title written across merged cells (the same text in every filled cell of the row) is not a student."""
    filled = [c for c in cells if c]
    return len(filled) >= 2 and len({c.casefold() for c in filled}) == 1


def _section_title(cells: list[str], layout: _Layout) -> bool:
    """«Klasse 2STA» or «Gruppe 1» alone in a row of a list with more columns: a title (often merged cells), not a student."""
    filled = [c for c in cells if c]
    return len(layout.fields) >= 2 and len(filled) == 1 and any(ch.isdigit() for ch in filled[0])


def _repeats_headings(cells: list[str], layout: _Layout) -> bool:
    """A heading row repeated above each class block of an export is not a student."""
    filled = [(c, layout.headings[i]) for i, c in enumerate(cells) if c and i < len(layout.headings)]
    return bool(filled) and all(c.casefold() == h.casefold() for c, h in filled)


def _rows_text(rows: list[int], limit: int = 10) -> str:
    shown = ", ".join(str(r) for r in rows[:limit])
    return shown + (" …" if len(rows) > limit else "")


def _split_name(first: str, last: str, full: str, last_first: str) -> tuple[str, str]:
    """(first, last) from separate columns, or one "Etternavn, Fornavn" / "Fornavn Etternavn" cell."""
    if first or last:
        return first, last
    text = last_first or full
    if not text:
        return "", ""
    if "," in text:
        surname, given = (p.strip() for p in text.split(",", 1))
        if given and surname:
            return given, surname
        return (given or surname), ""
    if last_first or " " not in text:
        return text, ""
    given, surname = text.rsplit(" ", 1)
    return given, surname


_ID_CHECKED = {"id": "sid", "school": "school", "klass": "klass", "gender": "gender_raw"}


def _drop_id_like_columns(records: list[_Record], layout: _Layout, name: str, warnings: list[Message]) -> None:
    """A column holding anything like a national ID number is dropped whole.

    Checked for the id, previous-school, class and gender columns and every
    column kept aside; a dropped id column means makker makes its own ids.
    """
    for fld, attr in _ID_CHECKED.items():
        if fld in layout.fields and any(looks_like_national_id(getattr(r, attr)) for r in records):
            column = layout.headings[layout.fields[fld]]
            warnings.append(Message.of("roster.dropped_id_like", file=name, column=column))
            for r in records:
                setattr(r, attr, "")
    bad = {label for r in records for label, value in r.extra if looks_like_national_id(value)}
    if bad:
        warnings.append(Message.of("roster.dropped_id_like", file=name, column=", ".join(sorted(bad))))
        for r in records:
            r.extra = [(label, value) for label, value in r.extra if label not in bad]


def _shown(value: str) -> str:
    """A cell as echoed in a message: ID-number-like text is never shown."""
    return "…" if _has_id_number(value) else value


def _default_class(path: object, lang: str | None = None) -> str:
    stem = tabular.clean(Path(str(path)).stem) if path is not None else ""
    return stem or t(DEFAULT_CLASS, lang)


# ---------------------------------------------------------------- building rosters
def _build_rosters(records: list[_Record], layout: _Layout, default: str, source: str,
                   warnings: list[Message]) -> list[Roster]:
    has_class = "klass" in layout.fields
    if not has_class:
        warnings.append(Message.of("roster.no_class_column", file=source, klass=default))
    groups: dict[str, list[_Record]] = {}
    spelling: dict[str, str] = {}
    current = default
    filled = 0
    for r in records:
        if r.klass:
            current = spelling.setdefault(r.klass.casefold(), r.klass)
        elif has_class:
            filled += 1
        groups.setdefault(current, []).append(r)
    if filled:
        warnings.append(Message.of("roster.class_filled", file=source, count=filled))
    return [_roster(klass, recs, source) for klass, recs in groups.items()]


def _roster(klass: str, records: list[_Record], source: str) -> Roster:
    warnings: list[Message] = []
    ids = _ids(klass, records, warnings)
    names = _display_names(klass, records, ids, warnings)
    unknown = [r.gender_raw for r in records if r.gender_raw and parse_gender(r.gender_raw) is None]
    if unknown:
        values = ", ".join(list(dict.fromkeys(map(_shown, unknown)))[:5])
        warnings.append(Message.of("roster.unknown_gender", klass=klass, count=len(unknown), values=values))
    students = [
        Student(
            id=sid, name=name, first=r.first, last=r.last, klass=klass,
            gender=parse_gender(r.gender_raw) if r.gender_raw else None,
            school=r.school or None, extra=tuple(r.extra),
        )
        for r, sid, name in zip(records, ids, names)
    ]
    if not 4 <= len(students) <= 40:
        warnings.append(Message.of("roster.unusual_size", klass=klass, count=len(students)))
    return Roster(klass, students, warnings, source)


def stable_id(klass: str, name: str, occurrence: int = 0, length: int = 8) -> str:
    """A short id that stays the same when the list is re-exported in another order."""
    key = "\x1f".join((klass.casefold(), name.casefold(), str(occurrence)))
    return "m" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:length]


def _ids(klass: str, records: list[_Record], warnings: list[Message]) -> list[str]:
    seen: dict[str, int] = {}
    occurrences: dict[str, int] = {}
    out: list[str] = []
    duplicates: list[str] = []
    for r in records:
        sid = r.sid
        if not sid:
            name = f"{r.first} {r.last}".strip()
            n = occurrences[name.casefold()] = occurrences.get(name.casefold(), -1) + 1
            sid = stable_id(klass, name, n)
            length = 8
            while sid in seen:  # astronomically rare; keep ids unique anyway
                length += 2
                sid = stable_id(klass, name, n, length)
        elif sid in seen:
            duplicates.append(sid)
            k = 2
            while f"{r.sid}-{k}" in seen:
                k += 1
            sid = f"{r.sid}-{k}"
        seen[sid] = r.row
        out.append(sid)
    if duplicates:
        warnings.append(Message.of("roster.duplicate_ids", klass=klass, ids=", ".join(dict.fromkeys(duplicates))))
    return out


def _display_names(klass: str, records: list[_Record], ids: list[str], warnings: list[Message]) -> list[str]:
    """Names as shown; equal names get "(1)", "(2)" so a teacher can tell them apart."""
    names = [f"{r.first} {r.last}".strip() for r in records]
    counts: dict[str, int] = {}
    for n in names:
        counts[n.casefold()] = counts.get(n.casefold(), 0) + 1
    dup = [n for n in dict.fromkeys(names) if counts[n.casefold()] > 1]
    if not dup:
        return names
    taken = {n.casefold() for n in names}
    seen: dict[str, int] = {}
    out = []
    for n in names:
        if counts[n.casefold()] == 1:
            out.append(n)
            continue
        k = seen[n.casefold()] = seen.get(n.casefold(), 0) + 1
        label = f"{n} ({k})"
        while label.casefold() in taken:
            label += "'"
        taken.add(label.casefold())
        out.append(label)
    warnings.append(Message.of("roster.duplicate_names", klass=klass, names=", ".join(dup)))
    return out


# ---------------------------------------------------------------- helpers for callers
# A column naming the students' own (current) school: kept aside per student, and used to sign the letters.
SCHOOL_NAME_HEADINGS = ("skole", "skule", "skolenavn", "skulenamn", "skolens navn", "school", "school name")


def school_name(rosters: Iterable[Roster]) -> str | None:
    """The school's name from a «Skole» column of the class list (the most common value), or None."""
    from collections import Counter

    names = Counter(value for r in rosters for s in r.students for label, value in s.extra
                    if value and heading_key(label) in SCHOOL_NAME_HEADINGS)
    return names.most_common(1)[0][0] if names else None


def summary(roster: Roster) -> dict:
    """One class as in ``makker roster --json`` (docs/interfaces.md)."""
    return {
        "class": roster.klass,
        "students": len(roster.students),
        "gender": roster.gender_counts(),
        "schools": roster.school_counts(),
    }


def pick_class(result: ImportResult, klass: str | None) -> Roster:
    """The roster of ``klass`` (case-insensitive), or the only one if not given."""
    if klass is None:
        if len(result.rosters) == 1:
            return result.rosters[0]
        raise MakkerError("roster.choose_class", file=result.source, classes=", ".join(result.classes()))
    wanted = tabular.clean(klass).casefold()
    for roster in result.rosters:
        if roster.klass.casefold() == wanted:
            return roster
    raise MakkerError("roster.unknown_class", klass=klass, file=result.source, classes=", ".join(result.classes()))


# ---------------------------------------------------------------- pair files
_PAIR_HEADING = re.compile(
    r"(elev|student|navn|namn|name|person|id|elevnummer|makker|pupil|a|b)\s*[-_]?\s*\w?", re.IGNORECASE
)
_PAIR_HEADING_WORDS = re.compile(
    r"\b(aldri|helst|sammen|saman|never|together|apart|par|pair|elev \w|student \w)\b", re.IGNORECASE
)


def _key(text: str) -> str:
    return tabular.clean(text).casefold()


def _student_index(students: Iterable[Student]) -> dict[str, set[str]]:
    """Every way a pair file may name a student -> the ids it could mean."""
    index: dict[str, set[str]] = {}
    for s in students:
        keys = {s.id, s.name, f"{s.first} {s.last}", f"{s.last}, {s.first}", f"{s.last} {s.first}"}
        for k in keys:
            if k.strip(" ,"):
                index.setdefault(_key(k), set()).add(s.id)
    # An exact id always wins over a name that happens to equal it.
    for s in students:
        index[_key(s.id)] = {s.id}
    return index


def _pair_score(rows: Sequence[list[str]]) -> float:
    return sum(1 for r in rows if len([c for c in r if c]) == 2) / max(1, len(rows))


def read_pair_file(source: Source, filename: str | None = None, students: Iterable[Student] | Roster = ()) -> list[
        frozenset[str]]:
    """Never-together / preferably-apart pairs as id pairs, checked against the class.

    Two columns (comma, semicolon or tab), an optional heading row; each cell
    is a student's id or full name as in the class list. All unknown names
    are reported together so the coordinator can fix the file in one go.
    """
    return [p for p, _ in _read_pairs(source, filename, students, extra=False)]


def read_keep_file(source: Source, filename: str | None = None, students: Iterable[Student] | Roster = (),
                   rotations: tuple[int, ...] | None = None) -> list[tuple[frozenset[str], tuple[int, ...] | None]]:
    """Keep-together pairs, each with the rotations it holds for (None: every rotation).

    Like :func:`read_pair_file`, with an optional third column of rotation
    numbers («1 2», «1-3», «alle»); without it a row holds for ``rotations``.
    """
    from .rules import parse_rotations

    out = []
    for p, (number, name, extra) in _read_pairs(source, filename, students, extra=True):
        if extra is None:
            out.append((p, rotations))
            continue
        try:
            out.append((p, parse_rotations(extra)))
        except ValueError:
            raise MakkerError("roster.keep_bad_rotations", file=name, row=number, value=_shown(extra)) from None
    return out


def _read_pairs(source: Source, filename: str | None, students, extra: bool):
    students = list(students.students if isinstance(students, Roster) else students)
    index = _student_index(students)
    try:
        loaded = tabular.load(source, filename)
    except MakkerError as err:
        if err.key == "roster.empty":
            return []
        raise
    table = next(iter(tabular.tables(loaded, _pair_score)))
    pairs: dict[frozenset[str], tuple] = {}
    unknown: list[str] = []
    first_row = True
    for number, cells in table.rows:
        cells = [c for c in cells if c]
        if first_row and _is_pair_heading(cells[:2], index):
            first_row = False
            continue
        first_row = False
        rest = None
        if extra and len(cells) == 3:
            cells, rest = cells[:2], cells[2]
        if len(cells) != 2:
            raise MakkerError("roster.pair_columns", file=table.name, row=number, count=len(cells))
        ids = []
        for cell in cells:
            found = index.get(_key(cell), set())
            if not found:
                unknown.append(cell)
            elif len(found) > 1:
                raise MakkerError("roster.pair_ambiguous", file=table.name, row=number, name=_shown(cell))
            else:
                ids.append(next(iter(found)))
        if len(ids) == 2:
            if ids[0] == ids[1]:
                raise MakkerError("roster.pair_self", file=table.name, row=number, name=_shown(cells[0]))
            p = frozenset(ids)
            if p not in pairs:
                pairs[p] = (number, table.name, rest)
    if unknown:
        names = ", ".join(dict.fromkeys(map(_shown, unknown)))
        raise MakkerError("roster.pair_unknown", file=table.name, count=len(dict.fromkeys(unknown)), names=names)
    return list(pairs.items())


def _is_pair_heading(cells: list[str], index: dict[str, set[str]]) -> bool:
    if any(_key(c) in index for c in cells):
        return False
    if not cells:
        return False
    return all(_PAIR_HEADING.fullmatch(c) for c in cells) or any(_PAIR_HEADING_WORDS.search(c) for c in cells)
