"""Pydantic input models: the question bank, rubrics and answers files.

These models check the *shape* of a file (types, required keys, unknown keys). Checks that
need more than one file at once -- a rubric criterion against the question it uses, an answer
against its question -- live in :mod:`svclevel.load.checks`.
"""

from __future__ import annotations

import datetime
import math
import re
import statistics
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from svclevel import agreement
from svclevel.errors import did_you_mean
from svclevel.results import Threshold

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64),
]
"""Identifiers of questions, levels, rubrics and sources: lowercase, digits, ``-`` and ``_``."""

TEXT_MAX = 4000
"""Longest text accepted (evidence, notes, names), in characters."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=TEXT_MAX)]

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _written_as_a_day(value: Any) -> Any:
    """A date as YAML reads ``2026-10-01`` (or the same text in quotes); anything else refused.

    Pydantic would take a number (or a numeric string) as seconds since 1970: ``date: 86400``
    would be 1970-01-02."""
    if isinstance(value, datetime.date) or (
        isinstance(value, str) and _ISO_DAY.fullmatch(value.strip())
    ):
        return value
    raise ValueError(f"expected a date such as 2026-10-01, got {show_value(value)}")


Day = Annotated[datetime.date, BeforeValidator(_written_as_a_day)]
"""A calendar day, written YYYY-MM-DD."""

Aggregation = Literal["median", "min"]
"""How several respondents' answers make one: ``median`` (scales by the lower median, yes/no by
majority with a tie to no, numbers by the median) or ``min``, the weakest link (the worst
answer anyone gave)."""


class _Model(BaseModel):
    # defer_build: a model's validator is built when it is first used, so a command pays only
    # for the models it needs (answers files never touch the rubric-extension models).
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=False, defer_build=True
    )


# --------------------------------------------------------------------------- answers' values

NOT_APPLICABLE = "n/a"
"""The answer that leaves a criterion out of its level's score."""


class NotApplicable:
    """The answer ``n/a``: the criterion is left out of the level's denominator."""

    _instance: NotApplicable | None = None

    def __new__(cls) -> NotApplicable:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NA"


NA = NotApplicable()

AnswerValue = bool | float | str | NotApplicable | None
"""A checked answer: bool (yes/no), label (scale), float (number), NA, or None (unanswered)."""

UNANSWERED = "—"
"""How a missing answer is shown."""

EPSILON = 1e-9
"""Tolerance of numeric comparisons (a threshold met up to rounding is met)."""


def format_number(value: float) -> str:
    """``4.0`` → ``4``, ``2.5`` → ``2.5``."""
    return f"{value:g}"


def show_value(value: Any) -> str:
    """A value found in a file, as a message shows it (``got 'sometimes'``, ``got a list``)."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return repr(value)
    return str(value)


# --------------------------------------------------------------------------- questions

ConditionProblem = tuple[str | None, str]
"""A problem with a criterion's condition: the key it is at (None: the criterion) and the
message."""


class _QuestionBase(_Model):
    """What every question type shares; each type says how its answers are checked, shown and
    judged (the methods below that each subclass defines)."""

    id: Slug
    """Stable identifier used as the key in answers files."""
    text: Text
    """The question as a person would be asked it."""
    guidance: Text
    """How to answer it well: what counts as evidence, what period to look at."""

    def check_answer(self, value: Any) -> tuple[AnswerValue, str | None]:
        """The answer as checked (None when blank, :data:`NA` for n/a), or None and what is
        wrong with it."""
        if value is None:
            return None, None
        if isinstance(value, str) and value.strip().lower() == NOT_APPLICABLE:
            return NA, None
        return self._check(value)

    def describe_answer(self, value: AnswerValue) -> str:
        """A checked answer in words (``—`` when unanswered)."""
        if value is None:
            return UNANSWERED
        if value is NA:
            return NOT_APPLICABLE
        return self._describe(value)

    def schema_description(self) -> str:
        """The description of the answer in the editors' JSON Schema."""
        return f"{self.text} {self.guidance}"

    def _expected(self, value: Any) -> str:
        return f"expected {self.allowed()}, got {show_value(value)}"

    # Defined by each question type.

    def allowed(self) -> str:  # pragma: no cover - every question type defines it
        """What a valid answer looks like, for messages (``yes or no``)."""
        raise NotImplementedError

    def allowed_in_template(self, na: bool = False) -> str:  # pragma: no cover
        """The valid answers, as the answers template and the interview list them."""
        raise NotImplementedError

    def _check(self, value: Any) -> tuple[AnswerValue, str | None]:  # pragma: no cover
        raise NotImplementedError

    def _describe(self, value: AnswerValue) -> str:  # pragma: no cover
        raise NotImplementedError

    def aggregate(self, values: Sequence[AnswerValue], policy: Aggregation) -> AnswerValue:
        """One answer for several respondents' actual answers (never empty, no n/a)."""
        raise NotImplementedError  # pragma: no cover - every question type defines it

    def aggregation_words(self, policy: Aggregation) -> str:
        """How :meth:`aggregate` combines answers, for a report (``lower median``)."""
        raise NotImplementedError  # pragma: no cover - every question type defines it


