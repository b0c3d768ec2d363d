"""Class-list import: aliases, encodings, privacy, every error a coordinator can cause."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from makker import roster as roster_mod
from makker import tabular
from makker.i18n import LANGUAGES, MakkerError
from makker.roster import (
    _ALIASES,
    _GENDERS,
    field_of,
    looks_like_national_id,
    parse_gender,
    pick_class,
    read_pair_file,
    read_rosters,
    stable_id,
    summary,
)

SAMPLES = Path(__file__).resolve().parents[1] / "sample_rosters"


# ---------------------------------------------------------------- helpers
def csv_bytes(rows, sep=";", encoding="utf-8-sig") -> bytes:
    return "\r\n".join(sep.join(str(c) for c in row) for row in rows).encode(encoding)


def xlsx_bytes(*sheets) -> bytes:
    """Workbook bytes; each sheet is (title, rows); strings stay strings (even '=...')."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def one(rows, **kw):
    """The single roster of a CSV built from rows."""
    result = read_rosters(csv_bytes(rows, **kw), "klasse.csv")
    assert len(result.rosters) == 1
    return result.rosters[0], result


def error_of(data, name="elever.csv") -> MakkerError:
    with pytest.raises(MakkerError) as info:
        read_rosters(data, name)
    return info.value


# ---------------------------------------------------------------- headings
@pytest.mark.parametrize("fld,alias", [(f, a) for f, aliases in _ALIASES.items() for a in aliases])
def test_every_alias_is_read_end_to_end(fld, alias):
    heading = alias.upper() if len(alias) > 3 else alias.title()
    value = {"first": "Nora", "last": "Hansen", "full": "Nora Hansen", "last_first": "Hansen, Nora",
             "klass": "1STB", "gender": "jente", "school": "Nordby ungdomsskole", "id": "4711"}[fld]
    if fld in ("first", "full", "last_first"):
        rows = [[heading], [value]]
    elif fld == "last":
        rows = [["Fornavn", heading], ["Nora", value]]
    else:
        rows = [["Navn", heading], ["Nora Hansen", value]]
    sep = "\t" if "," in alias else ";"
    r, _ = one(rows, sep=sep)
    s = r.students[0]
    if fld in ("first", "full", "last_first"):
        assert (s.first, s.last) == (("Nora", "") if fld == "first" else ("Nora", "Hansen"))
    else:
        assert s.name == "Nora Hansen"
    expected = {"klass": ("klass", "1STB"), "gender": ("gender", "K"), "school": ("school", "Nordby ungdomsskole"),
                "id": ("id", "4711")}.get(fld)
    if expected:
        assert getattr(s, expected[0]) == expected[1]
        assert s.extra == ()


@pytest.mark.parametrize("heading", ["  fornavn: ", "FORNAVN*", "fornavn", "Fornavn (offisielt)", "First_Name"])
def test_headings_are_case_and_punctuation_insensitive(heading):
    assert field_of(heading) == "first"


def test_heading_variants():
    assert field_of("Kjønn (K/M)") == "gender"
    assert field_of("Elev_ID") == field_of("Elev-ID") == field_of("elev id") == "id"
    assert field_of("Skole") is None  # the current school: kept aside
    assert field_of("Programområde") is None
    assert field_of("") is None


def test_nfd_heading_matches():
    assert field_of(unicodedata.normalize("NFD", "Kjønn")) == "gender"
    assert field_of(unicodedata.normalize("NFD", "Forrige skole")) == "school"


@pytest.mark.parametrize("code,spellings", sorted(_GENDERS.items()))
def test_every_gender_spelling(code, spellings):
    for spelling in spellings:
        for variant in (spelling, spelling.upper(), f" {spelling.title()}. "):
            assert parse_gender(variant) == code, variant


def test_unknown_gender_is_allowed_and_warned():
    r, _ = one([["Navn", "Kjønn"], ["A B", "X"], ["C D", ""], ["E F", "jente"], ["G H", "annet"]])
    assert [s.gender for s in r.students] == [None, None, "K", None]
    text = " ".join(w.render("en") for w in r.warnings)
    assert "X" in text and "annet" in text and "2 students" in text


