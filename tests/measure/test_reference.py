"""The reference computation itself, pinned on tiny hand-made exports whose figures are worked
out by hand (and, for the Wilson interval, on published values)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.measure.reference import (
    CSAT,
    METRICS,
    NPS,
    ORDERS,
    TICKETS,
    reference,
    wilson,
)

# (created_at, channel, status, reply minutes or None, reopens); None as the whole metrics
# part: the ticket has no metrics record.
Ticket = tuple[str, str, str, int | None, int]
JULY = "2026-07-10T09:00:00Z"


def write_tickets(
    folder: Path, tickets: list[Ticket], *, without_metrics: tuple[int, ...] = ()
) -> None:
    records = []
    metrics = []
    for number, (created, channel, status, reply, reopens) in enumerate(tickets, start=1):
        records.append(
            {
                "id": number,
                "created_at": created,
                "status": status,
                "via": {"channel": channel, "source": {"from": {}, "to": {}, "rel": None}},
                "satisfaction_rating": {"score": "unoffered"},
            }
        )
        if number not in without_metrics:
            metrics.append(
                {
                    "id": 1000 + number,
                    "ticket_id": number,
                    "reopens": reopens,
                    "reply_time_in_minutes": {"calendar": reply, "business": reply},
                }
            )
    body = {"tickets": records, "next_page": None, "previous_page": None, "count": len(records)}
    (folder / TICKETS).write_text(json.dumps(body), encoding="utf-8")
    body = {"ticket_metrics": metrics, "next_page": None, "previous_page": None}
    (folder / METRICS).write_text(json.dumps(body), encoding="utf-8")


def write_survey(folder: Path, name: str, scale: str, rows: list[tuple[str, str]]) -> None:
    survey = "csat" if name == CSAT else "nps"
    with (folder / name).open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["response_id", "submitted_at", "survey", "scale", "score", "comment"])
        for i, (submitted, score) in enumerate(rows):
            writer.writerow([f"r{i}", submitted, survey, scale, score, 'a "quoted",\ncomment'])


def write_orders(folder: Path, orders: list[tuple[str, str]]) -> None:
    with (folder / ORDERS).open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["order_id", "customer_id", "customer_email", "ordered_at", "total_eur"])
        for i, (customer, ordered) in enumerate(orders):
            writer.writerow([i, customer, f"{customer}@example.com", ordered, "10.00"])


def written(waits: list[int | None]) -> list[Ticket]:
    return [(JULY, "email", "solved", w, 0) for w in waits]


def test_an_unreplied_ticket_stays_in_the_median_as_the_longest_wait(tmp_path: Path) -> None:
    write_tickets(tmp_path, written([60, 180, None]))
    figure = reference(tmp_path)["first_response_hours"]
    assert (figure["value"], figure["n"], figure["unreplied"]) == (3.0, 3, 1)  # not 2.0
    assert figure["p90"] is None  # the 3rd of 3 values: the unreplied one


def test_a_ticket_without_a_metrics_record_is_unreplied(tmp_path: Path) -> None:
    write_tickets(tmp_path, written([60, 120, 30]), without_metrics=(2,))
    figure = reference(tmp_path)["first_response_hours"]
    assert (figure["value"], figure["unreplied"]) == (1.0, 1)


def test_an_even_n_takes_the_mean_of_the_middle_two(tmp_path: Path) -> None:
    write_tickets(tmp_path, written([240, 60, 180, 120]))
    assert reference(tmp_path)["first_response_hours"]["value"] == 2.5


def test_an_even_n_with_an_unreplied_ticket_in_the_middle_is_not_measurable(
    tmp_path: Path,
) -> None:
    write_tickets(tmp_path, written([60, 120, None, None]))
    figure = reference(tmp_path)["first_response_hours"]
    assert (figure["value"], figure["n"], figure["unreplied"]) == (None, 4, 2)


def test_an_even_n_with_an_unreplied_ticket_outside_the_middle_is(tmp_path: Path) -> None:
    write_tickets(tmp_path, written([60, 120, 180, None]))
    assert reference(tmp_path)["first_response_hours"]["value"] == 2.5


@pytest.mark.parametrize(
    ("n", "p90"),
    [(10, 9.0), (11, 10.0), (20, 18.0), (21, 19.0), (1, 1.0)],
)
def test_p90_is_the_nearest_rank(tmp_path: Path, n: int, p90: float) -> None:
    write_tickets(tmp_path, written([60 * h for h in range(n, 0, -1)]))  # 1..n hours
    assert reference(tmp_path)["first_response_hours"]["p90"] == p90


def test_live_channels_are_left_out_of_the_written_median_but_reported_apart(
    tmp_path: Path,
) -> None:
    tickets = [
        *written([60, 120, 180]),
        (JULY, "voice", "solved", 0, 0),
        (JULY, "voice", "solved", None, 0),
        (JULY, "chat", "solved", 2, 0),
        (JULY, "native_messaging", "solved", 30, 0),
    ]
    write_tickets(tmp_path, tickets)
    figure = reference(tmp_path)["first_response_hours"]
    assert (figure["value"], figure["n"], figure["unreplied"]) == (1.5, 4, 0)
    assert figure["channels"]["voice"] == {"value": None, "n": 2, "unreplied": 1, "p90": None}
    assert figure["channels"]["chat"] == {"value": 0.03, "n": 1, "unreplied": 0, "p90": 0.03}
    assert figure["channels"]["email"]["value"] == 2.0
    assert sorted(figure["channels"]) == ["chat", "email", "native_messaging", "voice"]


def test_fewer_than_30_written_tickets_are_insufficient(tmp_path: Path) -> None:
    write_tickets(tmp_path, [*written([60] * 29), (JULY, "voice", "solved", 0, 0)])
    assert reference(tmp_path)["first_response_hours"]["sufficient"] is False
    write_tickets(tmp_path, written([60] * 30))
    assert reference(tmp_path)["first_response_hours"]["sufficient"] is True


# Newcombe (1998), Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score).
@pytest.mark.parametrize(
    ("k", "n", "lo", "hi"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_the_published_values(k: int, n: int, lo: float, hi: float) -> None:
    low, high = wilson(k, n)
    assert (round(low, 4), round(high, 4)) == (lo, hi)


def test_a_proportion_carries_its_wilson_interval_in_percent(tmp_path: Path) -> None:
    write_survey(
        tmp_path,
        CSAT,
        "1-5",
        [("2026-07-03T14:05:00+02:00", "5")] * 81 + [("2026-07-03T14:05:00+02:00", "3")] * 182,
    )
    figure = reference(tmp_path)["csat_pct"]
    assert figure == {
        "value": 30.8,
        "n": 263,
        "positive": 81,
        "interval": [25.5, 36.6],
        "sufficient": True,
    }


def test_resolution_counts_solved_or_closed_never_reopened_over_every_ticket(
    tmp_path: Path,
) -> None:
    tickets: list[Ticket] = [
        (JULY, "email", "solved", 60, 0),
        (JULY, "voice", "closed", 0, 0),
        (JULY, "email", "closed", 60, 1),  # reopened once: not resolved
        (JULY, "web", "pending", 60, 0),
        (JULY, "chat", "open", 1, 0),
        (JULY, "web", "new", None, 0),
        (JULY, "web", "hold", 60, 0),
        (JULY, "api", "solved", None, 0),  # solved without a reply: resolved
    ]
    write_tickets(tmp_path, tickets)
    figure = reference(tmp_path)["resolution_rate_pct"]
    assert (figure["value"], figure["n"], figure["resolved"]) == (37.5, 8, 3)
    assert figure["sufficient"] is False


def test_csat_top_two_box_and_good_bad(tmp_path: Path) -> None:
    rows = [("2026-07-03T14:05:00+02:00", s) for s in ("5", "4", "3", "2", "1", "4", "5", "4")]
    write_survey(tmp_path, CSAT, "1-5", rows)
    assert reference(tmp_path)["csat_pct"]["value"] == 62.5  # 5 of 8
    rows = [("2026-07-03T14:05:00+02:00", s) for s in ("good", "bad", "good", "good")]
    write_survey(tmp_path, CSAT, "good/bad", rows)
    assert reference(tmp_path)["csat_pct"]["value"] == 75.0


def test_zendesk_ratings_count_and_offered_is_not_a_rating(tmp_path: Path) -> None:
    write_tickets(tmp_path, written([60, 60, 60, 60]))
    body = json.loads((tmp_path / TICKETS).read_text(encoding="utf-8"))
    for ticket, score in zip(body["tickets"], ("good", "bad", "offered", "unoffered"), strict=True):
        ticket["satisfaction_rating"] = {"score": score}
    (tmp_path / TICKETS).write_text(json.dumps(body), encoding="utf-8")
    assert reference(tmp_path)["csat_pct"]["value"] == 50.0
    assert reference(tmp_path)["csat_pct"]["n"] == 2


def test_nps_on_a_made_up_set(tmp_path: Path) -> None:
    scores = ["10", "10", "9", "8", "7", "6", "0", "9", "10", "3"]
    write_survey(tmp_path, NPS, "0-10", [("2026-09-10T10:00:00+02:00", s) for s in scores])
    figure = reference(tmp_path)["nps"]
    # 5 promoters, 3 detractors of 10: 50 - 30 = 20. The adjusted-Wald interval counts 5.75
    # and 3.75 of 13: centre 15.4, half-width 196 * sqrt((9.5/13 - (2/13)^2) / 13) = 45.7
    assert figure == {
        "value": 20.0,
        "n": 10,
        "promoters": 5,
        "detractors": 3,
        "interval": [-30.3, 61.1],
        "sufficient": False,
    }


def test_surveys_outside_the_period_are_left_out(tmp_path: Path) -> None:
    rows = [("2026-06-30T23:59:00+00:00", "0"), ("2026-10-01T00:30:00+02:00", "0")]
    rows += [("2026-07-01T00:30:00+00:00", "10"), ("2026-09-30T23:59:59-05:00", "3")]
    write_survey(tmp_path, NPS, "0-10", rows)
    # In UTC, 1 October 00:30 at +02:00 is still 30 September (in), 30 September 23:59 at
    # -05:00 is already 1 October (out): one promoter and one detractor.
    figure = reference(tmp_path)["nps"]
    assert (figure["n"], figure["promoters"], figure["detractors"]) == (2, 1, 1)


def test_retention_window_reaches_across_a_year_boundary(tmp_path: Path) -> None:
    orders = [
        ("before-window", "2024-12-31T12:00:00+01:00"),
        ("before-window", "2026-02-01T12:00:00+01:00"),
        ("first-day", "2025-01-01T12:00:00+01:00"),
        ("first-day", "2026-02-14T12:00:00+01:00"),
        ("last-day", "2025-12-31T12:00:00+01:00"),
        ("last-day", "2026-04-01T12:00:00+02:00"),
        ("new", "2026-03-31T12:00:00+02:00"),
    ]
    write_orders(tmp_path, orders)
    figure = reference(tmp_path, period=("2026-01-01", "2026-03-31"))["retention_pct"]
    assert figure["window"] == ["2025-01-01", "2025-12-31"]
    assert (figure["value"], figure["n"], figure["retained"]) == (50.0, 2, 1)


def test_retention_of_the_example_quarter_looks_back_to_july(tmp_path: Path) -> None:
    write_orders(tmp_path, [("a", "2025-07-01T09:00:00+02:00"), ("a", "2026-09-30T09:00:00+02:00")])
    figure = reference(tmp_path)["retention_pct"]
    assert figure["window"] == ["2025-07-01", "2026-06-30"]
    assert (figure["value"], figure["n"]) == (100.0, 1)


def test_retention_from_the_29th_of_february_looks_back_to_the_28th(tmp_path: Path) -> None:
    write_orders(tmp_path, [("a", "2027-02-28T09:00:00+01:00"), ("a", "2028-03-01T09:00:00+01:00")])
    figure = reference(tmp_path, period=("2028-02-29", "2028-05-31"))["retention_pct"]
    assert figure["window"] == ["2027-02-28", "2028-02-28"]
    assert figure["retained"] == 1


def test_the_time_zone_decides_the_day_of_a_record(tmp_path: Path) -> None:
    write_tickets(tmp_path, [("2026-06-30T23:30:00Z", "email", "solved", 60, 0)])
    in_berlin = reference(tmp_path, tz="Europe/Berlin")
    assert in_berlin["resolution_rate_pct"]["n"] == 1  # 01:30 on 1 July in Berlin
    assert in_berlin["first_response_hours"]["n"] == 1
    in_utc = reference(tmp_path, tz="UTC")
    assert in_utc["resolution_rate_pct"]["n"] == 0
    assert in_utc["first_response_hours"]["n"] == 0


def test_without_a_period_it_spans_the_ticket_and_survey_records(tmp_path: Path) -> None:
    write_tickets(tmp_path, [("2026-07-02T10:00:00Z", "email", "solved", 60, 0)])
    write_survey(tmp_path, CSAT, "1-5", [("2026-08-20T00:30:00+02:00", "5")])
    assert reference(tmp_path, period=None)["period"] == ["2026-07-02", "2026-08-19"]
    assert reference(tmp_path, period=None, tz="Europe/Berlin")["period"] == [
        "2026-07-02",
        "2026-08-20",
    ]


def test_a_missing_file_leaves_out_only_its_figures(tmp_path: Path) -> None:
    write_orders(tmp_path, [("a", "2025-07-01T09:00:00+02:00")])
    assert set(reference(tmp_path)) == {"period", "tz", "retention_pct"}
