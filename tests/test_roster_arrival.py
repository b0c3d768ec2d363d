"""Class lists as they really arrive: separator rows, totals, titles, merged cells and repeated headings
are not students (one warning names the rows); real names of every kind always are."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from makker.i18n import LANGUAGES
from makker.roster import is_student_name, read_rosters


def xlsx(rows, merge: list[str] = ()) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value not in (None, ""):
                ws.cell(row=r, column=c, value=value).data_type = "s" if isinstance(value, str) else "n"
    for cells in merge:
        ws.merge_cells(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def skipped(result):
    return [w for w in result.all_warnings() if w.key == "roster.skipped_rows"]


def names(result):
    return [s.name for r in result.rosters for s in r.students]


def test_separator_row_and_total_line_read_as_the_students_and_one_warning():
    text = "Navn;Klasse\r\nOla Nordmann;1A\r\n;;\r\nKari Nordmann;1A\r\nPer Hansen;1A\r\nAnne Berg;1A\r\nTotalt: 28\r\n"
    result = read_rosters(text.encode("utf-8"), "klasse.csv")
    assert names(result) == ["Ola Nordmann", "Kari Nordmann", "Per Hansen", "Anne Berg"]
    assert len(skipped(result)) == 1
    assert dict(skipped(result)[0].params)["rows"] == "7"
    assert [w.key for w in result.all_warnings() if w.key not in ("roster.unusual_size",)] == ["roster.skipped_rows"]


def test_separator_cell_in_a_comma_file_is_not_a_student():
    text = "Navn,Klasse\r\nOla Nordmann,1A\r\n;;,\r\nKari Nordmann,1A\r\n"
    result = read_rosters(text.encode("utf-8"), "klasse.csv")
    assert names(result) == ["Ola Nordmann", "Kari Nordmann"]
    assert dict(skipped(result)[0].params)["rows"] == "3"


def test_a_sheet_as_it_arrives():
    rows = [
        ["Elevliste skoleåret 2026/27"],                 # title rows above the heading
        [],
        ["Navn", "Klasse", "Kjønn", None, None],          # trailing empty columns
        ["Ola Nordmann", "2STA", "M"],
        ["Kari Nordmann", "2STA", "K"],
        ["-----", "", ""],
        ["Klasse 2STB"],                                 # a title across merged cells
        ["Navn", "Klasse", "Kjønn"],                     # the heading repeated for the next block
        ["Áile Ŋuolja", "2STB", "K"],
        ["12", "", ""],
        ["Sum", "", "2"],
        ["Antall elever", "3"],
    ]
    result = read_rosters(xlsx(rows, merge=["A7:C7"]), "klasser.xlsx")
    assert names(result) == ["Ola Nordmann", "Kari Nordmann", "Áile Ŋuolja"]
    (warning,) = skipped(result)
    assert dict(warning.params)["rows"] == "6, 7, 8, 10, 11, 12"
    for lang in LANGUAGES:
        assert "6, 7, 8, 10, 11, 12" in warning.render(lang)


def test_one_word_name_is_kept_with_a_warning():
    text = "Navn;Klasse\r\nOla Nordmann;1A\r\nMadonna;1A\r\nKari Nordmann;1A\r\n"
    result = read_rosters(text.encode("utf-8"), "klasse.csv")
    assert "Madonna" in names(result)
    (warning,) = [w for w in result.all_warnings() if w.key == "roster.one_word_names"]
    assert "Madonna" in warning.render("nn")


LETTERS = "abcdefghijklmnopqrstuvwxyzæøåáčđŋšŧžäöüéèñçłßİıǩǯʒ" + "ÆØÅÁČĐŊŠŦŽÄÖÜÉ" + "абвгдαβγ日本"
word = st.text(alphabet=st.sampled_from(LETTERS), min_size=1, max_size=10).map(lambda w: w[0].upper() + w[1:])
joined = st.tuples(word, st.sampled_from(["-", "'", "’"]), word).map("".join)  # Anne-Marie, O'Brien
real_name = st.lists(st.one_of(word, joined), min_size=2, max_size=3).flatmap(
    lambda parts: st.sampled_from(["", "van der ", "de ", "von "]).map(
        lambda particle: " ".join(parts[:-1]) + " " + particle + parts[-1]))

footer = st.tuples(st.sampled_from(["Sum", "SUM", "Totalt", "Total", "I alt", "Antall elever", "Antall", "Tal på elevar",
                                    "Number of students"]),
                   st.sampled_from(["", ":", ": ", " "]),
                   st.one_of(st.just(""), st.integers(0, 40).map(str))).map(lambda t: f"{t[0]}{t[1]}{t[2]}".strip())
no_letter = st.text(alphabet=st.sampled_from("-–—_=;:,.*#/|+ 0123456789"), min_size=1, max_size=12).filter(str.strip)
not_a_student = st.one_of(footer, no_letter, st.sampled_from(["Navn", "Fornavn", "NAVN", "Elevnavn"]))


@settings(max_examples=150, deadline=None)
@given(st.lists(real_name, min_size=3, max_size=30, unique_by=str.casefold),
       st.lists(st.tuples(st.integers(0, 30), not_a_student), max_size=6))
def test_noise_rows_never_become_students_and_real_names_always_do(students, noise):
    rows = [[n, "1A"] for n in students]
    for at, text in sorted(noise, reverse=True):
        rows.insert(min(at, len(rows)), [text, ""])
    data = ("Navn;Klasse\r\n" + "".join(f"{a};{b}\r\n" for a, b in rows)).encode("utf-8")
    result = read_rosters(data, "klasse.csv")
    assert names(result) == students
    warnings = skipped(result)
    visible = any(text.replace(";", "").strip() for _, text in noise)  # «;;» alone is a blank row of a ;-file
    assert len(warnings) == (1 if visible else 0)


@given(real_name)
def test_real_names_are_student_names(name):
    assert is_student_name(name)


@given(not_a_student)
def test_noise_is_not_a_student_name(text):
    assert not is_student_name(text)


def test_a_list_without_class_or_file_name_gets_the_class_name_of_the_language():
    data = b"Navn\r\nOla Nordmann\r\nKari Nordmann\r\n"
    assert read_rosters(data).rosters[0].klass == "Klasse"
    assert read_rosters(data, lang="en").rosters[0].klass == "Class"


def test_the_schools_name_comes_from_the_skole_column():
    from makker.roster import school_name

    data = (b"Navn;Skole;Ungdomsskole\r\nOla Nordmann;Fjordvik vgs;Nordby ungdomsskole\r\n"
            b"Kari Nordmann;Fjordvik vgs;Solberg ungdomsskole\r\n")
    assert school_name(read_rosters(data, "k.csv").rosters) == "Fjordvik vgs"
    assert school_name(read_rosters(b"Navn\r\nOla Nordmann\r\n", "k.csv").rosters) is None
