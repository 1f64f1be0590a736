"""svclevel.author.merge: one answers file per respondent → one several-respondent file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import svclevel
from svclevel.author.merge import merge
from svclevel.errors import InputError, UsageError
from svclevel.load.rubrics import answers_document
from svclevel.load.yamlfile import parse_yaml
from tests.helpers import EXAMPLES

RESPONDENTS = EXAMPLES / "respondents"
KESTREL = [RESPONDENTS / f"kestrel-{who}.yaml" for who in ("coo", "cx-lead", "mira", "tom")]
FIGURES = ("resolution_rate_pct", "first_response_hours", "nps")
"""The figures the COO's file gives: in the merged file, the COO's responses."""
ASSESSORS_EVIDENCE = (
    "staff_training",
    "self_service",
    "proactive_outreach",
    "crm_history",
    "service_review",
    "leadership_cx",
)
"""Questions whose evidence examples/kestrel-insurance.yaml gives for the whole question, and
the COO's file as the COO's."""

CONSENSUS = """\
    consensus: yes
    consensus_note: >-
      The assessor checked the website on 2026-11-18: terms, excesses, fees and the complaints
      route are published and dated. The agents meant that customers do not find them, which is
      a finding for self-service, not for transparency.
"""


def _merged_kestrel(folder: Path, *, consensus: bool) -> Path:
    out = folder / "kestrel-merged.yaml"
    text = merge(KESTREL, output=out).text
    if consensus:
        line = "    responses: {coo: yes, cx-lead: yes, mira: no, tom: no}\n"
        at = text.index("  policies_transparent:\n" + line) + len("  policies_transparent:\n")
        text = text[: at + len(line)] + CONSENSUS + text[at + len(line) :]
    out.write_text(text, encoding="utf-8")
    return out


def _comparable(data: Any) -> Any:
    """The record without file positions (the merged file's lines differ by construction),
    and each criterion (in levels, gaps and the roadmap) with the differences by design undone:
    the COO's figures are the COO's one response, and the records the assessor checked come as
    the COO's evidence (examples/kestrel-insurance.yaml gives both for the whole question)."""
    if isinstance(data, list):
        return [_comparable(v) for v in data]
    if not isinstance(data, dict):
        return data
    out = {k: _comparable(v) for k, v in data.items() if k not in ("line", "answers_file")}
    heard = out.get("responses")
    if out.get("question_id") in FIGURES and heard is not None:
        assert [r["respondent"] for r in heard["responses"]] == ["coo"]
        assert (heard["aggregate"], heard["flags"]) == (out["answer"], [])
        out["responses"] = None
    elif out.get("question_id") in ASSESSORS_EVIDENCE and out["evidence_items"]:
        assert heard is not None
        coo = heard["responses"][0]
        assert coo["respondent"] == "coo"
        if coo["evidence_items"]:
            assert coo["evidence_items"] == out["evidence_items"]
            coo["evidence_items"] = []
    return out


def test_the_four_interviews_merged_assess_as_kestrel_insurance(tmp_path: Path) -> None:
    merged = svclevel.assess(_merged_kestrel(tmp_path, consensus=True)).to_dict()
    original = svclevel.assess(EXAMPLES / "kestrel-insurance.yaml").to_dict()
    assert merged["level"] == original["level"]
    assert merged["panel"] == original["panel"]  # respondents, alphas, disputed questions
    # Everything else is the same too: every answer, aggregate, distribution, flag, gap and
    # roadmap step, once the differences by design are undone.
    assert _comparable(merged) == _comparable(original)


def test_without_the_consensus_the_agents_and_managers_tie_on_transparency(
    tmp_path: Path,
) -> None:
    result = svclevel.assess(_merged_kestrel(tmp_path, consensus=False))
    original = svclevel.assess(EXAMPLES / "kestrel-insurance.yaml")
    assert result.level is not None
    assert original.level is not None
    assert result.level.name == original.level.name == "Proactive service"
    (criterion,) = [c for c in result.levels[0].criteria if c.question_id == "policies_transparent"]
    assert criterion.responses is not None
    assert (criterion.answer, criterion.responses.consensus) == ("no", None)
    assert result.to_dict()["panel"] == original.to_dict()["panel"]


def test_the_merged_file_reads_back_with_respondents_in_input_order(tmp_path: Path) -> None:
    merged = merge(KESTREL, output=tmp_path / "out.yaml")
    document = answers_document(parse_yaml(merged.text, "out.yaml"))
    assert document.shape_problems == ()
    assert document.parsed is not None
    assert [r.id for r in document.parsed.respondents] == ["coo", "cx-lead", "mira", "tom"]
    assert merged.respondents == ("coo", "cx-lead", "mira", "tom")
    assert merged.questions == len(document.parsed.answers) == 22
    assert document.parsed.assessor == "Dana Okafor, Keystone CX Advisors"
    assert merged.text.startswith(
        "# Merged by `svclevel merge` from one answers file per respondent:\n"
        f"#   {KESTREL[0]} (coo)\n"
    )
    answers = document.parsed.answers
    follow_up = answers["follow_up_after_resolution"].responses
    assert follow_up is not None
    assert follow_up["mira"].notes == (
        "The survey goes out, but nobody calls back when the answer is poor."
    )
    assert follow_up["coo"].evidence is not None
    assert str(follow_up["coo"].evidence[0].as_of) == "2026-06-01"
    feedback = answers["feedback_frequency"].responses
    assert feedback is not None
    assert feedback["tom"].value is None  # asked, and gave no answer: kept as such
    assert merged.warnings == ()


def test_a_respondent_file_is_an_ordinary_assessment() -> None:
    result = svclevel.assess(KESTREL[0])
    assert result.level is not None
    assert result.level.name == "Proactive service"
    assert result.panel is None  # one person: no panel, no agreement
    criterion = next(c for c in result.levels[0].criteria if c.question_id == "staff_training")
    assert criterion.responses is None


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _person(rid: str, answers: str, header: str = "") -> str:
    return (
        "company: Acme\ndate: 2026-06-30\nrubric: three-tier\n"
        f"{header}respondent: {{id: {rid}, group: staff}}\nanswers:\n{answers}"
    )


def test_evidence_of_every_kind_stays_with_its_respondent(tmp_path: Path) -> None:
    evidence = (
        "  documented_processes:\n    value: yes\n    evidence:\n"
        "      - text: Process library\n        as_of: 2026-05-31\n"
        "        period: {from: 2026-01-01, to: 2026-05-31}\n"
        "        source: library.pdf\n        sha256: " + "a" * 64 + "\n"
        "        collected: 2026-06-02\n        reviewer: Dana\n        valid_until: 2026-12-31\n"
        "    notes: Checked on site.\n"
    )
    _write(tmp_path / "in", "library.pdf", "pdf")
    a = _write(tmp_path / "in", "a.yaml", _person("ann", evidence))
    b = _write(tmp_path / "in", "b.yaml", _person("bob", "  documented_processes: no\n"))
    merged = merge([a, b], output=tmp_path / "out" / "merged.yaml")
    data = parse_yaml(merged.text, "merged.yaml").data
    ann = data["answers"]["documented_processes"]["responses"]["ann"]
    assert ann["evidence"] == [
        {
            "text": "Process library",
            "as_of": parse_yaml("d: 2026-05-31", "").data["d"],
            "period": {
                "from": parse_yaml("d: 2026-01-01", "").data["d"],
                "to": parse_yaml("d: 2026-05-31", "").data["d"],
            },
            "source": "../in/library.pdf",  # rewritten: it resolves from the output's folder
            "sha256": "a" * 64,
            "collected": parse_yaml("d: 2026-06-02", "").data["d"],
            "reviewer": "Dana",
            "valid_until": parse_yaml("d: 2026-12-31", "").data["d"],
        }
    ]
    assert ann["notes"] == "Checked on site."
    assert data["answers"]["documented_processes"]["responses"]["bob"] == "no"


def test_questions_only_some_answered_come_after_the_first_files(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.yaml", _person("ann", "  self_service: yes\n  crm_history: no\n"))
    b = _write(tmp_path, "b.yaml", _person("bob", "  leadership_cx: yes\n  self_service: no\n"))
    data = parse_yaml(merge([a, b]).text, "m").data
    assert list(data["answers"]) == ["self_service", "crm_history", "leadership_cx"]
    assert data["answers"]["crm_history"] == {"responses": {"ann": "no"}}
    assert data["answers"]["self_service"] == {"responses": {"ann": "yes", "bob": "no"}}


def test_measurements_and_exceptions_are_united_and_rebased(tmp_path: Path) -> None:
    a = _write(
        tmp_path / "ann",
        "a.yaml",
        _person("ann", "  self_service: yes\n", "measurements: [figures.yaml]\n"),
    )
    b = _write(
        tmp_path / "bob",
        "b.yaml",
        _person(
            "bob",
            "  self_service: yes\n",
            "measurements: [../ann/figures.yaml, q3.yaml]\nexceptions: [/srv/waivers.yaml]\n",
        ),
    )
    data = parse_yaml(merge([a, b], output=tmp_path / "merged.yaml").text, "m").data
    assert data["measurements"] == ["ann/figures.yaml", "bob/q3.yaml"]
    assert data["exceptions"] == ["/srv/waivers.yaml"]  # absolute: kept


def test_different_assessors_are_joined_and_said_so(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.yaml", _person("ann", "  self_service: yes\n", "assessor: Dana\n"))
    b = _write(tmp_path, "b.yaml", _person("bob", "  self_service: yes\n", "assessor: Lee\n"))
    merged = merge([a, b])
    assert parse_yaml(merged.text, "m").data["assessor"] == "Dana; Lee"
    assert (
        "The inputs name different assessors, joined here in file order: "
        f"Dana ({a}); Lee ({b})." in _comment(merged.text)
    )


def _comment(text: str) -> str:
    """The header comment, its wrapped lines joined."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.removeprefix("# "))
    return " ".join(lines)


def test_a_source_that_is_no_file_is_kept_with_a_warning(tmp_path: Path) -> None:
    answers = "  self_service:\n    value: yes\n    evidence: {text: Portal, source: HR system}\n"
    a = _write(tmp_path / "in", "a.yaml", _person("ann", answers))
    b = _write(tmp_path / "in", "b.yaml", _person("bob", "  self_service: yes\n"))
    merged = merge([a, b], output=tmp_path / "merged.yaml")
    response = parse_yaml(merged.text, "m").data["answers"]["self_service"]["responses"]["ann"]
    assert response["evidence"]["source"] == "HR system"
    (warning,) = merged.warnings
    assert (warning.line, warning.path) == (8, "answers.self_service.evidence.source")
    assert warning.message == (
        f"HR system: no such file beside {a}; kept as written, not rewritten for the merged "
        "file's folder"
    )


def _problems(files: list[Path]) -> list[str]:
    with pytest.raises(InputError) as caught:
        merge(files)
    return caught.value.messages()


def test_inputs_recording_another_assessment_are_refused(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.yaml", _person("ann", "  self_service: yes\n"))
    text = _person("bob", "  self_service: yes\n", "period: {from: 2026-01-01, to: 2026-06-29}\n")
    b = _write(tmp_path, "b.yaml", text.replace("Acme", "Acme Ltd").replace("06-30\nr", "06-29\nr"))
    assert _problems([a, b]) == [
        f"{b}:1:10: company: 'Acme Ltd' differs from the first file's ({a}: 'Acme'): the "
        "merged files record one assessment",
        f"{b}:2:7: date: 2026-06-29 differs from the first file's ({a}: 2026-06-30): the "
        "merged files record one assessment",
        f"{b}:4:9: period: 2026-01-01 to 2026-06-29 here, and the first file ({a}) gives "
        "none: the merged files record one assessment; give the same period in every file",
    ]


def test_what_no_respondent_file_may_hold_is_refused(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.yaml", _person("ann", "  self_service: n/a\n"))
    b = _write(
        tmp_path,
        "b.yaml",
        _person("ann", "  self_service:\n    value: n/a\n    justification: No portal at all.\n"),
    )
    c = _write(
        tmp_path, "c.yaml", _person("cy", "").replace("respondent: {id: cy, group: staff}\n", "")
    )
    d = _write(tmp_path, "d.yaml", (EXAMPLES / "kestrel-insurance.yaml").read_text("utf-8"))
    na = (
        "n/a is not a respondent's answer: whether a question applies is decided for the "
        "whole company, in the merged file (value: n/a with a justification)"
    )
    assert _problems([a, b, c, d]) == [
        f"{a}:6:17: answers.self_service: {na}",
        f"{b}:4:18: respondent.id: respondent 'ann' is also the respondent of {a}: give each "
        "respondent's answers in one file",
        f"{b}:7:12: answers.self_service.value: {na}",
        f"{c}:1:1: respondent: missing: merge takes one file per respondent, each naming its "
        "respondent with respondent: {id: ..., role: ..., group: ...}",
        f"{d}:9:1: respondents: this file records several respondents: merge takes one file "
        "per respondent, each naming its one respondent with respondent: {id, role, group}",
    ]


def test_a_consensus_in_a_respondent_file_is_refused(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.yaml", _person("ann", "  self_service: yes\n"))
    b = _write(
        tmp_path,
        "b.yaml",
        _person(
            "bob",
            "  self_service:\n    responses: {bob: yes}\n    consensus: yes\n"
            "    consensus_note: Checked.\n",
        ),
    )
    tail = (
        "belongs in the merged file, not in one respondent's: give the respondent's own "
        "answer as value"
    )
    assert _problems([a, b]) == [
        f"{b}:7:5: answers.self_service.responses: {tail}",
        f"{b}:8:5: answers.self_service.consensus: {tail}",
        f"{b}:9:5: answers.self_service.consensus_note: {tail}",
    ]


def test_one_file_is_not_a_merge() -> None:
    with pytest.raises(
        UsageError, match=r"two or more answers files, one per respondent \(got 1\)"
    ):
        merge(KESTREL[:1])


def test_a_rubric_path_is_compared_and_rebased_as_a_file(tmp_path: Path) -> None:
    rubric = "rubric: ../rubrics/ours.yaml\n"
    a = _write(
        tmp_path / "a",
        "a.yaml",
        _person("ann", "  self_service: yes\n").replace("rubric: three-tier\n", rubric),
    )
    b = _write(
        tmp_path / "b",
        "b.yaml",
        _person("bob", "  self_service: no\n").replace("rubric: three-tier\n", rubric),
    )
    data = parse_yaml(merge([a, b], output=tmp_path / "merged.yaml").text, "m").data
    assert data["rubric"] == "rubrics/ours.yaml"  # the same file, named from the output's folder


def test_a_respondent_without_answers_is_refused(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.yaml", _person("ann", "  self_service: yes\n"))
    b = _write(tmp_path, "b.yaml", _person("bob", ""))
    assert _problems([a, b]) == [
        f"{b}:5:1: answers: no answers: respondent 'bob' would give no responses in the merged "
        "file; record their answers under answers:"
    ]


def test_no_text_from_an_input_can_end_the_header_comment(tmp_path: Path) -> None:
    sneaky = 'assessor: "Dana\\u2028company: Evil\\x85rubric: x"\n'
    a = _write(tmp_path, "a.yaml", _person("ann", "  self_service: yes\n", sneaky))
    b = _write(tmp_path, "b.yaml", _person("bob", "  self_service: no\n", "assessor: Lee\n"))
    text = merge([a, b]).text
    data = parse_yaml(text, "m").data
    assert (data["company"], data["assessor"]) == (
        "Acme",
        "Dana\u2028company: Evil\x85rubric: x; Lee",
    )
    comment = text[: text.index("\ncompany:")]
    assert all(line.startswith("#") for line in comment.splitlines())
    assert "Dana\\u2028company: Evil\\x85rubric: x (" in _comment(text)


def test_the_output_is_never_a_file_an_input_names(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.yaml", _person("ann", "  nps: 10\n", "measurements: [m.yaml]\n"))
    b = _write(tmp_path, "b.yaml", _person("bob", "  nps: 20\n"))
    with pytest.raises(UsageError) as caught:
        merge([a, b], output=tmp_path / "m.yaml")
    assert str(caught.value) == (
        f"{tmp_path / 'm.yaml'}: {a} names it (m.yaml); svclevel never writes over a file its "
        "inputs name: choose another output file"
    )


def test_every_unreadable_input_is_said_at_once(tmp_path: Path) -> None:
    a = _write(tmp_path, "a.yaml", "company: [\n")
    b = _write(tmp_path, "b.yaml", "svclevel_exceptions: 1\nexceptions: []\n")
    problems = _problems([a, b])
    assert [p.split(":")[0] for p in problems] == [str(a), str(b)]
    assert problems[1] == (
        f"{b}: this is an exceptions file, not an answers file: an answers file names it under "
        "exceptions:, or give it with --exceptions"
    )
