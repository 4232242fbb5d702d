"""The README's request and answer are what the service really returns: the request is sent
to the app and the answer compared with the page, apart from the values that differ on every
call (the draft's and the request's IDs, the latency).

After an intended change to the letter, rewrite the page's answer and read its diff:

    AMENDS_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_readme.py
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from service.app import create_app
from service.settings import Settings

pytestmark = pytest.mark.anyio

README = Path(__file__).parent.parent / "README.md"
_REQUEST = re.compile(r"`request\.json`:\n\n```json\n(.*?)```", re.DOTALL)
_ANSWER = re.compile(
    r"(The answer \(exactly as the service returned it[^\n]*\n\n```json\n)(.*?)```", re.DOTALL
)
_BODY = re.compile(r"(The body, as the customer reads it:\n\n```text\n)(.*?)```", re.DOTALL)
_PER_CALL = ("id", "request_id", "latency_ms")


def _laid_out(answer: dict[str, Any]) -> str:
    """The answer as the page lays it out: one line per field, one per element."""

    def one(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = ["{"]
    for key, value in answer.items():
        if key == "guardrails":
            elements = ",\n".join(f"      {one(e)}" for e in value["elements"])
            lines += [
                '  "guardrails": {',
                f'    "passed": {one(value["passed"])},',
                '    "elements": [',
                elements,
                "    ],",
                f'    "findings": {one(value["findings"])},',
                f'    "skipped": {one(value["skipped"])}',
                "  },",
            ]
        else:
            lines.append(f"  {one(key)}: {one(value)},")
    lines[-1] = lines[-1].rstrip(",")
    return "\n".join([*lines, "}", ""])


def _without_per_call(answer: dict[str, Any]) -> dict[str, Any]:
    meta = {k: v for k, v in answer["meta"].items() if k not in _PER_CALL}
    return {**answer, "meta": meta}


async def test_the_readme_shows_the_answer_the_service_gives_to_its_request() -> None:
    page = README.read_text(encoding="utf-8")
    found = _REQUEST.search(page)
    assert found is not None, "README: no request.json block"
    request = json.loads(found.group(1))
    transport = httpx.ASGITransport(app=create_app(Settings(_env_file=None, provider="offline")))
    async with httpx.AsyncClient(transport=transport, base_url="http://amends.test") as client:
        response = await client.post("/v1/drafts", json=request)
    assert response.status_code == 200, response.text
    answer = response.json()
    letter = f"Subject: {answer['subject']}\n\n{answer['body']}\n"
    if os.environ.get("AMENDS_UPDATE_GOLDEN"):
        page = _ANSWER.sub(lambda m: m.group(1) + _laid_out(answer) + "```", page, count=1)
        page = _BODY.sub(lambda m: m.group(1) + letter + "```", page, count=1)
        README.write_text(page, encoding="utf-8")
    shown = _ANSWER.search(page)
    body = _BODY.search(page)
    assert shown is not None and body is not None, "README: no answer or body block"
    assert _without_per_call(json.loads(shown.group(2))) == _without_per_call(answer), (
        "README's answer is out of date; run with AMENDS_UPDATE_GOLDEN=1 and read the diff"
    )
    assert body.group(2) == letter
    assert answer["guardrails"]["passed"] and not answer["meta"]["fallback"]
