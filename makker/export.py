"""The plan for teachers: Excel, CSV and download links.

What goes out: class, rotation dates, groups, pairs, student ids and names.
What never goes out: any rule (never-together, preferably-apart), and by
default no gender or previous school either. Names are written as text, never
as formulas (formula injection, OWASP "CSV Injection").
"""

from __future__ import annotations

import base64
import csv
import html
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .i18n import MakkerError, date_text, normalise_lang, t
from .plan import Plan, Rotation
from .subjects import shown_name

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def safe_text(value) -> str:
    """CSV-safe text: a leading ``'`` when the cell could start a formula.

    Spreadsheets run cells that begin with = + - @ (or a tab/CR before them)
    as formulas; the apostrophe makes them plain text, as OWASP recommends.
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _xml_text(value) -> str:
    """Drop control characters that an xlsx file cannot hold."""
    return _ILLEGAL_XML.sub("", "" if value is None else str(value))


def _date(d: date | None, lang: str) -> str:
    return date_text(d, lang) if d else ""


# How Excel shows a real date cell: the same style as every other text in the language.
EXCEL_DATE_FORMAT = {"nb": "DD.MM.YYYY", "nn": "DD.MM.YYYY", "en": "D MMM YYYY"}


def _gender(value: str | None, lang: str) -> str:
    """K/M as the words of the language (the gender column is written only on request)."""
    return t(f"export.gender_{value}", lang) if value in ("K", "M") else (value or "")


# --- student positions -------------------------------------------------------

def _rows(rotation: Rotation):
    """(group no., pair no., student id) in seating order; numbers start at 1."""
    for gi, group in enumerate(rotation.groups, 1):
        for pi, p in enumerate(group, 1):
            for sid in p:
                yield gi, pi, sid


def _all_ids(plan: Plan) -> list[str]:
    ids = [s.id for s in plan.students]
    seen = set(ids)
    for r in plan.rotations:
        for sid in r.members():
            if sid not in seen:
                ids.append(sid)
                seen.add(sid)
    return sorted(ids, key=lambda sid: (plan.name(sid).casefold(), sid))


# --- Excel ---------------------------------------------------------------

def _put(ws, row: int, col: int, value, date_format: str = EXCEL_DATE_FORMAT["nb"]):
    """Write one cell; strings are always stored as strings, never formulas."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = text = _xml_text(value)
        cell.data_type = "s"
        if text.startswith(FORMULA_START):  # after cleaning: "\x00=1" becomes "=1"
            cell.number_format = "@"
            cell.quotePrefix = True  # Excel keeps it text when the cell is edited
    else:
        cell.value = value
        if isinstance(value, date):  # a real Excel date (sortable, filterable), shown the Norwegian way
            cell.number_format = date_format
    return cell


def _sheet(wb, title: str, header: list[str], rows: list[list], first: bool = False, lang: str = "nb"):
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.active if first else wb.create_sheet()
    ws.title = _SHEET_BAD.sub("-", title)[:31]
    for col, text in enumerate(header, 1):
        _put(ws, 1, col, text).font = Font(bold=True)
    for r, row in enumerate(rows, 2):
        for col, value in enumerate(row, 1):
            _put(ws, r, col, value, EXCEL_DATE_FORMAT[normalise_lang(lang)])
    ws.freeze_panes = "A2"
    for col in range(1, len(header) + 1):
        width = max(len(str(ws.cell(row=r, column=col).value or "")) for r in range(1, len(rows) + 2))
        ws.column_dimensions[get_column_letter(col)].width = min(45, max(8, width + 2))
    return ws


def add_sheet(wb, title: str, header: list[str], rows: list[list], *, first: bool = False, lang: str = "nb"):
    """A sheet of ``wb`` with a bold header row, frozen panes and fitting columns; text is never a formula,
    dates are real dates shown the language's way. The title is made a valid sheet name."""
    return _sheet(wb, _xml_text(title), header, rows, first=first, lang=lang)


def xlsx_safe(value) -> str:
    """Text an xlsx file can hold (control characters dropped)."""
    return _xml_text(value)


def _overview_rows(plan: Plan, lang: str, with_attributes: bool) -> list[list]:
    where = [{sid: (g, p) for g, p, sid in _rows(r)} for r in plan.rotations]
    by_id = plan.by_id()
    rows = []
    for sid in _all_ids(plan):
        row = [plan.name(sid), sid]
        if with_attributes:
            s = by_id.get(sid)
            row += [_gender(s.gender, lang) if s else "", (s.school or "") if s else ""]
        for w in where:
            row.append(t("export.cell_position", lang, group=w[sid][0], pair=w[sid][1]) if sid in w else "–")
        rows.append(row)
    return rows


