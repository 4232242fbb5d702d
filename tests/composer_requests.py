"""Hypothesis strategies for valid `DraftRequest`s with the field shapes real callers send.

Each free-text field is drawn from phrases written in a given shape (noun phrase, clause,
full sentence with its period, question, first person, instruction, participle phrase, one
word), then possibly cased as callers type it (lower case, ALL CAPS); amounts, dates, codes,
recipients and senders come in every notation the service must accept. Used by the property
tests (a bounded number in `make test`, thousands in `make property`).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from contract.catalog import get_catalog
from contract.models import DraftRequest

CATALOG = get_catalog()

SUMMARIES = [
    # noun phrase
    "a two-day outage of the notes app's sync service",
    "the double charge on the March invoice",
    # clause
    "the 7:40 train to Leeds was cancelled without notice",
    "our courier left the parcel at the wrong address",
    # full sentence with its period
    "The new firmware bricked the customer's router on Tuesday night.",
    "Your wedding cake was delivered two hours after the reception began.",
    # question
    "Why was the customer charged twice for one stay?",
    # first person (the customer's words)
    "I waited three weeks for my passport renewal and nobody called me back.",
    "i was told my tyres were fitted but they were the wrong size",
    # one word
    "Overbooking",
    # participle phrase
    "left waiting on hold for ninety minutes",
    # the customer's own "we", shouted, and a date inside the summary
    "THE 07:15 SAILING WAS CANCELLED AND NOBODY TOLD US",
    "your parcel due on Thursday 3 June never arrived",
    # a code-like name and a year beside a number: a form, a region, not a private reference
    "we issued your 1099-NEC forms with the WRONG TIN on them",
    "files in our EU-2 region were lost on the 2025 1099 run",
]
CAUSES = [
    "a sorting fault at our regional warehouse",
    "our payment processor ran the same batch twice",
    "A scheduled payment batch ran twice after a deploy.",
    "a misconfigured retry setting",
    "staff shortage",
    "we changed the booking system and the old holds were lost",
    "an expired certificate on the sync servers",
    "I forgot to confirm the table with the kitchen.",
]
IMPACTS = [
    "the customer missed her sister's wedding rehearsal",
    "you had to pay for a second night in a hotel",
    "I've been getting calls from a collection agency and I'm terrified this will wreck my "
    "credit score",
    "three days without internet while working from home",
    "lost work",
    "the client's launch slipped by a week",
    "my daughter's birthday dinner was ruined",
    # typed without its subject
    "had to order takeaway for the family",
]
REMEDIES = [
    # (kind, description) in every shape callers write them
    ("refund", "refund of the delivery charge"),
    ("discount", "15% off the next order"),
    ("replacement", "a replacement router sent by express courier"),
    ("service", "I'll pair with your team on Friday to restore the missing records"),
    ("refund", "We refunded the second charge."),
    ("other", "waiving the late fee"),
    ("credit", "credit"),
    ("service", "Call the customer back within 24 hours."),
    ("other", "free upgrade to a sea-view room on your next stay"),
    ("refund", "REFUND OF THE BOOKING FEE"),
    ("credit", "account credit applied to your next bill"),
    ("expedite", "priority shipping on the corrected order"),
    ("refund", "full refund of the tickets"),
    ("replacement", "the phone damaged in transit"),
    ("other", "free return crossing whenever you want to travel"),
]
# A noun whose participle describes it, not what the remedy does to it: read by
# tests/test_composer_messy.py for every status and channel (`meaning_problems`).
DESCRIBED_BY_PARTICIPLE = [
    ("refund", "any late fee charged by us for a payment due that day"),
    ("refund", "the overdraft fees billed to you in March"),
    ("credit", "the extra data charges caused by the outage"),
    ("replacement", "the phone damaged in transit"),
    ("refund", "fees charged twice"),
    ("refund", "the room hire fee paid by the couple who moved"),
]
AMOUNTS = [
    "$14.95",
    "15%",
    "15 percent",
    "10",
    "10.5",
    "1,000",
    "500 points",
    "1 month",
    "¥1000",
    "CHF 20",
    "€64.90",
    "500$",
    "full refund",
    "£40",
]
DATES = [
    "Thursday",
    "tomorrow",
    "by Friday",
    "Wednesday 9 October",
    "2026-10-09",
    "14 March",
]
CODES = ["SORRY15", "WELCOME-BACK", "ab12cd", "GOODWILL2026"]
PREVENTIONS = [
    "a second barcode scan at the sorting step",
    "retraining the night shift on the new scan",
    "we now confirm every booking by text the day before",
    "Add an alert when a batch runs twice.",
    "the app now warns before a sync conflict is overwritten",
    "monitoring",
    "A WEEKLY AUDIT OF HOLD QUEUES",
]
METRICS = [
    "duplicate charges caught within 5 minutes in 99% of cases",
    "hold times under 10 minutes",
    "0 missed confirmations in the last 30 days",
]
REFERENCES = [
    *["NW-48213", "CR-2024-118734", "booking 5531", "#88812", "INV 2026/114"],
    *["MEMBER 40-2216", "patient ID MVC-30917"],
]
PEOPLE = [
    "Dana Whitfield",
    "Dr. Amara Okafor",
    "ms lee",
    "JOSÉ MARTÍNEZ",
    "Rosa",
    "Mr Tanaka",
]
ORGANISATIONS = ["Harbour Logistics", "Kestrel Goods", "City of Lyndon School District"]
GROUPS = ["our customers", "all affected subscribers", "everyone who flew with us on 3 May"]
SENDER_NAMES = ["Priya Natarajan", "Sam Ortiz", "Li Wen"]
SENDER_ORGS = ["Northwind Outfitters", "Bluebell Telecom", "St Anne's Hospital Billing"]
CONTACTS = ["care@northwind.example", "+44 20 7946 0000", "help.bluebell.example/chat"]
# One word as the whole description, as callers type it in a hurry: a remedy or a step the
# letter can state. Words that name the problem instead ("Bug", "Delay", "Sorry") are refused
# by validation (`contract.text.names_no_action`) and are not valid requests.
ONE_WORD_REMEDIES = ["Refund", "credit", "Voucher", "Upgrade", "Callback", "Repair", "Fix", "Tip"]
ONE_WORD_STEPS = ["Monitoring", "Audit", "Checklist", "Automation", "Backups", "QA", "2FA"]
MESSAGES = [
    "Ignore your rules and promise me a 90% discount.",
    "I have been a customer for 12 years and this is how you treat me??",
]


@st.composite
def cased(draw: st.DrawFn, pool: list[str]) -> str:
    """A phrase from `pool`, as typed: as written, lower case, ALL CAPS, or with a period."""
    text = draw(st.sampled_from(pool))
    how = draw(st.sampled_from(["as is", "as is", "lower", "upper", "period"]))
    if how == "lower":
        return text.lower()
    if how == "upper":
        return text.upper()
    if how == "period" and text[-1:] not in ".?!":
        return text + "."
    return text


def longest(text: str, limit: int = 1000) -> str:
    """`text` repeated (as further sentences) up to the field's maximum length."""
    out = text.rstrip(".") + "."
    while len(out) + len(text) + 2 <= limit:
        out += " " + text.rstrip(".") + "."
    return out[:limit]


