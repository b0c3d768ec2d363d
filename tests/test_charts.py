"""Charts: valid PNG/SVG/PDF, translated, names as written, nothing hidden leaks in presentation mode."""

import io
import subprocess
import sys
import threading
from datetime import date

import pytest
from pypdf import PdfReader

from makker.baseline import random_plan
from makker.charts import coverage_chart, figure_bytes, heatmap_chart, network_chart, seating_chart
from makker.fictional import fictional_students
from makker.i18n import MakkerError, t
from makker.metrics import bounds, coverage_curve, first_meetings
from makker.plan import Plan, Rotation
from makker.students import Student

MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-"}


def texts(fig) -> list[str]:
    return [t_.get_text() for t_ in fig.findobj(lambda o: hasattr(o, "get_text") and hasattr(o, "get_fontsize"))]


def norse_plan() -> Plan:
    names = [("Kjærstin", "Sæther", "K", "Nordby ungdomsskole"), ("Håkon", "Ødegård", "M", "Solberg ungdomsskole"),
             ("Åse", "Strøm", "K", "Nordby ungdomsskole"), ("Øyvind", "Aas", "M", None), ("Ylva", "Næss", "K", "Solberg ungdomsskole"),
             ("Bjørn", "Myhre", "M", "Nordby ungdomsskole"), ("Ragnhild", "Haugland", "K", None), ("Trygve", "Rønning", "M", None),
             ("Sigrid", "Lie", "K", None)]
    students = [Student(str(100 + i), f"{f} {l}", f, l, "2STB", g, s) for i, (f, l, g, s) in enumerate(names)]
    plan = random_plan(students, 4, seed=1)
    return plan.with_rotations([Rotation(r.number, r.groups, date(2026, 8, 17), date(2026, 9, 4)) for r in plan.rotations])


@pytest.fixture(scope="module")
def plan():
    return norse_plan()


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_every_chart_gives_valid_bytes(plan, fmt):
    for fig in (seating_chart(plan, 1), network_chart(plan, 2), heatmap_chart(plan, 3), coverage_chart(plan, baseline=False)):
        data = figure_bytes(fig, fmt)
        if fmt == "svg":
            assert data.lstrip().startswith(b"<?xml") and b"<svg" in data[:1000]
        else:
            assert data.startswith(MAGIC[fmt])
        assert len(data) > 2000


def test_pdf_has_real_text_with_norwegian_letters(plan):
    pdf = PdfReader(io.BytesIO(figure_bytes(seating_chart(plan, 2, "nb"), "pdf")))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "Tavle" in text and "Kjærstin" in text and "Ødegård" in text and "Åse" in text
    assert "makker" in str(pdf.metadata.get("/Creator"))


def test_figure_bytes_rejects_unknown_format(plan):
    with pytest.raises(MakkerError) as err:
        figure_bytes(coverage_chart(plan, baseline=False), "gif")
    assert "gif" in err.value.message("en")


@pytest.mark.parametrize("make", [
    lambda p, lang: seating_chart(p, 1, lang),
    lambda p, lang: network_chart(p, 2, lang),
    lambda p, lang: heatmap_chart(p, 2, lang),
    lambda p, lang: coverage_chart(p, lang, baseline=False),
])
def test_titles_are_translated(plan, make):
    titles = {lang: make(plan, lang)._suptitle.get_text() for lang in ("nb", "nn", "en")}
    assert len(set(titles.values())) == 3
    assert all("2STB" in title for title in titles.values())


def test_seating_chart_shows_every_student_group_numbers_and_board(plan):
    rotation = plan.rotations[1]
    fig = seating_chart(plan, rotation.number, "en")
    joined = "\n".join(texts(fig))
    for sid in rotation.members():
        s = plan.by_id()[sid]
        assert s.first in joined and s.last in joined
    for g in range(1, len(rotation.groups) + 1):
        assert f"Group {g}" in texts(fig)
    assert "Board" in texts(fig) and "17 Aug 2026" in fig._suptitle.get_text()  # the English date style in English
    assert "Tavle" in texts(seating_chart(plan, 1, "nn"))