class YesNoQuestion(_QuestionBase):
    """A question answered ``yes`` or ``no``; questions are phrased so that yes is better."""

    type: Literal["yes_no"]

    def allowed(self) -> str:
        """What a valid answer looks like, for messages."""
        return "yes or no"

    def allowed_in_template(self, na: bool = False) -> str:
        """The valid answers, as the answers template and the interview list them (``na``:
        with n/a, where the rubrics accept it)."""
        return "yes | no" + (" | n/a" if na else "")

    def value_schema(self) -> dict[str, Any]:
        """The JSON Schema of a value (``n/a`` and blank aside)."""
        # YAML 1.1 readers see yes/no as booleans, YAML 1.2 readers (editors) as strings.
        return {"anyOf": [{"type": "boolean"}, {"enum": ["yes", "no", "Yes", "No", "YES", "NO"]}]}

    def _check(self, value: Any) -> tuple[AnswerValue, str | None]:
        if isinstance(value, bool):
            return value, None
        if isinstance(value, str) and value.strip().lower() in ("yes", "no"):
            return value.strip().lower() == "yes", None
        return None, self._expected(value)

    def _describe(self, value: AnswerValue) -> str:
        return "yes" if value else "no"

    def condition_problems(self, criterion: Criterion) -> list[ConditionProblem]:
        """What is wrong with a criterion's condition on this question."""
        keys = [k for k in ("at_least", "at_most") if getattr(criterion, k) is not None]
        if keys:
            return [
                (
                    keys[0],
                    f"'{self.id}' is a yes/no question: the criterion needs no threshold "
                    "(yes is required)",
                )
            ]
        return []

    def describe_needed(self, criterion: Criterion) -> str:
        """The condition a criterion sets, in words."""
        return "yes"

    def threshold(self, criterion: Criterion) -> Threshold:
        """The condition a criterion sets, as data."""
        return Threshold(type="yes_no", equals=True)

    def meets(self, criterion: Criterion, value: AnswerValue) -> bool:
        """Whether an actual answer (not blank, not n/a) meets the criterion."""
        return value is True

    def best_answer(self) -> AnswerValue:
        """The best possible answer."""
        return True

    def never_fails(self, criterion: Criterion) -> bool:
        """Whether every answer meets the criterion."""
        return False

    def demand(self, criterion: Criterion) -> float:
        """How demanding a criterion is, comparable between criteria on this question."""
        return 1.0

    def aggregate(self, values: Sequence[AnswerValue], policy: Aggregation) -> AnswerValue:
        """Majority with a tie to no; under ``min`` (weakest link) yes only when all say yes."""
        answers = [value is True for value in values]
        return all(answers) if policy == "min" else agreement.majority(answers)

    def aggregation_words(self, policy: Aggregation) -> str:
        """How answers are combined, for a report."""
        if policy == "min":
            return "weakest link (yes only if all say yes)"
        return "majority, a tie is no"


