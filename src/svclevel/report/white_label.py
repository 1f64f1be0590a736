"""The logo of the client reports' white label: read, checked and embedded as a ``data:`` URI
(the settings themselves are :func:`svclevel.config.white_label`'s)."""

from __future__ import annotations

import base64
import re
import stat
from pathlib import Path

from svclevel.errors import UsageError

MAX_LOGO_BYTES = 1_000_000
"""A logo larger than this is refused: a report is mailed, and a logo needs far less."""

_PNG = b"\x89PNG\r\n\x1a\n"


def logo_uri(path: Path, named: str) -> str:
    """The logo at ``path`` as a ``data:`` URI; ``named`` says where it was set, for messages."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a folder, a named pipe (would wait), a device
            raise UsageError(f"{named} {path}: is not a file; the logo is a PNG or SVG file")
        with path.open("rb") as handle:
            data = handle.read(MAX_LOGO_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"{named} {path}: cannot read the logo ({exc.strerror})") from None
    if len(data) > MAX_LOGO_BYTES:
        raise UsageError(
            f"{named} {path}: the logo is larger than {MAX_LOGO_BYTES // 1_000_000} MB; "
            "a report needs a few kB"
        )
    if data.startswith(_PNG):
        kind = "image/png"
        why = _unreadable_png(data)
    elif _is_svg(data):
        kind = "image/svg+xml"
        why = _unsafe_svg(data)
    else:
        raise UsageError(f"{named} {path}: not a PNG or SVG image")
    if why:
        raise UsageError(f"{named} {path}: {why}")
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def _unreadable_png(data: bytes) -> str | None:
    """Why a PNG cannot be drawn, when Pillow (which the ``pdf`` extra installs) says so."""
    try:
        from PIL import Image
    except ImportError:  # an html report only: the browser decodes it
        return None
    import io

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except Exception as exc:  # Pillow raises many kinds for a broken file
        return f"cannot be read as a PNG image ({exc})"
    return None


def _is_svg(data: bytes) -> bool:
    """Whether ``data`` starts as an SVG document does: an XML declaration, comments and a
    document type at most, then the ``svg`` element (sniffed, as file(1) does: not parsed)."""
    return _SVG_START.match(_head(data)) is not None


def _unsafe_svg(data: bytes) -> str | None:
    """Why an SVG logo is refused: entity declarations (which can expand without bound)."""
    if "<!ENTITY" in _head(data, len(data)):
        return (
            "declares XML entities, which svclevel does not expand; export the SVG without "
            "a DOCTYPE (most editors offer it)"
        )
    return None


def _head(data: bytes, size: int = 65536) -> str:
    return data[:size].decode("utf-8", errors="replace").lstrip("\ufeff")


_SVG_START = re.compile(
    r"\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>\s*)*"
    r"<(?:[A-Za-z_][\w.-]*:)?svg[\s>]",
    re.DOTALL,
)
