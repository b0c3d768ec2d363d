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
import math
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


SEAT_NAME_PT, SEAT_MIN_PT = 12.0, 10.0  # names on the seating page: 12 pt, never below 10 pt


def _fit_name(name: str, first: str, last: str, width: float, height: float = 1e9) -> tuple[list[str], float]:
    """The lines and font size of a name on a desk ``width`` × ``height`` points: one line at 12 pt down to
    10 pt, else first and last name on two lines, else at 10 pt a too-long word broken with «-» over a third
    line; only a name that still does not fit is cut with «…»."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def fits(lines, size, lead=1.15):
        return all(stringWidth(line, FONT, size) <= width for line in lines) and len(lines) * size * lead <= height

    candidates = [[name]] + ([[first, last]] if first and last else [])
    for size in (SEAT_NAME_PT, 11.0, SEAT_MIN_PT):  # the largest size that fits, on one line or two
        for lines in candidates:
            if fits(lines, size):
                return lines, size
    broken: list[str] = []
    for line in candidates[-1]:
        while stringWidth(line, FONT, SEAT_MIN_PT) > width:
            spaces = [i for i, ch in enumerate(line) if ch == " " and stringWidth(line[:i], FONT, SEAT_MIN_PT) <= width]
            if spaces:  # between words first
                broken.append(line[:spaces[-1]])
                line = line[spaces[-1] + 1:]
                continue
            k = len(line) - 1
            while k > 2 and stringWidth(line[:k] + "-", FONT, SEAT_MIN_PT) > width:
                k -= 1
            broken.append(line[:k] + "-")
            line = line[k:]
        broken.append(line)
    if fits(broken, SEAT_MIN_PT, 1.1):
        return broken, SEAT_MIN_PT
    out = []
    for line in candidates[-1]:
        while line and stringWidth(line + "…", FONT, SEAT_MIN_PT) > width:
            line = line[:-1]
        out.append(line + "…" if line != "" else "…")
    return out, SEAT_MIN_PT


class SeatingChart:
    """The seating chart drawn as vector text on the page (a platypus Flowable): the board at the top,
    each group a block of desks, the names at least ``SEAT_MIN_PT`` points."""

    GAP, PAD, BADGE, LABEL, DESK_GAP, DESK_MIN_H, DESK_MAX_W = 10.0, 5.0, 18.0, 12.0, 4.0, 30.0, 130.0
    PALETTE = ("#88CCEE", "#CC6677", "#DDCC77", "#117733", "#332288", "#AA4499", "#44AA99", "#999933", "#882255")

    def __init__(self, plan: Plan, rot: Rotation, board: str, group_label):
        from reportlab.platypus import Flowable

        self.plan, self.rot, self.board, self.group_label = plan, rot, board, group_label
        self.flowable = type("SeatingFlowable", (Flowable,), {"wrap": lambda _f, w, h: self._wrap(w, h),
                                                              "draw": lambda f: self._draw(f)})()

    def _wrap(self, width, height):
        self.width, self.height = width, height - 2
        return width, self.height

    def layout(self, width: float, height: float) -> tuple[int, float, float]:
        """(columns, desk width, desk height): the grid of groups whose desks are widest and still tall enough."""
        groups = self.rot.groups
        count = max(1, len(groups))
        widest = max((len(p) for g in groups for p in g), default=2)
        tallest = max((len(g) for g in groups), default=2)
        best = None
        for cols in range(1, count + 1):
            rows = math.ceil(count / cols)
            slot_w = (width - (cols - 1) * self.GAP) / cols
            slot_h = (height - (rows - 1) * self.GAP) / rows
            desk_w = (slot_w - 2 * self.PAD - self.LABEL - (widest - 1) * self.DESK_GAP) / widest
            desk_h = min(60.0, (slot_h - self.BADGE - 2 * self.PAD - (tallest - 1) * self.DESK_GAP) / tallest)
            key = (desk_h >= self.DESK_MIN_H, desk_w if desk_h >= self.DESK_MIN_H else desk_h)
            if best is None or key > best[0]:
                best = (key, cols, desk_w, desk_h)
        assert best is not None
        return best[1], best[2], best[3]

    def _draw(self, flowable):
        from reportlab.lib import colors

        c = flowable.canv
        board_h = 22.0
        board_w = min(self.width * 0.5, 300)
        c.setFillColor(colors.HexColor("#2F4F4F"))
        c.rect((self.width - board_w) / 2, self.height - board_h, board_w, board_h, fill=1, stroke=0)
        c.setFillColor(colors.white)
        c.setFont(FONT_BOLD, 12)
        c.drawCentredString(self.width / 2, self.height - board_h + 7, self.board)
        top = self.height - board_h - self.GAP
        cols, desk_w, desk_h = self.layout(self.width, top)
        rows = math.ceil(max(1, len(self.rot.groups)) / cols)
        slot_w = (self.width - (cols - 1) * self.GAP) / cols
        slot_h = (top - (rows - 1) * self.GAP) / rows
        by_id = self.plan.by_id()
        for gi, group in enumerate(self.rot.groups):
            row, col = divmod(gi, cols)
            x0, y1 = col * (slot_w + self.GAP), top - row * (slot_h + self.GAP)
            # a group of two pairs gets taller desks than the group of three (room for a long name's lines)
            gdesk_h = max(desk_h, min(60.0, (slot_h - self.BADGE - 2 * self.PAD - (len(group) - 1) * self.DESK_GAP)
                                      / max(1, len(group))))
            used = self.BADGE + 2 * self.PAD + len(group) * gdesk_h + (len(group) - 1) * self.DESK_GAP
            colour = colors.HexColor(self.PALETTE[gi % len(self.PALETTE)])
            light = colors.Color(*(v + (1 - v) * 0.75 for v in (colour.red, colour.green, colour.blue)))
            c.setStrokeColor(colour)
            c.setFillColor(light)
            c.setLineWidth(1.5)
            c.roundRect(x0, y1 - used, slot_w, used, 6, fill=1, stroke=1)
            c.setFillColor(colors.black)
            c.setFont(FONT_BOLD, 11)
            c.drawString(x0 + self.PAD, y1 - self.PAD - 11, self.group_label(gi + 1))
            # a group without the trio gets wider desks (up to DESK_MAX_W), not empty space
            own = max(len(p) for p in group)
            group_desk_w = min(max(desk_w, self.DESK_MAX_W),
                               (slot_w - 2 * self.PAD - self.LABEL - (own - 1) * self.DESK_GAP) / own)
            for pi, pair in enumerate(group):
                y = y1 - self.BADGE - self.PAD - (pi + 1) * gdesk_h - pi * self.DESK_GAP
                c.setFont(FONT, 10)
                c.setFillColor(colors.HexColor("#333333"))
                c.drawCentredString(x0 + self.PAD + self.LABEL / 2 - 2, y + gdesk_h / 2 - 3.5, str(pi + 1))
                for si, sid in enumerate(pair):
                    x = x0 + self.PAD + self.LABEL + si * (group_desk_w + self.DESK_GAP)
                    c.setStrokeColor(colors.HexColor("#333333"))
                    c.setFillColor(colors.white)
                    c.setLineWidth(0.8)
                    c.rect(x, y, group_desk_w, gdesk_h, fill=1, stroke=1)
                    s = by_id.get(sid)
                    name = self.plan.name(sid)
                    first = (s.first if s and s.first else (name.split() or [""])[0])
                    last = (s.last if s and s.last else " ".join(name.split()[1:]))
                    lines, size = _fit_name(name, first, last, group_desk_w - 6, gdesk_h - 1)
                    lead = size * (1.15 if len(lines) < 3 else 1.1)
                    base = y + gdesk_h / 2 + (len(lines) - 1) * lead / 2 - size * 0.35
                    c.setFillColor(colors.black)
                    c.setFont(FONT, size)
                    for li, line in enumerate(lines):
                        c.drawCentredString(x + group_desk_w / 2, base - li * lead, line)


def _seating(plan: Plan, rot: Rotation, tx: _Texts, st, lang: str) -> list:
    """The seating chart on a page of its own, A4 landscape, drawn as text (names at least 10 pt)."""
    from reportlab.platypus import NextPageTemplate, PageBreak

    from .i18n import t

    chart = SeatingChart(plan, rot, t("charts.board", lang), lambda n: t("charts.group_n", lang, number=n))
    heading = tx("seating_heading")
    when = _period(tx, "subtitle" if rot.start and rot.end else "subtitle_no_dates", rot)
    return [NextPageTemplate("landscape"), PageBreak(), _p(f"{heading} – {plan.klass}", st["h2"]),
            _p(when, st["body"]), _p(tx("seating_note"), st["body"]), chart.flowable, NextPageTemplate("portrait")]


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


def _document(buf, footer_text, first: str = "portrait", **meta):
    """An A4 document with a portrait page template and a landscape one (the seating chart's page);
    its first page is ``first``."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import cm
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    def footer(canvas, doc):
        if footer_text is None:
            return
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawRightString(canvas._pagesize[0] - 2 * cm, 1.2 * cm, footer_text(doc.page))
        canvas.restoreState()

    wide = landscape(A4)
    portrait = PageTemplate("portrait", [Frame(2 * cm, 2 * cm, A4[0] - 4 * cm, A4[1] - 3.8 * cm, id="portrait")],
                            onPage=footer, pagesize=A4)
    across = PageTemplate("landscape", [Frame(1.5 * cm, 1.7 * cm, wide[0] - 3 * cm, wide[1] - 3.2 * cm, id="landscape")],
                          onPage=footer, pagesize=wide)
    order = [portrait, across] if first == "portrait" else [across, portrait]
    return BaseDocTemplate(buf, pagesize=order[0].pagesize, pageTemplates=order, author="makker", creator="makker", **meta)


def class_pack(plan: Plan, rotation: int, lang: str | None = None, *, school: str | None = None,
               letters: bool = False, templates: str | Path | None = None) -> bytes:
    """The class pack PDF for one rotation, as bytes (A4; the seating chart on an A4 landscape page)."""
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
    buf = io.BytesIO()
    doc = _document(buf, lambda page: tx("footer", klass=plan.klass, number=rot.number, page=page),
                    title=tx("title", klass=plan.klass), subject=_period(tx, "subtitle_no_dates", rot), lang=lang)
    doc.build(story)
    return buf.getvalue()


def seating_pdf(plan: Plan, rotation: int, lang: str | None = None, *, templates: str | Path | None = None) -> bytes:
    """Only the seating chart of one rotation: one A4 landscape page, names at least 10 pt."""
    lang = normalise_lang(lang)
    rot = _rotation(plan, rotation)
    plan = dataclasses.replace(_clipped(plan), klass=shown_name(plan, lang))
    tx = _Texts(load_template(lang, templates))
    _register_fonts()
    story = _seating(plan, rot, tx, _styles(), lang)[2:-1]  # no page break: the page is the document
    buf = io.BytesIO()
    doc = _document(buf, None, "landscape", title=f"{tx('seating_heading')} – {plan.klass}", lang=lang)
    doc.build(story)
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
