"""Output formats: one module per format, found through one registry.

Every command hands its results to a reporter from :func:`reporter_for`; the contract (the hooks
and their order) is in :mod:`svclevel.report.base`. The ``--format`` choices are
:class:`Format`; each value's module renders every kind of result it can show (``rich`` →
``rich_report.py``, ``markdown`` → ``markdown_report.py``, ...). Wording shared between formats
is in ``_common.py``, JSON records in ``json_records.py`` and their schemas in ``json_schema.py``.
"""

from __future__ import annotations

from typing import assert_never

from svclevel.errors import UsageError
from svclevel.report.base import Format, Kind, Reporter, ReportOptions

__all__ = [
    "Format",
    "Kind",
    "ReportOptions",
    "Reporter",
    "formats_for",
    "formats_showing",
    "reporter_for",
]

_CANNOT_SHOW: dict[Format, frozenset[Kind]] = {
    Format.JUNIT: frozenset({Kind.COMPARISON, Kind.CROSSWALK}),
    Format.GITHUB: frozenset({Kind.COMPARISON, Kind.CROSSWALK}),
    Format.SUMMARY: frozenset({Kind.COMPARISON, Kind.CROSSWALK}),
}
"""What a format cannot show, as its reporter's ``shows`` says, known without importing it."""


def formats_for(*kinds: Kind) -> list[Format]:
    """The formats that can show each of ``kinds``, without importing any format's module (the
    ``--format`` choices and help); a test holds it to :func:`formats_showing`."""
    return [f for f in Format if not _CANNOT_SHOW.get(f, frozenset()) & set(kinds)]


def reporter_class(fmt: Format) -> type[Reporter]:
    """The reporter of ``fmt``. Each format's module is imported only when it is used."""
    match fmt:
        case Format.RICH:
            from svclevel.report.rich_report import RichReporter

            return RichReporter
        case Format.TEXT:
            from svclevel.report.text_report import TextReporter

            return TextReporter
        case Format.JSON:
            from svclevel.report.json_report import JsonReporter

            return JsonReporter
        case Format.MARKDOWN:
            from svclevel.report.markdown_report import MarkdownReporter

            return MarkdownReporter
        case Format.JUNIT:
            from svclevel.report.junit_report import JunitReporter

            return JunitReporter
        case Format.CSV:
            from svclevel.report.csv_report import CsvReporter

            return CsvReporter
        case Format.GITHUB:
            from svclevel.report.github_report import GithubReporter

            return GithubReporter
        case Format.HTML:
            from svclevel.report.html_report import HtmlReporter

            return HtmlReporter
        case Format.PDF:
            from svclevel.report.pdf_report import PdfReporter

            return PdfReporter
        case Format.SUMMARY:
            from svclevel.report.summary_report import SummaryReporter

            return SummaryReporter
        case _:
            assert_never(fmt)


def formats_showing(kind: Kind) -> list[Format]:
    """The formats that can show ``kind`` (imports every format's module)."""
    return [f for f in Format if kind in reporter_class(f).shows]


def reporter_for(fmt: Format, options: ReportOptions, kind: Kind = Kind.ASSESSMENT) -> Reporter:
    """A new reporter for a run of ``kind`` in ``fmt``.

    A format that cannot show ``kind`` is refused here, the one place, with a usage error that
    names the command and the formats that can.
    """
    cls = reporter_class(fmt)
    if kind not in cls.shows:
        choices = ", ".join(f.value for f in formats_showing(kind))
        raise UsageError(
            f"{kind.command}: the {fmt.value} format cannot show {kind.noun}; use one of {choices}"
        )
    return cls(options, kind)
