"""svclevel interview: driven through a pipe and through a real terminal (a pty)."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from svclevel.author.interview import set_answer
from svclevel.author.template import render_template
from svclevel.cli import app
from svclevel.load.rubrics import load_rubric
from tests.helpers import BUILTIN_IDS, run_cli


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


def test_answers_go_into_an_init_template_keeping_its_comments(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    assert run_cli("init", "-r", "three-rung", "--company", "Acme", "-o", str(path)).exit_code == 0
    template = path.read_text()
    with path.open("a") as f:
        f.write("# reviewed with the service lead on 3 November\n")
    code, _ = _interview(path, "usually -- 96 % on time\n\nsometimes\nquit\n")
    assert code == 0
    text = path.read_text()
    # every comment line of the template is still there, in order, and the note added by hand
    comments = [line for line in template.splitlines() if line.lstrip().startswith("#")]
    kept = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert kept == [*comments, "# reviewed with the service lead on 3 November"]
    assert _answers(path) == {
        **dict.fromkeys(yaml.safe_load(template)["answers"]),
        "promises_kept": {"value": "usually", "evidence": "96 % on time"},
        "anticipate_needs": "sometimes",
    }
    # answers land on their own question's line, under its comments
    lines = text.splitlines()
    at = lines.index("  promises_kept:")
    assert lines[at + 1 : at + 3] == ["    value: usually", "    evidence: 96 % on time"]
    assert lines[at - 1].lstrip().startswith("#")
    assert "  anticipate_needs: sometimes" in lines
    assert run_cli("assess", str(path)).exit_code == 0


def test_an_answer_not_in_the_file_is_added_to_its_answers(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(
        "# our audit of Acme\ncompany: Acme\ndate: 2026-11-01\nrubric: three-rung\n"
        "answers:\n  promises_kept: always  # checked in the CRM\n"
        "# end of answers\n"
    )
    code, _ = _interview(path, "90\nquit\n")
    assert code == 0
    assert path.read_text() == (
        "# our audit of Acme\ncompany: Acme\ndate: 2026-11-01\nrubric: three-rung\n"
        "answers:\n  promises_kept: always  # checked in the CRM\n  csat_pct: 90\n"
        "# end of answers\n"
    )


_TEMPLATES = {rubric: render_template([load_rubric(rubric)]) for rubric in BUILTIN_IDS}


@st.composite
def _edits(draw: st.DrawFn) -> tuple[str, list[tuple[str, object]]]:
    rubric = draw(st.sampled_from(sorted(_TEMPLATES)))
    questions = list(yaml.safe_load(_TEMPLATES[rubric])["answers"])
    value = st.one_of(
        st.sampled_from(["always", "n/a", "yes", "usually"]),
        st.booleans(),
        st.integers(-5, 500),
        st.floats(0, 100, allow_nan=False),
    )
    evidence = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1)
    entry = st.one_of(value, st.fixed_dictionaries({"value": value, "evidence": evidence}))
    return rubric, draw(st.lists(st.tuples(st.sampled_from(questions), entry), max_size=6))


@settings(max_examples=60, deadline=None)
@given(_edits())
def test_answers_written_into_a_template_keep_every_other_line(
    case: tuple[str, list[tuple[str, object]]],
) -> None:
    """Whatever is answered, the template's own lines stay (only answer lines change), and the
    file reads back as the answers given."""
    rubric, edits = case
    text = _TEMPLATES[rubric]
    expected = yaml.safe_load(text)
    for qid, entry in edits:
        edited = set_answer(text, qid, entry)
        assert edited is not None, (qid, entry)
        text = edited
        expected["answers"][qid] = entry
    assert yaml.safe_load(text) == expected
    untouched = [
        line
        for line in _TEMPLATES[rubric].splitlines()
        if not line.startswith("  ") or line.lstrip().startswith("#")
    ]
    assert [line for line in text.splitlines() if line in set(untouched)] == untouched


def test_a_layout_it_cannot_edit_is_written_whole(tmp_path: Path) -> None:
    flow = "company: Acme\ndate: 2026-11-01\nrubric: three-rung\nanswers: {promises_kept: always}\n"
    assert set_answer(flow, "csat_pct", 90) is None
    path = tmp_path / "acme.yaml"
    path.write_text(flow)
    code, _ = _interview(path, "90\nquit\n")
    assert code == 0
    assert _answers(path) == {"promises_kept": "always", "csat_pct": 90}


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


def test_input_that_ends_before_the_header_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "new.yaml"
    result = run_cli("interview", "-o", str(target), stdin="")
    assert result.exit_code == 2
    assert "nothing was written" in result.stderr
    assert not target.exists()


def test_an_interview_on_a_rubric_file_names_it_from_the_answers_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    retail = Path(__file__).resolve().parents[2] / "examples" / "rubrics" / "retail-four-level.yaml"
    (tmp_path / "rubrics").mkdir()
    (tmp_path / "rubrics" / "retail.yaml").write_text(retail.read_text())
    (tmp_path / "audits").mkdir()
    monkeypatch.chdir(tmp_path)
    code, _ = _interview(Path("audits/acme.yaml"), "Acme\n\nquit\n", rubric="rubrics/retail.yaml")
    assert code == 0
    monkeypatch.chdir(tmp_path / "audits")
    result = run_cli("assess", "acme.yaml", "-f", "json", "--isolated")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["rubric"]["id"] == "retail-four-level"
