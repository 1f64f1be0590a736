"""svclevel merge: exit codes, messages, standard output and -o, never over an input."""

from __future__ import annotations

from pathlib import Path

from svclevel.load.rubrics import read_answers
from tests.helpers import EXAMPLES, ROOT, run_cli

KESTREL = [
    str(EXAMPLES / "respondents" / f"kestrel-{who}.yaml")
    for who in ("coo", "cx-lead", "mira", "tom")
]


def test_merged_to_standard_output_it_reads_back(tmp_path: Path) -> None:
    result = run_cli("merge", *KESTREL)
    assert (result.exit_code, result.stderr) == (0, "")
    out = tmp_path / "merged.yaml"
    out.write_text(result.stdout, encoding="utf-8")
    document = read_answers(out)
    assert document.shape_problems == ()
    assert document.parsed is not None
    assert [r.id for r in document.parsed.respondents] == ["coo", "cx-lead", "mira", "tom"]


def test_merged_to_a_file_and_assessed(tmp_path: Path) -> None:
    out = tmp_path / "kestrel.yaml"
    result = run_cli("merge", *KESTREL, "-o", str(out))
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == f"wrote {out}: 4 respondents (coo, cx-lead, mira, tom), 22 questions\n"
    assessed = run_cli("assess", str(out), "-f", "summary")
    assert assessed.exit_code == 0, assessed.stderr
    assert "Level 2 of 3 (Proactive service)" in assessed.stdout


def test_the_output_is_never_an_input(tmp_path: Path) -> None:
    target = tmp_path / "tom.yaml"
    target.write_bytes(Path(KESTREL[3]).read_bytes())
    before = target.read_bytes()
    result = run_cli("merge", KESTREL[0], str(target), "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr == (
        f"{target}: is also an output of this run ({target}); svclevel never writes over its "
        "inputs: choose another output file\n"
    )
    assert target.read_bytes() == before


def test_inputs_of_different_assessments_write_nothing(tmp_path: Path) -> None:
    other = tmp_path / "mira.yaml"
    other.write_text(
        Path(KESTREL[2]).read_text("utf-8").replace("date: 2026-11-20", "date: 2026-11-21"),
        encoding="utf-8",
    )
    out = tmp_path / "out.yaml"
    result = run_cli("merge", KESTREL[0], str(other), "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr == (
        f"{other}:4:7: date: 2026-11-21 differs from the first file's ({KESTREL[0]}: "
        "2026-11-20): the merged files record one assessment\n"
    )
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [other]  # no temporary file left either


def test_one_file_is_a_usage_error() -> None:
    result = run_cli("merge", KESTREL[0])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "merge takes two or more answers files, one per respondent (got 1)\n"


def test_a_several_respondent_file_is_refused() -> None:
    kestrel = str(EXAMPLES / "kestrel-insurance.yaml")
    result = run_cli("merge", KESTREL[0], kestrel)
    assert result.exit_code == 2
    assert result.stderr == (
        f"{kestrel}:9:1: respondents: this file records several respondents: merge takes one "
        "file per respondent, each naming its one respondent with respondent: {id, role, group}\n"
    )


def test_what_is_no_answers_file_is_refused_as_everywhere(tmp_path: Path) -> None:
    rubric = str(ROOT / "rubrics" / "three-tier.yaml")
    result = run_cli("merge", KESTREL[0], rubric)
    assert (result.exit_code, result.stderr) == (
        2,
        f"{rubric}: this is a rubric, not an answers file (check it with `svclevel validate`)\n",
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text("company: [\n", encoding="utf-8")
    result = run_cli("merge", KESTREL[0], str(broken))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{broken}:2:1: invalid YAML syntax")


def test_a_source_kept_as_written_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    first = tmp_path / "in" / "a.yaml"
    first.write_text(
        "company: Acme\ndate: 2026-06-30\nrespondent: {id: ann}\nanswers:\n"
        "  self_service:\n    value: yes\n    evidence: {text: Portal, source: HR system}\n",
        encoding="utf-8",
    )
    second = tmp_path / "in" / "b.yaml"
    second.write_text(
        "company: Acme\ndate: 2026-06-30\nrespondent: {id: bob}\nanswers:\n  self_service: no\n",
        encoding="utf-8",
    )
    out = tmp_path / "merged.yaml"
    result = run_cli("merge", str(first), str(second), "-o", str(out))
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"{first}:7:38: answers.self_service.evidence.source: warning: HR system: no such file "
        f"beside {first}; kept as written, not rewritten for the merged file's folder",
        f"wrote {out}: 2 respondents (ann, bob), 1 question",
    ]