def test_current_school_column_is_not_previous_school():
    r, _ = one([["Skole", "Fornavn", "Etternavn"], ["Fjordvik vgs", "Nora", "Berg"]])
    s = r.students[0]
    assert s.school is None
    assert ("Skole", "Fjordvik vgs") in s.extra
    assert r.school_counts() == {}


def test_other_columns_go_to_extra():
    r, _ = one([["Navn", "Programområde", "Merknad"], ["Nora Berg", "Studiespesialisering", "leser mye"]])
    assert r.students[0].extra == (("Programområde", "Studiespesialisering"), ("Merknad", "leser mye"))


# ---------------------------------------------------------------- names
@pytest.mark.parametrize(
    "heading,cell,first,last",
    [
        ("Etternavn, Fornavn", "Hansen, Nora Marie", "Nora Marie", "Hansen"),
        ("Navn", "Hansen, Nora", "Nora", "Hansen"),
        ("Navn", "Ole Martin Berg", "Ole Martin", "Berg"),
        ("Navn", "Madonna", "Madonna", ""),
        ("Elevnavn", "  Kari   Nordmann ", "Kari", "Nordmann"),
    ],
)
def test_name_splitting(heading, cell, first, last):
    r, _ = one([[heading, "Klasse"], [f'"{cell}"', "1STA"]])
    s = r.students[0]
    assert (s.first, s.last) == (first, last)
    assert s.name == f"{first} {last}".strip()


def test_first_and_last_columns_win_over_full_name():
    r, _ = one([["Navn", "Fornavn", "Etternavn"], ["Noen Annen", "Nora", "Berg"], ["Kari Lie", "", ""]])
    assert [s.name for s in r.students] == ["Nora Berg", "Kari Lie"]


def test_nfd_names_become_nfc():
    nfd = unicodedata.normalize("NFD", "Åse Sæther Ødegård")
    assert nfd != unicodedata.normalize("NFC", nfd)
    r, _ = one([["Navn", "Ungdomsskole"], [nfd, unicodedata.normalize("NFD", "Bø skole")]])
    assert r.students[0].name == "Åse Sæther Ødegård"
    assert r.students[0].school == "Bø skole"


def test_whitespace_trimmed_and_blank_rows_ignored():
    data = b"\r\n\r\nNavn ; Klasse \r\n  Nora Berg ;  1STA\r\n;;\r\n\r\n Kari\xc2\xa0Lie;1STA\r\n"
    result = read_rosters(data, "x.csv")
    assert [s.name for s in result.rosters[0].students] == ["Nora Berg", "Kari Lie"]


def test_control_and_bidi_characters_removed():
    r, _ = one([["Navn"], ["Nora\u202e Berg\x1b[31m"]])
    assert r.students[0].name == "Nora Berg [31m"


def test_hostile_cells_stay_text_in_csv_and_xlsx():
    names = ["=HYPERLINK(\"x\")", "+47 Nora", "-Kari", "@SUM(A1)", "=A1+1"]
    rows = [["Navn", "Merknad"]] + [[n, "=2*3"] for n in names]
    from_xlsx = read_rosters(xlsx_bytes(("Ark1", rows)), "x.xlsx").rosters[0]
    text = "\r\n".join(";".join('"' + c.replace('"', '""') + '"' for c in row) for row in rows).encode()
    from_csv = read_rosters(text, "x.csv").rosters[0]
    for r in (from_xlsx, from_csv):
        assert [f"{s.first} {s.last}".strip() for s in r.students] == names
        assert all(s.extra == (("Merknad", "=2*3"),) for s in r.students)


