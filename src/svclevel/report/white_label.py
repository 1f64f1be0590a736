"""The white label of the client reports, from the ``report`` settings: the logo read, checked
and embedded, the rest as given."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import TYPE_CHECKING

from svclevel.errors import UsageError
from svclevel.report.base import WhiteLabel

if TYPE_CHECKING:
    from svclevel.config import Settings

MAX_LOGO_BYTES = 1_000_000
"""A logo larger than this is refused: a report is mailed, and a logo needs far less."""

_PNG = b"\x89PNG\r\n\x1a\n"


def white_label(settings: Settings) -> WhiteLabel:
    """The :class:`WhiteLabel` of ``settings``; a logo that cannot be read, is too large or is
    neither PNG nor SVG is a :class:`UsageError` naming where it was set."""
    from svclevel.config import REPORT_KEYS, report_named

    values = {key: settings.report_value(key) for key in REPORT_KEYS}
    logo = values.pop("logo")
    if logo is not None:
        values["logo"] = logo_uri(Path(logo), report_named(settings, "logo"))
    if values["issued"] is not None:
        values["issued"] = str(values["issued"])
    return WhiteLabel(**{k: v for k, v in values.items() if v is not None})


def logo_uri(path: Path, named: str) -> str:
    """The logo at ``path`` as a ``data:`` URI; ``named`` says where it was set, for messages."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_LOGO_BYTES + 1)
    except IsADirectoryError:
        raise UsageError(f"{named} {path}: is a folder, not an image") from None
    except OSError as exc:
        raise UsageError(f"{named} {path}: cannot read the logo ({exc.strerror})") from None
    if len(data) > MAX_LOGO_BYTES:
        raise UsageError(
            f"{named} {path}: the logo is larger than {MAX_LOGO_BYTES // 1_000_000} MB; "
            "a report needs a few kB"
        )
    if data.startswith(_PNG):
        kind = "image/png"
    elif _is_svg(data):
        kind = "image/svg+xml"
    else:
        raise UsageError(f"{named} {path}: not a PNG or SVG image")
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def _is_svg(data: bytes) -> bool:
    """Whether ``data`` starts as an SVG document does: an XML declaration, comments and a
    document type at most, then the ``svg`` element (sniffed, as file(1) does: not parsed)."""
    head = data[:4096].decode("utf-8", errors="replace").lstrip("\ufeff")
    return _SVG_START.match(head) is not None


_SVG_START = re.compile(
    r"\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]", re.DOTALL
)
