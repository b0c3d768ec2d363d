"""What the coordinator must know or decide before the school year changes.

``SampleBanner`` says, on every tab, that a fictional sample is shown and the
saved school year is untouched, with the way back. ``ClassDecision`` sits at
the top of the class-list tab when an uploaded class is already saved with
another student list: nothing is saved until the coordinator replaces the
saved list, keeps it, or saves the upload under another name. Both views only
mirror ``SchoolYearModel`` traits and call its methods.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w

from ..i18n import t
from .schoolyear.model import SchoolYearModel
from .widgets import labelled, set_visible, tag


class SampleBanner(w.HBox):
    def __init__(self, model: SchoolYearModel, **kw):
        super().__init__(**kw)
        self.model = model
        self.text = tag(w.HTML(), "makker-sample-banner-text")
        self.leave = tag(w.Button(icon="arrow-left"), "makker-leave-sample")
        self.leave.layout.width = "max-content"
        self.children = [self.text, self.leave]
        self.layout.flex_flow = "row wrap"
        self.layout.align_items = "center"
        self.add_class("makker-sample-banner")
        self.leave.on_click(lambda _: model.leave_sample())
        model.observe(self.render, names=["fictional", "lang"])
        self.render()

    def render(self, change=None):
        lang = self.model.lang
        self.text.value = (f'<p role="status" style="background:#fff3cd;color:#1a1a1a;padding:6px 10px;'
                           f'border-left:6px solid #8a6d00;margin:4px 8px 4px 0">'
                           f'{escape(t("dashboard.sample_banner", lang))}</p>')
        self.leave.description = t("dashboard.leave_sample", lang)
        set_visible(self, self.model.fictional)


class ClassDecision(w.VBox):
    def __init__(self, model: SchoolYearModel, **kw):
        super().__init__(**kw)
        self.model = model
        self.text = tag(w.HTML(), "makker-decision-text")
        self.replace = tag(w.Button(button_style="warning"), "makker-decision-replace")
        self.keep = tag(w.Button(), "makker-decision-keep")
        self.name = labelled(w.Text(), "makker-decision-name")
        self.save_as = tag(w.Button(), "makker-decision-save-as")
        for button in (self.replace, self.keep, self.save_as):
            button.layout.width = "max-content"
        self.children = [self.text, w.HBox([self.replace, self.keep], layout=w.Layout(flex_flow="row wrap")),
                         w.HBox([self.name, self.save_as], layout=w.Layout(flex_flow="row wrap"))]
        self.add_class("makker-class-decision")
        self.replace.on_click(lambda _: model.replace_class())
        self.keep.on_click(lambda _: model.keep_saved_class())
        self.save_as.on_click(lambda _: model.save_class_as(self.name.value))
        model.observe(self.render, names=["pending", "klass", "lang", "error", "status"])
        self.render()

    def render(self, change=None):
        m, lang = self.model, self.model.lang
        self.replace.description = t("dashboard.replace", lang)
        self.keep.description = t("dashboard.keep_saved", lang)
        self.name.description = t("dashboard.new_name", lang)
        self.save_as.description = t("dashboard.save_as", lang)
        diff = m.pending.get(m.klass)
        set_visible(self, diff is not None)
        if diff is None:
            return
        lines = [t("dashboard.class_differs", lang, klass=m.klass)]
        if diff["new"]:
            lines.append(t("dashboard.students_new", lang, names=", ".join(diff["new"])))
        if diff["gone"]:
            lines.append(t("dashboard.students_gone", lang, names=", ".join(diff["gone"])))
        alert = (f'<p role="alert" style="color:#a00">{escape(m.error.render(lang))}</p>'
                 if m.error is not None and m.error.key.startswith("dashboard.") else "")
        self.text.value = ('<div style="border:2px solid #8a6d00;padding:6px 10px">'
                           + "".join(f"<p>{escape(x)}</p>" for x in lines) + alert + "</div>")
