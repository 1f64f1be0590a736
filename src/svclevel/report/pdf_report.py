"""The PDF report: the HTML report laid out in pages by WeasyPrint, which needs no browser.

A4 by default (Letter by the ``report.paper`` setting), with the company and the date in a
running header and "page N of M" on every page (the ``@page`` rules of the HTML report). The
fonts svclevel ships (DejaVu Sans, cut to the characters a report uses) are embedded, so the PDF
is the same on every machine that makes it and looks the same wherever it is opened. WeasyPrint
may fetch nothing but the ``data:`` URIs of the document itself (the fonts, the logo): no file,
no network, whatever a report's text says.

WeasyPrint comes with the ``pdf`` extra and is imported only when a PDF is made.
"""

from __future__ import annotations

import base64
import functools
import importlib.util
import logging
from importlib import resources
from typing import Any

from svclevel.errors import UsageError
from svclevel.report.base import Format
from svclevel.report.html_report import HtmlReporter

EXTRA = "pip install 'svclevel[pdf]'"

_FACES = (
    ("DejaVuSans.ttf", "normal", "normal"),
    ("DejaVuSans-Bold.ttf", "bold", "normal"),
    ("DejaVuSans-Oblique.ttf", "normal", "italic"),
)


def missing() -> str | None:
    """Why a PDF cannot be made here, or None (WeasyPrint is installed)."""
    if importlib.util.find_spec("weasyprint") is None:
        return f"the pdf format needs WeasyPrint, which the pdf extra installs: {EXTRA}"
    return None


@functools.cache
def font_faces() -> str:
    """``@font-face`` rules for the fonts svclevel ships, as ``data:`` URIs."""
    folder = resources.files("svclevel.report") / "fonts"
    rules = []
    for name, weight, style in _FACES:
        data = base64.b64encode((folder / name).read_bytes()).decode("ascii")
        rules.append(
            f'@font-face {{ font-family: "svclevel Sans"; font-weight: {weight}; '
            f"font-style: {style}; src: url(data:font/ttf;base64,{data}) format('truetype'); }}"
        )
    return "\n".join(rules)


def _weasyprint() -> Any:
    why = missing()
    if why is not None:
        raise UsageError(why)
    try:
        import weasyprint
    except OSError as exc:  # WeasyPrint is there, the Pango library it draws text with is not
        raise UsageError(
            f"the pdf format needs the Pango library, which WeasyPrint could not load ({exc}); "
            "on Debian or Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0"
        ) from None
    return weasyprint


class _Problems(logging.Handler):
    """What WeasyPrint logs as an error while it lays out a document (an image it cannot
    read): the PDF would silently lack it."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def html_to_pdf(html: str, logo: str | None = None) -> bytes:
    """The PDF of an HTML report; :class:`UsageError` when it cannot be made as written.
    ``logo`` says where the white label's logo was set, for the message when it cannot be
    drawn."""
    weasyprint = _weasyprint()
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    problems = _Problems()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(problems)
    try:
        pdf: bytes = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    finally:
        logger.removeHandler(problems)
    if problems.messages:
        message = problems.messages[0]
        if logo is not None and "data:image/" in message:
            raise UsageError(f"{logo}: WeasyPrint cannot draw this image; check it in an editor")
        raise UsageError(f"the PDF cannot be made as written: {message[:300]}")
    return pdf


class PdfReporter(HtmlReporter):
    """The HTML document, printed to PDF."""

    format = Format.PDF
    explains = True
    whole = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        why = missing()  # said before anything is read, not after a whole batch
        if why is not None:
            raise UsageError(why)
        super().__init__(*args, **kwargs)

    def head(self, fonts: str = "") -> str:
        return super().head(fonts or font_faces())

    def document(self, body: str) -> bytes:
        return html_to_pdf(super().document(body).decode("utf-8"), self.options.label.logo_named)
