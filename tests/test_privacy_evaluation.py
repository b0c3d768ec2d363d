"""A class with 3 answers is never shown: not in the JSON, the PDF, the dashboard's tables or the charts."""

from __future__ import annotations

import io
import json
import random
import re
from datetime import date

import pypdf
import pytest

from makker import evaluation as ev
from makker.app.evaluation.model import EvaluationModel
from makker.app.evaluation.view import EvaluationView
from makker.cli import main
from makker.fictional import fictional_roster
from makker.store import Workspace

SMALL = "1XQ"  # the class with 3 answers
STATEMENTS = ["Makkerskap ga meg en bedre start på skolen", "Jeg har blitt kjent med flere i klassen",
              "Det føles trygt å være på skolen", "Jeg føler meg mindre utenfor", "Jeg har hatt mindre fravær"]
SCALE = ["Helt uenig", "Delvis uenig", "Verken enig eller uenig", "Delvis enig", "Helt enig"]


def _export(seed: int):
    """A survey export: 3-6 classes of 12-34 answers on Vg1-Vg3, and SMALL (Vg1) with 3 answers."""
    rng = random.Random(seed)
    classes = [f"{rng.choice('123')}ST{letter}" for letter in "ABCDEF"[: rng.randint(3, 6)]]
    classes = list(dict.fromkeys(classes)) + [SMALL]
    sizes = {k: (3 if k == SMALL else rng.randint(12, 34)) for k in classes}
    lines = [";".join(["Tidspunkt", "Klasse", *STATEMENTS, "Kommentar"])]
    for klass in classes:
        for i in range(sizes[klass]):
            answers = [rng.choice(SCALE + ["Vet ikke", "", "Kanskje"]) for _ in STATEMENTS]
            note = f"{klass} var fint" if rng.random() < 0.3 else ""  # free text naming the class
            lines.append(";".join([f"2026-05-{10 + i % 18:02d} 10:00", klass, *answers, note]))
    return ("\n".join(lines) + "\n").encode("utf-8"), sizes


def _pdf_text(data: bytes) -> str:
    """The PDF's text with its table rows kept on one line each."""
    return "\n".join(p.extract_text(extraction_mode="layout") for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def _log_row_only(text: str) -> str:
    """The text without the small class's row in the implementation-log table, when that row holds no figure."""
    row = re.compile(rf"^\s*{SMALL}\s+1 av 1\s+\d+ %\s+\d+ %(\s+–)+\s*$", re.M)
    assert len(row.findall(text)) == 1, "the small class is in the log table once, with no survey figure"
    return row.sub("", text)


@pytest.mark.parametrize("seed", range(4))
def test_a_class_with_three_answers_appears_in_no_output(seed, tmp_path, capsys):
    data, sizes = _export(seed)
    src = tmp_path / "svar.csv"
    src.write_bytes(data)
    ws = Workspace(tmp_path / "year.sqlite")
    for i, klass in enumerate(sizes):  # every class is in the saved school year and its log, the small one too
        ws.save_roster(fictional_roster(random.Random(seed + i).randint(12, 34), seed=seed + i, klass=klass))
        ws.log_rotation(klass, 1, change_done=True, contracts_written=i % 2 == 0, day=date(2026, 8, 17))
    survey = ev.read_survey(data, "svar.csv")
    assert survey.counts["safe"][("class", SMALL)].answers <= 3  # the class is in the file, with 3 answers at most

    # makker evaluate --json (with the saved school year) and the PDF it writes
    pdf = tmp_path / "rapport.pdf"
    assert main(["evaluate", str(src), "--workspace", str(ws.path), "--json", "--out", str(pdf)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["fidelity"], "the implementation log is in the output"
    # the dashboard: the model's tables and chart data, the charts themselves, the view's page and its PDF
    m = EvaluationModel(workspace=lambda: ws)
    assert m.load(data, "svar.csv")
    view = EvaluationView(m)
    outputs = {
        "figures (JSON)": json.dumps(out["figures"]),
        "PDF": _log_row_only(_pdf_text(pdf.read_bytes())),
        "dashboard table": json.dumps(m.table_rows() + [list(f.values()) for f in m.figures], ensure_ascii=False),
        "dashboard PDF": _log_row_only(_pdf_text(m.pdf())),
        "school chart data": json.dumps(m.chart_data("school"), ensure_ascii=False),
        "school chart (SVG)": m.chart_bytes("school", "svg").decode("utf-8"),
        "page": view.table.value + view.chart.value + view.unknown.value,
    }
    for where, text in outputs.items():
        assert SMALL not in text, f"{SMALL} named in the {where}"
        assert "var fint" not in text, f"free text in the {where}"
    assert all(f["answers"] >= ev.MIN_GROUP for f in out["figures"] + m.figures)
    # beside the implementation log, the small class's survey figures are blank everywhere
    rows = {r["class"]: r for r in out["fidelity"]}
    assert set(rows[SMALL]["share_agreeing"].values()) <= {None}
    fid_model = {r["class"]: r for r in m.fidelity}
    assert set(fid_model[SMALL]["share_agreeing"].values()) <= {None}
    small_row = next(r for r in m.fidelity_rows()[1:] if r[0] == SMALL)
    assert set(small_row[4:]) == {"–"}
    small_bar = next(r for r in m.chart_data("fidelity") if r[0] == SMALL)
    assert small_bar[3] is None
    caption = re.findall(rf"<li>{SMALL}: [^<]*</li>", view.fidelity_chart.value)
    assert len(caption) == 1 and caption[0].endswith("enige –</li>")
