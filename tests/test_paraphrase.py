"""Everything we write paraphrases the source texts: no copied runs, no one-word swaps.

Checked: every rubric and the question bank, the README, the docs and the examples. A run of
the sources' words is allowed only where it is a citation (a source's title, a section heading
a rubric cites) or inside quotation marks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.helpers import ROOT

SEEDS = ROOT.parent / "shared" / "seeds"

RUN = 6
"""A run of this many words shared with a source counts as copying."""
SWAP = 7
"""A run of this many words that differs from a source in one inner word is a near-copy."""

WRITTEN = [
    *sorted((ROOT / "rubrics").glob("*.yaml")),
    ROOT / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
    *sorted((ROOT / "examples").rglob("*.yaml")),
]

_QUOTED = re.compile(r'"[^"\n]*"|“[^”\n]*”')
_CITATION_KEY = re.compile(r"\b(?:section|title|publisher|author|file|url):[^\n,}]*")


def words(text: str) -> list[str]:
    """The words of a text as the comparison sees them."""
    return re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))


@dataclass(frozen=True)
class Sources:
    """The source texts, indexed for runs and for runs with one inner word swapped."""

    runs: frozenset[tuple[str, ...]]
    swaps: dict[tuple[str, ...], tuple[str, ...]]

    @classmethod
    def read(cls, texts: Iterable[str]) -> Sources:
        runs: set[tuple[str, ...]] = set()
        swaps: dict[tuple[str, ...], tuple[str, ...]] = {}
        for text in texts:
            w = words(text)
            runs.update(tuple(w[i : i + RUN]) for i in range(len(w) - RUN + 1))
            for i in range(len(w) - SWAP + 1):
                gram = tuple(w[i : i + SWAP])
                for j in range(1, SWAP - 1):
                    swaps.setdefault((*gram[:j], "*", *gram[j + 1 :]), gram)
        return cls(frozenset(runs), swaps)

    def copies(self, text: str) -> list[str]:
        """Every copied run and one-word swap in ``text``, as the reader would look for it."""
        found: list[str] = []
        w = words(text)
        for i in range(len(w) - RUN + 1):
            if tuple(w[i : i + RUN]) in self.runs:
                found.append("copied: " + " ".join(w[i : i + RUN]))
        for i in range(len(w) - SWAP + 1):
            gram = tuple(w[i : i + SWAP])
            for j in range(1, SWAP - 1):
                original = self.swaps.get((*gram[:j], "*", *gram[j + 1 :]))
                if original is not None and original != gram:
                    found.append(f"one word swapped: {' '.join(gram)} (source: {original[j]})")
        return found


def citations() -> list[str]:
    """What may be quoted exactly: the sources' titles, authors and publishers, and the sections
    cited."""
    cited: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("title", "section", "publisher", "author") and isinstance(value, str):
                    cited.add(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in sorted((ROOT / "rubrics").glob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return sorted(cited, key=len, reverse=True)


def without_citations(text: str, cited: list[str]) -> list[str]:
    """The stretches of ``text`` that are our own words: quotations and citations cut out
    (each cut ends a stretch, so no run spans one)."""
    text = _CITATION_KEY.sub("\n|\n", _QUOTED.sub("\n|\n", text))
    for title in cited:
        text = re.sub(re.escape(title), "\n|\n", text, flags=re.IGNORECASE)
    return text.split("\n|\n")


@pytest.fixture(scope="module")
def sources() -> Sources:
    if not SEEDS.is_dir():
        pytest.skip("the source texts (../shared/seeds) are not beside this checkout")
    return Sources.read(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))


@pytest.mark.parametrize("path", WRITTEN, ids=lambda p: str(p.relative_to(ROOT)))
def test_our_words_are_our_own(path: Path, sources: Sources) -> None:
    cited = citations()
    stretches = without_citations(path.read_text(encoding="utf-8"), cited)
    found = [copy for stretch in stretches for copy in sources.copies(stretch)]
    assert found == [], f"{path.relative_to(ROOT)}: paraphrase these:\n" + "\n".join(found)


SOURCE = "Customers who are merely satisfied will leave for a competitor that offers a little more."


def test_a_copied_run_is_found() -> None:
    assert Sources.read([SOURCE]).copies("We say satisfied will leave for a competitor that.")


def test_a_one_word_swap_is_found() -> None:
    found = Sources.read([SOURCE]).copies("Merely satisfied customers will go for a competitor")
    assert found == []  # different order: our own sentence
    swapped = Sources.read([SOURCE]).copies("who are merely content will leave for a")
    assert "one word swapped: who are merely content will leave for (source: satisfied)" in swapped


def test_quotations_and_citations_may_repeat_the_source() -> None:
    stretches = without_citations(
        'As it puts it, "satisfied will leave for a competitor that offers". '
        "See Customers Who Are Merely Satisfied, section: will leave for a competitor that",
        ["Customers who are merely satisfied"],
    )
    assert [c for s in stretches for c in Sources.read([SOURCE]).copies(s)] == []
