"""The wheel, installed into a fresh virtual environment outside the checkout, serves the dashboard.

The wheel is built from a copy of the checkout's files, installed with its dependencies into a
new venv without the system's or this venv's packages (pip reuses its local cache), and
``makker dashboard`` is started from a folder outside the repository. Headless Chromium opens
the page, uploads a class list and sees its students; every request stays on 127.0.0.1.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import dash
import harness
import pytest

from makker.i18n import t
from makker.roster import read_rosters

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# what a checkout holds besides the package's sources; none of it may be needed by the wheel
LEFT_OUT = shutil.ignore_patterns(".venv", ".git", "build", "dist", "*.egg-info", "__pycache__",
                                  ".pytest_cache", ".hypothesis", "node_modules", "tmp")


def _run(argv, **kw) -> subprocess.CompletedProcess:
    done = subprocess.run(argv, capture_output=True, text=True, **kw)
    assert done.returncode == 0, f"{argv[:4]} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def _clean_env(venv: Path) -> dict[str, str]:
    """The environment of a person who has just installed makker: no checkout, no dev venv."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "JUPYTER_PATH", "JUPYTER_CONFIG_DIR", "PYTHONHOME")}
    dev_bin = str(Path(sys.executable).parent)
    path = [p for p in env.get("PATH", "").split(os.pathsep) if p and p != dev_bin]
    env["PATH"] = os.pathsep.join([str(venv / "bin"), *path])
    env["VIRTUAL_ENV"] = str(venv)
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv, wheel, environment): makker's wheel installed into a venv of its own."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "checkout"
    shutil.copytree(harness.REPO, source, ignore=LEFT_OUT, symlinks=True)
    dist = root / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(source)], cwd=root)
    wheels = list(dist.glob("makker-*.whl"))
    assert len(wheels) == 1, wheels
    venv = root / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=root)
    env = _clean_env(venv)
    # pip of this venv installs into the new one (``--python``): no pip bootstrap, the same cache
    _run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet",
          str(wheels[0])], cwd=root, env=env)
    return venv, wheels[0], env


def test_wheel_holds_the_dashboard_files(installed):
    import zipfile

    _venv, wheel, _env = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("makker/serve/notebooks/makkerskap.ipynb", "makker/serve/notebooks/opplaering.ipynb",
                   "makker/serve/voila.json", "makker/serve/jupyter_server_config.json",
                   "makker/serve/share/jupyter/voila/templates/makker/conf.json",
                   "makker/locales/nn/app.json"):
        assert needed in names, needed
    assert not any(n.startswith(("tests/", "dashboards/", "benchmarks/")) for n in names)


def test_installed_help_lists_dashboard(installed, tmp_path):
    venv, _wheel, env = installed
    done = _run([str(venv / "bin" / "makker"), "--lang", "en", "--help"], cwd=tmp_path, env=env)
    assert "dashboard" in done.stdout
    where = _run([str(venv / "bin" / "python"), "-c", "import makker, voila; print(makker.__file__); print(voila.__file__)"],
                 cwd=tmp_path, env=env).stdout.split()
    assert all(Path(p).is_relative_to(venv) for p in where), where  # nothing comes from the checkout or this venv


def test_installed_dashboard_renders_and_takes_a_class_list(installed, browser_context, sample_dir, tmp_path):
    venv, _wheel, env = installed
    src = tmp_path / "klasse_1BAA.csv"
    shutil.copy(sample_dir / "vg1_yrkesfag_15.csv", src)
    roster = read_rosters(src).rosters[0]
    outside = tmp_path / "anywhere"
    outside.mkdir()
    argv = lambda port: [str(venv / "bin" / "makker"), "dashboard", f"--port={port}", "--no-browser"]
    env_update = {k: env[k] for k in ("PATH", "VIRTUAL_ENV")}
    requests: list[str] = []
    with harness.LaunchedServer(argv, outside, env_update) as server:
        page = browser_context.new_page()
        try:
            title = dash.open_recording(page, server.url, requests)
            dash.upload(page, src)
            dash.wait_text(page, ".makker-source", src.name)
            caption = t("app.load.roster_caption", "nn", klass=roster.klass, n=len(roster.students))
            dash.wait_text(page, ".makker-roster-table", re.escape(caption))
            shown = dash.text_of(page, ".makker-roster-table")
            rows = page.locator(".makker-roster-table tbody tr").count()
            errors = dash.text_of(page, ".makker-error").strip()
        finally:
            page.close(run_before_unload=True)
        log = server.log_text()
    assert "makker" in title
    assert rows == len(roster.students)
    assert all(s.name in shown for s in roster.students), shown[:2000]
    assert errors == ""
    assert "Traceback" not in log
    assert any(f"127.0.0.1:{server.port}" in u for u in requests)
    assert not harness.off_127_0_0_1(requests)
