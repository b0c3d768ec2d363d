"""A closed or reloaded page ends its kernel, and a plan running in it.

Voila asks the server to shut a page's kernel down when the page goes away,
with the page's `_xsrf` cookie; a page from a preheated kernel had none, the
server refused (403), and every closed page left a kernel running: on a
county server a leak, in a training room the earlier pages' demonstration
plans slowing down the next page. Driven against a real Voila of its own (so
that other tests' pages do not count) in headless Chromium.
"""
from __future__ import annotations

import time

import harness
import psutil
import pytest

pytestmark = pytest.mark.browser


def _kernels(server) -> set[int]:
    out = set()
    for pid in server.children():
        try:
            if "ipykernel" in " ".join(psutil.Process(pid).cmdline()):
                out.add(pid)
        except psutil.Error:
            pass
    return out


def _until(condition, timeout: float = 90.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


@pytest.mark.parametrize("leave", ["close", "reload"])
def test_leaving_the_page_ends_its_kernel(browser_context, leave):
    with harness.VoilaServer(notebook="dashboards/opplaering.ipynb") as server:
        assert _until(lambda: len(_kernels(server)) >= 2), "the pool of preheated kernels did not fill"
        pool = _kernels(server)
        page = browser_context.new_page()
        page.set_default_timeout(90_000)
        page.goto(server.url)
        page.wait_for_selector(".makker-upload", state="visible")
        assert page.evaluate("/(?:^|;\\s*)_xsrf=/.test(document.cookie)")
        assert _until(lambda: len(_kernels(server) - pool) >= 1), "the pool was not refilled"
        served = pool - (pool - _kernels(server))  # the kernels of the pool that are still there
        if leave == "reload":
            page.reload()
            page.wait_for_selector(".makker-upload", state="visible")
        else:
            page.close(run_before_unload=True)
        # the page's own kernel goes; the ones waiting in the pool stay
        assert _until(lambda: len(served & _kernels(server)) < len(served)), server.log_text()[-2000:]
        assert "403 POST /voila/api/shutdown" not in server.log_text()
        if leave == "reload":
            page.close(run_before_unload=True)
