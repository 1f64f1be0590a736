"""``svclevel init``: an answers template with every question the rubric(s) need. Pure."""

from __future__ import annotations

import datetime
import textwrap
from collections.abc import Sequence

from svclevel.load.rubrics import LoadedRubric
from svclevel.models import Question

SCHEMA_FILE = "answers.schema.json"


def allowed_answers(question: Question) -> str:
    """The valid answers to ``question``, as the template (and the interview) list them."""
    return question.allowed_in_template()


def _comment(text: str, indent: str) -> list[str]:
    return textwrap.wrap(
        text, width=96, initial_indent=f"{indent}# ", subsequent_indent=f"{indent}#   "
    )


def render_template(
    rubrics: Sequence[LoadedRubric],
    *,
    company: str = "Company name",
    date: datetime.date | None = None,
    schema_ref: str = SCHEMA_FILE,
) -> str:
    """The template: a header, then each question (in ladder order) with its comments."""
    ids = [r.rubric.id for r in rubrics]
    questions: dict[str, Question] = {}
    users: dict[str, list[str]] = {}
    for loaded in rubrics:
        for level in loaded.rubric.levels:
            for criterion in level.criteria:
                questions.setdefault(criterion.question, loaded.questions[criterion.question])
                users.setdefault(criterion.question, [])
                tag = f"{loaded.rubric.id}:{level.id}"
                if tag not in users[criterion.question]:
                    users[criterion.question].append(tag)
    day = (date or datetime.date.today()).isoformat()
    lines = [
        f"# yaml-language-server: $schema={schema_ref}",
        f"# svclevel answers file for: {', '.join(ids)}",
        "#",
        "# Answer each question below. Leave an answer blank when you do not know it (it is",
        "# reported as unanswered, apart from a 'no'), write n/a when it does not apply (it is",
        "# left out of the score). To record evidence, write the answer as a mapping:",
        "#   promises_kept:",
        "#     value: usually",
        "#     evidence: 96 % of orders on time (shop system, Q3)",
        "",
        f"company: {_scalar(company)}",
        f"date: {day}",
        "assessor:",
    ]
    if len(rubrics) == 1:
        lines.append(f"rubric: {_scalar(ids[0])}")
    lines.append("answers:")
    for qid, question in questions.items():
        lines.append("")
        lines += _comment(question.text, "  ")
        lines += _comment(f"Answer: {allowed_answers(question)}", "  ")
        lines += _comment(f"Guidance: {question.guidance}", "  ")
        lines += _comment(f"Used by: {', '.join(users[qid])}", "  ")
        lines.append(f"  {qid}:")
    return "\n".join(lines) + "\n"


def _scalar(text: str) -> str:
    """A YAML plain or quoted scalar for ``text``."""
    import json

    safe = text and text.strip() == text and all(c.isalnum() or c in " -_.'" for c in text)
    return text if safe else json.dumps(text, ensure_ascii=False)
