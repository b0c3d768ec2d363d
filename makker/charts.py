"""Pictures of a plan: seating chart, acquaintance network, heat map, coverage.

Built with matplotlib's object API (``Figure`` + ``FigureCanvasAgg``), never
``pyplot``: no global figure registry, so charts can be made from widget
callbacks in a running kernel. Text uses DejaVu Sans (ships with matplotlib,
has æøå) and never parses ``$...$`` as mathtext, so a name is always shown as
written. Colour never carries meaning alone: groups carry printed numbers,
lines in the coverage chart differ in style and marker. Rules are never drawn;
presentation mode also hides previous school.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Sequence
from contextlib import contextmanager
from functools import wraps
from typing import Literal

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import BoundaryNorm, ListedColormap, Normalize, to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Rectangle

from .i18n import MakkerError, date_text, percent, t
from .metrics import bounds, coverage_curve, first_meetings, met_matrix, plan_shape
from .plan import Plan, Rotation
from .subjects import shown_name

FONT = "DejaVu Sans"
DPI = 110
RC = {
    "font.family": "sans-serif",
    "font.sans-serif": [FONT],
    "text.parse_math": False,
    "pdf.fonttype": 42,  # TrueType: real, extractable text in the PDF
    "ps.fonttype": 42,
    "svg.fonttype": "none",  # text stays text in the SVG
    "svg.hashsalt": "makker",  # same input -> same SVG
}
# Paul Tol's "muted" scheme: distinguishable with the common colour-vision deficiencies
PALETTE = ("#88CCEE", "#CC6677", "#DDCC77", "#117733", "#332288", "#AA4499", "#44AA99", "#999933", "#882255")
NODE_COLOUR = "#4477AA"
UNKNOWN_COLOUR = "#BBBBBB"
_LOCK = threading.RLock()  # rcParams are process-wide: one chart at a time


@contextmanager
def _style():
    with _LOCK, matplotlib.rc_context(RC):
        yield


def _styled(func):
    """Build the figure with makker's fonts and no mathtext."""
    @wraps(func)
    def wrapper(*args, **kwargs):
        with _style():
            return func(*args, **kwargs)
    return wrapper


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with the background."""
    r, g, b = to_rgb(background)
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "black" if lum > 0.45 else "white"


def _lighten(colour: str, amount: float = 0.75) -> tuple[float, float, float]:
    r, g, b = to_rgb(colour)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def _dates(rotation: Rotation, lang: str | None = None) -> str:
    if rotation.start and rotation.end:
        return f"{date_text(rotation.start, lang)}–{date_text(rotation.end, lang)}"
    return date_text(rotation.start, lang) if rotation.start else ""


def _first_names(plan: Plan, ids: Sequence[str]) -> dict[str, str]:
    """First names, with the surname's initial where two share a first name."""
    by_id = plan.by_id()

    def first(sid):
        s = by_id.get(sid)
        if not s:
            return sid
        return s.first or (s.name.split() or [sid])[0]

    names = {sid: first(sid) for sid in ids}
    counts: dict[str, int] = {}
    for name in names.values():
        counts[name] = counts.get(name, 0) + 1
    for sid, name in names.items():
        s = by_id.get(sid)
        if counts[name] > 1 and s:
            last = s.last or " ".join(s.name.split()[1:])
            names[sid] = f"{name} {last[:1]}." if last else name
    return names


def _initials(plan: Plan, sid: str) -> str:
    s = plan.by_id().get(sid)
    parts = (s.name if s else sid).split()
    return "".join(p[0] for p in parts[:3]) or sid


def _rotation(plan: Plan, number: int) -> Rotation:
    rot = plan.rotation(number)
    if rot is not None:
        return rot
    raise MakkerError("charts.no_rotation", rotation=number)


# --- seating chart -----------------------------------------------------------

