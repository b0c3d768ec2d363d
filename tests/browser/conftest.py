"""Fixtures for the browser tests: one real Voila server and one headless
Chromium per test session, and a fresh page (= a fresh kernel) per test.

Every request and websocket the browser opens during the session is recorded,
so ``test_security.py`` can check that nothing ever leaves 127.0.0.1.
"""
from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path

import harness
import pytest

SESSION_REQUESTS: list[str] = []  # every URL the browser requested (all pages)
SESSION_SOCKETS: list[str] = []  # every websocket URL the pages opened
LAST_TESTS = ("test_every_request_goes_to_127_0_0_1",)


SERVERS: list = []  # running session servers, for their log when a test fails


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing browser test shows the tail of the Voila server's log."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and SERVERS:
        for server in SERVERS:
            report.sections.append((f"voila log ({server.url})", server.log_text()[-4000:]))


def pytest_collection_modifyitems(config, items):
    """Run the whole-session network check after every other browser test."""
    last = [i for i in items if i.name in LAST_TESTS]
    items[:] = [i for i in items if i.name not in LAST_TESTS] + last


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = harness.find_chromium()
    if path is None:
        if harness.in_ci():
            pytest.fail("CI=true but " + harness.HOW_TO_ENABLE, pytrace=False)
        pytest.skip(harness.HOW_TO_ENABLE)
    return path


@pytest.fixture(scope="session")
def voila_server(chromium_path):
    """The dashboard served exactly like ``make dashboard`` (on a free port)."""
    if not (harness.REPO / harness.NOTEBOOK).exists():
        pytest.fail(f"{harness.NOTEBOOK} is missing", pytrace=False)
    server = harness.VoilaServer().start()
    SERVERS.append(server)
    yield server
    SERVERS.remove(server)
    server.stop()


@contextmanager
def _server_on(workspace: Path):
    """A Voila server of its own whose workspace file outlives pages and kernels (like ``make dashboard``)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("MAKKER_WORKSPACE", str(workspace))
    try:
        server = harness.VoilaServer().start()
    finally:
        mp.undo()
    SERVERS.append(server)
    try:
        yield server
    finally:
        SERVERS.remove(server)
        server.stop()


@pytest.fixture(scope="session")
def serve_workspace(chromium_path):
    """``with serve_workspace(path) as server``: a server of its own on the workspace file ``path``."""
    return _server_on


@pytest.fixture(scope="module")
def workspace_server(serve_workspace, tmp_path_factory):
    """A server of its own on a workspace file of its own, shared by the tests of a module: (server, workspace path)."""
    workspace = tmp_path_factory.mktemp("skoleaar") / "2026-2027.sqlite"
    with serve_workspace(workspace) as server:
        yield server, workspace


@pytest.fixture(scope="session")
def browser_context(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context, profile = harness.launch_chromium(p, chromium_path)
        context.on("request", lambda r: SESSION_REQUESTS.append(r.url))
        context.on("page", lambda pg: pg.on("websocket", lambda ws: SESSION_SOCKETS.append(ws.url)))
        yield context
        context.close()
    shutil.rmtree(profile, ignore_errors=True)


class PageWatch:
    """What a page did besides rendering: dialogs, page errors, websockets."""

    def __init__(self, page):
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.sockets: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("websocket", lambda ws: self.sockets.append(ws.url))

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()


@pytest.fixture
def page(browser_context, voila_server):
    """A new tab; closing it runs ``beforeunload`` so Voila ends its kernel."""
    pg = browser_context.new_page()
    pg.set_default_timeout(60_000)
    pg.watch = PageWatch(pg)
    yield pg
    try:
        pg.close(run_before_unload=True)
    except Exception:  # noqa: BLE001 - the page may already be gone
        pass


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return harness.REPO / "sample_rosters"
