"""Pydantic input models: the question bank, rubrics and answers files.

These models check the *shape* of a file (types, required keys, unknown keys). Checks that
need more than one file at once -- a rubric criterion against the question it uses, an answer
against its question -- live in :mod:`svclevel.load.checks`.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64),
]
"""Identifiers of questions, levels, rubrics and sources: lowercase, digits, ``-`` and ``_``."""

TEXT_MAX = 4000
"""Longest text accepted (evidence, notes, names), in characters."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=TEXT_MAX)]


class _Model(BaseModel):
    # defer_build: a model's validator is built when it is first used, so a command pays only
    # for the models it needs (answers files never touch the rubric-extension models).
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=False, defer_build=True
    )


# --------------------------------------------------------------------------- questions


class _QuestionBase(_Model):
    id: Slug
    """Stable identifier used as the key in answers files."""
    text: Text
    """The question as a person would be asked it."""
    guidance: Text
    """How to answer it well: what counts as evidence, what period to look at."""


class YesNoQuestion(_QuestionBase):
    """A question answered ``yes`` or ``no``; questions are phrased so that yes is better."""

    type: Literal["yes_no"]


class ScaleQuestion(_QuestionBase):
    """A question answered with one of a few ordered labels, worst first."""

    type: Literal["scale"]
    labels: Annotated[
        tuple[Annotated[str, StringConstraints(min_length=1)], ...], Field(min_length=2)
    ]
    """The allowed answers, ordered from worst to best."""

    @model_validator(mode="after")
    def _unique_labels(self) -> ScaleQuestion:
        if len(set(self.labels)) != len(self.labels):
            raise ValueError("labels must be distinct")
        if "n/a" in self.labels:
            raise ValueError("'n/a' is reserved for 'not applicable' and cannot be a label")
        return self


class NumberQuestion(_QuestionBase):
    """A question answered with a number in a unit, within bounds."""

    type: Literal["number"]
    unit: Text
    """The unit the number is given in (hours, %, points)."""
    min: float
    """The smallest valid answer."""
    max: float
    """The largest valid answer."""
    better: Literal["higher", "lower"]
    """Which direction is better; criteria agree (``at_least``: higher, ``at_most``: lower)."""

    @model_validator(mode="after")
    def _bounds(self) -> NumberQuestion:
        if self.min >= self.max:
            raise ValueError(f"min ({self.min:g}) must be less than max ({self.max:g})")
        return self


Question = Annotated[YesNoQuestion | ScaleQuestion | NumberQuestion, Field(discriminator="type")]


class QuestionBank(_Model):
    """The bank every built-in rubric draws its criteria from (``rubrics/questions.yaml``)."""

    version: int = Field(ge=1)
    questions: Annotated[tuple[Question, ...], Field(min_length=1)]


# --------------------------------------------------------------------------- rubrics


class SourceDoc(_Model):
    """A published text a rubric is based on."""

    id: Slug
    title: Text
    author: Text | None = None
    publisher: Text | None = None
    file: Text | None = None
    """Where the text is kept alongside the project (for tracing), if it is."""


class SourceRef(_Model):
    """Where in a source a criterion or tip comes from."""

    doc: Slug
    """The ``id`` of one of the rubric's ``sources``."""
    section: Text
    """The heading or passage of that document."""


class Advice(_Model):
    """A 'how to get there' tip from a source, in the rubric's own words."""

    text: Text
    source: SourceRef


class Criterion(_Model):
    """One condition a level requires: a question and the answer needed."""

    question: Slug
    at_least: float | str | None = None
    """Scale: the worst label that still meets it. Number: the smallest value that meets it."""
    at_most: float | str | None = None
    """Number: the largest value that meets it (for questions where lower is better)."""
    weight: float = Field(default=1.0, ge=0, le=1000)
    """How much the criterion counts towards the level's pass mark."""
    required: bool = False
    """A required criterion must be met whatever the rest scores."""
    tip: Text
    """A concrete next step for a company that does not meet it."""
    source: SourceRef
    assumption: Text | None = None
    """Why this threshold: required when the source names the metric but gives no number."""

    @model_validator(mode="before")
    @classmethod
    def _bool_thresholds_as_words(cls, data: Any) -> Any:
        return bool_thresholds_as_words(data)