DESK_W, DESK_H, GAP = 1.5, 0.8, 0.12
# Readable on a projector: names are SEATING_NAME_PT points, i.e. SEATING_NAME_PT * DPI / 72 pixels in the
# PNG (10.5 pt = 16 px; 13 pt = 19.9 px in presentation mode). The chart's natural width stays within
# SCREEN_PX, what a 1366 px wide screen leaves the chart, so the page shows it unshrunk.
SEATING_NAME_PT = {False: 10.5, True: 13.0}
SEATING_UNIT_IN = {False: 0.85, True: 0.95}  # inches per desk unit
SCREEN_PX = 1240
SEAT_GID = "makker-seat-"  # gid of each name on a desk (a running number, never the student's id)


def _desk_label(plan: Plan, sid: str, chars: int) -> str:
    s = plan.by_id().get(sid)
    if not s:
        return _clip(sid, chars)
    first = s.first or (s.name.split() or [sid])[0]
    last = s.last or " ".join(s.name.split()[1:])
    if not last or len(s.name) <= chars:
        return _clip(s.name, chars) if len(s.name) <= chars else f"{_clip(first, chars)}\n{_clip(last, chars)}".strip()
    return f"{_clip(first, chars)}\n{_clip(last, chars)}"


def _grid_columns(groups: int) -> int:
    return {1: 1, 2: 2, 3: 3, 4: 2}.get(groups, 3 if groups <= 6 else 4)


def _seating_width(cols: int, slot_w: float) -> float:
    return cols * (slot_w + 0.5) + 0.3


def _draw_group(ax, plan, group, number, x0, y0, slot_w, colour, fontsize, chars, tr, seats):
    """One block of desks: pairs side by side, the pairs front (top) to back."""
    rows = len(group)
    height = rows * (DESK_H + GAP) + GAP + 0.55
    ax.add_patch(FancyBboxPatch((x0, y0 - height), slot_w, height, boxstyle="round,pad=0.02,rounding_size=0.12",
                                facecolor=_lighten(colour), edgecolor=colour, linewidth=2))
    badge = FancyBboxPatch((x0 + 0.1, y0 - 0.47), 1.55, 0.38, boxstyle="round,pad=0.02,rounding_size=0.08",
                           facecolor=colour, edgecolor="black", linewidth=0.8)
    ax.add_patch(badge)
    ax.text(x0 + 0.1 + 0.775, y0 - 0.28, tr("charts.group_n", number=number), ha="center", va="center",
            fontsize=fontsize * 0.9, fontweight="bold", color=_text_colour(colour), parse_math=False)
    for pi, p in enumerate(group):
        y = y0 - 0.55 - GAP - pi * (DESK_H + GAP) - DESK_H
        ax.text(x0 + 0.12, y + DESK_H / 2, str(pi + 1), ha="center", va="center", fontsize=fontsize * 0.75,
                color="#333333", parse_math=False)
        for si, sid in enumerate(p):
            x = x0 + 0.25 + si * DESK_W
            ax.add_patch(Rectangle((x, y), DESK_W - 0.06, DESK_H, facecolor="white", edgecolor="#333333", linewidth=1))
            ax.text(x + (DESK_W - 0.06) / 2, y + DESK_H / 2, _desk_label(plan, sid, chars), ha="center", va="center",
                    fontsize=fontsize, linespacing=1.1, parse_math=False, gid=f"{SEAT_GID}{len(seats)}")
            seats.append(sid)
    return height


