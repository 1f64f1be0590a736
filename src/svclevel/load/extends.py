"""Rubrics that ``extends`` another: apply a :class:`RubricExtension` on top of its base.

The merged rubric is cross-checked like any rubric, and every problem is reported at the place
in the extending file that caused it (or at its ``extends:`` line when it comes from the base).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from svclevel.errors import Problem, did_you_mean
from svclevel.load.checks import pydantic_message
from svclevel.load.yamlfile import YamlDocument
from svclevel.models import Criterion, Rubric, RubricExtension

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class TranslatedDocument(YamlDocument):
    """The extending file, answering for locations in the merged rubric."""

    translate: dict[Loc, Loc] = field(default_factory=dict, compare=False)
    """Merged location prefix → location in the extending file."""
    offsets: dict[str, int] = field(default_factory=dict, compare=False)
    """For lists that are the base's items followed by the file's: how many are the base's."""

    def problem(self, loc: Sequence[str | int], message: str, *, at_key: bool = False) -> Problem:
        return super().problem(self._child(tuple(loc)), message, at_key=at_key)

    def _child(self, loc: Loc) -> Loc:
        for size in range(len(loc), 0, -1):
            prefix = loc[:size]
            if prefix in self.translate:
                return self.translate[prefix] + loc[size:]
        if len(loc) >= 2 and isinstance(loc[1], int) and str(loc[0]) in self.offsets:
            index = loc[1] - self.offsets[str(loc[0])]
            if index >= 0:
                return (loc[0], index, *loc[2:])
        return ("extends",)


def merge(
    doc: YamlDocument, extension: RubricExtension, base: Rubric
) -> tuple[Rubric | None, TranslatedDocument, list[Problem]]:
    """The extended rubric with the extension applied, a document to locate its problems."""
    problems: list[Problem] = []
    translate: dict[Loc, Loc] = {}
    levels = list(base.levels)
    index_of = {level.id: i for i, level in enumerate(levels)}
    for pi, patch in enumerate(extension.levels):
        li = index_of.get(patch.id)
        if li is None:
            ids = list(index_of)
            problems.append(
                doc.problem(
                    ("levels", pi, "id"),
                    f"'{patch.id}' is not a level of {base.id}{did_you_mean(patch.id, ids)} "
                    f"(levels: {', '.join(ids)})",
                )
            )
            continue
        translate[("levels", li)] = ("levels", pi)
        level = levels[li]
        criteria: list[Criterion | None] = list(level.criteria)
        for ci, cp in enumerate(patch.criteria):
            changes: dict[str, Any] = cp.model_dump(exclude_unset=True)
            changes.pop("question")
            target = next(
                (k for k, c in enumerate(criteria) if c is not None and c.question == cp.question),
                None,
            )
            if target is None:
                data: dict[str, Any] = {"question": cp.question, **changes}
                target = len(criteria)
                criteria.append(None)
            else:
                existing = criteria[target]
                assert existing is not None
                data = existing.model_dump()
                if "at_least" in changes or "at_most" in changes:
                    data.pop("at_least")
                    data.pop("at_most")
                data.update(changes)
            translate[("levels", li, "criteria", target)] = ("levels", pi, "criteria", ci)
            try:
                criteria[target] = Criterion.model_validate(data)
            except ValidationError as exc:
                for error in exc.errors(include_url=False):
                    missing = error["type"] == "missing"
                    message = (
                        "a new criterion needs this key (there is no criterion on "
                        f"'{cp.question}' in {base.id}'s level '{patch.id}' to change)"
                        if missing
                        else pydantic_message(error)
                    )
                    where: Loc = ("levels", pi, "criteria", ci)
                    problems.append(doc.problem((*where, *error["loc"]), message))
        updates: dict[str, Any] = {
            key: getattr(patch, key)
            for key in ("name", "experience", "pass_mark")
            if getattr(patch, key) is not None
        }
        updates["criteria"] = tuple(c for c in criteria if c is not None)
        updates["advice"] = (*level.advice, *patch.advice)
        updates["calibration"] = (*level.calibration, *patch.calibration)
        levels[li] = level.model_copy(update=updates)
    if extension.evidence_policy is not None:
        for qid in extension.evidence_policy.questions:
            translate[("evidence_policy", "questions", qid)] = ("evidence_policy", "questions", qid)
    translated = TranslatedDocument(
        name=doc.name,
        data=doc.data,
        node=doc.node,
        translate=translate,
        offsets={
            "sources": len(base.sources),
            "questions": len(base.questions),
            "advice": len(base.advice),
        },
    )
    if problems:
        return None, translated, problems
    merged = Rubric(
        id=extension.id,
        version=extension.version,
        title=extension.title or base.title,
        description=extension.description or base.description,
        sources=(*base.sources, *extension.sources),
        pass_mark=extension.pass_mark if extension.pass_mark is not None else base.pass_mark,
        basis=extension.basis or base.basis,
        require_evidence=(
            extension.require_evidence
            if extension.require_evidence is not None
            else base.require_evidence
        ),
        evidence_policy=(
            base.evidence_policy
            if extension.evidence_policy is None
            else extension.evidence_policy.apply(base.evidence_policy)
        ),
        **(
            {"aggregation": extension.aggregation or base.aggregation}
            if extension.aggregation or "aggregation" in base.model_fields_set
            else {}
        ),
        questions=(*base.questions, *extension.questions),
        advice=(*base.advice, *extension.advice),
        levels=tuple(levels),
        self_tests=extension.self_tests,
    )
    return merged, translated, []
