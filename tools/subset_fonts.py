"""Write the fonts the PDF report embeds: DejaVu Sans (regular, bold, oblique) from Debian's
fonts-dejavu-core, cut to the scripts and symbols a report uses, as TrueType (WeasyPrint reads
TrueType as it is; a WOFF2 file it first converts, which made a one-page report twice as slow).

Run from the repository root (needs fontTools, which the ``pdf`` extra brings):
``python tools/subset_fonts.py``. The output is committed; the fonts' licence is beside it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset

SOURCE = Path("/usr/share/fonts/truetype/dejavu")
TARGET = Path("src/svclevel/report/fonts")
FACES = ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique")
UNICODES = (
    "U+0020-007E,U+00A0-024F,"  # Latin, Latin-1, Latin Extended A and B
    "U+0370-03FF,U+0400-04FF,U+1E00-1EFF,"  # Greek, Cyrillic, Latin Extended Additional
    "U+2000-206F,U+20A0-20CF,U+2100-214F,"  # punctuation, currency, letterlike symbols
    "U+2190-21FF,U+2200-22FF,"  # arrows, mathematical operators (less or equal...)
    "U+2500-257F,U+25A0-25FF,U+2600-26FF,U+2700-27BF"  # box drawing, shapes, ✓ ✗
)


def main() -> int:
    for face in FACES:
        target = TARGET / f"{face}.ttf"
        subset.main(
            [
                str(SOURCE / f"{face}.ttf"),
                f"--unicodes={UNICODES}",
                "--layout-features=*",
                f"--output-file={target}",
            ]
        )
        print(f"{target}: {target.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
