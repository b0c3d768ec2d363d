"""Fuzzing the importer: whatever the bytes, the result is a Roster or a MakkerError.

Any other exception would reach the user as "internal error" (CLI) or a dead
dashboard callback, so the property is strict: ``read_rosters`` and
``read_pair_file`` either return or raise MakkerError with a translated,
one-line message.
"""

from __future__ import annotations

import io
import os
import random
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_hostile import assert_clear, assert_sane_result  # noqa: E402  (tests/ is on sys.path)

from makker.fictional import fictional_students
from makker.i18n import LANGUAGES, MakkerError
from makker.roster import ImportResult, read_pair_file, read_rosters

# MAKKER_FUZZ_EXAMPLES=5000 for a long hunt; 120 keeps the file under ~20 s.
FUZZ = settings(max_examples=int(os.environ.get("MAKKER_FUZZ_EXAMPLES", "120")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
SUFFIXES = st.sampled_from(["liste.csv", "liste.xlsx", "liste.txt", "liste", "LISTE.CSV", "liste.xls"])

HEADINGS = ["Klasse", "Basisgruppe", "Elevnummer", "Feidenavn", "Fornavn", "Etternavn", "Navn",
            "Etternavn, Fornavn", "Kjønn", "Ungdomsskole", "Skole", "Fødselsnummer", "Fødselsdato", "ID", ""]
CELL_CHARS = st.characters(codec="utf-8", exclude_categories=("Cs",))
CELLS = st.one_of(
    st.text(CELL_CHARS, max_size=12),
    st.sampled_from(["=1+1", "+47", "-", "@x", "\t", "\r", '"', '""', ";", ",", "\n", "K", "M", "jente",
                     "1STA", "01010112345", "<b>x</b>", "Ærlig Øst", "\ufeff", "\x00", "\u202e", "Ola, Nordmann"]),
)


def outcome(source, filename=None):
    """Result or clear error; any other exception propagates and fails the test."""
    try:
        result = read_rosters(source, filename=filename)
    except MakkerError as err:
        assert_clear(err)
        return err
    assert_sane_result(result)
    return result


@FUZZ
@given(data=st.binary(max_size=3000), filename=SUFFIXES)
def test_random_bytes(data, filename):
    outcome(data, filename)


@FUZZ
@given(
    header=st.lists(st.sampled_from(HEADINGS), min_size=1, max_size=7),
    rows=st.lists(st.lists(CELLS, max_size=8), max_size=12),
    sep=st.sampled_from([";", ",", "\t", "|"]),
    newline=st.sampled_from(["\r\n", "\n", "\r"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    filename=SUFFIXES,
)
def test_csv_like_text(header, rows, sep, newline, encoding, filename):
    """Plausible class lists with hostile cells, joined without any quoting discipline."""
    text = newline.join(sep.join(r) for r in [header] + rows)
    outcome(text.encode(encoding, errors="replace"), filename)


@FUZZ
@given(rows=st.lists(st.lists(st.one_of(CELLS, st.integers(), st.floats(allow_nan=True), st.booleans(),
                                        st.dates(), st.none()), max_size=7), max_size=10),
       header=st.lists(st.sampled_from(HEADINGS), min_size=1, max_size=7))
def test_workbooks_with_any_cell_values(rows, header):
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = Workbook()
    ws = wb.active
    for r, row in enumerate([header] + rows, start=1):
        for c, value in enumerate(row, start=1):
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            ws.cell(row=r, column=c, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    outcome(buf.getvalue(), "klasse.xlsx")


def _valid_xlsx() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Klasse", "Fornavn", "Etternavn", "Kjønn"])
    for s in fictional_students(8, seed=3):
        ws.append([s.klass, s.first, s.last, s.gender])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


VALID_XLSX = _valid_xlsx()


@FUZZ
@given(seed=st.integers(0, 2**32 - 1), flips=st.integers(1, 40), cut=st.integers(0, len(VALID_XLSX)))
def test_damaged_workbooks(seed, flips, cut):
    """Flipped bytes and truncation: zip, deflate and XML errors all become one message."""
    rng = random.Random(seed)
    data = bytearray(VALID_XLSX[: max(cut, 4)])
    for _ in range(flips):
        data[rng.randrange(len(data))] = rng.randrange(256)
    outcome(bytes(data), "klasse.xlsx")


@FUZZ
@given(seed=st.integers(0, 2**32 - 1), member=st.sampled_from(
    ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml",
     "xl/_rels/workbook.xml.rels", "docProps/core.xml"]),
    junk=st.binary(max_size=200))
def test_workbooks_with_broken_xml_parts(seed, member, junk):
    """A valid zip whose XML parts are damaged (deflate is fine, the XML is not)."""
    rng = random.Random(seed)
    src = zipfile.ZipFile(io.BytesIO(VALID_XLSX))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == member:
                at = rng.randrange(len(data) + 1)
                data = data[:at] + junk + data[at + rng.randrange(20):]
            out.writestr(info.filename, data)
    outcome(buf.getvalue(), "klasse.xlsx")


STUDENTS = fictional_students(10, seed=5)


@FUZZ
@given(rows=st.lists(st.lists(st.one_of(CELLS, st.sampled_from([s.name for s in STUDENTS] + [s.id for s in STUDENTS])),
                              max_size=4), max_size=8),
       sep=st.sampled_from([";", ",", "\t"]), filename=SUFFIXES)
def test_pair_files(rows, sep, filename):
    """Never-together files: a list of id pairs from the class, or one clear message."""
    data = "\r\n".join(sep.join(r) for r in rows).encode("utf-8")
    try:
        pairs = read_pair_file(data, filename, students=STUDENTS)
    except MakkerError as err:
        assert_clear(err)
        return
    ids = {s.id for s in STUDENTS}
    for p in pairs:
        assert isinstance(p, frozenset) and len(p) == 2 and p <= ids


def test_fuzz_helpers_really_fail_on_other_exceptions():
    """The property would be vacuous if ``outcome`` swallowed everything."""
    import pytest

    with pytest.raises(TypeError):
        outcome(12345, "x.csv")  # not a path, not bytes: a programming error, not a user one
    assert isinstance(outcome(b"", "x.csv"), MakkerError)
    assert isinstance(outcome(b"Navn\r\nOla Nordmann\r\nKari Nordmann\r\n", "x.csv"), ImportResult)
    assert set(LANGUAGES) == {"nb", "nn", "en"}


def test_zip_with_unsupported_version_is_a_damaged_workbook():
    """Found by the fuzzer: zipfile raises NotImplementedError for 'zip file version 11.8'."""
    data = bytearray(VALID_XLSX)
    at = data.find(b"PK\x01\x02")  # first central-directory entry
    data[at + 6:at + 8] = (118).to_bytes(2, "little")  # "version needed to extract"
    err = outcome(bytes(data), "klasse.xlsx")
    assert isinstance(err, MakkerError) and err.key == "roster.bad_excel"
