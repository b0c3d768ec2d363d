"""Raw tables from the files coordinators have: Excel workbooks and CSV text.

This layer knows about bytes, encodings, separators, sheets and limits, and
nothing about students: it yields rows of clean text cells with their row
numbers, so that :mod:`makker.roster` (class lists) and the pair-file reader
share one careful implementation. Every problem is a :class:`MakkerError`
that names the file.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import io
import os
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .i18n import MakkerError

MAX_BYTES = 20 * 1024 * 1024  # a class list of a whole school is well under 1 MB
MAX_ROWS = 50_000  # non-blank rows; a big school has ~2 000 students
MAX_BLANK_RUN = 1_000  # this many blank rows in a row end a sheet (formatted but empty rows)
MAX_COLUMNS = 200
SNIFF_ROWS = 30

Row = tuple[int, list[str]]  # (1-based row number in the file/sheet, cells)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_SPACES = re.compile(r"\s+")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # exactly Unicode category Cc; a regex is ~20x faster


@dataclass
class Table:
    """One sheet (or the one CSV table) of a file, read lazily row by row."""

    name: str  # shown in messages: "elever.xlsx" or "elever.xlsx [Ark2]"
    rows: Iterator[Row]  # blank rows are skipped, numbers keep counting


@dataclass(frozen=True)
class Loaded:
    """The bytes of a file and the name to show for it."""

    name: str
    data: bytes
    suffix: str


def display_name(source: str | os.PathLike | bytes | bytearray | memoryview, filename: str | None) -> str:
    if filename:
        return Path(str(filename)).name
    if isinstance(source, (bytes, bytearray, memoryview)):
        return "–"
    return Path(source).name


def load(source: str | os.PathLike | bytes | bytearray | memoryview, filename: str | None = None) -> Loaded:
    """Read the whole file (bounded by MAX_BYTES) and check it is not empty."""
    name = display_name(source, filename)
    suffix = Path(str(filename)).suffix.lower() if filename else ""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        path = Path(source)
        if not suffix:
            suffix = path.suffix.lower()
        if path.is_dir():
            raise MakkerError("roster.not_a_file", file=name)
        size = path.stat().st_size  # FileNotFoundError is reported by the CLI
        _check_size(size, name)
        data = path.read_bytes()
    _check_size(len(data), name)
    if not data.strip(b" \t\r\n\x00") or data in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        raise MakkerError("roster.empty", file=name)
    return Loaded(name, data, suffix)


def _check_size(size: int, name: str) -> None:
    if size > MAX_BYTES:
        raise MakkerError(
            "roster.too_large", file=name, size=f"{size / 1024 / 1024:.1f}", limit=MAX_BYTES // (1024 * 1024)
        )


def clean(value: object) -> str:
    """One cell as plain, trimmed NFC text.

    Numbers lose a spurious ``.0``, dates become ISO dates, control and
    bidi-override characters are removed (they could disguise a name or
    mess up a terminal) and runs of whitespace become one space.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, float):
        text = str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    elif isinstance(value, _dt.datetime):
        text = value.date().isoformat() if value.time() == _dt.time() else value.isoformat(sep=" ")
    elif isinstance(value, (_dt.date, _dt.time)):
        text = value.isoformat()
    else:
        text = str(value)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text).translate(_BIDI_CONTROLS)
    text = _CONTROLS.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


# ---------------------------------------------------------------- detection
def kind_of(loaded: Loaded) -> str:
    """'xlsx' or 'text', from the content first (a renamed file still works)."""
    data = loaded.data
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(loaded)
    if data.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise MakkerError("roster.encrypted", file=loaded.name)
        raise MakkerError("roster.old_xls", file=loaded.name)
    if loaded.suffix in (".xlsx", ".xlsm", ".xltx", ".xltm"):
        raise MakkerError("roster.bad_excel", file=loaded.name)
    if loaded.suffix not in TEXT_SUFFIXES:  # a README, a Word file saved as text...: not a class list
        raise MakkerError("roster.unknown_type", file=loaded.name)
    return "text"


TEXT_SUFFIXES = ("", ".csv", ".txt", ".tsv", ".tab")


def _zip_kind(loaded: Loaded) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(loaded.data)).namelist())
    except Exception:  # noqa: BLE001 - BadZipFile, NotImplementedError (odd version), struct errors...
        raise MakkerError("roster.bad_excel", file=loaded.name) from None
    if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
        return "xlsx"
    if "content.xml" in names or "mimetype" in names:
        raise MakkerError("roster.ods", file=loaded.name)
    raise MakkerError("roster.not_class_list", file=loaded.name)


# ---------------------------------------------------------------- text files
def decode(loaded: Loaded) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    data, name = loaded.data, loaded.name
    if data.startswith(codecs.BOM_UTF8):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise MakkerError("roster.not_class_list", file=name) from None
    else:
        if b"\x00" in data[:65536]:
            raise MakkerError("roster.not_class_list", file=name)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_lines(data, name)
    if _looks_binary(text):
        raise MakkerError("roster.not_class_list", file=name)
    if not text.strip():
        raise MakkerError("roster.empty", file=name)
    return text


