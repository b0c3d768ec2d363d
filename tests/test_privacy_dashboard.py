"""Privacy in the dashboard (no browser): what the page and its downloads carry.

A class list with fake fødselsnummer and birth dates is uploaded through the
upload widget, a never-together rule is added, the plan is made, and then
every HTML value the browser would receive, every download link's file
(Excel, CSV, PDF) and the autosaved workspace are searched for the sensitive
values. The downloads must not carry rule wording either.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

pytest.importorskip("ipywidgets")
import ipywidgets as w  # noqa: E402
from test_app_models import SAMPLES, fake_planner  # noqa: E402,F401 (fixture)
from test_privacy import BIRTH, FNR, RULE_WORDS, SENSITIVE, STUDENTS, pdf_text, xlsx_text  # noqa: E402
from widget_tree import by_class, walk

from makker.app import AppModel, MakkerApp  # noqa: E402
from makker.app.environment import Settings  # noqa: E402

pytestmark = pytest.mark.usefixtures("isolated_workspace")  # the school-year tab autosaves


def page_text(app, visible_only: bool = False) -> str:
    """Every HTML value, label, option and description the browser receives (data: payloads cut out).

    ``visible_only`` skips widgets inside a hidden box: what a class sees on the classroom screen.
    """
    parts = []
    for x in (visible(app) if visible_only else walk(app)):
        if isinstance(x, (w.HTML, w.Label, w.Text, w.Textarea)):
            parts.append(str(x.value))
        for attr in ("description", "placeholder", "tooltip"):
            parts.append(str(getattr(x, attr, "") or ""))
        if hasattr(x, "_options_labels"):
            parts += [str(label) for label in x._options_labels]
    return re.sub(r"base64,[A-Za-z0-9+/=]+", "base64,", "\n".join(parts))


def visible(widget):
    if getattr(widget.layout, "display", None) == "none":
        return
    yield widget
    for child in getattr(widget, "children", ()):
        yield from visible(child)


def downloads(app) -> dict[str, bytes]:
    """The files behind every data: link on the page."""
    out = {}
    for x in walk(app):
        if isinstance(x, w.HTML):
            for mime, payload in re.findall(r'href="data:([^;"]+);base64,([A-Za-z0-9+/=]+)"', x.value):
                out[f"{' '.join(x._dom_classes)} {mime}"] = base64.b64decode(payload)
    return out


def class_list_csv() -> bytes:
    header = "Klasse;Elevnummer;Fornavn;Etternavn;Kjønn;Ungdomsskole;Fødselsnummer;Fødselsdato;Merknad"
    rows = [f"{s.klass};{s.id};{s.first};{s.last};{s.gender};{s.school};{fnr};{born:%d.%m.%Y};{fnr}"
            for s, fnr, born in zip(STUDENTS, FNR, BIRTH)]
    return ("\r\n".join([header, *rows]) + "\r\n").encode("utf-8")


def assert_no_sensitive(text: str, where: str) -> None:
    for value in SENSITIVE:
        assert value not in text, f"{value!r} leaked into {where}"


def dashboard() -> tuple[AppModel, MakkerApp]:
    """The whole page on a quick year (two rotations), previews at once."""
    model = AppModel(Settings(rotations=2, time_limit=5), sample_dir=SAMPLES)
    model.tune.preview_delay = 0
    return model, MakkerApp(model)


def make_plan(app, model) -> None:
    """«Lag plan», and wait until the plan is there."""
    by_class(app, "makker-solve").click()
    model.tune.wait(60)


def test_dashboard_page_downloads_and_workspace_hold_no_id_number_or_rule(fake_planner, isolated_workspace):
    model, app = dashboard()
    data = class_list_csv()
    by_class(app, "makker-upload").set_state({"value": [{"name": "1STA.csv", "type": "text/csv", "size": len(data),
                                                         "content": memoryview(data), "last_modified": 0}]})
    assert model.load.roster is not None and len(model.load.roster) == len(STUDENTS), model.error
    assert model.load.add_rule("never", STUDENTS[0].id, STUDENTS[1].id)
    assert_no_sensitive(page_text(app), "the page after upload")

    make_plan(app, model)
    app.tabs.selected_index = 2
    app.tabs.selected_index = 3
    text = page_text(app)
    assert_no_sensitive(text, "the page after planning")
    assert STUDENTS[0].last in text  # positive control: the page does show the class

    files = downloads(app)
    assert any("spreadsheetml" in k for k in files) and any("pdf" in k for k in files), list(files)
    for where, blob in files.items():
        if "spreadsheetml" in where:
            content = xlsx_text(blob)
        elif "pdf" in where:
            content = pdf_text(blob)
        elif "csv" in where or "json" in where:
            content = blob.decode("utf-8-sig", "replace")
        else:
            continue  # PNG: pixels, no text
        assert_no_sensitive(content, f"download {where}")
        low = content.casefold()
        for word in RULE_WORDS:
            assert word not in low, f"rule wording {word!r} in download {where}"

    model.presentation = True
    assert_no_sensitive(page_text(app), "the page in presentation mode")
    shown = page_text(app, visible_only=True).casefold()
    for word in ("aldri sammen", "helst ikke sammen"):
        assert word not in shown, f"{word!r} visible in presentation mode"

    for path in Path(isolated_workspace).rglob("*"):
        if path.is_file():
            blob = path.read_bytes().decode("latin-1")
            for value in SENSITIVE:
                assert value not in blob, f"{value!r} in {path.name}"


def test_presentation_mode_shows_no_school_year_controls(fake_planner, isolated_workspace):
    """On a projector: none of tab 5 (leavers, deletes, workspace path, log) and no rule sentence in tab 4."""
    from makker.fictional import fictional_roster
    from makker.i18n import LANGUAGES, t

    model, app = dashboard()
    model.load.load_roster(fictional_roster(12, seed=7, klass="1STA"))
    make_plan(app, model)
    app.tabs.selected_index = 3
    path = str(isolated_workspace / "workspace.sqlite")
    assert path in page_text(app, visible_only=True)  # positive control: the coordinator sees it
    for lang in LANGUAGES:
        model.lang = lang
        model.presentation = True
        shown = page_text(app, visible_only=True)
        assert path not in shown and "workspace.sqlite" not in shown
        for key in ("schoolyear.ui.b_delete_class", "schoolyear.ui.b_delete_year", "schoolyear.ui.b_leave",
                    "schoolyear.ui.l_leaver", "schoolyear.ui.h_log", "schoolyear.ui.h_files", "schoolyear.ui.b_swap",
                    "app.export.intro"):
            assert t(key, lang) not in shown, (lang, key)
        assert t("schoolyear.ui.hidden", lang) in shown
        model.presentation = False
        assert t("schoolyear.ui.b_delete_class", lang) in page_text(app, visible_only=True)
