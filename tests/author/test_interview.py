"""svclevel interview: driven through a pipe and through a real terminal (a pty)."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from svclevel.author.interview import set_answer
from svclevel.author.template import render_template
from svclevel.cli import app
from svclevel.errors import InputError
from svclevel.load.rubrics import load_rubric
from svclevel.load.yamlfile import parse_yaml
from tests.helpers import BUILTIN_IDS, DATA, EXAMPLES, run_cli


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
    keys = (
        "Acme\n2026-11-01\nJane Doe\nusually -- 96 % of orders on time\n80\nback\n75\nbogus\n"
        "always\nquit\n"
    )
    code, out = _interview(path, keys)
    assert code == 0
    assert "✗ expected one of never, rarely, sometimes, usually, always, got 'bogus'" in (
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


def test_skip_and_an_n_a_the_rubric_does_not_accept(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    # EOF ends the session
    _code, out = _interview(path, "Acme\n\n\n\nn/a\n\n?\nsometimes\n")
    assert "✗ n/a is not accepted for this question" in out
    assert _answers(path) == {"anticipate_needs": "sometimes"}


def test_an_n_a_the_rubric_accepts_is_saved_with_its_justification(tmp_path: Path) -> None:
    """mini accepts n/a for csat_pct (its fifth question) when no survey is run."""
    path = tmp_path / "acme.yaml"
    mini = str(DATA / "valid" / "mini-rubric.yaml")
    keys = "Acme\n2026-11-01\n\n\n\n\n\nn/a\nn/a -- We have never surveyed customers.\nquit\n"
    code, out = _interview(path, keys, rubric=mini)
    assert code == 0
    assert "✗ n/a needs a justification after ' -- '" in out
    assert _answers(path) == {
        "csat_pct": {"value": "n/a", "justification": "We have never surveyed customers."}
    }
    assert run_cli("assess", str(path)).exit_code == 0


def test_resume_asks_only_what_is_unanswered(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    _interview(path, "Acme\n\n\nalways\nquit\n")
    code, out = _interview(path, "90\nquit\n")
    assert code == 0
    assert "[2/9]" in out
    assert "[1/9]" not in out
    assert _answers(path) == {"promises_kept": "always", "csat_pct": 90}


def test_a_fully_answered_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    _interview(path, "Acme\n\n\nalways\n90\nalways\nyes\nyes\nalways\nusually\n60\n15\n")
    code, out = _interview(path, "")
    assert code == 0
    assert "Every question is answered already (9)." in out
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
def _edits(draw: st.DrawFn) -> tuple[str, list[tuple[str, object, str | None]]]:
    rubric = draw(st.sampled_from(sorted(_TEMPLATES)))
    questions = list(yaml.safe_load(_TEMPLATES[rubric])["answers"])
    value = st.one_of(
        st.sampled_from(["always", "n/a", "yes", "no", "usually", None]),
        st.integers(-5, 500),
        st.floats(0, 100, allow_nan=False),
    )
    text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1)
    evidence = st.one_of(st.none(), text.filter(lambda t: t.strip() == t and t))
    edit = st.tuples(st.sampled_from(questions), value, evidence)
    return rubric, draw(st.lists(edit, max_size=6))


@settings(max_examples=60, deadline=None)
@given(_edits())
def test_answers_written_into_a_template_keep_every_other_line(
    case: tuple[str, list[tuple[str, object, str | None]]],
) -> None:
    """Whatever is answered, the template's own lines stay (only answer lines change), and the
    file reads back as the answers given, evidence kept when none is given."""
    rubric, edits = case
    text = _TEMPLATES[rubric]
    expected = parse_yaml(text, "").data
    for qid, value, evidence in edits:
        text, _ = set_answer(text, qid, value, evidence)
        before = expected["answers"][qid]
        if isinstance(before, dict):
            expected["answers"][qid] = {**before, "value": value}
            if evidence is not None:
                expected["answers"][qid]["evidence"] = evidence
        else:
            expected["answers"][qid] = (
                value if evidence is None else {"value": value, "evidence": evidence}
            )
    assert parse_yaml(text, "").data == expected
    untouched = [
        line
        for line in _TEMPLATES[rubric].splitlines()
        if not line.startswith("  ") or line.lstrip().startswith("#")
    ]
    assert [line for line in text.splitlines() if line in set(untouched)] == untouched


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


@contextlib.contextmanager
def _terminal(path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """``svclevel interview`` in a real terminal (a pty): the process and the terminal's fd."""
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
        yield proc, master
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        os.close(master)


