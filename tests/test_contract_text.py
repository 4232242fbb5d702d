"""The request contract at its edges: catalog keys as enums in the OpenAPI document, invisible
characters kept out of letters, and the document's text rule matching what is accepted."""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import AsyncIterator
from typing import Any

import httpx
import jsonschema_rs
import pytest

from contract.catalog import get_catalog
from contract.models import DraftRequest
from contract.text import INVISIBLE_RANGES, VISIBLE_PATTERN, remove_invisible
from service.app import create_app
from service.settings import Settings

RLO, LRI, PDI, ZWSP, TAG_A, SOFT_HYPHEN = (
    "\u202e",
    "\u2066",
    "\u2069",
    "\u200b",
    "\U000e0041",
    "\xad",
)


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(Settings(_env_file=None)))
    async with httpx.AsyncClient(transport=transport, base_url="http://amends.test") as test_client:
        yield test_client


@pytest.fixture
def northwind(northwind_request: DraftRequest) -> dict[str, Any]:
    return northwind_request.model_dump(mode="json")


def test_the_invisible_table_covers_every_control_format_and_surrogate_code_point() -> None:
    covered = {code for start, end in INVISIBLE_RANGES for code in range(start, end + 1)}
    missing = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in ("Cc", "Cf", "Cs")
        and chr(code) not in "\t\n\r"
        and code not in covered
    ]
    assert missing == [], f"Unicode {unicodedata.unidata_version} has new invisible characters"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (f"Order {RLO}3184-KN{PDI} is late", "Order 3184-KN is late"),
        (f"re{ZWSP}fund", "refund"),
        (f"hidden{TAG_A}{TAG_A} text", "hidden text"),
        (f"co{SOFT_HYPHEN}operation\x00\x1b[31m", "cooperation[31m"),
        ("tabs\tand\nlines stay", "tabs\tand\nlines stay"),
        ("plain", "plain"),
    ],
)
def test_invisible_characters_are_removed(raw: str, clean: str) -> None:
    assert remove_invisible(raw) == clean


@pytest.mark.parametrize(
    ("text", "visible"),
    [
        ("a", True),
        (f"{ZWSP} x", True),
        ("\U0001f600", True),
        (" \t\n", False),
        (f"{RLO}{ZWSP}", False),
        ("\xa0", False),
        ("\x81", False),
    ],
)
def test_the_documented_pattern_is_the_rule_validation_applies(text: str, visible: bool) -> None:
    """Schema-valid (the pattern as a JSON Schema validator reads it) exactly when the model
    accepts the text."""
    schema = jsonschema_rs.validator_for({"type": "string", "pattern": VISIBLE_PATTERN})
    assert schema.is_valid(text) is visible
    data = {"incident": {"summary": text}}
    if visible:
        DraftRequest.model_validate(data)
    else:
        with pytest.raises(ValueError, match=r"incident\.summary"):
            DraftRequest.model_validate(data)


@pytest.mark.anyio
async def test_a_right_to_left_override_never_reaches_the_letter(
    client: httpx.AsyncClient, northwind: dict[str, Any]
) -> None:
    northwind["incident"]["summary"] = f"Your order {RLO}NW-48213{PDI} arrived nine days late."
    northwind["recipient"]["name"] = f"Dana{ZWSP} {LRI}Whitfield{PDI}"
    northwind["remedies"][1]["code"] = f"SORRY{TAG_A}15"
    response = await client.post("/v1/drafts", json=northwind)
    assert response.status_code == 200, response.text
    letter = response.json()
    text = (letter["subject"] or "") + letter["body"]
    assert not re.search(f"[{RLO}{LRI}{PDI}{ZWSP}{TAG_A}]", text)
    assert "SORRY15" in text and "Dana" in text


@pytest.mark.anyio
async def test_a_cause_of_one_non_ascii_letter_is_answered_not_a_500(
    client: httpx.AsyncClient,
) -> None:
    """Found by `make fuzz`: a cause of one accented letter ("Å") crashed the composer while
    it decided whether the cause reads as an instruction."""
    minimal = {"incident": {"summary": "bU", "cause": "\u00c5"}}
    response = await client.post("/v1/drafts", json=minimal)
    assert response.status_code in (200, 422), response.text


@pytest.mark.anyio
async def test_a_field_of_only_invisible_characters_is_empty(
    client: httpx.AsyncClient, northwind: dict[str, Any]
) -> None:
    northwind["incident"]["summary"] = f"{RLO}{ZWSP} {PDI}"
    response = await client.post("/v1/drafts", json=northwind)
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith("incident.summary")


@pytest.mark.anyio
async def test_a_checked_letter_keeps_its_characters_but_not_lone_surrogates(
    client: httpx.AsyncClient,
) -> None:
    kept = await client.post("/v1/checks", json={"body": f"We are sorry {RLO}for the delay."})
    assert kept.status_code == 200
    lone = b'{"body": "We are sorry \\ud800 for the delay."}'
    response = await client.post(
        "/v1/checks", content=lone, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert "surrogate" in response.json()["error"]["message"]


@pytest.mark.anyio
async def test_catalog_keys_are_enums_in_the_openapi_document(client: httpx.AsyncClient) -> None:
    schemas = (await client.get("/openapi.json")).json()["components"]["schemas"]
    catalog = get_catalog()

    def enum(prop: dict[str, Any]) -> list[str]:
        options = prop.get("anyOf", [prop])
        values = [v for option in options for v in option.get("enum", [])]
        return sorted(values)

    draft = schemas["DraftRequest"]["properties"]
    assert enum(draft["scenario"]) == sorted(catalog.scenarios)
    assert enum(draft["tone"]) == sorted(catalog.tones)
    # Optional fields also accept null (read as left out), so the list is one `anyOf` option.
    strategies = next(o for o in draft["strategies"]["anyOf"] if o.get("type") == "array")
    assert enum(strategies["items"]) == sorted(catalog.strategies)
    assert strategies["uniqueItems"] is True
    assert enum(draft["audience"]) == sorted(catalog.audiences)
    assert enum(draft["channel"]) == sorted(catalog.channels)
    assert enum(draft["liability"]) == sorted(catalog.postures)
    rewrite = schemas["RewriteRequest"]["properties"]
    assert enum(rewrite["tone"]) == sorted(catalog.tones)
    assert enum(rewrite["operation"]) == sorted(catalog.operations)
    assert schemas["Incident"]["properties"]["summary"]["pattern"] == VISIBLE_PATTERN


@pytest.mark.anyio
async def test_meta_carries_the_request_id(
    client: httpx.AsyncClient, northwind: dict[str, Any]
) -> None:
    response = await client.post("/v1/drafts", json=northwind, headers={"X-Request-ID": "zd-981"})
    assert response.json()["meta"]["request_id"] == "zd-981"
    generated = await client.post("/v1/drafts", json=northwind)
    assert generated.json()["meta"]["request_id"] == generated.headers["X-Request-ID"]