class ScaleQuestion(_QuestionBase):
    """A question answered with one of a few ordered labels, worst first."""

    type: Literal["scale"]
    labels: Annotated[
        tuple[Annotated[str, StringConstraints(min_length=1)], ...], Field(min_length=2)
    ]
    """The allowed answers, ordered from worst to best."""
    bands: dict[str, Text] | None = None
    """For each label, the observable band it stands for (``usually``: "80-94 % of the sampled
    orders"), so that two assessors reading the same evidence give the same answer."""
    sample: Text | None = None
    """What is counted and how it is sampled: the denominator of the bands."""

    @model_validator(mode="after")
    def _unique_labels(self) -> ScaleQuestion:
        if len(set(self.labels)) != len(self.labels):
            raise ValueError("labels must be distinct")
        if any(label.strip().lower() == NOT_APPLICABLE for label in self.labels):
            raise ValueError("'n/a' is reserved for 'not applicable' and cannot be a label")
        if self.bands is not None and set(self.bands) != set(self.labels):
            missing = [label for label in self.labels if label not in self.bands]
            extra = [label for label in self.bands if label not in self.labels]
            bits = []
            if missing:
                bits.append("no band for " + ", ".join(missing))
            if extra:
                bits.append("bands for labels it does not have: " + ", ".join(extra))
            raise ValueError("bands must give one band per label: " + "; ".join(bits))
        return self

    def allowed(self) -> str:
        """What a valid answer looks like, for messages."""
        return "one of " + ", ".join(self.labels)

    def allowed_in_template(self, na: bool = False) -> str:
        """The valid answers, as the answers template and the interview list them (``na``:
        with n/a, where the rubrics accept it)."""
        return " | ".join(self.labels) + (" | n/a" if na else "") + "  (worst to best)"

    def value_schema(self) -> dict[str, Any]:
        """The JSON Schema of a value (``n/a`` and blank aside)."""
        return {"enum": list(self.labels)}

    def _check(self, value: Any) -> tuple[AnswerValue, str | None]:
        if isinstance(value, str) and value in self.labels:
            return value, None
        if isinstance(value, str):
            lowered = {label.lower(): label for label in self.labels}
            if value.strip().lower() in lowered:
                return lowered[value.strip().lower()], None
        hint = did_you_mean(str(value), self.labels) if isinstance(value, str) else ""
        return None, self._expected(value) + hint

    def _describe(self, value: AnswerValue) -> str:
        return str(value)

    def condition_problems(self, criterion: Criterion) -> list[ConditionProblem]:
        """What is wrong with a criterion's condition on this question."""
        at_least = criterion.at_least
        if criterion.at_most is not None:
            return [("at_most", f"'{self.id}' is a scale: use at_least with a label")]
        if at_least is None:
            return [
                (
                    None,
                    f"'{self.id}' is a scale: at_least is required "
                    f"(one of {', '.join(self.labels)})",
                )
            ]
        if not isinstance(at_least, str) or at_least not in self.labels:
            shown = at_least if isinstance(at_least, str) else format_number(at_least)
            return [
                (
                    "at_least",
                    f"'{shown}' is not a label of '{self.id}'"
                    f"{did_you_mean(str(shown), self.labels)} "
                    f"(labels: {', '.join(self.labels)})",
                )
            ]
        return []

    def describe_needed(self, criterion: Criterion) -> str:
        """The condition a criterion sets, in words."""
        at_least = str(criterion.at_least)
        if at_least == self.labels[-1]:
            return at_least
        return f"{at_least} or better"

    def threshold(self, criterion: Criterion) -> Threshold:
        """The condition a criterion sets, as data."""
        return Threshold(type="scale", at_least=str(criterion.at_least))

    def meets(self, criterion: Criterion, value: AnswerValue) -> bool:
        """Whether an actual answer (not blank, not n/a) meets the criterion."""
        return self.labels.index(str(value)) >= self.labels.index(str(criterion.at_least))

    def best_answer(self) -> AnswerValue:
        """The best possible answer."""
        return self.labels[-1]

    def never_fails(self, criterion: Criterion) -> bool:
        """Whether every answer meets the criterion."""
        return criterion.at_least == self.labels[0]

    def demand(self, criterion: Criterion) -> float:
        """How demanding a criterion is, comparable between criteria on this question."""
        return float(self.labels.index(str(criterion.at_least)))

    def position(self, value: AnswerValue) -> int:
        """A label's place on the scale, 0 for the worst."""
        return self.labels.index(str(value))

    def aggregate(self, values: Sequence[AnswerValue], policy: Aggregation) -> AnswerValue:
        """The lower median label; under ``min`` (weakest link) the worst one given."""
        positions = [self.position(value) for value in values]
        chosen = min(positions) if policy == "min" else agreement.lower_median(positions)
        return self.labels[chosen]

    def aggregation_words(self, policy: Aggregation) -> str:
        """How answers are combined, for a report."""
        return "weakest link (the worst answer)" if policy == "min" else "lower median"


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

    def allowed(self) -> str:
        """What a valid answer looks like, for messages."""
        return f"a number from {self.min:g} to {self.max:g} {self.unit}"

    def allowed_in_template(self, na: bool = False) -> str:
        """The valid answers, as the answers template and the interview list them (``na``:
        with n/a, where the rubrics accept it)."""
        better = "higher is better" if self.better == "higher" else "lower is better"
        text = f"a number from {self.min:g} to {self.max:g} {self.unit} ({better})"
        return text + (" | n/a" if na else "")

    def value_schema(self) -> dict[str, Any]:
        """The JSON Schema of a value (``n/a`` and blank aside)."""
        return {"type": "number", "minimum": self.min, "maximum": self.max}

    def schema_description(self) -> str:
        """The description of the answer in the editors' JSON Schema."""
        return f"{self.text} ({self.unit}) {self.guidance}"

    def _check(self, value: Any) -> tuple[AnswerValue, str | None]:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None, self._expected(value)
        try:
            number = float(value)
        except OverflowError:
            digits = len(str(abs(value)))
            return None, f"must be ≤ {self.max:g} {self.unit}, got a {digits}-digit number"
        if not math.isfinite(number):
            return None, f"must be a finite number, got {show_value(value)}"
        if number < self.min:
            return None, f"must be ≥ {self.min:g} {self.unit}, got {number:g}"
        if number > self.max:
            return None, f"must be ≤ {self.max:g} {self.unit}, got {number:g}"
        return number + 0.0, None  # -0.0 is 0 (shown as "0", and the same verdict as 0.0)

    def _describe(self, value: AnswerValue) -> str:
        assert isinstance(value, float)
        return f"{format_number(value)} {self.unit}"

    def condition_problems(self, criterion: Criterion) -> list[ConditionProblem]:
        """What is wrong with a criterion's condition on this question."""
        at_least, at_most = criterion.at_least, criterion.at_most
        if (at_least is None) == (at_most is None):
            return [(None, f"'{self.id}' is a number: give exactly one of at_least or at_most")]
        key = "at_least" if at_least is not None else "at_most"
        threshold = at_least if at_least is not None else at_most
        if not isinstance(threshold, int | float):
            return [(key, f"'{self.id}' is a number: the threshold must be a number")]
        problems: list[ConditionProblem] = []
        if not math.isfinite(threshold) or not self.min <= threshold <= self.max:
            problems.append(
                (
                    key,
                    f"threshold {threshold:g} is outside the range of '{self.id}' "
                    f"({self.min:g} to {self.max:g} {self.unit})",
                )
            )
        expected = "at_least" if self.better == "higher" else "at_most"
        if key != expected:
            problems.append(
                (
                    key,
                    f"for '{self.id}' {self.better} is better, so the criterion must use "
                    f"{expected}",
                )
            )
        if criterion.assumption is None:
            problems.append(
                (
                    None,
                    "a numeric threshold needs an 'assumption' saying where the number comes "
                    "from (the sources name metrics but rarely numbers)",
                )
            )
        return problems

    def _limits(self, criterion: Criterion) -> tuple[float | None, float | None]:
        """The criterion's (at_least, at_most) as numbers; the rubric checks guarantee one."""
        at_least, at_most = criterion.at_least, criterion.at_most
        return (
            at_least if isinstance(at_least, int | float) else None,
            at_most if isinstance(at_most, int | float) else None,
        )

    def describe_needed(self, criterion: Criterion) -> str:
        """The condition a criterion sets, in words."""
        at_least, at_most = self._limits(criterion)
        if at_most is not None:
            return f"≤ {format_number(at_most)} {self.unit}"
        assert at_least is not None
        return f"≥ {format_number(at_least)} {self.unit}"

    def threshold(self, criterion: Criterion) -> Threshold:
        """The condition a criterion sets, as data."""
        at_least, at_most = self._limits(criterion)
        if at_most is not None:
            return Threshold(type="number", at_most=at_most, unit=self.unit)
        return Threshold(type="number", at_least=at_least, unit=self.unit)

    def meets(self, criterion: Criterion, value: AnswerValue) -> bool:
        """Whether an actual answer (not blank, not n/a) meets the criterion."""
        assert isinstance(value, float)
        at_least, at_most = self._limits(criterion)
        if at_most is not None:
            return value <= at_most + EPSILON
        assert at_least is not None
        return value >= at_least - EPSILON

    def best_answer(self) -> AnswerValue:
        """The best possible answer."""
        return self.max if self.better == "higher" else self.min

    def never_fails(self, criterion: Criterion) -> bool:
        """Whether every answer meets the criterion."""
        at_least, at_most = self._limits(criterion)
        if at_least is not None:
            return at_least <= self.min
        return at_most is not None and at_most >= self.max

    def demand(self, criterion: Criterion) -> float:
        """How demanding a criterion is, comparable between criteria on this question."""
        at_least, at_most = self._limits(criterion)
        if at_most is not None:
            return -at_most
        assert at_least is not None
        return at_least

    def aggregate(self, values: Sequence[AnswerValue], policy: Aggregation) -> AnswerValue:
        """The median; under ``min`` (weakest link) the worst figure given."""
        numbers = [float(value) for value in values if isinstance(value, float)]
        if policy == "min":
            return min(numbers) if self.better == "higher" else max(numbers)
        return float(statistics.median(numbers)) + 0.0

    def aggregation_words(self, policy: Aggregation) -> str:
        """How answers are combined, for a report."""
        if policy == "min":
            return "weakest link (the " + ("lowest" if self.better == "higher" else "highest") + ")"
        return "median"


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
    date: Text | None = None
    """When it was published, as the text gives it (``2019``, ``undated``)."""
    kind: Text | None = None
    """What sort of text it is (``practitioner article``, ``benchmark report``), so a reader
    knows how much weight it carries."""
    url: Text | None = None
    """Where it was published, when known."""
    file: Text | None = None
    """Where the text is kept alongside the project (for tracing), if it is."""


