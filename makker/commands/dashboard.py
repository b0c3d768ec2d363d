"""``makker dashboard``: serve the coordinator's dashboard (or the training notebook) on 127.0.0.1.

The notebooks, the Voilà template and the Voilà settings come with the package
(``makker/serve``), so the command works from an installed wheel as well as from a checkout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import webbrowser
from pathlib import Path
from urllib.parse import urlencode

from ..i18n import LANGUAGES, MakkerError

SERVE = Path(__file__).resolve().parent.parent / "serve"
NOTEBOOKS = {"dashboard": "makkerskap.ipynb", "training": "opplaering.ipynb"}


def add_parser(subparsers, tr):
    p = subparsers.add_parser("dashboard", help=tr("serve.help"), description=tr("serve.help"))
    p.add_argument("--port", type=int, default=8866, metavar="P", help=tr("serve.help_port"))
    p.add_argument("--token", default="", metavar="T", help=tr("serve.help_token"))
    p.add_argument("--training", action="store_true", help=tr("serve.help_training"))
    p.add_argument("--no-browser", action="store_true", help=tr("serve.help_no_browser"))
    return p


def command(args) -> list[str]:
    """The Voilà command line: 127.0.0.1 only, makker's template, the shipped notebook."""
    notebook = SERVE / "notebooks" / NOTEBOOKS["training" if args.training else "dashboard"]
    cmd = [sys.executable, "-m", "voila", str(notebook), "--template=makker",
           "--Voila.ip=127.0.0.1", f"--port={args.port}", "--no-browser"]
    if args.token:
        cmd.append(f"--token={args.token}")
    return cmd


def url(args) -> str:
    query = {"lang": args.lang} if getattr(args, "lang", None) in LANGUAGES else {}
    if args.training:
        query["mode"] = "training"
    if args.token:
        query["token"] = args.token
    return f"http://127.0.0.1:{args.port}/" + (f"?{urlencode(query)}" if query else "")


def environment() -> dict[str, str]:
    env = dict(os.environ)
    share = str(SERVE / "share" / "jupyter")
    env["JUPYTER_PATH"] = share + (os.pathsep + env["JUPYTER_PATH"] if env.get("JUPYTER_PATH") else "")
    return env


def run(args, tr) -> int:
    if not 1 <= args.port <= 65535:
        raise MakkerError("serve.bad_port", port=args.port)
    address = url(args)
    print(tr("serve.open", url=address), flush=True)
    if not args.no_browser:
        threading.Timer(1.5, webbrowser.open, (address,)).start()
    try:
        # cwd: Voilà reads voila.json from the directory it starts in.
        return subprocess.call(command(args), cwd=SERVE, env=environment())
    except KeyboardInterrupt:
        return 0
