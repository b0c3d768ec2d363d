"""Start a real Voila server and Debian's Chromium for the browser tests.

Shared by ``tests/browser/conftest.py`` and ``tools/screenshots.py`` so that the
README screenshots are taken exactly the way the tests see the page.

Why these choices:
- the server is the venv's ``voila`` run from the repo root (so ``voila.json``
  applies) with the same arguments as ``make dashboard``;
- Chromium is Debian's package driven through Playwright's ``executable_path``:
  ``playwright install`` would download a browser from the internet;
- everything binds to 127.0.0.1 and the browser is told not to phone home, so a
  request to any other host is a bug we can detect.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = os.environ.get("MAKKER_TEST_NOTEBOOK", "dashboards/makkerskap.ipynb")
TEMPLATE_ROOT = REPO / "share" / "jupyter"

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--metrics-recording-only",
]
HOW_TO_ENABLE = (
    "Chromium not found, so the browser tests are skipped. To run them: "
    "sudo apt-get install chromium  (or set MAKKER_CHROMIUM=/path/to/chromium)"
)


def find_chromium() -> str | None:
    """Path of an executable Chromium: $MAKKER_CHROMIUM if set (and only it), else Debian's."""
    env = os.environ.get("MAKKER_CHROMIUM")
    if env:
        candidates = [env]
    else:
        candidates = list(CHROMIUM_CANDIDATES)
        found = shutil.which("chromium")
        if found:
            candidates.append(found)
    for c in candidates:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    return None


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def voila_executable() -> str:
    """The venv's voila next to the running Python (falls back to PATH)."""
    here = Path(sys.executable).parent / "voila"
    if here.exists():
        return str(here)
    found = shutil.which("voila")
    if not found:
        raise RuntimeError("voila is not installed in this environment")
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def voila_command(notebook: str, port: int, extra=(), template: str = "makker") -> list[str]:
    """The command line of ``make dashboard`` with a chosen port."""
    return [
        voila_executable(),
        notebook,
        f"--template={template}",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        "--no-browser",
        *extra,
    ]


def voila_env() -> dict[str, str]:
    """Environment with the repo's template dir first on JUPYTER_PATH."""
    env = dict(os.environ)
    paths = [str(TEMPLATE_ROOT)] + [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    env["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(paths))
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    env["PYTHONUNBUFFERED"] = "1"
    # school-year workspaces of a test server never go to ~/makker; by default each page
    # (kernel) gets its own, so pages do not restore each other's classes
    env["MAKKER_HOME"] = tempfile.mkdtemp(prefix="makker-home-")
    env.setdefault("MAKKER_WORKSPACE", "temp")
    return env


class VoilaServer:
    """A real ``voila`` process on 127.0.0.1; ``stop()`` also ends its kernels."""

    def __init__(self, notebook: str = NOTEBOOK, extra_args=(), cwd: Path = REPO,
                 template: str = "makker"):
        self.notebook = notebook
        self.template = template
        self.extra_args = list(extra_args)
        self.cwd = Path(cwd)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.proc: subprocess.Popen | None = None
        self.log_path = Path(tempfile.mkstemp(prefix="makker-voila-", suffix=".log")[1])
        self._log = None
        self._known_children: set[int] = set()

    def start(self, timeout: float = 90.0) -> "VoilaServer":
        self._log = open(self.log_path, "wb")
        env = voila_env()
        self._home = env["MAKKER_HOME"]
        self.proc = subprocess.Popen(
            voila_command(self.notebook, self.port, self.extra_args, self.template),
            cwd=self.cwd,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float) -> None:
        """Poll a static file (never the page: that would start a kernel)."""
        probe = self.url + "voila/static/voila-style.js"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"voila exited early:\n{self.log_text()}")
            try:
                with urllib.request.urlopen(probe, timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.25)
        raise RuntimeError(f"voila did not answer within {timeout} s:\n{self.log_text()}")

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def children(self) -> list[int]:
        """Current descendants (kernels, solver processes) of the server."""
        try:
            import psutil
        except ImportError:  # pragma: no cover - psutil comes with jupyter
            return []
        try:
            kids = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.Error:
            return []
        pids = [k.pid for k in kids]
        self._known_children.update(pids)
        return pids

    def stop(self) -> None:
        if self.proc is None:
            return
        self.children()  # remember kernels before the parent goes away
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self._end_leftovers()
        if self._log:
            self._log.close()
        if getattr(self, "_home", None):
            shutil.rmtree(self._home, ignore_errors=True)  # the test server's temp MAKKER_HOME
        self.proc = None

    def _end_leftovers(self) -> None:
        """Kernels run in their own sessions: end each one we saw, by pid."""
        try:
            import psutil
        except ImportError:  # pragma: no cover
            return
        procs = []
        for pid in self._known_children:
            with contextlib.suppress(psutil.Error):
                p = psutil.Process(pid)
                procs.extend(p.children(recursive=True))
                procs.append(p)
        for p in procs:
            with contextlib.suppress(psutil.Error):
                p.terminate()
        _, alive = psutil.wait_procs(procs, timeout=5)
        for p in alive:
            with contextlib.suppress(psutil.Error):
                p.kill()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class LaunchedServer(VoilaServer):
    """A server started by an arbitrary command line (``argv_for_port(port)``), environment
    without JUPYTER_PATH, so the template must be found the way the command finds it."""

    def __init__(self, argv_for_port, cwd, env_update=None):
        super().__init__(cwd=cwd)
        self.argv = argv_for_port(self.port)
        self.env_update = dict(env_update or {})

    def start(self, timeout: float = 120.0) -> "LaunchedServer":
        self._log = open(self.log_path, "wb")
        env = voila_env()
        env.pop("JUPYTER_PATH", None)
        env.update(self.env_update)
        self._home = env["MAKKER_HOME"]
        self.proc = subprocess.Popen(self.argv, cwd=self.cwd, env=env, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.wait_ready(timeout)
        return self


def off_127_0_0_1(urls) -> list[str]:
    """The requested URLs whose host is not 127.0.0.1 (``data:`` and ``blob:`` stay in the page)."""
    from urllib.parse import urlsplit

    return sorted({u for u in urls if urlsplit(u).hostname != "127.0.0.1" and not u.startswith(("data:", "blob:"))})


def launch_chromium(playwright, executable: str):
    """Headless Chromium with a fresh profile; returns (browser_context, profile_dir)."""
    profile = tempfile.mkdtemp(prefix="makker-chromium-")
    context = playwright.chromium.launch_persistent_context(
        profile,
        executable_path=executable,
        headless=True,
        args=CHROMIUM_ARGS,
        accept_downloads=True,
        viewport={"width": 1400, "height": 1000},
        locale="nb-NO",
    )
    return context, profile