@_styled
def seating_chart(plan: Plan, rotation: int, lang: str = "nb", presentation: bool = False) -> Figure:
    """The classroom seen from above with the board at the top: each group a block of desks.

    Names are ``SEATING_NAME_PT`` points (larger in presentation mode); the groups wrap into fewer
    columns rather than shrink, so the chart is at most ``SCREEN_PX`` pixels wide at its own size.
    """
    tr = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
    rot = _rotation(plan, rotation)
    groups = list(rot.groups)
    widest = max((len(p) for g in groups for p in g), default=2)
    tallest = max((len(g) for g in groups), default=2)
    slot_w, slot_h = 0.35 + widest * DESK_W, 0.75 + tallest * (DESK_H + GAP) + GAP
    unit, fontsize = SEATING_UNIT_IN[bool(presentation)], SEATING_NAME_PT[bool(presentation)]
    cols = _grid_columns(max(1, len(groups)))
    while cols > 1 and _seating_width(cols, slot_w) * unit * DPI > SCREEN_PX:
        cols -= 1
    grid_rows = math.ceil(len(groups) / cols) if groups else 1
    width, height = _seating_width(cols, slot_w), grid_rows * (slot_h + 0.3) + 1.4
    fig = _figure(width * unit, height * unit)
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.9))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_aspect("equal")
    ax.set_axis_off()
    # the letters that fit on a desk at this size (DejaVu Sans: about 0.62 em a letter); the equal-aspect
    # axes fill 90 % of the figure's height, so a desk unit is 0.9 * unit inches
    desk_pt = (DESK_W - 0.06) * unit * 0.9 * 72
    chars = max(6, int(desk_pt / (0.62 * fontsize)) - 1)
    board_w = min(width * 0.6, 6)
    ax.add_patch(Rectangle(((width - board_w) / 2, height - 0.55), board_w, 0.4, facecolor="#2F4F4F", edgecolor="black"))
    ax.text(width / 2, height - 0.35, tr("charts.board"), ha="center", va="center", color="white",
            fontsize=fontsize, fontweight="bold", parse_math=False)
    seats: list[str] = []
    for gi, group in enumerate(groups):
        row, col = divmod(gi, cols)
        x0 = 0.3 + col * (slot_w + 0.5)
        y0 = height - 1.0 - row * (slot_h + 0.3)
        _draw_group(ax, plan, group, gi + 1, x0, y0, slot_w, PALETTE[gi % len(PALETTE)], fontsize, chars, tr, seats)
    title = tr("charts.seating_title", klass=shown_name(plan, lang), rotation=rot.number)
    if _dates(rot, lang):
        title += f" ({_dates(rot, lang)})"
    fig.suptitle(title, fontsize=fontsize + 3, fontweight="bold", parse_math=False)
    return fig


# --- acquaintance network ----------------------------------------------------

def _network_order(plan: Plan, presentation: bool) -> list[str]:
    """Node order on the circle from the whole plan, so ``upto`` never moves a node."""
    ids = [s.id for s in plan.students]
    for r in plan.rotations:
        ids += [sid for sid in r.members() if sid not in set(ids)]
    by_id = plan.by_id()

    def key(sid):
        s = by_id.get(sid)
        name = (s.name if s else sid).casefold()
        school = "" if presentation or not s else (s.school or "\uffff")
        return (school, name, sid)

    return sorted(ids, key=key)


def _rotation_colours(numbers: list[int]):
    numbers = numbers or [1]
    cmap = ListedColormap(matplotlib.colormaps["viridis"](
        [0.0] if len(numbers) == 1 else [i / (len(numbers) - 1) * 0.9 for i in range(len(numbers))]))
    edges = [numbers[0] - 0.5] + [(a + b) / 2 for a, b in zip(numbers, numbers[1:])] + [numbers[-1] + 0.5]
    return cmap, BoundaryNorm(edges, cmap.N)


def _school_colours(plan: Plan) -> dict[str | None, str]:
    schools = sorted({s.school for s in plan.students if s.school})
    colours: dict[str | None, str] = {sch: PALETTE[i % len(PALETTE)] for i, sch in enumerate(schools)}
    colours[None] = UNKNOWN_COLOUR
    return colours