LineSpan = Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]*(-[1-9][0-9]*)?$")]
"""A line or a range of lines of a source text: ``12`` or ``12-14``."""


class SourceRef(_Model):
    """Where in a source a criterion or tip comes from."""

    doc: Slug
    """The ``id`` of one of the rubric's ``sources``."""
    section: Text
    """The heading or passage of that document."""
    lines: LineSpan | None = None
    """The lines of the source file the item rests on (``12`` or ``12-14``)."""
    says: Text | None = None
    """What the source says there, in the rubric's words: the basis of the item, apart from
    the rubric's own recommendation."""


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
    """Why this threshold, when it is the rubric's own choice: required for a number (the
    sources name metrics but rarely numbers)."""
    benchmark: SourceRef | None = None
    """A published benchmark the threshold rests on (one of the rubric's ``sources``)."""
    allow_na: Text | None = None
    """When ``n/a`` is an acceptable answer, in words. Without it, n/a is an error for this
    criterion; with it, an n/a answer must give a ``justification``."""

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
    calibration: tuple[Advice, ...] = ()
    """Worked examples from the sources of what this level looks like in practice, for
    assessors to calibrate their answers against."""


class SelfTest(_Model):
    """Example answers and the level the rubric must give them (checked by ``validate``)."""

    name: Text
    """What the example shows."""
    answers: dict[str, Any] = Field(default_factory=dict)
    """Answers keyed by question id, as in an answers file."""
    level: Slug | None
    """The level these answers must reach: a level id, or null for below the ladder."""


