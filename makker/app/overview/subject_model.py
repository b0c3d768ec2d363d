"""The subject-group panel's model (traitlets, no widgets): build a faggruppe from several classes.

The coordinator or subject teacher names the group, picks classes and then
students of those classes, or takes the students the school file's
«Faggruppe»/«Undervisningsgruppe» column names, or reads a list of names or
ids. «Lagre faggruppa» saves it as a class of the school year
(:func:`makker.subjects.save`), with the never-together and preferably-apart
rules among its members and no others; from then on it is planned, published
and exported like a class (the school overview lists it).
"""

from __future__ import annotations

import logging

import traitlets as tl

from ...i18n import MakkerError, Message

log = logging.getLogger(__name__)

MAX_LIST_BYTES = 5 * 1024 * 1024


class SubjectGroupModel(tl.HasTraits):
    lang = tl.Unicode("nb")
    presentation = tl.Bool(False)  # the rule count is hidden on a projector
    name = tl.Unicode("")
    classes = tl.List(tl.Unicode())  # classes of the school year (subject groups left out)
    picked_classes = tl.Tuple()  # class names whose students may be picked
    options: tl.List = tl.List()  # [(label, "class:id")] of the picked classes' students
    members = tl.Tuple()  # ("class:id", ...) chosen students
    column_groups = tl.List(tl.Unicode())  # subject groups named in the school file's column
    rosters: tl.List = tl.List()  # the class list file's rosters (their extra columns hold «Faggruppe»)
    inherited = tl.Int(0)  # never-together rules the group would inherit
    saved = tl.List(tl.Unicode())  # saved subject groups
    status = tl.Any(None)
    error = tl.Any(None)

    def __init__(self, year, **kw):
        super().__init__(**kw)
        self.year = year
        tl.dlink((year, "lang"), (self, "lang"))
        tl.dlink((year, "presentation"), (self, "presentation"))
        year.observe(self.refresh, names=["classes", "path"])
        self.refresh()

    # -- reading the school year ------------------------------------------------
    def refresh(self, change=None) -> None:
        from ... import subjects

        ws = self.year.ws
        if ws is None:
            self.classes, self.saved = [], []
            return
        try:
            self.saved = subjects.saved_groups(ws)
            self.classes = [k for k in ws.class_names() if k not in self.saved]
        except MakkerError as err:
            self.error = err.as_message()
            return
        self.picked_classes = tuple(k for k in self.picked_classes if k in self.classes)
        self._options()

    @tl.observe("rosters")
    def _rosters_changed(self, change=None):
        from ... import subjects

        self.column_groups = sorted(subjects.groups_in(self.rosters or []))

    @tl.observe("picked_classes")
    def _picked_changed(self, change=None):
        self._options()

    @tl.observe("members")
    def _members_changed(self, change=None):
        self.inherited = len(self._group().rules.never) if len(self.members) >= 2 and self.year.ws is not None else 0

    def _options(self) -> None:
        from ...subjects import member_key

        ws = self.year.ws
        options = []
        for klass in self.picked_classes:
            try:
                roster = ws.roster(klass)
            except MakkerError:
                continue
            for s in sorted(roster.students, key=lambda s: s.name.casefold()):
                options.append((f"{s.name} ({klass})", member_key(klass, s.id)))
        self.options = options

    # -- what the coordinator does ----------------------------------------------
    def pick_classes(self, classes) -> None:
        self.picked_classes = tuple(k for k in classes if k in self.classes)

    def set_members(self, keys) -> None:
        self.members = tuple(dict.fromkeys(str(k) for k in keys))
        self.error = None

    def add_class(self, klass: str) -> None:
        """Every student of ``klass`` joins the group."""
        from ...subjects import member_key

        if klass not in self.classes:
            return
        if klass not in self.picked_classes:
            self.picked_classes = (*self.picked_classes, klass)
        keys = [member_key(klass, s.id) for s in self.year.ws.roster(klass).students]
        self.set_members([*self.members, *keys])

    def from_column(self, group: str) -> bool:
        """The students the school file's subject-group column puts in ``group`` (and the name with them)."""
        from ... import subjects
        from ...subjects import member_key

        try:
            students = subjects.members_from_column(self.rosters or [], group)
        except MakkerError as err:
            self.error = err.as_message()
            return False
        self.name = self.name or group
        self.picked_classes = tuple(dict.fromkeys([*self.picked_classes, *(s.klass for s in students)]))
        self.set_members([member_key(s.klass, s.id) for s in students])
        self.status = Message.of("subjects.ui.taken_from_column", count=len(students), name=group)
        return True

    def from_list(self, value) -> bool:
        """A list of names or ids (FileUpload.value); unknown names are named, the members stay as they were."""
        from ... import subjects
        from ...subjects import member_key

        files = list(value or ())
        if not files or self.year.ws is None:
            return False
        item = files[-1]
        name, data = str(item.get("name") or ""), bytes(item.get("content") or b"")
        if len(data) > MAX_LIST_BYTES:
            self.error = Message.of("app.error.upload_too_big", name=name, mb=MAX_LIST_BYTES // (1024 * 1024))
            return False
        try:
            rosters = [self.year.ws.roster(k) for k in self.classes]
            students = subjects.members_from_list(data, name, rosters)
        except MakkerError as err:
            self.error = err.as_message()
            return False
        except Exception:  # noqa: BLE001 - never a traceback on the page
            log.exception("reading the subject-group list %s failed", name)
            self.error = Message.of("app.error.unexpected")
            return False
        self.picked_classes = tuple(dict.fromkeys([*self.picked_classes, *(s.klass for s in students)]))
        self.set_members([member_key(s.klass, s.id) for s in students])
        self.status = Message.of("subjects.ui.taken_from_list", count=len(students), file=name)
        return True

    def _pairs(self) -> list[tuple[str, str]]:
        from ...subjects import CROSS_SEPARATOR

        out = []
        for key in self.members:
            klass, _, sid = key.partition(CROSS_SEPARATOR)
            out.append((klass, sid))
        return out

    def _group(self):
        from ... import subjects

        return subjects.from_workspace(self.year.ws, self.name.strip() or "–", self._pairs())

    def save(self) -> bool:
        """Save the group as a class of the school year; it then shows in the school overview."""
        from ... import subjects

        if self.year.ws is None:
            self.error = Message.of("schoolyear.ui.no_class")
            return False
        if not self.name.strip():
            self.error = Message.of("subjects.no_name")
            return False
        if len(self.members) < 2:
            self.error = Message.of("schoolyear.group_too_small", name=self.name.strip())
            return False
        try:
            group = self._group()
            subjects.save(self.year.ws, group)
        except MakkerError as err:
            self.error = err.as_message()
            return False
        self.error = None
        self.status = Message.of("subjects.ui.saved", name=group.name, count=len(group.roster.students),
                                 classes=", ".join(group.classes))
        self.year.refresh()
        self.refresh()
        return True
