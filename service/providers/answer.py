"""Reading a chat-completions answer into a `Completion`, trusting nothing about its shape.

The HTTP body is parsed here rather than by the SDK's models, which are built without
validation: a server that answers 200 with an HTML page, a JSON string, `choices` that is not
a list, a choice without `message`, content as a list of parts or a usage count that is not an
integer would otherwise surface as an `AttributeError` deep in the pipeline (a bare 500).
Every such answer is `UpstreamBadOutput` with a reason a person can act on, in the service's
own words: the server's own text (the start of a page that is not JSON, a refusal, a usage
value) may echo a key, an account or a prompt, so it goes to the log only, under the ID of
the request it answered.

Draft content, decided here:
- `json_schema` / `json_object` forced by the settings: the answer must be the JSON object
  `{"subject", "body"}`, optionally in a ```json fence. Anything else is bad output.
- Negotiated (`auto`) or `text`: a JSON object answer is read as above (a model asked for text
  sometimes answers JSON, and a server that ignores `response_format` answers text); anything
  that does not start with `{` is plain text, where a first line `Subject: ...` becomes the
  subject.
- Empty content, `finish_reason` "length" (truncated) or "content_filter", and refusals are
  bad output: none of them is a draft worth checking.
- A subject or body over the configured caps is bad output, before any guardrail sees it.
- A JSON answer with nothing to read as the letter (not JSON, not an object, no non-empty
  string `body`, or cut off at max_tokens before any `"body": "` began) is `BodilessAnswer`, a
  kind of bad output: in `auto` mode the provider takes
  it as the server's structured mode being of no use with this model (SmolLM2 fills a
  `json_object` with `{"id": 123, "title": "Sender"}` or `{}`) and steps down.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Any

from service.errors import UpstreamBadOutput
from service.providers.base import Completion

MAX_REASON_TEXT = 300

logger = logging.getLogger(__name__)

_FENCE = re.compile(r"^```[a-zA-Z]*[ \t]*\n(?P<inner>.*?)\n?```$", re.DOTALL)
# Tolerates Markdown emphasis around the label ("**Subject:** ..."), which models add unasked.
_SUBJECT_LINE = re.compile(
    r"^[*_#\s]*subject[*_\s]*:[*_\s]*(?P<subject>.*?)[*_\s]*$", re.IGNORECASE
)


class BodilessAnswer(UpstreamBadOutput):
    """A JSON answer that holds no letter; `prompt_tokens`/`completion_tokens` are what it cost
    (the answer's usage, when the server reported a well-formed one)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass(frozen=True)
class AnswerRules:
    """How to read one answer: strict JSON or tolerant, and the length caps."""

    strict_json: bool
    max_subject_chars: int
    max_body_chars: int


def read_answer(raw: str, rules: AnswerRules, *, model: str) -> Completion:
    """The draft in a raw chat-completions HTTP body, or `UpstreamBadOutput` saying why not."""
    data = _json_object(raw)
    try:
        content = _content(data)
        # Checked on the whole text first so no parsing step ever walks a runaway answer.
        _check_length("answer", content, rules.max_subject_chars + rules.max_body_chars + 100)
        subject, body = _parse_json(content) if _is_json(content, rules) else _parse_text(content)
    except BodilessAnswer as exc:
        exc.prompt_tokens, exc.completion_tokens = _usage_or_nothing(data.get("usage"))
        raise
    _check_length("subject", subject, rules.max_subject_chars)
    _check_length("body", body, rules.max_body_chars)
    prompt_tokens, completion_tokens = _usage(data.get("usage"))
    answered_model = data.get("model")
    return Completion(
        subject=subject,
        body=body,
        model=answered_model if isinstance(answered_model, str) and answered_model else model,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
    )


def _json_object(raw: str) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise _quoting("the model server's answer is not JSON", raw) from exc
    if not isinstance(data, dict):
        raise UpstreamBadOutput(
            f"the model server's answer is a JSON {type(data).__name__}, not a chat completion"
        )
    return data


def _content(data: dict[str, Any]) -> str:
    choices = data.get("choices")
    if not isinstance(choices, list):
        raise UpstreamBadOutput("the model server's answer has no list of 'choices'")
    if not choices:
        raise UpstreamBadOutput("the model returned no choices")
    choice = choices[0]
    message = choice.get("message") if isinstance(choice, dict) else None
    if not isinstance(message, dict):
        raise UpstreamBadOutput("the model server's first choice has no 'message' object")
    finish_reason = choice.get("finish_reason")
    if finish_reason == "length":
        truncated = "truncated: the model hit max_tokens before finishing the draft"
        if _json_without_body(message.get("content")):
            # SmolLM2 forced into JSON rambles through invented keys until max_tokens.
            raise BodilessAnswer(f"{truncated}, in JSON with no 'body'")
        raise UpstreamBadOutput(truncated)
    if finish_reason == "content_filter":
        raise UpstreamBadOutput("the model server's content filter withheld the draft")
    refusal = message.get("refusal")
    if isinstance(refusal, str) and refusal:
        raise _quoting("the model refused to write the draft", refusal)
    content = message.get("content")
    if content is not None and not isinstance(content, str):
        kind = "a list of parts" if isinstance(content, list) else type(content).__name__
        raise UpstreamBadOutput(f"the model's message content is {kind}, not text")
    text = (content or "").strip()
    if not text:
        raise UpstreamBadOutput("the model returned empty content")
    return text


_BODY_STARTED = re.compile(r'"body"\s*:\s*"')


def _json_without_body(content: object) -> bool:
    """Whether a cut-off answer is JSON that never began a string `body` (no letter in it)."""
    if not isinstance(content, str):
        return False
    start = content.lstrip()
    if start.startswith("```"):
        start = start.partition("\n")[2].lstrip()
    return start.startswith("{") and _BODY_STARTED.search(content) is None


def _quoting(message: str, upstream_text: str) -> UpstreamBadOutput:
    """`UpstreamBadOutput` with `message` for the caller; the start of the server's own text
    that shows why goes to the log (stamped with the request's ID), never to the caller."""
    logger.warning("%s: %r", message, upstream_text[:MAX_REASON_TEXT])
    return UpstreamBadOutput(message)


def _usage(usage: object) -> tuple[int, int]:
    if usage is None:
        return 0, 0
    if not isinstance(usage, dict):
        raise UpstreamBadOutput("the model server's 'usage' is not an object")
    counts = []
    for key in ("prompt_tokens", "completion_tokens"):
        value = usage.get(key, 0)
        if value is None:
            value = 0
        # bool is an int subclass; a "true" token count is as malformed as a string one.
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _quoting(f"the model server's usage.{key} is not a count", repr(value))
        counts.append(value)
    return counts[0], counts[1]


def _usage_or_nothing(usage: object) -> tuple[int, int]:
    try:
        return _usage(usage)
    except UpstreamBadOutput:
        return 0, 0


def _unfenced(content: str) -> str:
    fenced = _FENCE.match(content)
    return fenced.group("inner").strip() if fenced else content


def _is_json(content: str, rules: AnswerRules) -> bool:
    return rules.strict_json or _unfenced(content).startswith("{")


def _parse_json(content: str) -> tuple[str | None, str]:
    try:
        data = json.loads(_unfenced(content))
    except json.JSONDecodeError as exc:
        raise BodilessAnswer(
            f"the answer should be a JSON object but is not JSON ({exc.msg}); "
            "set AMENDS_LLM_STRUCTURED_OUTPUT=auto if this server ignores response_format"
        ) from exc
    if not isinstance(data, dict):
        raise BodilessAnswer("structured output is not a JSON object")
    subject, body = data.get("subject"), data.get("body")
    if not isinstance(body, str) or not body.strip():
        raise BodilessAnswer("structured output has no non-empty string 'body'")
    if subject is not None and not isinstance(subject, str):
        raise UpstreamBadOutput("structured output has a 'subject' that is not a string or null")
    return (subject.strip() or None) if subject else None, body.strip()


def _parse_text(content: str) -> tuple[str | None, str]:
    first, _, rest = content.partition("\n")
    match = _SUBJECT_LINE.match(first.strip())
    if match is None:
        return None, content
    body = rest.strip()
    if not body:
        raise UpstreamBadOutput("the answer has a subject line but no body")
    return match.group("subject").strip() or None, body


def _check_length(field: str, text: str | None, limit: int) -> None:
    if text is not None and len(text) > limit:
        raise UpstreamBadOutput(
            f"the model's {field} is {len(text):,} characters, over the limit of {limit:,}"
        )
