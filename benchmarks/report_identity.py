"""Byte-identity of guardrail reports: check every letter and sentence the repository holds and
write each report's JSON, one line per check, so that two versions of the guardrails can be
compared byte for byte (a change made for speed must not change a single report).

    .venv/bin/python benchmarks/report_identity.py OUT.jsonl     # reports of this tree
    .venv/bin/python benchmarks/report_identity.py --compare A.jsonl B.jsonl

To compare with main, run the script from a copy of main (`git archive main | tar -x -C DIR`,
then `python DIR/benchmarks/report_identity.py`): it imports the guardrails of the tree it
sits in.

The inputs: the eval cases' reference letters (with their request and without), the golden
letters (tests/golden, the messy ones with their request from tests/data), the composer
sweep's letters, and the guardrail corpora (sentences, letters, real text, request slips,
with their requests); each also upper-cased (the original-case patterns), and on every
channel for the letters of the eval cases; then the benchmark's large bodies. About 12,000
checks: a few minutes on one core.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# Named like nothing in the repository, but run as a script its folder comes first on
# sys.path (see benchmarks/guardrails.py): put the repository first.
ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from contract.models import DraftRequest  # noqa: E402
from guardrails import check  # noqa: E402

CHANNELS = ("email", "letter", "chat", "sms", "social", "public_statement")
Case = tuple[str, str, str | None, str, DraftRequest | None]
"""(label, body, subject, channel, request)"""


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _request(data: dict[str, Any]) -> DraftRequest | None:
    try:
        return DraftRequest.model_validate(data)
    except ValueError:
        return None


def _eval_cases() -> Iterator[Case]:
    for path in sorted((ROOT / "eval" / "cases").glob("*.yaml")):
        raw = _yaml(path)
        request = DraftRequest.model_validate(raw["request"])
        for index, body in enumerate(raw["references"]):
            for channel in CHANNELS:
                label = f"eval/{raw['id']}/{index}/{channel}"
                yield label, body, None, channel, request
            yield f"eval/{raw['id']}/{index}/none", body, None, request.channel, None


def _letter(text: str) -> tuple[str | None, str]:
    """A golden file's subject line (when it starts with one) and body."""
    if text.startswith("Subject: "):
        first, _, rest = text.partition("\n")
        subject = first.removeprefix("Subject: ").strip()
        return (None if subject == "None" else subject), rest.lstrip("\n")
    return None, text


def _golden() -> Iterator[Case]:
    messy = {item["id"]: item for item in _yaml(ROOT / "tests" / "data" / "messy_requests.yaml")}
    northwind = json.loads((ROOT / "tests" / "data" / "northwind_request.json").read_text())
    for path in sorted((ROOT / "tests" / "golden").glob("**/*.txt")):
        text = path.read_text(encoding="utf-8")
        if path.parent.name == "sweep":
            continue
        subject, body = _letter(text)
        data = messy.get(path.stem)
        request = _request({k: v for k, v in data.items() if k != "id"}) if data else None
        request = request or _request(northwind)
        channel = request.channel if request is not None else "email"
        label = f"golden/{path.relative_to(ROOT / 'tests' / 'golden')}"
        yield label, body, subject, channel, request
        yield label + "/none", body, subject, channel, None


def _sweep() -> Iterator[Case]:
    northwind = DraftRequest.model_validate(
        json.loads((ROOT / "tests" / "data" / "northwind_request.json").read_text())
    )
    path = ROOT / "tests" / "golden" / "sweep" / "composer_letters.txt"
    for block in path.read_text(encoding="utf-8").split("### ")[1:]:
        header, _, text = block.partition("\n")
        subject, body = _letter(text.strip("\n"))
        words = header.split()
        channel = words[1] if len(words) > 1 and words[1] in CHANNELS else "email"
        yield (
            f"sweep/{header}",
            body,
            subject,
            channel,
            northwind.model_copy(update={"channel": channel}),
        )
    answers = ROOT / "tests" / "golden" / "sweep" / "api_answers.txt"
    for index, body in enumerate(re.findall(r'"body": ("(?:[^"\\]|\\.)*")', answers.read_text())):
        yield f"answers/{index}", json.loads(body), None, "email", northwind