# ---------------------------------------------------------------- classes, ids, duplicates
def test_several_classes_in_file_order():
    rows = [["Klasse", "Navn"], ["1STB", "A A"], ["1STA", "B B"], ["1stb", "C C"], ["1STA", "D D"]]
    result = read_rosters(csv_bytes(rows), "skole.csv")
    assert result.classes() == ["1STB", "1STA"]
    assert [len(r) for r in result.rosters] == [2, 2]
    assert {s.klass for s in result.rosters[0].students} == {"1STB"}


def test_no_class_column_uses_file_name_or_default():
    rows = [["Navn"], ["A B"], ["C D"], ["E F"], ["G H"]]
    result = read_rosters(csv_bytes(rows), "2STC.csv")
    assert result.classes() == ["2STC"]
    assert any(w.key == "roster.no_class_column" for w in result.warnings)
    assert read_rosters(csv_bytes(rows)).classes() == ["Klasse"]


def test_blank_class_cells_take_the_class_above():
    rows = [["Klasse", "Navn"], ["1STA", "A B"], ["", "C D"], ["1STB", "E F"], ["", "G H"]]
    result = read_rosters(csv_bytes(rows), "x.csv")
    assert [[s.name for s in r.students] for r in result.rosters] == [["A B", "C D"], ["E F", "G H"]]
    assert any(w.key == "roster.class_filled" for w in result.warnings)


def test_ids_from_file_are_kept():
    r, _ = one([["Elevnummer", "Navn"], ["4001", "A B"], ["4002", "C D"]])
    assert r.ids() == ["4001", "4002"]


def test_stable_ids_do_not_depend_on_row_order():
    rows = [["Klasse", "Navn"], ["1STA", "Nora Berg"], ["1STA", "Kari Lie"], ["1STA", "Ola Dahl"]]
    a = read_rosters(csv_bytes(rows), "x.csv").rosters[0].by_id()
    b = read_rosters(csv_bytes([rows[0]] + rows[:0:-1]), "x.csv").rosters[0].by_id()
    assert {k: v.name for k, v in a.items()} == {k: v.name for k, v in b.items()}
    assert len(a) == 3
    assert stable_id("1STA", "Nora Berg") == stable_id("1sta", "NORA BERG")
    assert all(len(k) <= 12 for k in a)


def test_duplicate_names_get_distinguishable_display_names():
    rows = [["Navn", "Klasse"], ["Emma Hansen", "1STA"], ["Nora Berg", "1STA"], ["Emma Hansen", "1STA"]]
    r, _ = one(rows)
    assert [s.name for s in r.students] == ["Emma Hansen (1)", "Nora Berg", "Emma Hansen (2)"]
    assert len(set(r.ids())) == 3
    assert r.students[0].first == "Emma" and r.students[0].last == "Hansen"
    warning = [w for w in r.warnings if w.key == "roster.duplicate_names"]
    assert warning and "Emma Hansen" in warning[0].render("nb")


def test_duplicate_ids_made_unique_with_warning():
    r, _ = one([["Elevnummer", "Navn"], ["1", "A B"], ["1", "C D"]])
    assert r.ids() == ["1", "1-2"]
    assert any(w.key == "roster.duplicate_ids" for w in r.warnings)


def test_rows_without_name_are_skipped_with_row_numbers():
    rows = [["Navn", "Klasse"], ["A B", "1STA"], ["", "1STA"], ["C D", "1STA"], ["", "Antall: 2"]]
    result = read_rosters(csv_bytes(rows), "x.csv")
    assert len(result.rosters[0]) == 2
    text = [w.render("en") for w in result.warnings if w.key == "roster.skipped_rows"][0]
    assert "3, 5" in text and "x.csv" in text


def test_title_rows_above_headings_are_skipped():
    data = xlsx_bytes(("Liste", [["Klasseliste 1STA"], [], [None, "Navn", "Kjønn"], [None, "Nora Berg", "K"]]))
    r = read_rosters(data, "liste.xlsx").rosters[0]
    assert r.students[0].name == "Nora Berg" and r.students[0].gender == "K"


