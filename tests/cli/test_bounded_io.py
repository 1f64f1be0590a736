"""The terminal's size and standard input, whatever they are, give a report or a clear exit 2
(issue #15): never exit 3, never an output as wide as ``COLUMNS`` asks if that is absurd."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, run_cli, run_process

TWO = (str(EXAMPLES / "harbor-lane-shop.yaml"), str(EXAMPLES / "alder-grove-hotel.yaml"))
MAX_WIDTH = 500
CLOSED = (
    "<stdin>: standard input is closed; pipe the file in (svclevel assess - < FILE), or name it"
)


def _svclevel(
    *args: str,
    env: dict[str, str],
    close_stdin: bool = False,
    stdin: str = os.devnull,
    stdin_mode: str = "rb",
) -> subprocess.CompletedProcess[str]:
    """Standard input is ``stdin`` opened with ``stdin_mode`` (``"wb"``: open, but not for
    reading)."""
    with open(stdin, stdin_mode) as given:  # noqa: PTH123
        return run_process(*args, env=env, stdin=given, close_stdin=close_stdin)


@pytest.mark.skipif(sys.platform == "win32", reason="rlimits")
@pytest.mark.parametrize("columns", ["10000000", "99999999999", "9" * 5000])
def test_a_huge_terminal_width_is_clamped(columns: str) -> None:
    # COLUMNS=10000000 took 10 s and 500 MB; 99999999999 was a MemoryError (exit 3).
    result = _svclevel("assess", *TWO, "-f", "rich", env={"COLUMNS": columns})
    assert (result.returncode, result.stderr) == (0, "")
    widest = _svclevel("assess", *TWO, "-f", "rich", env={"COLUMNS": str(MAX_WIDTH)})
    assert result.stdout == widest.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= MAX_WIDTH


@pytest.mark.parametrize("columns", ["²", "-5", "abc", "0", "", "١٢٠"])
@pytest.mark.parametrize("fmt", ["rich", "text"])
def test_a_terminal_width_that_is_no_number_is_not_used(columns: str, fmt: str) -> None:
    # Rich took "²" for a number and failed on int("²") (exit 3).
    result = run_cli("assess", *TWO, "-f", fmt, env={"COLUMNS": columns, "LINES": columns})
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == run_cli("assess", *TWO, "-f", fmt).stdout  # as without COLUMNS


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX descriptors")
@pytest.mark.parametrize(
    "args",
    [
        ["assess", "-"],
        ["assess", "-", "-f", "json"],
        ["validate", "-"],
        ["compare", "-"],
        ["diff", "-", TWO[0]],
        ["assess", TWO[0], "--config", "-"],
    ],
)
def test_a_closed_standard_input_is_said(args: list[str]) -> None:
    # `svclevel assess - <&-` was an AttributeError (exit 3).
    result = _svclevel(*args, env={}, close_stdin=True)
    assert result.returncode == 2, result.stderr
    assert CLOSED in result.stdout + result.stderr
    assert "internal error" not in result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX descriptors")
def test_interview_with_standard_input_closed_writes_nothing(tmp_path: Path) -> None:
    # It was a RuntimeError from input() (exit 3).
    out = tmp_path / "new.yaml"
    result = _svclevel("interview", "-r", "four-level", "-o", str(out), env={}, close_stdin=True)
    assert (result.returncode, result.stderr) == (
        2,
        "standard input is closed: interview reads the answers from it\n",
    )
    assert not out.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="rlimits, /dev/zero")
@pytest.mark.parametrize(
    ("stdin", "mode", "said"),
    [
        ("/dev/zero", "rb", "standard input: a line longer than 65536 characters"),
        (os.devnull, "wb", "cannot read standard input: Bad file descriptor"),
    ],
)
def test_interview_with_endless_or_unreadable_standard_input_is_said(
    stdin: str, mode: str, said: str, tmp_path: Path
) -> None:
    # < /dev/zero grew to gigabytes (a line never ends); 0>/dev/null was exit 3.
    out = tmp_path / "new.yaml"
    result = _svclevel(
        "interview", "-r", "four-level", "-o", str(out), env={}, stdin=stdin, stdin_mode=mode
    )
    assert result.returncode == 2
    assert said in result.stderr
    assert not out.exists()
