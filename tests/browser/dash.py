"""What a coordinator does on the page, as small Playwright steps.

Selectors are the ``makker-*`` CSS classes of ``docs/interfaces.md``; ipywidgets
puts the class on the widget's outer element, so inner controls are reached
with a descendant selector (``.makker-lang select``).
"""
from __future__ import annotations

import re
from pathlib import Path

from makker.i18n import t

APP = ".makker-app"
TAB = ".makker-tabs .lm-TabBar-tab"
TABS = {"load": 0, "tune": 1, "see": 2, "export": 3, "schoolyear": 4, "overview": 5, "evaluation": 6}


OPEN_TIMEOUT = 180_000  # ms: on a busy machine a kernel may take long to start; the page must still come


def open_dashboard(page, server, query: str = "") -> None:
    """Load the page and wait until the app's widgets are live (kernel answered)."""
    page.goto(server.url + (f"?{query}" if query else ""), wait_until="commit", timeout=OPEN_TIMEOUT)
    page.wait_for_selector(f"{APP} .makker-upload", state="visible", timeout=OPEN_TIMEOUT)


def upload(page, path: Path, css: str = ".makker-upload") -> None:
    """Click the upload button ``css`` and answer the browser's file chooser."""
    with page.expect_file_chooser() as chooser:
        page.click(css)
    chooser.value.set_files(str(path))


def open_with_class_list(page, server, path: Path) -> None:
    """Load the page, upload the class list ``path`` and wait until the load panel names the file."""
    open_dashboard(page, server)
    upload(page, path)
    wait_text(page, ".makker-source", re.escape(path.name))


def select_tab(page, name: str) -> None:
    page.locator(TAB).nth(TABS[name]).click()


def tab_labels(page) -> list[str]:
    return [s.strip() for s in page.locator(f"{TAB} .lm-TabBar-tabLabel").all_inner_texts()]


def text_of(page, css: str) -> str:
    return page.locator(css).first.inner_text()


def wait_text(page, css: str, pattern: str, timeout: float = 60_000) -> None:
    """Wait until the element's text matches ``pattern`` (a regex)."""
    page.wait_for_function(
        "([css, pat]) => { const e = document.querySelector(css);"
        " return !!e && new RegExp(pat).test(e.innerText); }",
        arg=[css, pattern],
        timeout=timeout,
    )


def set_slider(page, css: str, value: int) -> None:
    """Type a value into an ipywidgets slider's editable readout (like a user can)."""
    readout = page.locator(f"{css} .widget-readout").first
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(str(value))
    page.keyboard.press("Enter")
    wait_text(page, f"{css} .widget-readout", rf"^\s*{value}\s*$", timeout=10_000)


def nudge_slider(page, css: str, key: str = "ArrowRight") -> None:
    """Move a slider from the keyboard: focus its handle and press an arrow key."""
    handle = page.locator(f"{css} .noUi-handle").first
    handle.focus()
    page.keyboard.press(key)


def slider_value(page, css: str) -> str:
    return page.locator(f"{css} .widget-readout").first.inner_text().strip()


def choose(page, css: str, label: str) -> None:
    page.locator(f"{css} select").first.select_option(label=label)


def image_ok(page, css: str) -> dict:
    """Size and source of the <img> of an Image widget (ipywidgets uses blob: URLs)."""
    return page.evaluate(
        """(css) => { const el = document.querySelector(css);
            const img = el && (el.tagName === 'IMG' ? el : el.querySelector('img'));
            if (!img) return {found: false};
            const r = img.getBoundingClientRect();
            return {found: true, src: img.src, complete: img.complete,
                    w: img.naturalWidth, h: img.naturalHeight, shown: r.width > 0 && r.height > 0}; }""",
        css,
    )


def wait_image(page, css: str, timeout: float = 60_000) -> dict:
    page.wait_for_function(
        """(css) => { const el = document.querySelector(css);
            const img = el && (el.tagName === 'IMG' ? el : el.querySelector('img'));
            return !!img && img.complete && img.naturalWidth > 0 && img.getBoundingClientRect().width > 0; }""",
        arg=css,
        timeout=timeout,
    )
    return image_ok(page, css)


def visible_text(page) -> str:
    """What a person sees: ``innerText`` skips display:none parts."""
    return page.evaluate("document.body.innerText")


def download(page, css: str, folder: Path) -> Path:
    """Click the download link ``css`` and save the file into ``folder``."""
    with page.expect_download() as info:
        page.click(css)
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def kernel_id(page) -> str:
    return page.evaluate(
        "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def plan_and_see_it_saved(page, klass: str, rotations: int = 3, time_limit: int = 10) -> None:
    """«Lag plan» in tab 2 with a few rotations, then the school-year tab says the class is saved."""
    select_tab(page, "tune")
    set_slider(page, ".makker-rotations", rotations)
    set_slider(page, ".makker-time-limit", time_limit)
    page.click(".makker-solve")
    done = re.escape(t("app.status.done", "nb", n=rotations, seconds="§")).replace("§", r"[\d.,]+")
    timed_out = re.escape(t("app.status.timed_out", "nb", n=rotations, seconds="§")).replace("§", r"[\d.,]+")
    wait_text(page, ".makker-status", f"{done}|{timed_out}", timeout=120_000)
    select_tab(page, "schoolyear")
    saved = re.escape(t("schoolyear.ui.saved", "nb", klass=klass, revision="§")).replace("§", r"\d+")
    wait_text(page, ".makker-schoolyear-status", saved)


def open_recording(page, url: str, requests: list[str], lang: str = "nn") -> str:
    """Open the dashboard with every request and websocket noted in ``requests``; the page's title."""
    page.on("request", lambda r: requests.append(r.url))
    page.on("websocket", lambda ws: requests.append(ws.url))
    page.set_default_timeout(120_000)
    page.goto(f"{url}?lang={lang}")
    page.wait_for_selector(".makker-upload", state="visible")
    page.wait_for_function("(text) => document.body.innerText.includes(text)", arg=t("app.tab.tune", lang))
    return page.title()
