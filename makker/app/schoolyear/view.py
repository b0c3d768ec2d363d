"""The school-year tab's view: it mirrors ``SchoolYearModel`` traits and calls its methods, nothing else.

Each section (saved work, calendar, publishing, changes, swaps, log, class
pack, files) has a place for messages: the status and error of the last action
appear in the section whose control caused them.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w

from ...i18n import Message, date_text, t
from ..tables import _table
from ..widgets import labelled, set_visible, tag
from .model import SchoolYearModel, backup_time


def _h(key: str, lang: str, level: int = 3) -> str:
    return f"<h{level}>{escape(t(key, lang))}</h{level}>"


LINK_STYLE = 'style="color:#0b4f9c;text-decoration:underline;font-weight:bold"'


def _link(html_link: str) -> str:
    """Download links that look like links (contrast and underline, not colour alone)."""
    return html_link.replace("<a ", f"<a {LINK_STYLE} ", 1) if html_link else ""


def _file_link(download) -> str:
    return _link(download.link()) if download is not None else ""


def _messages(messages, lang: str, css: str = "") -> str:
    items = "".join(f"<li>{escape(m.render(lang))}</li>" for m in messages)
    return f'<ul class="{css}" role="status">{items}</ul>' if items else ""


class SchoolYearView(w.VBox):
    def __init__(self, model: SchoolYearModel, **kw):
        super().__init__(**kw)
        self.model = model
        self._armed_leave = None  # the student «Eleven slutter» waits to have confirmed
        self.add_class("makker-schoolyear")
        self.heading = {k: w.HTML() for k in ("workspace", "calendar", "publish", "changes", "swap", "log", "pack", "files")}
        self.hidden_note = tag(w.HTML(), "makker-schoolyear-hidden")
        self.status = tag(w.HTML(), "makker-schoolyear-status")
        self.error = tag(w.HTML(), "makker-schoolyear-error")
        # workspace
        self.where = tag(w.HTML(), "makker-workspace-path")
        self.class_select = labelled(w.Dropdown(), "makker-schoolyear-class")
        self.save_btn = tag(w.Button(icon="save"), "makker-save")
        self.reload_btn = tag(w.Button(icon="refresh"), "makker-reload")
        # calendar
        self.start = labelled(w.DatePicker(), "makker-calendar-start")
        self.county = labelled(w.Dropdown(), "makker-calendar-county")
        self.weeks = labelled(w.BoundedIntText(value=3, min=1, max=20), "makker-calendar-weeks")
        self.school_weeks = labelled(w.Checkbox(value=True, indent=False), "makker-calendar-schoolweeks")
        self.dates_btn = tag(w.Button(), "makker-calendar-compute")
        self.apply_btn = tag(w.Button(), "makker-calendar-apply")
        self.dates_out = tag(w.HTML(), "makker-calendar-table")
        self.calendar_box = tag(w.VBox([self.start, self.county, self.weeks, self.school_weeks,
                                        w.HBox([self.dates_btn, self.apply_btn]), self.dates_out]), "makker-calendar")
        # publish
        self.publish_rot = labelled(w.Dropdown(), "makker-publish-rotation")
        self.publish_btn = tag(w.Button(icon="lock"), "makker-publish-button")
        self.published = tag(w.HTML(), "makker-published")
        self.publish_box = tag(w.VBox([w.HBox([self.publish_rot, self.publish_btn]), self.published]), "makker-publish")
        # roster changes
        self.leaver = labelled(w.Dropdown(), "makker-student-leaver")
        self.leave_btn = tag(w.Button(), "makker-student-leave")
        self.newcomer = labelled(w.Text(layout=w.Layout(width="24em")), "makker-student-name")
        self.newcomer_gender = labelled(w.Dropdown(), "makker-student-gender")
        self.join_btn = tag(w.Button(), "makker-student-join")
        self.never_a = labelled(w.Dropdown(), "makker-never-a")
        self.never_b = labelled(w.Dropdown(), "makker-never-b")
        self.never_btn = tag(w.Button(), "makker-never-add")
        self.never_box = w.HBox([self.never_a, self.never_b, self.never_btn], layout=w.Layout(flex_flow="row wrap"))
        self.replan_btn = tag(w.Button(icon="random"), "makker-replan")
        self.replan_progress = labelled(w.IntProgress(min=0, max=1, value=0), "makker-replan-progress")
        self.replan_cancel = tag(w.Button(icon="stop"), "makker-replan-cancel")
        self.replan_row = w.HBox([self.replan_btn, self.replan_progress, self.replan_cancel],
                                 layout=w.Layout(flex_flow="row wrap", align_items="center"))
        self.changes_box = tag(w.VBox([w.HBox([self.leaver, self.leave_btn], layout=w.Layout(flex_flow="row wrap")),
                                       w.HBox([self.newcomer, self.newcomer_gender, self.join_btn], layout=w.Layout(flex_flow="row wrap")),
                                       self.never_box, self.replan_row]), "makker-roster-changes")
        # swap
        self.swap_rot = labelled(w.Dropdown(), "makker-swap-rotation")
        self.swap_a = labelled(w.Dropdown(), "makker-swap-a")
        self.swap_b = labelled(w.Dropdown(), "makker-swap-b")
        self.swap_btn = tag(w.Button(icon="exchange"), "makker-swap-button")
        self.swap_anyway = tag(w.Button(button_style="warning"), "makker-swap-anyway")
        self.swap_out = tag(w.HTML(), "makker-swap-warnings")
        self.swap_box = tag(w.VBox([w.HBox([self.swap_rot, self.swap_a, self.swap_b, self.swap_btn, self.swap_anyway],
                                           layout=w.Layout(flex_flow="row wrap")), self.swap_out]), "makker-swap")
        # log
        self.log_rot = labelled(w.Dropdown(), "makker-log-rotation")
        self.log_done = labelled(w.Checkbox(indent=False), "makker-log-done")
        self.log_contracts = labelled(w.Checkbox(indent=False), "makker-log-contracts")
        self.log_day = labelled(w.DatePicker(), "makker-log-date")
        self.log_note = labelled(w.Textarea(rows=2), "makker-log-note")
        self.log_btn = tag(w.Button(icon="check"), "makker-log-save")
        self.log_table = tag(w.HTML(), "makker-log-table")
        self.overview = tag(w.HTML(), "makker-log-overview")
        self.log_box = tag(w.VBox([self.log_rot, w.HBox([self.log_done, self.log_contracts]), self.log_day,
                                   self.log_note, self.log_btn, self.log_table, self.overview]), "makker-log")
        # pack
        self.pack_rot = labelled(w.Dropdown(), "makker-pack-rotation")
        self.pack_letters = labelled(w.Checkbox(indent=False), "makker-pack-letters")
        self.pack_school = labelled(w.Text(), "makker-pack-school")  # signs the letters and heads the pack
        self.pack_btn = tag(w.Button(icon="file-pdf-o"), "makker-pack-build")
        self.pack_link = tag(w.HTML(), "makker-pack-download")
        self.pack_box = tag(w.VBox([self.pack_school, w.HBox([self.pack_rot, self.pack_letters, self.pack_btn]), self.pack_link]), "makker-pack")
        # files
        self.export_btn = tag(w.Button(icon="download"), "makker-workspace-export")
        self.export_link = tag(w.HTML(), "makker-workspace-download")
        self.import_upload = labelled(w.FileUpload(accept=".makker", multiple=False), "makker-workspace-import")
        self.confirm = labelled(w.Text(layout=w.Layout(width="44em")), "makker-delete-confirm")
        self.delete_class_btn = tag(w.Button(button_style="danger"), "makker-delete-class")
        self.delete_year_btn = tag(w.Button(button_style="danger"), "makker-delete-year")
        self.backup_btn = tag(w.Button(icon="history"), "makker-restore-backup")
        self.backup_select = labelled(w.Dropdown(layout=w.Layout(width="44em")), "makker-backup-select")
        self.files_box = tag(w.VBox([w.HBox([self.export_btn, self.export_link]), self.import_upload,
                                     w.HBox([self.backup_select, self.backup_btn], layout=w.Layout(flex_flow="row wrap")),
                                     self.confirm,
                                     w.HBox([self.delete_class_btn, self.delete_year_btn])]), "makker-workspace-files")
        self._sections = [
            ("workspace", w.VBox([self.where, w.HBox([self.class_select, self.save_btn, self.reload_btn],
                                                     layout=w.Layout(flex_flow="row wrap"))])),
            ("calendar", self.calendar_box), ("publish", self.publish_box), ("changes", self.changes_box),
            ("swap", self.swap_box), ("log", self.log_box), ("pack", self.pack_box), ("files", self.files_box),
        ]
        # the status and error of the last action sit in the section whose control caused them
        self.notes = {key: w.VBox() for key, _ in self._sections}
        children = []
        for key, box in self._sections:
            children.append(w.VBox([self.heading[key], self.notes[key], box]))
        self._content = children
        self.children = [self.hidden_note, *children]
        self._wire()
        self.render()

    # -- wiring --------------------------------------------------------------
    def _wire(self):
        m = self.model
        self.save_btn.on_click(lambda _: m.save())
        self.reload_btn.on_click(lambda _: m.reload())
        self.class_select.observe(self._class_chosen, names="value")
        self.dates_btn.on_click(self._compute_dates)
        self.apply_btn.on_click(lambda _: m.apply_dates())
        self.publish_btn.on_click(lambda _: self.publish_rot.value and m.publish(self.publish_rot.value))
        self.leave_btn.on_click(self._leave)
        self.leaver.observe(lambda _: self._disarm_leave(), names="value")
        self.join_btn.on_click(self._join)
        self.never_btn.on_click(lambda _: m.add_never(self.never_a.value, self.never_b.value))
        self.replan_btn.on_click(lambda _: m.start_replan())
        self.replan_cancel.on_click(lambda _: m.cancel_replan())
        self.swap_btn.on_click(lambda _: self.swap_rot.value and m.swap(self.swap_rot.value, self.swap_a.value, self.swap_b.value))
        self.log_btn.on_click(lambda _: self.log_rot.value and m.log_rotation(
            self.log_rot.value, self.log_done.value, self.log_contracts.value, self.log_day.value, self.log_note.value))
        self.pack_btn.on_click(self._pack)
        self.pack_school.observe(lambda c: setattr(m, "school", (c["new"] or "").strip()), names="value")
        self.export_btn.on_click(self._export)
        self.import_upload.observe(lambda c: m.import_upload(c["new"]), names="value")
        self.backup_btn.on_click(lambda _: m.restore_backup(self.backup_select.value or "", confirm=bool(m.armed_backup)))
        self.swap_anyway.on_click(lambda _: m.pending_swap and m.swap(*m.pending_swap, confirm=True))
        self.delete_class_btn.on_click(lambda _: m.delete_class(self.confirm.value) and setattr(self.confirm, "value", ""))
        self.delete_year_btn.on_click(lambda _: m.delete_year(self.confirm.value) and setattr(self.confirm, "value", ""))
        m.observe(lambda _: self.render(), names=["lang", "presentation", "classes", "klass", "published", "plan",
                                                  "status", "error", "warnings", "dates", "calendar_warnings",
                                                  "log_entries", "running", "saved", "revision", "pending_swap",
                                                  "backups", "armed_backup", "fictional", "origin", "roster"])
        m.observe(self._progress, names=["done", "total", "running"])

    def _class_chosen(self, change):
        # new options while rendering move the value by themselves: only the coordinator's pick counts
        if getattr(self, "_rendering", False):
            return
        if change["new"] and change["new"] != self.model.klass:
            self.model.restore(change["new"])

    def _compute_dates(self, _):
        m = self.model
        m.start, m.county, m.weeks, m.school_weeks = (self.start.value, self.county.value or "",
                                                      int(self.weeks.value), bool(self.school_weeks.value))
        m.compute_dates()

    def _leave(self, _):
        """«Eleven slutter» takes two clicks: the first names the student on the button, the second acts."""
        m, sid = self.model, self.leaver.value
        if not sid:
            m.error, m.origin = Message.of("schoolyear.ui.pick_student"), "changes"
            return
        if self._armed_leave != sid:
            self._armed_leave = sid
            m.error, m.origin = None, "changes"
            m.status = Message.of("schoolyear.ui.confirm_leave", name=self._student_name(sid))
            self.render()
            return
        self._disarm_leave(render=False)
        m.leave(sid)
        self.render()

    def _disarm_leave(self, render: bool = True):
        if self._armed_leave is not None:
            self._armed_leave = None
            if render:
                self.render()

    def _student_name(self, sid) -> str:
        roster = self.model.roster
        names = {s.id: s.name for s in (roster.students if roster is not None else [])}
        return names.get(sid, str(sid))

    def _join(self, _):
        if self.model.join(self.newcomer.value, self.newcomer_gender.value or None):
            self.newcomer.value = ""

    def _pack(self, _):
        self.pack_btn.disabled = True
        try:
            self.pack_link.value = _file_link(self.model.pack_file(self.pack_rot.value or 1, self.pack_letters.value))
        finally:
            self.pack_btn.disabled = False

    def _export(self, _):
        self.export_link.value = _file_link(self.model.workspace_file())

    def _progress(self, change=None):
        m = self.model
        self.replan_progress.max = max(1, m.total)
        self.replan_progress.value = min(m.done, self.replan_progress.max)
        set_visible(self.replan_progress, m.running)
        set_visible(self.replan_cancel, m.running)

    # -- rendering -----------------------------------------------------------
    @staticmethod
    def _options(widget, options):
        if list(widget.options) != list(options):
            value = widget.value
            widget.options = options
            values = [v for _, v in options]
            widget.value = value if value in values else (values[0] if values else None)

    @staticmethod
    def _student_options(widget, students):
        """A student picker starts on «–» (value ""): nothing happens to a student nobody chose."""
        options = [("–", "")] + list(students)
        if list(widget.options) != options:
            value = widget.value
            widget.options = options
            widget.value = value if value in [v for _, v in options] else ""

    def render(self):
        self._rendering = True
        try:
            self._render()
        finally:
            self._rendering = False

    def _render(self):
        m, lang = self.model, self.model.lang
        tr = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
        for key in self.heading:
            self.heading[key].value = _h(f"schoolyear.ui.h_{key}", lang)
        self.status.value = f'<p role="status">{escape(m.status.render(lang))}</p>' if m.status else ""
        self.error.value = (f'<div role="alert" style="border:2px solid #a00;padding:6px;color:#1a1a1a">'
                            f'{escape(m.error.render(lang))}</div>') if m.error else ""
        for key, slot in self.notes.items():
            wanted = (self.status, self.error) if key == m.origin else ()
            if tuple(slot.children) != wanted:
                slot.children = wanted
        # the coordinator's controls (leavers, deletes, file path, log) are not for a projector
        self.hidden_note.value = f"<p>{escape(tr('schoolyear.ui.hidden'))}</p>" if m.presentation else ""
        set_visible(self.hidden_note, m.presentation)
        for child in self._content:
            set_visible(child, not m.presentation)
        self.where.value = "" if m.presentation else f"<p>{escape(tr('schoolyear.ui.where', path=m.path))}</p>"
        self._options(self.class_select, [(c, c) for c in m.classes])
        if m.klass in m.classes:
            self.class_select.value = m.klass
        self._describe(tr)
        plan = m.plan
        numbers = [r.number for r in plan.rotations] if plan is not None else []
        open_numbers = [n for n in numbers if n not in m.published]
        self._options(self.publish_rot, [(str(n), n) for n in open_numbers])
        self._options(self.swap_rot, [(str(n), n) for n in open_numbers])
        self._options(self.log_rot, [(str(n), n) for n in numbers])
        self._options(self.pack_rot, [(str(n), n) for n in numbers])
        students = sorted((s.name, s.id) for s in (m.roster.students if m.roster is not None else []))
        for widget in (self.leaver, self.swap_a, self.swap_b, self.never_a, self.never_b):
            self._student_options(widget, students)
        self.published.value = f"<p>{escape(tr('schoolyear.ui.published_list', numbers=', '.join(map(str, m.published)) or '–'))}</p>"
        self.swap_out.value = _messages(m.warnings, lang, "makker-swap-list")
        self.swap_anyway.description = tr("dashboard.swap_anyway")
        set_visible(self.swap_anyway, m.pending_swap is not None)
        self._backup_options(tr)
        self.dates_out.value = self._dates_html(tr)
        self.log_table.value = self._log_html(tr)
        self.overview.value = self._overview_html(tr)
        for button in (self.replan_btn, self.leave_btn, self.join_btn, self.never_btn, self.swap_btn, self.publish_btn):
            button.disabled = m.running
        self._progress()
        set_visible(self.never_box, not m.presentation)
        set_visible(self.files_box, not m.presentation)
        set_visible(self.heading["files"], not m.presentation)

    def _backup_options(self, tr) -> None:
        m = self.model
        rows = [(tr("dashboard.backup_row", made=backup_time(b["made"], m.lang),
                    changed=tr("dashboard.backup_changed", classes=", ".join(b["changed"])) if b["changed"]
                    else tr("dashboard.backup_same")), b["path"].name) for b in m.backups]
        self._options(self.backup_select, rows or [(tr("dashboard.backup_none"), "")])
        if m.armed_backup and m.armed_backup in [v for _, v in rows]:
            self.backup_select.value = m.armed_backup
        self.backup_select.description = tr("dashboard.backups")
        if m.ws is not None:
            self.backup_btn.description = tr("dashboard.restore_chosen")
        self.backup_btn.button_style = "danger" if m.armed_backup else ""

    def _describe(self, tr):
        pairs = [
            (self.class_select, "class"), (self.start, "start"), (self.county, "county"), (self.weeks, "weeks"),
            (self.school_weeks, "school_weeks"), (self.publish_rot, "rotation"), (self.leaver, "leaver"),
            (self.newcomer, "newcomer"), (self.newcomer_gender, "gender"), (self.never_a, "never_a"),
            (self.never_b, "never_b"), (self.swap_rot, "rotation"), (self.swap_a, "swap_a"), (self.swap_b, "swap_b"),
            (self.log_rot, "rotation"), (self.log_done, "log_done"), (self.log_contracts, "log_contracts"),
            (self.log_day, "log_day"), (self.log_note, "log_note"), (self.pack_rot, "rotation"),
            (self.pack_letters, "letters"), (self.pack_school, "school"), (self.import_upload, "import"), (self.confirm, "confirm"),
            (self.replan_progress, "replan_progress"),
        ]
        for widget, key in pairs:
            widget.description = tr(f"schoolyear.ui.l_{key}")
        buttons = [
            (self.save_btn, "save"), (self.reload_btn, "reload"), (self.dates_btn, "compute"), (self.apply_btn, "apply"),
            (self.publish_btn, "publish"), (self.leave_btn, "leave"), (self.join_btn, "join"), (self.never_btn, "never"),
            (self.replan_btn, "replan"), (self.swap_btn, "swap"), (self.log_btn, "log"), (self.pack_btn, "pack"),
            (self.export_btn, "export"), (self.delete_class_btn, "delete_class"), (self.delete_year_btn, "delete_year"),
            (self.backup_btn, "restore_backup"), (self.replan_cancel, "cancel_replan"),
        ]
        for button, key in buttons:
            button.description = tr(f"schoolyear.ui.b_{key}")
            button.tooltip = button.description
            button.layout.width = "max-content"  # the whole label, in every language
            button.layout.align_self = "flex-start"
        if self._armed_leave is not None:
            self.leave_btn.description = tr("schoolyear.ui.b_leave_confirm", name=self._student_name(self._armed_leave))
            self.leave_btn.tooltip = self.leave_btn.description
        self.leave_btn.button_style = "danger" if self._armed_leave is not None else ""
        self._options(self.newcomer_gender, [(tr("schoolyear.ui.gender_none"), ""), (tr("schoolyear.ui.gender_K"), "K"),
                                             (tr("schoolyear.ui.gender_M"), "M")])
        from ...calendar import county_names

        self._options(self.county, [(tr("schoolyear.ui.no_county"), "")] + [(n, k) for k, n in county_names().items()])
        set_visible(self.newcomer_gender, not self.model.presentation)
        set_visible(self.log_note, not self.model.presentation)

    def _dates_html(self, tr) -> str:
        m = self.model
        if not m.dates:
            return ""
        rows = [[str(i), date_text(a, m.lang), date_text(b, m.lang)] for i, (a, b) in enumerate(m.dates, start=1)]
        table = _table([tr("calendar.col_rotation"), tr("calendar.col_start"), tr("calendar.col_end")], rows)
        links = " · ".join(_file_link(f) for f in m.calendar_files())
        return table + _messages(m.calendar_warnings, m.lang, "makker-calendar-warnings") + f"<p>{links}</p>"

    def _log_html(self, tr) -> str:
        m = self.model
        if not m.log_entries:
            return ""
        yes, no = tr("schoolyear.ui.yes"), tr("schoolyear.ui.no")
        rows = [[e.rotation, yes if e.change_done else no, yes if e.contracts_written else no,
                 date_text(e.day, m.lang), e.note] for e in m.log_entries]
        heads = [tr("schoolyear.ui.l_rotation"), tr("schoolyear.ui.l_log_done"), tr("schoolyear.ui.l_log_contracts"),
                 tr("schoolyear.ui.l_log_day"), tr("schoolyear.ui.l_log_note")]
        if m.presentation:  # free-text notes may be about students: not on the projector
            heads, rows = heads[:-1], [r[:-1] for r in rows]
        return _table(heads, rows)

    def _overview_html(self, tr) -> str:
        rows = [[r["class"], r["students"], r["planned"], r["published"], r["changes_done"], r["contracts_written"]]
                for r in self.model.overview()]
        if not rows:
            return ""
        heads = [tr(f"schoolyear.ui.o_{k}") for k in ("class", "students", "planned", "published", "done", "contracts")]
        return f"<h4>{escape(tr('schoolyear.ui.overview'))}</h4>" + _table(heads, rows)
