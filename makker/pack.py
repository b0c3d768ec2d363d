"""The printable class pack: one A4 PDF per class and rotation, with real text.

Contents: the pairs and groups, the seating chart, one group-contract page per
group, the buddy duties, a buddy card per student and the end-of-rotation
reflection questions; optionally the letters to students and parents. Every
sentence comes from an editable template file per language
(``makker/templates/<lang>/pack.json``, or a school's own copy in a folder
given by ``templates`` / ``$MAKKER_TEMPLATES``). Only names and the class are
printed: never a rule, a gender or a previous school.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from xml.sax.saxutils import escape

from .i18n import MakkerError, date_text, normalise_lang
from .plan import Plan, Rotation
from .subjects import shown_name

FONT, FONT_BOLD = "MakkerSans", "MakkerSans-Bold"


# --------------------------------------------------------------------------- templates


def _bundled(lang: str) -> dict:
    return json.loads((resources.files("makker") / "templates" / lang / "pack.json").read_text(encoding="utf-8"))


def load_template(lang: str | None = None, folder: str | Path | None = None) -> dict:
    """The pack texts in ``lang``: a school's own file where it has one, the bundled text otherwise."""
    lang = normalise_lang(lang)
    texts = _bundled(lang)
    folder = folder or os.environ.get("MAKKER_TEMPLATES")
    if folder:
        own = Path(folder) / lang / "pack.json"
        if own.exists():
            try:
                texts.update(json.loads(own.read_text(encoding="utf-8-sig")))
            except ValueError:
                raise MakkerError("pack.bad_template", path=str(own)) from None
    texts["lang"] = lang  # dates are written in the language's one date style (i18n.date_text)
    return texts


class _Texts:
    """Template lookup with ``{field}`` filling that never crashes on a school's typo."""

    def __init__(self, texts: dict):
        self.texts = texts

    def __call__(self, key: str, **params) -> str:
        text = self.texts.get(key, key)
        try:
            return str(text).format(**params)
        except (KeyError, IndexError, ValueError):
            return str(text)

    def items(self, key: str, **params) -> list[str]:
        value = self.texts.get(key, [])
        items = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        return [self._fill(v, params) for v in items] if params else items

    @staticmethod
    def _fill(text: str, params: dict) -> str:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text

    def day(self, d: date | None) -> str:
        return date_text(d, self.texts.get("lang")) if d else ""

    def names(self, names: list[str]) -> str:
        if len(names) <= 1:
            return "".join(names)
        return f"{', '.join(names[:-1])} {self('and')} {names[-1]}"


# --------------------------------------------------------------------------- fonts and styles


@lru_cache(maxsize=1)
def _register_fonts() -> None:
    """DejaVu Sans (has æ, ø, å) from matplotlib's bundled fonts, which are always installed."""
    import matplotlib
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def _styles():
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("base", fontName=FONT, fontSize=11, leading=15)
    return {
        "title": ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=20, leading=25, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=13, leading=17, spaceAfter=10),
        "h2": ParagraphStyle("h2", base, fontName=FONT_BOLD, fontSize=15, leading=20, spaceBefore=8, spaceAfter=6),
        "body": base,
        "small": ParagraphStyle("small", base, fontSize=9, leading=12),
        "bullet": ParagraphStyle("bullet", base, leftIndent=14, bulletIndent=2, spaceAfter=3),
        "card": ParagraphStyle("card", base, fontSize=10, leading=13),
        "card_title": ParagraphStyle("card_title", base, fontName=FONT_BOLD, fontSize=11, leading=14),
    }


MAX_NAME = 60  # characters; a 10,000-character name would not fit a table cell (LayoutError)


def _clipped(plan: Plan) -> Plan:
    """The plan with overlong names shortened, so one odd name cannot break the whole pack."""
    from dataclasses import replace

    if all(len(s.name) <= MAX_NAME for s in plan.students):
        return plan
    students = [replace(s, name=s.name[:MAX_NAME - 1] + "…") if len(s.name) > MAX_NAME else s for s in plan.students]
    return replace(plan, students=students)


def _p(text: str, style):
    from reportlab.platypus import Paragraph

    return Paragraph(escape(text), style)


# --------------------------------------------------------------------------- content


def _rotation(plan: Plan, number: int) -> Rotation:
    rot = plan.rotation(number)
    if rot is not None:
        return rot
    raise MakkerError("pack.no_rotation", number=number, count=len(plan.rotations))


