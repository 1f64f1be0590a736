"""Several respondents: the aggregate decides the level, disagreement is flagged, alpha is
Krippendorff's (checked against the reference implementation on the example's own answers)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import krippendorff
import numpy as np
import pytest
import yaml

import svclevel
from svclevel.results import Assessment, CriterionResult, Flag, Responses
from tests.helpers import EXAMPLES, run_cli

KESTREL = EXAMPLES / "kestrel-insurance.yaml"


def _criterion(a: Assessment, qid: str) -> CriterionResult:
    return next(c for lv in a.levels for c in lv.criteria if c.question_id == qid)


def _heard(a: Assessment, qid: str) -> Responses:
    responses = _criterion(a, qid).responses
    assert responses is not None
    return responses


def test_the_example_reaches_the_aggregated_level() -> None:
    a = svclevel.assess(KESTREL)
    assert a.level_name == "Proactive service"
    # management says always, the front line sometimes and rarely: the lower median is
    # sometimes, below the usually Transformational service requires
    valued = _heard(a, "customers_feel_valued")
    assert valued.aggregate == "sometimes"
    assert valued.shown_distribution == "always 2 · sometimes 1 · rarely 1"
    assert _criterion(a, "customers_feel_valued").status.value == "unmet"
    assert valued.flags == (Flag.RANGE, Flag.DEVIATION, Flag.GROUPS)
    assert valued.flag_words == (
        "range 3 steps",
        "deviation 1.25 > 0.83",
        "groups 3 steps apart: management always, frontline rarely",
    )


def test_yes_no_is_a_majority_and_a_tie_is_no() -> None:
    a = svclevel.assess(KESTREL)
    empowered = _heard(a, "staff_empowered")
    assert empowered.aggregate == "no"
    assert empowered.agreement == 0.5
    assert empowered.flags == (Flag.AGREEMENT,)
    three_of_four = _heard(a, "anticipation_training")
    assert three_of_four.aggregate == "yes"
    assert three_of_four.flags == (Flag.AGREEMENT,)  # 75 % < 80 %
    unanimous = _heard(a, "staff_training")
    assert unanimous.agreement == 1.0
    assert unanimous.flags == ()


def test_a_consensus_overrides_the_aggregate_and_both_are_kept() -> None:
    a = svclevel.assess(KESTREL)
    ruled = _heard(a, "policies_transparent")
    assert ruled.aggregate == "no"
    assert ruled.consensus == "yes"
    assert ruled.consensus_note is not None
    assert "checked the website" in ruled.consensus_note
    assert _criterion(a, "policies_transparent").answer == "yes"
    assert _criterion(a, "policies_transparent").status.value == "met"


def test_a_blank_response_is_missing_not_an_answer() -> None:
    feedback = _heard(svclevel.assess(KESTREL), "feedback_frequency")
    assert feedback.answered == 3
    assert feedback.aggregate == "quarterly"
    assert [r.answer for r in feedback.responses] == ["monthly", "quarterly", "quarterly", "—"]


def test_each_response_keeps_its_own_evidence_and_line() -> None:
    follow = _heard(svclevel.assess(KESTREL), "follow_up_after_resolution")
    coo = follow.responses[0]
    assert coo.respondent == "coo"
    assert coo.group == "management"
    assert [e.text for e in coo.evidence_items] == [
        "Workflow rule CL-7 sends a follow-up survey after every closed claim."
    ]
    assert coo.line is not None
    assert KESTREL.read_text().splitlines()[coo.line - 1].strip() == "coo:"
    assert (
        follow.responses[2].notes
        == "The survey goes out, but nobody calls back when the answer is poor."
    )


def _matrix(path: Path, kind: str) -> list[list[float]]:
    """Respondents x questions of one kind, read straight from the file (NaN: no answer)."""
    data = yaml.safe_load(path.read_text())
    bank_file = EXAMPLES.parent / "rubrics" / "questions.yaml"
    bank = {q["id"]: q for q in yaml.safe_load(bank_file.read_text())["questions"]}
    ids = [r["id"] for r in data["respondents"]]
    rows: list[list[float]] = [[] for _ in ids]
    for qid, entry in data["answers"].items():
        if not isinstance(entry, dict) or "responses" not in entry:
            continue
        question = bank[qid]
        if question["type"] != kind:
            continue
        for row, rid in zip(rows, ids, strict=True):
            value: Any = entry["responses"].get(rid)
            if isinstance(value, dict):
                value = value.get("value")
            if value is None:
                row.append(np.nan)
            elif kind == "scale":
                row.append(question["labels"].index(value))
            else:
                row.append(1.0 if value is True else 0.0)
    return rows


@pytest.mark.parametrize(("metric", "kind"), [("ordinal", "scale"), ("nominal", "yes_no")])
def test_the_examples_alpha_is_the_reference_implementations(metric: str, kind: str) -> None:
    panel = svclevel.assess(KESTREL).panel
    assert panel is not None
    alpha = next(x for x in panel.alphas if x.metric == metric)
    rows = _matrix(KESTREL, kind)
    expected = krippendorff.alpha(
        reliability_data=np.array(rows),
        level_of_measurement=metric,  # type: ignore[arg-type]
        value_domain=list(range(5)) if metric == "ordinal" else None,
    )
    assert alpha.value == pytest.approx(float(expected), abs=1e-12)
    assert alpha.questions == len(rows[0])
    assert alpha.reading == "calibrate"


def test_the_panel_lists_the_disputed_questions_in_ladder_order() -> None:
    panel = svclevel.assess(KESTREL).panel
    assert panel is not None
    assert [r.id for r in panel.respondents] == ["coo", "cx-lead", "mira", "tom"]
    assert panel.rated == 19
    assert panel.aggregation == "median"
    assert panel.aggregation_source == "default"
    assert panel.disputed == (
        "documented_processes",
        "policies_transparent",
        "anticipate_needs",
        "follow_up_after_resolution",
        "anticipation_training",
        "surprise_gestures",
        "memorable_moments",
        "customers_feel_valued",
        "staff_empowered",
    )
    assert panel.calibrate


def test_the_weakest_link_takes_the_worst_answer() -> None:
    a = svclevel.assess(KESTREL, aggregation="min")
    assert a.level_name == "Basic service (reactive)"
    assert _heard(a, "anticipate_needs").aggregate == "sometimes"
    assert _heard(a, "anticipate_needs").method == "weakest link (the worst answer)"
    assert _heard(a, "documented_processes").aggregate == "no"
    assert a.panel is not None
    assert a.panel.aggregation_source == "--aggregation"


def test_the_rubric_states_the_aggregation(tmp_path: Path) -> None:
    rubric = tmp_path / "weakest.yaml"
    rubric.write_text(
        "id: weakest\nversion: 1\nextends: three-tier\naggregation: min\n", encoding="utf-8"
    )
    a = svclevel.assess(KESTREL, rubric=rubric)
    assert a.panel is not None
    assert (a.panel.aggregation, a.panel.aggregation_source) == ("min", "rubric")
    assert a.level_name == "Basic service (reactive)"
    flag = svclevel.assess(KESTREL, rubric=rubric, aggregation="median")
    assert flag.level_name == "Proactive service"


def test_alpha_needs_ten_rated_questions(tmp_path: Path) -> None:
    data = yaml.safe_load(KESTREL.read_text())
    kept = ["staff_training", "anticipate_needs", "personalization", "resolution_rate_pct"]
    data["answers"] = {q: data["answers"][q] for q in kept}
    small = tmp_path / "small.yaml"
    small.write_text(yaml.safe_dump(data), encoding="utf-8")
    panel = svclevel.assess(small).panel
    assert panel is not None
    assert panel.rated == 3
    assert panel.alphas == ()
    assert panel.alpha_words == "alpha not computed: 3 rated questions (10 needed)"


def test_a_file_without_respondents_has_no_panel() -> None:
    a = svclevel.assess(EXAMPLES / "brightdesk-saas.yaml")
    assert a.panel is None
    assert all(c.responses is None for lv in a.levels for c in lv.criteria)


def test_json_carries_responses_aggregate_flags_and_alpha() -> None:
    run = run_cli("assess", str(KESTREL), "-f", "json")
    assert run.exit_code == 0
    record = json.loads(run.stdout)
    panel = record["panel"]
    assert [a["metric"] for a in panel["alpha"]] == ["ordinal", "nominal"]
    criteria = {c["question_id"]: c for lv in record["levels"] for c in lv["criteria"]}
    valued = criteria["customers_feel_valued"]["responses"]
    assert valued["aggregate"] == "sometimes"
    assert valued["flags"] == ["range", "deviation", "groups"]
    assert valued["dispersion"]["range"] == 3
    assert [r["answer"] for r in valued["responses"]] == ["always", "always", "sometimes", "rarely"]
    assert criteria["resolution_rate_pct"]["responses"] is None


def test_fail_on_disagreement_gates_ci() -> None:
    over = run_cli("assess", str(KESTREL), "--fail-on-disagreement", "8", "-f", "summary")
    assert over.exit_code == 1
    assert "respondents disagree on 9 of three-tier's questions, more than 8" in over.stdout
    within = run_cli("assess", str(KESTREL), "--fail-on-disagreement", "9", "-f", "summary")
    assert within.exit_code == 0
    idle = run_cli("assess", str(EXAMPLES / "brightdesk-saas.yaml"), "--fail-on-disagreement", "0")
    assert idle.exit_code == 0
    assert "--fail-on-disagreement 0 changes nothing" in idle.stderr
    negative = run_cli("assess", str(KESTREL), "--fail-on-disagreement", "-1")
    assert negative.exit_code == 2


def test_aggregation_on_files_without_respondents_is_a_warning() -> None:
    run = run_cli("assess", str(EXAMPLES / "brightdesk-saas.yaml"), "--aggregation", "min")
    assert run.exit_code == 0
    assert "--aggregation min changes nothing: no answers file assessed records" in run.stderr
    heard = run_cli("assess", str(KESTREL), "--aggregation", "min", "-f", "summary")
    assert "changes nothing" not in heard.stderr
    assert "Basic service (reactive)" in heard.stdout


def test_numbers_take_the_median_or_the_worst_figure(tmp_path: Path) -> None:
    data = yaml.safe_load(KESTREL.read_text())
    data["answers"]["resolution_rate_pct"] = {"responses": {"coo": 95, "mira": 85, "tom": 88}}
    data["answers"]["first_response_hours"] = {"responses": {"coo": 2, "cx-lead": 4, "mira": 30}}
    path = tmp_path / "figures.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    median = svclevel.assess(path)
    rate = _heard(median, "resolution_rate_pct")
    assert (rate.aggregate, rate.method, rate.flags) == ("88 %", "median", ())
    assert rate.shown_distribution == "95 % 1 · 88 % 1 · 85 % 1"
    assert _heard(median, "first_response_hours").aggregate == "4 hours"
    assert median.panel is not None
    assert median.panel.rated == 19  # figures are not counted among the rated questions
    weakest = svclevel.assess(path, aggregation="min")
    assert _heard(weakest, "resolution_rate_pct").aggregate == "85 %"
    assert _heard(weakest, "first_response_hours").aggregate == "30 hours"
    assert _heard(weakest, "first_response_hours").method == "weakest link (the highest)"


def test_a_folder_walk_skips_one_respondents_interviews_with_a_warning() -> None:
    run = run_cli("assess", str(EXAMPLES / "respondents"), str(KESTREL), "-f", "summary")
    assert run.exit_code == 0
    assert run.stdout.count("Kestrel Home Insurance") == 1
    coo = EXAMPLES / "respondents" / "kestrel-coo.yaml"
    assert (
        f"svclevel: warning: {coo}: skipped: one respondent's answers (respondent: coo), not a "
        "company's assessment: combine the interviews with svclevel merge, or name the file to "
        "assess it alone"
    ) in run.stderr
    named = run_cli("assess", str(coo), "-f", "json")
    assert named.exit_code == 0
    assert json.loads(named.stdout)["respondent"] == {
        "id": "coo",
        "role": "Chief Operating Officer",
        "group": "management",
    }
