"""Two coordinators on one JupyterHub: each logs in, lands on makker's dashboard under the hub's
prefix, and works in a school year of their own that the other never sees.

A real JupyterHub on 127.0.0.1 with configurable-http-proxy from ``deploy/jupyterhub/node_modules``
(``make proxy``), ``deploy/jupyterhub/jupyterhub_config.py``, a dummy authenticator and the
local-process spawner; every request Chromium makes stays on 127.0.0.1.
"""
from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import dash
import harness
import pytest

from makker.roster import read_rosters
from makker.store import Workspace

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.hub]

DEPLOY = harness.REPO / "deploy" / "jupyterhub"
PROXY = DEPLOY / "node_modules" / ".bin" / "configurable-http-proxy"
BIN = Path(sys.executable).parent
USERS = ("kari", "ola")


class Hub(harness.VoilaServer):
    """``jupyterhub`` with makker's config and a test layer on top; ``stop()`` ends the users' servers too."""

    def __init__(self, folder: Path, password: str):
        super().__init__(cwd=folder)
        self.folder = folder
        self.data = folder / "data"
        self.password = password

    def config_text(self) -> str:
        allow_root = ["--allow-root"] if os.getuid() == 0 else []
        return f"""
c = get_config()
load_subconfig({str(DEPLOY / "jupyterhub_config.py")!r})
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {self.port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {harness.free_port()}
c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{harness.free_port()}"
c.ConfigurableHTTPProxy.pid_file = {str(self.folder / "proxy.pid")!r}
c.JupyterHub.db_url = "sqlite:///{self.folder / "jupyterhub.sqlite"}"
c.JupyterHub.cookie_secret_file = {str(self.folder / "cookie_secret")!r}
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {self.password!r}
c.Authenticator.allowed_users = {set(USERS)!r}
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(self.folder / "home" / "{username}")!r}
c.Spawner.cmd = [{str(BIN / "jupyterhub-singleuser")!r}]
c.Spawner.args = list(c.Spawner.args) + {allow_root!r}
"""

    def start(self, timeout: float = 120.0) -> "Hub":
        config = self.folder / "jupyterhub_test_config.py"
        config.write_text(self.config_text())
        env = harness.voila_env()
        env.pop("MAKKER_WORKSPACE", None)
        env["MAKKER_HUB_DATA"] = str(self.data)
        env["PATH"] = os.pathsep.join([str(BIN), env.get("PATH", "")])
        self._home = env["MAKKER_HOME"]
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([str(BIN / "jupyterhub"), "-f", str(config)], cwd=self.folder, env=env,
                                     stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyterhub exited early:\n{self.log_text()}")
            with contextlib.suppress(urllib.error.URLError, ConnectionError, OSError):
                with urllib.request.urlopen(self.url + "hub/api", timeout=2) as r:
                    if r.status == 200:
                        return
            time.sleep(0.5)
        raise RuntimeError(f"jupyterhub did not answer within {timeout} s:\n{self.log_text()}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.children()  # the proxy and the users' servers, to end them if the hub leaves them
            self.proc.send_signal(2)  # SIGINT: the hub stops the users' servers and the proxy itself
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(30)
        super().stop()


@pytest.fixture(scope="module")
def hub(chromium_path, tmp_path_factory):
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are not installed, so configurable-http-proxy cannot run "
                    "(sudo apt-get install nodejs npm && make proxy)")
    if not PROXY.exists():
        pytest.skip(f"configurable-http-proxy is not installed in {PROXY.parents[1]}: run `make proxy`")
    with Hub(tmp_path_factory.mktemp("hub"), secrets.token_urlsafe(12)) as server:
        yield server


def _log_in(page, hub, user: str) -> None:
    page.goto(hub.url + "hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", hub.password)
    page.click("#login_submit")
    page.wait_for_selector(f"{dash.APP} .makker-upload", state="visible", timeout=180_000)


def _classes(folder: Path) -> set[str]:
    return {info.name for f in folder.glob("*.sqlite") for info in Workspace(f).classes()}


def test_two_coordinators_each_have_their_own_school_year(hub, browser_context, sample_dir, tmp_path):
    src = tmp_path / "klasse_1BAA.csv"
    shutil.copy(sample_dir / "vg1_yrkesfag_15.csv", src)
    roster = read_rosters(src).rosters[0]
    first, second = USERS
    requests: list[str] = []

    def new_page():
        pg = browser_context.new_page()
        pg.set_default_timeout(60_000)
        pg.on("request", lambda r: requests.append(r.url))
        pg.on("websocket", lambda ws: requests.append(ws.url))
        return pg

    page = new_page()
    try:
        _log_in(page, hub, first)
        assert f"/user/{first}/voila/render/makkerskap.ipynb" in page.url
        assert "makker" in page.title()
        dash.upload(page, src)
        dash.wait_text(page, ".makker-source", re.escape(src.name))
        dash.plan_and_see_it_saved(page, roster.klass)
        page.goto(hub.url + "hub/logout")
    finally:
        page.close(run_before_unload=True)

    page = new_page()
    try:
        _log_in(page, hub, second)
        assert f"/user/{second}/voila/render/makkerskap.ipynb" in page.url
        dash.select_tab(page, "schoolyear")
        year_text = dash.text_of(page, ".makker-schoolyear")
        load_text = dash.visible_text(page)
        # the first coordinator's dashboard is not the second's to open
        response = page.goto(hub.url + f"user/{first}/voila/render/makkerskap.ipynb")
        foreign_status = response.status if response else 0
        foreign_app = page.locator(dash.APP).count()
        foreign_text = dash.visible_text(page)
    finally:
        page.close(run_before_unload=True)

    assert roster.klass not in year_text and roster.klass not in load_text
    assert not any(s.name in load_text + year_text + foreign_text for s in roster.students)
    assert foreign_app == 0, foreign_status
    # on disk: one folder per user, readable by that user only; the class is only in the first one's
    homes = {u: hub.data / u for u in USERS}
    assert all(h.is_dir() and (h.stat().st_mode & 0o077) == 0 for h in homes.values())
    assert _classes(homes[first]) == {roster.klass}
    assert roster.klass not in _classes(homes[second])
    assert any(f"127.0.0.1:{hub.port}/user/{first}/" in u for u in requests)
    assert any(f"127.0.0.1:{hub.port}/user/{second}/" in u for u in requests)
    assert not harness.off_127_0_0_1(requests)
