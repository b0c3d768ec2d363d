# makker on JupyterHub: every coordinator logs in and lands on makker's dashboard,
# rendered by the Voilà server extension with makker's template, with a school-year
# folder (MAKKER_HOME) of their own.
#
# Use it as it is (`jupyterhub -f jupyterhub_config.py`), drop it into TLJH's
# /opt/tljh/config/jupyterhub_config.d/, or load it from a config of your own with
# `load_subconfig("/path/to/jupyterhub_config.py")` and set the authenticator there
# (README.md beside this file). Settings read from the environment of the hub:
#
#   MAKKER_HUB_DATA   folder with one sub-folder per user for the school-year files
#                     (/srv/makker/<user>); unset: each user's home, ~/makker
#   MAKKER_HUB_IP     address the hub listens on (default 127.0.0.1: put a TLS proxy
#                     such as TLJH's Traefik or your ingress in front)
#   MAKKER_HUB_PORT   port of the hub (default 8000)
#   MAKKER_SERVE      makker's serve folder as the users' servers see it (containers of the
#                     Dockerfile: /opt/makker-serve); unset: from the hub's own makker
import os
import pwd
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by JupyterHub when it reads this file


def _serve_folder() -> Path:
    """makker's shipped notebooks, template and Voilà settings: $MAKKER_SERVE if set, else the
    package when the hub has makker installed (local users), else where the Dockerfile links them."""
    if os.environ.get("MAKKER_SERVE"):
        return Path(os.environ["MAKKER_SERVE"])
    try:
        import makker
    except ImportError:
        return Path("/opt/makker-serve")
    return Path(makker.__file__).resolve().parent / "serve"


SERVE = _serve_folder()
DASHBOARD = "/voila/render/makkerskap.ipynb"

if "tljh" not in sys.modules:  # The Littlest JupyterHub puts its own proxy in front and sets these
    c.JupyterHub.ip = os.environ.get("MAKKER_HUB_IP", "127.0.0.1")
    c.JupyterHub.port = int(os.environ.get("MAKKER_HUB_PORT", "8000"))
    c.JupyterHub.hub_ip = "127.0.0.1"

# The page every user opens after logging in: /user/<name>/voila/render/makkerskap.ipynb
# (the training notebook is /user/<name>/voila/render/opplaering.ipynb?mode=training).
c.Spawner.default_url = DASHBOARD
# The shipped notebooks are the server's root: nothing else of the machine is listed.
c.Spawner.notebook_dir = str(SERVE / "notebooks")
# makker's Voilà settings (template "makker", no tracebacks, sources stripped) and template.
c.Spawner.args = ["--VoilaConfiguration.template=makker", "--VoilaConfiguration.show_tracebacks=False",
                  "--VoilaConfiguration.strip_sources=True",
                  # a page left open frees its kernel after two idle hours (the school year is on disk)
                  "--MappingKernelManager.cull_idle_timeout=7200", "--MappingKernelManager.cull_interval=300"]

DATA = os.environ.get("MAKKER_HUB_DATA", "").strip()
CONTAINER_HOME = "/home/jovyan"  # the home of the Dockerfile's user


def user_folder(spawner) -> Path:
    """The user's school-year folder: $MAKKER_HUB_DATA/<name>, else ``makker`` in the user's home."""
    if DATA:
        return Path(DATA) / spawner.user.name
    home = getattr(spawner, "home_dir", "")  # SimpleLocalProcessSpawner's home
    if not home and _runs_here(spawner):
        try:
            home = pwd.getpwnam(spawner.user.name).pw_dir
        except KeyError:
            home = os.path.expanduser("~")
    return Path(home or CONTAINER_HOME) / "makker"


def _runs_here(spawner) -> bool:
    """True for spawners that start the user's server as a process of this machine."""
    from jupyterhub.spawner import LocalProcessSpawner

    return isinstance(spawner, LocalProcessSpawner)


def prepare_user(spawner) -> None:
    """Give the user's server its MAKKER_HOME; on this machine, create it readable by the user only
    (owned by the user when the hub runs as root and the user is a system user)."""
    folder = user_folder(spawner)
    spawner.environment = {
        **spawner.environment,
        "MAKKER_HOME": str(folder),
        # makker's template, its Voilà settings (voila.json) and the server's (jupyter_server_config.json:
        # MathJax is never fetched from a CDN) travel with the package
        "JUPYTER_PATH": str(SERVE / "share" / "jupyter"),
        "JUPYTER_CONFIG_PATH": str(SERVE),
    }
    if not _runs_here(spawner):
        return  # a container: the folder is on the user's volume, made by makker itself
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    if os.getuid() == 0:
        try:
            entry = pwd.getpwnam(spawner.user.name)
        except KeyError:
            return
        os.chown(folder, entry.pw_uid, entry.pw_gid)


c.Spawner.pre_spawn_hook = prepare_user

c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 180
# a login lasts one working day
c.JupyterHub.cookie_max_age_days = 1
