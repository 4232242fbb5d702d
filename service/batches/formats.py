"""A batch's results as NDJSON (one JSON object per recipient) or CSV (one row per recipient),
produced line by line from the store."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from service.batches.store import ResultRow

CSV_COLUMNS = (
    "row",
    "id",
    "status",
    "draft_id",
    "name",
    "channel",
    "subject",
    "body",
    "passed",
    "errors",
    "warnings",
    "error_code",
    "error_message",
)


def result_object(row: ResultRow) -> dict[str, Any]:
    """One recipient's outcome: its row (1-based), the caller's id, and the letter or error."""
    draft = None
    if row.body is not None:
        draft = {
            "subject": row.subject,
            "body": row.body,
            "channel": row.channel,
            "tone": row.tone,
            "guardrails": row.report,
            "meta": row.meta,
        }
    return {
        "row": row.position + 1,
        "id": row.recipient.get("id"),
        "status": row.status,
        "draft_id": row.draft_id,
        "recipient": row.recipient,
        "draft": draft,
        "error": row.error,
    }


def ndjson_lines(rows: Iterable[ResultRow]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(result_object(row), ensure_ascii=False) + "\n"


def _csv_line(values: Iterable[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue()


def csv_lines(rows: Iterable[ResultRow]) -> Iterator[str]:
    yield _csv_line(CSV_COLUMNS)
    for row in rows:
        findings = (row.report or {}).get("findings", [])
        errors = sum(f.get("severity") == "error" for f in findings)
        error = row.error or {}
        yield _csv_line(
            (
                row.position + 1,
                row.recipient.get("id") or "",
                row.status,
                row.draft_id or "",
                row.recipient.get("name") or row.recipient.get("recipient.name") or "",
                row.channel or "",
                row.subject or "",
                row.body or "",
                "" if row.passed is None else str(row.passed).lower(),
                errors if row.report else "",
                len(findings) - errors if row.report else "",
                error.get("code", ""),
                error.get("message", ""),
            )
        )
