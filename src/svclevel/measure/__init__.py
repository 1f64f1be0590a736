"""Measured figures from a company's own exports: ``measure(exports) -> Measurement``, and the
measurement files that carry them into an assessment."""

from svclevel.measure.engine import Measurement, SourceFile, measure
from svclevel.measure.figures import DEFINITIONS, MINIMUM, Figure

__all__ = ["DEFINITIONS", "MINIMUM", "Figure", "Measurement", "SourceFile", "measure"]
