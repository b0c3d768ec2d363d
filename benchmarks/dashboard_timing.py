"""Dashboard timings: what a coordinator waits for (a benchmark, not a test).

1. kernel side (no browser): build the app, open the 30-student sample,
   slider -> preview (model + table + seating chart), Lag plan;
2. browser side (if Chromium is there): a real ``voila`` on 127.0.0.1 and
   headless Chromium: page open -> interactive, slider -> preview, Lag plan.

3. page loads (``--loads N``): N fresh pages of ``/?lang=nn``, with and without preheated
   kernels: request -> first control visible, and request -> interactive (choosing the
   30-student sample shows its roster); median and worst.

Run:  .venv/bin/python benchmarks/dashboard_timing.py [--rotations 4] [--time-limit 30] [--no-browser]
      .venv/bin/python benchmarks/dashboard_timing.py --loads 5 [--pause 10]
      .venv/bin/python benchmarks/dashboard_timing.py --delivery 5 [--pause 10] [--warmup 30]

4. ``--delivery N``: N fresh pages of the preheated dashboard (request -> first control; request ->
   interactive: an uploaded class list shown and rotation 1's preview there; nynorsk honoured) and
   of the training notebook (request -> first control), and of a one-button notebook served the
   same way (``benchmarks/voila_floor.ipynb``: what Voilà itself takes here); median and worst.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = "vg1_studiespesialisering_30.xlsx"
os.environ.setdefault("MAKKER_HOME", tempfile.mkdtemp(prefix="makker-bench-"))
os.environ.setdefault("MAKKER_WORKSPACE", str(Path(os.environ["MAKKER_HOME"]) / "bench.sqlite"))


def kernel_side(rotations: int, time_limit: float) -> dict[str, float]:
    began = time.perf_counter()
    from makker.app import AppModel, MakkerApp
    from makker.app.environment import Settings

    imported = time.perf_counter()
    model = AppModel(Settings(rotations=rotations, time_limit=time_limit), sample_dir=REPO / "sample_rosters")
    model.tune.preview_delay = 0  # measure the work itself; the page adds a 0.25 s debounce
    app = MakkerApp(model)
    built = time.perf_counter()
    model.load.load_sample(SAMPLE)
    loaded = time.perf_counter()
    moves = []
    for value in (9, 2, 7, 0, 5):
        t0 = time.perf_counter()
        model.tune.gender = value
        moves.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    model.tune.start_plan()
    model.tune.wait()
    planned = time.perf_counter() - t0
    status = model.tune.status.render("en") if model.tune.status else ""
    assert app.see_view.table.value
    return {
        "import makker.app (s)": imported - began,
        "build the app (s)": built - imported,
        "open 30-student sample incl. first preview (s)": loaded - built,
        "slider -> preview, median of 5 (s)": statistics.median(moves),
        "slider -> preview, planner only (s)": model.tune.preview_seconds,
        f"Lag plan, {rotations} rotations, limit {time_limit:g} s (s)": planned,
        "status": status,
    }


def browser_side(rotations: int, time_limit: float) -> dict[str, float]:
    sys.path.insert(0, str(REPO / "tests" / "browser"))
    import harness  # the browser tests' Voila + Chromium helpers

    chromium = harness.find_chromium()
    if chromium is None:
        return {"browser": "skipped (no Chromium)"}
    from playwright.sync_api import sync_playwright

    out: dict[str, float] = {}
    with harness.VoilaServer() as server, sync_playwright() as p:
        context, _profile = harness.launch_chromium(p, chromium)
        page = context.new_page()
        t0 = time.perf_counter()
        page.goto(server.url)
        page.wait_for_selector(".makker-sample-select select", state="visible", timeout=120_000)
        page.wait_for_selector(".makker-solve", state="attached", timeout=120_000)
        out["page open -> interactive (s)"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        page.locator(".makker-sample-select select").select_option(value=SAMPLE)
        page.wait_for_selector(".makker-roster-table tbody tr", timeout=60_000)
        out["choose 30-student sample -> roster shown (s)"] = time.perf_counter() - t0
        page.locator(".makker-tabs .lm-TabBar-tab").nth(1).click()
        page.wait_for_selector("[data-preview-count]", timeout=60_000)
        moves = []
        for key in ("ArrowRight", "ArrowLeft", "ArrowLeft", "ArrowRight"):
            before = page.locator("[data-preview-count]").first.get_attribute("data-preview-count")
            t0 = time.perf_counter()
            handle = page.locator(".makker-weight-gender .noUi-handle").first
            handle.focus()
            page.keyboard.press(key)
            page.wait_for_function(
                "(b) => { const e = document.querySelector('[data-preview-count]');"
                " return e && e.getAttribute('data-preview-count') !== b; }", arg=before, timeout=30_000)
            moves.append(time.perf_counter() - t0)
        out["slider -> preview in the page, median of 4 (s)"] = statistics.median(moves)
        for css, value in ((".makker-rotations", rotations), (".makker-time-limit", int(time_limit))):
            readout = page.locator(f"{css} .widget-readout").first
            readout.click()
            page.keyboard.press("Control+A")
            page.keyboard.type(str(value))
            page.keyboard.press("Enter")
        time.sleep(0.5)
        t0 = time.perf_counter()
        page.click(".makker-solve")
        page.wait_for_selector(".makker-seating", state="visible", timeout=600_000)
        page.wait_for_function("() => !document.querySelector('button.makker-solve').disabled", timeout=600_000)
        out[f"Lag plan in the page, {rotations} rotations (s)"] = time.perf_counter() - t0
        context.close()
    return out


def page_loads(loads: int, pause: float, preheat: bool) -> dict[str, str]:
    """Fresh pages of ``/?lang=nn``: request -> first control, request -> interactive."""
    sys.path.insert(0, str(REPO / "tests" / "browser"))
    import harness

    chromium = harness.find_chromium()
    if chromium is None:
        return {"page loads": "skipped (no Chromium)"}
    from playwright.sync_api import sync_playwright

    extra = [] if preheat else ["--VoilaConfiguration.preheat_kernel=False"]
    first, ready = [], []
    with harness.VoilaServer(extra_args=extra) as server, sync_playwright() as p:
        context, _profile = harness.launch_chromium(p, chromium)
        time.sleep(pause)  # the server has just started: let it fill its kernel pool
        for _ in range(loads):
            page = context.new_page()
            t0 = time.perf_counter()
            page.goto(server.url + "?lang=nn", wait_until="commit")
            page.wait_for_selector(".makker-sample-select select", state="visible", timeout=120_000)
            first.append(time.perf_counter() - t0)
            page.locator(".makker-sample-select select").select_option(value=SAMPLE)
            page.wait_for_selector(".makker-roster-table tbody tr", timeout=60_000)
            ready.append(time.perf_counter() - t0)
            page.close(run_before_unload=True)
            time.sleep(pause)  # a coordinator opens the page once; the pool refills meanwhile
        context.close()
    label = "preheated" if preheat else "no preheat"
    fmt = lambda xs: f"median {statistics.median(xs):.2f}, worst {max(xs):.2f}"  # noqa: E731
    return {f"{label}: request -> first control, {loads} loads (s)": fmt(first),
            f"{label}: request -> interactive (sample roster shown) (s)": fmt(ready)}


def _median_worst(xs: list[float | None], limit: float) -> str:
    done = [x for x in xs if x is not None]
    if not done:
        return f"none of {len(xs)} within {limit:g} s"
    text = f"median {statistics.median(done):.2f}, worst {max(done):.2f}"
    return text + (f"; {len(xs) - len(done)} of {len(xs)} not within {limit:g} s" if len(done) < len(xs) else "")


def delivery_loads(loads: int, pause: float, warmup: float, limit: float = 120.0) -> dict[str, str]:
    """What a coordinator waits for, on the server as ``makker dashboard`` configures it (preheated
    kernels): N fresh pages of ``/?lang=nn``: request -> first control (the upload button);
    request -> fully interactive (a class list uploaded through the file chooser is shown and
    rotation 1's preview is there); the page in nynorsk; and the training notebook's first control.
    A step that does not happen within ``limit`` seconds counts as not done (and ends that load)."""
    sys.path.insert(0, str(REPO / "tests" / "browser"))
    import dash
    import harness
    from playwright.sync_api import TimeoutError as PageTimeout

    from makker.i18n import t

    chromium = harness.find_chromium()
    if chromium is None:
        return {"page loads": "skipped (no Chromium)"}
    from playwright.sync_api import sync_playwright

    first: list[float | None] = []
    ready: list[float | None] = []
    training: list[float | None] = []
    floor: list[float | None] = []
    nynorsk = 0
    upload = REPO / "sample_rosters" / SAMPLE

    def load(server, steps: bool, into: list | None = None) -> None:
        page = context.new_page()
        page.set_default_timeout(limit * 1000)
        t0 = time.perf_counter()
        got_first = got_ready = None
        try:
            page.goto(server.url + "?lang=nn", wait_until="commit")
            page.wait_for_selector(".makker-upload", state="visible")
            got_first = time.perf_counter() - t0
            if steps:
                dash.upload(page, upload)
                page.wait_for_selector(".makker-roster-table tbody tr")
                dash.select_tab(page, "tune")
                page.wait_for_selector("[data-preview-count]")
                got_ready = time.perf_counter() - t0
        except PageTimeout:
            pass
        if steps:
            nonlocal nynorsk
            first.append(got_first)
            ready.append(got_ready)
            nynorsk += got_first is not None and t("app.tab.tune", "nn") in dash.visible_text(page)
        else:
            (training if into is None else into).append(got_first)
        print(f"  load: first control {got_first}, interactive {got_ready}", file=sys.stderr, flush=True)
        page.close(run_before_unload=True)
        time.sleep(pause)  # a coordinator opens the page once; the pool refills meanwhile

    with sync_playwright() as p:
        context, _profile = harness.launch_chromium(p, chromium)
        with harness.VoilaServer() as server:
            time.sleep(warmup)  # the server has just started: let it fill its kernel pool
            for _ in range(loads):
                load(server, True)
        with harness.VoilaServer(notebook="dashboards/opplaering.ipynb") as server:
            time.sleep(warmup)
            for _ in range(loads):
                load(server, False)
        with harness.VoilaServer(notebook="benchmarks/voila_floor.ipynb") as server:
            time.sleep(warmup)
            for _ in range(loads):
                load(server, False, floor)
        context.close()
    return {f"dashboard ?lang=nn: request -> first control, {loads} loads (s)": _median_worst(first, limit),
            "dashboard: request -> interactive (upload shown, preview there) (s)": _median_worst(ready, limit),
            "dashboard: page in nynorsk": f"{nynorsk} of {loads}",
            f"training notebook: request -> first control, {loads} loads (s)": _median_worst(training, limit),
            f"Voila floor (a page of one button): request -> it, {loads} loads (s)": _median_worst(floor, limit)}


def training_against(other: str, loads: int, pause: float, warmup: float, rounds: int = 2) -> dict[str, str]:
    """The training notebook's first control against ``other`` (a notebook path from the
    repository root, e.g. an earlier version saved with ``git show``), servers alternating
    other, training, other, training, ``loads`` pages of ``?lang=nn`` each."""
    sys.path.insert(0, str(REPO / "tests" / "browser"))
    import harness
    from playwright.sync_api import sync_playwright

    chromium = harness.find_chromium()
    if chromium is None:
        return {"page loads": "skipped (no Chromium)"}
    times: dict[str, list[float | None]] = {other: [], "dashboards/opplaering.ipynb": []}
    with sync_playwright() as p:
        context, _profile = harness.launch_chromium(p, chromium)
        for _ in range(rounds):
            for notebook, into in times.items():
                with harness.VoilaServer(notebook=notebook) as server:
                    time.sleep(warmup)
                    for _ in range(loads):
                        page = context.new_page()
                        page.set_default_timeout(120_000)
                        t0 = time.perf_counter()
                        page.goto(server.url + "?lang=nn", wait_until="commit")
                        page.wait_for_selector(".makker-upload", state="visible")
                        into.append(time.perf_counter() - t0)
                        print(f"  {notebook}: first control {into[-1]:.2f}", file=sys.stderr, flush=True)
                        page.close(run_before_unload=True)
                        time.sleep(pause)
        context.close()
    return {f"{notebook}: request -> first control, {len(xs)} loads (s)": _median_worst(xs, 120.0)
            for notebook, xs in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rotations", type=int, default=4)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--loads", type=int, default=0, help="only time N page loads, with and without preheat")
    parser.add_argument("--pause", type=float, default=10.0, help="seconds between page loads")
    parser.add_argument("--delivery", type=int, default=0, metavar="N",
                        help="only time N loads of the dashboard (first control, interactive, nynorsk) and the training notebook")
    parser.add_argument("--warmup", type=float, default=30.0, help="seconds between a server's start and its first page")
    parser.add_argument("--limit", type=float, default=120.0, help="seconds a step of --delivery may take")
    parser.add_argument("--training-against", metavar="NOTEBOOK",
                        help="time the training notebook's first control against this notebook (alternating servers)")
    args = parser.parse_args()
    if args.training_against:
        for key, value in training_against(args.training_against, args.loads or 4, args.pause, args.warmup).items():
            print(f"{key:<70} {value}")
        return 0
    if args.delivery:
        for key, value in delivery_loads(args.delivery, args.pause, args.warmup, args.limit).items():
            print(f"{key:<70} {value}")
        return 0
    if args.loads:
        results = {**page_loads(args.loads, args.pause, False), **page_loads(args.loads, args.pause, True)}
        for key, value in results.items():
            print(f"{key:<60} {value}")
        return 0
    results = kernel_side(args.rotations, args.time_limit)
    if not args.no_browser:
        try:
            results.update(browser_side(args.rotations, args.time_limit))
        except Exception as exc:  # noqa: BLE001 - still print the kernel-side figures
            results["browser"] = f"failed: {type(exc).__name__}: {str(exc).splitlines()[0]}"
    for key, value in results.items():
        print(f"{key:<60} {value:.2f}" if isinstance(value, float) else f"{key:<60} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
