"""``svclevel init``: an answers template with every question the rubric(s) need, and the
answers schema beside it. Only :func:`write_template` touches files."""

from __future__ import annotations

import datetime
import os
import textwrap
from collections.abc import Sequence
from pathlib import Path

from svclevel.load.rubrics import LoadedRubric, builtin_rubric_ids
from svclevel.models import Question

SCHEMA_FILE = "answers.schema.json"
"""The schema beside a template for every built-in rubric (``-r all``)."""


def schema_file(rubrics: Sequence[LoadedRubric], *, every: bool) -> str:
    """The name of the schema written beside a template: one per rubric, so templates for
    different rubrics can share a folder, and :data:`SCHEMA_FILE` for ``-r all``."""
    if every or len(rubrics) != 1:
        return SCHEMA_FILE
    return f"{rubrics[0].id}.answers.schema.json"


def rubric_reference(
    loaded: LoadedRubric, folder: Path, rubric_dirs: Sequence[str | Path] = ()
) -> str:
    """What the template's ``rubric:`` says, so that assessing it finds ``loaded`` again.

    A built-in rubric is named by its id, and so is a rubric file that its id finds in
    ``rubric_dirs``; any other rubric file by its path relative to ``folder`` (the folder
    of the answers file), as answers files name rubric files.
    """
    if loaded.origin == "built-in":
        return loaded.id
    own = Path(loaded.origin).resolve()
    if loaded.id not in builtin_rubric_ids():
        for directory in rubric_dirs:
            found = next(
                (
                    Path(directory) / f"{loaded.id}{suffix}"
                    for suffix in (".yaml", ".yml")
                    if (Path(directory) / f"{loaded.id}{suffix}").is_file()
                ),
                None,
            )
            if found is not None:
                if found.resolve() == own:
                    return loaded.id
                break  # the id names another file first: only the path is sure
    try:
        relative = os.path.relpath(own, folder.resolve())
    except ValueError:  # another drive (Windows): only the full path works
        return own.as_posix()
    return Path(relative).as_posix()


def allowed_answers(question: Question, na_when: str | None = None) -> str:
    """The valid answers to ``question``, as the template (and the interview) list them;
    ``na_when``: when the rubrics accept n/a for it (None: they do not)."""
    text = question.allowed_in_template(na=na_when is not None)
    return text if na_when is None else f"{text}; n/a, with a justification, when {na_when}"


def na_conditions(rubrics: Sequence[LoadedRubric]) -> dict[str, str]:
    """For each question every rubric accepts n/a for (on every criterion that uses it), when
    they do: the ``allow_na`` texts, joined."""
    conditions: dict[str, list[str | None]] = {}
    for loaded in rubrics:
        for level in loaded.rubric.levels:
            for criterion in level.criteria:
                conditions.setdefault(criterion.question, []).append(criterion.allow_na)
    return {
        qid: "; ".join(dict.fromkeys(c.rstrip(".") for c in whens if c is not None))
        for qid, whens in conditions.items()
        if all(c is not None for c in whens)
    }


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
    rubric_ref: str | None = None,
) -> str:
    """The template: a header, then each question (in ladder order) with its comments.

    For one rubric, the header names it with ``rubric_ref`` (see :func:`rubric_reference`),
    else with its id."""
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
        "# reported as unanswered, apart from a 'no', and the verdict stays provisional). Write",
        "# n/a only where a question says n/a is accepted, with a justification. Every answer",
        "# covers the same period (by default the twelve months up to the date; state it with",
        "# period: {from: YYYY-MM-DD, to: YYYY-MM-DD}). To record evidence, write the answer as a",
        "# mapping:",
        "#   promises_kept:",
        "#     value: usually",
        "#     evidence: 96 % of orders on time (shop system, Q3)",
        "",
        f"company: {_scalar(company)}",
        f"date: {day}",
        "assessor:",
    ]
    if len(rubrics) == 1:
        lines.append(f"rubric: {_scalar(rubric_ref or ids[0])}")
    lines.append("answers:")
    na_when = na_conditions(rubrics)
    for qid, question in questions.items():
        lines.append("")
        lines += _comment(question.text, "  ")
        lines += _comment(f"Answer: {allowed_answers(question, na_when.get(qid))}", "  ")
        lines += _comment(f"Guidance: {question.guidance}", "  ")
        lines += _comment(f"Used by: {', '.join(users[qid])}", "  ")
        lines.append(f"  {qid}:")
    return "\n".join(lines) + "\n"


def _scalar(text: str) -> str:
    """A YAML plain or quoted scalar for ``text``."""
    import json

    safe = text and text.strip() == text and all(c.isalnum() or c in " -_.'/" for c in text)
    return text if safe else json.dumps(text, ensure_ascii=False)


def render_for(
    rubrics: Sequence[LoadedRubric],
    folder: Path,
    *,
    every: bool,
    company: str,
    rubric_dirs: Sequence[str | Path] = (),
) -> str:
    """The template of an answers file in ``folder``: its ``rubric:`` found from there."""
    ref = rubric_reference(rubrics[0], folder, rubric_dirs) if len(rubrics) == 1 else None
    return render_template(
        rubrics, company=company, schema_ref=schema_file(rubrics, every=every), rubric_ref=ref
    )


def write_template(
    rubrics: Sequence[LoadedRubric],
    output: Path,
    *,
    every: bool,
    company: str,
    rubric_dirs: Sequence[str | Path] = (),
    force: bool = False,
) -> str:
    """Write the template to ``output`` and its schema beside it; say what was written.

    Both are checked before either is written: an existing template is kept unless ``force``;
    an existing schema is kept when it is the same, and else too unless ``force`` (it may be
    another version's, that other answers files point at).
    """
    from svclevel.author.editor_schemas import answers_schema
    from svclevel.errors import UsageError
    from svclevel.report.files import write_atomically
    from svclevel.report.json_records import json_text

    text = render_for(rubrics, output.parent, every=every, company=company, rubric_dirs=rubric_dirs)
    questions = {q: v for r in rubrics for q, v in r.questions.items()}
    schema = json_text(answers_schema(questions, na_conditions(rubrics)), pretty=True)
    schema_path = output.parent / schema_file(rubrics, every=every)
    if output.exists() and not force:
        raise UsageError(f"{output}: already exists (use --force to overwrite)")
    same = _read(schema_path) == schema
    if schema_path.exists() and not same and not force:
        raise UsageError(
            f"{schema_path}: already exists with other questions (from another version of the "
            "rubric, or other rubric folders); nothing was written (use --force to replace it)"
        )
    write_atomically(output, text)
    if same:
        return f"wrote {output} ({schema_path} beside it is up to date)"
    write_atomically(schema_path, schema)
    return f"wrote {output} and {schema_path}"


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