def test_first_sheet_without_class_list_is_skipped():
    data = xlsx_bytes(("Info", [["Eksportert fra Visma"]]), ("Elever", [["Navn"], ["Nora Berg"], ["Kari Lie"]]))
    result = read_rosters(data, "x.xlsx")
    assert len(result.rosters[0]) == 2
    assert any(w.key == "roster.sheet_used" for w in result.warnings)


def test_excel_numbers_and_dates_become_plain_text():
    import datetime as dt

    data = xlsx_bytes(("A", [["Elevnummer", "Navn", "Startdato"], [4001, "Nora Berg", dt.datetime(2026, 8, 17)],
                             [4002.0, "Kari Lie", None]]))
    r = read_rosters(data, "x.xlsx").rosters[0]
    assert r.ids() == ["4001", "4002"]
    assert ("Startdato", "2026-08-17") in r.students[0].extra


def test_excel_formula_gives_cached_value_not_formula():
    # openpyxl writes no cached values, so an unsaved formula reads as empty: never as "=..."
    data = xlsx_bytes(("A", [["Navn", "Klasse"], ["Nora Berg", "1STA"]]))
    wb_bytes = io.BytesIO(data)
    from openpyxl import load_workbook

    wb = load_workbook(wb_bytes)
    wb.active["C1"] = "Merknad"
    wb.active["C2"] = "=1+1"  # a real formula cell
    out = io.BytesIO()
    wb.save(out)
    s = read_rosters(out.getvalue(), "x.xlsx").rosters[0].students[0]
    assert all(not v.startswith("=") for _, v in s.extra)


# ---------------------------------------------------------------- encodings and separators
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
@pytest.mark.parametrize("sep", [";", ",", "\t"])
def test_encodings_and_separators(encoding, sep):
    rows = [["Fornavn", "Etternavn", "Kjønn", "Ungdomsskole"],
            ["Åse", "Sæther", "jente", "Bjørkås skole"], ["Håkon", "Ødegård", "gutt", "Sjøvik ungdomsskole"]]
    r, _ = one(rows, sep=sep, encoding=encoding)
    assert [s.name for s in r.students] == ["Åse Sæther", "Håkon Ødegård"]
    assert [s.gender for s in r.students] == ["K", "M"]
    assert r.students[0].school == "Bjørkås skole"


def test_semicolon_file_with_combined_name_column():
    data = "Etternavn, Fornavn;Kjønn\r\nHansen, Nora;K\r\nLie, Kari;K\r\n".encode("cp1252")
    r = read_rosters(data, "visma.csv").rosters[0]
    assert [s.name for s in r.students] == ["Nora Hansen", "Kari Lie"]


def test_quoted_comma_file():
    data = b'Navn,Klasse,Ungdomsskole\r\n"Hansen, Nora",1STA,"Berg, skole"\r\n'
    s = read_rosters(data, "x.csv").rosters[0].students[0]
    assert (s.first, s.last, s.school) == ("Nora", "Hansen", "Berg, skole")


def test_xlsx_content_under_csv_name_still_reads():
    data = xlsx_bytes(("A", [["Navn"], ["Nora Berg"]]))
    assert read_rosters(data, "feil_navn.csv").rosters[0].students[0].name == "Nora Berg"


def test_path_source(tmp_path):
    p = tmp_path / "1STA.csv"
    p.write_bytes(csv_bytes([["Navn"], ["Nora Berg"]]))
    result = read_rosters(p)
    assert result.source == "1STA.csv" and result.rosters[0].source == "1STA.csv"
    assert read_rosters(str(p)).classes() == ["1STA"]


# ---------------------------------------------------------------- privacy
FAKE_IDS = ["01020312345", "150309 98765", "2905101234", "31121199999"]


