"""A batch's recipients: one incident (a `DraftRequest`, the template) and, per recipient, the
few facts that differ — name, reference, amount, code … — as CSV rows or JSON objects.

Each recipient is a flat mapping from a column to a value. A column is either a short alias
(`name`, `reference`, `amount` …) or the dotted path of the template field it sets
(`recipient.name`, `incident.reference`, `remedies.1.code`, `channel` …). An empty value keeps
the template's. Unknown columns, or a remedy the incident does not have, reject the whole
batch (422 naming the column); a value that makes one recipient's request invalid fails only
that recipient, with the field named, and is listed among the results.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pydantic import ValidationError

from contract.models import DraftRequest
from service.errors import InvalidRequest
from service.http_errors import describe_validation

ALIASES: dict[str, str] = {
    "name": "recipient.name",
    "organization": "recipient.organization",
    "reference": "incident.reference",
    "impact": "incident.impact",
    "customer_message": "incident.customer_message",
    "amount": "remedies.0.amount",
    "code": "remedies.0.code",
}
"""Short column names for the facts that usually differ per recipient (`amount` and `code`
belong to the incident's first remedy)."""

ID_COLUMN = "id"
"""Optional: the caller's own key for the recipient (customer number, e-mail), echoed in the
results and never put in the letter."""

_PATH = re.compile(
    r"^(?:recipient\.(?:name|organization)"
    r"|incident\.(?:reference|impact|date|cause|customer_message)"
    r"|remedies\.(?P<remedy>\d)\.(?:amount|code|date|description|status)"
    r"|channel|tone|audience|liability|max_words)$"
)

MAX_CELL = 4000


def column_path(column: str) -> str | None:
    """The template path a column sets; None for the id column."""
    if column == ID_COLUMN:
        return None
    return ALIASES.get(column, column)


def check_columns(columns: Iterable[str], template: DraftRequest) -> None:
    """Reject the batch for a column that names nothing, or a remedy the incident lacks."""
    allowed = ", ".join([ID_COLUMN, *ALIASES, "or a path such as remedies.0.amount"])
    for column in columns:
        path = column_path(column)
        if path is None:
            continue
        match = _PATH.match(path)
        if match is None:
            raise InvalidRequest(
                f"recipients: unknown column {column!r}; use {allowed}",
                details=[{"field": f"recipients.{column}", "message": "unknown column"}],
            )
        remedy = match.group("remedy")
        if remedy is not None and int(remedy) >= len(template.remedies):
            raise InvalidRequest(
                f"recipients: column {column!r} sets remedy {remedy}, but the incident has "
                f"{len(template.remedies)} remedies; add it to the incident's remedies",
                details=[{"field": f"recipients.{column}", "message": "no such remedy"}],
            )


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node: Any = data
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    node[parts[-1]] = value


def merge(template: Mapping[str, Any], recipient: Mapping[str, Any]) -> dict[str, Any]:
    """The template's JSON with the recipient's non-empty values set at their paths."""
    data: dict[str, Any] = {
        **template,
        "recipient": dict(template.get("recipient") or {}),
        "incident": dict(template["incident"]),
        "remedies": [dict(r) for r in template.get("remedies") or []],
    }
    for column, value in recipient.items():
        path = column_path(column)
        if path is None or value is None or value == "":
            continue
        _set(data, path, value)
    return data


def recipient_request(
    template: Mapping[str, Any], recipient: Mapping[str, Any]
) -> DraftRequest | list[dict[str, str]]:
    """The recipient's own DraftRequest, or the validation errors that prevent it."""
    try:
        return DraftRequest.model_validate(merge(template, recipient))
    except ValidationError as exc:
        return describe_validation(list(exc.errors()))


def _cell(column: str, value: object, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InvalidRequest(
            f"recipients: {where} column {column!r} must be text or a number",
            details=[{"field": f"recipients.{column}", "message": "not text"}],
        )
    text = str(value).strip()
    if len(text) > MAX_CELL:
        raise InvalidRequest(
            f"recipients: {where} column {column!r} is longer than {MAX_CELL} characters",
            details=[{"field": f"recipients.{column}", "message": "too long"}],
        )
    return text or None


def from_json(rows: object, limit: int) -> list[dict[str, str | None]]:
    """Recipients given as a JSON list of flat objects."""
    if not isinstance(rows, list):
        raise InvalidRequest(
            "recipients: expected a list of objects",
            details=[{"field": "recipients", "message": "not a list"}],
        )
    _check_count(len(rows), limit)
    recipients: list[dict[str, str | None]] = []
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            raise InvalidRequest(
                f"recipients: item {index} is not an object",
                details=[{"field": f"recipients.{index}", "message": "not an object"}],
            )
        where = f"item {index}"
        recipients.append({str(k): _cell(str(k), v, where) for k, v in row.items()})
    return recipients


def from_csv(text: str, limit: int) -> list[dict[str, str | None]]:
    """Recipients given as CSV with a header row (UTF-8, an Excel BOM is ignored)."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise InvalidRequest(
            "recipients: the CSV has no header row",
            details=[{"field": "recipients", "message": "no header"}],
        )
    columns = [h.strip() for h in header]
    if len(set(columns)) != len(columns) or "" in columns:
        raise InvalidRequest(
            "recipients: the CSV header has an empty or repeated column",
            details=[{"field": "recipients", "message": "bad header"}],
        )
    recipients: list[dict[str, str | None]] = []
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(columns):
            raise InvalidRequest(
                f"recipients: CSV line {line} has {len(cells)} cells for {len(columns)} columns",
                details=[{"field": f"recipients.line {line}", "message": "too many cells"}],
            )
        _check_count(len(recipients) + 1, limit)
        where = f"CSV line {line}"
        # A short row leaves its last columns unset (the incident's values apply).
        pairs = zip(columns, cells, strict=False)
        recipients.append({column: _cell(column, cell, where) for column, cell in pairs})
    return recipients


def _check_count(count: int, limit: int) -> None:
    if count > limit:
        raise InvalidRequest(
            f"recipients: more than {limit} recipients in one batch; split it",
            details=[{"field": "recipients", "message": f"over {limit}"}],
        )


def columns_of(recipients: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    seen: set[str] = set()
    for recipient in recipients:
        for column in recipient:
            if column not in seen:
                seen.add(column)
                yield column
