"""Papers for every contact teacher: one zip for the whole school.

A folder per class (a subject group saved as a class gets one too) holding
the plan (Excel), the class pack (PDF) of the next rotation or of every
rotation, the change dates (.ics) and the letters to students and parents;
beside the folders a school-wide workbook of every class's change dates for
the leadership's year wheel («årshjul»).

Every file comes from the export functions that already keep private data
out: :func:`makker.export.plan_to_xlsx` without attributes (no gender, no
previous school), :func:`makker.pack.class_pack` (names and the class only),
:func:`makker.calendar.dates_to_ics` (no student data at all). No
never-together, preferably-apart or keep-together rule is ever read here.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from .i18n import MakkerError, normalise_lang, t
from .plan import Plan


@dataclass(frozen=True)
class ClassFolder:
    """One class's folder in the zip: its name and its files (file name → bytes)."""

    klass: str
    folder: str
    rotations: tuple[int, ...]  # the rotations whose class pack is in the folder
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class SchoolPapers:
    """The whole zip as plain data: the class folders, the classes without a plan, the zip's bytes."""

    folders: tuple[ClassFolder, ...]
    not_planned: tuple[str, ...]
    overview_name: str
    data: bytes


def next_rotation(plan: Plan, today: date | None = None) -> int:
    """The rotation a contact teacher hands out next: the first one starting today or later.

    When every dated rotation has started, the last one; a plan without dates starts with rotation 1.
    """
    if not plan.rotations:
        raise MakkerError("papers.no_rotations", klass=plan.klass)
    today = today or date.today()
    dated = [r for r in plan.rotations if r.start is not None]
    if not dated:
        return plan.rotations[0].number
    coming = [r.number for r in dated if r.start is not None and r.start >= today]
    return coming[0] if coming else dated[-1].number


def _dates(plan: Plan) -> list[tuple[date, date]]:
    return [(r.start, r.end) for r in plan.rotations if r.start is not None and r.end is not None]


def class_files(plan: Plan, lang: str = "nb", *, all_rotations: bool = False, today: date | None = None,
                school: str | None = None) -> tuple[tuple[int, ...], dict[str, bytes]]:
    """The files of one class's folder: plan (xlsx), class pack(s), change dates (.ics), letters."""
    from .calendar import dates_to_ics
    from .export import export_filename, plan_to_xlsx
    from .pack import class_pack, letters_pdf

    lang = normalise_lang(lang)
    klass = plan.klass
    numbers = tuple(r.number for r in plan.rotations) if all_rotations else (next_rotation(plan, today),)
    files: dict[str, bytes] = {
        export_filename(klass, t("papers.file_plan", lang), None, "xlsx", lang): plan_to_xlsx(plan, lang),
    }
    for number in numbers:
        name = export_filename(klass, t("papers.file_pack", lang), number, "pdf", lang)
        files[name] = class_pack(plan, number, lang, school=school)
    dates = _dates(plan)
    if dates:
        files[export_filename(klass, t("papers.file_calendar", lang), None, "ics", lang)] = \
            dates_to_ics(dates, klass, lang).encode("utf-8")
    files[export_filename(klass, t("papers.file_letters", lang), None, "pdf", lang)] = letters_pdf(lang, school=school)
    return numbers, files


