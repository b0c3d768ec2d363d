"""The evaluation panel's model (no widgets) and its view's stable classes."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from makker.app.evaluation.model import EvaluationModel

SAMPLES = Path(__file__).resolve().parent.parent / "sample_rosters"


def _bytes(name):
    return (SAMPLES / name).read_bytes(), name


def test_model_loads_compares_and_keeps_only_figures():
    m = EvaluationModel(lang="nn")
    assert m.load(*_bytes("evaluering_elever_nynorsk_2025-26.csv"))
    assert m.load(*_bytes("evaluering_elever_2024-25.csv"), previous=True)
    assert m.figures and all(f["answers"] >= 5 for f in m.figures)
    assert any(f["previous"] is not None for f in m.figures)
    text = json.dumps(m.figures)
    assert "1EL" not in text and "Oppdiktet kommentar" not in text
    assert m.pdf().startswith(b"%PDF") and b"<svg" in m.chart_bytes("school", "svg")


def test_model_error_in_users_language_and_correction():
    m = EvaluationModel(lang="en")
    data = "Klasse;Q1\n" + "1STA;Helt enig\n" * 6
    assert not m.load(data.encode(), "s.csv")
    assert "--statement" in m.error and "column" in m.error
    m.columns = {"Q1": "safe"}
    assert m.load(data.encode(), "s.csv") and m.error == ""
    assert [f["share_agreeing"] for f in m.figures if f["level_of_detail"] == "school"] == [1.0]
    m.load(*_bytes("evaluering_elever_2025-26.xlsx"))
    before = {f["statement"] for f in m.figures}
    assert m.correct("Jeg har hatt mindre fravær", None)
    assert {f["statement"] for f in m.figures} == before - {"less_absence"}
    assert not m.correct("Jeg har hatt mindre fravær", "nonsense") and m.error


def test_view_shows_chart_and_pdf_link():
    from makker.app.evaluation.view import EvaluationView

    m = EvaluationModel()
    v = EvaluationView(m)
    assert "makker-eval-upload" in v.upload._dom_classes
    content, name = _bytes("evaluering_elever_2025-26.xlsx")
    v.upload.value = ({"name": name, "content": memoryview(content), "size": len(content), "type": "", "last_modified": datetime.datetime(2026, 6, 1)},)
    assert "data:image/svg+xml" in v.chart.value and "makker-eval-chart" in v.chart._dom_classes
    assert "application/pdf" in v.download.value and "makker-download-eval-pdf" in v.download._dom_classes
    m.lang = "en"
    assert "Whole school" in v.table.value
