"""svclevel interview: driven through a pipe and through a real terminal (a pty)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

import yaml
from typer.testing import CliRunner

from svclevel.cli import app

from .helpers import run_cli


def _interview(path: Path, keys: str, rubric: str = "three-rung") -> tuple[int, str]:
    result = CliRunner().invoke(
        app, ["interview", "-r", rubric, "-o", str(path)], input=keys, env={"COLUMNS": "100"}
    )
    return result.exit_code, result.stdout


def _answers(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text())
    answers: dict[str, object] = data["answers"]
    return answers


def test_piped_answers_are_checked_and_saved(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    keys = "Acme\nJane Doe\nusually -- 96 % of orders on time\n80\nback\n75\nbogus\nalways\nquit\n"
    code, out = _interview(path, keys)
    assert code == 0
    assert "✗ expected one of never, rarely, sometimes, usually, always (or n/a), got 'bogus'" in (
        " ".join(out.split())
    )
    assert _answers(path) == {
        "promises_kept": {"value": "usually", "evidence": "96 % of orders on time"},
        "csat_pct": 75,
        "anticipate_needs": "always",
    }
    data = yaml.safe_load(path.read_text())
    assert (data["company"], data["assessor"], data["rubric"]) == ("Acme", "Jane Doe", "three-rung")
    # the file is a valid answers file at every step
    assert run_cli("assess", str(path)).exit_code == 0


def test_skip_and_not_applicable(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    _interview(path, "Acme\n\n\nn/a\n?\nsometimes\n")  # EOF ends the session
    assert _answers(path) == {"csat_pct": "n/a", "anticipate_needs": "sometimes"}


def test_resume_asks_only_what_is_unanswered(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    _interview(path, "Acme\n\nalways\nquit\n")
    code, out = _interview(path, "90\nquit\n")
    assert code == 0
    assert "[2/8]" in out
    assert "[1/8]" not in out
    assert _answers(path) == {"promises_kept": "always", "csat_pct": 90}


def test_a_fully_answered_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    _interview(path, "Acme\n\nalways\n90\nalways\nyes\nyes\nalways\n60\n90\n")
    code, out = _interview(path, "")
    assert code == 0
    assert "Every question is answered already (8)." in out
    assert "reaches Rung 3 - Iconic" in run_cli("assess", str(path)).stdout


def _read_until(fd: int, needle: bytes, timeout: float = 20.0) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while needle not in seen:
        remaining = deadline - time.monotonic()
        assert remaining > 0, seen.decode(errors="replace")[-500:]
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    return seen


def test_ctrl_c_in_a_real_terminal_keeps_every_answer(tmp_path: Path) -> None:
    """The real terminal flow: a pty, typed answers, then Ctrl-C halfway through."""
    path = tmp_path / "acme.yaml"
    exe = str(Path(sys.executable).parent / "svclevel")
    master, slave = pty.openpty()

    def controlling_terminal() -> None:
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen(
        [exe, "interview", "-r", "three-rung", "-o", str(path)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        preexec_fn=controlling_terminal,  # noqa: PLW1509 - needed to get a controlling tty
        env={**os.environ, "COLUMNS": "100", "TERM": "xterm"},
        close_fds=True,
    )
    os.close(slave)
    try:
        _read_until(master, b"Company> ")
        os.write(master, b"Acme\n")
        _read_until(master, b"Assessor")
        os.write(master, b"\n")
        _read_until(master, b"promises_kept> ")
        os.write(master, b"usually\n")
        _read_until(master, b"csat_pct> ")
        os.write(master, b"81 -- survey, Q3\n")
        _read_until(master, b"anticipate_needs> ")
        os.write(master, b"\x03")  # Ctrl-C, through the terminal's line discipline
        out = _read_until(master, b"saved in")
        assert proc.wait(timeout=20) == 130
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        os.close(master)
    assert b"Traceback" not in out
    assert _answers(path) == {
        "promises_kept": "usually",
        "csat_pct": {"value": 81, "evidence": "survey, Q3"},
    }
    assert [p.name for p in tmp_path.iterdir()] == ["acme.yaml"]  # no temp file left
