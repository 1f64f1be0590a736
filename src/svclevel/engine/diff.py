"""``svclevel diff``: progress between two assessments of the same company. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from svclevel.engine.score import score
from svclevel.load.checks import Answers
from svclevel.load.rubrics import LoadedRubric
from svclevel.results import (
    Assessment,
    CriterionChange,
    ExceptionChanges,
    JsonDict,
    criterion_changes,
    exception_changes,
)


@dataclass(frozen=True)
class RubricDiff:
    """The change on one rubric."""

    before: Assessment
    after: Assessment
    newly_met: tuple[CriterionChange, ...]
    """Criteria not met before and met now."""
    regressed: tuple[CriterionChange, ...]
    """Criteria met before and not met now."""
    exceptions: ExceptionChanges = field(default_factory=ExceptionChanges)
    """Exceptions added, removed and expired."""

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
    before_company: str = ""
    """The company the earlier file names (``company`` is the later file's)."""
    warnings: tuple[str, ...] = ()
    """Why this may not be one company's progress: two companies, or the files swapped."""

    def to_dict(self) -> JsonDict:
        """The diff as in the JSON record of ``svclevel diff`` (without its envelope); each
        changed criterion in words and as data (``value_before``, ``value_after``,
        ``threshold``)."""

        def crit(change: CriterionChange) -> JsonDict:
            return {
                "level_id": change.after.level_id,
                "question_id": change.after.question_id,
                "before": change.before.answer,
                "after": change.after.answer,
                "needed": change.after.needed,
                "value_before": change.before.to_dict()["value"],
                "value_after": change.after.to_dict()["value"],
                "threshold": change.after.threshold.to_dict(),
            }

        def reached(a: Assessment) -> JsonDict:
            return {
                "attained": a.attained,
                "level": a.level_name,
                "provisional": a.provisional,
            }

        return {
            "company": self.company,
            "before": {
                "file": self.before_file,
                "date": self.before_date,
                "company": self.before_company or self.company,
            },
            "after": {"file": self.after_file, "date": self.after_date, "company": self.company},
            "rubrics": [
                {
                    "rubric": r.rubric_id,
                    "before": reached(r.before),
                    "after": reached(r.after),
                    "level_change": r.level_change,
                    "newly_met": [crit(c) for c in r.newly_met],
                    "regressed": [crit(c) for c in r.regressed],
                    "exceptions": r.exceptions.to_dict(),
                }
                for r in self.rubrics
            ],
            "answers_changed": [
                {"question_id": a.question_id, "before": a.before, "after": a.after}
                for a in self.answers_changed
            ],
            "warnings": list(self.warnings),
        }


def diff(
    before: Sequence[Answers],
    after: Sequence[Answers],
    rubrics: Sequence[LoadedRubric],
    *,
    require_evidence: bool = False,
) -> Diff:
    """Compare two answers files on each rubric (``before`` and ``after``: each file checked
    against each rubric, in the order of ``rubrics``)."""
    results = []
    for loaded, old_answers, new_answers in zip(rubrics, before, after, strict=True):
        old = score(loaded, old_answers, require_evidence=require_evidence)
        new = score(loaded, new_answers, require_evidence=require_evidence)
        results.append(
            RubricDiff(old, new, *criterion_changes(old, new), exception_changes(old, new))
        )
    old_file, new_file = before[0], after[0]
    questions = {qid: q for loaded in rubrics for qid, q in loaded.questions.items()}
    changed = []
    for qid in sorted(set(old_file.answers) | set(new_file.answers)):
        if qid not in questions:
            continue
        a, b = old_file.answers.get(qid), new_file.answers.get(qid)
        old_text = questions[qid].describe_answer(a.value if a else None)
        new_text = questions[qid].describe_answer(b.value if b else None)
        if old_text != new_text:
            changed.append(AnswerChange(qid, old_text, new_text))
    return Diff(
        before_company=old_file.company,
        warnings=tuple(diff_warnings(old_file, new_file)),
        company=new_file.company,
        before_file=old_file.source,
        after_file=new_file.source,
        before_date=old_file.date,
        after_date=new_file.date,
        rubrics=tuple(results),
        answers_changed=tuple(changed),
    )


def diff_warnings(before: Answers, after: Answers) -> list[str]:
    """What makes a diff read wrong: two different companies, or AFTER dated before BEFORE."""
    out = []
    if before.company != after.company:
        out.append(
            f"BEFORE is {before.company} ({before.source}) and AFTER is {after.company} "
            f"({after.source}): this compares two companies, not one company's progress"
        )
    if after.date < before.date:
        out.append(
            f"AFTER ({after.source}, {after.date}) is dated before BEFORE ({before.source}, "
            f"{before.date}): are the files swapped? The changes read backwards"
        )
    return out
