"""Round trips: any roster written as xlsx / UTF-8-BOM CSV / cp1252 CSV reads back the same."""

from __future__ import annotations

import csv
import io
import os
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from makker.roster import is_student_name, read_pair_file, read_rosters
from makker.tabular import clean

HEADINGS = ["Elevnummer", "Fornavn", "Etternavn", "Klasse", "Kjønn", "Ungdomsskole", "Merknad"]
GENDER = {"K": "K", "M": "M", "jente": "K", "gutt": "M", "J": "K", "G": "M", "": None, "Kvinne": "K"}
CLASSES = ["1STA", "2ELEA", "1TIA_HVS", "Vg1 Å", "3STB"]
HOSTILE = ["", "", "", "=", "+", "-", "@", "=HYPERLINK(", "\t"]
# Letters whose cp1252 bytes can never form valid UTF-8 (no 0x80-0xBF continuation bytes).
CP1252_SAFE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 '.-()ÆØÅæøåÉéÈèÜüÖöÄäÑñÇçÁáÍíÓóÚú"

unicode_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn")) | st.sampled_from("æøåÆØÅ 😀👩‍👩‍👧é"),
    min_size=1,
    max_size=12,
)
cp1252_text = st.text(alphabet=st.sampled_from(CP1252_SAFE), min_size=1, max_size=12)


def student_rows(text):
    """(id, first, last, class, gender, school, note) with a name that has letters (other rows are not students)."""
    name = st.tuples(st.sampled_from(HOSTILE), text).map("".join).filter(lambda s: clean(s) != "")
    return st.tuples(
        name, name, st.sampled_from(CLASSES), st.sampled_from(sorted(GENDER)), st.one_of(st.just(""), text),
        st.one_of(st.just(""), st.tuples(st.sampled_from(HOSTILE), text).map("".join)),
    ).filter(lambda row: is_student_name(f"{clean(row[0])} {clean(row[1])}"))


def rosters(text):
    return st.lists(student_rows(text), min_size=1, max_size=25).map(
        lambda rows: [[str(1000 + i), *row] for i, row in enumerate(rows)]
    )


def as_xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r, row in enumerate([HEADINGS, *rows], start=1):
        for c, value in enumerate(row, start=1):
            if value:
                cell = ws.cell(row=r, column=c, value=value)
                cell.data_type = "s"  # how Excel stores typed text, even "=..."
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def as_csv(rows, encoding: str, delimiter: str) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows([HEADINGS, *rows])
    return out.getvalue().encode(encoding)


def check_round_trip(rows, result):
    """Group the written rows by class (first appearance) and compare field by field."""
    expected: dict[str, list] = {}
    for row in rows:
        expected.setdefault(clean(row[3]), []).append(row)
    assert result.classes() == list(expected)
    for roster in result.rosters:
        want = expected[roster.klass]
        assert len(roster.students) == len(want)
        for s, (sid, first, last, klass, gender, school, note) in zip(roster.students, want):
            assert s.id == sid
            assert (s.first, s.last) == (clean(first), clean(last))
            assert s.klass == clean(klass)
            assert s.gender == GENDER[gender]
            assert s.school == (clean(school) or None)
            assert dict(s.extra).get("Merknad", "") == clean(note)
        assert len({s.name for s in roster.students}) == len(roster.students)  # display names are unique
        for s in roster.students:
            if sum(1 for t in roster.students if (t.first, t.last) == (s.first, s.last)) == 1:
                assert s.name == f"{s.first} {s.last}".strip()


EXAMPLES = int(os.environ.get("MAKKER_HYPOTHESIS_EXAMPLES", 40))  # raise it for a longer hunt
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(rosters(unicode_text))
def test_round_trip_xlsx(rows):
    check_round_trip(rows, read_rosters(as_xlsx(rows), "klasser.xlsx"))


@SETTINGS
@given(rosters(unicode_text), st.sampled_from([";", ",", "\t"]))
def test_round_trip_utf8_bom_csv(rows, delimiter):
    check_round_trip(rows, read_rosters(as_csv(rows, "utf-8-sig", delimiter), "klasser.csv"))


@SETTINGS
@given(rosters(cp1252_text), st.sampled_from([";", ","]))
def test_round_trip_cp1252_csv(rows, delimiter):
    check_round_trip(rows, read_rosters(as_csv(rows, "cp1252", delimiter), "klasser.csv"))


@SETTINGS
@given(rosters(unicode_text))
def test_nfd_input_reads_as_nfc(rows):
    nfd = [[unicodedata.normalize("NFD", c) for c in row] for row in rows]
    result = read_rosters(as_csv(nfd, "utf-8", ";"), "mac.csv")
    check_round_trip(rows, result)
    for roster in result.rosters:
        for s in roster.students:
            assert unicodedata.is_normalized("NFC", s.name)


@SETTINGS
@given(rosters(unicode_text), st.data())
def test_pair_file_round_trip(rows, data):
    roster = read_rosters(as_xlsx(rows), "k.xlsx").rosters[0]
    if len(roster) < 2:
        return
    students = roster.students
    picks = data.draw(st.lists(st.tuples(st.sampled_from(students), st.sampled_from(students))
                               .filter(lambda p: p[0].id != p[1].id), max_size=6))
    cells = [[a.id if data.draw(st.booleans()) else a.name, b.id if data.draw(st.booleans()) else b.name]
             for a, b in picks]
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";").writerows(cells)
    got = read_pair_file(out.getvalue().encode("utf-8"), "par.csv", students=roster)
    assert got == list(dict.fromkeys(frozenset((a.id, b.id)) for a, b in picks))