def bool_thresholds_as_words(data: Any) -> Any:
    """YAML reads ``at_least: yes`` as True; keep it as the word so that the cross-check can say
    a yes/no criterion takes no threshold, instead of silently treating it as 1."""
    if isinstance(data, dict) and any(
        isinstance(data.get(k), bool) for k in ("at_least", "at_most")
    ):
        return {k: ("yes" if v else "no") if isinstance(v, bool) else v for k, v in data.items()}
    return data


class Level(_Model):
    """A rung of the ladder."""

    id: Slug
    name: Text
    experience: Text
    """What a customer experiences at this level."""
    pass_mark: float | None = Field(default=None, gt=0, le=1)
    """Fraction of the applicable weight that must be met (default: the rubric's)."""
    criteria: tuple[Criterion, ...] = ()
    advice: tuple[Advice, ...] = ()
    """How to reach this level, from the sources."""


class SelfTest(_Model):
    """Example answers and the level the rubric must give them (checked by ``validate``)."""

    name: Text
    """What the example shows."""
    answers: dict[str, Any] = Field(default_factory=dict)
    """Answers keyed by question id, as in an answers file."""
    level: Slug | None
    """The level these answers must reach: a level id, or null for below the ladder."""


class Rubric(_Model):
    """A ladder model: ordered levels, lowest first, each with criteria drawn from questions."""

    id: Slug
    version: int = Field(ge=1)
    title: Text
    description: Text
    sources: tuple[SourceDoc, ...]
    """The published texts the rubric paraphrases; at least one."""
    pass_mark: float = Field(default=1.0, gt=0, le=1)
    """Default pass mark of every level."""
    questions: tuple[Question, ...] = ()
    """Questions of this rubric's own, in addition to the shared bank."""
    advice: tuple[Advice, ...] = ()
    """Advice that applies to the whole ladder (e.g. how to move between levels)."""
    levels: tuple[Level, ...]
    """The ladder, lowest level first."""
    self_tests: tuple[SelfTest, ...] = ()
    """Examples with the level they must produce; ``svclevel validate`` runs them."""

    @field_validator("sources")
    @classmethod
    def _some_source(cls, value: tuple[SourceDoc, ...]) -> tuple[SourceDoc, ...]:
        if not value:
            raise ValueError("a rubric must cite at least one source")
        return value

    @field_validator("levels")
    @classmethod
    def _some_level(cls, value: tuple[Level, ...]) -> tuple[Level, ...]:
        if not value:
            raise ValueError("the ladder is empty: give at least one level")
        return value


# --------------------------------------------------------------------------- extensions


class CriterionPatch(_Model):
    """A change to the criterion on ``question`` in a level, or a new criterion."""

    question: Slug
    at_least: float | str | None = None
    at_most: float | str | None = None
    weight: float | None = Field(default=None, ge=0, le=1000)
    required: bool | None = None
    tip: Text | None = None
    source: SourceRef | None = None
    assumption: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _bool_thresholds_as_words(cls, data: Any) -> Any:
        return bool_thresholds_as_words(data)


class LevelPatch(_Model):
    """Changes to one level of the extended rubric."""

    id: Slug
    """The id of a level of the extended rubric."""
    name: Text | None = None
    experience: Text | None = None
    pass_mark: float | None = Field(default=None, gt=0, le=1)
    criteria: tuple[CriterionPatch, ...] = ()
    """Criteria to change (matched by question) or to add."""
    advice: tuple[Advice, ...] = ()
    """Advice added to the level's own."""


