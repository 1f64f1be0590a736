"""The compare, diff, crosswalk and compare-portfolio HTML pages, as a client reads them in a
browser (headless Chromium): what comes first, the questions in words, no path of the
consultant's machine, nothing wider than a phone."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import WriteAnswers
from tests.helpers import EXAMPLES, ROOT, run_cli
from tests.report.test_html import browse

HARBOR = EXAMPLES / "harbor-lane-shop.yaml"
BEFORE = ROOT / "tests" / "golden" / "inputs" / "harbor-lane-before.yaml"
EVERY_EXAMPLE = tuple(str(p) for p in sorted(EXAMPLES.glob("*.yaml")))
RUBRICS = ("four-level", "four-tier", "three-rung", "three-tier")
EVERY_RUBRIC = tuple(x for r in RUBRICS for x in ("-r", r))

PAGES = {
    "compare": ("compare", str(HARBOR)),
    "portfolio": ("compare", *EVERY_EXAMPLE),
    "crosswalk": ("compare",),
    "diff": ("diff", str(BEFORE), str(HARBOR), *EVERY_RUBRIC),
}


def _page(kind: str, out: Path) -> Path:
    target = out / f"{kind}.html"
    result = run_cli(*PAGES[kind], "-f", "text", "--report", f"html={target}")
    assert result.exit_code == 0, result.stderr
    return target


def _dom(page: Path, tmp_path: Path) -> str:
    return browse(page, tmp_path, "--dump-dom")


def _text(markup: str) -> str:
    """What a reader sees of ``markup``: its text, whitespace collapsed."""
    markup = re.sub(r"<(style|script)\b.*?</\1>", " ", markup, flags=re.DOTALL)
    markup = re.sub(r"</?(?:strong|span|a|em|b|cite)\b[^>]*>", "", markup)  # inline: no space
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _part(dom: str, heading: str) -> str:
    """The markup from the heading reading ``heading`` to the next ``<h2`` (or the article's
    end)."""
    start = re.search(rf"<h2[^>]*>\s*{re.escape(heading)}", dom)
    assert start, f"no heading {heading!r}"
    rest = dom[start.end() :]
    end = min(i for i in (rest.find("<h2"), rest.find("</article>"), len(rest)) if i >= 0)
    return rest[:end]


def _without_muted_ids(markup: str) -> str:
    """``markup`` less the small, muted question ids (``<span class="qid">``)."""
    return re.sub(r'<span class="qid">[^<]*</span>', " ", markup)


def _json(*args: str) -> dict[str, Any]:
    result = run_cli(*args, "-f", "json")
    assert result.exit_code == 0, result.stderr
    record: dict[str, Any] = json.loads(result.stdout)
    return record


# ------------------------------------------------------------------------------------ compare


def test_compare_page_opens_with_the_company_a_sentence_per_model_then_the_chart(
    tmp_path: Path,
) -> None:
    text = _text(_dom(_page("compare", tmp_path), tmp_path))
    company = text.index("Harbor Lane Kitchen Supply")
    sentences = [
        "four-level Four levels of customer service (Meet, Exceed, Delight, Amaze) Harbor Lane "
        "Kitchen Supply reaches Exceed expectations (level 2 of 4).",
        "four-tier Levels of customer service (Unsatisfactory, Expected, Desired, Exceptional) "
        "Harbor Lane Kitchen Supply reaches Expected (level 2 of 4).",
        "Harbor Lane Kitchen Supply reaches Rung 2 - Satisfactory (level 2 of 3).",
        "Harbor Lane Kitchen Supply reaches Basic service (reactive) (level 1 of 3).",
    ]
    where = [text.index(s) for s in sentences]
    chart = text.index("Position on the common 0-100 scale")
    why = text.index("Why the models disagree")
    assert company < min(where)
    assert max(where) < chart < why
    assert "four-tier and three-tier are the strictest, four-level and three-rung the most" in text


def test_compare_page_explains_the_disagreement_by_the_questions_asked(tmp_path: Path) -> None:
    dom = _dom(_page("compare", tmp_path), tmp_path)
    why = _part(dom, "Why the models disagree")
    record = _json("compare", str(HARBOR))
    deciding = {item["question_id"] for d in record["disagreements"] for item in d["deciding"]}
    assert {"loyalty_rewards", "customers_feel_valued", "anticipate_needs"} <= deciding
    words = _text(why)
    assert "Do repeat customers receive rewards for their loyalty" in words
    assert "How often do customers say (in surveys, reviews or interviews)" in words
    assert "Needed: yes (a must for Desired); the answer: no." in words
    # the ids (the answers file's keys) are shown only small and muted, never as the text
    shown = _text(_without_muted_ids(why))
    assert not [qid for qid in deciding if re.search(rf"\b{qid}\b", shown)]
    assert "weight" not in shown  # no scoring jargon
    assert "(required)" not in shown


def test_compare_page_names_the_answers_file_without_its_folders(tmp_path: Path) -> None:
    folder = tmp_path / "clients" / "harbor lane"
    folder.mkdir(parents=True)
    answers = folder / "harbor-2026.yaml"
    shutil.copy(HARBOR, answers)
    target = tmp_path / "compare.html"
    result = run_cli("compare", str(answers.resolve()), "--report", f"html={target}")
    assert result.exit_code == 0, result.stderr
    dom = _dom(target, tmp_path)
    assert "Answers harbor-2026.yaml" in _text(dom)
    assert str(tmp_path) not in html.unescape(dom)
    assert "clients" not in html.unescape(dom)


# --------------------------------------------------------------------------------------- diff


def test_diff_page_shows_each_levels_score_before_and_after(tmp_path: Path) -> None:
    dom = _dom(_page("diff", tmp_path), tmp_path)
    text = _text(dom)
    assert text.startswith("Progress between two assessments Harbor Lane Kitchen Supply") or (
        "Harbor Lane Kitchen Supply" in text[:200]
    )
    assert (
        "On four-level, Harbor Lane Kitchen Supply moved up 1 level: from Meet expectations "
        "(level 1 of 4) to Exceed expectations (level 2 of 4)." in text
    )
    part = _text(_part(dom, "four-level: Meet expectations → Exceed expectations"))
    # each level of the ladder, its score before, then after
    assert "2. Exceed expectations 75% not met 100% met stands here" in part
    assert "3. Delight customers 56% not met 22% not met" in part
    assert "1. Meet expectations 100% met stands here 100% met" in part
    for rubric in RUBRICS:
        assert re.search(rf"<h2>{rubric}: ", dom), rubric  # a part per rubric


def test_diff_page_names_what_improved_and_regressed_by_the_question(tmp_path: Path) -> None:
    dom = _dom(_page("diff", tmp_path), tmp_path)
    part = _part(dom, "four-level: Meet expectations → Exceed expectations")
    improved = part[part.index("What improved") : part.index("What regressed")]
    regressed = part[part.index("What regressed") :]
    assert _text(_without_muted_ids(improved)).startswith(
        "What improved How many hours does a customer who writes to you"
    )
    assert "Exceed expectations: 6 hours → 3 hours (needed: ≤ 4 hours)" in _text(improved)
    assert _text(_without_muted_ids(regressed)).startswith(
        "What regressed How often do customers say (in surveys, reviews or interviews) that "
        "they felt personally cared for or valued?"
    )
    assert "Delight customers: usually → sometimes" in _text(regressed)
    for section in (improved, regressed):
        assert "first_response_hours" not in _text(_without_muted_ids(section))
        assert "customers_feel_valued" not in _text(_without_muted_ids(section))


def test_diff_page_lists_the_changed_answers_by_the_question(tmp_path: Path) -> None:
    dom = _dom(_page("diff", tmp_path), tmp_path)
    answers = _part(dom, "Answers changed")
    rows = [r for r in re.findall(r"<tr>(.*?)</tr>", answers, flags=re.DOTALL) if "<td" in r]
    assert rows
    record = _json("diff", str(BEFORE), str(HARBOR), *EVERY_RUBRIC)
    changed = {a["question_id"] for a in record["answers_changed"]}
    for row in rows:
        cells = [_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.DOTALL)]
        first = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.DOTALL)[0]
        question = _text(_without_muted_ids(first))
        assert question.endswith("?"), question  # the question as asked
        assert not changed & set(question.split()), question
        assert len(cells) == 3
    assert "How many hours does a customer who writes to you" in _text(answers)
    assert "6 hours 3 hours" in _text(answers)


def test_diff_page_names_the_files_without_their_folders(tmp_path: Path) -> None:
    folders = [tmp_path / "audits" / "spring", tmp_path / "audits" / "autumn"]
    for folder in folders:
        folder.mkdir(parents=True)
    before, after = folders[0] / "harbor.yaml", folders[1] / "harbor.yaml"
    shutil.copy(BEFORE, before)
    shutil.copy(HARBOR, after)
    target = tmp_path / "diff.html"
    result = run_cli("diff", str(after), str(before), "--report", f"html={target}")
    assert result.exit_code == 0, result.stderr  # swapped: the page warns, by the file names
    dom = html.unescape(_dom(target, tmp_path))
    assert "2026-10-02 (harbor.yaml)" in _text(dom)
    assert "is dated before BEFORE" in _text(dom)
    assert str(tmp_path) not in dom
    assert "audits" not in dom


# ---------------------------------------------------------------------------------- crosswalk


def test_crosswalk_page_maps_the_levels_and_names_the_differences_by_the_question(
    tmp_path: Path,
) -> None:
    dom = _dom(_page("crosswalk", tmp_path), tmp_path)
    text = _text(dom)
    assert "Delight customers (75) Desired (67) Rung 3 - Iconic (100)" in text
    differ = _part(dom, "Where they really differ")
    words = _text(_without_muted_ids(differ))
    assert "Do repeat customers receive rewards for their loyalty" in words
    for qid in ("loyalty_rewards", "promises_kept", "amazement_defined", "nps"):
        assert qid in _text(differ)  # shown small, muted
        assert not re.search(rf"\b{qid}\b", words), qid


# ---------------------------------------------------------------------------------- portfolio


def test_portfolio_summary_says_first_which_model_is_strictest_and_links_each_company(
    tmp_path: Path,
) -> None:
    dom = _dom(_page("portfolio", tmp_path), tmp_path)
    summary = dom[dom.index('<section class="summary portfolio"') :]
    summary = summary[: summary.index("</section>")]
    assert dom.index('<section class="summary portfolio"') < dom.index("<article")  # first
    summary = summary[summary.index("</header>") :]  # after the masthead
    assert _text(summary).startswith(
        "Portfolio: which model is strictest The strictest model for this portfolio of 7 "
        "companies is four-tier (mean 33 on the common scale)."
    )
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert [name for _, name in links] == [
        "Alder Grove Hotel",
        "BrightDesk Software",
        "Copper Kettle Bistro",
        "Harbor Lane Kitchen Supply",  # the Q3 audit, and the yearly one
        "Harbor Lane Kitchen Supply",
        "Kestrel Home Insurance",
        "Northwind Telecom",
    ]
    for anchor, name in links:
        article = re.search(
            rf'<article class="comparison" id="{anchor}">(.*?)</article>', dom, re.S
        )
        assert article, anchor
        assert f'<h1 class="running-client">{name}</h1>' in article.group(1)
    assert (
        "Harbor Lane Kitchen Supply harbor-lane-shop.yaml Exceed expectations (50) Expected (33)"
        in _text(summary)
    )
    assert str(ROOT) not in html.unescape(dom)  # the examples were given by absolute paths


# ---------------------------------------------------------------------------------- on a phone

# Lists what sticks out of the window: elements or text off-screen to the right, or scrolled
# inside a box.
# The pages' own policy forbids scripts, so the probe runs in a copy without the policy.
_PROBE = """<script>
addEventListener("load", () => {
  const wide = [...document.querySelectorAll("body *")].filter(
    (e) => e.getBoundingClientRect().right > innerWidth + 1);
  const scrolled = [...document.querySelectorAll("body *")].filter(
    (e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== "visible");
  const text = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walk.nextNode(); node; node = walk.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(node);
    if (range.getBoundingClientRect().right > innerWidth + 1) text.push(node.parentElement);
  }
  const out = document.createElement("output");
  out.id = "probe";
  out.textContent = JSON.stringify([...wide, ...scrolled, ...text].map(
    (e) => e.tagName + "." + e.className + ": " + e.textContent.trim().slice(0, 40)));
  document.body.append(out);
});
</script>"""


def _sticking_out(page: Path, tmp_path: Path, width: int) -> list[str]:
    source = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page.read_text())
    probed = page.with_name(f"probed-{width}-{page.name}")
    probed.write_text(source.replace("</body>", _PROBE + "</body>"))
    dom = browse(
        probed, tmp_path, f"--window-size={width},2000", "--virtual-time-budget=2000", "--dump-dom"
    )
    found = re.search(r'<output id="probe">(.*?)</output>', dom)
    assert found, dom[-500:]
    result: list[str] = json.loads(html.unescape(found.group(1)))
    return result


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_on_a_phone_nothing_is_wider_than_the_screen(kind: str, tmp_path: Path) -> None:
    page = _page(kind, tmp_path)
    assert _sticking_out(page, tmp_path, 390) == []
    shot = tmp_path / f"{kind}-390.png"
    browse(page, tmp_path, "--window-size=390,2000", f"--screenshot={shot}")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


LONG_NAME = "Kundservicekvalitetsbedömningsaktiebolaget Norrland"  # one word, 42 letters


@pytest.mark.parametrize("kind", ["compare", "diff"])
def test_on_a_phone_a_long_company_name_wraps(
    kind: str, tmp_path: Path, write_answers: WriteAnswers
) -> None:
    answers = {"promises_kept": "always", "csat_pct": 91, "friendly_staff": "usually"}
    before = write_answers(answers, company=LONG_NAME, rubric="four-level", date="2026-01-01")
    after = write_answers(
        {**answers, "friendly_staff": "always", "follow_up_after_sale": "usually"},
        company=LONG_NAME,
        rubric="four-level",
        date="2026-06-01",
    )
    target = tmp_path / f"{kind}.html"
    args = ("compare", str(after)) if kind == "compare" else ("diff", str(before), str(after))
    result = run_cli(*args, "--report", f"html={target}")
    assert result.exit_code == 0, result.stderr
    assert _sticking_out(target, tmp_path, 390) == []


def test_the_probe_sees_a_table_wider_than_the_phone(tmp_path: Path) -> None:
    page = tmp_path / "wide.html"
    cells = "".join(f"<td>column {i} of a table too wide</td>" for i in range(12))
    page.write_text(
        '<!doctype html><html><body><div style="overflow-x:auto"><table><tr>'
        f"{cells}</tr></table></div></body></html>"
    )
    assert _sticking_out(page, tmp_path, 390)


@pytest.mark.parametrize("kind", ["compare", "diff"])
def test_the_phone_layout_keeps_every_column_of_the_tables(kind: str, tmp_path: Path) -> None:
    """Each table's cells carry their column's name, shown on a phone where the header is not."""
    dom = _dom(_page(kind, tmp_path), tmp_path)
    for table in re.findall(r'<table class="stack[^"]*">(.*?)</table>', dom, flags=re.DOTALL):
        header = [_text(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", table, flags=re.DOTALL)]
        for row in re.findall(r"<tbody>.*?</tbody>", table, flags=re.DOTALL):
            for tr in re.findall(r"<tr>(.*?)</tr>", row, flags=re.DOTALL):
                labels = re.findall(r'<td data-label="([^"]*)"', tr)
                assert labels == header


_IDS_PROBE = """<script>
addEventListener("load", () => {
  const broken = [...document.querySelectorAll("code.qid")].filter(
    (e) => e.getClientRects().length > 1 || e.getBoundingClientRect().height >
      1.6 * parseFloat(getComputedStyle(e).lineHeight || getComputedStyle(e).fontSize));
  const narrow = [...document.querySelectorAll("table.answers-table td:first-child")].filter(
    (e) => e.getBoundingClientRect().width < 0.6 * innerWidth);
  const out = document.createElement("output");
  out.id = "probe";
  out.textContent = JSON.stringify([...broken, ...narrow].map((e) => e.textContent.trim()));
  document.body.append(out);
});
</script>"""


def test_on_a_phone_the_appendix_gives_each_question_the_width_and_keeps_ids_whole(
    tmp_path: Path,
) -> None:
    page = tmp_path / "assess.html"
    result = run_cli("assess", str(HARBOR), "-f", "text", "--report", f"html={page}")
    assert result.exit_code == 0, result.stderr
    source = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page.read_text())
    probed = tmp_path / "probed.html"
    probed.write_text(source.replace("</body>", _IDS_PROBE + "</body>"))
    dom = browse(
        probed, tmp_path, "--window-size=390,2000", "--virtual-time-budget=2000", "--dump-dom"
    )
    found = re.search(r'<output id="probe">(.*?)</output>', dom)
    assert found, dom[-500:]
    assert json.loads(html.unescape(found.group(1))) == []
    assert _sticking_out(page, tmp_path, 390) == []