def test_ctrl_c_in_a_real_terminal_keeps_every_answer(tmp_path: Path) -> None:
    """The real terminal flow: a pty, typed answers, then Ctrl-C halfway through."""
    path = tmp_path / "acme.yaml"
    with _terminal(path) as (proc, master):
        _read_until(master, b"Company> ")
        os.write(master, b"Acme\n")
        _read_until(master, b"Date")
        os.write(master, b"\n")
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
    assert b"Traceback" not in out
    assert _answers(path) == {
        "promises_kept": "usually",
        "csat_pct": {"value": 81, "evidence": "survey, Q3"},
    }
    assert [p.name for p in tmp_path.iterdir()] == ["acme.yaml"]  # no temp file left


def test_ctrl_c_at_the_first_prompt_says_so_on_a_line_of_its_own(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    with _terminal(path) as (proc, master):
        _read_until(master, b"Company> ")
        os.write(master, b"\x03")
        out = _read_until(master, b"nothing was written")
        assert proc.wait(timeout=20) == 130
    assert b"\nsvclevel: interrupted; nothing was written" in out.replace(b"\r", b"")
    assert b"Traceback" not in out
    assert not path.exists()


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
    code, _ = _interview(Path("audits/acme.yaml"), "Acme\n\n\nquit\n", rubric="rubrics/retail.yaml")
    assert code == 0
    monkeypatch.chdir(tmp_path / "audits")
    # the rubric is outside the answers folder, now the working directory: allowed explicitly
    allow = ("--allow-path", str(tmp_path / "rubrics"))
    result = run_cli("assess", "acme.yaml", "-f", "json", "--isolated", *allow)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["rubric"]["id"] == "retail-four-level"


# --------------------------------------------------------------------------- reported bugs

_HEADER = "company: Acme\ndate: 2026-11-01\nrubric: three-rung\n"


def _run(path: Path, keys: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        app, ["interview", *args, "-o", str(path)], input=keys, env={"COLUMNS": "100"}
    )
    return result.exit_code, result.stdout, result.stderr


def test_changing_an_answer_keeps_its_notes_evidence_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(
        _HEADER + "answers:\n"
        "  promises_kept:\n"
        "    value: usually  # from the CRM\n"
        "    evidence: 96 % on time\n"
        "    notes: ask again in Q1\n"
        "  csat_pct: 80  # survey\n"
    )
    # starts at anticipate_needs; back to csat_pct (changed), then back twice to promises_kept
    code, out, _ = _run(path, "back\n85%\nback\nback\nalways\nquit\n")
    assert code == 0
    assert "now: 80 %" in out  # the current answer is shown when going back
    assert "now: usually — evidence: 96 % on time — notes: ask again in Q1" in out
    assert path.read_text() == (
        _HEADER + "answers:\n"
        "  promises_kept:\n"
        "    value: always  # from the CRM\n"
        "    evidence: 96 % on time\n"
        "    notes: ask again in Q1\n"
        "  csat_pct: 85  # survey\n"
    )


def test_new_evidence_replaces_the_old_and_a_bare_answer_keeps_its_comment(
    tmp_path: Path,
) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(
        _HEADER + "answers:\n"
        "  promises_kept:\n"
        "    value: usually\n"
        "    evidence: old survey\n"
        "  csat_pct: 80  # survey\n"
    )
    code, _, _ = _run(path, "back\nback\nalways -- new survey\n81 -- Q3 panel\nquit\n")
    assert code == 0
    assert path.read_text() == (
        _HEADER + "answers:\n"
        "  promises_kept:\n"
        "    value: always\n"
        "    evidence: new survey\n"
        "  csat_pct:  # survey\n"
        "    value: 81\n"
        "    evidence: Q3 panel\n"
    )


def test_a_flow_mapping_of_answers_is_edited_in_place(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(_HEADER + "answers: {promises_kept: always}  # filled in by hand\n# the end\n")
    code, _, _ = _run(path, "90 -- survey, Q3\nquit\n")
    assert code == 0
    assert path.read_text() == (
        _HEADER + 'answers: {promises_kept: always, csat_pct: {value: 90, evidence: "survey, Q3"}}'
        "  # filled in by hand\n# the end\n"
    )


def test_a_layout_it_cannot_edit_in_place_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    text = _HEADER + "answers:\n  promises_kept: |\n    usually\n"
    path.write_text(text)
    code, _, err = _run(path, "back\nalways -- seen in the CRM\n")
    assert code == 2
    assert f"{path}:5:" in err
    assert "always -- seen in the CRM" in err  # what was typed is not lost
    assert "Traceback" not in err
    assert path.read_text() == text


def test_the_file_names_its_rubric(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(_HEADER + "answers:\n")
    code, out, _ = _run(path, "quit\n")
    assert code == 0
    assert "[1/9]" in out  # three-rung's 9 questions, not every rubric's


def test_a_custom_rubric_the_file_names_is_asked_its_own_questions(tmp_path: Path) -> None:
    rubric = EXAMPLES / "rubrics" / "retail-four-level.yaml"
    path = tmp_path / "shop.yaml"
    path.write_text(
        f"company: Shop\ndate: 2026-11-01\nrubric: {os.path.relpath(rubric, tmp_path)}\nanswers:\n"
    )
    keys = "\n" * 4 + "yes\nquit\n"  # the fifth question is the rubric's own
    code, out, _ = _run(path, keys)
    assert code == 0
    assert "returns_hassle_free>" in out
    assert "  returns_hassle_free: yes" in path.read_text().splitlines()


def test_a_rubric_the_file_names_that_cannot_be_found_is_an_error_at_its_line(
    tmp_path: Path,
) -> None:
    path = tmp_path / "shop.yaml"
    path.write_text("company: Shop\ndate: 2026-11-01\nrubric: no-such-rubric\nanswers:\n")
    code, _, err = _run(path, "quit\n")
    assert code == 2
    assert f"{path}:3:" in err
    assert "unknown rubric 'no-such-rubric'" in err


def test_clear_blanks_an_answer_and_keeps_its_evidence(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(
        _HEADER + "answers:\n"
        "  promises_kept:\n    value: usually\n    evidence: CRM\n"
        "  csat_pct: 80  # survey\n"
    )
    code, _, _ = _run(path, "back\nclear\nclear\n\nquit\n")
    assert code == 0
    assert path.read_text() == (
        _HEADER + "answers:\n"
        "  promises_kept:\n    value: usually\n    evidence: CRM\n"
        "  csat_pct:  # survey\n"
    )
    code, _, _ = _run(path, "back\nclear\nquit\n")  # resumes at csat_pct: back to the first
    assert path.read_text() == (
        _HEADER + "answers:\n"
        "  promises_kept:\n    value:\n    evidence: CRM\n"
        "  csat_pct:  # survey\n"
    )


def test_the_date_is_asked_for_a_new_file(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    code, out, _ = _run(path, "Acme\n1 Nov\n2026-11-01\nJane\nquit\n", "-r", "three-rung")
    assert code == 0
    assert "✗ expected a date such as" in out
    data = yaml.safe_load(path.read_text())
    assert str(data["date"]) == "2026-11-01"


def test_answers_are_written_as_the_template_spells_them(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(_HEADER + "answers:\n")
    keys = (
        "\n".join(["always", "85 %", "usually", "y", "No", "Sometimes", "Rarely", "4,5", "-2,5"])
        + "\n"
    )
    code, out, _ = _run(path, keys)
    assert code == 0, out
    assert path.read_text() == (
        _HEADER + "answers:\n"
        "  promises_kept: always\n  csat_pct: 85\n  anticipate_needs: usually\n"
        "  anticipation_training: yes\n  anticipation_promoted: no\n"
        "  service_culture: sometimes\n  memorable_moments: rarely\n"
        "  nps: 4.5\n  retention_vs_benchmark_pts: -2.5\n"
    )
    assert run_cli("assess", str(path)).exit_code == 0
    # a percentage written without the space is the same number
    other = tmp_path / "globex.yaml"
    other.write_text(_HEADER + "answers:\n  promises_kept: always\n")
    code, out, _ = _run(other, "85%\nquit\n")
    assert code == 0, out
    assert _answers(other) == {"promises_kept": "always", "csat_pct": 85}


def test_an_ambiguous_number_is_asked_again(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(_HEADER + "answers:\n  promises_kept: always\n")
    code, out, _ = _run(path, "1,000\n10\nquit\n")
    assert code == 0
    assert "✗" in out
    assert _answers(path)["csat_pct"] == 10


def test_typing_quit_for_the_company_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    code, _, err = _run(path, "quit\n", "-r", "three-rung")
    assert code == 0
    assert "nothing was written" in err
    assert not path.exists()


def test_input_that_ends_in_the_header_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    code, _, err = _run(path, "Acme\n", "-r", "three-rung")
    assert code == 2
    assert "nothing was written" in err
    assert not path.exists()


def test_a_symlinked_file_gets_the_answer(tmp_path: Path) -> None:
    real = tmp_path / "audits" / "acme.yaml"
    real.parent.mkdir()
    real.write_text(_HEADER + "answers:\n")
    link = tmp_path / "acme.yaml"
    link.symlink_to(real)
    code, _, _ = _run(link, "always\nquit\n")
    assert code == 0
    assert link.is_symlink()
    assert _answers(real) == {"promises_kept": "always"}
    assert sorted(p.name for p in real.parent.iterdir()) == ["acme.yaml"]


def test_crlf_line_ends_and_a_bom_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    text = "\ufeff# audit\r\n" + _HEADER.replace("\n", "\r\n") + "answers:\r\n  csat_pct: 80\r\n"
    path.write_bytes(text.encode())
    code, _, _ = _run(path, "always\nquit\n")
    assert code == 0
    assert path.read_bytes().decode() == text + "  promises_kept: always\r\n"


def test_a_template_naming_its_rubric_keeps_every_comment(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    assert run_cli("init", "--company", "Acme", "-o", str(path)).exit_code == 0
    before = path.read_text()
    code, _, _ = _run(path, "usually\nquit\n", "-r", "three-rung")
    assert code == 0
    after = path.read_text()
    assert [x for x in after.splitlines() if "#" in x] == [
        x for x in before.splitlines() if "#" in x
    ]
    assert "  promises_kept: usually" in after.splitlines()


def test_the_file_mode_is_kept_and_new_files_follow_the_umask(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(_HEADER + "answers:\n")
    path.chmod(0o600)
    _run(path, "always\nquit\n")
    assert path.stat().st_mode & 0o777 == 0o600
    new = tmp_path / "new.yaml"
    old = os.umask(0o027)
    try:
        _run(new, "Acme\n2026-11-01\n\nquit\n", "-r", "three-rung")
    finally:
        os.umask(old)
    assert new.stat().st_mode & 0o777 == 0o640


def test_an_edit_that_does_not_read_back_as_intended_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    text = "{company: Acme, date: 2026-11-01, rubric: three-rung}  # no answers yet\n"
    path.write_text(text)
    code, _, err = _run(path, "always\n")
    assert code == 2
    assert "the file was not changed" in err
    assert "(you typed: always)" in err
    assert path.read_text() == text


def test_a_new_file_names_the_rubric_so_that_it_resolves_from_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "audits" / "shop.yaml"
    path.parent.mkdir()
    rubric = str((EXAMPLES / "rubrics" / "retail-four-level.yaml").relative_to(Path.cwd()))
    code, _, _ = _run(path, "Shop: the store\n2026-11-01\n\nalways\nquit\n", "-r", rubric)
    assert code == 0
    data = parse_yaml(path.read_text(), "").data
    assert data["company"] == "Shop: the store"
    assert data["answers"] == {"promises_kept": "always"}
    assert run_cli("assess", str(path)).exit_code == 0


def test_a_rubric_other_than_the_files_is_announced(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(_HEADER + "answers:\n")
    code, out, err = _run(path, "quit\n", "-r", "four-level")
    assert code == 0
    assert f"{path}:3: note: the file names rubric 'three-rung'" in err
    assert "[1/8]" not in out


_QIDS = ("promises_kept", "csat_pct", "anticipate_needs")


@st.composite
def _files(draw: st.DrawFn) -> tuple[str, list[tuple[str, object, str | None]]]:
    """An answers file in one of many hand-written layouts, each comment unique, and edits."""
    flow = draw(st.booleans())
    entries: list[str] = []
    for n, qid in enumerate(_QIDS):
        kind = draw(st.sampled_from(["absent", "bare", "blank", "mapping", "flow-mapping"]))
        value = draw(st.sampled_from(["usually", "80", "n/a", '"always"']))
        if kind == "absent":
            continue
        if kind == "bare":
            entries.append(f"{qid}: {value}" + ("" if flow else f"  # c{n}"))
        elif kind == "blank":
            entries.append(f"{qid}: " + ("" if flow else f" # c{n}"))
        else:
            fields = [f"value: {value}"] if draw(st.booleans()) else []
            fields += ["evidence: seen"] if draw(st.booleans()) else []
            fields += [f"notes: note {n}"] if draw(st.booleans()) or not fields else []
            if kind == "flow-mapping" or flow:
                entries.append(f"{qid}: {{{', '.join(fields)}}}")
            else:
                entries.append(
                    f"{qid}:  # c{n}\n"
                    + "".join(f"    {f}  # c{n}{i}\n" for i, f in enumerate(fields))
                )
    body = (
        "answers: {" + ", ".join(entries) + "}  # the answers\n"
        if flow
        else "answers:  # the answers\n"
        + "".join(f"  {e}\n".replace("\n\n", "\n") for e in entries)
    )
    text = "# audit\n" + _HEADER + body + "# the end\n"
    values: st.SearchStrategy[object] = st.sampled_from(["always", "n/a", 75, 12.5, None])
    evidence = st.one_of(st.none(), st.sampled_from(["CRM", "survey, Q3", 'said "#1"']))
    edits = st.lists(st.tuples(st.sampled_from(_QIDS), values, evidence), max_size=4)
    return text, draw(edits)


@settings(max_examples=150, deadline=None)
@given(_files())
def test_every_edit_is_exactly_the_answer_or_refused(
    case: tuple[str, list[tuple[str, object, str | None]]],
) -> None:
    """Whatever the layout: either the edit changes exactly that answer (its other fields and
    every comment kept), or it is refused; it never loses a character silently."""
    text, edits = case
    try:
        parse_yaml(text, "")
    except InputError:
        assume(False)  # a layout YAML itself refuses
    comments = re.findall(r"# [^\n]*", text)
    for qid, value, evidence in edits:
        before = parse_yaml(text, "").data
        try:
            text, entry = set_answer(text, qid, value, evidence)
        except InputError as exc:
            refused = str(exc)
        else:
            refused = ""
        if refused:
            assert "the file was not changed" in refused
            continue
        current = (before["answers"] or {}).get(qid)
        wanted: object
        if isinstance(current, dict):
            wanted = (
                {**current, "value": value} if value is not None or "value" in current else current
            )
            if evidence is not None:
                wanted = {**wanted, "evidence": evidence}
        else:
            wanted = value if evidence is None else {"value": value, "evidence": evidence}
        assert entry == wanted
        assert parse_yaml(text, "").data == {
            **before,
            "answers": {**(before["answers"] or {}), qid: wanted},
        }
        assert all(text.count(c) >= comments.count(c) for c in comments)


def test_resuming_asks_only_what_is_unanswered_and_back_walks_every_question(
    tmp_path: Path,
) -> None:
    from svclevel.author.interview import questions_of
    from svclevel.load.rubrics import load_rubric
    from tests.helpers import best_value

    questions = questions_of([load_rubric("three-rung")])
    middle = questions[1:-1]
    path = tmp_path / "acme.yaml"
    answered = "".join(f"  {q.id}: {json.dumps(best_value(q))}\n" for q in middle)
    path.write_text(_HEADER + "answers:\n" + answered)
    n = len(questions)
    code, out, _ = _run(path, "\n\nquit\n")  # skip the first, skip the last, quit
    assert code == 0
    asked = re.findall(r"\[(\d+)/\d+\]", out)
    assert asked == ["1", str(n)]  # the answered ones in between are not asked again
    code, out, _ = _run(path, "\nback\n\n\nquit\n")  # back from the last walks one by one
    assert re.findall(r"\[(\d+)/\d+\]", out) == ["1", str(n), str(n - 1), str(n)]


def test_an_invalid_answer_in_the_file_is_asked_again(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(_HEADER + "answers:\n  csat_pct: 140  # typed by hand\n")
    code, out, _ = _run(path, "\n92\nquit\n")  # skip the first question; csat_pct is next
    assert code == 0
    said = " ".join(out.split())
    assert "csat_pct: the answer in the file is not valid (must be ≤ 100 %, got 140)" in said
    assert "  csat_pct: 92  # typed by hand\n" in path.read_text()


def test_end_of_input_ends_the_prompt_line(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(_HEADER + "answers:\n")
    code, out, _ = _run(path, "")  # Ctrl-D at the first question
    assert code == 0
    assert out.endswith("> \n")  # the prompt's line is ended before the summary


def test_a_new_answer_keeps_the_n_a_justification_as_a_note() -> None:
    text = (
        "company: A\ndate: 2026-01-01\nanswers:\n"
        "  csat_pct:\n    value: n/a\n    justification: no survey\n"
    )
    edited, entry = set_answer(text, "csat_pct", 85)
    assert entry == {"value": 85, "notes": "no survey"}
    assert yaml.safe_load(edited)["answers"]["csat_pct"] == {"value": 85, "notes": "no survey"}
    with pytest.raises(InputError, match="has notes already"):
        set_answer(
            text.replace("    justification", "    notes: kept\n    justification"), "csat_pct", 85
        )


def test_an_answer_with_dated_evidence_items_is_answered_and_its_items_kept(
    tmp_path: Path,
) -> None:
    path = tmp_path / "brightdesk.yaml"
    path.write_text(
        (EXAMPLES / "brightdesk-saas.yaml")
        .read_text(encoding="utf-8")
        .replace("documented_processes:\n    value: yes\n", "documented_processes:\n    value:\n"),
        encoding="utf-8",
    )
    code, out = _interview(path, "yes\nquit\n", rubric="three-tier")
    assert code == 0, out
    assert "(as of 2026-10-14)" in out
    assert "datetime" not in out
    entry = yaml.safe_load(path.read_text())["answers"]["documented_processes"]
    assert entry["value"] is True
    assert entry["evidence"][0]["as_of"].isoformat() == "2026-10-14"
    with pytest.raises(InputError, match="its evidence is not a single value \\(dated items"):
        set_answer(path.read_text(), "documented_processes", True, "new evidence")


# --------------------------------------------------------------------------- --respondent


def _responses(path: Path, qid: str) -> dict[str, object]:
    """The responses svclevel's assessment gives ``qid``, respondent → answer data."""
    import svclevel

    result = svclevel.assess(path)
    for level in result.levels:
        for criterion in level.criteria:
            if criterion.spec.question_id == qid and criterion.responses is not None:
                return {r.respondent: r.value for r in criterion.responses.responses}
    return {}


def test_a_new_respondent_s_answers_go_under_responses_and_into_the_panel(
    tmp_path: Path,
) -> None:
    path = tmp_path / "kestrel.yaml"
    original = (EXAMPLES / "kestrel-insurance.yaml").read_text()
    path.write_text(original)
    keys = "yes -- saw the process library\nn/a -- not for me\nno\nquit\n"
    code, out, err = _run(
        path, keys, "--respondent", "ana", "--role", "Complaints officer", "--group", "frontline"
    )
    assert code == 0, err
    flat = " ".join(out.split())
    assert "Answering as respondent ana (added to the file's respondents" in flat
    assert (
        f"{path}:16: resolution_rate_pct: skipped: it is answered with a value, and value and "
        "responses cannot both be given (remove the value to record ana's answer)"
    ) in flat
    assert "✗ n/a is not a respondent's answer: a question that does not apply" in flat
    assert "2 of 19 questions answered by ana (3 skipped, said above)" in err
    # every line of the file stays; the new ones are the declaration and ana's two answers
    expected = original.replace(
        "  - {id: tom, role: Contact-centre agent, group: frontline}\n",
        "  - {id: tom, role: Contact-centre agent, group: frontline}\n"
        "  - {id: ana, role: Complaints officer, group: frontline}\n",
    ).replace(
        "        notes: Says the contact-centre scripts were last updated before the new claims "
        "system.\n",
        "        notes: Says the contact-centre scripts were last updated before the new claims "
        "system.\n"
        "      ana:\n"
        "        value: yes\n"
        "        evidence: saw the process library\n",
    )
    assert path.read_text() == expected.replace(
        "    responses: {coo: yes, cx-lead: yes, mira: yes, tom: yes}\n    evidence:",
        "    responses: {coo: yes, cx-lead: yes, mira: yes, tom: yes, ana: no}\n    evidence:",
        1,  # staff_training, the question after documented_processes
    )
    # svclevel reads it back, and ana is in the panel with her answers
    result = run_cli("assess", str(path))
    assert result.exit_code == 0, result.stderr
    import svclevel

    assessment = svclevel.assess(path)
    assert assessment.panel is not None
    assert [r.id for r in assessment.panel.respondents][-1] == "ana"
    assert _responses(path, "documented_processes")["ana"] is True
    assert _responses(path, "staff_training")["ana"] is False
    assert _responses(path, "staff_training")["coo"] is True


def test_an_undeclared_respondent_is_refused_naming_the_declared_ones(tmp_path: Path) -> None:
    path = tmp_path / "kestrel.yaml"
    original = (EXAMPLES / "kestrel-insurance.yaml").read_text()
    path.write_text(original)
    code, out, err = _run(path, "yes\n", "--respondent", "tomm")
    assert code == 2
    assert err == (
        f"{path}:9: 'tomm' is not a declared respondent; did you mean 'tom'? (respondents: coo, "
        "cx-lead, mira, tom); to add a new respondent, give their --role or --group\n"
    )
    assert out == ""
    assert path.read_text() == original


def test_a_declared_respondent_resumes_with_only_their_unanswered_questions(
    tmp_path: Path,
) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(
        _HEADER + "respondents:\n"
        "  - {id: jo, group: staff}\n"
        "  - {id: kim, group: staff}\n"
        "answers:\n"
        "  promises_kept:\n"
        "    responses:\n"
        "      jo: usually  # said twice\n"
        "      kim: always\n"
        "    consensus: usually\n"
        "    consensus_note: checked the order log\n"
        "  csat_pct:\n"
        "    responses: {kim: 70}\n"
    )
    before = path.read_text()
    code, out, err = _run(path, "80 %\nrarely\n", "--respondent", "jo", "-r", "three-rung")
    assert code == 0, err
    assert "promises_kept>" not in out  # jo has answered it
    assert path.read_text() == before.replace("{kim: 70}", "{kim: 70, jo: 80}") + (
        "  anticipate_needs:\n    responses:\n      jo: rarely\n"
    )
    assert _responses(path, "csat_pct") == {"kim": 70, "jo": 80}
    assert _responses(path, "anticipate_needs") == {"jo": "rarely"}
    # --group agreeing with the declaration is a resume; disagreeing is refused
    assert _run(path, "", "--respondent", "jo", "--group", "staff", "-r", "three-rung")[0] == 0
    code, _, err = _run(path, "", "--respondent", "jo", "--group", "management")
    assert code == 2
    assert "respondent 'jo' is declared with group 'staff', not 'management'" in err


def test_a_new_file_started_for_a_respondent_declares_them_with_the_first_answer(
    tmp_path: Path,
) -> None:
    path = tmp_path / "acme.yaml"
    keys = "Acme\n2026-11-01\n\nquit\n"
    code, _, err = _run(path, keys, "--respondent", "jo", "-r", "three-rung")
    assert code == 0, err
    assert "respondents" not in path.read_text()  # no respondent without a response
    code, _, err = _run(
        path, "usually\nquit\n", "--respondent", "jo", "--role", "Agent", "-r", "three-rung"
    )
    assert code == 0, err
    text = path.read_text()
    assert "respondents:\n  - {id: jo, role: Agent}\nanswers:\n" in text
    assert text.endswith("answers:\n  promises_kept:\n    responses:\n      jo: usually\n")
    assert _responses(path, "promises_kept") == {"jo": "usually"}


def test_without_respondent_questions_with_responses_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(
        _HEADER + "respondents:\n"
        "  - {id: jo}\n"
        "answers:\n"
        "  promises_kept:\n"
        "    responses: {jo: usually}\n"
    )
    before = path.read_text()
    code, out, err = _run(path, "80\nalways\n", "-r", "three-rung")
    assert code == 0, err
    assert (
        f"{path}:7: promises_kept: skipped: it is answered by respondents (responses), so it "
        "takes no value; give --respondent ID to record one respondent's answer"
    ) in " ".join(out.split())
    assert path.read_text() == before + "  csat_pct: 80\n  anticipate_needs: always\n"
    assert "2 of 8 questions answered (1 skipped, said above)" in err
    assert run_cli("assess", str(path)).exit_code == 0


def test_a_value_is_never_overwritten_with_responses() -> None:
    from svclevel.author.interview import set_response

    text = "company: A\ndate: 2026-11-01\nanswers:\n  csat_pct: 80\n"
    with pytest.raises(InputError) as caught:
        set_response(text, "csat_pct", "jo", 70, name="a.yaml")
    assert str(caught.value.problems[0]) == (
        "a.yaml:4: answers.csat_pct: it is answered with a value, and value and responses "
        "cannot both be given; the file was not changed"
    )


def test_respondent_options_are_checked_before_anything_is_asked(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    code, _, err = _run(path, "Acme\n", "--respondent", "Jo Smith")
    assert (code, err) == (
        2,
        "--respondent 'Jo Smith': expected lowercase letters, digits, '-' and "
        "'_', starting with a letter or digit (such as cx-lead)\n",
    )
    code, _, err = _run(path, "Acme\n", "--group", "staff")
    assert code == 2
    assert "--role and --group describe the respondent: give --respondent ID" in err
    assert not path.exists()


@pytest.mark.parametrize(
    ("answers", "written"),
    [
        (
            "answers:\n  x:   # keep\n  y: 2\n",
            "answers:\n  x:   # keep\n    responses:\n      jo: 3\n  y: 2\n",
        ),
        ("answers: {y: 2}\n", "answers: {y: 2, x: {responses: {jo: 3}}}\n"),
        (
            "answers:\n  x:\n    responses:\n    notes: hi\n",
            "answers:\n  x:\n    responses:\n      jo: 3\n    notes: hi\n",
        ),
        (
            "answers:\n  x: {responses: {kim: {value: 2, notes: n}}}\n",
            "answers:\n  x: {responses: {kim: {value: 2, notes: n}, jo: 3}}\n",
        ),
    ],
)
def test_a_response_is_written_into_each_layout_keeping_the_rest(
    answers: str, written: str
) -> None:
    from svclevel.author.interview import set_response

    header = "company: A\ndate: 2026-11-01\n"
    text, entry = set_response(header + answers, "x", "jo", 3)
    assert text == header + written
    assert entry["responses"]["jo"] == 3


def test_a_respondent_is_added_to_a_flow_or_block_list_of_respondents() -> None:
    from svclevel.author.interview import declare_respondent

    person = {"id": "jo", "role": "COO, operations"}
    flow = declare_respondent("company: A\nrespondents: [{id: kim}]\nanswers:\n", person)
    assert (
        flow
        == 'company: A\nrespondents: [{id: kim}, {id: jo, role: "COO, operations"}]\nanswers:\n'
    )
    block = declare_respondent("company: A\nrespondents:\n- id: kim\n  group: g\n", person)
    assert (
        block
        == 'company: A\nrespondents:\n- id: kim\n  group: g\n- {id: jo, role: "COO, operations"}\n'
    )


def test_a_file_of_one_respondent_takes_no_respondent_s_responses(tmp_path: Path) -> None:
    path = tmp_path / "kim.yaml"
    path.write_text(_HEADER + "respondent: {id: kim, role: COO}\nanswers:\n")
    before = path.read_text()
    code, _, err = _run(path, "usually\n", "--respondent", "jo", "--group", "staff")
    assert code == 2
    assert err == (
        f"{path}:4: the file records one respondent ('kim', under respondent:), whose answers "
        "are the values; --respondent records one of several respondents' responses, which "
        "cannot be given with respondent: (run the interview without --respondent)\n"
    )
    assert path.read_text() == before