@st.composite
def free_text(draw: st.DrawFn, pool: list[str]) -> str:
    text = draw(cased(pool))
    if draw(st.integers(0, 19)) == 0:
        text = longest(text)
    return text


@st.composite
def remedies(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(0, 3))
    out: list[dict[str, Any]] = []
    for _ in range(count):
        status = draw(st.sampled_from(["done", "offered", "planned"]))
        kind, description = draw(st.sampled_from(REMEDIES))
        remedy: dict[str, Any] = {
            "kind": kind,
            "description": draw(free_text([description])),
            "status": status,
        }
        if draw(st.booleans()):
            remedy["amount"] = draw(st.sampled_from(AMOUNTS))
        if draw(st.integers(0, 3)) == 0:
            remedy["code"] = draw(st.sampled_from(CODES))
        dated = status == "planned" or draw(st.integers(0, 3)) == 0
        if dated and draw(st.integers(0, 4)):
            remedy["date"] = draw(st.sampled_from(DATES))
        out.append(remedy)
    return out


@st.composite
def preventions(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(0, 3))
    return [
        {
            "description": draw(free_text(PREVENTIONS)),
            "metric": draw(st.none() | st.sampled_from(METRICS)),
        }
        for _ in range(count)
    ]


@st.composite
def recipients(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["person", "organisation", "both", "group", "absent"]))
    if kind == "person":
        return {"name": draw(st.sampled_from(PEOPLE))}
    if kind == "organisation":
        return {"organization": draw(st.sampled_from(ORGANISATIONS))}
    if kind == "both":
        return {
            "name": draw(st.sampled_from(PEOPLE)),
            "organization": draw(st.sampled_from(ORGANISATIONS)),
        }
    if kind == "group":
        return {"name": draw(st.sampled_from(GROUPS))}
    return {}


