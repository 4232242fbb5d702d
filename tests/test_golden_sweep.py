"""Pins what the service says, byte for byte, across the whole catalog.

Three golden files in `tests/golden/sweep/`:

- `composer_letters.txt`: the offline composer's letter (subject and body) for every
  scenario x channel x tone, with the request's facts rotating by index, plus composer rewrites
  for every operation on every channel;
- `prompt_digests.txt`: `prompt_version` and a SHA-256 of the rendered draft, rewrite and repair
  messages for the same sweep (the prose of a few of them is pinned in `tests/golden/*.txt`);
- `api_answers.txt`: full JSON answers of the HTTP API for a few requests, with the one
  timing field (`meta.latency_ms`) and the stored draft's random `meta.id` blanked.

A refactoring must leave all three unchanged. After an intended change to letters, prompts or
answers, regenerate and review the diff before committing:

    AMENDS_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden_sweep.py
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from contract.catalog import get_catalog
from contract.models import DraftRequest, RewriteRequest
from contract.report import Finding
from prompts.render import PROMPT_VERSION, render_draft, render_repair, render_rewrite
from service.app import create_app
from service.composer import compose_draft, rewrite_draft
from service.settings import Settings

GOLDEN_DIR = Path(__file__).parent / "golden" / "sweep"
UPDATE_GOLDEN = os.environ.get("AMENDS_UPDATE_GOLDEN") == "1"
BASE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "northwind_request.json").read_text(encoding="utf-8")
)

CATALOG = get_catalog()
NAMES = [("Dana Whitfield", None), ("Ms Aiko Tanaka", "Fernbrook Ltd"), (None, None)]
SENDERS = [
    {"name": "Priya Natarajan", "title": "Customer Care Lead", "organization": "Northwind"},
    {"name": "Sam Ortiz", "organization": "Kestrel Goods", "contact": "help@kestrel.example"},
]
REMEDIES: list[list[dict[str, Any]]] = [
    BASE["remedies"],
    [],
    [{"kind": "credit", "description": "account credit", "amount": "£40", "status": "planned"}],
    [{"kind": "replacement", "description": "a replacement unit", "date": "3 May"}],
]
PREVENTION: list[list[dict[str, Any]]] = [
    BASE["prevention"],
    [],
    [{"description": "a daily reconciliation of stock counts", "metric": "errors down 40%"}],
]


def sweep_request(index: int, scenario: str, channel: str, tone: str) -> DraftRequest:
    """The example request moved to another scenario, channel and tone; its other facts rotate
    with `index` so every shape of request appears somewhere in the sweep."""
    name, organization = NAMES[index % len(NAMES)]
    incident = dict(BASE["incident"])
    if index % 4 == 1:
        incident.pop("cause")
    if index % 5 == 2:
        incident.pop("impact")
    strategies = sorted(CATALOG.strategies)
    return DraftRequest.model_validate(
        BASE
        | {
            "scenario": scenario,
            "channel": channel,
            "tone": tone,
            "audience": ["customer", "client", "colleague"][index % 3],
            "liability": ["standard", "cautious"][index % 2],
            "strategies": sorted({strategies[index % 8], strategies[(index * 3) % 8]})
            if index % 6
            else [],
            "recipient": {"name": name, "organization": organization},
            "sender": SENDERS[index % len(SENDERS)],
            "incident": incident,
            "remedies": REMEDIES[index % len(REMEDIES)],
            "prevention": PREVENTION[index % len(PREVENTION)],
            "max_words": 120 if index % 13 == 0 and channel in ("email", "letter") else None,
        }
    )


def sweep() -> Iterator[tuple[str, DraftRequest]]:
    index = 0
    for scenario in sorted(CATALOG.scenarios):
        for channel in sorted(CATALOG.channels):
            for tone in sorted(CATALOG.tones):
                yield f"{scenario} {channel} {tone}", sweep_request(index, scenario, channel, tone)
                index += 1


def rewrites() -> Iterator[tuple[str, RewriteRequest]]:
    example = DraftRequest.model_validate(BASE)
    letter = compose_draft(example)
    for index, (operation, channel) in enumerate(
        (o, c) for o in sorted(CATALOG.operations) for c in sorted(CATALOG.channels)
    ):
        tones = sorted(CATALOG.tones)
        yield (
            f"rewrite {operation} {channel}",
            RewriteRequest.model_validate(
                {
                    "draft": {"subject": letter.subject, "body": letter.body},
                    "context": BASE if index % 3 else None,
                    "tone": tones[index % len(tones)] if index % 2 else None,
                    "channel": channel,
                    "operation": operation,
                }
            ),
        )


def _letters() -> str:
    blocks = []
    for key, request in sweep():
        draft = compose_draft(request)
        blocks.append(f"### {key}\nSubject: {draft.subject}\n\n{draft.body}\n")
    for key, rewrite in rewrites():
        draft = rewrite_draft(rewrite)
        blocks.append(f"### {key}\nSubject: {draft.subject}\n\n{draft.body}\n")
    return "\n".join(blocks)


def _digest(messages: list[Any]) -> str:
    text = "".join(f"== {m['role']} ==\n{m['content']}" for m in messages)
    return hashlib.sha256(text.encode()).hexdigest()


REPAIR_FINDINGS = [
    Finding(
        rule="legal_admission",
        severity="error",
        message="admits legal liability",
        start=0,
        end=20,
        excerpt="We accept liability",
    ),
    Finding(
        rule="unsupported_amount",
        severity="error",
        message="an amount the request did not authorise",
        start=30,
        end=34,
        excerpt="$500",
        suggestion="remove the amount",
    ),
]


def _prompts() -> str:
    lines = [f"prompt_version {PROMPT_VERSION}"]
    for key, request in sweep():
        for structured in (True, False):
            lines.append(
                f"draft {key} {structured} {_digest(render_draft(request, structured=structured))}"
            )
        base = render_draft(request)
        repair = render_repair(
            base, "About your order", "We accept liability for the $500 loss.", REPAIR_FINDINGS
        )
        lines.append(f"repair {key} {_digest(repair)}")
    for key, rewrite in rewrites():
        for structured in (True, False):
            lines.append(
                f"{key} {structured} {_digest(render_rewrite(rewrite, structured=structured))}"
            )
    return "\n".join(lines) + "\n"


def _api_answers() -> str:
    example = DraftRequest.model_validate(BASE)
    letter = compose_draft(example)
    calls: list[tuple[str, str, Any]] = [
        ("POST", "/v1/drafts", BASE),
        ("POST", "/v1/drafts", BASE | {"channel": "sms", "tone": "concise"}),
        ("POST", "/v1/drafts", BASE | {"channel": "social", "liability": "cautious"}),
        ("POST", "/v1/drafts", BASE | {"tone": "nope"}),
        (
            "POST",
            "/v1/rewrites",
            {
                "draft": {"subject": letter.subject, "body": letter.body},
                "context": BASE,
                "operation": "shorten",
            },
        ),
        (
            "POST",
            "/v1/checks",
            {
                "subject": "Sorry",
                "body": "We accept full legal liability. We're sorry if you felt upset, but "
                "the courier caused it. This will never happen again. Here is $500 and code "
                "FREE99.",
                "context": BASE,
            },
        ),
        ("POST", "/v1/checks", {"body": letter.body, "subject": letter.subject, "channel": "sms"}),
        ("GET", "/v1/catalog", None),
        ("GET", "/healthz", None),
    ]
    return asyncio.run(_ask(calls))


async def _ask(calls: list[tuple[str, str, Any]]) -> str:
    blocks = []
    app = create_app(Settings(_env_file=None, provider="offline"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://amends.test") as client:
        for number, (method, path, payload) in enumerate(calls, 1):
            # A fixed request ID, or the service would generate a new one each run.
            headers = {"X-Request-ID": f"golden-{number}"}
            response = await client.request(method, path, json=payload, headers=headers)
            answer = response.json()
            if isinstance(answer, dict) and isinstance(answer.get("meta"), dict):
                answer["meta"]["latency_ms"] = "<timing>"
                answer["meta"]["id"] = "<stored draft id>"
            blocks.append(
                f"### {method} {path} -> {response.status_code}\n"
                + json.dumps(answer, indent=1, ensure_ascii=False)
                + "\n"
            )
    return "\n".join(blocks)


GOLDEN = {
    "composer_letters.txt": _letters,
    "prompt_digests.txt": _prompts,
    "api_answers.txt": _api_answers,
}


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_output_matches_golden(name: str) -> None:
    produced = GOLDEN[name]()
    golden = GOLDEN_DIR / name
    if UPDATE_GOLDEN:
        GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
        golden.write_text(produced, encoding="utf-8")
    assert golden.exists(), f"missing {golden.name}; run with AMENDS_UPDATE_GOLDEN=1"
    expected = golden.read_text(encoding="utf-8")
    if produced != expected:
        first = (
            next(i for i, (a, b) in enumerate(zip(produced, expected, strict=False)) if a != b)
            if any(a != b for a, b in zip(produced, expected, strict=False))
            else 0
        )
        context = expected[max(0, first - 300) : first + 200]
        pytest.fail(
            f"{name} differs from the golden file near character {first}:\n{context}\n"
            "If the change is intended, regenerate with AMENDS_UPDATE_GOLDEN=1 and review the diff"
        )
