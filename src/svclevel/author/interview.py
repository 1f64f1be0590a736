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

from svclevel.author.template import allowed_answers  # the same wording as the template
from svclevel.errors import InputError
from svclevel.load.rubrics import LoadedRubric
from svclevel.load.yamlfile import parse_yaml
from svclevel.models import NA, Question
from svclevel.report.files import write_atomically

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
    saved: bool = False
    """The file exists and holds this header already: nothing to write before an answer."""

    def save(self, changed: str | None = None) -> None:
        """Write the file atomically.

        When the file exists and only the answer to ``changed`` is new, that answer alone is
        written into it: its comments (those of ``svclevel init`` and the assessor's own), its
        order and its layout stay as they are. Otherwise the whole file is written.
        """
        if changed is not None and self.path.exists():
            text = self.path.read_text(encoding="utf-8")
            edited = set_answer(text, changed, self.answers[changed])
            if edited is not None:
                write_atomically(self.path, edited)
                return
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
        from svclevel.load.rubrics import read_answers

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
            saved=parsed.rubric is not None or rubric is None,
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
    if not session.saved:
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
        checked, problem = question.check_answer(value)
        if problem is not None:
            say(f"    ✗ {problem}")
            continue
        stored: Any = "n/a" if checked is NA else value
        session.answers[question.id] = (
            {"value": stored, "evidence": evidence.strip()} if evidence.strip() else stored
        )
        session.save(changed=question.id)
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


def set_answer(text: str, qid: str, entry: Any) -> str | None:
    """``text`` (an answers file) with ``answers.<qid>`` set to ``entry``, every other line as
    it was; None when the file's layout is not one this can edit safely (a flow mapping, a
    repeated key...), so the caller writes the whole file instead.

    The edit is checked: the result must read back as the same data with only that answer
    changed.
    """
    try:
        document = parse_yaml(text, "")
    except InputError:
        return None
    root, before = document.node, document.data
    if not isinstance(root, yaml.MappingNode) or not isinstance(before, dict):
        return None
    answers_key = next((k for k, _ in root.value if k.value == "answers"), None)
    answers = next((v for k, v in root.value if k.value == "answers"), None)
    if answers_key is None or answers is None:
        return None
    # Where the answer goes: lines [at, end] are replaced, or it is inserted before line ``at``
    # when ``end`` is None; ``value`` is the answer it replaces, if any.
    value: yaml.Node | None = None
    end: int | None = None
    if isinstance(answers, yaml.ScalarNode) and answers.value == "":
        # "answers:" and nothing else: the first answer goes on the next line
        at, indent = answers_key.start_mark.line + 1, answers_key.start_mark.column + 2
    elif isinstance(answers, yaml.MappingNode) and not answers.flow_style and answers.value:
        indent = answers.value[0][0].start_mark.column
        pairs = [(k, v) for k, v in answers.value if k.value == qid]
        if len(pairs) > 1:
            return None
        if pairs:
            key, value = pairs[0]
            at, end = key.start_mark.line, _last_line(value, key.start_mark.line)
        else:
            at = _last_line(answers, answers_key.start_mark.line) + 1
    else:
        return None

    lines = text.splitlines(keepends=True)
    newline = "\r\n" if "\r\n" in text else "\n"
    rendered = yaml.safe_dump({qid: entry}, sort_keys=False, allow_unicode=True, width=100)
    new = [" " * indent + line + newline for line in rendered.splitlines()]
    if end is None:
        if 0 < at <= len(lines) and not lines[at - 1].endswith("\n"):
            lines[at - 1] += newline
        lines[at:at] = new
    else:
        if len(new) == 1 and isinstance(value, yaml.ScalarNode) and value.end_mark.line == at:
            # keep a comment written after a one-line answer
            rest = lines[at][value.end_mark.column :].rstrip("\r\n")
            if rest.lstrip().startswith("#"):
                new[0] = new[0].removesuffix(newline) + rest + newline
        lines[at : end + 1] = new
    edited = "".join(lines)
    expected = {**before, "answers": {**(before.get("answers") or {}), qid: entry}}
    try:
        return edited if parse_yaml(edited, "").data == expected else None
    except InputError:
        return None


def _last_line(node: yaml.Node, floor: int) -> int:
    """The last line holding text of ``node`` (a mapping's end mark can lie past comments)."""
    if isinstance(node, yaml.ScalarNode):
        end = node.end_mark
        return max(
            floor, end.line - 1 if end.column == 0 and end.line > node.start_mark.line else end.line
        )
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        children = [n for pair in node.value for n in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    return max([floor, *(_last_line(child, floor) for child in children)])
