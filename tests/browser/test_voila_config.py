"""The Voila set-up: voila.json, the makker template, the optional token.

These start a real server where needed but no browser."""
from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import harness
import pytest

CONF = json.loads((harness.REPO / "voila.json").read_text(encoding="utf-8"))
TEMPLATE = harness.TEMPLATE_ROOT / "voila" / "templates" / "makker"


def test_voila_json_is_safe_by_default():
    assert CONF["Voila"]["ip"] == "127.0.0.1"
    assert CONF["VoilaConfiguration"]["show_tracebacks"] is False
    assert CONF["VoilaConfiguration"]["strip_sources"] is True
    assert CONF["VoilaConfiguration"]["resources"]["makker"]["title"] == "makker – VIP Makkerskap"
    cull = CONF["MappingKernelManager"]
    assert cull["cull_idle_timeout"] >= 3600  # the coordinator works slowly
    assert 0 < cull["cull_interval"] <= cull["cull_idle_timeout"]
    limit = CONF["Voila"]["tornado_settings"]["websocket_max_message_size"]
    from makker.app.load_model import MAX_UPLOAD_BYTES

    assert limit > 2 * MAX_UPLOAD_BYTES  # too-big files reach the app, which says so clearly
    guard = CONF["VoilaConfiguration"]["resources"]["makker"]["upload_guard_bytes"]
    assert MAX_UPLOAD_BYTES < guard < limit  # bigger files are cut short in the browser, see the template


def test_template_links_no_cdn():
    text = (TEMPLATE / "index.html.j2").read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)=["']https?://""", text)
    assert json.loads((TEMPLATE / "conf.json").read_text())["base_template"] == "lab"


def test_make_dashboard_serves_the_makker_template():
    recipe = (harness.REPO / "Makefile").read_text(encoding="utf-8").split("\ndashboard:", 1)[1].split("\n\n", 1)[0]
    assert "makker dashboard" in recipe
    from types import SimpleNamespace

    from makker.commands import dashboard

    cmd = dashboard.command(SimpleNamespace(port=8866, token="", training=False))
    assert "--template=makker" in cmd and "--Voila.ip=127.0.0.1" in cmd
    assert CONF["VoilaConfiguration"]["template"] == "makker"  # plain `voila dashboards/...` too


def _get(url: str, headers: dict | None = None) -> tuple[int, str]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=60) as r:
            if headers is not None:
                headers.update(r.headers.items())
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, ""


@pytest.mark.slow
def test_token_protects_the_page_on_a_shared_machine():
    token = "makker-test-token-0123456789"
    with harness.VoilaServer(extra_args=[f"--token={token}"]) as server:
        status, _ = _get(server.url)
        assert status in (302, 401, 403), status
        headers: dict = {}
        status, body = _get(server.url + f"?token={token}", headers)
        assert status == 200 and "makker – VIP Makkerskap" in body
        # Defence in depth: the browser may load nothing from other hosts.
        csp = headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp and "http" not in csp


@pytest.mark.parametrize("ci", ["", "true"])
def test_missing_chromium_skips_with_advice_but_fails_in_ci(ci, tmp_path):
    """Without a browser the suite says how to enable it; with CI=true it fails."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, MAKKER_CHROMIUM=str(tmp_path / "no-chromium"), CI=ci)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
         "tests/browser/test_load.py"],
        cwd=harness.REPO, env=env, capture_output=True, text=True, timeout=300,
    )
    out = proc.stdout + proc.stderr
    assert "sudo apt-get install chromium" in out
    if ci:
        assert proc.returncode == 1 and "CI=true" in out, out
    else:
        assert proc.returncode == 0 and "skipped" in out, out