@_styled
def network_chart(plan: Plan, upto: int | None = None, lang: str = "nb", presentation: bool = False) -> Figure:
    """Who has been in a group with whom, after rotation ``upto`` (default: all).

    Edges are coloured by the rotation in which the two first met. Nodes sit on
    a circle ordered by previous school (by name in presentation mode), fixed
    for the whole plan so stepping through rotations only adds lines.
    """
    from matplotlib.cm import ScalarMappable
    from matplotlib.collections import LineCollection

    tr = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
    order = _network_order(plan, presentation)
    n = len(order)
    pos = {sid: (math.cos(math.pi / 2 - 2 * math.pi * i / max(n, 1)), math.sin(math.pi / 2 - 2 * math.pi * i / max(n, 1)))
           for i, sid in enumerate(order)}
    numbers = [r.number for r in plan.rotations]
    upto_number = numbers[-1] if upto is None and numbers else (upto or 0)
    cmap, norm = _rotation_colours(numbers)
    meetings = first_meetings(plan, len([x for x in numbers if x <= upto_number]))
    fig = _figure(9.5, 8.8)
    ax = fig.add_axes((0.04, 0.13, 0.78, 0.78))
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_xlim(-1.45, 1.45)
    ax.set_ylim(-1.35, 1.35)
    links = sorted(meetings.items(), key=lambda kv: (-kv[1], sorted(kv[0])))  # earliest drawn on top
    segments = [[pos[a], pos[b]] for link, _ in links for a, b in [sorted(link)] if a in pos and b in pos]
    if segments:
        colours = [cmap(norm(num)) for link, num in links if all(s in pos for s in link)]
        ax.add_collection(LineCollection(segments, colors=colours, linewidths=1.6 if n <= 30 else 1.0, alpha=0.85, zorder=1))
    by_id = plan.by_id()
    school_colour = _school_colours(plan)
    node_colours = [NODE_COLOUR if presentation else school_colour.get(by_id[s].school if s in by_id else None, UNKNOWN_COLOUR)
                    for s in order]
    ax.scatter([pos[s][0] for s in order], [pos[s][1] for s in order], s=170 if n <= 30 else 90,
               c=node_colours, edgecolors="black", linewidths=0.8, zorder=2)
    labels = {s: _initials(plan, s) for s in order} if n > 32 else _first_names(plan, order)
    fontsize = 12 if presentation else (9 if n <= 30 else 7.5)
    for sid in order:
        x, y = pos[sid]
        ax.text(1.1 * x, 1.1 * y, labels[sid], ha="left" if x > 0.05 else "right" if x < -0.05 else "center",
                va="center", fontsize=fontsize, parse_math=False, zorder=3)
    cax = fig.add_axes((0.86, 0.2, 0.025, 0.62))
    bar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), cax=cax, ticks=numbers or [1])
    bar.set_label(tr("charts.network_colour_label"), parse_math=False)
    if not presentation:
        handles = [Line2D([], [], marker="o", linestyle="", markerfacecolor=school_colour[sch], markeredgecolor="black",
                          markersize=9, label=sch or tr("charts.unknown_school"))
                   for sch in list(school_colour) if sch is not None or any(not s.school for s in plan.students)]
        if handles:
            legend = fig.legend(handles=handles, loc="lower center", ncol=min(3, len(handles)), frameon=False,
                                title=tr("charts.school_legend"), fontsize=9)
            for txt in legend.get_texts():
                txt.set_parse_math(False)
    title = tr("charts.network_title", klass=plan.klass, rotation=upto_number)
    fig.suptitle(title, fontsize=14, fontweight="bold", parse_math=False)
    ax.text(0, -1.32, tr("charts.network_caption", links=len(meetings), students=n), ha="center", va="bottom",
            fontsize=9, color="#333333", parse_math=False)
    return fig


# --- heat map ----------------------------------------------------------------

