"""Render the chat messages a model drafts from: template files plus catalog entries.

The prose of every prompt lives in the Jinja2 files under `prompts/templates/`; this module only
gathers what they need (the request, the catalog entries it names, the output mode) and renders
them with `StrictUndefined`, so a template that names a missing variable fails loudly instead of
sending the model an empty hole.

`PROMPT_VERSION` fingerprints everything that shapes a prompt: the template files and the
catalog YAML (whose instructions and rules are pasted into the prompts). Drafts carry it in
`meta.prompt_version`, so eval runs and logs can tell prompt generations apart.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TypedDict

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from contract.catalog import CATALOG_DIR, get_catalog
from contract.models import DraftRequest, RewriteRequest
from contract.report import Finding

TEMPLATE_DIR = Path(__file__).parent / "templates"


class ChatMessage(TypedDict):
    """One message of a chat prompt, as OpenAI-compatible APIs take it."""

    role: Literal["system", "user", "assistant"]
    content: str


CUSTOMER_MESSAGE_TAG = "customer_message"
DRAFT_TAG = "draft"


def compute_prompt_version(
    template_dir: Path = TEMPLATE_DIR, catalog_dir: Path | None = CATALOG_DIR
) -> str:
    """First 12 hex digits of a SHA-256 over every template and catalog file, sorted by name.

    Names are hashed with the bytes (and lengths frame both) so that renaming a file or moving
    text from one file to the next also changes the version.
    """
    files = [(f"templates/{p.name}", p) for p in template_dir.glob("*.j2")]
    if catalog_dir is not None:
        files += [(f"catalog/{p.name}", p) for p in catalog_dir.glob("*.yaml")]
    digest = hashlib.sha256()
    for name, path in sorted(files):
        data = path.read_bytes()
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()[:12]


PROMPT_VERSION: str = compute_prompt_version()


def build_environment(template_dir: Path = TEMPLATE_DIR) -> Environment:
    """A strict Jinja2 environment: undefined names raise, nothing is HTML-escaped."""
    return Environment(
        loader=FileSystemLoader(template_dir),
        undefined=StrictUndefined,
        autoescape=False,  # plain-text prompts; escaping would corrupt "&" and quotes
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return build_environment()


def fence(text: str, tag: str) -> str:
    """Neutralise every opening or closing `tag` inside untrusted `text`.

    The text is later placed between `<tag>` and `</tag>`; if it could contain its own
    `</tag>` it could end the quotation early and pose as instructions. Any spelling of the
    tag (case, spaces, a slash) is turned into a bracketed look-alike the model reads as text.
    """
    pattern = re.compile(rf"<\s*(/?)\s*{re.escape(tag)}\s*>", re.IGNORECASE)
    return pattern.sub(lambda m: f"[{m.group(1)}{tag}]", text)


def _render(name: str, context: Mapping[str, Any]) -> str:
    return _environment().get_template(name).render(context).strip() + "\n"


def _selection(
    *,
    channel: str,
    tone: str,
    audience: str,
    liability: str,
    strategies: Sequence[str],
    max_words: int | None,
    structured: bool,
    task: str,
) -> dict[str, Any]:
    """What the system template needs: catalog entries for every key the caller chose."""
    catalog = get_catalog()
    return {
        "task": task,
        "channel": catalog.channels[channel],
        "tone": catalog.tones[tone],
        "audience": catalog.audiences[audience],
        "posture": catalog.postures[liability],
        "strategies": [catalog.strategies[key] for key in strategies],
        "max_words": max_words,
        "structured": structured,
    }


def _facts(request: DraftRequest) -> dict[str, Any]:
    """What the facts partial needs: the request, its scenario, the fenced customer text."""
    message = request.incident.customer_message
    return {
        "request": request,
        "scenario": get_catalog().scenarios[request.scenario],
        "customer_message": None if message is None else fence(message, CUSTOMER_MESSAGE_TAG),
        "customer_message_tag": CUSTOMER_MESSAGE_TAG,
    }


def render_draft(request: DraftRequest, *, structured: bool = True) -> list[ChatMessage]:
    """The [system, user] messages that ask for a new draft of `request`."""
    system = _selection(
        channel=request.channel,
        tone=request.tone,
        audience=request.audience,
        liability=request.liability,
        strategies=request.strategies,
        max_words=request.max_words,
        structured=structured,
        task="draft",
    )
    return [
        ChatMessage(role="system", content=_render("system.j2", system)),
        ChatMessage(role="user", content=_render("user.j2", _facts(request))),
    ]


def render_rewrite(request: RewriteRequest, *, structured: bool = True) -> list[ChatMessage]:
    """The [system, user] messages that ask for `request.draft` rewritten as requested.

    Target tone and channel fall back to the context's, then to the catalog defaults
    (`professional`, `email`); audience, posture and strategies come from the context when
    there is one, so a rewrite is held to the same rules as the draft it came from.
    """
    context = request.context
    tone = request.tone or (context.tone if context else "professional")
    channel = request.channel or (context.channel if context else "email")
    system = _selection(
        channel=channel,
        tone=tone,
        audience=context.audience if context else "customer",
        liability=context.liability if context else "standard",
        strategies=context.strategies if context else [],
        max_words=context.max_words if context else None,
        structured=structured,
        task="rewrite",
    )
    catalog = get_catalog()
    user: dict[str, Any] = {
        "operation": catalog.operations[request.operation],
        "tone": catalog.tones[tone],
        "channel": catalog.channels[channel],
        "has_context": context is not None,
        "draft_subject": None
        if request.draft.subject is None
        else fence(request.draft.subject, DRAFT_TAG),
        "draft_body": fence(request.draft.body, DRAFT_TAG),
        "draft_tag": DRAFT_TAG,
    }
    if context is not None:
        user |= _facts(context)
    return [
        ChatMessage(role="system", content=_render("system.j2", system)),
        ChatMessage(role="user", content=_render("rewrite.j2", user)),
    ]


def format_answer(subject: str | None, body: str, *, structured: bool = True) -> str:
    """A draft written back the way the model was asked to answer, for the history."""
    if structured:
        return json.dumps({"subject": subject, "body": body}, ensure_ascii=False)
    if subject is None:
        return body
    return f"Subject: {subject}\n\n{body}"


def render_repair(
    base: list[ChatMessage],
    subject: str | None,
    body: str,
    findings: Sequence[Finding],
    *,
    request: DraftRequest | None = None,
    structured: bool = True,
) -> list[ChatMessage]:
    """`base` + the previous draft (its `subject` and `body`, as the assistant) + one user turn
    quoting what must be fixed.

    Pass the original [system, user] as `base` on every repair: each re-ask then carries the
    latest draft and its findings only, so prompts do not grow with the attempt count.
    Only `error` findings are quoted: warnings do not block a draft, and chasing them costs
    tokens and risks new errors. Each finding is quoted with its span and, from `request`,
    the caller's facts that apply to it. A rule's advice is passed on only when it carries no
    quoted example: a small model copies an example sentence into the letter as if it were a
    fact ("we have added a second check ..."), which is exactly what the checks forbid.
    """
    errors = [finding for finding in findings if finding.severity == "error"]
    if not errors:
        raise ValueError("render_repair needs at least one finding of severity 'error'")
    items = [
        {
            "finding": finding,
            "advice": None if _QUOTED.search(finding.suggestion or "") else finding.suggestion,
            "facts": applicable_facts(finding, request),
        }
        for finding in errors
    ]
    repair = _render("repair.j2", {"items": items, "structured": structured})
    return [
        *base,
        ChatMessage(role="assistant", content=format_answer(subject, body, structured=structured)),
        ChatMessage(role="user", content=repair),
    ]


_QUOTED = re.compile(r"[\"“”]")
_STATUS_WORDS = {"done": "already done", "offered": "offered", "planned": "planned"}


def applicable_facts(finding: Finding, request: DraftRequest | None) -> list[str]:
    """The caller's facts a re-ask should restate for `finding`, worded from the request only.

    A missing fact (the finding's fix names it) is quoted alone; a figure, remedy or status
    problem gets every authorised remedy (and metric), since the fix is to use only those; a
    missing or vague prevention step gets the authorised steps.
    """
    if request is None:
        return []
    fix = finding.fix
    if fix is not None and fix.action == "insert" and fix.fact:
        return _fact_lines(request, fix.fact)
    rule = finding.rule
    if rule.startswith("commitments.") or _about(finding, "amends"):
        lines = [line for i in range(len(request.remedies)) for line in _remedy(request, i)]
        if rule.endswith("metric") or rule.endswith("fact"):
            lines += [line for i in range(len(request.prevention)) for line in _step(request, i)]
        return lines or ["No remedy was authorised: offer none."]
    if _about(finding, "prevention"):
        return [line for i in range(len(request.prevention)) for line in _step(request, i)]
    return []


def _about(finding: Finding, element: str) -> bool:
    """Whether the finding is about `element` (its rule id, or a missing-element message)."""
    return element in finding.rule or finding.message.endswith(f"element: {element}.")


def _fact_lines(request: DraftRequest, fact: str) -> list[str]:
    kind, _, index = fact.partition(":")
    if kind in ("remedy", "prevention") and index.isdigit():
        return _remedy(request, int(index)) if kind == "remedy" else _step(request, int(index))
    if kind == "acknowledgment":
        return [f"What happened: {request.incident.summary}"]
    if kind == "reference" and request.incident.reference:
        return [f"Reference: {request.incident.reference}"]
    if kind == "greeting":
        name = request.recipient.name
        return [f"Recipient: {name}" if name else "Recipient: not named"]
    if kind in ("signature", "invitation"):
        sender = request.sender
        parts = [sender.name, sender.title, sender.organization, sender.contact]
        return ["Sender: " + ", ".join(p for p in parts if p)] if any(parts) else []
    return []


def _remedy(request: DraftRequest, index: int) -> list[str]:
    if index >= len(request.remedies):
        return []
    remedy = request.remedies[index]
    extras = [f"amount {remedy.amount}" if remedy.amount else None]
    extras += [f"code {remedy.code}" if remedy.code else None]
    extras += [f"date {remedy.date}" if remedy.date else None]
    detail = "; ".join(e for e in extras if e)
    status = _STATUS_WORDS[remedy.status]
    return [f"Remedy ({status}): {remedy.description}" + (f" ({detail})" if detail else "")]


def _step(request: DraftRequest, index: int) -> list[str]:
    if index >= len(request.prevention):
        return []
    step = request.prevention[index]
    metric = f" (figure: {step.metric})" if step.metric else " (no figure supplied)"
    return [f"Prevention step: {step.description}{metric}"]