def _decode_lines(data: bytes, name: str) -> str:
    """Windows-1252, except lines that are valid UTF-8.

    A cp1252 export that someone appended to in a UTF-8 editor holds both;
    decoding it whole as cp1252 would silently turn "Åse" into "Ã…se".
    """
    out = []
    for line in data.splitlines(keepends=True):
        try:
            out.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            try:
                out.append(line.decode("cp1252"))
            except UnicodeDecodeError:
                raise MakkerError("roster.not_class_list", file=name) from None
    return "".join(out)


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    if "\x00" in sample:
        return True
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n\f")
    replaced = sample.count("\ufffd")
    return (controls + replaced) > max(2, len(sample) // 200)


def _parse(text: str, delimiter: str) -> Iterator[list[str]]:
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=False)


def sniff_delimiter(text: str, score: Callable[[Sequence[list[str]]], float]) -> str:
    """Pick ``;``, ``,`` or tab by parsing the first rows with each.

    The best delimiter is the one whose rows ``score`` likes most (the roster
    counts known headings, the pair file wants two columns), then the one
    giving the most consistent and widest rows.
    """
    head = "\n".join(text.splitlines()[: SNIFF_ROWS * 2])
    best, best_key = ";", None
    for delim in (";", ",", "\t"):
        try:
            rows = [r for r in _parse(head, delim) if any(c.strip() for c in r)][:SNIFF_ROWS]
        except csv.Error:
            continue
        if not rows:
            continue
        widths = [len(r) for r in rows]
        consistent = widths.count(widths[0]) / len(widths)
        key = (score([[clean(c) for c in r] for r in rows]), consistent, widths[0])
        if best_key is None or key > best_key:
            best, best_key = delim, key
    return best


def text_rows(text: str, delimiter: str, name: str) -> Iterator[Row]:
    """Non-blank CSV records as clean cells with their record numbers."""
    try:
        count = 0
        for number, record in enumerate(_parse(text, delimiter), start=1):
            cells = [clean(c) for c in record[:MAX_COLUMNS]]
            if not any(cells):
                continue
            count += 1
            if count > MAX_ROWS:
                raise MakkerError("roster.too_many_rows", file=name, limit=MAX_ROWS)
            yield number, cells
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):  # one enormous cell: say so, not "not a class list"
            raise MakkerError("trust.cell_too_long", file=name, limit=csv.field_size_limit()) from None
        raise MakkerError("roster.not_class_list", file=name) from None


_SEP_HINT = re.compile(r"\ufeff?[\"']?sep=([;,\t|])[\"']?[ \t]*\r?\n", re.IGNORECASE)


def text_table(loaded: Loaded, score: Callable[[Sequence[list[str]]], float]) -> Table:
    text = decode(loaded)
    hint = _SEP_HINT.match(text)
    if hint:  # Excel's "sep=;" first line names the separator; keep row numbers by leaving a blank line
        delimiter, text = hint.group(1), "\n" + text[hint.end():]
    else:
        delimiter = sniff_delimiter(text, score)
    return Table(loaded.name, text_rows(text, delimiter, loaded.name))


# ---------------------------------------------------------------- Excel
def xlsx_tables(loaded: Loaded) -> Iterator[Table]:
    """One lazily read Table per worksheet, values (not formulas) as text."""
    import openpyxl  # imported here: the CLI starts faster for CSV files

    name = loaded.name
    try:
        with warnings.catch_warnings():  # openpyxl warns about odd parts on stderr; users need one clear line
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(
                io.BytesIO(loaded.data), read_only=True, data_only=True, keep_links=False
            )
            sheets = list(workbook.worksheets)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on damaged files
        raise MakkerError("roster.bad_excel", file=name) from None
    # Not closed here: the caller may still be reading a sheet's rows after
    # leaving this generator. The archive wraps in-memory bytes, so nothing leaks.
    for sheet in sheets:
        label = f"{name} [{clean(sheet.title)}]" if len(sheets) > 1 else name
        yield Table(label, _sheet_rows(sheet, label, name))


def _quiet_rows(sheet) -> Iterator[tuple]:
    rows = sheet.iter_rows(values_only=True)
    while True:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            values = next(rows, None)
        if values is None:
            return
        yield values


def _sheet_rows(sheet, label: str, name: str) -> Iterator[Row]:
    try:
        sheet.reset_dimensions()  # stated dimensions are often wrong; never pad rows to them
        blank_run = count = 0
        for number, values in enumerate(_quiet_rows(sheet), start=1):
            cells = [clean(v) for v in values[:MAX_COLUMNS]]
            if not any(cells):
                blank_run += 1
                if blank_run >= MAX_BLANK_RUN and count:
                    return
                continue
            blank_run = 0
            count += 1
            if count > MAX_ROWS:
                raise MakkerError("roster.too_many_rows", file=label, limit=MAX_ROWS)
            yield number, cells
    except MakkerError:
        raise
    except Exception:  # noqa: BLE001 - damaged sheet XML surfaces while iterating
        raise MakkerError("roster.bad_excel", file=name) from None


def tables(loaded: Loaded, score: Callable[[Sequence[list[str]]], float]) -> Iterator[Table]:
    """Every table of a file: the sheets of a workbook, or the one CSV table."""
    if kind_of(loaded) == "xlsx":
        yield from xlsx_tables(loaded)
    else:
        yield text_table(loaded, score)
