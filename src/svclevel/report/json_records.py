"""The machine-readable result: a versioned JSON envelope (schema: :mod:`.json_schema`).

Bump :data:`SCHEMA_VERSION` on any incompatible change (a field removed, renamed or retyped);
adding an optional field is compatible.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import pydantic_core

from svclevel import __version__
from svclevel.errors import Problem
from svclevel.results import (
    Assessment,
    JsonDict,
)

if TYPE_CHECKING:
    from svclevel.engine.compare import Comparison, Crosswalk
    from svclevel.engine.diff import Diff
    from svclevel.engine.history import History

SCHEMA_VERSION = 2
"""The version of the JSON records; ``schema_version`` in every record."""


def json_text(record: JsonDict, *, pretty: bool) -> str:
    """A record as JSON text and a newline: indented by 2, or on one line (JSON Lines).

    The text is the data exactly, written so that a terminal or a CI log can show it: a
    character :func:`~svclevel.errors.printable` would escape is a ``\\u`` escape, and ``##[``
    (a GitHub Actions command) is ``#\\u0023[``. Outside strings JSON has neither, so the
    replacement cannot change what the text means.
    """
    raw = pydantic_core.to_json(record, indent=2 if pretty else None)
    text = raw.decode()
    if b"##[" in raw or not raw.translate(None, _PRINTABLE_ASCII).decode().isprintable():
        text = _UNSAFE_IN_JSON.sub(_json_escape, text)
    return text + "\n"


_PRINTABLE_ASCII = bytes(range(0x20, 0x7F)) + b"\n"
"""Bytes that never need escaping. What is left once they are deleted from UTF-8 is whole
characters (a multi-byte character has no ASCII byte in it), usually a few: checking those
alone decides whether the escaping pass is needed."""


_UNSAFE_IN_JSON = re.compile(r"[^\x20-\x7e\n]|##\[")
"""Where a character may need escaping: anything but printable ASCII (most of it stays)."""


def _json_escape(match: re.Match[str]) -> str:
    found = match.group()
    if found == "##[":
        return "#\\u0023["
    return found if found.isprintable() else json.dumps(found)[1:-1]


def tool_record() -> JsonDict:
    """The ``tool`` member of every record."""
    return {"name": "svclevel", "version": __version__}


def assessment_record(a: Assessment) -> JsonDict:
    """The JSON envelope of an assessment (an :class:`AssessmentRecord`): the record's
    envelope, then :meth:`Assessment.to_dict`."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "assessment",
        "tool": tool_record(),
        **a.to_dict(),
    }


def error_record(file: str, problems: tuple[Problem, ...]) -> JsonDict:
    """The JSON record of an input that could not be assessed (an :class:`ErrorRecord`)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "error",
        "tool": tool_record(),
        "file": file,
        "problems": [
            {
                "file": p.file,
                "line": p.line,
                "column": p.column,
                "path": p.path,
                "message": p.message,
            }
            for p in problems
        ],
    }


# --------------------------------------------------------------------------- compare and diff

# Records of `svclevel compare` (schema: `svclevel schema compare`) and `svclevel diff` (schema:
# `svclevel schema diff`), in the same envelope as the assessment record.


def comparison_record(c: Comparison) -> JsonDict:
    """The JSON record of a comparison (a ``ComparisonRecord``)."""
    return {"schema_version": SCHEMA_VERSION, "kind": "comparison", "tool": tool_record()} | (
        c.to_dict()
    )


def crosswalk_record(cw: Crosswalk) -> JsonDict:
    """The JSON record of a crosswalk (a ``CrosswalkRecord``)."""
    return {"schema_version": SCHEMA_VERSION, "kind": "crosswalk", "tool": tool_record()} | (
        cw.to_dict()
    )


def diff_record(d: Diff) -> JsonDict:
    """The JSON record of a diff (a ``DiffRecord``)."""
    return {"schema_version": SCHEMA_VERSION, "kind": "diff", "tool": tool_record()} | (d.to_dict())


def history_record(h: History) -> JsonDict:
    """The JSON record of a history (a ``HistoryRecord``)."""
    return {"schema_version": SCHEMA_VERSION, "kind": "history", "tool": tool_record()} | (
        h.to_dict()
    )
