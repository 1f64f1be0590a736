"""Agreement between respondents: the statistics behind aggregates and disagreement flags.

Pure functions on label positions (0 is a scale's worst label) and yes/no answers; they know
nothing of files or rubrics. The cut-offs are the literature's, each cited where it is defined;
the README's "Several respondents" section gives the same sources for a client.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Literal

RANGE_STEPS = 2
"""A question is flagged when its answers span at least this many scale steps (``usually`` and
``rarely`` are two steps apart): the smallest spread that is more than neighbouring labels."""

YES_NO_AGREEMENT = 0.8
"""A yes/no question is flagged when fewer than this share of respondents give the majority
answer: the usual consensus cut-off of Delphi studies (80 %), so three of four is flagged."""

GROUP_GAP_STEPS = 2
"""A question is flagged when two groups' medians are at least this many scale steps apart
("management says always, the front line says sometimes")."""

MIN_RATED = 10
"""Krippendorff's alpha is computed only with at least this many rated questions (a question is
rated when two or more respondents answered it): fewer units give an alpha too unstable to read."""

RELIABLE = 0.8
"""Krippendorff (2004), *Content Analysis*, 2nd ed.: rely on data with alpha ≥ .800."""

TENTATIVE = 0.667
"""Krippendorff (2004): alpha from .667 to .800 allows only tentative conclusions."""

Metric = Literal["nominal", "ordinal"]
"""Krippendorff's difference functions svclevel uses: yes/no answers are nominal, scales
ordinal."""

Reading = Literal["reliable", "tentative", "calibrate"]
"""What an alpha means for the aggregate: rely on it, rely on it tentatively, or calibrate the
respondents in a workshop before relying on it."""


def deviation_cutoff(labels: int) -> float:
    """The average deviation above which answers on a scale of ``labels`` labels disagree:
    c/6 (Burke & Dunlap 2002, "Estimating interrater agreement with the average deviation
    index", *Organizational Research Methods* 5(2)); 5/6 ≈ 0.83 for a five-label scale."""
    return labels / 6


def lower_median(positions: Sequence[int]) -> int:
    """The median position, the lower of the two middle ones when there are an even number: of
    two equally central answers the aggregate takes the worse (an audit does not round up)."""
    return int(statistics.median_low(positions))


def average_deviation(positions: Sequence[int]) -> float:
    """The average absolute deviation of the positions from their median (AD_Md in Burke &
    Dunlap's terms)."""
    middle = statistics.median(positions)
    return math.fsum(abs(p - middle) for p in positions) / len(positions)


def majority(answers: Sequence[bool]) -> bool:
    """Yes when more respondents said yes than no; a tie is no (a practice half the
    respondents deny is not established)."""
    yes = sum(answers)
    return yes > len(answers) - yes


def agreement(answers: Sequence[bool]) -> float:
    """The share of respondents giving the majority answer (0.5 to 1)."""
    yes = sum(answers)
    return max(yes, len(answers) - yes) / len(answers)


def reading(alpha: float) -> Reading:
    """What an alpha means, by Krippendorff's cut-offs (:data:`RELIABLE`, :data:`TENTATIVE`)."""
    if alpha >= RELIABLE:
        return "reliable"
    if alpha >= TENTATIVE:
        return "tentative"
    return "calibrate"


def krippendorff_alpha(units: Iterable[Sequence[int]], metric: Metric) -> float | None:
    """Krippendorff's alpha of the values several coders gave several units.

    ``units``: for each unit (a question), the values its coders (respondents) gave, missing
    ones left out; values are label positions (ordinal) or any codes (nominal). Units with
    fewer than two values cannot be paired and are left out, as Krippendorff prescribes.

    Computed from the coincidence matrix, alpha = 1 - (n - 1) · Σ o_ck δ²_ck / Σ n_c n_k δ²_ck
    (Krippendorff 2011, "Computing Krippendorff's alpha-reliability"). The ordinal δ²_ck is
    (Σ_{g=c..k} n_g - (n_c + n_k) / 2)², the nominal one 0 for equal values and 1 otherwise.

    None when alpha is undefined: fewer than two pairable values, or all of them equal (no
    variation to agree on).
    """
    coincidences: dict[tuple[int, int], float] = {}
    for values in units:
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                o = n_c * (n_k - (c == k)) / (m - 1)
                coincidences[c, k] = coincidences.get((c, k), 0.0) + o
    totals: dict[int, float] = {}
    for (c, _), o in coincidences.items():
        totals[c] = totals.get(c, 0.0) + o
    values = sorted(totals)
    n = math.fsum(totals.values())
    if len(values) < 2:
        return None
    if metric == "nominal":

        def delta(c: int, k: int) -> float:
            return 0.0 if c == k else 1.0

    else:
        cumulative = {}
        running = 0.0
        for value in values:
            running += totals[value]
            cumulative[value] = running

        def delta(c: int, k: int) -> float:
            low, high = min(c, k), max(c, k)
            between = cumulative[high] - cumulative[low] + totals[low]
            return (between - (totals[c] + totals[k]) / 2) ** 2

    observed = math.fsum(o * delta(c, k) for (c, k), o in coincidences.items())
    expected = math.fsum(totals[c] * totals[k] * delta(c, k) for c in values for k in values)
    return 1 - (n - 1) * observed / expected
