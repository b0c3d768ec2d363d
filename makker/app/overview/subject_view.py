"""The subject-group panel: name a faggruppe, take its students from classes, the school file or a list, save it.

Takes only its own model (:class:`SubjectGroupModel`) and mirrors it.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w

from ...i18n import t
from ..widgets import describe, labelled, message_html, set_visible, tag
from .subject_model import SubjectGroupModel


class SubjectGroupView(w.VBox):
    def __init__(self, model: SubjectGroupModel, **kw):
        super().__init__(**kw)
        self.model = m = model
        self.heading = w.HTML()
        self.name = labelled(w.Text(), "makker-subject-name")
        self.classes = labelled(w.SelectMultiple(rows=5), "makker-subject-classes")
        self.students = labelled(w.SelectMultiple(rows=12), "makker-subject-students")
        self.whole_class = labelled(w.Dropdown(), "makker-subject-whole-class")
        self.whole_btn = tag(w.Button(icon="plus"), "makker-subject-add-class")
        self.column = labelled(w.Dropdown(), "makker-subject-column")
        self.column_btn = tag(w.Button(), "makker-subject-from-column")
        self.column_box = w.HBox([self.column, self.column_btn])
        self.upload = labelled(w.FileUpload(accept=".csv,.xlsx", multiple=False), "makker-subject-upload")
        self.summary = tag(w.HTML(), "makker-subject-summary")
        self.save_btn = tag(w.Button(button_style="primary"), "makker-subject-save")
        self.message = tag(w.HTML(), "makker-subject-message")
        self.children = [self.heading, self.name, self.classes, self.students,
                         w.HBox([self.whole_class, self.whole_btn]), self.column_box, self.upload,
                         self.summary, self.save_btn, self.message]
        self.add_class("makker-subject-group")
        self.name.observe(lambda ch: setattr(m, "name", ch["new"]) if m.name != ch["new"] else None, names="value")
        self.classes.observe(self._classes_picked, names="value")
        self.students.observe(self._students_picked, names="value")
        self.whole_btn.on_click(lambda _: m.add_class(self.whole_class.value or ""))
        self.column_btn.on_click(lambda _: m.from_column(self.column.value or ""))
        self.upload.observe(self._uploaded, names="value")
        self.save_btn.on_click(lambda _: m.save())
        m.observe(self.render, names=["lang", "presentation", "name", "classes", "picked_classes", "options",
                                      "members", "column_groups", "inherited", "saved", "status", "error"])
        self.render()

    def _classes_picked(self, change):
        if not getattr(self, "_rendering", False):
            self.model.pick_classes(change["new"])

    def _students_picked(self, change):
        if not getattr(self, "_rendering", False):
            self.model.set_members(change["new"])

    def _uploaded(self, change):
        if change["new"]:
            self.model.from_list(change["new"])
            self.upload.value = ()

    def render(self, change=None) -> None:
        self._rendering = True
        try:
            self._render()
        finally:
            self._rendering = False

    def _render(self) -> None:
        m, lang = self.model, self.model.lang
        self.heading.value = (f"<h3>{escape(t('subjects.ui.title', lang))}</h3>"
                              f"<p><small>{escape(t('subjects.ui.intro', lang))}</small></p>")
        describe(lang, (self.name, "subjects.ui.name"), (self.classes, "subjects.ui.classes"),
                 (self.students, "subjects.ui.students"), (self.whole_class, "subjects.ui.whole_class"),
                 (self.whole_btn, "subjects.ui.add_class"), (self.column, "subjects.ui.column"),
                 (self.column_btn, "subjects.ui.from_column"), (self.upload, "subjects.ui.upload"),
                 (self.save_btn, "subjects.ui.save"))
        self.name.placeholder = t("subjects.ui.name_example", lang)
        if self.name.value != m.name:
            self.name.value = m.name
        if list(self.classes.options) != list(m.classes):
            self.classes.options = list(m.classes)
        picked = tuple(k for k in m.picked_classes if k in m.classes)
        if tuple(self.classes.value) != picked:
            self.classes.value = picked
        values = {v for _, v in m.options}
        # members taken from a column or list whose class is not picked yet are still members
        options = list(m.options) + [(k, k) for k in m.members if k not in values]
        if list(self.students.options) != options:
            self.students.options = options
        if tuple(self.students.value) != tuple(m.members):
            self.students.value = tuple(m.members)
        whole = [(k, k) for k in m.classes]
        if list(self.whole_class.options) != whole:
            self.whole_class.options = whole
        groups = [(g, g) for g in m.column_groups]
        if list(self.column.options) != groups:
            self.column.options = groups
        set_visible(self.column_box, bool(groups))
        summary = t("subjects.ui.summary", lang, count=len(m.members))
        if not m.presentation and len(m.members) >= 2:
            summary += " " + t("subjects.ui.inherited", lang, count=m.inherited)
        self.summary.value = f"<p>{escape(summary)}</p>"
        self.save_btn.disabled = len(m.members) < 2 or not m.name.strip()
        self.message.value = message_html(m.error, m.status, lang)
