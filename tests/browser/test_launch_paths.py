"""Every way of starting the page serves only local assets and honours ``?lang=``.

Each path starts its own server on 127.0.0.1 without ``JUPYTER_PATH`` (the template is found
from the package or the venv), and a fresh Chromium records every request and websocket."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dash
import harness
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BIN = Path(sys.executable).parent


PATHS = {
    "makker dashboard": (lambda port: [str(BIN / "makker"), "dashboard", f"--port={port}", "--no-browser"], None),
    "make dashboard": (lambda port: ["make", "-s", "dashboard", f"PORT={port}", f"VENV={BIN.parent}"], harness.REPO),
    "voila from the repository root": (
        lambda port: [str(BIN / "voila"), "dashboards/makkerskap.ipynb", f"--port={port}", "--no-browser"],
        harness.REPO),
}


@pytest.mark.parametrize("path", list(PATHS))
def test_launch_path_serves_only_127_0_0_1_and_honours_lang(path, browser_context, tmp_path):
    """One page of the session's Chromium (a second Playwright in one process is refused) per launch path."""
    if path == "make dashboard" and shutil.which("make") is None:
        pytest.skip("make is not installed")
    argv, cwd = PATHS[path]
    requests: list[str] = []
    with harness.LaunchedServer(argv, cwd or tmp_path) as server:
        page = browser_context.new_page()
        try:
            title = dash.open_recording(page, server.url, requests)
        finally:
            page.close(run_before_unload=True)
    assert "makker" in title  # the makker template, found without JUPYTER_PATH
    assert any(urlsplit(u).port == server.port for u in requests)
    foreign = harness.off_127_0_0_1(requests)
    assert not foreign, f"{path}: requests off 127.0.0.1: {foreign}"
