"""The HTML and PDF reports of an assessment that hears several respondents: each criterion's
responses, where the groups disagree, the calibration step, the respondents and Krippendorff's
alpha in the methodology; and nothing of it for a file that records one person."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, pdf_text, require_pdf, run_cli

KESTREL = EXAMPLES / "kestrel-insurance.yaml"
HARBOR = EXAMPLES / "harbor-lane-shop.yaml"

FEEL_VALUED = (
    "How often do customers say (in surveys, reviews or interviews) that they felt personally "
    "cared for or valued?"
)
EMPOWERED = (
    "Can front-line staff resolve a problem or make a goodwill gesture up to a set value "
    "without asking a manager?"
)


def _html(path: Path, *args: str) -> str:
    result = run_cli("assess", str(path), "-f", "html", "--isolated", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _text(markup: str) -> str:
    """What a reader sees of ``markup``: its text, whitespace collapsed."""
    markup = re.sub(r"<(style|script)\b.*?</\1>", " ", markup, flags=re.DOTALL)
    markup = re.sub(r"</?(?:strong|span|a|em|b|cite|code)\b[^>]*>", "", markup)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _section(markup: str, cls: str) -> str:
    """The markup of ``<section class="part {cls}">``."""
    start = markup.index(f'<section class="part {cls}">')
    return markup[start : markup.index("</section>", start)]


class _Rows(HTMLParser):
    """The text of each cell of each row of a table."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def _rows(markup: str) -> list[list[str]]:
    parser = _Rows()
    parser.feed(markup)
    return parser.rows


@pytest.fixture(scope="module")
def kestrel() -> str:
    return _html(KESTREL)


def test_the_verdict_says_how_many_questions_the_respondents_disagree_on(kestrel: str) -> None:
    executive = _text(_section(kestrel, "exec"))
    assert "Kestrel Home Insurance reaches Proactive service (level 2 of 3)." in executive
    assert (
        "Answers from 4 respondents (2 management, 2 frontline). Respondents disagree on 9 "
        "questions" in executive
    )
    # the gaps that matter most say which are disputed; the detail is elsewhere
    assert executive.count("⚑ respondents disagree") == 2
    assert "Where groups disagree" not in executive
    assert kestrel.count("<style>") == 1  # the rules for respondents in the one style sheet
    assert kestrel.index(".groups-table") < kestrel.index("</head>")
    assert "lower median" not in executive


def test_where_groups_disagree_puts_each_groups_answer_side_by_side(kestrel: str) -> None:
    part = _section(kestrel, "groups")
    assert "<h2>Where groups disagree</h2>" in part
    head, *rows = _rows(part)
    assert head == ["Question", "Management says", "Frontline says", "Gap", "Answer counted"]
    by_question = {row[0]: row[1:] for row in rows}
    assert len(by_question) == 9
    assert by_question[FEEL_VALUED] == ["always", "rarely", "●●● 3 steps", "sometimes"]
    assert by_question[EMPOWERED] == ["yes", "no", "opposite", "no"]
    # questions the groups answer alike are not listed
    assert not any(q.startswith("When serving a customer, can staff see") for q in by_question)


def test_each_criterion_heard_shows_its_distribution_aggregate_consensus_and_flags(
    kestrel: str,
) -> None:
    appendix = _text(_section(kestrel, "appendix"))
    assert (
        "4 of 4 respondents answered: always 2 · sometimes 1 · rarely 1 → sometimes "
        "(lower median). ⚑ Disagreement: range 3 steps; deviation 1.25 > 0.83; groups 3 "
        "steps apart: management always, frontline rarely." in appendix
    )
    # a ruled consensus and its reason, beside the aggregate it replaces
    assert (
        "4 of 4 respondents answered: yes 2 · no 2 → no (majority, a tie is no). Consensus: "
        "yes, ruled by the assessor in place of no. Why: The assessor checked the website on "
        "2026-11-18" in appendix
    )
    # each respondent's own answer, with their notes
    assert "tom (frontline): no (note: Says the contact-centre scripts" in appendix
    assert "tom (frontline): —" in appendix  # feedback_frequency: no answer from him
    assert appendix.count("⚑ disputed") == 9


def test_the_methodology_names_the_respondents_the_policy_and_the_alpha(kestrel: str) -> None:
    about = _section(kestrel, "about")
    assert ["coo", "Chief Operating Officer", "management"] in _rows(about)
    assert ["tom", "Contact-centre agent", "frontline"] in _rows(about)
    text = _text(about)
    assert "Each question's answer is the median" in text
    assert "neither the rubric nor the command line sets a policy" in text
    assert (
        "Krippendorff's alpha: ordinal alpha 0.05 on 8 scale questions: calibrate; nominal "
        "alpha 0.41 on 11 yes/no questions: calibrate." in text
    )
    assert "19 questions were answered by two respondents or more; 9 of them" in text