# --------------------------------------------------------------------------- evidence policy

OnStale = Literal["warn", "fail"]
"""What stale evidence does: ``warn`` (the answer counts, with a warning) or ``fail`` (the
criterion counts as not met until the evidence is renewed)."""


class StaleRule(_Model):
    """How old the evidence of some answers may be, and what happens when it is older."""

    max_age_days: int | None = Field(default=None, ge=1, le=3660)
    """Days from the date the evidence describes to the last day it is current."""
    on_stale: OnStale | None = None


class EvidencePolicy(_Model):
    """How long evidence stays current, for the whole rubric, by question type and by
    question. The most specific rule wins: the question's, its type's, the rubric's."""

    max_age_days: int = Field(default=365, ge=1, le=3660)
    """Days evidence stays current when no narrower rule says otherwise."""
    on_stale: OnStale = "warn"
    expiring_days: int = Field(default=30, ge=0, le=365)
    """Evidence within this many days of its limit is "expiring"."""
    by_type: dict[Literal["yes_no", "scale", "number"], StaleRule] = Field(default_factory=dict)
    """Rules by question type (``number: {max_age_days: 120}``)."""
    questions: dict[Slug, StaleRule] = Field(default_factory=dict)
    """Rules by question id."""
    reason: Text | None = None
    """Why the limits are what they are, in a sentence a consultant can give a client."""

    def rule_for(self, question_id: str, question_type: str) -> tuple[int, OnStale]:
        """The maximum age (days) and the effect of staleness for one question."""
        age, effect = self.max_age_days, self.on_stale
        for rule in (self.by_type.get(question_type), self.questions.get(question_id)):  # type: ignore[call-overload]
            if rule is not None:
                age = rule.max_age_days if rule.max_age_days is not None else age
                effect = rule.on_stale if rule.on_stale is not None else effect
        return age, effect