def change_dates_xlsx(plans: Sequence[Plan], lang: str = "nb", not_planned: Sequence[str] = ()) -> bytes:
    """The school's year wheel: every class's change dates, one row per class and one per change.

    Sheet 1 has a row per class and a column per rotation (its first day);
    sheet 2 lists every change in date order, the way a year wheel reads.
    Only classes, numbers and dates: no student is named.
    """
    from openpyxl import Workbook

    from .export import add_sheet, xlsx_safe
    from .subjects import shown_name

    lang = normalise_lang(lang)
    most = max((len(p.rotations) for p in plans), default=0)
    wb = Workbook()
    header = [t("papers.col_class", lang), t("papers.col_students", lang)]
    header += [t("papers.col_rotation_start", lang, number=n) for n in range(1, most + 1)]
    rows: list[list] = []
    for plan in plans:
        starts: list = [r.start or "" for r in plan.rotations]
        rows.append([shown_name(plan, lang), len(plan.students), *starts, *[""] * (most - len(starts))])
    for klass in not_planned:
        rows.append([klass, "", t("papers.not_planned", lang), *[""] * max(0, most - 1)])
    add_sheet(wb, t("papers.sheet_classes", lang), header, rows, first=True, lang=lang)
    changes = sorted(((r.start, shown_name(p, lang), r.number, r.end) for p in plans for r in p.rotations
                      if r.start is not None), key=lambda c: (c[0], c[1], c[2]))
    long_header = [t(k, lang) for k in ("papers.col_date", "papers.col_class", "papers.col_rotation", "papers.col_end")]
    add_sheet(wb, t("papers.sheet_changes", lang), long_header, [[d, k, n, e or ""] for d, k, n, e in changes], lang=lang)
    wb.properties.creator = wb.properties.lastModifiedBy = "makker"
    wb.properties.title = xlsx_safe(t("papers.overview_title", lang))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _folder_names(classes: Sequence[str]) -> dict[str, str]:
    """A folder name per class: letters, digits, ``-`` and ``_``; two classes never share one."""
    from .batch import class_filenames

    return {k: name.rsplit(".", 1)[0] for k, name in class_filenames(classes, "d").items()}


def _zip_date(today: date) -> tuple[int, int, int, int, int, int]:
    return (max(1980, today.year), today.month, today.day, 0, 0, 0)


def build(plans: Sequence[Plan], lang: str = "nb", *, not_planned: Sequence[str] = (), all_rotations: bool = False,
          today: date | None = None, school: str | None = None,
          progress: Callable[[str], None] | None = None) -> SchoolPapers:
    """The zip of the whole school from the classes' plans (each plan's ``class`` names its folder)."""
    lang = normalise_lang(lang)
    today = today or date.today()
    plans = [p for p in plans if p.rotations]
    if not plans:
        raise MakkerError("papers.no_plans")
    names = _folder_names([p.klass for p in plans])
    stamp = _zip_date(today)
    folders = []
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for plan in plans:
            if progress is not None:
                progress(plan.klass)
            numbers, files = class_files(plan, lang, all_rotations=all_rotations, today=today, school=school)
            folder = names[plan.klass]
            for name, data in files.items():
                zf.writestr(zipfile.ZipInfo(f"{folder}/{name}", stamp), data, compress_type=zipfile.ZIP_DEFLATED)
            folders.append(ClassFolder(plan.klass, folder, numbers, files))
        overview = f"{t('papers.file_overview', lang)}.xlsx"
        zf.writestr(zipfile.ZipInfo(overview, stamp), change_dates_xlsx(plans, lang, not_planned),
                    compress_type=zipfile.ZIP_DEFLATED)
    return SchoolPapers(tuple(folders), tuple(not_planned), overview, buf.getvalue())


def from_workspace(ws, lang: str = "nb", **kw) -> SchoolPapers:
    """The zip for every class of a saved school year that has a plan (the others are listed as not planned)."""
    from .overview import sort_key

    plans, not_planned = [], []
    for klass in sorted(ws.class_names(), key=sort_key):
        plan = ws.plan(klass)
        if plan is None or not plan.rotations:
            not_planned.append(klass)
        else:
            plans.append(plan)
    return build(plans, lang, not_planned=not_planned, **kw)


def zip_name(lang: str = "nb", today: date | None = None) -> str:
    """``klassepapirer_2026-08-19.zip``: the file the coordinator downloads."""
    from .export import export_filename

    today = today or date.today()
    return export_filename(t("papers.file_zip", lang), today.isoformat(), None, "zip", lang)