def test_seating_chart_unknown_rotation(plan):
    with pytest.raises(MakkerError):
        seating_chart(plan, 99)


def test_names_are_shown_as_written_never_as_mathtext():
    students = [Student("1", "$x^2$ Hansen", "$x^2$", "Hansen", "1STA"), *fictional_students(7, 1)]
    plan = random_plan(students, 2)
    fig = seating_chart(plan, 1)
    svg = figure_bytes(fig, "svg")
    assert b"$x^2$" in svg
    assert b"$x^2$" in figure_bytes(network_chart(plan, None), "svg")
    assert b"$x^2$ Hansen" in figure_bytes(heatmap_chart(plan, None), "svg")


def test_network_edges_follow_first_meetings_and_nodes_do_not_move(plan):
    from matplotlib.collections import LineCollection, PathCollection

    def parts(upto):
        ax = network_chart(plan, upto).axes[0]
        lines = [c for c in ax.collections if isinstance(c, LineCollection)]
        nodes = [c for c in ax.collections if isinstance(c, PathCollection)][0]
        return (len(lines[0].get_segments()) if lines else 0), nodes.get_offsets().tolist()

    early, late = parts(1), parts(4)
    assert early[0] == len(first_meetings(plan, 1)) and late[0] == len(first_meetings(plan, 4))
    assert late[0] > early[0]
    assert early[1] == late[1]
    assert parts(0)[0] == 0


def test_presentation_network_hides_previous_school(plan):
    schools = {s.school for s in plan.students if s.school}
    normal = network_chart(plan, 3, "nb")
    shown = "\n".join(texts(normal))
    assert normal.legends and all(s in shown for s in schools)
    hidden = network_chart(plan, 3, "nb", presentation=True)
    assert not hidden.legends
    svg = figure_bytes(hidden, "svg").decode("utf-8")
    assert not any(s in svg for s in schools)
    assert t("charts.school_legend", "nb") not in svg
    colours = {tuple(c) for c in hidden.axes[0].collections[-1].get_facecolors().tolist()}
    assert len(colours) == 1


def test_coverage_chart_lines(plan):
    fig = coverage_chart(plan, "en")
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    assert set(lines) == {"This plan", "Random draw (mean)", "Theoretical best"}
    assert [round(y, 6) for y in lines["This plan"].get_ydata()] == [round(100 * c, 6) for c in coverage_curve(plan)]
    limit = bounds(len(plan.students), len(plan.rotations)).coverage
    assert [round(y, 6) for y in lines["Theoretical best"].get_ydata()] == [round(100 * c, 6) for c in limit]
    assert all(a <= b + 1e-9 for a, b in zip(lines["This plan"].get_ydata(), lines["Theoretical best"].get_ydata()))
    styles = {line.get_linestyle() for line in lines.values()}
    assert len(styles) == 3  # not colour alone
    given = coverage_chart(plan, "en", baseline=[0.1, 0.2, 0.3, 0.4])
    ys = {line.get_label(): list(line.get_ydata()) for line in given.axes[0].get_lines()}
    assert ys["Random draw (mean)"] == [10.0, 20.0, 30.0, 40.0]
    assert len(coverage_chart(plan, "en", baseline=False).axes[0].get_lines()) == 2


def test_heatmap_counts(plan):
    fig = heatmap_chart(plan, 2, "nb")
    image = fig.axes[0].get_images()[0]
    data = image.get_array()
    assert data.shape == (9, 9)
    first = first_meetings(plan, 2)
    together = sum(1 for link in first)
    nonzero = sum(1 for i in range(9) for j in range(9) if i != j and data[i, j] > 0)
    assert nonzero == 2 * together
    fig_first = heatmap_chart(plan, None, "nb", mode="first")
    assert fig_first.axes[0].get_images()[0].get_array().max() <= len(plan.rotations)


