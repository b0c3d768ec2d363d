"""The training notebook speaks bokmål, nynorsk and English, its texts from the catalogs."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from makker.app import training
from makker.i18n import LANGUAGES, catalog

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "dashboards" / "opplaering.ipynb"
KEYS = sorted(k for k in catalog("nb") if k.startswith("course."))


def test_notebook_has_no_text_of_its_own():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    assert all(c["cell_type"] == "code" for c in cells)
    source = "".join("".join(c["source"]) for c in cells)
    assert "training.course(app)" in source and not re.findall(r"course\.\w+", source.replace("training.course", ""))
    named = [key for key, _ in training.SECTIONS]
    assert sorted(named) == KEYS and len(named) == len(set(named))


def test_every_text_differs_between_languages_where_it_should():
    for key in KEYS:
        texts = {lang: catalog(lang)[key] for lang in LANGUAGES}
        assert texts["en"] != texts["nb"] and texts["en"] != texts["nn"], key
        assert "{" not in texts["nb"] + texts["nn"] + texts["en"], key


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["nn", "en"])
def test_notebook_runs_in_the_language_chosen(lang, monkeypatch, tmp_path):
    monkeypatch.setenv("MAKKER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MAKKER_WORKSPACE", str(tmp_path / "workspace.sqlite"))
    monkeypatch.setenv("MAKKER_TIME_LIMIT", "3")
    monkeypatch.setenv("MAKKER_ROTATIONS", "2")
    monkeypatch.setenv("QUERY_STRING", f"lang={lang}")
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    shown = "\n".join(str(m["state"].get("value")) for m in state.values())
    for key in KEYS:
        assert training.markdown(catalog(lang)[key]) in shown, key
    other = "nb" if lang != "nb" else "en"
    assert training.markdown(catalog(other)["course.rules"]) not in shown
