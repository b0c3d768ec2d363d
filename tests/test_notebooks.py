"""Every notebook in dashboards/ runs top to bottom in a real kernel (nbclient).

Kept fast with env vars the app reads: a short solver time limit and few rotations.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from makker.i18n import t

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "dashboards").glob("*.ipynb"))


def test_there_are_notebooks():
    names = {p.name for p in NOTEBOOKS}
    assert {"makkerskap.ipynb", "opplaering.ipynb"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_without_errors(path, monkeypatch, tmp_path):
    monkeypatch.setenv("MAKKER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MAKKER_WORKSPACE", str(tmp_path / "workspace.sqlite"))
    monkeypatch.setenv("MAKKER_TIME_LIMIT", "3")
    monkeypatch.setenv("MAKKER_ROTATIONS", "2")
    monkeypatch.setenv("MAKKER_MODE", "training")
    monkeypatch.setenv("MAKKER_SAMPLES", str(REPO / "sample_rosters"))
    venv_bin = str(Path(sys.executable).parent)
    monkeypatch.setenv("PATH", venv_bin + os.pathsep + os.environ.get("PATH", ""))
    nb = nbformat.read(path, as_version=4)
    if path.name == "opplaering.ipynb":  # its plan runs after the page is shown: wait for it here
        nb.cells.append(nbformat.v4.new_code_cell("app.tune.wait()"))
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "Traceback" not in text
    widgets = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert widgets, "the notebook shows no widget"
    texts = widget_texts(nb)
    assert t("app.error.unexpected", "nb") not in texts
    if path.name == "opplaering.ipynb":
        assert t("app.training.plan", "nb") in texts  # the plan was made and compared with a random draw
        assert t("app.see.table_caption", "nb", number=1) in texts


def widget_texts(nb) -> str:
    """Every string value in the saved widget state (what the page would show)."""
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    return "\n".join(str(m["state"].get("value")) for m in state.values() if isinstance(m.get("state", {}).get("value"), str))
