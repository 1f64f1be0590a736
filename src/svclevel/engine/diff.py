"""``svclevel diff``: progress between two assessments of the same company. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from svclevel.engine.score import score
from svclevel.load.checks import Answers
from svclevel.load.rubrics import LoadedRubric
from svclevel.results import Assessment, CriterionChange, criterion_changes


@dataclass(frozen=True)
class RubricDiff:
    """The change on one rubric."""

    before: Assessment
    after: Assessment
    newly_met: tuple[CriterionChange, ...]
    """Criteria not met before and met now."""
    regressed: tuple[CriterionChange, ...]
    """Criteria met before and not met now."""

    @property
    def rubric_id(self) -> str:
        return self.after.rubric_id

    @property
    def level_change(self) -> int:
        """Levels gained (positive) or lost (negative)."""
        return self.after.attained - self.before.attained


@dataclass(frozen=True)
class AnswerChange:
    """An answer that differs between the two files."""

    question_id: str
    before: str
    after: str


@dataclass(frozen=True)
class Diff:
    """Two assessments of a company compared."""

    company: str
    before_file: str
    after_file: str
    before_date: str
    after_date: str
    rubrics: tuple[RubricDiff, ...]
    answers_changed: tuple[AnswerChange, ...]


def diff(before: Answers, after: Answers, rubrics: Sequence[LoadedRubric]) -> Diff:
    """Compare two checked answers files on each rubric."""
    results = []
    for loaded in rubrics:
        old, new = score(loaded, before), score(loaded, after)
        results.append(RubricDiff(old, new, *criterion_changes(old, new)))
    questions = {qid: q for loaded in rubrics for qid, q in loaded.questions.items()}
    changed = []
    for qid in sorted(set(before.answers) | set(after.answers)):
        if qid not in questions:
            continue
        a, b = before.answers.get(qid), after.answers.get(qid)
        old_text = questions[qid].describe_answer(a.value if a else None)
        new_text = questions[qid].describe_answer(b.value if b else None)
        if old_text != new_text:
            changed.append(AnswerChange(qid, old_text, new_text))
    return Diff(
        company=after.company,
        before_file=before.source,
        after_file=after.source,
        before_date=before.date,
        after_date=after.date,
        rubrics=tuple(results),
        answers_changed=tuple(changed),
    )