def _corpus() -> Iterator[Case]:
    corpus = ROOT / "tests" / "guardrail_rules" / "corpus"
    contexts = _yaml(corpus / "contexts.yaml")

    def context(name: str | None, liability: str | None, tone: str | None) -> DraftRequest | None:
        if name is None and liability is None and tone is None:
            return None
        data = dict(contexts[name]) if name else {"incident": {"summary": "A problem occurred."}}
        if liability:
            data["liability"] = liability
        if tone:
            data["tone"] = tone
        return _request(data)

    for index, item in enumerate(_yaml(corpus / "sentences.yaml")):
        request = context(item.get("context"), item.get("liability"), item.get("tone"))
        yield f"sentences/{index}", item["text"], None, "email", request
    for index, item in enumerate(_yaml(corpus / "letters.yaml")):
        request = context(item.get("context"), None, None)
        channel = item.get("channel", "email")
        yield f"letters/{index}", item["body"], item.get("subject"), channel, request
        yield f"letters/{index}/none", item["body"], item.get("subject"), channel, None
    for item in _yaml(corpus / "real.yaml"):
        for channel in ("email", "social"):
            yield f"real/{item['id']}/{channel}", item["text"], None, channel, None
    slips = _yaml(corpus / "request_slips.yaml")
    requests = {name: _request(data) for name, data in slips["requests"].items()}
    for index, item in enumerate(slips["cases"]):
        channel = item.get("channel", "sms")
        yield f"slips/{index}", item["text"], None, channel, requests[item["request"]]


def _large() -> Iterator[Case]:
    spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "guardrails.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    prose = bench.BODY.split("\n\n", 1)[1].rsplit("\n\n", 1)[0] + " "
    blame = "The carrier has disrupted deliveries, and our supplier blamed the storm. "
    figures = "We will refund $12.50 on 3 March, and 20% off, code SAVE20, within 5 working days. "
    for name, unit, channel in (
        ("percent", "1% ", "email"),
        ("prose", prose, "email"),
        ("blame", blame, "email"),
        # The rest of the benchmark's large bodies: a public reply reads every figure, and
        # an endless sentence of apologies is read clause by clause.
        ("percent-social", "1% ", "social"),
        ("figures-social", figures, "social"),
        ("sorry", "sorry ", "email"),
        ("frustration", "sorry for your frustration ", "email"),
        ("sorry-if", "Sorry if you were upset, but we did our best. ", "email"),
    ):
        for size in (2_500, 10_000, 20_000):
            body = (unit * (size // len(unit) + 1))[:size]
            yield f"large/{name}/{size}", body, bench.SUBJECT, channel, bench.REQUEST
    yield "bench", bench.BODY, bench.SUBJECT, "email", bench.REQUEST


def cases() -> Iterator[Case]:
    for label, body, subject, channel, request in (
        *_eval_cases(),
        *_golden(),
        *_sweep(),
        *_corpus(),
    ):
        yield label, body, subject, channel, request
        upper = subject.upper() if subject else None
        yield label + "/upper", body.upper(), upper, channel, request
    yield from _large()


def write(out: Path) -> None:
    digest = hashlib.sha256()
    count = 0
    with out.open("w", encoding="utf-8") as sink:
        for label, body, subject, channel, request in cases():
            report = check(body, subject=subject, channel=channel, context=request)
            line = json.dumps({"case": label, "report": json.loads(report.model_dump_json())})
            sink.write(line + "\n")
            digest.update(line.encode())
            count += 1
    print(f"{count} reports, sha256 {digest.hexdigest()}")


def compare(first: Path, second: Path) -> int:
    a = first.read_text(encoding="utf-8").splitlines()
    b = second.read_text(encoding="utf-8").splitlines()
    differing = [x for x, y in zip(a, b, strict=False) if x != y]
    print(f"{len(a)} and {len(b)} reports; {len(differing)} differ")
    for line in differing[:5]:
        print("  " + json.loads(line)["case"])
    return 0 if len(a) == len(b) and not differing else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--compare"]:
        raise SystemExit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    write(Path(sys.argv[1]))
