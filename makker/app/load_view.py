"""The load panel: sample or upload, class choice, roster table, pair rules."""

from __future__ import annotations

import ipywidgets as w

from ..i18n import t
from . import tables
from .app_model import AppModel
from .widgets import describe, labelled, set_visible, tag


class LoadView(w.VBox):
    def __init__(self, app: AppModel, **kw):
        super().__init__(**kw)
        self.app, self.model = app, app.load
        self.sample = labelled(w.Dropdown(), "makker-sample-select")
        self.upload = labelled(w.FileUpload(accept=".xlsx,.csv", multiple=False), "makker-upload")
        self.upload_hint = tag(w.HTML(), "makker-upload-hint")
        self.klass = labelled(w.Dropdown(), "makker-class-select")
        self.source = tag(w.HTML(), "makker-source")
        self.warnings = tag(w.HTML(), "makker-warnings")
        self.counts = tag(w.HTML(), "makker-roster-counts")
        self.table = tag(w.HTML(), "makker-roster-table")
        self.rules_title = tag(w.HTML(), "makker-rules-title")
        self.rule_kind = labelled(w.Dropdown(), "makker-rule-kind")
        self.rule_a = labelled(w.Dropdown(), "makker-rule-a")
        self.rule_b = labelled(w.Dropdown(), "makker-rule-b")
        self.rule_rotations = labelled(w.Text(), "makker-rule-rotations")
        self.rule_rotations_hint = tag(w.HTML(), "makker-rule-rotations-hint")
        self.keep_box = tag(w.HBox([self.rule_rotations, self.rule_rotations_hint]), "makker-rule-keep")
        self.rule_add = tag(w.Button(icon="plus"), "makker-rule-add")
        self.rule_remove = tag(w.Button(icon="minus"), "makker-rule-remove")
        self.rule_list = tag(w.HTML(), "makker-rule-list")
        self.rule_upload = labelled(w.FileUpload(accept=".csv,.xlsx", multiple=False), "makker-rules-upload")
        self.rules_box = tag(w.VBox([
            self.rules_title, w.HBox([self.rule_kind]), w.HBox([self.rule_a, self.rule_b]), self.keep_box,
            w.HBox([self.rule_add, self.rule_remove]), self.rule_upload, self.rule_list,
        ]), "makker-rules")
        self.children = [
            w.HBox([self.sample, self.upload]), self.upload_hint, self.klass, self.source,
            self.warnings, self.counts, self.table, self.rules_box,
        ]
        self.sample.observe(self._sample_picked, names="value")
        self.upload.observe(self._uploaded, names="value")
        self.klass.observe(self._class_picked, names="value")
        self.rule_add.on_click(lambda _: self._rule("add"))
        self.rule_remove.on_click(lambda _: self._rule("remove"))
        self.rule_upload.observe(self._rules_uploaded, names="value")
        self.rule_kind.observe(lambda _: set_visible(self.keep_box, self.rule_kind.value == "keep"), names="value")
        self.model.observe(self.refresh, names=["roster", "file_warnings", "classes", "never", "apart", "keep", "sample"])
        app.observe(self.render_text, names=["lang", "presentation"])
        self.render_text()

    # -- events --------------------------------------------------------------
    def _sample_picked(self, change):
        if change["new"] and change["new"] != self.model.sample:
            self.model.load_sample(change["new"])

    def _uploaded(self, change):
        if change["new"]:
            self.model.load_upload(change["new"])
            self.upload.value = ()  # so the same file can be chosen again

    def _class_picked(self, change):
        # new options while refreshing move the value by themselves: only the coordinator's pick counts
        if change["new"] and not getattr(self, "_refreshing", False):
            self.model.choose_class(change["new"])

    def _rules_uploaded(self, change):
        if change["new"]:
            self.model.load_rule_file(self.rule_kind.value, change["new"])
            self.rule_upload.value = ()

    def _rule(self, action: str):
        kind, a, b = self.rule_kind.value, self.rule_a.value, self.rule_b.value
        if action == "add":
            self.model.add_rule(kind, a, b, self.rule_rotations.value if kind == "keep" else "")
        else:
            self.model.remove_rule(kind, a, b)

    # -- rendering -----------------------------------------------------------
    def render_text(self, change=None):
        lang = self.app.lang
        describe(lang, (self.sample, "app.load.sample"), (self.upload, "app.load.upload"), (self.klass, "app.load.class"),
                 (self.rule_kind, "app.rules.kind"), (self.rule_a, "app.rules.student_a"), (self.rule_b, "app.rules.student_b"),
                 (self.rule_rotations, "app.rules.rotations"),
                 (self.rule_add, "app.rules.add"), (self.rule_remove, "app.rules.remove"), (self.rule_upload, "app.rules.upload"))
        self._set_options(self.sample, [(t("app.load.pick_sample", lang), "")] + [(s, s) for s in self.model.samples], self.model.sample)
        self.upload_hint.value = f"<small>{tables.escape(t('app.load.upload_hint', lang))}</small>"
        kinds = [(t("app.rules.never", lang), "never"), (t("app.rules.apart", lang), "apart"), (t("app.rules.keep", lang), "keep")]
        self._set_options(self.rule_kind, kinds, self.rule_kind.value or "never")
        self.rule_rotations.placeholder = t("app.rules.rotations_all", lang)
        self.rule_rotations_hint.value = f"<small>{tables.escape(t('app.rules.rotations_hint', lang))}</small>"
        set_visible(self.keep_box, self.rule_kind.value == "keep")
        self.rule_upload.tooltip = t("app.rules.upload_help", lang)
        self.refresh()

    def refresh(self, change=None):
        self._refreshing = True
        try:
            self._refresh()
        finally:
            self._refreshing = False

    def _refresh(self):
        lang, pres, model = self.app.lang, self.app.presentation, self.model
        roster = model.roster
        if self.sample.value != model.sample and model.sample in model.samples:
            self.sample.value = model.sample
        self._set_options(self.klass, [(k, k) for k in model.classes], model.klass)
        set_visible(self.klass, len(model.classes) > 1)
        self.source.value = (
            f"<p>{tables.escape(t('app.load.source', lang, name=model.source, n=len(roster.students)))}</p>" if roster else ""
        )
        self.table.value = tables.roster_table(roster, lang, presentation=pres)
        warnings = list(model.file_warnings) + (list(roster.warnings) if roster else [])
        self.warnings.value = "" if pres else tables.message_list(warnings, lang, "app.load.warnings")
        self.counts.value = "" if pres else tables.roster_counts(roster, lang)
        self._refresh_rules(pres)

    def _refresh_rules(self, presentation: bool):
        """Rules are confidential: in presentation mode the box is hidden AND emptied."""
        lang, model = self.app.lang, self.model
        show = not presentation and model.roster is not None
        set_visible(self.rules_box, show)
        if not show:
            self.rule_list.value = self.rules_title.value = ""
            for dd in (self.rule_a, self.rule_b):
                dd.options = ()
            return
        self.rules_title.value = (
            f"<strong>{tables.escape(t('app.rules.title', lang))}</strong><br>"
            f"<small>{tables.escape(t('app.rules.private', lang))}</small>"
        )
        students = sorted(model.roster.students, key=lambda s: s.name.lower())
        options = [("–", "")] + [(s.name, s.id) for s in students]
        self._set_options(self.rule_a, options, self.rule_a.value or "")
        self._set_options(self.rule_b, options, self.rule_b.value or "")
        names = {s.id: s.name for s in students}
        self.rule_list.value = (tables.rule_list(model.never, names, lang, "app.rules.never_list")
                                + tables.rule_list(model.apart, names, lang, "app.rules.apart_list")
                                + tables.keep_list(model.keep, names, lang))

    @staticmethod
    def _set_options(dropdown: w.Dropdown, options: list, value) -> None:
        if list(dropdown.options) != list(options):
            dropdown.options = options
        values = [v for _, v in options]
        if value in values and dropdown.value != value:
            dropdown.value = value
