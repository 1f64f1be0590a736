"""SIGTERM and SIGHUP stop a run as cleanly as Ctrl-C: exit 128 + the signal, one line on stderr,
no temporary report file left, the previous report untouched. Worker processes never outlive
the run, even when the parent is killed outright (SIGKILL)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, ROOT

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/task").is_dir(), reason="finds worker processes through /proc"
)

GUARD = 120.0
"""Seconds after which a wait gives up: a guard against a hung test, not a measure of speed."""


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + GUARD
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.05)


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start_batch(tmp_path: Path, jobs: int) -> tuple[subprocess.Popen[bytes], Path]:
    """A batch whose stdout nobody reads: it stalls, part-way, with its report file open."""
    folder = tmp_path / "answers"
    folder.mkdir()
    sources = sorted(EXAMPLES.glob("*.yaml"))
    for i in range(300):
        shutil.copy(sources[i % len(sources)], folder / f"c{i:03d}.yaml")
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "audit.json").write_text("previous report\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1"}
    args = ["assess", str(folder), "--explain", "-f", "text", "--jobs", str(jobs)]
    process = subprocess.Popen(
        [sys.executable, "-m", "svclevel", *args, "--report", f"json={reports / 'audit.json'}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    _wait_for(lambda: len(list(reports.iterdir())) == 2, "the temporary report file")
    if jobs > 1:
        _wait_for(lambda: len(_children(process.pid)) >= jobs, "the worker processes")
    return process, reports


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_stops_the_run_cleanly(tmp_path: Path, signum: int, jobs: int) -> None:
    process, reports = _start_batch(tmp_path, jobs)
    workers = _children(process.pid)
    process.send_signal(signum)
    _, err = process.communicate(timeout=GUARD)
    name = signal.Signals(signum).name
    assert process.returncode == 128 + signum
    assert (
        err.decode().splitlines()[-1] == f"svclevel: stopped by {name}; no report file was written"
    )
    assert [p.name for p in reports.iterdir()] == ["audit.json"]
    assert (reports / "audit.json").read_text() == "previous report\n"
    _wait_for(lambda: not any(_running(w) for w in workers), "the workers to stop")


def test_workers_die_with_a_killed_parent(tmp_path: Path) -> None:
    process, _ = _start_batch(tmp_path, 2)
    workers = _children(process.pid)
    assert len(workers) >= 2
    process.kill()
    process.communicate(timeout=GUARD)
    _wait_for(lambda: not any(_running(w) for w in workers), "the orphaned workers to exit")
