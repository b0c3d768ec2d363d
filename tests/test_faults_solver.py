"""An interrupted solve leaves nothing behind: no ``cbc`` process, no temp files.

Interruptions covered: the solver's own time-out, a cancel event set while
CBC runs (the dashboard's "Avbryt"), and SIGINT (Ctrl+C / a Jupyter kernel
interrupt) sent to a separate ``makker plan`` process while its CBC child
runs. The process table is read from /proc.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from makker.fictional import fictional_students
from makker.planner import plan_rotation, plan_year
from makker.planner.solve import cbc_executable

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir() or cbc_executable() is None,
                                reason="needs Linux /proc and a CBC binary")
ROOT = Path(__file__).resolve().parents[1]


def proc_stat(pid: int) -> tuple[str, int, str] | None:
    """(command, parent pid, state) of a process, or None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm = stat[stat.index("(") + 1:stat.rindex(")")]
    fields = stat.rsplit(")", 1)[1].split()
    return comm, int(fields[1]), fields[0]


def cbc_processes(parent: int | None = None) -> list[int]:
    """Live (non-zombie) cbc processes, optionally only the children of ``parent``."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            info = proc_stat(int(entry.name))
            if info and "cbc" in info[0].lower() and info[2] != "Z" and (parent is None or info[1] == parent):
                out.append(int(entry.name))
    return out


def wait_until(condition, timeout: float, step: float = 0.05):
    """Poll ``condition`` until it is truthy; returns its last value (no timing asserted)."""
    end = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > end:
            return value
        time.sleep(step)


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """Every temp file of this process goes to a folder we can inspect."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv("TMPDIR", str(folder))
    return folder


