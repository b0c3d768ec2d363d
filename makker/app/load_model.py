"""State of the load panel: which class list, which class, which pair rules.

A traitlets model without widgets (aiidalab-qe style) so tests can drive it
directly. Problems become ``error`` Messages; the previous roster and rules are
kept, so nothing the user entered is lost when a file is rejected.
"""

from __future__ import annotations

import logging
from pathlib import Path

import traitlets as tl

from ..i18n import MakkerError, Message
from ..rules import Rules, keep_for, pair, parse_rotations
from ..students import Roster
from .environment import sample_files

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
UPLOAD_SUFFIXES = (".xlsx", ".csv")
RULE_KINDS = ("never", "apart", "keep")


class LoadModel(tl.HasTraits):
    samples = tl.List(tl.Unicode())  # sample file names
    sample = tl.Unicode("")  # chosen sample ("" = none)
    source = tl.Unicode("")  # file name of the loaded list
    rosters: tl.List[Roster] = tl.List()  # one per class in the file
    file_warnings: tl.List[Message] = tl.List()
    classes = tl.List(tl.Unicode())
    klass = tl.Unicode("")
    roster = tl.Any(None)  # the chosen Roster
    fictional = tl.Bool(False)  # a fictional sample is shown: the real school year is not touched
    never = tl.Tuple()  # tuple[frozenset[str], ...] (hard rule)
    apart = tl.Tuple()  # tuple[frozenset[str], ...] (soft rule)
    keep = tl.Tuple()  # tuple[(frozenset[str], tuple[int, ...] | None), ...]: keep-together, for which rotations
    rules_edited = tl.Int(0)  # bumps on every rule the user adds or removes (the school year saves then)
    uploaded = tl.Int(0)  # bumps when a class list file has been read (the school year decides what to save)
    picked = tl.Int(0)  # bumps when the coordinator picks another class of the file
    error = tl.Any(None)  # Message | None

    def __init__(self, sample_dir: Path | None = None, **kw):
        super().__init__(**kw)
        self._paths = {p.name: p for p in sample_files(sample_dir)}
        self.samples = list(self._paths)

    # -- loading -------------------------------------------------------------
    def load_sample(self, name: str) -> bool:
        path = self._paths.get(name)
        if path is None:
            self.error = Message.of("app.error.no_sample", name=name)
            return False
        result = self._read(path.read_bytes(), path.name)
        if result is None:
            return False
        self.fictional = True  # first: the school year switches to a scratch workspace before the class arrives
        self._apply(result, path.name)
        self.sample = name
        return True

    def load_upload(self, value) -> bool:
        """Accept ipywidgets 8 ``FileUpload.value``: a tuple of dicts with ``name`` and ``content``."""
        files = list(value or ())
        if not files:
            return False
        item = files[-1]
        name = str(item.get("name") or "")
        content = item.get("content")
        data = bytes(content) if content is not None else b""
        size = int(item.get("size") or len(data))
        if not name.lower().endswith(UPLOAD_SUFFIXES):
            self.error = Message.of("app.error.upload_type", name=name)
            return False
        if max(size, len(data)) > MAX_UPLOAD_BYTES:
            self.error = Message.of("app.error.upload_too_big", name=name, mb=MAX_UPLOAD_BYTES // (1024 * 1024))
            return False
        result = self._read(data, name)
        if result is None:
            return False
        self.fictional = False  # a real class list: back to the saved school year first
        self.sample = ""
        self._apply(result, name)
        return True

    def load_bytes(self, data: bytes, filename: str) -> bool:
        """Read a class list; on any problem keep what was loaded before."""
        result = self._read(data, filename)
        if result is None:
            return False
        self._apply(result, filename)
        return True

    def _read(self, data: bytes, filename: str):
        """The file's classes with students, or None (with ``error`` set) when it cannot be used."""
        try:
            from ..roster import read_rosters

            result = read_rosters(data, filename=filename)
        except MakkerError as err:
            self.error = err.as_message()
            return None
        except Exception:  # noqa: BLE001 - never show a traceback to the user
            log.exception("reading %s failed", filename)
            self.error = Message.of("app.error.unexpected")
            return None
        rosters = [r for r in result.rosters if len(r.students) > 0]
        if not rosters:
            self.error = Message.of("app.error.no_students", name=filename)
            return None
        return rosters, list(result.warnings)

    def _apply(self, result, filename: str) -> None:
        rosters, warnings = result
        self.error = None
        self.source = filename
        self.file_warnings = warnings
        self.never, self.apart, self.keep = (), (), ()  # rules belong to a class: the school year supplies the saved ones
        self.rosters = rosters
        self.classes = [r.klass for r in rosters]
        self.select_class(self.classes[0], force=True)
        self.uploaded += 1  # last: the page shows the file's first class when the school year hears of it

    def load_roster(self, roster: Roster, fictional: bool | None = None) -> None:
        """Use an in-memory roster (a saved class, or a fictional class for training without files)."""
        if fictional is not None:
            self.fictional = fictional
        self.error = None
        self.source = roster.source or roster.klass
        self.file_warnings = []
        self.rosters = [roster]
        self.classes = [roster.klass]
        self.select_class(roster.klass, force=True)
        self.uploaded += 1  # a class list arrived, as from a file

    def load_saved(self, rosters: list[Roster], klass: str, source: str = "", fictional: bool = False) -> None:
        """Show the saved school year's classes (after a reload), with ``klass`` chosen; none: an empty tab."""
        self.fictional = fictional
        if not fictional:
            self.sample = ""
        self.error = None
        self.source = source
        self.file_warnings = []
        self.rosters = list(rosters)
        self.classes = [r.klass for r in rosters]
        if not self.classes:
            self.never, self.apart, self.keep = (), (), ()
            self.klass, self.roster = "", None
            return
        self.select_class(klass if klass in self.classes else self.classes[0], force=True)

    def replace_roster(self, roster: Roster) -> None:
        """Put ``roster`` in place of the file's class of the same name (or add it) and show it."""
        others = [r for r in self.rosters if r.klass != roster.klass]
        self.rosters = [*others, roster]
        self.classes = [r.klass for r in self.rosters]
        self.select_class(roster.klass, force=True)

    def rename_class(self, old: str, new: str) -> None:
        """The file's class ``old`` is kept under the name ``new`` (the saved ``old`` stays as it is)."""
        from dataclasses import replace

        renamed = [replace(r, klass=new, students=[replace(s, klass=new) for s in r.students])
                   if r.klass == old else r for r in self.rosters]
        self.rosters = renamed
        self.classes = [r.klass for r in renamed]
        self.select_class(new, force=True)

    def select_class(self, klass: str, force: bool = False) -> None:
        chosen = next((r for r in self.rosters if r.klass == klass), None)
        if chosen is None or (not force and chosen is self.roster):
            return
        ids = set(chosen.ids())
        self.never = tuple(p for p in self.never if p <= ids)
        self.apart = tuple(p for p in self.apart if p <= ids)
        self.keep = tuple(e for e in self.keep if e[0] <= ids)
        self.klass = klass
        self.roster = chosen

    def choose_class(self, klass: str) -> None:
        """The coordinator picked ``klass`` in the class list tab (the school year shows its saved work)."""
        if klass in self.classes and klass != self.klass:
            self.select_class(klass)
            self.picked += 1

    @tl.observe("klass")
    def _klass_changed(self, change):
        if self.roster is None or self.roster.klass != change["new"]:
            self.select_class(change["new"])

    # -- pair rules ----------------------------------------------------------
    def add_rule(self, kind: str, a: str, b: str, rotations: str = "") -> bool:
        """Add a rule; ``rotations`` («1 2», «1-3», empty for all) only for keep-together."""
        if kind not in RULE_KINDS or self.roster is None:
            return False
        ids = set(self.roster.ids())
        if not a or not b or a == b or a not in ids or b not in ids:
            self.error = Message.of("app.error.pick_two")
            return False
        p = pair(a, b)
        names = self.roster.by_id()
        if (kind == "keep" and p in self.never) or (kind == "never" and any(e[0] == p for e in self.keep)):
            self.error = Message.of("planner.keep_and_never", a=names[a].name, b=names[b].name)
            return False
        if kind == "keep":
            try:
                numbers = parse_rotations(rotations)
            except ValueError:
                self.error = Message.of("app.error.keep_rotations", value=rotations)
                return False
            self.keep = tuple(e for e in self.keep if e[0] != p) + ((p, numbers),)
            self.error = None
            self.rules_edited += 1
            return True
        other = "apart" if kind == "never" else "never"
        setattr(self, other, tuple(x for x in getattr(self, other) if x != p))
        if p not in getattr(self, kind):
            setattr(self, kind, getattr(self, kind) + (p,))
        self.error = None
        self.rules_edited += 1
        return True

    def load_rule_file(self, kind: str, value) -> int:
        """Add the pairs of an uploaded pair file (FileUpload.value); returns how many were added."""
        files = list(value or ())
        if kind not in RULE_KINDS or self.roster is None or not files:
            return 0
        item = files[-1]
        name, data = str(item.get("name") or ""), bytes(item.get("content") or b"")
        if len(data) > MAX_UPLOAD_BYTES:
            self.error = Message.of("app.error.upload_too_big", name=name, mb=MAX_UPLOAD_BYTES // (1024 * 1024))
            return 0
        try:
            from ..roster import read_keep_file, read_pair_file

            if kind == "keep":  # a third column may say for which rotations
                entries = read_keep_file(data, filename=name, students=self.roster)
            else:
                entries = [(p, None) for p in read_pair_file(data, filename=name, students=self.roster)]
        except MakkerError as err:
            self.error = err.as_message()
            return 0
        except Exception:  # noqa: BLE001
            log.exception("reading pair file %s failed", name)
            self.error = Message.of("app.error.unexpected")
            return 0
        added, refused = 0, None
        for p, numbers in entries:
            a, b = sorted(p)
            if kind == "keep":
                if (p, numbers) not in self.keep:
                    ok = self.add_rule(kind, a, b, " ".join(map(str, numbers or ())))
                    added, refused = added + int(ok), refused if ok else self.error
            elif p not in getattr(self, kind):
                ok = self.add_rule(kind, a, b)
                added, refused = added + int(ok), refused if ok else self.error
        self.error = refused  # a pair the other rules forbid is named; the others are added
        return added

    def remove_rule(self, kind: str, a: str, b: str) -> bool:
        if kind not in RULE_KINDS:
            return False
        p = pair(a, b)
        if kind == "keep":
            before_keep = self.keep
            self.keep = tuple(e for e in before_keep if e[0] != p)
            if len(before_keep) != len(self.keep):
                self.rules_edited += 1
                return True
            return False
        before = getattr(self, kind)
        setattr(self, kind, tuple(x for x in before if x != p))
        removed = len(before) != len(getattr(self, kind))
        if removed:
            self.rules_edited += 1
        return removed

    def rules(self) -> Rules:
        return Rules(never=set(self.never), apart=set(self.apart), keep=keep_for(self.keep))

    def students(self) -> list:
        return list(self.roster.students) if self.roster is not None else []
