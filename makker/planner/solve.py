"""Running a MILP solver through PuLP safely: one place for every pitfall.

- Works with PuLP 3.3 and 4.x: CBC runs through ``COIN_CMD`` (``PULP_CBC_CMD``
  is gone in 4.x) with the executable found on PATH, in the ``cbcbox`` wheel
  (``pulp[cbc]``) or bundled with PuLP 3.
- Always a time limit, one thread (deterministic), no solver output.
- Each solve runs in a private temp dir that is always removed.
- A CBC child process never outlives its solve: on KeyboardInterrupt, on a
  cancel event, or on any error, the solve's own ``cbc`` child is killed (found
  by the solve's private temp dir in its command line), so solves running at
  once in other threads of the same process keep running.
- PuLP 3.3 reports "Optimal" after a time-out with an incumbent, so the status
  is read from ``prob.sol_status`` and CBC's own log ("Stopped on time").
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pulp

from ..i18n import MakkerError

SOLVERS = ("cbc", "highs")

# PuLP status numbers (same in 3.x; 4.x enums are mapped through int()/name).
_SOL_OPTIMAL, _SOL_FEASIBLE, _SOL_INFEASIBLE, _SOL_UNBOUNDED = 1, 2, -1, -2
_STATUS_INFEASIBLE = -1


class SolveCancelled(Exception):
    """The solve was cancelled (cancel event set); no result."""


@dataclass(frozen=True)
class SolveOutcome:
    status: str  # "optimal" | "feasible" | "timeout" | "infeasible"
    gap: float | None  # relative gap when known (0.0 when optimal)
    objective: float | None
    seconds: float


def cbc_executable() -> str | None:
    """Where a CBC binary is: PATH, the cbcbox wheel, or PuLP 3's bundled copy."""
    found = shutil.which("cbc")
    if found:
        return found
    try:  # pulp[cbc] on PuLP 4 installs the cbcbox wheel
        import cbcbox

        for name in ("cbc_path", "executable", "path"):
            value = getattr(cbcbox, name, None)
            value = value() if callable(value) else value
            if value and os.access(str(value), os.X_OK):
                return str(value)
    except ImportError:
        pass
    bundled = getattr(getattr(pulp, "apis", None), "coin_api", None)
    bundled = getattr(bundled, "pulp_cbc_path", None)
    if bundled and os.path.isfile(bundled):
        if not os.access(bundled, os.X_OK):
            try:
                os.chmod(bundled, 0o755)
            except OSError:
                return None
        return bundled
    return None


def build_solver(name: str, time_limit: float, tmpdir: str, warm_start: bool = False):
    """The PuLP solver object for ``name`` ("cbc" or "highs"), ready to run in ``tmpdir``."""
    limit = max(1.0, float(time_limit))
    if name == "cbc":
        path = cbc_executable()
        coin = getattr(pulp, "COIN_CMD", None)
        if not path or coin is None:
            raise MakkerError("planner.solver_missing", solver="cbc")
        solver = coin(path=path, msg=False, timeLimit=limit, threads=1,
                      logPath=str(Path(tmpdir) / "cbc.log"), warmStart=warm_start, options=["randomSeed 1", "randomCbcSeed 1"])
        solver.tmpDir = tmpdir
        return solver
    if name == "highs":
        highs = getattr(pulp, "HiGHS", None)
        if highs is not None and highs().available():
            return highs(msg=False, timeLimit=limit, threads=1, presolve="off", random_seed=1)
        highs_cmd = getattr(pulp, "HiGHS_CMD", None)
        if highs_cmd is not None and highs_cmd().available():
            solver = highs_cmd(msg=False, timeLimit=limit, threads=1)
            solver.tmpDir = tmpdir
            return solver
        raise MakkerError("planner.solver_missing", solver="highs")
    raise MakkerError("planner.unknown_solver", solver=name, choices=", ".join(SOLVERS))


def _code(value) -> int | None:
    """An int status code from PuLP 3 (int) or PuLP 4 (enum)."""
    if value is None:
        return None
    try:
        return int(getattr(value, "value", value))
    except (TypeError, ValueError):
        return None


def _cbc_log(tmpdir: str) -> tuple[bool, float | None]:
    """(stopped on time?, relative gap) from CBC's log, if there is one."""
    log = Path(tmpdir) / "cbc.log"
    text = log.read_text(errors="replace") if log.exists() else ""
    stopped = bool(re.search(r"Stopped on (time|iterations|nodes)", text))
    obj = re.search(r"Objective value:\s*(-?[\d.eE+]+)", text)
    bound = re.search(r"Lower bound:\s*(-?[\d.eE+]+)", text)
    gap = None
    if obj and bound:
        o, b = float(obj.group(1)), float(bound.group(1))
        gap = max(0.0, (o - b) / max(1.0, abs(o)))
    return stopped, gap


