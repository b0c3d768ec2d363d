"""`makker roster`: summaries, JSON shape, exit codes and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from makker.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_rosters"
MAKKER = ROOT / ".venv" / "bin" / "makker"


def run_cli(capsys, *args):
    code = main(list(map(str, args)))
    out, err = capsys.readouterr()
    return code, out, err


def run_process(*args):
    """The real console script (or the module when the venv script is missing)."""
    cmd = [str(MAKKER)] if MAKKER.exists() else [sys.executable, "-m", "makker.cli"]
    env = {k: v for k, v in os.environ.items() if k != "MAKKER_DEBUG"}
    return subprocess.run(cmd + list(map(str, args)), capture_output=True, text=True, env=env, timeout=60)


def test_json_shape(capsys):
    code, out, err = run_cli(capsys, "roster", SAMPLES / "vg1_studiespesialisering_30.xlsx", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert set(data) == {"classes", "warnings"}
    (cls,) = data["classes"]
    assert set(cls) == {"class", "students", "gender", "schools"}
    assert cls["class"] == "1STA" and cls["students"] == 30
    assert cls["gender"] == {"K": 15, "M": 15, "unknown": 0}
    assert sum(cls["schools"].values()) == 30
    assert "Fjordvik videregående skole" not in cls["schools"]  # the current school is not a previous school
    assert data["warnings"] == []


def test_whole_school_and_class_choice(capsys):
    code, out, _ = run_cli(capsys, "roster", SAMPLES / "hele_skolen_vg1.xlsx", "--json")
    assert code == 0
    assert [c["class"] for c in json.loads(out)["classes"]] == ["1STA", "1STB", "1STC", "1ELA", "1HSA"]
    code, out, _ = run_cli(capsys, "roster", SAMPLES / "hele_skolen_vg1.xlsx", "--class", "1ela", "--json")
    assert code == 0
    assert json.loads(out)["classes"] == [
        {"class": "1ELA", "students": 15, "gender": {"K": 2, "M": 13, "unknown": 0},
         "schools": json.loads(out)["classes"][0]["schools"]}
    ]


def test_unknown_class_lists_the_classes(capsys):
    code, out, err = run_cli(capsys, "roster", SAMPLES / "hele_skolen_vg1.xlsx", "--class", "9XYZ", "--lang", "en")
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert "9XYZ" in err and "1STA, 1STB, 1STC, 1ELA, 1HSA" in err


@pytest.mark.parametrize("lang,word", [("nb", "elever"), ("nn", "elevar"), ("en", "students")])
def test_text_summary_in_each_language(capsys, lang, word):
    code, out, err = run_cli(capsys, "roster", SAMPLES / "vg1_odde_27.xlsx", "--lang", lang)
    assert code == 0 and err == ""
    assert "1STD" in out and f"27 {word}" in out
    assert "9" in out and "18" in out


def test_warnings_are_rendered_strings(capsys):
    code, out, _ = run_cli(capsys, "roster", SAMPLES / "visma_export_cp1252.csv", "--json", "--lang", "en")
    data = json.loads(out)
    assert code == 0 and data["classes"][0]["students"] == 24
    assert len(data["warnings"]) == 1 and "Fødselsnummer" in data["warnings"][0]
    assert "dropped" in data["warnings"][0]


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
@pytest.mark.parametrize("as_json", [False, True])
def test_national_ids_never_printed(capsys, lang, as_json):
    raw = (SAMPLES / "visma_export_cp1252.csv").read_text(encoding="cp1252")
    fake = [line.split(";")[3] for line in raw.splitlines()[1:]]
    args = ["roster", SAMPLES / "visma_export_cp1252.csv", "--lang", lang] + (["--json"] if as_json else [])
    code, out, err = run_cli(capsys, *args)
    assert code == 0
    assert not any(f in out or f in err for f in fake)


def test_national_ids_never_printed_in_errors(tmp_path, capsys):
    p = tmp_path / "uten_navn.csv"
    p.write_text("Fødselsnummer;Klasse\n01020312345;1STA\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "roster", p)
    assert code == 2 and "01020312345" not in out + err and "Fødselsnummer" not in err


@pytest.mark.parametrize(
    "name,content,needle",
    [
        ("tom.csv", b"", "tom.csv"),
        ("binar.csv", bytes(range(256)) * 16, "binar.csv"),
        ("bilde.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(300), "bilde.xlsx"),
        ("bare_overskrift.csv", b"Fornavn;Etternavn;Klasse\r\n", "bare_overskrift.csv"),
        ("bare_overskrift.xlsx", None, "bare_overskrift.xlsx"),
    ],
)
def test_exit_2_with_one_line_and_no_traceback(tmp_path, name, content, needle):
    p = tmp_path / name
    if content is None:
        from openpyxl import Workbook

        wb = Workbook()
        wb.active.append(["Fornavn", "Etternavn", "Klasse"])
        wb.save(p)
    else:
        p.write_bytes(content)
    proc = run_process("roster", p)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1, proc.stderr
    assert "Traceback" not in proc.stderr and needle in proc.stderr


def test_missing_file_exit_2(capsys, tmp_path):
    code, _, err = run_cli(capsys, "roster", tmp_path / "finnes_ikke.xlsx")
    assert code == 2 and "finnes_ikke.xlsx" in err and err.count("\n") == 1


def test_every_sample_reads_via_the_real_script():
    for name in ("vg1_studiespesialisering_30.xlsx", "vg1_yrkesfag_15.csv", "vg1_odde_27.xlsx",
                 "hele_skolen_vg1.xlsx", "visma_export_cp1252.csv"):
        proc = run_process("roster", SAMPLES / name, "--json")
        assert proc.returncode == 0, proc.stderr
        total = sum(c["students"] for c in json.loads(proc.stdout)["classes"])
        assert total == {"vg1_studiespesialisering_30.xlsx": 30, "vg1_yrkesfag_15.csv": 15, "vg1_odde_27.xlsx": 27,
                         "hele_skolen_vg1.xlsx": 120, "visma_export_cp1252.csv": 24}[name]


def test_help_is_translated(capsys):
    with pytest.raises(SystemExit):
        main(["roster", "--help", "--lang", "nn"])
    out, _ = capsys.readouterr()
    assert "klasseliste" in out and "--class" in out


def test_openpyxl_warnings_do_not_reach_stderr(tmp_path):
    """An odd workbook part makes openpyxl warn; the user still sees nothing but the summary."""
    import io
    import re
    import zipfile

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Navn"])
    wb.active.append(["Nora Berg"])
    wb.create_sheet("Rusk")
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/workbook.xml":  # a sheet element without its relation id
                data, n = re.subn(rb'(<sheet name="Rusk"[^>]*?) r:id="rId2"', rb"\1", data)
                assert n == 1
            dst.writestr(info.filename, data)
    p = tmp_path / "rar.xlsx"
    p.write_bytes(out.getvalue())
    proc = run_process("roster", p, "--json")
    assert proc.returncode == 0 and proc.stderr == ""
    assert json.loads(proc.stdout)["classes"][0]["students"] == 1


def test_a_text_file_that_is_not_a_class_list_is_refused(tmp_path):
    """A README or notes file (a markdown table even has columns) is not read as students."""
    notes = tmp_path / "README.md"
    notes.write_text("| Navn | Klasse |\n|---|---|\n| Ola Nordmann | 1STA |\n", encoding="utf-8")
    result = subprocess.run([str(MAKKER), "--lang", "en", "roster", str(notes)], capture_output=True, text=True)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "README.md" in lines[0] and ".xlsx" in lines[0]
    assert result.stdout == ""
