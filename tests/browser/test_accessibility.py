"""An automated accessibility check of the
dashboard page in Chromium (WCAG 2.1 AA: names and visible labels of controls,
text contrast, keyboard focus). The checker is ``a11y.js`` next to this file."""
from __future__ import annotations

import shutil
from pathlib import Path

import dash
import pytest

pytestmark = pytest.mark.browser

CHECKER = (Path(__file__).parent / "a11y.js").read_text(encoding="utf-8")


def check(page) -> dict:
    return page.evaluate(CHECKER)


@pytest.fixture(scope="module")
def loaded_page(browser_context, voila_server, sample_dir, tmp_path_factory):
    """One tab for this module: the dashboard with a class loaded, so tables and
    rule controls are there too (the checks only read the page and move focus)."""
    src = tmp_path_factory.mktemp("a11y") / "klasse.csv"
    shutil.copy(sample_dir / "vg1_yrkesfag_15.csv", src)
    page = browser_context.new_page()
    page.set_default_timeout(60_000)
    dash.open_with_class_list(page, voila_server, src)
    yield page
    page.close(run_before_unload=True)


@pytest.mark.parametrize("tab", ["load", "tune", "see", "export"])
def test_controls_named_labelled_and_readable(loaded_page, tab):
    page = loaded_page
    dash.select_tab(page, tab)
    page.wait_for_timeout(500)
    result = check(page)
    assert result["controls"] > 3  # the checker saw the page
    assert result["names"] == [], f"controls without an accessible name: {result['names']}"
    assert result["labels"] == [], f"widgets without a visible label: {result['labels']}"
    assert result["contrast"] == [], f"text below WCAG AA contrast: {result['contrast']}"


def test_checker_finds_problems(page, voila_server):
    """The checker must be able to fail: inject an unnamed input and grey-on-white text."""
    dash.open_dashboard(page, voila_server)
    page.evaluate(
        """() => { const d = document.createElement('div');
        d.innerHTML = '<input type=text><p style="color:#bbb;background:#fff">low contrast</p>';
        document.querySelector('.makker-app').appendChild(d); }"""
    )
    result = check(page)
    assert any(p.startswith("input[text]") for p in result["names"])
    assert any("low contrast" in p for p in result["contrast"])


KEYBOARD_TARGETS = (".makker-lang", ".makker-presentation", ".makker-sample-select", ".makker-upload", ".makker-tabs")


def test_keyboard_reaches_controls_with_visible_focus(loaded_page):
    """Tab through the page: the main controls get focus, and focus is visible."""
    page = loaded_page
    dash.select_tab(page, "load")
    page.locator("body").click(position={"x": 2, "y": 2})
    reached, invisible = set(), []
    for _ in range(40):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """(targets) => { const el = document.activeElement;
            if (!el || el === document.body) return null;
            const s = getComputedStyle(el);
            const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
            const hit = targets.filter(t => el.closest(t));
            return {hit, ring, tag: el.tagName, cls: el.className}; }""",
            list(KEYBOARD_TARGETS),
        )
        if not info:
            continue
        reached.update(info["hit"])
        if info["hit"] and not info["ring"]:
            invisible.append(f"{info['tag']}.{info['cls']}")
    assert reached >= set(KEYBOARD_TARGETS), f"not reachable by Tab: {set(KEYBOARD_TARGETS) - reached}"
    assert invisible == [], f"focused without a visible focus indicator: {invisible}"


def test_tabs_switch_from_keyboard(loaded_page):
    page = loaded_page
    dash.select_tab(page, "load")
    page.locator(dash.TAB).nth(0).focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelectorAll('.makker-tabs .lm-TabBar-tab')[1].getAttribute('aria-selected') === 'true'"
    )
