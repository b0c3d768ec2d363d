"""The seating chart on a 1366×768 screen: every name at least 14 px, larger in presentation mode.

The chart is a PNG (``makker.charts.seating_chart``), so there is no CSS font size to read. The names'
rendered size is measured from the figure instead: a name is drawn at ``SEATING_NAME_PT`` points, which is
``SEATING_NAME_PT * DPI / 72`` pixels of the PNG, and the page shows the PNG at
``rendered width / natural width`` of its size (``getBoundingClientRect().width / naturalWidth``). Their
product is the height of a name's em box on the screen in CSS pixels, the same quantity as a CSS
``font-size``. The test also checks that the chart is not cut off at the right edge of the screen.
"""
from __future__ import annotations

import csv
import random
import re

import dash
import pytest

from makker.charts import DPI, SEATING_NAME_PT
from makker.fictional import fictional_roster
from makker.i18n import t

pytestmark = pytest.mark.browser

SCREEN = {"width": 1366, "height": 768}


def _class_file(path, n: int, seed: int):
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["Navn", "Klasse", "Kjønn"])
        for s in fictional_roster(n, seed=seed, klass="1STK").students:
            out.writerow([s.name, "1STK", {"K": "J", "M": "G"}.get(s.gender, "")])
    return path


def _shown(page) -> dict:
    return page.evaluate(
        """() => { const img = document.querySelector('.makker-seating img') || document.querySelector('img.makker-seating');
            const r = img.getBoundingClientRect();
            return {src: img.src, natural: img.naturalWidth, width: r.width, left: r.left, right: r.right,
                    screen: document.documentElement.clientWidth}; }""")


def _name_px(shown: dict, presentation: bool) -> float:
    return SEATING_NAME_PT[presentation] * DPI / 72 * shown["width"] / shown["natural"]


@pytest.mark.parametrize("seed", [5])
def test_seating_chart_names_are_14_px_or_more_at_1366_by_768(browser_context, voila_server, tmp_path, seed):
    n = random.Random(seed).randint(25, 34)  # a full class: the widest charts
    src = _class_file(tmp_path / f"klasse_{n}.csv", n, seed)
    page = browser_context.new_page()
    page.set_viewport_size(SCREEN)
    page.set_default_timeout(60_000)
    page.set_default_navigation_timeout(180_000)  # a busy machine starts kernels slowly
    try:
        dash.open_with_class_list(page, voila_server, src)
        dash.select_tab(page, "tune")
        dash.set_slider(page, ".makker-rotations", 2)
        dash.set_slider(page, ".makker-time-limit", 5)
        page.click(".makker-solve")
        done = re.escape(t("app.status.done", "nb", n=2, seconds="§")).replace("§", r"[\d.,]+")
        timed_out = re.escape(t("app.status.timed_out", "nb", n=2, seconds="§")).replace("§", r"[\d.,]+")
        dash.wait_text(page, ".makker-status", f"{done}|{timed_out}", timeout=120_000)
        dash.select_tab(page, "see")
        dash.wait_image(page, ".makker-seating")
        normal = _shown(page)
        assert normal["right"] <= normal["screen"] + 0.5 and normal["left"] >= 0, normal  # nothing cut off
        assert _name_px(normal, False) >= 14, normal

        page.locator(".makker-presentation input[type=checkbox]").check()
        page.wait_for_function("(old) => { const img = document.querySelector('.makker-seating img')"
                               " || document.querySelector('img.makker-seating');"
                               " return img && img.complete && img.naturalWidth > 0 && img.src !== old; }",
                               arg=normal["src"])
        shown = _shown(page)
        assert shown["right"] <= shown["screen"] + 0.5, shown
        assert _name_px(shown, True) >= 18 and _name_px(shown, True) > _name_px(normal, False), (shown, normal)
        print(f"n={n}: names {_name_px(normal, False):.1f} px, presentation {_name_px(shown, True):.1f} px "
              f"(chart {normal['width']:.0f}/{normal['natural']} px, {shown['width']:.0f}/{shown['natural']} px)")
    finally:
        page.close(run_before_unload=True)
