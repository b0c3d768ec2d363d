"""The class papers of the whole school (traitlets, no widgets).

«Lag klassepapirene» builds one zip (:func:`makker.papers.from_workspace`)
from the saved school year in a background thread, so the page stays live
while a dozen class packs are drawn; the result is an
:class:`makker.export.Download` that the view turns into the link
``makker-download-school``. Saving, planning or choosing another school year
makes the zip stale: it is dropped, and the next click builds it again.
"""

from __future__ import annotations

import logging
import threading

import traitlets as tl

from ...export import Download
from ...i18n import MakkerError, Message

log = logging.getLogger(__name__)

MIME = "application/zip"
CSS = "makker-download-school"


class SchoolPapersModel(tl.HasTraits):
    lang = tl.Unicode("nb")
    all_rotations = tl.Bool(False)  # every rotation's class pack, else only the next one
    running = tl.Bool(False)
    download = tl.Any(None)  # Download | None
    status = tl.Any(None)  # Message | None
    error = tl.Any(None)  # Message | None

    def __init__(self, year, **kw):
        super().__init__(**kw)
        self.year = year
        self._thread: threading.Thread | None = None
        tl.dlink((year, "lang"), (self, "lang"))
        year.observe(self._stale, names=["classes", "revision", "published", "path"])

    def _stale(self, change=None) -> None:
        if not self.running:
            self.download = None

    @tl.observe("all_rotations", "lang")
    def _choice_changed(self, change) -> None:
        self._stale()

    def make(self, wait: bool = False) -> bool:
        """Build the zip of every planned class; False (with the reason in ``error``) when it cannot start."""
        if self.running:
            return False
        if self.year.ws is None:
            self.error = Message.of("papers.no_plans")
            return False
        self.running, self.error, self.download = True, None, None
        self._thread = threading.Thread(target=self._run, name="makker-school-papers", daemon=True)
        self._thread.start()
        if wait:
            self._thread.join()
        return True

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        from ... import papers

        lang = self.lang
        try:
            result = papers.from_workspace(
                self.year.ws, lang, all_rotations=self.all_rotations, school=self.year.school or None,
                progress=lambda klass: setattr(self, "status", Message.of("papers.making", klass=klass)))
            n = len(result.folders)
            self.download = Download(result.data, papers.zip_name(lang), MIME,
                                     Message.of("papers.download").render(lang), CSS)
            self.status = (Message.of("papers.made_some", n=n, classes=", ".join(result.not_planned))
                           if result.not_planned else Message.of("papers.made", n=n))
        except MakkerError as err:
            self.status, self.error = None, Message.of(err.key, **err.params)
        except Exception:  # noqa: BLE001 - never a traceback on the page
            log.exception("the school's class papers failed")
            self.status, self.error = None, Message.of("papers.failed")
        finally:
            self.running = False
