"""The evaluation panel's model (no widgets) and its view's stable classes."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from makker.app.evaluation.model import EvaluationModel
from makker.i18n import percent, t

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
    assert "--statement" not in m.error and "column" in m.error
    assert m.matched_columns() == ["Q1"] and m.columns == {"Q1": None} and not m.figures
    assert m.correct("Q1", "safe") and m.error == ""  # the page's own matching, no file edited
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


def test_view_dropdowns_correct_the_matching_and_charts_download():
    """One dropdown per column; choosing a statement counts the file again; both charts as PNG, SVG and PDF."""
    from makker.app.evaluation.view import EvaluationView

    m = EvaluationModel(lang="nb")
    v = EvaluationView(m)
    assert m.load(*_bytes("evaluering_elever_2025-26.xlsx"))
    boxes = {b.description: b for b in v.matching.children}
    assert all("makker-eval-match" in b._dom_classes for b in boxes.values())
    assert boxes["Kommentar"].value is None and boxes["Det føles trygt å være på skolen"].value == "safe"
    safe = [f["share_agreeing"] for f in m.figures if f["statement"] == "safe" and f["level_of_detail"] == "school"]
    absence = [f["share_agreeing"] for f in m.figures if f["statement"] == "less_absence"
               and f["level_of_detail"] == "school"]
    assert safe != absence
    boxes["Det føles trygt å være på skolen"].value = None
    boxes["Jeg har hatt mindre fravær"].value = "safe"  # the coordinator's correction: absence counted as "safe"
    now = [f["share_agreeing"] for f in m.figures if f["statement"] == "safe" and f["level_of_detail"] == "school"]
    assert now == absence and "less_absence" not in {f["statement"] for f in m.figures}
    assert m.columns["Jeg har hatt mindre fravær"] == "safe"
    for fmt, magic in (("png", b"\x89PNG"), ("svg", b"<svg"), ("pdf", b"%PDF")):
        data = m.chart_bytes("school", fmt)
        assert magic in data[:400]
        assert f"makker-download-eval-school-{fmt}" in v.chart_links.value
    assert v.fidelity_links.value == "" and t("evaluation.no_log", "nb") in v.fidelity.value
    matched = [h for h, b in boxes.items() if b.value]
    for heading in matched[:-1]:
        boxes[heading].value = None
    assert m.error == "" and len({f["statement"] for f in m.figures}) == 1
    boxes[matched[-1]].value = None  # no statement left: refused next to the upload, the matching stays
    assert t("evaluation.no_statements_page", "nb", file=m.survey_name) == m.error
    assert boxes[matched[-1]].value == m.columns[matched[-1]] is not None and m.figures


def test_fidelity_in_the_tab_from_the_saved_year(tmp_path):
    """The saved school year's log beside the class figures: table, chart and PDF; refreshed when logged later."""
    import io

    import pypdf

    from makker.app.evaluation.view import EvaluationView
    from makker.fictional import fictional_roster
    from makker.store import Workspace

    ws = Workspace(tmp_path / "year.sqlite")
    for i, klass in enumerate(("1STA", "2STA", "3STA")):
        ws.save_roster(fictional_roster(20 + i, seed=i, klass=klass))
    ws.log_rotation("1STA", 1, change_done=True, contracts_written=True, day=datetime.date(2026, 8, 17))
    m = EvaluationModel(workspace=lambda: ws, lang="en")
    v = EvaluationView(m)
    assert m.load(*_bytes("evaluering_elever_2025-26.xlsx"))
    assert [r["class"] for r in m.fidelity] == ["1STA"]
    ws.log_rotation("2STA", 1, change_done=False, contracts_written=True)
    m.refresh_log()
    rows = {r[0]: r for r in m.fidelity_rows()[1:]}
    assert set(rows) == {"1STA", "2STA"} and rows["2STA"][2] == percent(0.0, "en") and rows["2STA"][3] == percent(1.0, "en")
    assert "makker-eval-fidelity-table" in v.fidelity.value and "2STA" in v.fidelity_chart.value
    assert "makker-download-eval-fidelity-png" in v.fidelity_links.value
    assert [r[0] for r in m.chart_data("fidelity")] == ["1STA", "2STA"]
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(m.pdf())).pages)
    assert "2STA" in text and t("evaluation.col.changes", "en") in text


def test_too_few_answers_say_so_and_show_nothing(capsys, tmp_path):
    """Four answers in all: nothing is shown, and the page and the command line say why."""
    from makker.cli import main

    data = "Klasse;Det føles trygt å være på skolen\n" + "1STA;Helt enig\n" * 4
    m = EvaluationModel(lang="nn")
    m.load(data.encode(), "s.csv")
    assert m.figures == [] and m.error == t("evaluation.too_few", "nn", count=4, min=5)
    src = tmp_path / "s.csv"
    src.write_text(data, encoding="utf-8")
    assert main(["evaluate", str(src), "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["figures"] == [] and t("evaluation.too_few", "nb", count=4, min=5) in out.err


@pytest.mark.parametrize("name,data", [("x.xlsx", bytes(range(256)) * 8), ("e.csv", b""),
                                       ("z.xlsx", b"PK\x03\x04" + b"\x00" * 64), ("p.pdf", b"%PDF-1.4 x"),
                                       ("b.csv", bytes(range(256)) * 12)])
def test_a_file_that_is_no_survey_is_refused_and_the_figures_stay(name, data):
    m = EvaluationModel(lang="nn")
    assert m.load(*_bytes("evaluering_elever_nynorsk_2025-26.csv"))
    before = list(m.figures)
    assert not m.load(data, name)
    assert m.error == t("evaluation.unreadable", "nn", file=name) and "Traceback" not in m.error
    assert m.figures == before and m.survey_name == "evaluering_elever_nynorsk_2025-26.csv"
