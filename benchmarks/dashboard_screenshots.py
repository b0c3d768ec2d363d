"""Screenshots of the dashboard views for the README (docs/screenshots/).

Drives the real page (Voila on 127.0.0.1 + headless Debian Chromium, the
browser tests' harness) on the fictional 30-student sample in training mode.

Run:  .venv/bin/python benchmarks/dashboard_screenshots.py [--lang nb] [--rotations 6] [--time-limit 30]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "screenshots"
VIEWS = {"seating": ".makker-seating", "network": ".makker-network", "heatmap": ".makker-heatmap",
         "coverage": ".makker-coverage"}


def type_into_slider(page, css: str, value: int) -> None:
    readout = page.locator(f"{css} .widget-readout").first
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(str(value))
    page.keyboard.press("Enter")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="nb")
    parser.add_argument("--rotations", type=int, default=6)
    parser.add_argument("--time-limit", type=int, default=30)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "tests" / "browser"))
    import harness
    from playwright.sync_api import sync_playwright

    chromium = harness.find_chromium()
    if chromium is None:
        print(harness.HOW_TO_ENABLE)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with harness.VoilaServer() as server, sync_playwright() as p:
        context, _ = harness.launch_chromium(p, chromium)
        page = context.new_page()
        page.goto(f"{server.url}?mode=training&lang={args.lang}")
        page.wait_for_selector(".makker-roster-table tbody tr", timeout=180_000)
        time.sleep(1)
        page.screenshot(path=str(OUT / "load.png"))
        page.locator(".makker-tabs .lm-TabBar-tab").nth(1).click()
        page.wait_for_selector(".makker-preview-seating", state="visible", timeout=60_000)
        type_into_slider(page, ".makker-rotations", args.rotations)
        type_into_slider(page, ".makker-time-limit", args.time_limit)
        time.sleep(0.5)
        page.screenshot(path=str(OUT / "tune.png"))
        page.click(".makker-solve")
        page.wait_for_function("() => !document.querySelector('button.makker-solve').disabled", timeout=600_000)
        page.wait_for_selector(".makker-coverage", state="visible", timeout=120_000)
        time.sleep(1)
        for name, css in VIEWS.items():
            page.locator(css).first.screenshot(path=str(OUT / f"{name}.png"))
        page.locator(".makker-tabs .lm-TabBar-tab").nth(3).click()
        page.wait_for_selector("a.makker-download-xlsx", timeout=120_000)
        page.screenshot(path=str(OUT / "export.png"))
        context.close()
    for path in sorted(OUT.glob("*.png")):
        print(path.relative_to(REPO))
    return 0


if __name__ == "__main__":
    sys.exit(main())