@pytest.mark.parametrize(
    "heading", ["Fødselsnummer", "personnummer", "FNR", "F.nr.", "Fødselsdato", "Født", "Birth date",
                "Date of birth", "DOB", "fodselsnummer", "Fødselsnr", "D-nummer", "Elevens fødselsdato"]
)
def test_sensitive_columns_dropped_with_warning(heading):
    rows = [["Navn", heading, "Klasse"]] + [[f"Elev {i}", v, "1STA"] for i, v in enumerate(FAKE_IDS)]
    result = read_rosters(csv_bytes(rows), "x.csv")
    blob = repr(result) + repr([w.render(lang) for w in result.all_warnings() for lang in LANGUAGES])
    for value in FAKE_IDS:
        assert value not in blob
    assert all(heading not in dict(s.extra) for s in result.rosters[0].students)
    assert any(w.key == "roster.dropped_sensitive" and heading in w.render("nb") for w in result.warnings)


def test_national_id_like_values_drop_their_column_and_id_column():
    rows = [["Elevnummer", "Navn", "Merknad", "Telefon"],
            ["01020312345", "A B", "ok", "40000000"], ["4002", "C D", "15030998765", "40000001"]]
    result = read_rosters(csv_bytes(rows), "x.csv")
    r = result.rosters[0]
    assert "01020312345" not in repr(result) and "15030998765" not in repr(result)
    assert all(i.startswith("m") for i in r.ids())  # made ids instead of the dropped column
    assert r.students[0].extra == (("Telefon", "40000000"),)
    assert sum(w.key == "roster.dropped_id_like" for w in result.warnings) == 2


def test_looks_like_national_id():
    assert looks_like_national_id("01020312345")
    assert looks_like_national_id("010203 12345")
    assert not looks_like_national_id("4001")
    assert not looks_like_national_id("40000000")
    assert not looks_like_national_id("Nora")


# ---------------------------------------------------------------- errors
@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n  \r\n\t\r\n", b"\xff\xfe"])
def test_empty_file(data):
    err = error_of(data, "tom.csv")
    assert err.key == "roster.empty" and "tom.csv" in err.message("en")


def test_empty_workbook():
    assert error_of(xlsx_bytes(("Ark1", [])), "tom.xlsx").key == "roster.empty"


@pytest.mark.parametrize("data", [bytes(range(256)) * 8, b"\x89PNG\r\n\x1a\n" + bytes(500), b"%PDF-1.4\n\x00\x01\x02"])
def test_binary_file(data):
    err = error_of(data, "bilde.csv")
    assert err.key == "roster.not_class_list" and "bilde.csv" in err.message("nb")


def test_header_only():
    err = error_of(csv_bytes([["Fornavn", "Etternavn", "Klasse"]]), "tom_liste.csv")
    assert err.key == "roster.no_students"
    assert "tom_liste.csv" in err.message("en") and "1" in err.message("en")


def test_no_name_column_names_file_row_and_columns():
    err = error_of(csv_bytes([[], ["Klasse", "Kjønn", "Fødselsnummer"], ["1STA", "K", "01020312345"]]), "x.csv")
    assert err.key == "roster.no_name_column"
    msg = err.message("en")
    assert "x.csv" in msg and "row 2" in msg and "Klasse, Kjønn" in msg
    assert "Fødselsnummer" not in msg and "01020312345" not in msg