class EvidencePolicyPatch(_Model):
    """Changes an extension makes to the extended rubric's evidence policy (rules by type and
    by question are added to the extended rubric's, a rule for the same key replacing its)."""

    max_age_days: int | None = Field(default=None, ge=1, le=3660)
    on_stale: OnStale | None = None
    expiring_days: int | None = Field(default=None, ge=0, le=365)
    by_type: dict[Literal["yes_no", "scale", "number"], StaleRule] = Field(default_factory=dict)
    questions: dict[Slug, StaleRule] = Field(default_factory=dict)
    reason: Text | None = None

    def apply(self, policy: EvidencePolicy) -> EvidencePolicy:
        """``policy`` with these changes."""
        return EvidencePolicy(
            max_age_days=policy.max_age_days if self.max_age_days is None else self.max_age_days,
            on_stale=policy.on_stale if self.on_stale is None else self.on_stale,
            expiring_days=(
                policy.expiring_days if self.expiring_days is None else self.expiring_days
            ),
            by_type={**policy.by_type, **self.by_type},
            questions={**policy.questions, **self.questions},
            reason=policy.reason if self.reason is None else self.reason,
        )


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
    basis: Text | None = None
    """What the rubric rests on, in a sentence a consultant can put in a report (what kind of
    model it is; which numbers are the rubric's own)."""
    require_evidence: bool = False
    """A required criterion counts as met only when its answer carries evidence."""
    evidence_policy: EvidencePolicy = Field(default_factory=EvidencePolicy)
    """How long evidence stays current, and what stale evidence does."""
    aggregation: Aggregation = "median"
    """How the answers of several respondents make one (``--aggregation`` overrides it)."""
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
    benchmark: SourceRef | None = None
    allow_na: Text | None = None

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
    calibration: tuple[Advice, ...] = ()
    """Worked examples added to the level's own."""


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
    basis: Text | None = None
    require_evidence: bool | None = None
    evidence_policy: EvidencePolicyPatch | None = None
    aggregation: Aggregation | None = None
    questions: tuple[Question, ...] = ()
    advice: tuple[Advice, ...] = ()
    levels: tuple[LevelPatch, ...] = ()
    self_tests: tuple[SelfTest, ...] = ()
    """This rubric's own self-tests (the extended rubric's are not inherited)."""


# --------------------------------------------------------------------------- answers


def is_not_applicable(value: Any) -> bool:
    """Whether a raw answer value is ``n/a``."""
    return isinstance(value, str) and value.strip().lower() == NOT_APPLICABLE


def _sha256(value: Any) -> Any:
    if isinstance(value, str) and re.fullmatch(r"[0-9a-fA-F]{64}", value.strip()):
        return value.strip().lower()
    raise ValueError(f"expected a SHA-256 digest (64 hexadecimal digits), got {show_value(value)}")


SHA256 = Annotated[
    str,
    BeforeValidator(_sha256),
    WithJsonSchema({"type": "string", "pattern": "^\\s*[0-9a-fA-F]{64}\\s*$"}),
]
"""A SHA-256 digest, kept in lowercase hex."""


class EvidenceItem(_Model):
    """One piece of evidence: what it shows and, dated, when that was true."""

    text: Text
    """What the evidence shows."""
    as_of: Day | None = None
    """The day the fact was true (a figure's period end)."""
    period: Period | None = None
    """The days the evidence covers, for a figure."""
    source: Text | None = None
    """Where it is kept: a file (relative to the answers file) or a URL."""
    sha256: SHA256 | None = None
    """The digest of ``source``, so a reader can tell it is the file the assessor saw."""
    collected: Day | None = None
    """The day the assessor received it."""
    reviewer: Text | None = None
    """Who checked it."""
    valid_until: Day | None = None
    """The last day it is current, when known better than the rubric's maximum age."""

    @model_validator(mode="before")
    @classmethod
    def _bare_text(cls, data: Any) -> Any:
        return {"text": data} if isinstance(data, str) else data

    @field_validator("period")
    @classmethod
    def _period_by_as_of(cls, value: Period | None, info: Any) -> Period | None:
        as_of = info.data.get("as_of")
        if value is not None and as_of is not None and value.end > as_of:
            raise ValueError(
                f"the period ends on {value.end}, after as_of ({as_of}): evidence cannot "
                "describe days after the day it was true"
            )
        return value

    @field_validator("collected", "valid_until")
    @classmethod
    def _not_before_described(cls, value: datetime.date | None, info: Any) -> datetime.date | None:
        as_of, period = info.data.get("as_of"), info.data.get("period")
        described = as_of if as_of is not None else None if period is None else period.end
        if value is None or described is None or value >= described:
            return value
        what = "as_of" if as_of is not None else "the period's end"
        if info.field_name == "collected":
            raise ValueError(
                f"collected ({value}) is before {what} ({described}), the day "
                "the evidence describes"
            )
        raise ValueError(
            f"valid_until ({value}) is before {what} ({described}): evidence cannot stop "
            "being current before the day it describes"
        )

    @property
    def described(self) -> datetime.date | None:
        """The day the evidence describes: ``as_of``, else the end of its period."""
        if self.as_of is not None:
            return self.as_of
        return None if self.period is None else self.period.end

    @property
    def dated(self) -> datetime.date | None:
        """The day its age counts from: the day it describes, else the day it was collected."""
        return self.described if self.described is not None else self.collected


