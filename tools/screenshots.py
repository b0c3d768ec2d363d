"""Take the README screenshots from the real dashboard.

    .venv/bin/python tools/screenshots.py [--out docs/screenshots] [--rotations 6]

Starts Voila and Debian's headless Chromium exactly like the browser tests
(``tests/browser/harness.py``), loads the fictional 30-student sample class,
runs «Lag plan» and saves the seating chart, acquaintance network, heat map,
coverage curve and whole-page views as PNG files. Only fictional names appear.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))
sys.path.insert(0, str(REPO))

import dash  # noqa: E402
import harness  # noqa: E402
from makker.i18n import t  # noqa: E402

SAMPLE = "vg1_studiespesialisering_30.xlsx"
VIEWS = {
    "seating": ".makker-seating",
    "network": ".makker-network",
    "heatmap": ".makker-heatmap",
    "coverage": ".makker-coverage",
}


def _to_top(page) -> None:
    """Voila scrolls inside a container, not the window: scroll everything back up."""
    page.evaluate("() => { window.scrollTo(0, 0); document.querySelectorAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0; }); }")
    page.wait_for_timeout(300)


def _plan(page, rotations: int, time_limit: int) -> None:
    dash.choose(page, ".makker-sample-select", SAMPLE)
    dash.wait_text(page, ".makker-roster-table", re.escape(t("app.load.roster_caption", "nb", klass="1STA", n=30)))
    page.screenshot(path=str(_out / "klasseliste.png"))
    dash.select_tab(page, "tune")
    dash.set_slider(page, ".makker-rotations", rotations)
    dash.set_slider(page, ".makker-time-limit", time_limit)
    page.click(".makker-solve")
    done = re.escape(t("app.status.done", "nb", n=rotations, seconds="§")).replace("§", r"[\d.,]+")
    timed_out = re.escape(t("app.status.timed_out", "nb", n=rotations, seconds="§")).replace("§", r"[\d.,]+")
    dash.wait_text(page, ".makker-status", f"{done}|{timed_out}", timeout=(time_limit + 120) * 1000)


def take(out: Path, rotations: int, time_limit: int) -> list[Path]:
    global _out
    _out = out
    out.mkdir(parents=True, exist_ok=True)
    chromium = harness.find_chromium()
    if chromium is None:
        raise SystemExit(harness.HOW_TO_ENABLE)
    from playwright.sync_api import sync_playwright

    saved = []
    with harness.VoilaServer() as server, sync_playwright() as p:
        context, _profile = harness.launch_chromium(p, chromium)
        page = context.new_page()
        page.set_default_timeout(120_000)
        dash.open_dashboard(page, server)
        _plan(page, rotations, time_limit)
        saved.append(out / "klasseliste.png")
        dash.select_tab(page, "see")
        for name, css in VIEWS.items():
            dash.wait_image(page, css)
            path = out / f"{name}.png"
            page.locator(f"img{css}, {css} img").first.screenshot(path=str(path))
            saved.append(path)
        _to_top(page)
        page.screenshot(path=str(out / "dashboard.png"))
        saved.append(out / "dashboard.png")
        page.locator(".makker-presentation input[type=checkbox]").check()
        dash.wait_text(page, ".makker-title", re.escape(t("app.mode.presentation", "nb")))
        time.sleep(1.0)
        dash.select_tab(page, "see")
        dash.wait_image(page, ".makker-seating")
        _to_top(page)
        page.screenshot(path=str(out / "presentasjonsmodus.png"))
        saved.append(out / "presentasjonsmodus.png")
        page.close(run_before_unload=True)
        context.close()
    return saved


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    ap.add_argument("--rotations", type=int, default=6)
    ap.add_argument("--time-limit", type=int, default=40)
    args = ap.parse_args(argv)
    for path in take(args.out, args.rotations, args.time_limit):
        print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