class RubricExtension(_Model):
    """A rubric that ``extends`` another: its changes, applied on top of the other's ladder."""

    id: Slug
    version: int = Field(ge=1)
    extends: Text
    """The rubric extended: a built-in id, an id in a rubric folder, or a path (relative to
    this file)."""
    title: Text | None = None
    description: Text | None = None
    sources: tuple[SourceDoc, ...] = ()
    """Sources added to the extended rubric's."""
    pass_mark: float | None = Field(default=None, gt=0, le=1)
    questions: tuple[Question, ...] = ()
    advice: tuple[Advice, ...] = ()
    levels: tuple[LevelPatch, ...] = ()
    self_tests: tuple[SelfTest, ...] = ()
    """This rubric's own self-tests (the extended rubric's are not inherited)."""


# --------------------------------------------------------------------------- answers


class AnswerEntry(_Model):
    """One answer: the value plus the evidence a consultant collected."""

    value: Any = None
    evidence: Text | None = None
    notes: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _bare_value(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return data
        return {"value": data}


class AnswersHeader(_Model):
    """An answers file with its answers left unchecked: the fast path of :func:`read_answers`.

    Its fields are those of :class:`AnswersFile`, which remains the definition of the format
    and the source of every message about it.
    """

    company: Text
    date: datetime.date
    assessor: Text | None = None
    rubric: Text | None = None
    answers: dict[str, Any] | None = None


class AnswersFile(_Model):
    """One company's answers, keyed by question id."""

    company: Text
    date: datetime.date
    """The day the assessment was made."""
    assessor: Text | None = None
    rubric: Text | None = None
    """The rubric to use when the command line names none (an id or a path)."""
    answers: dict[str, AnswerEntry] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _empty_answers(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("answers", {}) is None:
            return {**data, "answers": {}}
        return data


class Entry(NamedTuple):
    """One answer of a file whose shape is valid (its value not yet checked)."""

    value: Any
    evidence: str | None
    notes: str | None


class ParsedAnswers(NamedTuple):
    """An answers file whose shape is valid."""

    company: str
    date: datetime.date
    """The day the assessment was made."""
    assessor: str | None
    rubric: str | None
    """The rubric to use when the command line names none (an id or a path)."""
    answers: dict[str, Entry]

    @classmethod
    def of(cls, model: AnswersFile) -> ParsedAnswers:
        """The parsed form of a validated :class:`AnswersFile`."""
        return cls(
            model.company,
            model.date,
            model.assessor,
            model.rubric,
            {qid: Entry(e.value, e.evidence, e.notes) for qid, e in model.answers.items()},
        )


_ENTRY_KEYS = frozenset(AnswerEntry.model_fields)
_entry = Entry._make  # from a tuple: a third faster than Entry(...) in the loop below


def parse_answers_fast(data: Any) -> ParsedAnswers | None:
    """The answers file in ``data`` if its shape is certainly valid, else None.

    Validating every answer as a Pydantic model costs more than the rest of an assessment; this
    checks the header with Pydantic and the answers by hand, accepting only what
    :class:`AnswersFile` accepts unchanged (texts that need no stripping, for one). Anything
    else returns None, and the caller validates with :class:`AnswersFile` to get the messages.
    """
    try:
        header = AnswersHeader.model_validate(data)
    except ValidationError:
        return None
    answers: dict[str, Entry] = {}
    for qid, entry in (header.answers or {}).items():
        if type(entry) is not dict:
            answers[qid] = _entry((entry, None, None))
            continue
        evidence, notes = entry.get("evidence"), entry.get("notes")
        if not (
            entry.keys() <= _ENTRY_KEYS
            and (evidence is None or _plain_text(evidence))
            and (notes is None or _plain_text(notes))
        ):
            return None
        answers[qid] = _entry((entry.get("value"), evidence, notes))
    return ParsedAnswers(header.company, header.date, header.assessor, header.rubric, answers)


def _plain_text(value: Any) -> bool:
    """None, or a string that is a valid :data:`Text` as it is (nothing to strip)."""
    return value is None or (
        type(value) is str
        and 0 < len(value) <= TEXT_MAX
        and not value[0].isspace()
        and not value[-1].isspace()
    )
