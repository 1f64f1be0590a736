"""``svclevel measure``: the figures of the example exports against an independent computation,
the measurement file a user commits, and every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.helpers import EXAMPLES, run_cli
from tests.measure.reference import reference

EXPORTS = EXAMPLES / "exports"
FILES = sorted(str(p) for p in EXPORTS.iterdir() if p.suffix in (".csv", ".json"))
MEASURED = EXAMPLES / "measured" / "harbor-lane-q3.yaml"
PERIOD = "2026-07-01..2026-09-30"


def _measure(tmp_path: Path, *args: str) -> dict:  # type: ignore[type-arg]
    out = tmp_path / "m.yaml"
    run = run_cli("measure", *args, "-o", str(out))
    assert run.exit_code == 0, run.stderr
    return yaml.safe_load(out.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> dict:  # type: ignore[type-arg]
    return _measure(tmp_path_factory.mktemp("m"), *FILES)


def test_every_figure_equals_the_independent_computation(measured: dict) -> None:  # type: ignore[type-arg]
    expected = reference(EXPORTS)
    first, ref = measured["first_response_hours"], expected["first_response_hours"]
    assert (first["value"], first["n"], first["unreplied"], first["p90"]) == (
        ref["value"],
        ref["n"],
        ref["unreplied"],
        ref["p90"],
    )
    for channel, figures in ref["channels"].items():
        got = first["by_channel"][channel]
        assert (got["median"], got["n"], got["unreplied"], got["p90"]) == (
            figures["value"],
            figures["n"],
            figures["unreplied"],
            figures["p90"],
        ), channel
    assert first["by_channel"]["voice"]["written"] is False
    for qid in ("resolution_rate_pct", "csat_pct", "nps", "retention_pct"):
        got, ref = measured[qid], expected[qid]
        assert (got["value"], got["n"], got["interval"]) == (
            ref["value"],
            ref["n"],
            ref["interval"],
        ), qid
    assert measured["retention_pct"]["before"] == {
        "from": __import__("datetime").date(2025, 7, 1),
        "to": __import__("datetime").date(2026, 6, 30),
    }


def test_the_period_defaults_to_the_span_of_the_records_and_says_so(measured: dict) -> None:  # type: ignore[type-arg]
    assert measured["period"]["stated"] is False
    assert str(measured["period"]["from"]) == "2026-07-01"
    assert str(measured["period"]["to"]) == "2026-09-30"


def test_each_source_is_named_hashed_and_counted(measured: dict) -> None:  # type: ignore[type-arg]
    import hashlib

    by_name = {s["file"]: s for s in measured["sources"]}
    for name in FILES:
        path = Path(name)
        source = by_name[path.name]
        assert source["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    tickets = json.loads((EXPORTS / "harbor-lane-zendesk-tickets.json").read_text())["tickets"]
    assert by_name["harbor-lane-zendesk-tickets.json"]["records"] == len(tickets)
    assert by_name["harbor-lane-orders.csv"]["columns_not_read"] == [
        "order_id",
        "customer_email",
        "total_eur",
    ]


def test_the_file_holds_aggregates_only(tmp_path: Path) -> None:
    out = tmp_path / "m.yaml"
    assert run_cli("measure", *FILES, "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "Aggregates only" in text
    tickets = json.loads((EXPORTS / "harbor-lane-zendesk-tickets.json").read_text())["tickets"]
    for ticket in tickets[:50]:
        assert ticket["subject"] not in text
    orders = (EXPORTS / "harbor-lane-orders.csv").read_text().splitlines()[1:50]
    for row in orders:
        _, customer, email, *_ = row.split(",")
        assert customer not in text
        assert email not in text
    assert "@" not in text


def test_the_committed_measurement_file_is_what_measure_writes(tmp_path: Path) -> None:
    out = tmp_path / "harbor-lane-q3.measured.yaml"
    run = run_cli("measure", *FILES, "--period", PERIOD, "-o", str(out))
    assert run.exit_code == 0, run.stderr
    assert out.read_text(encoding="utf-8") == MEASURED.read_text(encoding="utf-8")


def test_every_figure_is_printed_with_its_definition() -> None:
    run = run_cli("measure", *FILES)
    assert run.exit_code == 0
    assert "first_response_hours: 3.28 hours (n = 2,081, p90 33.35, 12 unreplied)" in run.stderr
    assert "a ticket with no reply stays in the median as the longest wait" in run.stderr
    assert "2026-07-01 to 2026-09-30 (UTC, the span of the records)" in run.stderr
    assert run.stdout.startswith("# svclevel measurement file")


# --------------------------------------------------------------------------- small exports


def _csv(path: Path, header: str, *rows: str) -> str:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return str(path)


TICKETS = "id,created_at,first_reply_at,resolved_at,reopens,channel,status"


def _tickets(n: int, first: int = 0, **overrides: str) -> list[str]:
    rows = []
    for i in range(n):
        row = {
            "id": str(first + i),
            "created_at": f"2026-07-{1 + i % 28:02d}T10:00:00+02:00",
            "first_reply_at": f"2026-07-{1 + i % 28:02d}T{11 + i % 5:02d}:00:00+02:00",
            "resolved_at": f"2026-07-{1 + i % 28:02d}T18:00:00+02:00",
            "reopens": "0",
            "channel": "email",
            "status": "solved",
        }
        row.update(overrides)
        rows.append(",".join(row.values()))
    return rows


def test_a_tickets_csv_gives_the_median_over_written_channels(tmp_path: Path) -> None:
    phone = _tickets(
        10,
        first=100,
        channel="phone",
        created_at="2026-07-01T10:00:00+02:00",
        first_reply_at="2026-07-01T10:01:00+02:00",
    )
    rows = _tickets(40) + phone
    data = _measure(tmp_path, _csv(tmp_path / "t.csv", TICKETS, *rows))
    first = data["first_response_hours"]
    assert first["n"] == 40  # phone is answered live
    assert first["value"] == 3.0  # waits 1..5 hours, eight of each
    assert first["by_channel"]["phone"]["written"] is False


def test_an_unreplied_ticket_counts_as_the_longest_wait(tmp_path: Path) -> None:
    day = "2026-07-01T10:00:00+02:00"
    rows = _tickets(30, created_at=day, first_reply_at="2026-07-01T10:30:00+02:00") + _tickets(
        31, first=100, created_at=day, first_reply_at=""
    )
    data = _measure(tmp_path, _csv(tmp_path / "t.csv", TICKETS, *rows))
    first = data["first_response_hours"]
    assert first["value"] is None
    assert first["unreplied"] == 31
    assert "more than half of the written tickets have no reply" in first["not_used"]


def test_below_the_minimum_sample_a_figure_is_reported_but_not_used(tmp_path: Path) -> None:
    survey = _csv(
        tmp_path / "s.csv",
        "submitted_at,survey,scale,score",
        *[f"2026-07-0{1 + i % 9}T12:00:00Z,csat,1-5,5" for i in range(29)],
    )
    data = _measure(tmp_path, survey)
    assert data["csat_pct"]["value"] is None
    assert data["csat_pct"]["n"] == 29
    assert "at least 30" in data["csat_pct"]["not_used"]


def test_the_period_is_counted_in_days_of_the_time_zone(tmp_path: Path) -> None:
    late = ",".join(
        ["999", "2026-06-30T23:30:00Z", "2026-07-01T01:30:00Z", "", "0", "email", "open"]
    )
    path = _csv(tmp_path / "t.csv", TICKETS, late, *_tickets(30))
    utc = _measure(tmp_path, path, "--period", "2026-07-01..2026-07-31")
    berlin = _measure(tmp_path, path, "--period", "2026-07-01..2026-07-31", "--tz", "Europe/Berlin")
    assert utc["resolution_rate_pct"]["n"] == 30
    assert berlin["resolution_rate_pct"]["n"] == 31


# --------------------------------------------------------------------------- bad input


def test_a_malformed_row_is_named_by_file_and_line_and_nothing_is_written(tmp_path: Path) -> None:
    rows = _tickets(35)
    rows[4] = "4,2026-07-05T10:00:00+02:00,oops,,0,email"
    path = _csv(tmp_path / "t.csv", TICKETS, *rows)
    out = tmp_path / "m.yaml"
    run = run_cli("measure", path, "-o", str(out))
    assert run.exit_code == 2
    assert f"{path}:6: 6 fields, and the header has 7" in run.stderr
    assert "--skip-bad-rows" in run.stderr
    assert "Traceback" not in run.stderr
    assert not out.exists()


def test_skip_bad_rows_measures_the_rest_and_reports_what_it_skipped(tmp_path: Path) -> None:
    rows = _tickets(35)
    rows[4] = "4,2026-07-05T10:00:00+02:00,2026-07-05,,0,email,solved"
    rows[9] = "9,yesterday,2026-07-05T10:00:00+02:00,,0,email,solved"
    path = _csv(tmp_path / "t.csv", TICKETS, *rows)
    out = tmp_path / "m.yaml"
    run = run_cli("measure", path, "--skip-bad-rows", "-o", str(out))
    assert run.exit_code == 0, run.stderr
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    source = data["sources"][0]
    assert source["skipped"] == 2
    # The reasons, without the cells' text: the file holds no text of an export.
    assert source["skipped_examples"] == [
        "line 6: a value is a date without a time of day",
        "line 11: a value is not an ISO 8601 timestamp",
    ]
    assert data["resolution_rate_pct"]["n"] == 33
    assert "2 bad skipped" in run.stderr


def test_a_timestamp_without_a_zone_needs_tz(tmp_path: Path) -> None:
    rows = _tickets(
        31, created_at="2026-07-01 09:00:00", first_reply_at="2026-07-01T11:00:00+02:00"
    )
    path = _csv(tmp_path / "t.csv", TICKETS, *rows)
    run = run_cli("measure", path)
    assert run.exit_code == 2
    assert f"{path}:2: '2026-07-01 09:00:00' has no time zone; name the zone" in run.stderr
    assert "--tz" in run.stderr
    assert run_cli("measure", path, "--tz", "Europe/Berlin").exit_code == 0


def test_an_unknown_column_is_named_with_the_nearest_header(tmp_path: Path) -> None:
    path = _csv(tmp_path / "t.csv", TICKETS.replace("created_at", "created"), *_tickets(3))
    run = run_cli("measure", path)
    assert run.exit_code == 2
    assert f"{path}:1: not an export svclevel reads" in run.stderr
    assert "no column 'created_at' (created); did you mean 'created'?" in run.stderr
    # Named with --columns, the same file is read.
    run = run_cli("measure", path, "--columns", "created=created")
    assert run.exit_code == 0, run.stderr


def test_columns_refuses_an_unknown_key() -> None:
    run = run_cli("measure", FILES[0], "--columns", "craeted=Opened")
    assert run.exit_code == 2
    assert "unknown key 'craeted'; did you mean 'created'?" in run.stderr


def test_a_file_of_the_wrong_system_is_refused(tmp_path: Path) -> None:
    tickets = str(EXPORTS / "harbor-lane-zendesk-tickets.json")
    run = run_cli("measure", tickets, "--system", "freshdesk")
    assert run.exit_code == 2
    assert f"{tickets}:1: this is a zendesk tickets export, not a freshdesk export" in run.stderr


def test_a_file_that_is_no_export_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_text('{"hello": [1, 2]}', encoding="utf-8")
    run = run_cli("measure", str(path))
    assert run.exit_code == 2
    assert "not an export svclevel reads (its keys: hello)" in run.stderr


def test_metrics_without_their_tickets_are_refused() -> None:
    run = run_cli("measure", str(EXPORTS / "harbor-lane-zendesk-ticket-metrics.json"))
    assert run.exit_code == 2
    assert "give the tickets export too" in run.stderr


def test_a_bad_record_of_a_zendesk_export_is_named_by_its_place(tmp_path: Path) -> None:
    tickets = json.loads((EXPORTS / "harbor-lane-zendesk-tickets.json").read_text())
    tickets["tickets"][3]["created_at"] = "2026-07-01 10:00"
    path = tmp_path / "tickets.json"
    path.write_text(json.dumps(tickets), encoding="utf-8")
    metrics = str(EXPORTS / "harbor-lane-zendesk-ticket-metrics.json")
    run = run_cli("measure", str(path), metrics)
    assert run.exit_code == 2
    ident = tickets["tickets"][3]["id"]
    assert f"{path}: tickets[3] (id {ident}): '2026-07-01 10:00' has no time zone" in run.stderr


def test_measure_will_not_write_over_an_export(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    _csv(path, "submitted_at,survey,scale,score", "2026-07-01T12:00:00Z,csat,1-5,5")
    before = path.read_bytes()
    run = run_cli("measure", str(path), "-o", str(path))
    assert run.exit_code == 2
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2026-07-01"], "expected FROM..TO"),
        (["--period", "2026-09-30..2026-07-01"], "it ends before it starts"),
        (["--tz", "Mars/Olympus"], "not a time zone svclevel knows"),
        (["--system", "zendsk"], "unknown system; did you mean 'zendesk'?"),
    ],
)
def test_bad_options_are_usage_errors(args: list[str], message: str) -> None:
    run = run_cli("measure", *FILES, *args)
    assert run.exit_code == 2
    assert message in run.stderr
