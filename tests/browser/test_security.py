"""Hostile input in a real browser: hostile names stay text, the kernel refuses code
sent over its websocket, no traceback or source reaches the page, uploads have
a size limit with a clear message, and the browser never talks to any host but
127.0.0.1 (checked over the whole browser test session)."""
from __future__ import annotations

import asyncio
import csv
import datetime as dt
import json
import re
import threading
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlsplit

import conftest
import dash
import pytest

from makker.i18n import t
from makker.roster import read_rosters

pytestmark = pytest.mark.browser

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    '"><svg onload=alert(3)>',
    "Nora <b>Hansen</b>",
]
TRACE = re.compile(r"Traceback|File \"|site-packages|\.py\", line \d+|\w+Error: ")


def _hostile_csv(path):
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, delimiter=";")
        out.writerow(["Navn", "Klasse", "Kjønn"])
        for i, name in enumerate(HOSTILE + ["Emil Berg", "Sara Lie", "Jonas Dahl", "Ida Moe"]):
            out.writerow([name, "1XSS", "J" if i % 2 else "G"])
    return path


def test_script_injection_names_render_as_text(page, voila_server, tmp_path):
    src = _hostile_csv(tmp_path / "xss.csv")
    names = [s.name for s in read_rosters(src).rosters[0].students]
    assert set(HOSTILE) <= set(names) and len(names) == 8  # hostile cells are kept as text
    dash.open_with_class_list(page, voila_server, src)
    dash.wait_text(page, ".makker-roster-table", re.escape(t("app.load.roster_caption", "nb", klass="1XSS", n=len(names))))

    table = dash.text_of(page, ".makker-roster-table")
    for name in HOSTILE:
        assert name in table, name  # shown literally, as text
    # The preview table and the rule pickers show the names too.
    dash.select_tab(page, "tune")
    dash.wait_text(page, ".makker-preview-table", re.escape(HOSTILE[0]))
    page.wait_for_timeout(1500)  # let an onerror/onload handler fire if it could
    injected = page.evaluate(
        """() => ({img: document.querySelectorAll("img[src='x'], img[src$='/x']").length,
                   svg: document.querySelectorAll('svg[onload]').length,
                   script: [...document.scripts].filter(s => s.textContent.includes('alert(2)')).length,
                   bold: [...document.querySelectorAll('.makker-app b')].filter(b => b.textContent === 'Hansen').length})"""
    )
    assert injected == {"img": 0, "svg": 0, "script": 0, "bold": 0}
    assert page.watch.dialogs == []
    assert page.watch.errors == []


def _kernel_socket_exchange(ws_url: str, code: str, timeout: float = 8.0) -> dict:
    """Talk to the kernel like a hostile script would; runs its own event loop."""
    from tornado.websocket import websocket_connect

    session = uuid.uuid4().hex

    def message(msg_type: str, content: dict) -> tuple[str, str]:
        msg_id = uuid.uuid4().hex
        return msg_id, json.dumps({
            "header": {"msg_id": msg_id, "username": "attacker", "session": session, "msg_type": msg_type,
                       "version": "5.3", "date": dt.datetime.now(dt.UTC).isoformat()},
            "parent_header": {}, "metadata": {}, "content": content, "channel": "shell", "buffers": [],
        })

    async def run() -> dict:
        conn = await websocket_connect(ws_url)
        exec_id, exec_msg = message("execute_request", {
            "code": code, "silent": False, "store_history": False, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True})
        info_id, info_msg = message("kernel_info_request", {})
        await conn.write_message(exec_msg)
        await conn.write_message(info_msg)
        replies: dict[str, list[str]] = {exec_id: [], info_id: []}
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while loop.time() < end:
            try:
                raw = await asyncio.wait_for(conn.read_message(), timeout=max(0.1, end - loop.time()))
            except TimeoutError:
                break
            if raw is None:
                break
            if isinstance(raw, bytes):
                continue
            msg = json.loads(raw)
            parent = msg.get("parent_header", {}).get("msg_id")
            if parent in replies:
                replies[parent].append(msg.get("msg_type") or msg["header"]["msg_type"])
        conn.close()
        return {"execute": replies[exec_id], "kernel_info": replies[info_id]}

    result: dict = {}

    def target():
        result.update(asyncio.run(run()))

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout + 15)
    return result