def _evidence_items(value: Any) -> Any:
    """``evidence`` as a list of items: a text is one undated item, a mapping one item."""
    if isinstance(value, str | dict):
        return [value]
    return value


Evidences = Annotated[
    Annotated[tuple[EvidenceItem, ...], Field(min_length=1)] | None,
    BeforeValidator(_evidence_items),
]
"""``evidence``: a text, one dated item, or a list of them."""


class ResponseEntry(_Model):
    """One respondent's answer to a question, with the evidence they gave."""

    value: Any = None
    """The answer; blank when the respondent was asked and gave none."""
    evidence: Evidences = None
    """What the respondent showed to support the answer."""
    notes: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _bare_value(cls, data: Any) -> Any:
        return data if isinstance(data, dict) else {"value": data}


class AnswerEntry(_Model):
    """One answer: the value plus the evidence a consultant collected; or, heard from several
    respondents, their ``responses`` (the value is then their aggregate, or ``consensus``)."""

    value: Any = None
    evidence: Evidences = None
    """What supports the answer: a text, or one or more dated items."""
    notes: Text | None = None
    justification: Text | None = None
    """Why the question does not apply to this company (an ``n/a`` answer only)."""
    responses: Annotated[dict[str, ResponseEntry], Field(min_length=1)] | None = None
    """Each respondent's answer, by respondent id (see the file's ``respondents``)."""
    consensus: Any = None
    """The consultant's ruling after hearing the respondents: it replaces their aggregate."""
    consensus_note: Text | None = None
    """Why the ruling differs from, or confirms, the aggregate (required with ``consensus``)."""

    @model_validator(mode="before")
    @classmethod
    def _bare_value(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return data
        return {"value": data}

    @model_validator(mode="after")
    def _responses_or_value(self) -> AnswerEntry:
        if self.responses is None:
            if self.consensus is not None or self.consensus_note is not None:
                raise ValueError(
                    "consensus rules on several respondents' answers: give their responses, "
                    "or give the answer as value"
                )
            return self
        if self.value is not None:
            raise ValueError(
                "give either value or responses: with responses the value is their aggregate "
                "(or the consultant's consensus)"
            )
        if (self.consensus is None) != (self.consensus_note is None):
            raise ValueError(
                "a consensus needs a consensus_note saying why"
                if self.consensus is not None
                else "a consensus_note explains a consensus, and there is none"
            )
        return self

    @field_validator("justification")
    @classmethod
    def _justifies_not_applicable(cls, value: str | None, info: Any) -> str | None:
        if value is not None and not is_not_applicable(info.data.get("value")):
            raise ValueError(
                "a justification explains an n/a answer, and this answer is not n/a "
                "(put the remark in notes)"
            )
        return value


class Period(_Model):
    """A span of days: the assessment period (the days every figure and count of an answers
    file covers), or the days a piece of evidence covers."""

    start: Day = Field(alias="from")
    """The first day of the period."""
    end: Day = Field(alias="to")
    """The last day of the period."""

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")
        return self


class RespondentEntry(_Model):
    """Someone whose answers an answers file records."""

    id: Slug
    """The key of their answers under each question's ``responses``."""
    role: Text | None = None
    """What they do (``COO``, ``Frontline agent``)."""
    group: Slug | None = None
    """The group whose median is compared with the others' (``management``, ``frontline``,
    ``customer``)."""


class AnswersFile(_Model):
    """One company's answers, keyed by question id."""

    company: Text
    date: Day
    """The day the assessment was made."""
    assessor: Text | None = None
    rubric: Text | None = None
    """The rubric to use when the command line names none (an id or a path)."""
    period: Period | None = None
    """The assessment period every answer covers; by default the twelve months up to ``date``."""
    measurements: tuple[Text, ...] = ()
    """Measurement files (written by ``svclevel measure``), relative to this file's folder:
    their figures answer the number questions left unanswered."""
    exceptions: tuple[Text, ...] = ()
    """Exceptions files (criteria waived until a date), relative to this file's folder."""
    respondent: RespondentEntry | None = None
    """The one person whose answers this file records (an interview ``svclevel merge``
    combines with the others')."""
    respondents: tuple[RespondentEntry, ...] = ()
    """The people heard, when answers give several people's ``responses``."""
    answers: dict[str, AnswerEntry] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _empty_answers(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("answers", {}) is None:
            return {**data, "answers": {}}
        return data

    @field_validator("respondents")
    @classmethod
    def _one_or_several(
        cls, value: tuple[RespondentEntry, ...], info: Any
    ) -> tuple[RespondentEntry, ...]:
        if value and info.data.get("respondent") is not None:
            raise ValueError(
                "give respondent (the one person this file records) or respondents (several, "
                "with responses), not both"
            )
        return value

    @field_validator("period", mode="before")
    @classmethod
    def _period_given(cls, value: Any) -> Any:
        if value is None:  # written and left empty: not the same as leaving the key out
            raise ValueError(
                "give the period as {from: YYYY-MM-DD, to: YYYY-MM-DD}, or leave the key out "
                "for the twelve months up to the date"
            )
        return value

    @field_validator("period")
    @classmethod
    def _period_before_the_date(cls, value: Period | None, info: Any) -> Period | None:
        day = info.data.get("date")
        if value is not None and isinstance(day, datetime.date) and value.end > day:
            raise ValueError(
                f"the period ends on {value.end}, after the assessment's date ({day}): "
                "an assessment covers days already past"
            )
        return value


# --------------------------------------------------------------------------- exceptions

EXCEPTIONS_FORMAT = 1
"""The version of the exceptions-file format (its ``svclevel_exceptions`` key)."""

_CRITERION_PATH = re.compile(r"([a-z0-9][a-z0-9_-]*/[a-z0-9][a-z0-9_-]*/)?[a-z0-9][a-z0-9_-]*")


def _criterion_path(value: Any) -> Any:
    if isinstance(value, str) and _CRITERION_PATH.fullmatch(value.strip()) and len(value) <= 200:
        return value.strip()
    raise ValueError(
        "expected rubric/level/question (e.g. four-level/meet/promises_kept) or a question id, "
        f"got {show_value(value)}"
    )


CriterionPath = Annotated[
    str,
    BeforeValidator(_criterion_path),
    WithJsonSchema(
        {
            "type": "string",
            "maxLength": 200,
            "pattern": "^\\s*([a-z0-9][a-z0-9_-]*/[a-z0-9][a-z0-9_-]*/)?[a-z0-9][a-z0-9_-]*\\s*$",
        }
    ),
]
"""``rubric/level/question``, or a question id for its criteria on every rubric."""


def _a_sentence(value: Any) -> Any:
    if isinstance(value, str) and len(value.strip()) < JUSTIFICATION_MIN:
        raise ValueError(
            f"give at least {JUSTIFICATION_MIN} characters: why the exception is granted, in a "
            f"sentence a client can read (got {show_value(value)})"
        )
    return value


JUSTIFICATION_MIN = 20
"""The shortest justification of an exception, in characters: a sentence, not a word."""

Justification = Annotated[
    str,
    BeforeValidator(_a_sentence),
    StringConstraints(strip_whitespace=True, min_length=1, max_length=TEXT_MAX),
]
"""Why an exception is granted: at least a sentence (20 characters)."""


class ExceptionEntry(_Model):
    """A criterion waived for a time: not applicable, or counted as met (exempt)."""

    criterion: CriterionPath
    """``rubric/level/question`` (one criterion) or ``question`` (its criteria everywhere)."""
    effect: Literal["not_applicable", "exempt"]
    """``not_applicable``: left out of the level's score; ``exempt``: counted as met."""
    justification: Justification
    approved_by: Text
    """Who at the company (or the consultancy) approved it."""
    granted: Day
    """The first day it applies."""
    expires: Day
    """The last day it applies (inclusive); required, so no exception lasts for ever."""
    company: Text | None = None
    """The company it is for, when the file serves several (else: any company assessed)."""
    ticket: Text | None = None
    """A reference in the company's own tracker."""

    @model_validator(mode="after")
    def _expires_after_granted(self) -> ExceptionEntry:
        if self.expires < self.granted:
            raise ValueError(f"expires ({self.expires}) is before granted ({self.granted})")
        return self


class ExceptionsFile(_Model):
    """Exceptions granted to criteria, each until a date (``svclevel_exceptions: 1``)."""

    svclevel_exceptions: Literal[1]
    """The format version: marks the file as an exceptions file."""
    exceptions: tuple[ExceptionEntry, ...] = ()
