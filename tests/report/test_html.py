"""The HTML report, checked in a real browser (headless Chromium from Debian's packages)."""

from __future__ import annotations

import html
import http.server
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
from tests.helpers import EXAMPLES, ROOT, run_cli

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
    for gap in (
        "customers_feel_valued",
        "promises_kept",
        "csat_pct",
        "follow_up_after_sale",
        "expectations_documented",
    ):
        assert f"<strong>{gap}</strong>" in text
    from svclevel.engine.score import score
    from svclevel.load.rubrics import check_answers_for, load_rubric, read_answers

    loaded = load_rubric("four-level")
    a = score(loaded, check_answers_for(read_answers(HARBOR), loaded))
    for step in a.roadmap:
        for c in step.actions:
            assert " ".join(c.tip.split()) in " ".join(text.split()), c.question_id
    assert "9 of 40 recent reviews mention feeling looked after." in text  # evidence
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
    assert not tags & {"script", "img", "iframe", "image", "object", "embed", "b"}
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
    assert source.count('<article class="assessment"') == 5
    assert "<h2>Portfolio summary</h2>" in source
    assert source.count("<html") == 1
    compared = run_cli("compare", str(EXAMPLES / "alder-grove-hotel.yaml"), "-f", "html").stdout
    assert "Position on the common 0-100 scale" in compared
    assert "Why the models disagree" in compared