@_styled
def heatmap_chart(plan: Plan, upto: int | None = None, lang: str = "nb", mode: str = "count") -> Figure:
    """Who has met whom: each cell the number of rotations in the same group
    (``mode="count"``) or the rotation of the first meeting (``mode="first"``)."""
    import numpy as np

    tr = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
    mm = met_matrix(plan, upto)
    n = len(mm.ids)
    values = np.array(mm.first if mode == "first" else mm.count, dtype=float).reshape(n, n)
    shown = np.ma.masked_where(values == 0, values) if mode == "first" else values.copy()
    if n:
        shown[np.diag_indices(n)] = np.ma.masked if mode == "first" else np.nan
    cell = 0.32 if n <= 20 else 0.25
    side, left, top, bottom, right = max(3.0, n * cell), 1.9, 1.7, 0.3, 1.5
    fig_w, fig_h = left + side + right, top + side + bottom
    fig = _figure(fig_w, fig_h)
    ax = fig.add_axes((left / fig_w, bottom / fig_h, side / fig_w, side / fig_h))
    cmap = matplotlib.colormaps["viridis" if mode == "first" else "Blues"].with_extremes(bad="#EEEEEE")
    top = max(1.0, float(values.max()) if n else 1.0)
    norm = Normalize(vmin=0 if mode == "count" else 1, vmax=top)
    image = ax.imshow(shown, cmap=cmap, norm=norm, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    names = _first_names(plan, mm.ids) if n > 24 else {sid: name for sid, name in zip(mm.ids, mm.names)}
    size = 9 if n <= 20 else 7 if n <= 32 else 6
    for i, sid in enumerate(mm.ids):
        label = _clip(names[sid], 22)
        ax.text(-0.7, i, label, ha="right", va="center", fontsize=size, parse_math=False)
        ax.text(i, -0.7, label, ha="left", va="bottom", rotation=60, rotation_mode="anchor", fontsize=size, parse_math=False)
    if 0 < n <= 32:
        for i in range(n):
            for j in range(n):
                if i != j and values[i, j]:
                    colour = _text_colour(to_hex(cmap(norm(float(values[i, j])))))
                    ax.text(j, i, str(int(values[i, j])), ha="center", va="center", fontsize=size * 0.9, color=colour)
    from matplotlib.ticker import MaxNLocator

    cax = fig.add_axes(((left + side + 0.3) / fig_w, bottom / fig_h, 0.22 / fig_w, side / fig_h))
    bar = fig.colorbar(image, cax=cax)
    bar.locator = MaxNLocator(integer=True)
    bar.update_ticks()
    bar.set_label(tr("charts.heatmap_first_label" if mode == "first" else "charts.heatmap_count_label"), parse_math=False)
    upto_number = plan.rotations[: upto if upto is not None else None][-1].number if plan.rotations[: upto if upto is not None else None] else 0
    fig.suptitle(tr("charts.heatmap_title", klass=plan.klass, rotation=upto_number), fontsize=14, fontweight="bold", parse_math=False)
    return fig


# --- coverage ------------------------------------------------------------------

def baseline_curve(plan: Plan, seeds: int = 5) -> list[float]:
    """Mean coverage of ``seeds`` random draws of the same class and length."""
    from .baseline import random_plan

    rotations = len(plan.rotations)
    if not rotations or not plan.students:
        return []
    curves = [coverage_curve(random_plan(plan.students, rotations, seed=s)) for s in range(seeds)]
    return [sum(c[i] for c in curves) / len(curves) for i in range(rotations)]


@_styled
def coverage_chart(plan: Plan, lang: str = "nb", baseline: Sequence[float] | Literal[False] | None = None) -> Figure:
    """Share of classmate pairs met after each rotation: plan, random draw, theoretical limit.

    ``baseline``: None draws 5 random plans; a list of shares is used as given;
    False leaves the random draw out.
    """
    tr = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
    curve = coverage_curve(plan)
    x = list(range(1, len(curve) + 1))
    n = len(plan.students) or len({s for r in plan.rotations for s in r.members()})
    limit = bounds(n, len(curve), plan_shape(plan, n)).coverage
    if baseline is None:
        baseline = baseline_curve(plan)
    fig = _figure(8.5, 5.2)
    ax = fig.add_axes((0.1, 0.12, 0.86, 0.72))
    pct = lambda values: [100 * v for v in values]  # noqa: E731
    ax.plot(x, pct(limit), linestyle=":", color="#555555", linewidth=2, marker="^", markersize=5, label=tr("charts.coverage_limit"))
    if baseline:
        ax.plot(x[: len(baseline)], pct(list(baseline)[: len(x)]), linestyle="--", color="#CC6677", linewidth=2,
                marker="s", markersize=6, label=tr("charts.coverage_random"))
    ax.plot(x, pct(curve), linestyle="-", color="#332288", linewidth=2.6, marker="o", markersize=7, label=tr("charts.coverage_plan"))
    if curve:
        ax.annotate(percent(curve[-1], lang), (x[-1], 100 * curve[-1]), textcoords="offset points", xytext=(6, -14),
                    fontsize=10, color="#332288")
    ax.set_xlim(0.5, max(1, len(x)) + 0.5)
    ax.set_ylim(0, 105)
    ax.set_xticks(x or [1])
    ax.set_xlabel(tr("charts.coverage_x"), parse_math=False)
    ax.set_ylabel(tr("charts.coverage_y"), parse_math=False)
    ax.grid(True, color="#DDDDDD")
    legend = ax.legend(loc="lower right", frameon=True)
    for txt in legend.get_texts():
        txt.set_parse_math(False)
    fig.suptitle(tr("charts.coverage_title", klass=plan.klass, students=n), fontsize=14, fontweight="bold", parse_math=False)
    return fig


# --- bytes -------------------------------------------------------------------------

FORMATS = ("png", "svg", "pdf")
A4_IN = (8.27, 11.69)  # portrait; a chart wider than tall goes on A4 landscape
A4_MARGIN_IN = 0.4


@contextmanager
def _on_a4(fig: Figure):
    """While saving, the figure is an A4 page (landscape when wider than tall) with the chart
    scaled to fit inside the margins and centred; texts keep their point sizes. Undone afterwards."""
    w, h = (float(v) for v in fig.get_size_inches())
    page_w, page_h = (A4_IN[1], A4_IN[0]) if w >= h else A4_IN
    s = min((page_w - 2 * A4_MARGIN_IN) / w, (page_h - 2 * A4_MARGIN_IN) / h)
    ox, oy = (page_w - w * s) / 2, (page_h - h * s) / 2
    moved = [(ax, ax.get_position(original=True).bounds) for ax in fig.axes]
    suptitle = getattr(fig, "_suptitle", None)  # matplotlib keeps the figure title here
    title = suptitle.get_position() if suptitle is not None else None
    try:
        for ax, (x0, y0, aw, ah) in moved:
            ax.set_position(((ox + x0 * w * s) / page_w, (oy + y0 * h * s) / page_h, aw * w * s / page_w, ah * h * s / page_h))
        if suptitle is not None and title is not None:
            suptitle.set_position(((ox + title[0] * w * s) / page_w, (oy + title[1] * h * s) / page_h))
        fig.set_size_inches(page_w, page_h)
        yield
    finally:
        fig.set_size_inches(w, h)
        for ax, bounds in moved:
            ax.set_position(bounds)
        if suptitle is not None and title is not None:
            suptitle.set_position(title)


def figure_bytes(fig: Figure, fmt: str = "png", dpi: int = DPI) -> bytes:
    """The figure as PNG (110 dpi unless told), SVG or PDF (TrueType fonts: real text; an A4 page to print)."""
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise MakkerError("charts.unknown_format", format=fmt)
    metadata = {"png": {"Software": "makker"}, "svg": {"Creator": "makker", "Date": None},
                "pdf": {"Creator": "makker", "CreationDate": None}}[fmt]
    buf = io.BytesIO()
    with _style():
        if fmt == "pdf":  # to print: an A4 page
            with _on_a4(fig):
                fig.savefig(buf, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
        else:
            fig.savefig(buf, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
    return buf.getvalue()
