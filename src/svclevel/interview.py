"""``svclevel interview``: ask each question in the terminal, check each answer as it is typed,
and save the answers file after every answer, so an interruption loses nothing.

The engine talks through two functions (``ask`` and ``say``), so it can be driven by a real
terminal (Rich prompts), a pipe, or a test.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from svclevel.errors import InputError
from svclevel.loading import LoadedRubric
from svclevel.models import Question
from svclevel.sinks import write_atomically
from svclevel.template import allowed_answers  # the same wording as the template
from svclevel.validation import NA, check_value

HELP = (
    "Type an answer and Enter. Add evidence after ' -- ' (usually -- 96 % on time). "
    "Enter alone skips, n/a marks not applicable, 'back' returns to the previous question, "
    "'?' shows the guidance again, 'quit' saves and stops."
)


@dataclass
class Session:
    """The answers file being filled in."""

    path: Path
    company: str
    date: str
    assessor: str | None
    rubric: str | None
    answers: dict[str, Any] = field(default_factory=dict)
    """Question id → bare value, or a mapping with value and evidence, as in the file."""

    def save(self) -> None:
        """Write the whole file atomically."""
        data: dict[str, Any] = {
            "company": self.company,
            "date": datetime.date.fromisoformat(self.date),
        }
        if self.assessor:
            data["assessor"] = self.assessor
        if self.rubric:
            data["rubric"] = self.rubric
        data["answers"] = self.answers
        text = "# Written by svclevel interview; run it again to resume.\n" + yaml.safe_dump(
            data, sort_keys=False, allow_unicode=True, width=100
        )
        write_atomically(self.path, text)

    def answered(self, qid: str) -> bool:
        entry = self.answers.get(qid)
        value = entry.get("value") if isinstance(entry, dict) else entry
        return value is not None


def questions_of(rubrics: Sequence[LoadedRubric]) -> list[Question]:
    """The questions the rubrics use, in ladder order, each once."""
    seen: dict[str, Question] = {}
    for loaded in rubrics:
        for level in loaded.rubric.levels:
            for criterion in level.criteria:
                seen.setdefault(criterion.question, loaded.questions[criterion.question])
    return list(seen.values())


def open_session(path: Path, *, rubric: str | None, ask: Callable[[str], str]) -> Session:
    """Resume ``path`` if it exists, else ask for the header of a new file."""
    if path.exists():
        from svclevel.loading import read_answers

        document = read_answers(path)
        if document.parsed is None:
            raise InputError(document.shape_problems)
        parsed = document.parsed
        raw = document.doc.data.get("answers") or {}
        return Session(
            path=path,
            company=parsed.company,
            date=parsed.date.isoformat(),
            assessor=parsed.assessor,
            rubric=parsed.rubric or rubric,
            answers=dict(raw),
        )
    company = ""
    while not company.strip():
        company = ask("Company")
    assessor = ask("Assessor (Enter to skip)").strip() or None
    return Session(
        path=path,
        company=company.strip(),
        date=datetime.date.today().isoformat(),
        assessor=assessor,
        rubric=rubric,
    )


def run(
    session: Session,
    questions: Sequence[Question],
    *,
    ask: Callable[[str], str],
    say: Callable[[str], None],
) -> int:
    """Ask every unanswered question; return how many answers were given this time."""
    session.save()
    say(HELP)
    todo = [i for i, q in enumerate(questions) if not session.answered(q.id)]
    if not todo:
        say(f"Every question is answered already ({len(questions)}).")
        return 0
    given = 0
    position = todo[0]
    while position < len(questions):
        question = questions[position]
        say("")
        say(f"[{position + 1}/{len(questions)}] {question.text}")
        say(f"    {allowed_answers(question)}")
        reply = ask(question.id).strip()
        if reply in ("quit", "q", "exit"):
            break
        if reply in ("back", "<"):
            position = max(0, position - 1)
            continue
        if reply == "?":
            say(f"    {question.guidance}")
            continue
        if not reply:
            position += 1
            continue
        text, _, evidence = reply.partition(" -- ")
        value = _parse(text.strip())
        checked, problem = check_value(value, question)
        if problem is not None:
            say(f"    ✗ {problem}")
            continue
        stored: Any = "n/a" if checked is NA else value
        session.answers[question.id] = (
            {"value": stored, "evidence": evidence.strip()} if evidence.strip() else stored
        )
        session.save()
        given += 1
        position += 1
    return given


def _parse(text: str) -> Any:
    """Read a typed answer the way YAML would read it in the file (yes → True, 24 → 24)."""
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    return value if isinstance(value, bool | int | float | str) else text
