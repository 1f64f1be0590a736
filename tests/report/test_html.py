"""The HTML report, checked in a real browser (headless Chromium from Debian's packages)."""

from __future__ import annotations

import html
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest

from tests.conftest import WriteAnswers
from tests.helpers import EXAMPLES, ROOT, WALKED_EXAMPLES, run_cli

HARBOR = EXAMPLES / "harbor-lane-shop.yaml"


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("Chromium is required in CI (.ci/run installs Debian's chromium)")
    pytest.skip("no Chromium on this machine (apt-get install chromium)")


def browse(page: Path, tmp_path: Path, *extra: str) -> str:
    """Open ``page`` in headless Chromium with ``extra`` flags; return stdout (e.g. the DOM)."""
    profile = tmp_path / "chromium-profile"
    result = subprocess.run(
        [
            _chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            *extra,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


class Elements(HTMLParser):
    """Every element of a document, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


def elements(dom: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(dom)
    return parser.elements


def _report(path: Path, out: Path, *args: str) -> Path:
    target = out / (path.stem + ".html")
    result = run_cli("assess", str(path), "-f", "text", "--report", f"html={target}", *args)
    assert result.exit_code in (0, 2), result.stderr
    return target


def test_report_in_a_real_browser_shows_the_level_every_gap_and_every_tip(tmp_path: Path) -> None:
    page = _report(HARBOR, tmp_path)
    dom = browse(page, tmp_path, "--dump-dom")
    text = html.unescape(dom)
    assert "Harbor Lane Kitchen Supply reaches Exceed expectations (level 2 of 4)." in text
    from svclevel.engine.score import score
    from svclevel.load.rubrics import check_answers_for, load_rubric, read_answers

    loaded = load_rubric("four-level")
    a = score(loaded, check_answers_for(read_answers(HARBOR), loaded))
    flat = " ".join(text.split())
    gaps = [c for step in a.roadmap for c in step.actions]
    assert [c.question_id for c in gaps[:4]] == [
        "customers_feel_valued",
        "csat_pct",
        "follow_up_after_sale",
        "expectations_documented",
    ]
    for c in gaps:  # each gap once in the plan, by its question (the id is for the appendix)
        assert flat.count(f'<p class="question"><strong>{" ".join(c.question.split())}') == 1
        assert " ".join(c.tip.split()) in flat, c.question_id
    executive = flat[: flat.index('<section class="part plan')]
    assert executive.count('<li class="exec-gap">') == 3  # the three that matter most
    assert "customers_feel_valued" not in executive  # ids only in the technical appendix
    assert "11 of 40 reviews drawn from the period mention feeling looked after" in text  # evidence
    shot = tmp_path / "report.png"
    browse(page, tmp_path, "--window-size=1100,2400", f"--screenshot={shot}")
    assert shot.stat().st_size > 20_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_print_to_pdf_gives_separate_pages(tmp_path: Path) -> None:
    page = _report(HARBOR, tmp_path)
    pdf = tmp_path / "report.pdf"
    browse(page, tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert pages >= 3  # the cover and ladder, the gaps, the appendix start on their own pages


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[str]]]:
    _Recorder.requests = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", _Recorder.requests
    finally:
        server.shutdown()
        server.server_close()


def test_hostile_answers_execute_nothing_and_request_nothing(
    tmp_path: Path, write_answers: WriteAnswers, recorder: tuple[str, list[str]]
) -> None:
    base, requests = recorder
    path = write_answers(
        {
            "promises_kept": {
                "value": "never",
                "evidence": f'"><img src="{base}/img" onerror="alert(1)"> see {base}/ok and '
                "javascript:alert(2)",
                "notes": f"<script src='{base}/js'></script><style>@import '{base}/css'</style>",
            },
            "complaint_frequency": {"value": "constant", "evidence": "data:text/html,<b>x</b>"},
        },
        company=f"</text><script>alert(3)</script><image href='{base}/svg'/> <b>Evil</b> Corp",
        assessor=f"<iframe src='{base}/frame'></iframe>",
        rubric="four-level",
    )
    page = _report(path, tmp_path)
    source = page.read_text()
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'' in source
    dom = browse(page, tmp_path, "--dump-dom", "--virtual-time-budget=2000")
    found = elements(dom)
    tags = {tag for tag, _ in found}
    assert not tags & {"script", "iframe", "image", "object", "embed", "b"}
    # the one image is the consultancy's logo (this repository's .svclevel.yaml), embedded
    images = [attrs for tag, attrs in found if tag == "img"]
    assert [a.get("class") for a in images] == ["logo"]
    assert all((a.get("src") or "").startswith("data:image/svg+xml;base64,") for a in images)
    for tag, attrs in found:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert not (attrs.get("href") or "").lower().startswith(("javascript:", "data:")), attrs
    links = [attrs["href"] or "" for tag, attrs in found if tag == "a"]
    assert f"{base}/ok" in links
    assert all(link.startswith(f"{base}/") for link in links)  # only http(s) URLs are links
    assert "</text><script>alert(3)</script>" in html.unescape(dom)  # shown, as text
    assert requests == []


def test_rich_and_text_reports_do_not_import_jinja2() -> None:
    code = (
        "import sys\n"
        "from svclevel.cli import app\n"
        "for fmt in ('rich', 'text', 'json'):\n"
        f"    app(['assess', {str(HARBOR)!r}, '-f', fmt], standalone_mode=False)\n"
        "print('jinja2' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_batch_and_compare_html(tmp_path: Path) -> None:
    target = tmp_path / "all.html"
    run_cli("assess", str(EXAMPLES), "-f", "text", "--report", f"html={target}")
    source = target.read_text()
    assert source.count('<article class="assessment"') == len(WALKED_EXAMPLES)
    # the summary and contents come first, and link every report
    first_article = source.index('<article class="assessment"')
    assert source.index("<h2>Summary and contents</h2>") < first_article
    for anchor in re.findall(r'<a href="#(a-[^"]+)">', source):
        assert source.count(f'id="{anchor}"') == 1
    # each company's name links its report, and so does its page number (printed)
    assert len(set(re.findall(r'<a href="#(a-[^"]+)">', source))) == len(WALKED_EXAMPLES)
    assert str(EXAMPLES) not in source  # file names, not the folders of this machine
    assert source.count("<html") == 1
    compared = run_cli("compare", str(EXAMPLES / "alder-grove-hotel.yaml"), "-f", "html").stdout
    assert "Position on the common 0-100 scale" in compared
    assert "Why the models disagree" in compared


# ---------------------------------------------------------------- compare, crosswalk and diff

BEFORE = ROOT / "tests" / "golden" / "inputs" / "harbor-lane-before.yaml"
EVERY_EXAMPLE = tuple(str(p) for p in sorted(EXAMPLES.glob("*.yaml")))
DOCUMENTS = {
    "assessment": ("assess", str(HARBOR)),
    "assessments": ("assess", str(EXAMPLES)),
    "compare": ("compare", str(EXAMPLES / "alder-grove-hotel.yaml")),
    "portfolio": ("compare", *EVERY_EXAMPLE),
    "crosswalk": ("compare",),
    "diff": ("diff", str(BEFORE), str(HARBOR)),
}


def _document(kind: str, out: Path, *extra: str) -> Path:
    """``kind``'s HTML document, written by --report (so stdout shows the text beside it)."""
    target = out / f"{kind}.html"
    args = DOCUMENTS[kind]
    result = run_cli(*args, *extra, "-f", "text", "--report", f"html={target}")
    assert result.exit_code == 0, result.stderr
    return target


def _head(source: str) -> str:
    return source[source.index("<head>") : source.index("<style>")]


@pytest.mark.parametrize("kind", sorted(DOCUMENTS))
def test_compare_and_diff_are_whole_documents_with_the_reports_head(
    kind: str, tmp_path: Path
) -> None:
    source = _document(kind, tmp_path).read_text()
    assessment = _report(HARBOR, tmp_path).read_text()
    assert source.startswith('<!doctype html>\n<html lang="en">')
    assert source.rstrip().endswith("</html>")
    assert source.count("<html") == source.count("<body>") == source.count("<style>") == 1
    # the same Content-Security-Policy, charset and viewport as the assessment report
    head = _head(source)
    assert head.replace(re.search(r"<title>.*</title>", head)[0], "") == _head(  # type: ignore[index]
        assessment
    ).replace(re.search(r"<title>.*</title>", _head(assessment))[0], "")  # type: ignore[index]
    assert "<script" not in source
    assert "<pre>" not in source  # no plain text pasted in
    assert "-----" not in source  # nor a plain-text heading's underline
    assert "@media print" in source
    assert "@media (max-width: 40rem)" in source


def test_the_executive_page_says_the_change_since_the_baseline(tmp_path: Path) -> None:
    target = tmp_path / "since.html"
    result = run_cli(
        "assess", str(HARBOR), "--baseline", str(BEFORE), "-f", "text", "--report", f"html={target}"
    )
    assert result.exit_code == 0, result.stderr
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", target.read_text())).split())
    executive = text[: text.index("What it takes to climb")]
    assert "Since the baseline of 2026-04-02: Exceed expectations, up from Meet expectations." in (
        executive
    )
    assert "svclevel:baseline" not in target.read_text()  # every placeholder replaced
    plain = _report(HARBOR, tmp_path).read_text()
    assert "Since the baseline" not in plain
    assert "svclevel:baseline" not in plain


def test_compare_html_shows_every_position_and_explanation(tmp_path: Path) -> None:
    text = html.unescape(_document("compare", tmp_path).read_text())
    for label in ("Delight customers", "Desired", "Rung 3 - Iconic", "Transformational service"):
        assert f'<span class="level">· {label}</span>' in text
    assert "Position on the common 0-100 scale" in text
    assert "<h2>Why the models disagree</h2>" in text
    assert "What keeps the company from Exceptional on four-tier:" in text


def test_portfolio_compare_html_ends_with_the_strictest_model(tmp_path: Path) -> None:
    text = html.unescape(_document("portfolio", tmp_path).read_text())
    assert text.count('<article class="comparison" id=') == 7
    summary = text[text.index('<section class="summary portfolio"') :]
    assert "<h2>Portfolio: which model is strictest</h2>" in summary
    assert (
        "The strictest model for this portfolio of 7 companies is four-tier "
        "(mean 33 on the common scale)." in summary
    )


def test_diff_html_shows_levels_criteria_and_answers(tmp_path: Path) -> None:
    text = html.unescape(_document("diff", tmp_path).read_text())
    assert '<h1 class="running-client">Harbor Lane Kitchen Supply</h1>' in text
    assert '<span class="change-up">(up 1)</span>' in text
    assert '<span class="qid">customers_feel_valued</span>' in text
    assert "<h3>What regressed</h3>" in text
    assert "<h2>Answers changed (7)</h2>" in text  # those four-level uses


def test_crosswalk_html_maps_every_level(tmp_path: Path) -> None:
    text = html.unescape(_document("crosswalk", tmp_path).read_text())
    assert '<h1 class="running-client">Crosswalk from four-level</h1>' in text
    assert '<td data-label="four-tier">Desired <span class="value">(67)</span></td>' in text
    assert "<h2>Where they really differ</h2>" in text


# A probe run in the browser: what overflows its box at this window's width (text cut off by a
# scrolling table or the page, SVG text outside its viewBox). The report's own policy forbids
# scripts, so the probe runs in a copy of the page without the policy.
_PROBE = """<script>
addEventListener("load", () => {
  const bad = [];
  const root = document.documentElement;
  if (root.scrollWidth > innerWidth) bad.push("page: " + root.scrollWidth + " > " + innerWidth);
  for (const el of document.querySelectorAll(".table-wrap, td, th, h1, h2, p, li, dd, figure")) {
    if (el.scrollWidth > el.clientWidth + 1) {
      bad.push(el.tagName + ": " + el.textContent.trim().slice(0, 50));
    }
  }
  for (const t of document.querySelectorAll("svg text")) {
    const box = t.getBBox(), view = t.ownerSVGElement.viewBox.baseVal;
    if (box.x < view.x - 0.5 || box.x + box.width > view.x + view.width + 0.5) {
      bad.push("svg: " + t.textContent);
    }
  }
  const out = document.createElement("output");
  out.id = "probe";
  out.textContent = JSON.stringify(bad);
  document.body.append(out);
});
</script>"""


def overflowing(page: Path, tmp_path: Path, width: int) -> list[str]:
    """What overflows in ``page`` opened in a window ``width`` pixels wide."""
    source = page.read_text()
    source = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", source)
    probed = page.with_name(f"probed-{width}-{page.name}")
    probed.write_text(source.replace("</body>", _PROBE + "</body>"))
    dom = browse(probed, tmp_path, f"--window-size={width},2000", "--dump-dom")
    found = re.search(r'<output id="probe">(.*?)</output>', dom)
    assert found, dom[-500:]
    result: list[str] = json.loads(html.unescape(found.group(1)))
    return result


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("kind", sorted(DOCUMENTS))
def test_nothing_is_cut_off_on_a_desk_or_a_phone(kind: str, width: int, tmp_path: Path) -> None:
    page = _document(kind, tmp_path)
    assert overflowing(page, tmp_path, width) == []
    shot = tmp_path / f"{kind}-{width}.png"
    browse(page, tmp_path, f"--window-size={width},2000", f"--screenshot={shot}")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_probe_sees_text_cut_off(tmp_path: Path) -> None:
    page = tmp_path / "clipped.html"
    page.write_text(
        '<!doctype html><html><body><svg viewBox="0 0 100 20" width="100">'
        '<text x="60" y="15">100 · Transformational service</text></svg>'
        '<div class="table-wrap" style="overflow-x:auto;width:100px"><table><tr>'
        "<td>averyveryverylongunbreakablequestionidentifier</td></tr></table></div></body></html>"
    )
    found = overflowing(page, tmp_path, 390)
    assert "svg: 100 · Transformational service" in found
    assert any(item.startswith("DIV: averyvery") for item in found)


def test_compare_portfolio_prints_a_page_per_company(tmp_path: Path) -> None:
    page = _document("portfolio", tmp_path)
    pdf = tmp_path / "portfolio.pdf"
    browse(page, tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pages >= 6  # five companies and the portfolio summary


@pytest.mark.parametrize("kind", ["compare", "diff"])
def test_hostile_names_in_compare_and_diff_execute_and_request_nothing(
    kind: str, tmp_path: Path, write_answers: WriteAnswers, recorder: tuple[str, list[str]]
) -> None:
    base, requests = recorder
    company = f"</text><script>alert(1)</script><img src='{base}/img' onerror='alert(2)'> Evil"
    before = write_answers(
        {"promises_kept": "always"}, company=company, rubric="four-level", date="2026-01-01"
    )
    after = write_answers(
        {"promises_kept": "rarely", "friendly_staff": {"value": "usually", "evidence": company}},
        company=company,
        rubric="four-level",
        date="2026-06-01",
    )
    target = tmp_path / f"{kind}.html"
    args = ("compare", str(after)) if kind == "compare" else ("diff", str(before), str(after))
    result = run_cli(*args, "--report", f"html={target}")
    assert result.exit_code == 0, result.stderr
    dom = browse(target, tmp_path, "--dump-dom", "--virtual-time-budget=2000")
    found = elements(dom)
    assert not {tag for tag, _ in found} & {"script", "iframe", "image", "text"}
    logos = [attrs for tag, attrs in found if tag == "img"]  # the white label's, embedded
    assert all((a.get("src") or "").startswith("data:image/") for a in logos)
    for tag, attrs in found:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
    assert "</text><script>alert(1)</script>" in html.unescape(dom)  # shown, as text
    assert requests == []


def test_the_way_up_tells_each_gap_once() -> None:
    """Four-level asks for a differentiator at levels 2 and 3: Northwind reads its step once,
    and at level 3 only that the same step counts there too."""
    source = run_cli("assess", str(EXAMPLES / "northwind-telecom.yaml"), "-f", "html").stdout
    plan = source[source.index("<h2>What it takes to climb</h2>") : source.index("Advice for")]
    items = re.findall(r'<div class="gap-item">\s*<p class="question"><strong>([^<]+)', plan)
    assert items
    differentiator = "Can you name at least one service element your customers value"
    assert sum(differentiator in item for item in items) == 1
    assert re.search(
        rf"Also needed here: <strong>{differentiator}[^<]*</strong> \(as for level 2, Exceed "
        r"expectations, above: the same answer needed\)\. Find out where",
        plan,
    )