def test_the_next_step_is_a_calibration_workshop_on_the_disputed_questions(kestrel: str) -> None:
    part = _section(kestrel, "calibrate")
    text = _text(part)
    assert "Calibrate the respondents in a workshop" in text
    assert "ask each respondent for one recent example" in text
    assert "record it in the answers file as consensus, with the reason as consensus_note" in text
    assert part.count("<li>") == 9
    assert f"{FEEL_VALUED} (range 3 steps;" in text
    # the question already ruled says so
    assert "a consensus is already ruled: yes" in text
    # before the way up: settle the answers, then climb
    assert kestrel.index('class="part calibrate"') < kestrel.index('class="part plan"')


def test_an_alpha_not_computed_says_why(tmp_path: Path) -> None:
    answers = tmp_path / "two.yaml"
    answers.write_text(
        "company: Two Voices\ndate: 2026-11-20\nrubric: three-tier\n"
        "respondents:\n  - {id: ann, group: management}\n  - {id: bo, group: frontline}\n"
        "answers:\n  staff_empowered:\n    responses: {ann: yes, bo: no}\n"
    )
    page = _html(answers)
    text = _text(page)
    assert "Krippendorff's alpha: alpha not computed: 1 rated question" in text
    assert "(10 needed)" in text
    assert "Krippendorff's cut-offs" not in text  # no alpha to read
    rows = _rows(_section(page, "groups"))
    assert rows[1][1:] == ["yes", "no", "opposite", "no"]


def test_a_file_without_respondents_has_none_of_it() -> None:
    page = _html(HARBOR)
    for words in (
        "Where groups disagree",
        "calibrate the respondents",
        "Respondents",
        "respondents answered",
        "Krippendorff",
        "⚑",
    ):
        assert words not in page, words
    assert page.count("<style>") == 1  # the document's own
    assert ".groups-table" not in page  # none of the rules for respondents


def test_the_pdf_keeps_the_executive_page_short_and_gives_the_detail_after(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    require_pdf()
    target = tmp_path / "kestrel.pdf"
    result = run_cli(
        "assess", str(KESTREL), "-f", "text", "--report", f"pdf={target}", "--isolated"
    )
    assert result.exit_code == 0, result.stderr
    laid_out = [p for p in pdf_text(target.read_bytes(), layout=True).split("\f") if p.strip()]
    pages = [" ".join(p.split()) for p in laid_out]
    first = pages[0]
    assert "Kestrel Home Insurance reaches Proactive service (level 2 of 3)." in first
    assert "Respondents disagree on 9 questions" in first
    assert "The 3 gaps that matter most" in first
    assert "Where groups disagree" not in first  # on a page of its own
    [groups] = [p for p in laid_out if "Where groups disagree" in p]
    assert re.search(r"Management\s+Frontline", groups)
    # a row of the table, as the reader sees it across the page
    row = r"How often do customers say \(in surveys, +always +rarely +●●● 3 steps +sometimes"
    assert re.search(row, groups)
    whole = " ".join(pages)
    assert "Calibrate the respondents in a workshop" in whole
    assert "ordinal alpha 0.05 on 8 scale questions: calibrate" in whole
    assert "always 2 · sometimes 1 · rarely 1 → sometimes (lower median)" in whole
    assert not [r for r in caplog.records if r.name == "weasyprint"]


def test_respondents_roles_and_notes_are_text_not_markup(tmp_path: Path) -> None:
    answers = tmp_path / "hostile.yaml"
    answers.write_text(
        "company: Hostile Names\ndate: 2026-11-20\nrubric: three-tier\n"
        "respondents:\n"
        "  - {id: ann, role: '<img src=x onerror=alert(1)>', group: management}\n"
        "  - {id: bo, role: '</table><script>x</script>', group: frontline}\n"
        "answers:\n  staff_empowered:\n    responses:\n      ann: yes\n"
        "      bo: {value: no, notes: '<a href=\"javascript:alert(1)\">see</a>'}\n"
    )
    page = _html(answers)
    body = page[page.index("<body>") :]
    for markup in ("<img", "<script>x", 'href="javascript'):
        assert markup not in body, markup
    text = _text(body)
    assert "<img src=x onerror=alert(1)>" in text  # shown as written, in the methodology
    assert "</table><script>x</script> frontline" in text  # the respondents' table
    assert 'bo (frontline): no (note: <a href="javascript:alert(1)">see</a>)' in text