def _rotation_rows(plan: Plan, rotation: Rotation) -> list[list]:
    start, end = rotation.start or "", rotation.end or ""  # dates stay dates in Excel
    return [[g, p, plan.name(sid), sid, start, end] for g, p, sid in _rows(rotation)]


def plan_to_xlsx(plan: Plan, lang: str = "nb", *, with_attributes: bool = False) -> bytes:
    """An Excel workbook: an overview sheet and one sheet per rotation.

    ``with_attributes`` adds gender and previous school to the overview (for
    the coordinator only; teacher copies leave them out).
    """
    from openpyxl import Workbook

    wb = Workbook()
    header = [t("export.col_name", lang), t("export.col_id", lang)]
    if with_attributes:
        header += [t("export.col_gender", lang), t("export.col_school", lang)]
    header += [t("export.col_rotation_n", lang, number=r.number) for r in plan.rotations]
    _sheet(wb, t("export.sheet_overview", lang), header, _overview_rows(plan, lang, with_attributes), first=True)
    rot_header = [t(f"export.col_{k}", lang) for k in ("group", "pair", "name", "id", "start", "end")]
    for r in plan.rotations:
        _sheet(wb, t("export.sheet_rotation", lang, number=r.number), rot_header, _rotation_rows(plan, r), lang=lang)
    props = wb.properties
    props.creator = props.lastModifiedBy = "makker"
    props.title = _xml_text(t("export.title", lang, klass=shown_name(plan, lang)))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- CSV -----------------------------------------------------------------

def plan_to_csv(plan: Plan, lang: str = "nb", *, with_attributes: bool = False) -> bytes:
    """Long format, one row per student and rotation; UTF-8 with BOM and ``;``
    so that Excel with Norwegian settings opens it directly."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    keys = ["rotation", "start", "end", "group", "pair", "id", "name"]
    header = [t(f"export.col_{k}", lang) for k in keys]
    if with_attributes:
        header += [t("export.col_gender", lang), t("export.col_school", lang)]
    writer.writerow(header)
    by_id = plan.by_id()
    for r in plan.rotations:
        for g, p, sid in _rows(r):
            row = [r.number, _date(r.start, lang), _date(r.end, lang), g, p, safe_text(sid), safe_text(plan.name(sid))]
            if with_attributes:
                s = by_id.get(sid)
                row += [_gender(s.gender, lang) if s else "", safe_text((s.school or "") if s else "")]
            writer.writerow(row)
    return buf.getvalue().encode("utf-8-sig")


def write_plan(plan: Plan, path: str | Path, lang: str = "nb") -> Path:
    """Write the plan in the format named by the file's suffix (.json, .xlsx, .csv)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        plan.save(path)
    elif suffix == ".xlsx":
        path.write_bytes(plan_to_xlsx(plan, lang))
    elif suffix == ".csv":
        path.write_bytes(plan_to_csv(plan, lang))
    else:
        raise MakkerError("export.unknown_format", path=str(path))
    return path


# --- file names and download links ----------------------------------------

_TRANSLIT = str.maketrans({"æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "å": "a", "Å": "A", "ß": "ss"})


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text).translate(_TRANSLIT))
    text = text.encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9_-]+", "-", text)
    return re.sub(r"-{2,}", "-", text).strip("-_")[:60]


def export_filename(klass: str, what: str, rotation: int | None = None, ext: str = "xlsx", lang: str = "nb") -> str:
    """``1STA_makkerplan_makkerperiode-2.xlsx``: only letters, digits, ``_``, ``-`` and ``.``."""
    parts = [_slug(klass), _slug(what)]
    if rotation is not None:
        parts.append(f"{_slug(t('export.file_rotation', lang))}-{int(rotation)}")
    stem = "_".join(p for p in parts if p) or "makker"
    ext = _slug(ext.lstrip(".")) or "bin"
    return f"{stem}.{ext}"


MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "json": "application/json",
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
}


def data_link(data: bytes, filename: str, mime: str, label: str, css_class: str = "") -> str:
    """An HTML download link carrying the file itself (Voila cannot serve files)."""
    payload = base64.b64encode(data).decode("ascii")
    attrs = [f'download="{html.escape(filename, quote=True)}"',
             f'href="data:{html.escape(mime, quote=True)};base64,{payload}"']
    if css_class:
        attrs.append(f'class="{html.escape(css_class, quote=True)}"')
    return f"<a {' '.join(attrs)}>{html.escape(label)}</a>"


@dataclass(frozen=True)
class Download:
    """A file the page offers: its bytes, name and type, and the label and CSS class of its link.

    Models return these; views turn them into links (``link()``), so that
    models hold data and views hold HTML.
    """

    data: bytes
    filename: str
    mime: str
    label: str
    css_class: str = ""

    def link(self) -> str:
        return data_link(self.data, self.filename, self.mime, self.label, self.css_class)
