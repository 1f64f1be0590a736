"""The PDF report, read as its reader reads it: pages, page size, the running header and page
numbers on every page, the verdict first, the fonts embedded, nothing of this machine."""

from __future__ import annotations

import importlib.util
import json
import logging
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import EXAMPLES, HISTORY, ROOT, pdf_text, poppler, require_pdf, run_cli

HARBOR = EXAMPLES / "harbor-lane-shop.yaml"


@pytest.fixture(autouse=True)
def _weasyprint() -> None:
    require_pdf()


BEFORE = ROOT / "tests" / "golden" / "inputs" / "harbor-lane-before.yaml"
A4 = (595, 842)
LETTER = (612, 792)


def _pdf(tmp_path: Path, *args: str, name: str = "report.pdf") -> Path:
    target = tmp_path / name
    result = run_cli(*args, "-f", "text", "--report", f"pdf={target}", "--isolated")
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes().startswith(b"%PDF-")
    return target


def _info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(
        [poppler("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def _size(pdf: Path) -> tuple[int, int]:
    found = re.match(r"([\d.]+) x ([\d.]+) pts", _info(pdf)["Page size"])
    assert found, _info(pdf)
    return round(float(found[1])), round(float(found[2]))


def _pages(pdf: Path) -> list[str]:
    pages = pdf_text(pdf.read_bytes(), layout=True).split("\f")
    return [p for p in pages if p.strip()]


_HEADINGS = ("What it takes to climb", "Advice for the whole ladder", "Technical appendix")


def _every_page_says(pages: list[str], header: str, date: str) -> None:
    total = len(pages)
    for number, page in enumerate(pages, 1):
        top = page.strip().splitlines()[0]
        assert header in top, (number, top)
        assert date in top, (number, top)
        assert f"page {number} of {total}" in page.strip().splitlines()[-1], number


def test_an_assessment_is_an_a4_pdf_with_the_verdict_first(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path, "assess", str(HARBOR))
    assert _size(pdf) == A4
    pages = _pages(pdf)
    assert 3 <= len(pages) <= 8
    assert int(_info(pdf)["Pages"]) == len(pages)  # no blank page
    _every_page_says(pages, "Harbor Lane Kitchen Supply", "2026-10-02")
    first = " ".join(pages[0].split())
    assert "Harbor Lane Kitchen Supply reaches Exceed expectations (level 2 of 4)." in first
    assert "The 3 gaps that matter most" in first
    assert "customers_feel_valued" not in first  # the question, not its id
    assert "How often do customers say" in first
    text = "\n".join(pages)
    assert str(ROOT) not in text
    assert str(Path.home()) not in text
    where = {h: next(i for i, p in enumerate(pages) if h in p) for h in _HEADINGS}
    assert list(where.values()) == sorted(where.values())  # the plan, then the detail
    assert where["What it takes to climb"] <= 1


def _fill(pdf: Path) -> list[float]:
    """How full each page is: the lowest line of text between the running header and the
    footer, as a share of the height between them."""
    out = subprocess.run(
        [poppler("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    fills = []
    for page in re.findall(r"<page (.*?)</page>", out, flags=re.DOTALL):
        height = float(re.search(r'height="([\d.]+)"', page)[1])  # type: ignore[index]
        margin = 20 / 25.4 * 72  # the page's top and bottom margins, 20 mm
        bottoms = [
            float(y)
            for y in re.findall(r'yMax="([\d.]+)"', page)
            if margin < float(y) < height - margin
        ]
        fills.append((max(bottoms) - margin) / (height - 2 * margin))
    return fills


@pytest.mark.parametrize("example", sorted(p.stem for p in EXAMPLES.glob("*.yaml")))
def test_no_page_of_an_assessment_is_half_empty_and_the_executive_page_fits_on_page_1(
    example: str, tmp_path: Path
) -> None:
    _executive_page_first(_pdf(tmp_path, "assess", str(EXAMPLES / f"{example}.yaml")), example)


def test_with_the_white_label_and_measured_figures_the_executive_page_still_fits_on_page_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The repository's .svclevel.yaml puts a logo and a consultancy on the masthead, and the Q3
    # example says which answers are measured: the ladder and the gaps must still be on page 1.
    monkeypatch.chdir(ROOT)
    target = tmp_path / "q3.pdf"
    example = "harbor-lane-q3"
    result = run_cli("assess", str(EXAMPLES / f"{example}.yaml"), "--report", f"pdf={target}")
    assert result.exit_code == 0, result.stderr
    _executive_page_first(target, example)


def _executive_page_first(pdf: Path, example: str) -> None:
    fills = _fill(pdf)
    assert all(fill >= 0.75 for fill in fills[:-1]), [round(f, 2) for f in fills]
    pages = [" ".join(p.split()) for p in pdf_text(pdf.read_bytes()).split("\f")]
    executive = pages[0].split("What it takes to climb")[0]
    assert "Each level with the share of its criteria in place" in executive  # the ladder
    record = run_cli("assess", str(EXAMPLES / f"{example}.yaml"), "-f", "json", "--isolated")
    roadmap = json.loads(record.stdout)["roadmap"]
    gaps = [c for step in roadmap for c in step["actions"]][:3]
    words = iter(executive.split())  # the two columns' lines may interleave, in order
    for gap in gaps:  # the three gaps that matter most, with their next steps, on page 1
        assert all(w in words for w in gap["tip"].split()), gap["question_id"]


def test_fonts_are_embedded_and_our_own(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path, "assess", str(HARBOR))
    fonts = subprocess.run(
        [poppler("pdffonts"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts
    for line in fonts:
        name, *_, emb, _sub, _uni, _obj, _gen = line.split()
        assert emb == "yes", line
        assert name.split("+")[-1].startswith("svclevel-Sans"), line  # the same on every machine


def test_letter_paper_a_consultancy_and_a_logo_from_the_configuration_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
        '<rect width="40" height="40" fill="#0a7"/></svg>'
    )
    (tmp_path / ".svclevel.yaml").write_text(
        "report:\n"
        "  consultancy: Larkspur Service Partners\n"
        "  logo: logo.svg\n"
        "  prepared_by: Ana Ruiz\n"
        "  reference: LSP-2026-014\n"
        "  confidentiality: Confidential, for Harbor Lane only\n"
        "  paper: letter\n"
        "  accent: '#0a7d5a'\n"
    )
    monkeypatch.chdir(tmp_path)
    result = run_cli("assess", str(HARBOR), "-f", "text", "--report", "pdf=out.pdf")
    assert result.exit_code == 0, result.stderr
    pdf = tmp_path / "out.pdf"
    assert _size(pdf) == LETTER
    pages = _pages(pdf)
    first = " ".join(pages[0].split())
    for words in ("Larkspur Service Partners", "Prepared by Ana Ruiz", "Reference LSP-2026-014"):
        assert words in first
    assert "CONFIDENTIAL, FOR HARBOR LANE ONLY" in first.upper()
    for page in pages:  # the footer of every page names the consultancy and the line
        assert "Larkspur Service Partners · LSP-2026-014 · Confidential" in page
    assert _info(pdf)["Author"] == "Ana Ruiz"
    images = subprocess.run(
        [poppler("pdfimages"), "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    html = run_cli("assess", str(HARBOR), "-f", "html").stdout
    assert '<img class="logo" src="data:image/svg+xml;base64,' in html  # embedded, not linked
    assert images is not None


def test_white_label_flags_override_the_file_and_a4_is_the_default(tmp_path: Path) -> None:
    pdf = tmp_path / "out.pdf"
    result = run_cli(
        "assess",
        str(HARBOR),
        "-f",
        "text",
        "--isolated",
        "--report",
        f"pdf={pdf}",
        "--white-label",
        "consultancy=Larkspur",
        "--white-label",
        "prepared_for=Harbor Lane board",
        "--white-label",
        "issued=2026-11-30",
    )
    assert result.exit_code == 0, result.stderr
    assert _size(pdf) == A4
    pages = _pages(pdf)
    _every_page_says(pages, "Harbor Lane", "2026-11-30")
    assert "Prepared for Harbor Lane board" in " ".join(pages[0].split())


@pytest.mark.parametrize(
    ("kind", "args", "header", "date"),
    [
        ("compare", ("compare", str(HARBOR)), "Harbor Lane Kitchen Supply", "2026-10-02"),
        ("diff", ("diff", str(BEFORE), str(HARBOR)), "Harbor Lane Kitchen Supply", "2026-10-02"),
        ("portfolio", ("assess", str(EXAMPLES)), "", ""),
        ("compare-portfolio", ("compare", *map(str, sorted(EXAMPLES.glob("*.yaml")))), "", ""),
        ("crosswalk", ("compare",), "Crosswalk", ""),
        ("history", ("history", str(HISTORY)), "Wrenfield Bicycle Works", "2026-10-13"),
    ],
)
def test_every_kind_of_report_prints_with_numbered_pages(
    kind: str, args: tuple[str, ...], header: str, date: str, tmp_path: Path
) -> None:
    pdf = _pdf(tmp_path, *args, name=f"{kind}.pdf")
    assert _size(pdf) == A4
    pages = _pages(pdf)
    total = len(pages)
    for number, page in enumerate(pages, 1):
        assert f"page {number} of {total}" in page, (kind, number)
        assert header in page.strip().splitlines()[0], (kind, number)
        assert date in page.strip().splitlines()[0], (kind, number)
    text = "\n".join(pages)
    assert str(ROOT) not in text
    if kind == "portfolio":
        first = " ".join(pages[0].split())
        assert "Summary and contents" in first  # first, not on the last page
        for company in ("Harbor Lane Kitchen Supply", "Alder Grove Hotel", "BrightDesk"):
            assert company in first
        # every company's pages carry its own name in the running header
        tops = {page.strip().splitlines()[0].split("  ")[0] for page in pages[1:]}
        assert {"Harbor Lane Kitchen Supply", "Alder Grove Hotel"} <= tops
        # the contents give the page each company's report starts on
        for company in ("Alder Grove Hotel", "BrightDesk Software", "Northwind Telecom"):
            row = next(line for line in pages[0].splitlines() if line.strip().startswith(company))
            number = int(row.split()[-1])
            assert company in pages[number - 1].strip().splitlines()[0], company
            assert company not in pages[number - 2].strip().splitlines()[0], company


def test_the_pdf_renderer_reads_nothing_but_the_document(tmp_path: Path) -> None:
    from svclevel.errors import UsageError
    from svclevel.report.pdf_report import html_to_pdf

    secret = tmp_path / "secret.png"
    secret.write_bytes((ROOT / "docs" / "report-example.png").read_bytes())
    page = f'<!doctype html><html><body><p>x</p><img src="{secret.as_uri()}"></body></html>'
    with pytest.raises(UsageError, match="the PDF cannot be made as written"):
        html_to_pdf(page)


def test_our_own_pages_use_no_css_the_renderer_ignores(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from svclevel.report.pdf_report import html_to_pdf

    for args in (
        ("assess", str(EXAMPLES)),
        ("compare", str(HARBOR)),
        ("diff", str(BEFORE), str(HARBOR)),
        ("compare",),
        ("history", str(HISTORY), "-r", "four-level", "-r", "three-tier"),
    ):
        page = run_cli(*args, "-f", "html", "--isolated").stdout
        with caplog.at_level(logging.WARNING, logger="weasyprint"):
            html_to_pdf(page)
        assert [r.getMessage() for r in caplog.records] == [], args


def test_a_pdf_that_cannot_be_made_leaves_the_previous_file(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"not really an image")
    target = tmp_path / "report.pdf"
    target.write_bytes(b"%PDF- the previous report")
    result = run_cli(
        "assess",
        str(HARBOR),
        "-f",
        "text",
        "--isolated",
        "--report",
        f"pdf={target}",
        "--white-label",
        f"logo={logo}",
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(f"--white-label logo {logo}: cannot be read as a PNG image (")
    assert len(result.stderr) < 300  # the setting and the reason, not the image
    assert target.read_bytes() == b"%PDF- the previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["logo.png", "report.pdf"]


def test_without_the_pdf_extra_the_message_names_it_and_nothing_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importlib.util.find_spec

    def without_weasyprint(name: str, *args: Any) -> Any:
        return None if name == "weasyprint" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", without_weasyprint)
    target = tmp_path / "report.pdf"
    for args in (
        ("assess", "missing.yaml", "--report", f"pdf={target}"),
        ("compare", "missing.yaml", "-f", "pdf"),
        ("diff", "missing.yaml", "missing.yaml", "--report", f"pdf={target}"),
    ):
        result = run_cli(*args, "--isolated")
        assert result.exit_code == 2, args
        assert result.stderr == (
            "the pdf format needs WeasyPrint, which the pdf extra installs: "
            "pip install 'svclevel[pdf]'\n"
        ), args
        assert not target.exists()


def test_a_pdf_is_not_written_to_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import svclevel.cli

    monkeypatch.setattr(svclevel.cli, "_terminal", lambda: True)
    result = run_cli("assess", str(HARBOR), "-f", "pdf", "--isolated")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "a PDF is not for a terminal" in result.stderr


def test_a_pdf_on_standard_output_is_the_same_document(tmp_path: Path) -> None:
    result = run_cli("assess", str(HARBOR), "-f", "pdf", "--isolated")
    assert result.exit_code == 0
    piped = tmp_path / "piped.pdf"
    piped.write_bytes(result.stdout_bytes)
    assert _pages(piped) == _pages(_pdf(tmp_path, "assess", str(HARBOR)))


def test_the_compare_pdf_reasons_run_on_without_half_empty_pages(tmp_path: Path) -> None:
    fills = _fill(_pdf(tmp_path, "compare", str(HARBOR)))
    assert len(fills) <= 2
    assert all(fill >= 0.75 for fill in fills[:-1]), [round(f, 2) for f in fills]


def test_a_long_footer_never_splits_the_page_number(tmp_path: Path) -> None:
    pdf = tmp_path / "long.pdf"
    line = "Strictly confidential: for the board and its advisers only, not to be shared " * 2
    result = run_cli(
        "assess",
        str(HARBOR),
        "-f",
        "text",
        "--isolated",
        "--report",
        f"pdf={pdf}",
        "--white-label",
        f"confidentiality={line.strip()[:200]}",
    )
    assert result.exit_code == 0, result.stderr
    pages = _pages(pdf)
    for number, page in enumerate(pages, 1):
        assert re.search(rf"page {number} of {len(pages)}$", page.rstrip(), re.MULTILINE), number