def test_execute_request_over_the_kernel_websocket_is_refused(page, voila_server, tmp_path):
    dash.open_dashboard(page, voila_server)
    kernel = dash.kernel_id(page)
    seen = [u for u in page.watch.sockets if kernel in u]
    assert seen, page.watch.sockets  # the page's own kernel channel
    ws_url = f"ws://127.0.0.1:{voila_server.port}/api/kernels/{kernel}/channels?session_id={uuid.uuid4()}"
    marker = tmp_path / "marker.txt"
    code = f"open({str(marker)!r}, 'w').write('pwned')"

    replies = _kernel_socket_exchange(ws_url, code)

    # The socket itself works (a harmless request is answered) ...
    assert "kernel_info_reply" in replies["kernel_info"], replies
    # ... but code is never run: no reply, no status, no marker file.
    assert replies["execute"] == [], replies
    assert not marker.exists()
    # The page still works afterwards.
    assert page.locator(".makker-upload").is_visible()


def test_kernel_list_is_not_exposed(voila_server):
    try:
        with urllib.request.urlopen(voila_server.url + "api/kernels", timeout=10) as r:
            status, body = r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        status, body = e.code, ""
    assert status != 200 or "[" not in body


def test_no_traceback_or_source_on_the_page_even_after_errors(page, voila_server, tmp_path):
    dash.open_dashboard(page, voila_server)
    html = page.content()
    assert "MakkerApp" not in html and "from makker" not in html  # sources stripped

    bad = tmp_path / "klasseliste.xlsx"
    bad.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 64)  # a broken Excel file
    dash.upload(page, bad)
    dash.wait_text(page, ".makker-error", r"klasseliste\.xlsx")
    garbage = tmp_path / "tom.csv"
    garbage.write_bytes(b"")
    dash.upload(page, garbage)
    dash.wait_text(page, ".makker-error", r"tom\.csv")

    shown = dash.visible_text(page)
    assert not TRACE.search(shown), TRACE.search(shown)
    assert not TRACE.search(page.content())
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    assert page.locator(".jp-RenderedText[data-mime-type*=error]").count() == 0


def test_upload_size_limit_has_a_clear_message(page, voila_server, tmp_path):
    big = tmp_path / "stor_klasseliste.csv"
    line = "Navn;Klasse\n" + "Kari Nordmann;1STA\n" * 400_000  # ~7 MB
    big.write_text(line, encoding="utf-8")
    dash.open_dashboard(page, voila_server)
    dash.upload(page, big)
    expected = t("app.error.upload_too_big", "nb", name=big.name, mb=5)
    dash.wait_text(page, ".makker-error", re.escape(expected[:40]))
    assert expected in dash.text_of(page, ".makker-error")
    # The connection survived the big message: the page still answers.
    dash.select_tab(page, "tune")
    dash.wait_text(page, ".makker-status", re.escape(t("app.status.idle", "nb")))


def test_upload_bigger_than_a_websocket_message_still_gets_the_message(page, voila_server, tmp_path):
    """Over the websocket cap (32 MB) the template sends only the first bytes and
    the real size, so the connection stays up and the dashboard explains."""
    huge = tmp_path / "enorm.csv"
    with huge.open("wb") as f:
        f.truncate(40 * 1024 * 1024)
    dash.open_dashboard(page, voila_server)
    dash.upload(page, huge)
    expected = t("app.error.upload_too_big", "nb", name=huge.name, mb=5)
    dash.wait_text(page, ".makker-error", re.escape(expected[:40]))
    src = tmp_path / "liten.csv"
    src.write_text("Navn;Klasse\nAda Berg;1A\nBo Li;1A\nCa Moe;1A\nDo Ness;1A\n", encoding="utf-8")
    dash.upload(page, src)  # the kernel connection is still alive
    dash.wait_text(page, ".makker-source", "liten.csv")


def test_served_html_links_nothing_outside_127_0_0_1(page, voila_server):
    dash.open_dashboard(page, voila_server)
    html = page.content()
    external = re.findall(r"""(?:src|href)\s*=\s*["'](?:https?:)?//(?!127\.0\.0\.1[:/])[^"']+""", html)
    assert external == []


def _host_ok(url: str) -> bool:
    scheme = url.split(":", 1)[0].lower()
    if scheme in ("data", "about", "chrome-error"):
        return True
    if scheme == "blob":
        url = url[len("blob:"):]
    return urlsplit(url).hostname == "127.0.0.1"


def test_every_request_goes_to_127_0_0_1():
    """Runs last (see conftest): everything the browser fetched in this session."""
    requests, sockets = conftest.SESSION_REQUESTS, conftest.SESSION_SOCKETS
    if not requests:
        pytest.skip("no browser test ran before this one")
    assert any(u.startswith("http://127.0.0.1") for u in requests)
    foreign = sorted({u for u in requests + sockets if not _host_ok(u)})
    assert foreign == [], foreign
    assert all(urlsplit(u).hostname == "127.0.0.1" for u in sockets)
