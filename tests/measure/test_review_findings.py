"""Review of issue 18 (`svclevel measure`, assess on data): one failing test per finding, each
named for what a user expects. These tests fail until src/ is fixed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from tests.helpers import EXAMPLES, run_cli

TICKETS_HEADER = "id,created_at,first_reply_at,resolved_at,reopens,channel,status"
MEASURED = EXAMPLES / "measured" / "harbor-lane-q3.yaml"
Q3 = EXAMPLES / "harbor-lane-q3.yaml"


def _tickets_csv(path: Path, rows: list[str], header: str = TICKETS_HEADER) -> Path:
    path.write_text(header + "\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def _ticket_rows(n: int, *, start: int = 0, reply: str = "11:00:00Z") -> list[str]:
    return [
        f"{i},2026-07-01T10:00:00Z,2026-07-01T{reply},,0,email,solved"
        for i in range(start, start + n)
    ]


def _jsonl(path: Path, records: list[dict]) -> Path:  # type: ignore[type-arg]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _zticket(ident: int, channel: str = "email", score: str | None = None) -> dict:  # type: ignore[type-arg]
    record: dict = {  # type: ignore[type-arg]
        "id": ident,
        "created_at": "2026-07-01T10:00:00Z",
        "status": "solved",
        "via": {"channel": channel},
    }
    if score is not None:
        record["satisfaction_rating"] = {"score": score}
    return record


def _zmetric(ident: int, minutes: float = 60) -> dict:  # type: ignore[type-arg]
    return {"ticket_id": ident, "reply_time_in_minutes": {"calendar": minutes}, "reopens": 0}


def _measure(tmp_path: Path, *args: str) -> tuple[int, str, dict | None]:  # type: ignore[type-arg]
    out = tmp_path / "m.yaml"
    run = run_cli("measure", *args, "-o", str(out))
    data = yaml.safe_load(out.read_text(encoding="utf-8")) if out.exists() else None
    return run.exit_code, run.stderr, data


# --------------------------------------------------------------------------- wrong figures


def test_a_tickets_csv_with_a_duplicate_column_header_is_refused(tmp_path: Path) -> None:
    # Two created_at columns: svclevel silently read the last one and measured a median of
    # 4,355 hours instead of 1 hour.
    rows = [r + ",2026-01-01T00:00:00Z" for r in _ticket_rows(40)]
    path = _tickets_csv(tmp_path / "t.csv", rows, header=TICKETS_HEADER + ",created_at")
    code, err, data = _measure(tmp_path, str(path))
    assert code == 2, data
    assert "created_at" in err
    assert data is None


def test_a_non_finite_reply_time_in_json_lines_is_a_bad_record(tmp_path: Path) -> None:
    # Python's json accepts Infinity and NaN; a median of .inf hours was written.
    tickets = _jsonl(tmp_path / "t.jsonl", [_zticket(i) for i in range(40)])
    lines = [json.dumps(_zmetric(i, float("inf") if i < 25 else 60.0)) + "\n" for i in range(40)]
    metrics = tmp_path / "m.jsonl"
    metrics.write_text("".join(lines), encoding="utf-8")
    code, err, data = _measure(tmp_path, str(tickets), str(metrics))
    assert code == 2, data
    assert "m.jsonl:1:" in err


def test_retention_is_not_measured_from_orders_that_end_before_the_period(tmp_path: Path) -> None:
    # Orders exported up to June; the period is July-September: retention 0.0 % was reported
    # as a measured figure, with no warning.
    orders = tmp_path / "orders.csv"
    lines = ["customer_id,ordered_at"]
    for i in range(50):
        lines += [f"c{i},2025-07-01T10:00:00Z", f"c{i},2026-06-10T10:00:00Z"]
    orders.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tickets = _tickets_csv(tmp_path / "t.csv", _ticket_rows(40))
    code, err, data = _measure(
        tmp_path, str(tickets), str(orders), "--period", "2026-07-01..2026-09-30"
    )
    assert code == 0, err
    assert data is not None
    assert data["retention_pct"]["value"] is None
    assert "not_used" in data["retention_pct"]


def test_channel_filter_applies_to_zendesk_satisfaction_ratings_too(tmp_path: Path) -> None:
    # --channel email: 40 e-mail tickets rated good, 40 chat tickets rated bad; csat_pct
    # counted all 80 ratings (50 %) although the file says channels: [email].
    tickets = _jsonl(
        tmp_path / "t.jsonl",
        [_zticket(i, "email", "good") for i in range(40)]
        + [_zticket(i, "chat", "bad") for i in range(40, 80)],
    )
    metrics = _jsonl(tmp_path / "m.jsonl", [_zmetric(i) for i in range(80)])
    code, err, data = _measure(tmp_path, str(tickets), str(metrics), "--channel", "email")
    assert code == 0, err
    assert data is not None
    csat = data["csat_pct"]
    assert (csat["n"], csat["value"]) == (40, 100.0)


def test_a_ticket_listed_twice_is_counted_once_or_refused(tmp_path: Path) -> None:
    # Overlapping pages of an API export list each ticket twice: the tickets were counted
    # once (the second silently replaced the first) but their ratings twice (n = 80).
    records = [_zticket(i, score="good") for i in range(40)]
    tickets = _jsonl(tmp_path / "t.jsonl", records + records)
    metrics = _jsonl(tmp_path / "m.jsonl", [_zmetric(i) for i in range(40)])
    code, err, data = _measure(tmp_path, str(tickets), str(metrics))
    if code == 0:
        assert data is not None
        assert data["csat_pct"]["n"] == 40
        assert "twice" in err or "duplicate" in err
    else:
        assert code == 2
        assert "t.jsonl:41:" in err


# --------------------------------------------------------------------------- silent ignoring


def test_a_survey_export_with_no_response_in_the_period_is_said(tmp_path: Path) -> None:
    # 40 CSAT ratings, all in June; period July-September: csat_pct vanished from the file,
    # and nothing said that the survey export contributed nothing.
    survey = tmp_path / "csat.csv"
    survey.write_text(
        "submitted_at,survey,scale,score\n" + "2026-06-15T10:00:00Z,csat,1-5,5\n" * 40,
        encoding="utf-8",
    )
    tickets = _tickets_csv(tmp_path / "t.csv", _ticket_rows(40))
    code, err, data = _measure(
        tmp_path, str(tickets), str(survey), "--period", "2026-07-01..2026-09-30"
    )
    assert code == 0, err
    assert data is not None
    said = "csat_pct" in data or any("csat.csv" in w for w in data.get("warnings", []))
    assert said, data


def test_zendesk_metrics_in_the_tickets_file_are_not_ignored_silently(tmp_path: Path) -> None:
    # {"tickets": [...], "ticket_metrics": [...]} in one file: the metrics were ignored and the
    # message said "the ticket metrics export, which is not given".
    path = tmp_path / "both.json"
    path.write_text(
        json.dumps(
            {
                "tickets": [_zticket(i) for i in range(40)],
                "ticket_metrics": [_zmetric(i) for i in range(40)],
            }
        ),
        encoding="utf-8",
    )
    code, err, data = _measure(tmp_path, str(path))
    if code == 0:
        assert data is not None
        assert data["first_response_hours"]["value"] == 1.0
    else:
        assert code == 2
        assert "ticket_metrics" in err
        assert "which is not given" not in err


def test_the_measurement_file_unit_must_match_the_question(tmp_path: Path) -> None:
    # A measurement file saying first_response_hours is in '%' was used as hours.
    folder = tmp_path / "audit"
    (folder / "measured").mkdir(parents=True)
    text = MEASURED.read_text(encoding="utf-8")
    marker = "  value: 3.28\n  n: 2081\n"
    start = text.index(marker)
    unit_at = text.index("  unit: hours\n", start)
    text = text[:unit_at] + "  unit: '%'\n" + text[unit_at + len("  unit: hours\n") :]
    (folder / "measured" / MEASURED.name).write_text(text, encoding="utf-8")
    shutil.copy(Q3, folder / "q3.yaml")
    run = run_cli("assess", str(folder / "q3.yaml"), "-f", "json")
    assert run.exit_code == 2, run.stdout[:300]
    assert MEASURED.name in run.stderr


# --------------------------------------------------------------------------- privacy


def test_skipped_records_do_not_copy_cell_text_into_the_measurement_file(tmp_path: Path) -> None:
    # The file promises "No ... e-mail address ... is copied"; a bad cell skipped with
    # --skip-bad-rows was quoted in skipped_examples.
    rows = ["1,alice@example.com,,,0,email,solved", *_ticket_rows(39, start=2)]
    path = _tickets_csv(tmp_path / "t.csv", rows)
    code, err, _ = _measure(tmp_path, str(path), "--skip-bad-rows")
    assert code == 0, err
    assert "alice@example.com" not in (tmp_path / "m.yaml").read_text(encoding="utf-8")


def test_an_error_message_does_not_quote_a_huge_cell_in_full(tmp_path: Path) -> None:
    # A 100,000-character cell in the first-reply column was printed whole on stderr.
    rows = _ticket_rows(40)
    rows[5] = '99,2026-07-01T10:00:00Z,"' + "x" * 100_000 + '",,0,email,solved'
    path = _tickets_csv(tmp_path / "t.csv", rows)
    code, err, _ = _measure(tmp_path, str(path))
    assert code == 2
    assert "t.csv:7:" in err
    assert len(err) < 2_000


# --------------------------------------------------------------------------- schema


def test_the_answers_schema_allows_measurements() -> None:
    # `svclevel schema answers` (and the schema `init` writes for editors) refused the
    # measurements: key of examples/harbor-lane-q3.yaml.
    run = run_cli("schema", "answers")
    assert run.exit_code == 0, run.stderr
    schema = json.loads(run.stdout)
    assert "measurements" in schema["properties"]


# --------------------------------------------------------------------------- messages


def test_a_header_only_tickets_csv_says_it_has_no_records(tmp_path: Path) -> None:
    # Said: "no period: retention compares the period with the twelve months before it",
    # though no orders were given; the file simply holds no ticket.
    path = _tickets_csv(tmp_path / "t.csv", [])
    code, err, _ = _measure(tmp_path, str(path))
    assert code == 2
    assert "retention" not in err
    assert "t.csv" in err


def test_measurements_option_naming_a_directory_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "audit"
    folder.mkdir()
    (folder / "dir.yaml").mkdir()
    data = yaml.safe_load(Q3.read_text(encoding="utf-8"))
    del data["measurements"]
    path = folder / "q3.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    run = run_cli("assess", str(path), "--measurements", str(folder / "dir.yaml"))
    assert run.exit_code == 2
    assert "no such file" not in run.stderr
    assert "directory" in run.stderr


def test_the_same_measurement_file_named_twice_is_not_a_conflict_with_itself(
    tmp_path: Path,
) -> None:
    # measurements: [measured/x.yaml] plus --measurements measured/x.yaml said
    # "first_response_hours is measured in both x.yaml and x.yaml".
    folder = tmp_path / "audit"
    (folder / "measured").mkdir(parents=True)
    shutil.copy(MEASURED, folder / "measured" / MEASURED.name)
    shutil.copy(Q3, folder / "q3.yaml")
    run = run_cli(
        "assess",
        str(folder / "q3.yaml"),
        "--measurements",
        str(folder / "measured" / MEASURED.name),
        "-f",
        "text",
    )
    assert "measured in both" not in run.stderr
    assert run.exit_code == 0, run.stderr


def test_a_bad_measurement_file_is_located_at_its_own_list_item(tmp_path: Path) -> None:
    folder = tmp_path / "audit"
    (folder / "measured").mkdir(parents=True)
    shutil.copy(MEASURED, folder / "measured" / MEASURED.name)
    text = Q3.read_text(encoding="utf-8").replace(
        "measurements: [measured/harbor-lane-q3.yaml]",
        "measurements:\n  - measured/harbor-lane-q3.yaml\n  - measured/missing.yaml",
    )
    path = folder / "q3.yaml"
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  - measured/missing.yaml") + 1
    run = run_cli("assess", str(path))
    assert run.exit_code == 2
    assert f"q3.yaml:{line}:" in run.stderr


def test_the_terminal_summary_does_not_print_python_none(tmp_path: Path) -> None:
    # 30 replied, 10 unreplied: the p90 falls among the unreplied; stderr said "p90 None".
    rows = _ticket_rows(30) + [f"{i},2026-07-01T10:00:00Z,,,0,email,open" for i in range(30, 40)]
    path = _tickets_csv(tmp_path / "t.csv", rows)
    code, err, _ = _measure(tmp_path, str(path))
    assert code == 0, err
    assert "None" not in err


# --------------------------------------------------------------------------- statistics


def test_the_nps_interval_is_not_zero_wide_when_every_response_is_a_promoter(
    tmp_path: Path,
) -> None:
    # 100 responses, all 10: "95 % interval 100 to 100" (a Wald interval collapses at the
    # extremes; the question bank itself says the margin at 100 responses is about ±12-20).
    survey = tmp_path / "nps.csv"
    survey.write_text(
        "submitted_at,survey,scale,score\n" + "2026-07-01T10:00:00Z,nps,0-10,10\n" * 100,
        encoding="utf-8",
    )
    code, err, data = _measure(tmp_path, str(survey))
    assert code == 0, err
    assert data is not None
    low, _high = data["nps"]["interval"]
    assert low < 100.0


# --------------------------------------------------------------------------- reports and pipeline


def _audit(tmp_path: Path, measured_text: str | None = None, **answers: object) -> Path:
    folder = tmp_path / "audit"
    (folder / "measured").mkdir(parents=True)
    target = folder / "measured" / MEASURED.name
    if measured_text is None:
        shutil.copy(MEASURED, target)
    else:
        target.write_text(measured_text, encoding="utf-8")
    data = yaml.safe_load(Q3.read_text(encoding="utf-8"))
    data["answers"].update(answers)
    path = folder / "q3.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def test_the_measurement_files_warnings_reach_the_assessment_report(tmp_path: Path) -> None:
    # `measure` writes warnings (good/bad ratings left out, tickets without metrics, unknown
    # channels) into the measurement file; `assess` parsed them and showed them nowhere.
    warning = "csat_pct: 212 good/bad ratings not used: the 1-5 survey is the measure"
    text = MEASURED.read_text(encoding="utf-8").rstrip("\n") + f"\nwarnings:\n- '{warning}'\n"
    path = _audit(tmp_path, text)
    run = run_cli("assess", str(path), "-f", "text")
    assert run.exit_code == 0, run.stderr
    assert "212 good/bad ratings not used" in run.stdout + run.stderr


def test_compare_says_a_typed_answer_differs_from_its_measurement(tmp_path: Path) -> None:
    # assess warns "csat_pct: the answer 95 % differs from the measured 88.1 %"; compare, on
    # the same file, used the same merged answers and said nothing.
    path = _audit(tmp_path, csat_pct={"value": 95, "evidence": "Survey, Q3."})
    run = run_cli("compare", str(path), "-f", "text")
    assert run.exit_code == 0, run.stderr
    assert "differs from the measured" in run.stdout + run.stderr


def test_a_non_utf8_byte_deep_in_a_csv_is_located(tmp_path: Path) -> None:
    # Said "not UTF-8 text (byte 651 of the file)" for a byte at 1,000,075, on line 20,002.
    head = "submitted_at,survey,scale,score,comment\n"
    body = "2026-07-01T10:00:00Z,csat,1-5,5,fine comment here\n" * 20_000
    raw = (head + body).encode() + "2026-07-01T10:00:00Z,csat,1-5,5,café\n".encode("latin-1")
    path = tmp_path / "csat.csv"
    path.write_bytes(raw)
    code, err, _ = _measure(tmp_path, str(path))
    assert code == 2
    where = raw.index(bytes([0xE9]))
    assert "csat.csv:20002:" in err or f"byte {where}" in err


def test_a_measured_figure_beyond_the_question_range_does_not_break_assess(
    tmp_path: Path,
) -> None:
    # A median first reply of 1,584 hours is measured and written without a word; assess then
    # refuses the measurement file (exit 2: "must be ≤ 720 hours"), so the audit cannot run.
    rows = [f"{i},2026-07-01T10:00:00Z,2026-09-05T10:00:00Z,,0,email,solved" for i in range(40)]
    tickets = _tickets_csv(tmp_path / "t.csv", rows)
    folder = tmp_path / "audit"
    (folder / "measured").mkdir(parents=True)
    out = folder / "measured" / MEASURED.name
    run = run_cli("measure", str(tickets), "--period", "2026-07-01..2026-09-30", "-o", str(out))
    assert run.exit_code == 0, run.stderr
    measured = yaml.safe_load(out.read_text(encoding="utf-8"))
    if measured["first_response_hours"]["value"] is None:
        return  # measure said it cannot be used: fine
    shutil.copy(Q3, folder / "q3.yaml")
    run = run_cli("assess", str(folder / "q3.yaml"), "-f", "summary")
    assert run.exit_code != 2, run.stdout + run.stderr


@pytest.mark.parametrize("form", ["csv", "json"])
def test_skip_bad_rows_does_not_drop_the_rest_of_the_file_as_one_record(
    tmp_path: Path, form: str
) -> None:
    # An unterminated quote (CSV) or a syntax error (a {"tickets": [...]} document) at record 5
    # of 65: with --skip-bad-rows the 60 records after it vanished, reported as "1 bad skipped".
    if form == "csv":
        lines = ["submitted_at,survey,scale,score,comment"]
        lines += ["2026-07-01T10:00:00Z,csat,1-5,5,ok"] * 4
        lines += ['2026-07-01T10:00:00Z,csat,1-5,5,"unterminated']
        lines += ["2026-07-01T10:00:00Z,csat,1-5,1,ok"] * 60
        path = tmp_path / "csat.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        records = [json.dumps(_zticket(i, score="good")) for i in range(65)]
        records[4] = records[4][:-1] + ",}"
        path = tmp_path / "tickets.json"
        path.write_text('{"tickets": [\n' + ",\n".join(records) + "\n]}", encoding="utf-8")
    code, err, data = _measure(tmp_path, str(path), "--skip-bad-rows")
    if code == 0:
        assert data is not None
        source = data["sources"][0]
        assert source["records"] + source.get("skipped", 0) >= 64, source
    else:
        assert code == 2
        assert path.name in err


def test_a_columns_option_naming_a_header_no_export_has_is_an_error(tmp_path: Path) -> None:
    # --columns reopens=Reopened on a file without that header: silently dropped, and the
    # resolution rate became "not used: 40 of 40 tickets have no reopen count".
    path = _tickets_csv(tmp_path / "t.csv", _ticket_rows(40))
    code, err, data = _measure(tmp_path, str(path), "--columns", "reopens=Reopened")
    assert code == 2, data
    assert "Reopened" in err


def test_the_summary_format_says_a_measured_figure_is_not_used(tmp_path: Path) -> None:
    # Every other format (and stderr with them) says "csat_pct: the measured figure is not
    # used (...); the question stays unanswered"; -f summary said only "1 measured".
    text = MEASURED.read_text(encoding="utf-8").replace(
        "  value: 88.1\n",
        "  value: null\n  not_used: 12 ratings; it is measured from at least 30\n",
        1,
    )
    path = _audit(tmp_path, text)
    run = run_cli("assess", str(path), "-f", "summary")
    assert run.exit_code == 0, run.stderr
    assert "not used" in run.stdout + run.stderr


def test_channel_values_that_are_e_mail_addresses_are_not_copied_into_the_file(
    tmp_path: Path,
) -> None:
    # --columns channel=requester (a slip, or a help desk whose "source" column holds the
    # sender): every customer's address became a by_channel key and a warning in the
    # "aggregates only" measurement file.
    rows = [
        f"{i},2026-07-01T10:00:00Z,2026-07-01T11:00:00Z,,0,user{i}@example.com,solved"
        for i in range(40)
    ]
    header = "id,created_at,first_reply_at,resolved_at,reopens,requester,status"
    path = _tickets_csv(tmp_path / "t.csv", rows, header=header)
    code, _err, _ = _measure(tmp_path, str(path), "--columns", "channel=requester")
    out = tmp_path / "m.yaml"
    if code == 0:
        assert "@example.com" not in out.read_text(encoding="utf-8")
    else:
        assert code == 2
        assert not out.exists()


def _evidence(tmp_path: Path, text: str, question_id: str) -> str:
    path = _audit(tmp_path, text)
    run = run_cli("assess", str(path), "-f", "json")
    assert run.exit_code == 0, run.stderr
    record = json.loads(run.stdout)
    for level in record["levels"]:
        for criterion in level["criteria"]:
            if criterion["question_id"] == question_id:
                return str(criterion["evidence"])
    raise AssertionError(question_id)


def test_a_measured_csat_says_which_scale_it_was_measured_on(tmp_path: Path) -> None:
    # The bank: a good/bad CSAT counts "only with the survey's scale named in the evidence, so
    # the reader can discount it". The generated evidence was the same for scale good/bad as
    # for 1-5 (the definition names both scales).
    text = MEASURED.read_text(encoding="utf-8")
    five = _evidence(tmp_path / "five", text, "csat_pct")
    good_bad = _evidence(tmp_path / "gb", text.replace("scale: 1-5", "scale: good/bad"), "csat_pct")
    assert five != good_bad


def test_a_measured_first_reply_gives_the_unreplied_count_in_its_evidence(
    tmp_path: Path,
) -> None:
    # The bank: "A contact with no reply ... stays in the median as the longest wait; give the
    # number of such contacts in the evidence." The measurement file has unreplied: 12; the
    # generated evidence did not say it.
    evidence = _evidence(tmp_path, MEASURED.read_text(encoding="utf-8"), "first_response_hours")
    assert "12" in evidence.replace("2,081", "")


def test_the_same_tickets_in_two_exports_are_not_counted_twice(tmp_path: Path) -> None:
    # A July export and a Q3 export given together (or one file copied): the 40 tickets, same
    # ids, were counted as 80 without a word.
    rows = _ticket_rows(40)
    first = _tickets_csv(tmp_path / "july.csv", rows)
    second = _tickets_csv(tmp_path / "q3.csv", rows)
    code, err, data = _measure(tmp_path, str(first), str(second))
    if code == 0:
        assert data is not None
        assert data["resolution_rate_pct"]["n"] == 40, err
    else:
        assert code == 2
        assert "q3.csv" in err


def test_a_utf16_csv_is_said_to_be_utf16(tmp_path: Path) -> None:
    # Excel's "Unicode text" export: the message listed the header as mojibake with NUL bytes.
    path = tmp_path / "csat.csv"
    path.write_bytes(
        "submitted_at,survey,scale,score\n2026-07-01T10:00:00Z,csat,1-5,5\n".encode("utf-16")
    )
    code, err, _ = _measure(tmp_path, str(path))
    assert code == 2
    assert "\x00" not in err
    assert "UTF-16" in err or "UTF-8" in err


def test_strict_measured_without_any_measurement_file_is_a_warning(tmp_path: Path) -> None:
    # --strict-measured on an answers file that names no measurement file changes nothing, and
    # nothing said so (as --exit-zero does: "changes nothing").
    folder = tmp_path / "audit"
    folder.mkdir()
    data = yaml.safe_load(Q3.read_text(encoding="utf-8"))
    del data["measurements"]
    path = folder / "q3.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    run = run_cli("assess", str(path), "--strict-measured", "-f", "text")
    assert run.exit_code == 0, run.stderr
    assert "--strict-measured" in run.stderr


def test_measure_options_not_acted_on_are_said(tmp_path: Path) -> None:
    # --system zendesk and --columns customer=Client with only a survey export: neither is
    # used, and nothing said so.
    survey = tmp_path / "csat.csv"
    survey.write_text(
        "submitted_at,survey,scale,score\n" + "2026-07-01T10:00:00Z,csat,1-5,5\n" * 40,
        encoding="utf-8",
    )
    code, err, _ = _measure(
        tmp_path, str(survey), "--system", "zendesk", "--columns", "customer=Client"
    )
    assert code in (0, 2)
    assert "--system" in err
    assert "Client" in err
