"""Output formats. One registry maps each ``--format`` value to its reporter."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import assert_never

from svclevel.results import Assessment


class Format(enum.StrEnum):
    """The values of ``--format``."""

    RICH = "rich"
    """Colours, progress bars and tables for a terminal."""
    TEXT = "text"
    """Plain text for logs, pipes and NO_COLOR terminals."""


@dataclass(frozen=True)
class ReportOptions:
    """How the CLI wants a report rendered."""

    explain: bool = False
    """Show every criterion and the arithmetic behind the verdict."""
    width: int = 100
    """Line width of the output."""
    color: bool = True
    """Whether the rich format may use colour (the text format never does)."""


Reporter = Callable[[Assessment, ReportOptions], str]


def reporter_for(fmt: Format) -> Reporter:
    """The function that renders ``fmt``. Formats are imported lazily."""
    if fmt is Format.RICH:
        from svclevel.report.rich_report import render_rich

        return render_rich
    if fmt is Format.TEXT:
        from svclevel.report.text_report import render_text

        return render_text
    assert_never(fmt)
