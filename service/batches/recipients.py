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
from service.errors import AmendsError, InvalidRequest
from service.http_errors import describe_validation


class InvalidRecipientsCSV(InvalidRequest):
    """The CSV text cannot be read as recipients (no header, a repeated or unknown column, a
    row with more cells than columns, no rows). Its own code: CSV is free text to a JSON
    schema, so the OpenAPI document cannot say in advance which CSV is readable."""

    code = "invalid_recipients_csv"


class NoSuchRemedy(InvalidRequest):
    """A recipient column sets a remedy the incident does not have: a constraint between the
    recipients and the incident that a JSON schema cannot state."""

    code = "no_such_remedy"


class TooManyRecipients(AmendsError):
    status, code = 413, "too_many_recipients"


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

_PATHS = (
    r"recipient\.(?:name|organization)"
    r"|incident\.(?:reference|impact|date|cause|customer_message)"
    r"|remedies\.(?P<remedy>\d)\.(?:amount|code|date|description|status)"
    r"|channel|tone|audience|liability|max_words"
)
_PATH = re.compile(f"^(?:{_PATHS})$")

COLUMN_PATTERN = "^(?:{})$".format(
    "|".join([ID_COLUMN, *ALIASES, _PATHS.replace("?P<remedy>", "")])
)
"""Every column a recipient may have, as a JSON-schema (ECMA) pattern for the API document."""

MAX_CELL = 4000


def column_path(column: str) -> str | None:
    """The template path a column sets; None for the id column."""
    if column == ID_COLUMN:
        return None
    return ALIASES.get(column, column)


def check_columns(
    columns: Iterable[str], template: DraftRequest, *, error: type[InvalidRequest] = InvalidRequest
) -> None:
    """Reject the batch for a column that names nothing (`error`), or a remedy the incident
    lacks (`NoSuchRemedy`)."""
    allowed = ", ".join([ID_COLUMN, *ALIASES, "or a path such as remedies.0.amount"])
    for column in columns:
        path = column_path(column)
        if path is None:
            continue
        match = _PATH.match(path)
        if match is None:
            raise error(
                f"recipients: unknown column {column!r}; use {allowed}",
                details=[{"field": f"recipients.{column}", "message": "unknown column"}],
            )
        remedy = match.group("remedy")
        if remedy is not None and int(remedy) >= len(template.remedies):
            raise NoSuchRemedy(
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


MAX_NUMBER = 1e15
"""The largest magnitude a numeric cell may have (amounts, counts; never an identifier)."""


def _cell(
    column: str, value: object, where: str, error: type[InvalidRequest] = InvalidRequest
) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise error(
            f"recipients: {where} column {column!r} must be text or a number",
            details=[{"field": f"recipients.{column}", "message": "not text"}],
        )
    if not isinstance(value, str) and abs(value) > MAX_NUMBER:
        raise error(
            f"recipients: {where} column {column!r} is a number beyond ±{MAX_NUMBER:.0e}; "
            "send it as text",
            details=[{"field": f"recipients.{column}", "message": "number too large"}],
        )
    text = str(value)
    if len(text) > MAX_CELL:
        raise error(
            f"recipients: {where} column {column!r} is longer than {MAX_CELL} characters",
            details=[{"field": f"recipients.{column}", "message": "too long"}],
        )
    return text.strip() or None


def from_json(rows: object, limit: int) -> list[dict[str, str | None]]:
    """Recipients given as a JSON list of flat objects."""
    if not isinstance(rows, list):
        raise InvalidRequest(
            "recipients: expected a list of objects",
            details=[{"field": "recipients", "message": "not a list"}],
        )
    if not rows:
        raise InvalidRequest(
            "recipients: the batch has no recipients",
            details=[{"field": "recipients", "message": "empty"}],
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
        # A column name is read as the documented pattern reads it, whose `$` also matches
        # before one final newline.
        recipients.append(
            {str(k).removesuffix("\n"): _cell(str(k), v, where) for k, v in row.items()}
        )
    return recipients


def from_csv(text: str, limit: int) -> list[dict[str, str | None]]:
    """Recipients given as CSV with a header row (UTF-8, an Excel BOM is ignored)."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")), strict=True)
    try:
        return _csv_rows(reader, limit)
    except csv.Error as exc:
        raise InvalidRecipientsCSV(
            f"recipients: the CSV cannot be read at line {reader.line_num}: {exc}",
            details=[{"field": f"recipients.line {reader.line_num}", "message": "malformed"}],
        ) from exc


def _csv_rows(reader: Any, limit: int) -> list[dict[str, str | None]]:
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise InvalidRecipientsCSV(
            "recipients: the CSV has no header row",
            details=[{"field": "recipients", "message": "no header"}],
        )
    columns = [h.strip() for h in header]
    if len(set(columns)) != len(columns) or "" in columns:
        raise InvalidRecipientsCSV(
            "recipients: the CSV header has an empty or repeated column",
            details=[{"field": "recipients", "message": "bad header"}],
        )
    recipients: list[dict[str, str | None]] = []
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(columns):
            raise InvalidRecipientsCSV(
                f"recipients: CSV line {line} has {len(cells)} cells for {len(columns)} columns",
                details=[{"field": f"recipients.line {line}", "message": "too many cells"}],
            )
        _check_count(len(recipients) + 1, limit)
        where = f"CSV line {line}"
        # A short row leaves its last columns unset (the incident's values apply).
        pairs = zip(columns, cells, strict=False)
        recipients.append(
            {column: _cell(column, cell, where, InvalidRecipientsCSV) for column, cell in pairs}
        )
    if not recipients:
        raise InvalidRecipientsCSV(
            "recipients: the CSV has a header but no recipient rows",
            details=[{"field": "recipients", "message": "no rows"}],
        )
    return recipients


def _check_count(count: int, limit: int) -> None:
    if count > limit:
        raise TooManyRecipients(
            f"recipients: more than {limit} recipients in one batch; split it into batches "
            f"of at most {limit}",
            details=[{"field": "recipients", "message": f"over {limit}"}],
        )


def columns_of(recipients: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    seen: set[str] = set()
    for recipient in recipients:
        for column in recipient:
            if column not in seen:
                seen.add(column)
                yield column
