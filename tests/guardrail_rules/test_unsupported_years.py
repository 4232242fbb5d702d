"""A year, or a month and year, that no request field names is an unsupported fact: salvage
drops the sentence carrying it. Years the request names (in any field, even inside a
reference code) stay allowed, and a year inside a code the letter quotes is not a year."""

from __future__ import annotations

import pytest

import guardrails
from contract.models import DraftRequest
from service.salvage import salvage

RULE = "commitments.unsupported_fact"


def _request(**incident: str) -> DraftRequest:
    return DraftRequest.model_validate(
        {
            "recipient": {"name": "Tomas Berg"},
            "sender": {"name": "Ines", "organization": "Larchfield Bikes"},
            "incident": {
                "summary": "Your repaired e-bike was handed back with the rear brake unadjusted.",
                "reference": "LB-3317",
                "impact": "you had to walk it home from the shop",
                **incident,
            },
            "remedies": [
                {"kind": "service", "description": "a free brake check", "status": "offered"}
            ],
            "prevention": [{"description": "a second mechanic now tests every brake"}],
        }
    )


BIKE = _request()
_OPEN = (
    "Dear Tomas,\n\nThis is about your repair LB-3317. I'm sorry your repaired e-bike was "
    "handed back with the rear brake unadjusted, so you had to walk it home from the shop. "
    "That was our mistake. "
)
_END = (
    "We would like to offer you a free brake check. To help prevent this from happening "
    "again, a second mechanic now tests every brake.\n\nPlease reply to this email with any "
    "questions.\n\nBest regards,\nInes\nLarchfield Bikes"
)


def _letter(middle: str) -> str:
    return _OPEN + (middle + " " if middle else "") + _END


def _years_found(body: str, request: DraftRequest = BIKE) -> list[str]:
    report = guardrails.check(body, subject="Your e-bike repair", context=request)
    return [f.excerpt for f in report.findings if f.rule == RULE]


def test_the_base_letter_names_no_year_and_passes() -> None:
    report = guardrails.check(_letter(""), subject="Your e-bike repair", context=BIKE)
    assert [f for f in report.findings if f.severity == "error"] == []


@pytest.mark.parametrize(
    ("middle", "excerpt"),
    [
        ("Our workshop has fixed brakes since 2009.", "2009"),
        ("Larchfield Bikes, Oslo, August 2012: A Story of Spokes", "August 2012"),
        ("Back in 2019 we had the same trouble with another bike.", "2019"),
        ("Sept. 2021 was the last time this happened.", "Sept. 2021"),
    ],
)
def test_a_year_the_request_does_not_name_is_unsupported(middle: str, excerpt: str) -> None:
    assert _years_found(_letter(middle)) == [excerpt]


@pytest.mark.parametrize(
    ("middle", "named"),
    [
        # The year is the request's own: in the summary, the date, a reference code.
        (
            "Since 2009 we have never let this happen.",
            _request(summary="Our first brake slip since 2009: your bike left unadjusted."),
        ),
        ("This happened on your visit in May 2024.", _request(date="3 May 2024")),
        (
            "This is our first such slip in 2024.",
            _request(summary="Your e-bike (invoice INV-2024-118) came back with a loose brake."),
        ),
        (
            "You told us you have ridden with us since 2015.",
            _request(customer_message="I have been your customer since 2015!"),
        ),
    ],
)
def test_a_year_any_request_field_names_is_allowed(middle: str, named: DraftRequest) -> None:
    assert _years_found(_letter(middle), named) == []


@pytest.mark.parametrize(
    "middle",
    [
        # Not years: a code, a count, a time, a larger number, a date the rule reads whole.
        "Your invoice INV-2019-004 is cancelled.",
        "We serviced 2,015 bikes without a slip.",
        "Our shop opens at 20:15 on Fridays.",
        "Our model 12019 brake kit is fitted.",
        "There are 300 bikes in the queue.",
    ],
)
def test_near_misses_are_not_years(middle: str) -> None:
    found = _years_found(_letter(middle))
    assert not [e for e in found if e[-4:].isdigit() and e[-4:].startswith(("19", "20"))], found


def test_salvage_drops_the_sentence_with_the_year_and_keeps_the_rest() -> None:
    junk = "Larchfield Bikes, Oslo, August 2012: A Story of Spokes."
    body = _letter(junk)
    report = guardrails.check(body, subject="Your e-bike repair", context=BIKE)
    assert not report.passed
    edited = salvage("Your e-bike repair", body, report, BIKE, BIKE.channel)
    assert "2012" not in edited.body and "free brake check" in edited.body
    after = guardrails.check(edited.body, subject="Your e-bike repair", context=BIKE)
    assert [f.rule for f in after.findings if f.severity == "error"] == []
