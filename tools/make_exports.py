"""Write a quarter of synthetic exports for Harbor Lane Kitchen Supply into examples/exports/.

Harbor Lane (examples/harbor-lane-shop.yaml) is a fictional online kitchenware shop in the EU
with 14 staff. It moved its help desk from Help Scout to Zendesk on 1 July 2026, and its consultant
audits the third quarter of 2026 (2026-07-01..2026-09-30) on data rather than on claims. This
script writes the five files that ``svclevel measure`` reads (in the formats of the measure spec):

- ``harbor-lane-zendesk-tickets.json`` and ``harbor-lane-zendesk-ticket-metrics.json``: the Zendesk
  Tickets and Ticket Metrics API list shapes, one metrics record per ticket, pulled on
  2026-10-01 at 08:00 UTC;
- ``harbor-lane-csat.csv``: the post-delivery survey (1-5), Harbor Lane's CSAT (Zendesk's own rating
  is switched off, so every ticket says ``unoffered``);
- ``harbor-lane-nps.csv``: the relationship survey (0-10) sent on 8 September 2026;
- ``harbor-lane-orders.csv``: the shop's orders from 2025-07-01 to 2026-09-30.

Why the numbers are what they are (all drawn from ``random.Random(SEED)``, so every run writes the
same bytes):

- Tickets: about 27 a day (fewer at weekends, more on Mondays, a bump in the courier strike of
  11-14 August), about 2,500 in the quarter. Channels: mostly e-mail and the contact form, some
  messaging, chat and phone (live channels only while the team is in), a few ``api`` tickets the
  shop system opens itself.
- First replies: the team works Monday to Friday 08:00-21:00 Berlin time and Saturday 09:00-15:00;
  a written ticket waits for the next shift, then for the queue (a log-normal wait, with one in
  sixteen slipping by a day or more). That gives a long tail and a median of about 3 hours on
  the written channels, slower at nights and weekends. About a dozen written tickets never got a
  public reply (a few the customer withdrew and an agent closed, two that fell through the
  cracks, the rest still new on the day of the pull).
- Outcomes: a few per cent still open, pending or on hold at the pull (mostly from the last
  fortnight), about 4 % reopened at least once: a resolution rate of about 90 %.
- Surveys: 604 CSAT answers over the quarter, 88 % of them 4 or 5; 388 NPS answers from the
  September survey, 55 % promoters and 14 % detractors (NPS about 41), as the shop's own answers
  file claims.
- Orders: about 3,000 a month (more around Black Friday and before Christmas) from about 24,000
  customers in the twelve months before the quarter; about a fifth of them order again in the
  quarter (more likely the more often they bought before), plus about 3,000 new customers. The
  answers file claims a retention of 38 %: the data says otherwise, which is the point of measuring.

Run from the repository root: ``python tools/make_exports.py [--out DIR]``. The output is committed.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

SEED = 20260701
BERLIN = ZoneInfo("Europe/Berlin")
Q3_FROM = date(2026, 7, 1)
Q3_TO = date(2026, 9, 30)
PULLED_AT = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
ZENDESK = "https://harborlane.zendesk.com/api/v2"
DAY = timedelta(days=1)

# The team's shifts and the Zendesk business schedule, in UTC (Berlin is UTC+2 all quarter):
# weekday -> (start hour, end hour).
SHIFTS = {0: (6, 19), 1: (6, 19), 2: (6, 19), 3: (6, 19), 4: (6, 19), 5: (7, 13)}
BUSINESS = {0: (6, 16), 1: (6, 16), 2: (6, 16), 3: (6, 16), 4: (6, 16)}

WEEKDAY_WEIGHT = (1.25, 1.1, 1.0, 1.0, 0.95, 0.55, 0.5)
# When customers write (UTC hours): quiet at night, busy in the morning and the evening.
_MORNING = (0.8, 0.5, 0.3, 0.2, 0.3, 0.8, 2.0, 3.5, 4.5, 4.8, 4.6, 4.2)  # 00-11 UTC
_AFTERNOON = (4.0, 4.0, 3.8, 3.6, 3.5, 3.7, 4.0, 3.8, 3.0, 2.2, 1.5, 1.1)  # 12-23 UTC
HOUR_WEIGHT = (*_MORNING, *_AFTERNOON)
WRITTEN_MIX = {"email": 0.50, "web": 0.34, "native_messaging": 0.13, "api": 0.03}
LIVE_MIX = {"chat": 0.075, "voice": 0.065}
# The queue after the next shift starts: median working minutes per channel.
QUEUE_MEDIAN = {"email": 75, "web": 70, "native_messaging": 25, "api": 135}
STRIKE = (date(2026, 8, 11), date(2026, 8, 14))
AGENTS = (
    20145698703,
    20145698711,
    20145698729,
    20145701337,
    20145701345,
    20145733021,
)

TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "order_status": (
        ("Where is my order {order}?", "Order {order} not arrived yet", "Tracking not updating"),
        (
            "I ordered the {product} a week ago and the tracking page has not moved since.",
            "Could you tell me when order {order} will arrive? It said 3-5 days.",
        ),
    ),
    "return": (
        ("Return request for order {order}", "How do I send back the {product}?"),
        (
            "The {product} is smaller than I expected. I would like to return it, please.",
            "I want to return one item of order {order}; can you send me a label?",
        ),
    ),
    "damaged": (
        ("{product} arrived damaged", "Broken item in order {order}"),
        (
            "The box was crushed and the {product} has a crack. Photos attached.",
            "The lid of the {product} is dented. What can you do?",
        ),
    ),
    "wrong_item": (
        ("Wrong item in order {order}", "I received the wrong {product}"),
        ("I ordered the 28 cm {product} and got the 24 cm one.",),
    ),
    "product_question": (
        ("Question about the {product}", "Is the {product} induction compatible?"),
        (
            "Does the {product} work on induction, and can it go in the oven?",
            "How should I season the {product} before the first use?",
            "Is the {product} dishwasher safe?",
        ),
    ),
    "invoice": (
        ("Invoice for order {order}", "VAT invoice needed"),
        ("Could you send an invoice with our company's VAT number for order {order}?",),
    ),
    "address_change": (
        ("Change delivery address for {order}", "Wrong address on my order"),
        ("I typed the wrong street number for order {order}. Can it still be changed?",),
    ),
    "discount": (
        ("Discount code not working", "Voucher question"),
        ("The code from your newsletter is refused at checkout. Order total was above 50 EUR.",),
    ),
}
PRODUCTS = (
    "cast-iron skillet",
    "enamelled Dutch oven",
    "chef's knife",
    "carbon-steel wok",
    "stockpot",
    "bread tin",
    "knife block",
    "sauté pan",
    "ceramic baking dish",
    "pepper mill",
)
# Comments by the kind of score they go with: (pleased, displeased).
CSAT_COMMENTS = (
    (
        "Fast delivery, well packed.",
        "Great pan, arrived a day early!",
        'The "care card" for the skillet is a lovely touch.',
        "Schnelle Lieferung, alles bestens. Danke!",
        "Très bien emballé, merci.",
        "Lid was dented; support sent a new one, thanks.",
        "Exactly as described.\nWill order again.",
        "Price, quality, speed: all good.",
    ),
    (
        "Good, but the box was far too big for one knife.",
        "Delivery took a week, product is fine.",
        "Courier left it at the neighbour's, without a note.",
        "Item was fine but the tracking link never worked.",
        'Ordered the 28 cm, got the 24 cm. Fixed, but "next day" took four days.',
        "Two e-mails about the return,\nno answer yet.",
    ),
)
NPS_COMMENTS = (
    (
        "Best kitchen shop I know.",
        "Good range, fair prices.",
        "I recommend you to friends all the time.",
        'Love the "recipe cards", keep them!',
        "Fine, nothing special.",
    ),
    (
        "Shipping costs are high for small orders.",
        "Nice people, slow answers by e-mail.",
        "Gute Auswahl, aber die Lieferung dauert.",
        "The returns were a hassle, two e-mails, no answer.",
    ),
)


def _weighted(rng: random.Random, table: dict[str, float]) -> str:
    keys = sorted(table)
    return rng.choices(keys, weights=[table[k] for k in keys])[0]


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += DAY


def _windows(
    start: datetime, table: dict[int, tuple[int, int]]
) -> Iterator[tuple[datetime, datetime]]:
    """The working windows of ``table`` from the day of ``start`` on (UTC)."""
    day = start.date()
    while True:
        hours = table.get(day.weekday())
        if hours is not None:
            base = datetime(day.year, day.month, day.day, tzinfo=UTC)
            yield base + timedelta(hours=hours[0]), base + timedelta(hours=hours[1])
        day += DAY


def _after_working_minutes(start: datetime, minutes: float) -> datetime:
    """The moment ``minutes`` of shift time after ``start``."""
    left = timedelta(minutes=minutes)
    for begin, end in _windows(start, SHIFTS):
        if end <= start:
            continue
        first = max(begin, start)
        if first + left <= end:
            return first + left
        left -= end - first
    raise AssertionError("unreachable")


def _business_minutes(start: datetime, end: datetime) -> int:
    """Minutes of the Zendesk business schedule between two moments."""
    total = timedelta()
    for begin, stop in _windows(start, BUSINESS):
        if begin >= end:
            break
        overlap = min(stop, end) - max(begin, start)
        if overlap > timedelta():
            total += overlap
    return int(total.total_seconds() // 60)


def _minutes(start: datetime, end: datetime | None) -> dict[str, int | None]:
    if end is None:
        return {"calendar": None, "business": None}
    calendar = int((end - start).total_seconds() // 60)
    return {"calendar": calendar, "business": _business_minutes(start, end)}


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _moment(rng: random.Random, day: date, hours: Sequence[float]) -> datetime:
    hour = rng.choices(range(24), weights=hours)[0]
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) + timedelta(
        seconds=rng.randrange(3600)
    )


def _in_shift(moment: datetime) -> bool:
    hours = SHIFTS.get(moment.weekday())
    return hours is not None and hours[0] <= moment.hour < hours[1]


def _ticket_times(rng: random.Random) -> list[datetime]:
    times: list[datetime] = []
    for day in _days(Q3_FROM, Q3_TO):
        mean = 26.5 * WEEKDAY_WEIGHT[day.weekday()]
        if STRIKE[0] <= day <= STRIKE[1]:
            mean *= 1.8
        count = max(0, round(rng.gauss(mean, math.sqrt(mean))))
        times.extend(_moment(rng, day, HOUR_WEIGHT) for _ in range(count))
    return sorted(times)


def _channel(rng: random.Random, created: datetime) -> str:
    table = dict(WRITTEN_MIX)
    if _in_shift(created):
        table |= LIVE_MIX
    return _weighted(rng, table)


def _subject_and_text(rng: random.Random, channel: str) -> tuple[str, str, str]:
    topic = rng.choice(sorted(TOPICS))
    subjects, texts = TOPICS[topic]
    fill = {"order": f"#{rng.randrange(118000, 131000)}", "product": rng.choice(PRODUCTS)}
    subject = rng.choice(subjects).format(**fill)
    subject = subject[0].upper() + subject[1:]
    text = rng.choice(texts).format(**fill)
    if channel == "voice":
        return topic, f"Call about: {subject}", f"Call summary: {text}"
    if channel == "chat":
        return topic, f"Chat: {subject}", text
    if channel == "native_messaging":
        return topic, f"Conversation with Web User {rng.randrange(16**6):06x}", text
    if channel == "api":
        order = fill["order"]
        if rng.random() < 0.5:
            return "payment", f"Payment failed for order {order}", "Shop system: payment declined."
        return "return", f"Returns portal: label requested for {order}", "Shop system: return."
    return topic, subject, text


@dataclass
class _Life:
    """What happened to one ticket up to the pull."""

    reply: datetime | None
    replies: int
    solved: datetime | None
    first_solved: datetime | None
    reopens: int
    status: str


def _life(rng: random.Random, created: datetime, channel: str, fate: str) -> _Life:
    if channel in LIVE_MIX:
        reply: datetime | None = created + timedelta(seconds=rng.randrange(20, 240))
        replies = rng.choice((1, 1, 1, 2))
        solved: datetime | None = created + timedelta(minutes=rng.lognormvariate(2.5, 0.6))
        if rng.random() < 0.25:  # needs a follow-up: a return label, a replacement
            solved = _after_working_minutes(created, rng.lognormvariate(math.log(300), 1.0))
    else:
        start = _after_working_minutes(created, 0)
        queue = rng.lognormvariate(math.log(QUEUE_MEDIAN[channel]), 1.0)
        if rng.random() < 1 / 16:
            queue += rng.lognormvariate(math.log(800), 0.8)
        reply = _after_working_minutes(start, queue)
        replies = rng.choice((1, 1, 2, 2, 2, 3, 4))
        solved = _after_working_minutes(reply, rng.lognormvariate(math.log(240), 1.2))
    reopens = 0
    if rng.random() < 0.05:
        reopens = 2 if rng.random() < 0.15 else 1
    life = _Life(reply, replies, solved, solved, reopens, "solved")
    if reopens and solved is not None:
        life.solved = _after_working_minutes(solved, rng.lognormvariate(math.log(2000), 0.7))
        life.replies += reopens
    if fate == "withdrawn":
        life.reply, life.replies = None, 0
    unseen = life.reply is not None and life.reply > PULLED_AT
    if fate == "forgotten" or unseen:
        return _Life(None, 0, None, None, 0, "new")
    assert life.solved is not None
    late = created > PULLED_AT - timedelta(days=14)
    if life.solved > PULLED_AT or rng.random() < (0.2 if late else 0.02):
        status = rng.choice(("pending", "pending", "open", "hold"))
        return _Life(life.reply, life.replies, None, None, 0, status)
    if life.solved + 4 * DAY <= PULLED_AT:
        life.status = "closed"
    return life


def _shape(calendar: int, share: float) -> dict[str, int]:
    return {"calendar": calendar, "business": round(calendar * share)}


def _tickets(rng: random.Random) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    times = _ticket_times(rng)
    requesters = [rng.randrange(10**12, 10**13) for _ in range(1900)]
    # The written tickets that never get a public reply, chosen by position: five the customer
    # withdrew (an agent solved them without a reply), two that fell through the cracks.
    written_slots = [i for i, t in enumerate(times) if t.date() < date(2026, 9, 1)]
    withdrawn = set(rng.sample(written_slots, 5))
    forgotten = set(rng.sample(sorted(set(written_slots) - withdrawn), 2))
    tickets: list[dict[str, Any]] = []
    metrics: list[dict[str, Any]] = []
    for number, created in enumerate(times, start=1):
        fate = "withdrawn" if number - 1 in withdrawn else ""
        fate = "forgotten" if number - 1 in forgotten else fate
        channel = _channel(rng, created)
        if fate and channel in LIVE_MIX:
            channel = "email"
        topic, subject, text = _subject_and_text(rng, channel)
        life = _life(rng, created, channel, fate)
        end = life.solved or PULLED_AT
        if life.status == "closed":
            assert life.solved is not None
            updated = life.solved + 4 * DAY
        elif life.solved is not None:
            updated = life.solved
        elif life.reply is not None:
            updated = life.reply + (PULLED_AT - life.reply) * rng.random()
        else:
            updated = created
        total = int((end - created).total_seconds() // 60)
        on_hold = agent_wait = 0
        if life.status == "hold" or (life.solved is not None and rng.random() < 0.03):
            on_hold = int(total * rng.uniform(0.2, 0.6))
        if life.status == "pending" or (life.solved is not None and rng.random() < 0.4):
            agent_wait = int(total * rng.uniform(0.1, 0.5))
        share = _business_minutes(created, end) / total if total else 0.0
        assignee = None if life.status == "new" else rng.choice(AGENTS)
        strike = topic == "order_status" and STRIKE[0] <= created.date() <= STRIKE[1]
        tickets.append(
            {
                "url": f"{ZENDESK}/tickets/{number}.json",
                "id": number,
                "created_at": _stamp(created),
                "updated_at": _stamp(updated),
                "type": rng.choices(
                    ("question", "incident", "problem", "task", None),
                    weights=(55, 30, 3, 2, 10),
                )[0],
                "subject": subject,
                "description": text,
                "priority": rng.choices(
                    (None, "low", "normal", "high", "urgent"), weights=(50, 5, 35, 8, 2)
                )[0],
                "status": life.status,
                "requester_id": rng.choice(requesters),
                "assignee_id": assignee,
                "tags": sorted({topic, channel} | ({"courier_strike"} if strike else set())),
                "via": {"channel": channel, "source": {"from": {}, "to": {}, "rel": None}},
                "satisfaction_rating": {"score": "unoffered"},
            }
        )
        metrics.append(
            {
                "url": f"{ZENDESK}/ticket_metrics/{36_400_000_000 + number}.json",
                "id": 36_400_000_000 + number,
                "ticket_id": number,
                "created_at": _stamp(created),
                "updated_at": _stamp(updated),
                "solved_at": None if life.solved is None else _stamp(life.solved),
                "reopens": life.reopens,
                "replies": life.replies,
                "reply_time_in_minutes": _minutes(created, life.reply),
                "first_resolution_time_in_minutes": _minutes(created, life.first_solved),
                "full_resolution_time_in_minutes": _minutes(created, life.solved),
                "agent_wait_time_in_minutes": _shape(agent_wait, share),
                "requester_wait_time_in_minutes": _shape(
                    max(0, total - agent_wait - on_hold), share
                ),
                "on_hold_time_in_minutes": _shape(on_hold, share),
            }
        )
    return tickets, metrics


def _response_id(rng: random.Random) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    return "R_" + "".join(rng.choice(alphabet) for _ in range(15))


def _survey(
    rng: random.Random,
    *,
    survey: str,
    scale: str,
    scores: list[int],
    days: list[date],
    day_weights: list[float],
    pleased_from: int,
    comments: tuple[tuple[str, ...], tuple[str, ...]],
) -> list[list[str]]:
    rng.shuffle(scores)
    rows: list[tuple[datetime, list[str]]] = []
    for score in scores:
        day = rng.choices(days, weights=day_weights)[0]
        local = datetime(day.year, day.month, day.day, rng.randrange(7, 23), tzinfo=BERLIN)
        local += timedelta(seconds=rng.randrange(3600))
        kind = comments[0] if score >= pleased_from else comments[1]
        comment = rng.choice(kind) if rng.random() < 0.4 else ""
        rows.append((local, [survey, scale, str(score), comment]))
    rows.sort(key=lambda r: r[0])
    return [[_response_id(rng), local.isoformat(), *rest] for local, rest in rows]


def _csat(rng: random.Random) -> list[list[str]]:
    # 604 answers, 532 of them 4 or 5 (88.1 %).
    scores = [5] * 411 + [4] * 121 + [3] * 36 + [2] * 18 + [1] * 18
    days = list(_days(Q3_FROM, Q3_TO))
    weights = [WEEKDAY_WEIGHT[(d.weekday() + 2) % 7] for d in days]  # two days after delivery
    return _survey(
        rng,
        survey="csat",
        scale="1-5",
        scores=scores,
        days=days,
        day_weights=weights,
        pleased_from=4,
        comments=CSAT_COMMENTS,
    )


def _nps(rng: random.Random) -> list[list[str]]:
    # 388 answers: 213 promoters (54.9 %), 121 passives, 54 detractors (13.9 %).
    scores = [10] * 136 + [9] * 77 + [8] * 66 + [7] * 55
    scores += [6] * 19 + [5] * 12 + [4] * 8 + [3] * 6 + [2] * 4 + [1] * 2 + [0] * 3
    days = list(_days(date(2026, 9, 8), Q3_TO))
    weights = [0.8**i for i in range(len(days))]  # most answer in the first days
    return _survey(
        rng,
        survey="nps",
        scale="0-10",
        scores=scores,
        days=days,
        day_weights=weights,
        pleased_from=7,
        comments=NPS_COMMENTS,
    )


def _season(day: date) -> float:
    weight = (1.0, 0.95, 0.95, 1.0, 1.0, 0.9, 1.05)[day.weekday()]
    if day.month == 11 and day.day >= 20:
        weight *= 1.7  # Black Friday week
    elif day.month == 12 and day.day <= 20:
        weight *= 1.5
    elif day.month in (1, 2):
        weight *= 0.8
    elif day.month in (7, 8):
        weight *= 0.92
    return weight


def _orders(rng: random.Random) -> list[list[str]]:
    prior = list(_days(date(2025, 7, 1), date(2026, 6, 30)))
    prior_weights = [_season(d) for d in prior]
    quarter = list(_days(Q3_FROM, Q3_TO))
    quarter_weights = [_season(d) for d in quarter]
    # Local shopping hours (Berlin): evenings are busiest.
    hours = [0.4, 0.2, 0.1, 0.1, 0.1, 0.2, 0.6, 1.2, 1.8, 2.2, 2.4, 2.5]
    hours += [2.6, 2.5, 2.4, 2.4, 2.5, 2.8, 3.2, 3.6, 3.8, 3.4, 2.4, 1.2]
    ids = rng.sample(range(100000, 1000000), 28000)
    orders: list[tuple[datetime, int]] = []

    def place(customer: int, days: list[date], weights: list[float], count: int) -> None:
        for day in rng.choices(days, weights=weights, k=count):
            hour = rng.choices(range(24), weights=hours)[0]
            local = datetime(day.year, day.month, day.day, hour, tzinfo=BERLIN)
            orders.append((local + timedelta(seconds=rng.randrange(3600)), customer))

    for customer in ids[:24000]:
        count = rng.choices((1, 2, 3, 4, 5), weights=(72, 17, 7, 3, 1))[0]
        place(customer, prior, prior_weights, count)
        chance = {1: 0.14, 2: 0.29}.get(count, 0.45)
        if rng.random() < chance:
            place(customer, quarter, quarter_weights, rng.choices((1, 2), weights=(85, 15))[0])
    for customer in ids[24000:27100]:
        place(customer, quarter, quarter_weights, rng.choices((1, 2), weights=(94, 6))[0])
    orders.sort()
    rows = []
    for number, (local, customer) in enumerate(orders, start=118001):
        total = min(900.0, max(6.9, rng.lognormvariate(math.log(46), 0.7)))
        rows.append(
            [
                str(number),
                str(customer),
                f"c{customer}@example.com",
                local.isoformat(),
                f"{total:.2f}",
            ]
        )
    return rows


def _write_json(path: Path, key: str, records: list[dict[str, Any]]) -> None:
    body = {key: records, "next_page": None, "previous_page": None, "count": len(records)}
    with path.open("w", encoding="utf-8", newline="\n") as out:
        json.dump(body, out, ensure_ascii=False, indent=1)
        out.write("\n")


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=Path("examples/exports"), help="target folder")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)  # noqa: S311 - synthetic data, not security
    tickets, metrics = _tickets(rng)
    _write_json(out / "harbor-lane-zendesk-tickets.json", "tickets", tickets)
    _write_json(out / "harbor-lane-zendesk-ticket-metrics.json", "ticket_metrics", metrics)
    header = ["response_id", "submitted_at", "survey", "scale", "score", "comment"]
    _write_csv(out / "harbor-lane-csat.csv", header, _csat(rng))
    _write_csv(out / "harbor-lane-nps.csv", header, _nps(rng))
    orders_header = ["order_id", "customer_id", "customer_email", "ordered_at", "total_eur"]
    _write_csv(out / "harbor-lane-orders.csv", orders_header, _orders(rng))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
