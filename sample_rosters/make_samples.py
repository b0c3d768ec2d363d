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


# ---------------------------------------------------------------- survey exports (evaluation)
NB_SCALE = ["Helt uenig", "Delvis uenig", "Verken enig eller uenig", "Delvis enig", "Helt enig"]
NN_SCALE = ["Heilt ueinig", "Delvis ueinig", "Verken einig eller ueinig", "Delvis einig", "Heilt einig"]
TEACHER_SCALE = ["Svært misfornøyd", "Misfornøyd", "Verken fornøyd eller misfornøyd", "Fornøyd", "Svært fornøyd"]
STUDENT_STATEMENTS_NB = [
    ("Makkerskap ga meg en bedre start på skolen", 0.80), ("Jeg har blitt kjent med flere i klassen", 0.77),
    ("Det føles trygt å være på skolen", 0.70), ("Jeg føler meg mindre utenfor", 0.60),
    ("Jeg har hatt mindre fravær", 0.30)]
STUDENT_STATEMENTS_NN = [
    ("Makkarskap gav meg ein betre start på skulen", 0.76), ("Eg har vorte kjend med fleire i klassen", 0.72),
    ("Det kjennest trygt å vere på skulen", 0.68), ("Eg kjenner meg mindre utanfor", 0.55),
    ("Eg har hatt mindre fråvær", 0.25)]
SURVEY_CLASSES = [("1STA", 28), ("1STB", 26), ("2STA", 24), ("3STA", 22), ("1EL", 3)]  # 1EL: a small group


def _answer(rng: random.Random, agree: float, scale: list, dont_know: str) -> object:
    r = rng.random()
    if r < 0.04:
        return dont_know
    if r < 0.08:
        return ""
    if rng.random() < agree:
        return scale[rng.choice((3, 4))]
    return scale[rng.choice((0, 1, 2))]


def student_survey(seed: int, statements, scale: list, dont_know: str, shift: float = 0.0,
                   odd: tuple[str, ...] = ()) -> list[list[object]]:
    rng = random.Random(seed)
    rows: list[list[object]] = [["Tidspunkt", "Klasse"] + [s for s, _ in statements] + ["Kommentar"]]
    for klass, n in SURVEY_CLASSES:
        for i in range(n):
            answers = [_answer(rng, min(1.0, a + shift), scale, dont_know) for _, a in statements]
            if odd and rng.random() < 0.05:
                answers[rng.randrange(len(answers))] = rng.choice(odd)
            rows.append([f"2026-05-{10 + i % 18:02d} 10:{i % 60:02d}", klass] + answers
                        + ["Oppdiktet kommentar" if rng.random() < 0.2 else ""])
    return rows


def student_survey_codes(seed: int) -> list[list[object]]:
    """Level instead of class, statements in another order, answers as 1-5 codes (6 = don't know)."""
    rng = random.Random(seed)
    statements = STUDENT_STATEMENTS_NB[::-1]
    rows: list[list[object]] = [["Trinn"] + [s for s, _ in statements]]
    for level, n in (("Vg1", 60), ("Vg2", 25), ("Vg3", 4)):
        for _ in range(n):
            rows.append([level] + [6 if rng.random() < 0.04 else
                                   (rng.choice((4, 5)) if rng.random() < a else rng.choice((1, 2, 3)))
                                   for _, a in statements])
    return rows


def teacher_survey(seed: int, n: int) -> list[list[object]]:
    rng = random.Random(seed)
    rows: list[list[object]] = [["Klasse", "Hvor fornøyd er du med VIP Makkerskap?",
                                 "Makkerskap ga elevene en bedre start på skolen"]]
    for i in range(n):
        klass = SURVEY_CLASSES[i % 4][0]
        rows.append([klass, _answer(rng, 0.78, TEACHER_SCALE, "Vet ikke"), _answer(rng, 0.75, NB_SCALE, "Vet ikke")])
    return rows


def survey_samples() -> dict[str, bytes]:
    return {
        "evaluering_elever_2025-26.xlsx": xlsx_bytes([("Svar", student_survey(
            2526, STUDENT_STATEMENTS_NB, NB_SCALE, "Vet ikke", odd=("Enig", "Kanskje", "??")))]),
        "evaluering_elever_2024-25.csv": csv_bytes(student_survey(
            2425, STUDENT_STATEMENTS_NB, NB_SCALE, "Vet ikke", shift=-0.05), ";", "utf-8-sig"),
        "evaluering_elever_nynorsk_2025-26.csv": csv_bytes(student_survey(
            2527, STUDENT_STATEMENTS_NN, NN_SCALE, "Veit ikkje"), ",", "utf-8"),
        "evaluering_elever_koder_2025-26.csv": csv_bytes(student_survey_codes(2528), ";", "utf-8"),
        "evaluering_laerere_2025-26.xlsx": xlsx_bytes([("Svar", teacher_survey(2529, 18))]),
        "evaluering_laerere_2024-25.xlsx": xlsx_bytes([("Svar", teacher_survey(2429, 16))]),
    }


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
        **survey_samples(),
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
