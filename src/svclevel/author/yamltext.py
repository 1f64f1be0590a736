"""YAML text that svclevel reads back as the same data: the scalars the interview and
``svclevel merge`` write."""

from __future__ import annotations

import contextlib
import json
import math
import re
from typing import Any

from svclevel.errors import InputError
from svclevel.load.yamlfile import parse_yaml

_PLAIN = re.compile(r"[\w(/%+.][\w .,()/%+'&-]*")
"""Text safe to write unquoted (further checked by reading it back); ',' only outside flow."""


def render_scalar(value: Any, *, flow: bool = False) -> str:
    """``value`` as YAML text that svclevel reads back as the same value (yes/no as words)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(value)
        shown = repr(value)
        return shown if value != int(value) or "e" in shown else shown.removesuffix(".0") + ".0"
    text = str(value)
    plain = (
        _PLAIN.fullmatch(text) is not None
        and text == text.strip()
        and not (flow and "," in text)
        and " #" not in text
    )
    if plain:
        with contextlib.suppress(InputError):
            if same_data(parse_yaml(f"k: {text}\n", "").data, {"k": text}):
                return text
    quoted = json.dumps(text, ensure_ascii=False)
    # characters YAML does not allow raw, or reads as line breaks, are escaped
    return "".join(
        c if c.isprintable() or c == " " else f"\\u{ord(c):04x}" if ord(c) < 0x10000 else c
        for c in quoted
    )


def same_data(a: Any, b: Any) -> bool:
    """Equal data, types included (``True`` is not ``1``, ``1`` is not ``1.0``)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_data(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_data(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)