def interpret(prob, tmpdir: str | None = None, solver=None, has_solution: bool | None = None,
              seconds: float = 0.0) -> SolveOutcome:
    """Turn PuLP's status into "optimal"/"feasible"/"timeout"/"infeasible" and a gap.

    "feasible" = stopped early with a plan whose gap is known; "timeout" = stopped
    early, gap unknown; "infeasible" = no plan exists (or none was found in time).
    """
    sol = _code(getattr(prob, "sol_status", None))
    status = _code(getattr(prob, "status", None))
    stopped, gap = _cbc_log(tmpdir) if tmpdir else (False, None)
    highs_gap = _highs_gap(prob) if solver is not None and not tmpdir else None
    gap = gap if gap is not None else highs_gap
    objective = None
    try:
        objective = pulp.value(prob.objective)
    except Exception:  # noqa: BLE001 - no solution values
        objective = None
    if has_solution is False or sol in (_SOL_INFEASIBLE, _SOL_UNBOUNDED) or status == _STATUS_INFEASIBLE:
        return SolveOutcome("infeasible", None, None, seconds)
    if sol == _SOL_OPTIMAL and not stopped:
        return SolveOutcome("optimal", 0.0, objective, seconds)
    if sol in (_SOL_OPTIMAL, _SOL_FEASIBLE) or has_solution:
        return SolveOutcome("feasible" if gap is not None else "timeout", gap, objective, seconds)
    return SolveOutcome("infeasible", None, None, seconds)


def _highs_gap(prob) -> float | None:
    model = getattr(prob, "solverModel", None)
    if model is None:
        return None
    try:
        return max(0.0, float(model.getInfo().mip_gap))
    except Exception:  # noqa: BLE001 - not HiGHS or no info
        return None


def _cbc_children(folder: str | None = None) -> list[int]:
    """Pids of cbc child processes of this process (Linux /proc).

    With ``folder``, only those whose command line names a file in that folder:
    a solve's own CBC, which PuLP starts on the model files in the solve's
    private temp dir.
    """
    me = os.getpid()
    out: list[int] = []
    proc = Path("/proc")
    if not proc.is_dir():
        return out
    mark = os.path.join(folder, "").encode() if folder else None
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            comm = stat[stat.index("(") + 1:stat.rindex(")")]
            if ppid != me or "cbc" not in comm.lower():
                continue
            if mark is not None and mark not in (entry / "cmdline").read_bytes():
                continue
        except (OSError, ValueError, IndexError):
            continue
        out.append(int(entry.name))
    return out


def kill_cbc_children(folder: str | None = None) -> int:
    """Kill the cbc children of this process (only the one working in ``folder``
    when given); returns how many were signalled."""
    pids = _cbc_children(folder)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    for pid in pids:  # reap, so no zombie is left behind
        try:
            os.waitpid(pid, os.WNOHANG)
        except OSError:
            pass
    return len(pids)


_ACTIVE_DIRS: set[str] = set()  # temp dirs of solves still running (in any thread)


@atexit.register
def _at_exit() -> None:
    """The process ends while a solve runs in a background thread (Voilà shutting
    the kernel down when the page closes): stop CBC and remove its temp files,
    or an orphaned cbc would keep a core busy until its time limit."""
    kill_cbc_children()
    for folder in list(_ACTIVE_DIRS):
        shutil.rmtree(folder, ignore_errors=True)


def _watch(cancel: threading.Event, done: threading.Event, flag: list, folder: str) -> None:
    while not done.wait(0.05):
        if cancel.is_set():
            flag.append(True)
            kill_cbc_children(folder)
            return


def solve(prob, *, solver: str = "cbc", time_limit: float = 30.0,
          cancel: threading.Event | None = None, has_solution=None, warm_start: bool = False) -> SolveOutcome:
    """Solve ``prob`` safely and say what came out (see :func:`interpret`).

    ``warm_start``: the variables' initial values are a known solution (CBC only).
    ``has_solution(prob) -> bool`` tells whether the variable values form a
    solution (PuLP leaves them empty when none was found).
    """
    tmpdir = tempfile.mkdtemp(prefix="makker-solve-")
    _ACTIVE_DIRS.add(tmpdir)
    done = threading.Event()
    cancelled: list[bool] = []
    watcher = None
    if cancel is not None:
        if cancel.is_set():
            shutil.rmtree(tmpdir, ignore_errors=True)
            _ACTIVE_DIRS.discard(tmpdir)
            raise SolveCancelled()
        watcher = threading.Thread(target=_watch, args=(cancel, done, cancelled, tmpdir), daemon=True)
        watcher.start()
    start = time.monotonic()
    try:
        engine = build_solver(solver, time_limit, tmpdir, warm_start)
        try:
            prob.solve(engine)
        except pulp.PulpSolverError:
            if cancelled:
                raise SolveCancelled() from None
            raise
        if cancelled:
            raise SolveCancelled()
        found = has_solution(prob) if has_solution else None
        return interpret(prob, tmpdir if solver == "cbc" else None, engine, found, time.monotonic() - start)
    except BaseException:
        kill_cbc_children(tmpdir)
        raise
    finally:
        done.set()
        if watcher is not None:
            watcher.join(timeout=1.0)
        if solver == "cbc":
            kill_cbc_children(tmpdir)
        shutil.rmtree(tmpdir, ignore_errors=True)
        _ACTIVE_DIRS.discard(tmpdir)