def leftovers(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_time_out_leaves_no_process_and_no_temp_files(private_tmp):
    students = fictional_students(28, seed=2)
    result = plan_rotation(students, time_limit=1.0)  # the exact model needs more than 1 s at n = 28
    assert sorted(result.rotation.members()) == sorted(s.id for s in students)
    assert cbc_processes(os.getpid()) == []
    assert leftovers(private_tmp) == []


def test_cancel_while_cbc_runs_stops_it_and_cleans_up(private_tmp):
    students = fictional_students(32, seed=4)
    cancel = threading.Event()
    seen: list[int] = []

    def cancel_when_cbc_runs():
        found = wait_until(lambda: cbc_processes(os.getpid()), timeout=120)
        seen.extend(found or [])
        cancel.set()

    watcher = threading.Thread(target=cancel_when_cbc_runs, daemon=True)
    watcher.start()
    result = plan_year(students, None, None, 4, time_limit=120, cancel=cancel, improve=False)
    watcher.join(timeout=5)
    assert seen, "CBC was never seen running; the test did not interrupt anything"
    assert result.timed_out and len(result.plan.rotations) < 4
    assert any(n.key == "planner.note_cancelled" for n in result.notes)
    for pid in seen:
        assert (proc_stat(pid) is None) or proc_stat(pid)[2] == "Z" and proc_stat(pid)[1] != os.getpid()
    assert cbc_processes(os.getpid()) == []
    assert leftovers(private_tmp) == []


def _class_list(path: Path, n: int) -> Path:
    lines = ["Klasse;Elevnummer;Fornavn;Etternavn;Kjønn"]
    lines += [f"1STA;{s.id};{s.first};{s.last};{s.gender}" for s in fictional_students(n, seed=7)]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_to_makker_plan_kills_cbc_and_removes_temp_files(tmp_path, sig):
    """Ctrl+C, or a service manager stopping the server, while CBC runs in a real ``makker plan``."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    roster = _class_list(tmp_path / "1STA.csv", 36)
    out = tmp_path / "plan.json"
    env = dict(os.environ, TMPDIR=str(folder), PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "makker.cli", "plan", str(roster), "--rotations", "4", "--time-limit", "120",
         "--out", str(out), "--lang", "en"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    try:
        running = wait_until(lambda: cbc_processes(proc.pid) or proc.poll() is not None, timeout=120)
        assert isinstance(running, list) and running, "makker plan ended before CBC was seen"
        os.kill(proc.pid, sig)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode in (1, 2, 130), (proc.returncode, stderr)
    assert "Traceback" not in stderr and 'File "' not in stderr, stderr
    assert stderr.strip().splitlines()[-1] == "makker: Interrupted.", stderr  # progress lines may precede it
    # The cbc child is gone (or at most a zombie reparented away, holding no memory, doing nothing).
    for pid in running:
        still = wait_until(lambda: proc_stat(pid) is None or proc_stat(pid)[2] == "Z", timeout=10)
        assert still, f"cbc {pid} still running: {proc_stat(pid)}"
    assert cbc_processes(proc.pid) == []
    assert leftovers(folder) == []
    assert not out.exists()  # no half-written plan file


KERNEL_CODE = """
import threading
from makker.fictional import fictional_students
from makker.planner import plan_year
from makker.planner.solve import _cbc_children
# as the dashboard does: the year is planned in a background thread
threading.Thread(target=lambda: plan_year(fictional_students(36, seed=4), None, None, 4, time_limit=120,
                                          improve=False), daemon=True).start()
"""


def test_kernel_shut_down_while_planning_leaves_no_cbc_and_no_temp_files(tmp_path):
    """Voilà shuts a page's kernel down when the page closes, maybe in the middle of a plan."""
    jupyter_client = pytest.importorskip("jupyter_client")
    folder = tmp_path / "tmp"
    folder.mkdir()
    km = jupyter_client.KernelManager(kernel_name="python3")
    km.start_kernel(env=dict(os.environ, TMPDIR=str(folder), PYTHONPATH=str(ROOT)), cwd=str(ROOT))
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        kernel_pid = km.provisioner.process.pid
        kc.execute_interactive(KERNEL_CODE, timeout=60)
        running = wait_until(lambda: cbc_processes(kernel_pid), timeout=120)
        assert running, "CBC never started in the kernel"
        assert leftovers(folder), "the solve's temp folder should exist while CBC runs"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)  # a polite shutdown_request, as Voilà sends
    for pid in running:
        gone = wait_until(lambda: proc_stat(pid) is None or proc_stat(pid)[2] == "Z", timeout=15)
        assert gone, f"cbc {pid} outlived its kernel: {proc_stat(pid)}"
    assert leftovers(folder) == []


EXIT_SCRIPT = """
import sys, threading, time
from makker.fictional import fictional_students
from makker.planner import plan_rotation
from makker.planner.solve import _cbc_children
threading.Thread(target=lambda: plan_rotation(fictional_students(36, seed=4), time_limit=120), daemon=True).start()
while not _cbc_children():
    time.sleep(0.05)
print(*_cbc_children(), flush=True)
sys.exit(0)  # the program ends while the background solve still runs
"""


def test_process_exit_while_a_thread_solves_leaves_no_cbc_and_no_temp_files(tmp_path):
    folder = tmp_path / "tmp"
    folder.mkdir()
    proc = subprocess.run([sys.executable, "-c", EXIT_SCRIPT], capture_output=True, text=True, timeout=180,
                          env=dict(os.environ, TMPDIR=str(folder), PYTHONPATH=str(ROOT)), cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    pids = [int(p) for p in proc.stdout.split()]
    assert pids
    for pid in pids:
        try:
            gone = wait_until(lambda: proc_stat(pid) is None or proc_stat(pid)[2] == "Z", timeout=10)
            assert gone, f"cbc {pid} outlived the program: {proc_stat(pid)}"
        finally:
            if proc_stat(pid) and proc_stat(pid)[2] != "Z":
                os.kill(pid, signal.SIGKILL)  # do not leave it burning a core if the test fails
    assert leftovers(folder) == []