def _period(tx: _Texts, key: str, rot: Rotation, **extra) -> str:
    return tx(key, number=rot.number, start=tx.day(rot.start), end=tx.day(rot.end), **extra)


def _front(plan: Plan, rot: Rotation, tx: _Texts, st, school: str | None) -> list:
    from reportlab.lib import colors
    from reportlab.lib.units import cm
    from reportlab.platypus import Spacer, Table, TableStyle

    out = []
    if school:
        out.append(_p(school, st["small"]))
    out.append(_p(tx("title", klass=plan.klass), st["title"]))
    key = "subtitle" if rot.start and rot.end else "subtitle_no_dates"
    out.append(_p(_period(tx, key, rot), st["subtitle"]))
    out.append(_p(tx("groups_heading"), st["h2"]))
    rows = [[_p(tx("col_group"), st["card_title"]), _p(tx("col_pair"), st["card_title"]), _p(tx("col_names"), st["card_title"])]]
    spans: list[tuple] = []
    for gi, group in enumerate(rot.groups, start=1):
        first = len(rows)
        for pi, pair in enumerate(group, start=1):
            label = tx("group_label", group=gi) if pi == 1 else ""
            rows.append([_p(label, st["body"]), _p(tx("pair_label", pair=pi), st["body"]),
                         _p(tx.names([plan.name(s) for s in pair]), st["body"])])
        spans.append(("SPAN", (0, first), (0, len(rows) - 1)))
        spans.append(("LINEABOVE", (0, first), (-1, first), 1.0, colors.black))
    table = Table(rows, colWidths=[4.0 * cm, 3.4 * cm, 9.6 * cm], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5"))] + spans))
    out += [table, Spacer(1, 0.4 * cm), _p(tx("duties_heading"), st["h2"])]
    from reportlab.platypus import Paragraph

    out += [Paragraph(escape(line), st["bullet"], bulletText="•") for line in tx.items("duties")]
    return out


def _seating(plan: Plan, rot: Rotation, tx: _Texts, st, lang: str) -> list:
    """The seating chart from ``makker.charts`` as an image; a plain table if charts are unavailable."""
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, PageBreak

    out = [PageBreak(), _p(tx("seating_heading"), st["h2"]), _p(tx("seating_note"), st["small"])]
    from . import charts

    fig = charts.seating_chart(plan, rot.number, lang)
    png = charts.figure_bytes(fig, "png")
    width_in, height_in = fig.get_size_inches()
    max_w, max_h = 17 * cm, 22 * cm
    scale = min(max_w / width_in, max_h / height_in)
    out.append(Image(io.BytesIO(png), width=width_in * scale, height=height_in * scale))
    return out


def _contract(plan: Plan, rot: Rotation, gi: int, group, tx: _Texts, st) -> list:
    from reportlab.lib import colors
    from reportlab.lib.units import cm
    from reportlab.platypus import PageBreak, Spacer, Table, TableStyle

    names = [plan.name(s) for pair in group for s in pair]
    out = [PageBreak(), _p(tx("contract_heading", group=gi), st["title"])]
    if rot.start and rot.end:
        out.append(_p(_period(tx, "contract_period", rot), st["subtitle"]))
    out += [_p(tx("contract_intro"), st["body"]), Spacer(1, 0.3 * cm),
            _p(tx("contract_members") + " " + ", ".join(names), st["body"]), Spacer(1, 0.3 * cm)]
    fields = tx.items("contract_fields")
    # one page per contract: the writing boxes share what the names and signatures leave free
    free = 25.9 - 7.5 - 0.75 * len(names) - 1.1 * len(fields)
    box_h = max(1.2, min(3.4, free / max(1, len(fields)))) * cm
    for field in fields:
        box = Table([[_p(field, st["card_title"])], [""]], colWidths=[17 * cm], rowHeights=[None, box_h])
        box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, colors.grey)]))
        out += [box, Spacer(1, 0.2 * cm)]
    out.append(_p(tx("contract_signatures"), st["card_title"]))
    sign = Table([[n, ""] for n in names], colWidths=[6 * cm, 11 * cm], rowHeights=[0.75 * cm] * len(names))
    sign.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 9), ("LINEBELOW", (1, 0), (1, -1), 0.5, colors.black),
                              ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    return out + [sign]


