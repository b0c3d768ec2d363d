"""``makker dashboard``: the Voilà command line it builds, the address it opens, the shipped files."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from makker import cli
from makker.commands import dashboard

ROOT = Path(__file__).resolve().parents[1]


def _args(**kw):
    base = dict(port=8866, token="", training=False, no_browser=True, lang="nb")
    base.update(kw)
    return SimpleNamespace(**base)


@given(port=st.integers(1, 65535), training=st.booleans(),
       token=st.text("abcXYZ0123_-", max_size=20), lang=st.sampled_from(["nb", "nn", "en"]))
def test_command_binds_127_0_0_1_with_the_makker_template(port, training, token, lang):
    args = _args(port=port, training=training, token=token, lang=lang)
    cmd = dashboard.command(args)
    assert "--Voila.ip=127.0.0.1" in cmd and f"--port={port}" in cmd and "--template=makker" in cmd
    assert "--no-browser" in cmd  # the command opens the browser itself, with ?lang=
    assert Path(cmd[3]).name == ("opplaering.ipynb" if training else "makkerskap.ipynb")
    assert Path(cmd[3]).is_file()
    assert (f"--token={token}" in cmd) == bool(token)
    url = urlsplit(dashboard.url(args))
    assert url.hostname == "127.0.0.1" and url.port == port
    query = parse_qs(url.query)
    assert query["lang"] == [lang]
    assert query.get("mode") == (["training"] if training else None)
    assert query.get("token") == ([token] if token else None)


def test_shipped_files_are_the_repository_files():
    for name in ("makkerskap.ipynb", "opplaering.ipynb"):
        assert (dashboard.SERVE / "notebooks" / name).read_bytes() == (ROOT / "dashboards" / name).read_bytes()
    assert json.loads((dashboard.SERVE / "voila.json").read_text())["Voila"]["ip"] == "127.0.0.1"
    template = dashboard.SERVE / "share" / "jupyter" / "voila" / "templates" / "makker"
    assert (template / "conf.json").is_file()
    assert dashboard.environment()["JUPYTER_PATH"].split(":")[0] == str(template.parents[2])


def test_help_lists_dashboard(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--lang", "en", "--help"])
    assert exc.value.code == 0
    assert "dashboard" in capsys.readouterr().out


def test_bad_port_is_one_line_and_exit_2(capsys):
    code = cli.main(["--lang", "en", "dashboard", "--port", "70000", "--no-browser"])
    err = capsys.readouterr().err
    assert code == 2 and "65535" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.slow
def test_wheel_ships_notebooks_template_and_settings(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                    "-w", str(tmp_path), str(ROOT)], check=True)
    wheel = next(tmp_path.glob("makker-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for need in ("makker/serve/voila.json", "makker/serve/notebooks/makkerskap.ipynb",
                 "makker/serve/notebooks/opplaering.ipynb",
                 "makker/serve/share/jupyter/voila/templates/makker/conf.json",
                 "makker/serve/share/jupyter/voila/templates/makker/index.html.j2",
                 "makker/commands/dashboard.py"):
        assert need in names, need
