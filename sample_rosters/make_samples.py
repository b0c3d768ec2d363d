"""Write the fictional sample class lists in this folder.

Every name is an invented combination of common Norwegian given names and
surnames (``makker.fictional``); the national ID numbers in the Visma-style
export are fake (their check digits are deliberately wrong) and exist only to
show that makker drops such columns. Seeded and byte-for-byte reproducible:

    python sample_rosters/make_samples.py [OUTDIR]
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from makker.fictional import fictional_students, realistic_rules

HERE = Path(__file__).resolve().parent
SCHOOL = "Fjordvik videregående skole"  # invented current school
FIXED_TIME = dt.datetime(2026, 8, 1, 8, 0, 0)
ZIP_TIME = (2026, 8, 1, 8, 0, 0)
STAMP = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()


# ---------------------------------------------------------------- writers
def xlsx_bytes(sheets: list[tuple[str, list[list[object]]]]) -> bytes:
    """A workbook whose bytes depend only on its content (fixed dates, zip times)."""
    wb = Workbook(write_only=True)
    wb.properties.creator = "makker sample_rosters/make_samples.py"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(ws, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text stays text, even "=..."
                cells.append(cell)
            ws.append(cells)
    raw = io.BytesIO()
    wb.save(raw)
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with the clock on save
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + STAMP, content)
            dst.writestr(fixed, content)
    return out.getvalue()


def csv_bytes(rows: list[list[object]], delimiter: str, encoding: str) -> bytes:
    text = io.StringIO(newline="")
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode(encoding)


# ---------------------------------------------------------------- content
def fake_national_id(rng: random.Random) -> str:
    """11 digits shaped like a fødselsnummer, with a wrong first check digit: never a real person's."""
    weights = (3, 7, 6, 1, 8, 9, 4, 5, 2)
    while True:
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(9, 11)
        digits = f"{day:02d}{month:02d}{year:02d}{rng.randint(500, 999):03d}"
        k1 = (11 - sum(int(d) * w for d, w in zip(digits, weights)) % 11) % 11
        wrong = (k1 + 1 + rng.randrange(8)) % 10
        if wrong != k1:
            return f"{digits}{wrong}{rng.randrange(10)}"


def general_studies_30() -> list[list[object]]:
    students = sorted(fictional_students(30, seed=1, klass="1STA", girls=0.5, schools=4), key=lambda s: s.id)
    rows: list[list[object]] = [["Skole", "Klasse", "Elevnummer", "Fornavn", "Etternavn", "Kjønn", "Ungdomsskole"]]
    rows += [[SCHOOL, s.klass, int(s.id), s.first, s.last, s.gender, s.school] for s in students]
    return rows


def vocational_15() -> list[list[object]]:
    students = fictional_students(15, seed=2, klass="1BAA", girls=0.2, schools=3)
    gender = {"K": "J", "M": "G"}
    rows: list[list[object]] = [["Navn", "Klasse", "Kjønn", "Tidligere skole"]]
    rows += [[s.name, s.klass, gender[s.gender], s.school] for s in sorted(students, key=lambda s: (s.last, s.first))]
    return rows


def odd_27() -> list[list[object]]:
    students = fictional_students(27, seed=3, klass="1STD", girls=9 / 27, schools=5, id_start=5001)
    rows: list[list[object]] = [["Klasseliste 1STD – skoleåret 2026/2027"], []]
    rows.append(["Elevnummer", "Fornavn", "Etternavn", "Klasse", "Kjønn", "Ungdomsskole"])
    rows += [[s.id, s.first, s.last, s.klass, s.gender, s.school] for s in sorted(students, key=lambda s: s.last)]
    return rows


WHOLE_SCHOOL = (("1STA", 31, 0.55), ("1STB", 28, 0.5), ("1STC", 29, 0.45), ("1ELA", 15, 0.1), ("1HSA", 17, 0.8))


def whole_school() -> list[list[object]]:
    rows: list[list[object]] = [
        ["Skole", "Basisgruppe", "Programområde", "Elevnummer", "Fornavn", "Etternavn", "Kjønn", "Ungdomsskole"]
    ]
    programme = {"ST": "Studiespesialisering", "EL": "Elektro og datateknologi", "HS": "Helse- og oppvekstfag"}
    for i, (klass, n, girls) in enumerate(WHOLE_SCHOOL):
        students = fictional_students(n, seed=10 + i, klass=klass, girls=girls, schools=6, id_start=6001 + 100 * i)
        for s in sorted(students, key=lambda s: (s.last, s.first)):
            rows.append([SCHOOL, klass, programme[klass[1:3]], s.id, s.first, s.last, s.gender, s.school])
    return rows


def visma_cp1252() -> list[list[object]]:
    students = fictional_students(24, seed=7, klass="1STE", girls=0.5, schools=4, id_start=7001)
    rng = random.Random("fake-national-ids")
    gender = {"K": "jente", "M": "gutt"}
    rows: list[list[object]] = [["Etternavn, Fornavn", "Klasse", "Kjønn", "Fødselsnummer", "Ungdomsskole"]]
    for s in sorted(students, key=lambda s: (s.last, s.first)):
        rows.append([f"{s.last}, {s.first}", s.klass, gender[s.gender], fake_national_id(rng), s.school])
    return rows


def never_together_example() -> list[list[object]]:
    """Three never-together pairs, by name, for the 30-student class."""
    students = fictional_students(30, seed=1, klass="1STA", girls=0.5, schools=4)
    by_id = {s.id: s for s in students}
    rules = realistic_rules(students, seed=1, never=3)
    rows: list[list[object]] = [["Elev 1", "Elev 2"]]
    for p in sorted(rules.never, key=lambda p: sorted(p)):
        a, b = sorted(p)
        rows.append([by_id[a].name, by_id[b].name])
    return rows


def samples() -> dict[str, bytes]:
    return {
        "vg1_studiespesialisering_30.xlsx": xlsx_bytes([("Elever", general_studies_30())]),
        "vg1_yrkesfag_15.csv": csv_bytes(vocational_15(), ",", "utf-8-sig"),
        "vg1_odde_27.xlsx": xlsx_bytes([("1STD", odd_27())]),
        "hele_skolen_vg1.xlsx": xlsx_bytes(
            [("Elever", whole_school()), ("Om eksporten", [["Oppdiktede elever til utprøving av makker."]])]
        ),
        "visma_export_cp1252.csv": csv_bytes(visma_cp1252(), ";", "cp1252"),
        "aldri_sammen_eksempel.csv": csv_bytes(never_together_example(), ",", "utf-8"),
    }


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else HERE
    out.mkdir(parents=True, exist_ok=True)
    for name, data in samples().items():
        (out / name).write_bytes(data)
        print(f"{out / name} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