def _cards(plan: Plan, rot: Rotation, tx: _Texts, st) -> list:
    from reportlab.lib import colors
    from reportlab.lib.units import cm
    from reportlab.platypus import PageBreak, Table, TableStyle

    cells: list[object] = []  # one card (a list of paragraphs) each; a blank pads the last row
    for group in rot.groups:
        members = [s for pair in group for s in pair]
        for pair in group:
            for sid in pair:
                buddy = tx.names([plan.name(o) for o in pair if o != sid])
                others = tx.names([plan.name(o) for o in members if o != sid])
                when = (_period(tx, "card_dates", rot) if rot.start and rot.end else _period(tx, "card_no_dates", rot))
                cells.append([_p(tx("card_title", name=plan.name(sid)), st["card_title"]),
                              _p(tx("card_buddy", buddy=buddy), st["card"]),
                              _p(tx("card_group", group=others), st["card"]), _p(when, st["card"])])
    rows = [cells[i:i + 2] for i in range(0, len(cells), 2)]
    if rows and len(rows[-1]) == 1:
        rows[-1].append("")
    table = Table(rows, colWidths=[8.5 * cm, 8.5 * cm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("DASH", (0, 0), (-1, -1), 3),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 8),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]))
    return [PageBreak(), _p(tx("cards_heading"), st["h2"]), _p(tx("card_intro"), st["small"]), table]


def _reflection(rot: Rotation, tx: _Texts, st) -> list:
    from reportlab.lib import colors
    from reportlab.lib.units import cm
    from reportlab.platypus import PageBreak, Spacer, Table, TableStyle

    out = [PageBreak(), _p(tx("reflection_heading"), st["title"]), _p(tx("reflection_intro"), st["body"]), Spacer(1, 0.4 * cm)]
    for q in tx.items("reflection_questions"):
        box = Table([[_p(q, st["card_title"])], [""]], colWidths=[17 * cm], rowHeights=[None, 5 * cm])
        box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, colors.grey)]))
        out += [box, Spacer(1, 0.3 * cm)]
    return out


def _letters(tx: _Texts, st, school: str | None = None) -> list:
    """The letters to students and parents, signed with the school's name, else by the contact teacher."""
    from reportlab.lib.units import cm
    from reportlab.platypus import PageBreak, Spacer

    out = []
    for who in ("letter_students", "letter_parents"):
        out += [PageBreak(), _p(tx(f"{who}_heading"), st["title"]), Spacer(1, 0.4 * cm)]
        for par in tx.items(who, school=school or tx("signature_fallback")):
            out += [_p(par, st["body"]), Spacer(1, 0.3 * cm)]
    return out


# --------------------------------------------------------------------------- the document


def class_pack(plan: Plan, rotation: int, lang: str | None = None, *, school: str | None = None,
               letters: bool = False, templates: str | Path | None = None) -> bytes:
    """The class pack PDF for one rotation, as bytes."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    lang = normalise_lang(lang)
    rot = _rotation(plan, rotation)
    plan = _clipped(plan)
    plan = dataclasses.replace(plan, klass=shown_name(plan, lang))  # «Faggruppe: R1» for a subject group
    tx = _Texts(load_template(lang, templates))
    _register_fonts()
    st = _styles()
    story = _front(plan, rot, tx, st, school) + _seating(plan, rot, tx, st, lang)
    for gi, group in enumerate(rot.groups, start=1):
        story += _contract(plan, rot, gi, group, tx, st)
    story += _cards(plan, rot, tx, st) + _reflection(rot, tx, st)
    if letters:
        story += _letters(tx, st, school)

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, tx("footer", klass=plan.klass, number=rot.number, page=doc.page))
        canvas.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=1.8 * cm,
                            bottomMargin=2 * cm, title=tx("title", klass=plan.klass), author="makker",
                            creator="makker", subject=_period(tx, "subtitle_no_dates", rot), lang=lang)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()


def letters_pdf(lang: str | None = None, *, school: str | None = None, templates: str | Path | None = None) -> bytes:
    """Only the start-of-year letters to students and to parents."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    tx = _Texts(load_template(lang, templates))
    _register_fonts()
    story = _letters(tx, _styles(), school)[1:]  # no page break before the first letter
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=2.5 * cm, rightMargin=2.5 * cm, author="makker",
                      creator="makker", title=tx("letter_students_heading")).build(story)
    return buf.getvalue()


def write_pack(plan: Plan, rotation: int, path: str | Path, lang: str | None = None, **kw) -> Path:
    path = Path(path)
    path.write_bytes(class_pack(plan, rotation, lang, **kw))
    return path
