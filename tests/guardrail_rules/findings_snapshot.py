"""Every finding the guardrails report on the project's own texts, as one JSON document: a
change meant only to make the engine faster must leave it byte for byte the same.

    .venv/bin/python tests/guardrail_rules/findings_snapshot.py > /tmp/before.json
    ... change the engine ...
    .venv/bin/python tests/guardrail_rules/findings_snapshot.py > /tmp/after.json
    cmp /tmp/before.json /tmp/after.json

The texts: the labelled corpus (`corpus/sentences.yaml` and `letters.yaml`, each checked as its
test checks it, and without its request too), the real-text corpus (`corpus/real.yaml` and
`tests/data/real_*.yaml`, as an email without a request, as its benchmark checks it, and as
a public social reply with the example request), the eval cases' reference letters with
their requests, and the golden letters (the messy requests' and the sweep's) with theirs.
For each check: the whole report (findings with their spans, severities and fixes, elements
with their evidence, what was skipped).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

import yaml  # noqa: E402
from guardrail_corpus import build_context, load_corpus  # noqa: E402

from contract.models import DraftRequest  # noqa: E402
from guardrails import check  # noqa: E402

Case = tuple[str, str, str | None, str, DraftRequest | None]
"""(name, body, subject, channel, request)"""


def _golden_blocks(text: str) -> dict[str, tuple[str | None, str]]:
    """The sweep's golden file as key -> (subject, body)."""
    blocks: dict[str, tuple[str | None, str]] = {}
    for block in text.split("### ")[1:]:
        key, rest = block.split("\n", 1)
        head, body = rest.split("\n\n", 1)
        subject = head.removeprefix("Subject: ")
        blocks[key] = (None if subject == "None" else subject, body.rstrip("\n"))
    return blocks


def cases() -> Iterator[Case]:
    """Every text the snapshot checks, with how it is checked."""
    for index, case in enumerate(load_corpus("sentences.yaml")):
        context = build_context(case.get("context"), case.get("liability"), case.get("tone"))
        yield f"sentence {index}", case["text"], None, "sms", context
        yield f"sentence {index} email", case["text"], None, "email", None
    for letter in load_corpus("letters.yaml"):
        body, subject, channel = letter["body"].strip(), letter.get("subject"), letter["channel"]
        context = build_context(letter.get("context"))
        yield f"letter {letter['name']}", body, subject, channel, context
        yield f"letter {letter['name']} bare", body, subject, channel, None
    example = DraftRequest.model_validate(
        json.loads((ROOT / "tests" / "data" / "northwind_request.json").read_text("utf-8"))
    )
    batches = sorted((ROOT / "tests" / "data").glob("real_*.yaml"))
    for path in [ROOT / "tests/guardrail_rules/corpus/real.yaml", *batches]:
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            yield f"real {item['id']}", item["text"], None, "email", None
            yield f"real {item['id']} social", item["text"], None, "social", example
    for path in sorted((ROOT / "eval" / "cases").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        request = DraftRequest.model_validate(data["request"])
        for number, reference in enumerate(data.get("references", [])):
            yield f"eval {data['id']} {number}", reference, None, request.channel, request
    from tests.test_composer_messy import GOLDEN, messy
    from tests.test_golden_sweep import GOLDEN_DIR, sweep

    for case_id, request in sorted(messy().items()):
        produced = (GOLDEN / f"{case_id}.txt").read_text(encoding="utf-8")
        subject = None
        if produced.startswith("Subject: "):
            head, produced = produced.split("\n\n", 1)
            subject = head.removeprefix("Subject: ")
        yield f"messy {case_id}", produced.rstrip("\n"), subject, request.channel, request
    blocks = _golden_blocks((GOLDEN_DIR / "composer_letters.txt").read_text(encoding="utf-8"))
    for key, request in sweep():
        subject, body = blocks[key]
        yield f"sweep {key}", body, subject, request.channel, request


def snapshot() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, body, subject, channel, request in cases():
        report = check(body, subject=subject, channel=channel, context=request)
        out[name] = report.model_dump(mode="json")
    return out


if __name__ == "__main__":
    result = snapshot()
    json.dump(result, sys.stdout, indent=0, ensure_ascii=False, sort_keys=True)
    count = sum(len(v["findings"]) for v in result.values())
    print(f"{len(result)} checks, {count} findings", file=sys.stderr)
