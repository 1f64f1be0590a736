"""Intercom, HubSpot and Help Scout exports, in the list shapes their APIs document (field names
from the vendors' documentation; the values are made up)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from tests.helpers import run_cli

START = 1782864000  # 2026-07-01T00:00:00Z


def _measure(tmp_path: Path, data: dict[str, Any], *args: str) -> dict[str, Any]:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "m.yaml"
    run = run_cli("measure", str(path), "--period", "2026-07-01..2026-07-31", *args, "-o", str(out))
    assert run.exit_code == 0, run.stderr
    return yaml.safe_load(out.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _intercom(i: int, **changes: Any) -> dict[str, Any]:
    created = START + i * 3600
    record: dict[str, Any] = {
        "type": "conversation",
        "id": str(1000 + i),
        "created_at": created,
        "source": {"type": "email", "delivered_as": "customer_initiated", "subject": "Help"},
        "state": "closed",
        "statistics": {"first_admin_reply_at": created + 2 * 3600, "count_reopens": 0},
        "conversation_rating": {"rating": 5 if i % 4 else 2, "remark": "secret remark"},
    }
    record.update(changes)
    return record


def test_intercom_conversations(tmp_path: Path) -> None:
    conversations = [_intercom(i) for i in range(40)]
    conversations.append(_intercom(40, source={"type": "email", "delivered_as": "admin_initiated"}))
    conversations.append(_intercom(41, source={"type": "phone_call"}))
    conversations[0]["statistics"] = {"first_admin_reply_at": None, "count_reopens": 1}
    data = _measure(tmp_path, {"type": "conversation.list", "conversations": conversations})
    first = data["first_response_hours"]
    assert (first["value"], first["n"], first["unreplied"]) == (2.0, 40, 1)
    assert first["by_channel"]["phone_call"]["written"] is False
    resolution = data["resolution_rate_pct"]
    assert (resolution["n"], resolution["resolved"]) == (41, 40)  # the outbound one is no ticket
    assert data["csat_pct"]["n"] == 41
    assert data["csat_pct"]["positive"] == 31  # 1 in 4 rated 2, the rest 5
    assert data["sources"][0]["system"] == "intercom"
    assert "secret remark" not in (tmp_path / "m.yaml").read_text(encoding="utf-8")


def test_hubspot_tickets_have_no_reopen_count(tmp_path: Path) -> None:
    results = [
        {
            "id": str(3100 + i),
            "properties": {
                "createdate": f"2026-07-{1 + i % 28:02d}T09:00:00.000Z",
                "first_agent_reply_date": f"2026-07-{1 + i % 28:02d}T12:00:00.000Z",
                "closed_date": f"2026-07-{1 + i % 28:02d}T15:00:00.000Z",
                "source_type": "EMAIL",
                "subject": "Login fails",
            },
            "archived": False,
        }
        for i in range(35)
    ]
    data = _measure(tmp_path, {"results": results, "paging": {}})
    assert data["first_response_hours"]["value"] == 3.0
    assert data["resolution_rate_pct"]["value"] is None
    assert "reopen count" in data["resolution_rate_pct"]["not_used"]


def test_helpscout_first_reply_is_the_first_published_reply_by_a_user(tmp_path: Path) -> None:
    def conversation(i: int) -> dict[str, Any]:
        day = f"2026-07-{1 + i % 28:02d}"
        return {
            "id": 2891000 + i,
            "type": "email",
            "status": "closed",
            "state": "published",
            "createdAt": f"{day}T08:00:00Z",
            "_embedded": {
                "threads": [
                    {
                        "type": "note",
                        "createdBy": {"type": "user"},
                        "createdAt": f"{day}T08:30:00Z",
                    },
                    {
                        "type": "reply",
                        "createdBy": {"type": "user"},
                        "createdAt": f"{day}T12:00:00Z",
                    },
                    {
                        "type": "reply",
                        "createdBy": {"type": "user"},
                        "createdAt": f"{day}T09:00:00Z",
                    },
                    {
                        "type": "customer",
                        "createdBy": {"type": "customer"},
                        "createdAt": f"{day}T08:00:00Z",
                    },
                ]
            },
        }

    conversations = [conversation(i) for i in range(31)]
    conversations.append({**conversation(31), "status": "spam"})
    data = _measure(tmp_path, {"_embedded": {"conversations": conversations}, "page": {}})
    assert data["first_response_hours"]["value"] == 1.0  # the note does not count
    assert data["first_response_hours"]["n"] == 31  # spam is no ticket


def test_a_helpscout_export_without_threads_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "hs.json"
    path.write_text(
        json.dumps(
            {"_embedded": {"conversations": [{"id": 1, "createdAt": "2026-07-01T08:00:00Z"}]}}
        ),
        encoding="utf-8",
    )
    run = run_cli("measure", str(path))
    assert run.exit_code == 2
    assert (
        "_embedded.conversations[0] (id 1): _embedded.threads: missing (export with embed=threads)"
        in run.stderr
    )