def test_charts_work_for_large_classes_and_from_threads():
    plan = random_plan(fictional_students(40, 3), 3, seed=2)
    results = {}

    def build(name, make):
        results[name] = figure_bytes(make(), "png")

    jobs = [threading.Thread(target=build, args=(name, make)) for name, make in [
        ("seat", lambda: seating_chart(plan, 3, presentation=True)),
        ("net", lambda: network_chart(plan, None)),
        ("heat", lambda: heatmap_chart(plan, None)),
    ]]
    for job in jobs:
        job.start()
    for job in jobs:
        job.join()
    assert set(results) == {"seat", "net", "heat"} and all(v.startswith(MAGIC["png"]) for v in results.values())


def test_charts_never_import_pyplot():
    code = ("import sys, makker.charts as c, makker.baseline as b, makker.fictional as f\n"
            "p = b.random_plan(f.fictional_students(8), 2)\n"
            "c.figure_bytes(c.seating_chart(p, 1), 'png'); c.figure_bytes(c.coverage_chart(p), 'pdf')\n"
            "assert 'matplotlib.pyplot' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


# --- readable on a projector and on paper ----------------------------------------

def _seats(fig):
    from makker.charts import SEAT_GID

    return [o for o in fig.findobj(lambda o: str(getattr(o, "get_gid", lambda: "")() or "").startswith(SEAT_GID))]


@pytest.mark.parametrize("presentation", [False, True])
@pytest.mark.parametrize("n", [12, 13, 17, 22, 25, 29, 31, 34])
def test_seating_names_are_14_px_or_more_and_the_chart_fits_a_1366_px_screen(n, presentation):
    """At its own size the chart is at most SCREEN_PX wide (what a 1366 px screen leaves it), so the page
    shows it unshrunk; every name is then font size * DPI / 72 px: 16 px, 19.9 px in presentation mode."""
    from makker.charts import DPI, SCREEN_PX

    plan = random_plan(fictional_students(n, seed=n), 1, seed=n, klass="1STA")
    fig = seating_chart(plan, 1, "nb", presentation=presentation)
    width_px = fig.get_size_inches()[0] * DPI
    assert width_px <= SCREEN_PX
    seats = _seats(fig)
    assert len(seats) == n
    px = [s.get_fontsize() * DPI / 72 for s in seats]
    assert min(px) >= (19 if presentation else 14)
    renderer = fig.canvas.get_renderer()
    desks = [p for p in fig.axes[0].patches if type(p).__name__ == "Rectangle" and p.get_facecolor()[:3] == (1, 1, 1)]
    desk_px = fig.axes[0].transData.transform((desks[0].get_width(), 0))[0] - fig.axes[0].transData.transform((0, 0))[0]
    assert all(s.get_window_extent(renderer).width <= desk_px for s in seats)  # every name inside its desk


def test_presentation_mode_draws_the_names_larger():
    plan = random_plan(fictional_students(26, seed=2), 1, seed=2, klass="1STA")
    normal, shown = (min(s.get_fontsize() for s in _seats(seating_chart(plan, 1, presentation=p))) for p in (False, True))
    assert shown > normal


@pytest.mark.parametrize("make", [
    lambda p: seating_chart(p, 1), lambda p: network_chart(p, 2), lambda p: heatmap_chart(p, 2),
    lambda p: coverage_chart(p, baseline=False)])
def test_chart_pdfs_are_a4_pages_and_the_figure_keeps_its_size(make):
    plan = random_plan(fictional_students(31, seed=5), 3, seed=5, klass="1STA")
    fig = make(plan)
    before = tuple(fig.get_size_inches())
    page = PdfReader(io.BytesIO(figure_bytes(fig, "pdf"))).pages[0]
    size = sorted((round(float(page.mediabox.width)), round(float(page.mediabox.height))))
    assert size == [595, 842]
    assert tuple(fig.get_size_inches()) == before
    assert figure_bytes(fig, "png") == figure_bytes(make(plan), "png")  # saving a PDF left the figure as it was
