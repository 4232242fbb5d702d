"""Per-recipient facts: columns, merging into the incident, CSV and JSON input, and the errors
that reject a whole batch versus those that fail one recipient."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from contract.models import DraftRequest
from service.batches import recipients as parse
from service.batches.cli import BatchInputError, load_inputs
from service.errors import InvalidRequest


@pytest.fixture
def template(northwind_request: DraftRequest) -> DraftRequest:
    return northwind_request


def _json(template: DraftRequest) -> dict[str, Any]:
    return template.model_dump(mode="json")


def test_aliases_and_paths_set_the_recipients_facts(template: DraftRequest) -> None:
    row = {
        "id": "cust-17",
        "name": "Ada Brook",
        "reference": "NW-90001",
        "amount": "$20.00",
        "remedies.1.code": "SORRY20",
        "channel": "sms",
    }
    request = parse.recipient_request(_json(template), row)
    assert isinstance(request, DraftRequest)
    assert request.recipient.name == "Ada Brook"
    assert request.incident.reference == "NW-90001"
    assert request.remedies[0].amount == "$20.00"
    assert request.remedies[1].code == "SORRY20"
    assert request.channel == "sms"
    # What the recipient does not set stays the incident's, and the template is untouched.
    assert request.incident.summary == template.incident.summary
    assert request.remedies[0].description == template.remedies[0].description
    assert template.remedies[0].amount == "$14.95" and template.channel == "email"


def test_an_empty_value_keeps_the_incidents_value(template: DraftRequest) -> None:
    request = parse.recipient_request(_json(template), {"name": "Ada", "amount": None})
    assert isinstance(request, DraftRequest)
    assert request.remedies[0].amount == "$14.95"


def test_a_bad_value_fails_that_recipient_naming_the_field(template: DraftRequest) -> None:
    errors = parse.recipient_request(_json(template), {"channel": "fax", "name": "x" * 300})
    assert isinstance(errors, list)
    assert {e["field"] for e in errors} == {"channel", "recipient.name"}


@pytest.mark.parametrize(
    ("column", "message"),
    [
        ("emial", "unknown column 'emial'"),
        ("incident.summary.extra", "unknown column"),
        ("sender.name", "unknown column"),
        ("remedies.2.amount", "the incident has 2 remedies"),
    ],
)
def test_a_column_that_names_nothing_rejects_the_batch(
    template: DraftRequest, column: str, message: str
) -> None:
    with pytest.raises(InvalidRequest) as caught:
        parse.check_columns(["name", column], template)
    assert message in caught.value.message
    assert caught.value.details[0]["field"] == f"recipients.{column}"


def test_csv_with_a_bom_blank_lines_and_quoted_commas() -> None:
    text = '\ufeffid,name,amount\n1,"Brook, Ada",$5\n\n2,Cy,\n'
    rows = parse.from_csv(text, limit=10)
    assert rows == [
        {"id": "1", "name": "Brook, Ada", "amount": "$5"},
        {"id": "2", "name": "Cy", "amount": None},
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no header"),
        ("name,name\nA,B\n", "empty or repeated column"),
        ("name\nA,B\n", "CSV line 2 has 2 cells for 1 columns"),
        ("name\n", "a header but no recipient rows"),
        ('name\n"Ann\n', "cannot be read at line"),
    ],
)
def test_bad_csv_is_rejected_naming_the_problem(text: str, message: str) -> None:
    with pytest.raises(parse.InvalidRecipientsCSV) as caught:
        parse.from_csv(text, limit=3)
    assert message in caught.value.message


def test_too_many_recipients_is_its_own_error_in_either_form() -> None:
    with pytest.raises(parse.TooManyRecipients, match="more than 3 recipients"):
        parse.from_csv("name\n" + "A\n" * 4, limit=3)
    with pytest.raises(parse.TooManyRecipients, match="more than 3 recipients"):
        parse.from_json([{"name": "A"}] * 4, limit=3)
    assert len(parse.from_csv("name\n" + "A\n" * 3, limit=3)) == 3


def test_the_documented_column_pattern_admits_exactly_the_columns_the_parser_accepts(
    template: DraftRequest,
) -> None:
    pattern = re.compile(parse.COLUMN_PATTERN)
    assert len(template.remedies) >= 2
    for column in ["id", "name", "amount", "code", "remedies.1.code", "incident.date", "tone"]:
        assert pattern.match(column), column
        parse.check_columns([column], template)
    for column in ["nmae", "remedies.10.code", "incident.summary", "recipient.email", "id.x"]:
        assert not pattern.match(column), column
        with pytest.raises(InvalidRequest, match="unknown column"):
            parse.check_columns([column], template)


def test_json_recipients_accept_numbers_and_reject_nested_values() -> None:
    assert parse.from_json([{"name": "A", "amount": 12.5, "code": None}], limit=5) == [
        {"name": "A", "amount": "12.5", "code": None}
    ]
    with pytest.raises(InvalidRequest, match="must be text or a number"):
        parse.from_json([{"name": {"first": "A"}}], limit=5)
    with pytest.raises(InvalidRequest, match="expected a list"):
        parse.from_json({"name": "A"}, limit=5)
    with pytest.raises(InvalidRequest, match="item 1 is not an object"):
        parse.from_json([{"name": "A"}, "B"], limit=5)


@pytest.mark.parametrize(
    ("csv_text", "limit", "words"),
    [
        ("name\nA\nB\n", 1, "more than 1 recipients"),
        ("name,refrence\nA,B\n", 5, "unknown column 'refrence'"),
        ("name\n", 5, "no recipient rows"),
        ("name,reference\nA,B,C\n", 5, "CSV line 2 has 3 cells"),
        ("name,remedies.7.code\nA,B\n", 5, "sets remedy 7"),
    ],
)
def test_amends_batch_names_the_file_and_the_problem_of_bad_input(
    tmp_path: Path, template: DraftRequest, csv_text: str, limit: int, words: str
) -> None:
    incident = tmp_path / "incident.json"
    incident.write_text(template.model_dump_json(), encoding="utf-8")
    recipients = tmp_path / "recipients.csv"
    recipients.write_text(csv_text, encoding="utf-8")
    with pytest.raises(BatchInputError) as caught:
        load_inputs(str(incident), str(recipients), limit)
    assert str(caught.value).startswith(f"{recipients}: ") and words in str(caught.value)
