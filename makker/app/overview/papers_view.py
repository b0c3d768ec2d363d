"""The class papers of the whole school: one button, one choice, one download link.

Takes only its own model (:class:`SchoolPapersModel`) and mirrors it.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w

from ...i18n import t
from ..widgets import describe, labelled, message_html, tag
from .papers_model import SchoolPapersModel


class SchoolPapersView(w.VBox):
    def __init__(self, model: SchoolPapersModel, **kw):
        super().__init__(**kw)
        self.model = m = model
        self.heading = w.HTML()
        self.all_rotations = labelled(w.Checkbox(value=m.all_rotations, indent=False), "makker-school-papers-all")
        self.make_btn = tag(w.Button(button_style="primary", icon="file-archive-o"), "makker-school-papers")
        self.link = tag(w.HTML(), "makker-download-school-box")
        self.message = tag(w.HTML(), "makker-school-papers-message")
        self.children = [self.heading, self.all_rotations, self.make_btn, self.message, self.link]
        self.add_class("makker-school-papers-panel")
        self.all_rotations.observe(lambda ch: setattr(m, "all_rotations", bool(ch["new"])), names="value")
        self.make_btn.on_click(lambda _: m.make())
        m.observe(self.render, names=["lang", "running", "download", "status", "error", "all_rotations"])
        self.render()

    def render(self, change=None) -> None:
        m, lang = self.model, self.model.lang
        self.heading.value = f"<h3>{escape(t('papers.title', lang))}</h3><p>{escape(t('papers.intro', lang))}</p>"
        describe(lang, (self.all_rotations, "papers.all_rotations"), (self.make_btn, "papers.make"))
        if self.all_rotations.value != m.all_rotations:
            self.all_rotations.value = m.all_rotations
        self.make_btn.disabled = m.running
        self.all_rotations.disabled = m.running
        self.message.value = message_html(m.error, m.status, lang)
        self.link.value = m.download.link() if m.download is not None else ""
