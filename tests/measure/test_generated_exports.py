"""The example exports are what tools/make_exports.py writes, byte for byte, and they tell the story
the generator's docstring tells (Harbor Lane's third quarter of 2026)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers import EXAMPLES, ROOT
from tests.measure.reference import reference

EXPORTS = EXAMPLES / "exports"
FILES = [
    "harbor-lane-csat.csv",
    "harbor-lane-nps.csv",
    "harbor-lane-orders.csv",
    "harbor-lane-zendesk-ticket-metrics.json",
    "harbor-lane-zendesk-tickets.json",
]


def test_the_generator_writes_the_committed_files_byte_for_byte(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_exports.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == FILES
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (EXPORTS / name).read_bytes(), name


def test_the_quarter_tells_the_story_of_the_docstring() -> None:
    figures = reference(EXPORTS)
    first = figures["first_response_hours"]
    assert 2.5 <= first["value"] <= 3.5
    assert 8 <= first["unreplied"] <= 16
    assert first["channels"]["voice"]["value"] < 0.1
    assert 2000 <= figures["resolution_rate_pct"]["n"] <= 3000
    assert 88 <= figures["resolution_rate_pct"]["value"] <= 92
    assert figures["csat_pct"]["n"] == 604
    assert figures["csat_pct"]["value"] == 88.1
    assert (figures["nps"]["n"], figures["nps"]["value"]) == (388, 41.0)
    assert 23000 <= figures["retention_pct"]["n"] <= 25000
    assert 15 <= figures["retention_pct"]["value"] <= 25


def test_the_exports_stay_small() -> None:
    assert sum((EXPORTS / name).stat().st_size for name in FILES) < 6_500_000