def test_corrupt_excel():
    data = xlsx_bytes(("A", [["Navn"], ["Nora Berg"]]))
    assert error_of(data[: len(data) // 2], "skadet.xlsx").key == "roster.bad_excel"
    assert error_of(b"Navn\nNora", "tekst.xlsx").key == "roster.bad_excel"
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("xl/workbook.xml", "<not really>")
    assert error_of(broken.getvalue(), "x.xlsx").key == "roster.bad_excel"


def test_password_protected_and_old_excel():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)
    assert error_of(ole + "EncryptedPackage".encode("utf-16-le") + bytes(100), "hemmelig.xlsx").key == "roster.encrypted"
    assert error_of(ole, "gammel.xls").key == "roster.old_xls"


def test_opendocument_is_named():
    ods = io.BytesIO()
    with zipfile.ZipFile(ods, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<x/>")
    assert error_of(ods.getvalue(), "liste.ods").key == "roster.ods"


def test_too_large(monkeypatch, tmp_path):
    monkeypatch.setattr(tabular, "MAX_BYTES", 100)
    data = csv_bytes([["Navn"]] + [[f"Elev {i}"] for i in range(50)])
    err = error_of(data, "stor.csv")
    assert err.key == "roster.too_large" and "stor.csv" in err.message("en")
    p = tmp_path / "stor.csv"
    p.write_bytes(data)
    with pytest.raises(MakkerError, match="stor.csv"):
        read_rosters(p)


def test_too_many_rows(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 10)
    data = csv_bytes([["Navn"]] + [[f"Elev {i}"] for i in range(20)])
    assert error_of(data).key == "roster.too_many_rows"
    xdata = xlsx_bytes(("A", [["Navn"]] + [[f"Elev {i}"] for i in range(20)]))
    assert error_of(xdata, "x.xlsx").key == "roster.too_many_rows"


def test_directory_is_refused(tmp_path):
    with pytest.raises(MakkerError) as info:
        read_rosters(tmp_path)
    assert info.value.key == "roster.not_a_file"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_errors_render_in_every_language(lang):
    err = error_of(csv_bytes([["Navn"]]), "bare_overskrift.csv")
    assert "bare_overskrift.csv" in err.message(lang)
    assert "{" not in err.message(lang)


# ---------------------------------------------------------------- summary and class choice
def test_summary_shape():
    rows = [["Navn", "Kjønn", "Ungdomsskole"], ["A B", "K", "Nordby"], ["C D", "M", "Nordby"], ["E F", "", "Sør"]]
    r, _ = one(rows)
    assert summary(r) == {"class": "klasse", "students": 3, "gender": {"K": 1, "M": 1, "unknown": 1},
                          "schools": {"Nordby": 2, "Sør": 1}}


def test_pick_class():
    rows = [["Klasse", "Navn"], ["1STA", "A B"], ["1STB", "C D"]]
    result = read_rosters(csv_bytes(rows), "x.csv")
    assert pick_class(result, "1stb").klass == "1STB"
    with pytest.raises(MakkerError) as info:
        pick_class(result, "3XYZ")
    assert info.value.key == "roster.unknown_class" and "1STA, 1STB" in info.value.message("en")
    with pytest.raises(MakkerError) as info:
        pick_class(result, None)
    assert info.value.key == "roster.choose_class"


# ---------------------------------------------------------------- samples
@pytest.mark.parametrize(
    "name,classes",
    [
        ("vg1_studiespesialisering_30.xlsx", {"1STA": (30, 15, 15)}),
        ("vg1_yrkesfag_15.csv", {"1BAA": (15, 3, 12)}),
        ("vg1_odde_27.xlsx", {"1STD": (27, 9, 18)}),
        ("hele_skolen_vg1.xlsx", {"1STA": (31, 17, 14), "1STB": (28, 14, 14), "1STC": (29, 13, 16),
                                  "1ELA": (15, 2, 13), "1HSA": (17, 14, 3)}),
        ("visma_export_cp1252.csv", {"1STE": (24, 12, 12)}),
    ],
)
def test_sample_rosters(name, classes):
    result = read_rosters(SAMPLES / name)
    got = {r.klass: (len(r), r.gender_counts()["K"], r.gender_counts()["M"]) for r in result.rosters}
    assert got == classes
    for r in result.rosters:
        assert all(s.school for s in r.students)
        assert len(set(r.ids())) == len(r)
        assert not any(w.key == "roster.duplicate_names" for w in r.warnings)
    if name.startswith("vg1_studiespesialisering"):
        s = result.rosters[0].students[0]
        assert s.id == "4001" and dict(s.extra) == {"Skole": "Fjordvik videregående skole"}
        assert "videregående" not in " ".join(result.rosters[0].school_counts())
    if name.startswith("visma"):
        assert any("ø" in s.name or "æ" in s.name or "å" in s.name for s in result.rosters[0].students)
        assert [w.key for w in result.warnings] == ["roster.dropped_sensitive"]


def test_sample_national_ids_appear_nowhere():
    raw = (SAMPLES / "visma_export_cp1252.csv").read_text(encoding="cp1252")
    fake = [line.split(";")[3] for line in raw.splitlines()[1:]]
    assert len(fake) == 24 and all(len(f) == 11 for f in fake)
    result = read_rosters(SAMPLES / "visma_export_cp1252.csv")
    blob = repr(result) + " ".join(w.render(lang) for w in result.all_warnings() for lang in LANGUAGES)
    assert not any(f in blob for f in fake)


def test_sample_never_together_file_matches_the_30_class():
    students = read_rosters(SAMPLES / "vg1_studiespesialisering_30.xlsx").rosters[0]
    pairs = read_pair_file(SAMPLES / "aldri_sammen_eksempel.csv", students=students)
    assert len(pairs) == 3 and all(len(p) == 2 and p <= set(students.ids()) for p in pairs)


def test_samples_are_reproducible(tmp_path):
    import runpy

    module = runpy.run_path(str(SAMPLES / "make_samples.py"))
    for name, data in module["samples"]().items():
        assert (SAMPLES / name).read_bytes() == data, f"{name} differs: run make samples"


# ---------------------------------------------------------------- pair files
@pytest.fixture
def klass():
    rows = [["Elevnummer", "Fornavn", "Etternavn"], ["4001", "Nora", "Berg"], ["4002", "Åse", "Sæther"],
            ["4003", "Ola", "Dahl"], ["4004", "Kari", "Lie"], ["4005", "Kari", "Lie"]]
    return read_rosters(csv_bytes(rows), "1STA.csv").rosters[0]


def test_pair_file_by_name_and_id(klass):
    data = csv_bytes([["Elev 1", "Elev 2"], ["nora berg", " 4003 "], [unicodedata.normalize("NFD", "ÅSE  SÆTHER"),
                      '"Dahl, Ola"'], ["4003", "Nora Berg"], ["Kari Lie (1)", "Nora Berg"]], sep=",")
    assert read_pair_file(data, "aldri.csv", students=klass) == [
        frozenset({"4001", "4003"}), frozenset({"4002", "4003"}), frozenset({"4004", "4001"})]


def test_pair_file_without_heading_and_semicolon(klass):
    data = csv_bytes([["Nora Berg", "Ola Dahl"]], sep=";", encoding="cp1252")
    assert read_pair_file(data, "x.csv", klass.students) == [frozenset({"4001", "4003"})]


def test_pair_file_reports_every_unknown_name(klass):
    data = csv_bytes([["Nora Berg", "Per Gynt"], ["Solveig", "Ola Dahl"], ["Per Gynt", "4001"]], sep=",")
    with pytest.raises(MakkerError) as info:
        read_pair_file(data, "aldri.csv", students=klass)
    msg = info.value.message("en")
    assert info.value.key == "roster.pair_unknown"
    assert "Per Gynt" in msg and "Solveig" in msg and "aldri.csv" in msg and "2 names" in msg


def test_pair_file_self_pair_and_bad_rows(klass):
    with pytest.raises(MakkerError) as info:
        read_pair_file(csv_bytes([["Nora Berg", "4001"]]), "x.csv", students=klass)
    assert info.value.key == "roster.pair_self" and "1" in info.value.message("en")
    with pytest.raises(MakkerError) as info:
        read_pair_file(csv_bytes([["Nora Berg", "Ola Dahl"], ["Nora Berg", "Ola Dahl", "4002"]]), "x.csv",
                       students=klass)
    assert info.value.key == "roster.pair_columns" and "row 2" in info.value.message("en")
    with pytest.raises(MakkerError) as info:
        read_pair_file(csv_bytes([["Kari Lie", "Ola Dahl"]]), "x.csv", students=klass)
    assert info.value.key == "roster.pair_ambiguous"


def test_pair_file_empty_or_binary(klass):
    assert read_pair_file(b"", "tom.csv", students=klass) == []
    with pytest.raises(MakkerError):
        read_pair_file(bytes(range(256)) * 4, "x.csv", students=klass)


def test_pair_file_api_used_by_others(klass):
    assert roster_mod.read_pair_file is read_pair_file
    result = read_pair_file(csv_bytes([["4001", "4002"], ["4002", "4001"]]), "x.csv", students=klass.students)
    assert result == [frozenset({"4001", "4002"})]


def test_repeated_heading_rows_are_not_students():
    rows = [["Klasse", "Navn"], ["1STA", "A B"], ["Klasse", "Navn"], ["1STB", "C D"]]
    result = read_rosters(csv_bytes(rows), "x.csv")
    assert [[s.name for s in r.students] for r in result.rosters] == [["A B"], ["C D"]]


@pytest.mark.parametrize("heading", ["Kontaktperson", "Student ID number", "Personlig mål"])
def test_ordinary_headings_are_not_taken_for_national_ids(heading):
    assert field_of(heading) != "sensitive"


@pytest.mark.parametrize("heading", [["Aldri sammen", ""], ["Elev A", "Elev B"], ["elev1", "elev2"],
                                     ["Never together 1", "Never together 2"]])
def test_pair_file_headings(klass, heading):
    data = csv_bytes([[h for h in heading if h] or heading, ["Nora Berg", "Ola Dahl"]])
    assert read_pair_file(data, "x.csv", students=klass) == [frozenset({"4001", "4003"})]


def test_excel_sep_hint_line():
    data = b"sep=,\r\nNavn,Klasse\r\nNora Berg,1STA\r\n,\r\nKari Lie\r\n"
    result = read_rosters(data, "x.csv")
    assert [s.name for s in result.rosters[0].students] == ["Nora Berg", "Kari Lie"]
    assert [s.klass for s in result.rosters[0].students] == ["1STA", "1STA"]


def test_values_under_no_heading_are_left_out_with_warning():
    rows = [["Navn", "", "Klasse"], ["Nora Berg", "hemmelig", "1STA", "enda mer"], ["Kari Lie", "", "1STA"]]
    result = read_rosters(csv_bytes(rows), "x.csv")
    assert "hemmelig" not in repr(result) and "enda mer" not in repr(result)
    assert any(w.key == "roster.unnamed_columns_ignored" for w in result.warnings)
    clean_rows = [["Navn", "", "Klasse"], ["Nora Berg", "", "1STA"]]
    assert not read_rosters(csv_bytes(clean_rows), "x.csv").warnings


def test_headerless_file_error_never_echoes_national_ids():
    err = error_of(csv_bytes([["Nora Berg", "01020312345", "1STA"], ["Kari Lie", "02020312345", "1STA"]]), "x.csv")
    assert err.key == "roster.no_name_column"
    for lang in LANGUAGES:
        assert "01020312345" not in err.message(lang) and "x.csv" in err.message(lang)


def test_id_numbers_in_any_checked_column_are_dropped_and_never_echoed():
    rows = [["Navn", "Klasse", "Kjønn", "Ungdomsskole"], ["Nora Berg", "01020312345", "02020312345", "03020312345"],
            ["Kari Lie", "1STA", "K", "Nordby"]]
    result = read_rosters(csv_bytes(rows), "x.csv")
    blob = repr(result) + " ".join(w.render(lang) for w in result.all_warnings() for lang in LANGUAGES)
    assert not any(v in blob for v in ("01020312345", "02020312345", "03020312345"))


def test_pair_file_never_echoes_id_numbers(klass):
    with pytest.raises(MakkerError) as info:
        read_pair_file(csv_bytes([["Nora Berg", "01020312345"]]), "x.csv", students=klass)
    assert info.value.key == "roster.pair_unknown"
    assert all("01020312345" not in info.value.message(lang) for lang in LANGUAGES)
