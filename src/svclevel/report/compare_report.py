"""Reports of ``svclevel compare``: a company on several models, portfolios, crosswalks.

The formats that make sense for a comparison: rich, text, json (schema: ``svclevel schema
compare``), markdown and csv.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from svclevel.engine.compare import Comparison, Crosswalk, Position
from svclevel.errors import UsageError, printable
from svclevel.report import Format, ReportOptions
from svclevel.report.csv_report import csv_text
from svclevel.report.json_records import json_text, tool_record
from svclevel.report.markdown_report import md

COMPARE_FORMATS = (Format.RICH, Format.TEXT, Format.JSON, Format.MARKDOWN, Format.CSV, Format.HTML)


def check_format(fmt: Format) -> None:
    """Refuse the formats that have no meaning for a comparison."""
    if fmt not in COMPARE_FORMATS:
        choices = ", ".join(f.value for f in COMPARE_FORMATS)
        raise UsageError(
            f"format '{fmt.value}' is not available for compare (choose from {choices})"
        )


def _scale(value: float) -> str:
    return f"{value:.0f}"


def position_cells(p: Position) -> list[str]:
    a = p.assessment
    nxt = a.next_level
    return [
        a.rubric_id,
        p.level_name,
        f"{a.attained} of {len(a.levels)}",
        _scale(p.scale),
        nxt.name if nxt else "—",
        str(len(a.gaps)),
    ]


_HEADER = ["rubric", "level", "position", "scale 0-100", "next level", "gaps"]


def _table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> list[str]:
    cells = [list(header), *(list(map(printable, r)) for r in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    return [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]


def explanations(c: Comparison) -> list[str]:
    lines = []
    for d in c.disagreements:
        lines.append(
            f"{d.lower.rubric_id} places {c.company} at {d.lower.level_name} "
            f"({_scale(d.lower.scale)}), {d.higher.rubric_id} at {d.higher.level_name} "
            f"({_scale(d.higher.scale)}):"
        )
        nxt = d.lower.assessment.next_level
        for item in d.deciding:
            crit = item.criterion
            need = "required" if crit.required else f"weight {crit.weight:g}"
            lines.append(
                f"  - {nxt.name if nxt else ''} needs {crit.question_id} {crit.needed} ({need}), "
                f"answer {crit.answer}; {item.other}"
            )
    return [printable(line) for line in lines]


# ---------------------------------------------------------------- json records


def comparison_record(c: Comparison) -> dict[str, Any]:
    """The JSON record of a comparison (a ``ComparisonRecord``)."""

    def ref(level: Any) -> dict[str, Any] | None:
        return None if level is None else {"index": level.index, "id": level.id, "name": level.name}

    return {
        "schema_version": 1,
        "kind": "comparison",
        "tool": tool_record(),
        "company": c.company,
        "answers_file": c.answers_file,
        "positions": [
            {
                "rubric": {
                    "id": p.assessment.rubric_id,
                    "version": p.assessment.rubric_version,
                    "title": p.assessment.rubric_title,
                },
                "level": ref(p.assessment.level),
                "attained": p.assessment.attained,
                "levels_total": len(p.assessment.levels),
                "scale": p.scale,
                "next_level": ref(p.assessment.next_level),
                "gaps": len(p.assessment.gaps),
            }
            for p in c.positions
        ],
        "strictest": c.strictest.rubric_id,
        "disagreements": [
            {
                "higher": d.higher.rubric_id,
                "lower": d.lower.rubric_id,
                "higher_scale": d.higher.scale,
                "lower_scale": d.lower.scale,
                "deciding": [
                    {
                        "level_id": item.criterion.level_id,
                        "question_id": item.criterion.question_id,
                        "needed": item.criterion.needed,
                        "answer": item.criterion.answer,
                        "status": item.criterion.status.value,
                        "required": item.criterion.required,
                        "other": item.other,
                    }
                    for item in d.deciding
                ],
            }
            for d in c.disagreements
        ],
    }


def crosswalk_record(cw: Crosswalk) -> dict[str, Any]:
    """The JSON record of a crosswalk (a ``CrosswalkRecord``)."""
    return {
        "schema_version": 1,
        "kind": "crosswalk",
        "tool": tool_record(),
        "reference": cw.reference.rubric.id,
        "others": [o.rubric.id for o in cw.others],
        "rows": [
            {
                "level": {"index": row.index, "id": row.level.id, "name": row.level.name},
                "scale": row.scale,
                "counterparts": [
                    {
                        "rubric": other.rubric.id,
                        "level": None
                        if cell.level is None
                        else {"index": cell.index, "id": cell.level.id, "name": cell.level.name},
                        "scale": cell.scale,
                        "shared": list(cell.shared),
                        "only_here": list(cell.only_here),
                    }
                    for other, cell in zip(cw.others, row.cells, strict=True)
                ],
            }
            for row in cw.rows
        ],
        "only_there": {
            other.rubric.id: list(qs) for other, qs in zip(cw.others, cw.only_there, strict=True)
        },
    }


# ---------------------------------------------------------------- comparisons


def render_comparison(fmt: Format, c: Comparison, options: ReportOptions) -> str:
    """One company on several rubrics."""
    if fmt is Format.JSON:
        return json_text(comparison_record(c), pretty=not options.batch)
    if fmt is Format.CSV:
        return csv_text([c.answers_file, c.company, *position_cells(p)] for p in c.positions)
    if fmt is Format.MARKDOWN:
        out = [f"## {md(c.company)}: the models side by side\n"]
        out.append("| Rubric | Level | Position | Scale 0-100 | Next level | Gaps |")
        out.append("|---|---|---|--:|---|--:|")
        for p in c.positions:
            cells = position_cells(p)
            out.append("| " + " | ".join([f"`{cells[0]}`", *map(md, cells[1:])]) + " |")
        out.append("")
        if c.disagreements:
            out.append("### Why the models disagree\n")
            out.extend(
                md(line) if not line.startswith("  - ") else "  - " + md(line[4:])
                for line in explanations(c)
            )
            out.append("")
        return "\n".join(out) + "\n"
    if fmt is Format.RICH:
        from svclevel.report.rich_report import render_rich_comparison

        return render_rich_comparison(c, options)
    if fmt is Format.HTML:
        from svclevel.report.html_report import render_comparison_html

        return render_comparison_html(c)
    lines = [f"{printable(c.company)} ({printable(c.answers_file)}): the models side by side", ""]
    lines += _table([position_cells(p) for p in c.positions], _HEADER)
    if c.disagreements:
        lines += ["", "Why the models disagree", "-----------------------", *explanations(c)]
    return "\n".join(lines) + "\n\n"


CSV_HEADER = "file,company," + ",".join(h.replace(" ", "_") for h in _HEADER) + "\n"


def portfolio_summary(fmt: Format, comparisons: Sequence[Comparison]) -> str:
    """Which model is the strictest for a set of companies (lowest mean on the common scale)."""
    if not comparisons or fmt in (Format.JSON, Format.CSV):
        return ""
    ids = [p.rubric_id for p in comparisons[0].positions]
    means = {
        rid: sum(p.scale for c in comparisons for p in c.positions if p.rubric_id == rid)
        / len(comparisons)
        for rid in ids
    }
    strictest = min(ids, key=lambda r: means[r])
    rows = [
        [rid, _scale(means[rid]), str(sum(c.strictest.rubric_id == rid for c in comparisons))]
        for rid in ids
    ]
    header = ["rubric", "mean scale", "strictest for"]
    sentence = (
        f"The strictest model for this portfolio of {len(comparisons)} companies is {strictest} "
        f"(mean {_scale(means[strictest])} on the common scale)."
    )
    if fmt is Format.MARKDOWN:
        out = [
            "## Portfolio: which model is strictest\n",
            "| Rubric | Mean scale | Strictest for |",
            "|---|--:|--:|",
        ]
        out += [f"| `{r[0]}` | {r[1]} | {r[2]} |" for r in rows]
        return "\n".join([*out, "", md(sentence)]) + "\n"
    lines = ["", "Portfolio: which model is strictest", "-----------------------------------"]
    lines += _table(rows, header)
    lines += ["", sentence]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- crosswalks


def render_crosswalk(fmt: Format, cw: Crosswalk, options: ReportOptions) -> str:
    """The reference rubric's levels, and the level of each other rubric demanding the same."""
    if fmt is Format.JSON:
        return json_text(crosswalk_record(cw), pretty=True)
    ref = cw.reference.rubric
    others = [o.rubric.id for o in cw.others]
    if fmt is Format.CSV:
        header = [
            "reference",
            "level",
            "scale",
            "rubric",
            "counterpart",
            "counterpart_scale",
            "shared",
            "only_in_reference",
        ]
        return csv_text(
            [
                header,
                *(
                    [
                        ref.id,
                        row.level.name,
                        _scale(row.scale),
                        other,
                        cell.level.name if cell.level else "",
                        _scale(cell.scale) if cell.level else "",
                        " ".join(cell.shared),
                        " ".join(cell.only_here),
                    ]
                    for row in cw.rows
                    for other, cell in zip(others, row.cells, strict=True)
                ),
            ]
        )
    header = [f"{ref.id} (scale)", *others]
    rows = []
    for row in reversed(cw.rows):
        cells = [f"{row.level.name} ({_scale(row.scale)})"]
        for cell in row.cells:
            cells.append(f"{cell.level.name} ({_scale(cell.scale)})" if cell.level else "—")
        rows.append(cells)
    differ = []
    for other, row_only in zip(others, cw.only_there, strict=True):
        if row_only:
            differ.append(f"{other} also requires: {', '.join(row_only)}")
    for row in cw.rows:
        for other, cell in zip(others, row.cells, strict=True):
            if cell.only_here:
                differ.append(
                    f"{ref.id} {row.level.name} requires what {other} never asks: "
                    f"{', '.join(cell.only_here)}"
                )
    if fmt is Format.MARKDOWN:
        out = [
            f"## Crosswalk from `{ref.id}`\n",
            "| " + " | ".join(map(md, header)) + " |",
            "|" + "---|" * len(header),
        ]
        out += ["| " + " | ".join(map(md, r)) + " |" for r in rows]
        out += ["", "### Where they really differ", ""] + [f"- {md(d)}" for d in differ]
        return "\n".join(out) + "\n"
    if fmt is Format.RICH:
        from svclevel.report.rich_report import render_rich_crosswalk

        return render_rich_crosswalk(header, rows, differ, options)
    if fmt is Format.HTML:
        from markupsafe import escape

        from svclevel.report.html_report import page_end, page_start

        head = "".join(f"<th>{escape(h)}</th>" for h in header)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in r) + "</tr>" for r in rows
        )
        items = "".join(f"<li>{escape(d)}</li>" for d in differ)
        return (
            page_start(f"Crosswalk from {ref.id}")
            + f'<article><h1>Crosswalk from {escape(ref.id)}</h1><div class="table-wrap"><table>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
            f"<h2>Where they really differ</h2><ul>{items}</ul></article>\n" + page_end()
        )
    lines = [
        f"Crosswalk from {ref.id}: each level, and the level of each other rubric that "
        "demands the same things",
        "",
    ]
    lines += _table(rows, header)
    lines += ["", "Where they really differ", "------------------------", *differ]
    return "\n".join(lines) + "\n"