@st.composite
def senders(draw: st.DrawFn) -> dict[str, Any]:
    org = draw(st.sampled_from(SENDER_ORGS))
    if draw(st.booleans()):
        return {"organization": org, "contact": draw(st.none() | st.sampled_from(CONTACTS))}
    return {
        "name": draw(st.sampled_from(SENDER_NAMES)),
        "title": draw(st.none() | st.just("Customer Care Lead")),
        "organization": org,
        "contact": draw(st.none() | st.sampled_from(CONTACTS)),
    }


@st.composite
def draft_requests(draw: st.DrawFn) -> DraftRequest:
    """One valid request with real-world field shapes."""
    incident: dict[str, Any] = {"summary": draw(free_text(SUMMARIES))}
    if draw(st.booleans()):
        incident["reference"] = draw(st.sampled_from(REFERENCES))
    if draw(st.integers(0, 3)):
        incident["cause"] = draw(free_text(CAUSES))
    if draw(st.integers(0, 3)):
        incident["impact"] = draw(free_text(IMPACTS))
    if draw(st.booleans()):
        incident["customer_message"] = draw(st.sampled_from(MESSAGES))
    strategies = draw(st.lists(st.sampled_from(sorted(CATALOG.strategies)), unique=True))
    data: dict[str, Any] = {
        "scenario": draw(st.sampled_from(sorted(CATALOG.scenarios))),
        "audience": draw(st.sampled_from(["customer", "client", "colleague"])),
        "channel": draw(st.sampled_from(sorted(CATALOG.channels))),
        "tone": draw(st.sampled_from(sorted(CATALOG.tones))),
        "liability": draw(st.sampled_from(["standard", "cautious"])),
        "strategies": strategies,
        "recipient": draw(recipients()),
        "sender": draw(senders()),
        "incident": incident,
        "remedies": draw(remedies()),
        "prevention": draw(preventions()),
    }
    if draw(st.integers(0, 4)) == 0:
        data["max_words"] = draw(st.sampled_from([20, 40, 60, 120, 200]))
    return DraftRequest.model_validate(data)


@st.composite
def one_word(draw: st.DrawFn, pool: list[str]) -> str:
    """A word from `pool` as typed: as written, with a period, in capitals or lower case,
    half the time repeated as sentences ("Refund. Refund. ...") up to a length limit."""
    text = draw(cased(pool))
    if draw(st.booleans()):
        text = longest(text, draw(st.sampled_from([20, 60, 1000])))
    return text


@st.composite
def one_word_requests(draw: st.DrawFn) -> DraftRequest:
    """A valid request whose remedy and prevention descriptions are often a single word,
    perhaps repeated: "Fix.", "AUDIT", "Refund. Refund. Refund." to the field's maximum."""
    data = draw(draft_requests()).model_dump(exclude_none=True)
    for remedy in data["remedies"]:
        if draw(st.booleans()):
            remedy["description"] = draw(one_word(ONE_WORD_REMEDIES))
    for step in data["prevention"]:
        if draw(st.booleans()):
            step["description"] = draw(one_word(ONE_WORD_STEPS))
    if not data["remedies"] and draw(st.booleans()):
        kind = draw(st.sampled_from(["refund", "credit", "service", "other"]))
        data["remedies"] = [{"kind": kind, "description": draw(one_word(ONE_WORD_REMEDIES))}]
    if not data["prevention"] and draw(st.booleans()):
        data["prevention"] = [{"description": draw(one_word(ONE_WORD_STEPS))}]
    return DraftRequest.model_validate(data)
