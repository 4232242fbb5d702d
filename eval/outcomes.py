"""The honest headline of a model run: who wrote each delivered letter, and at what cost.

A model run is judged by the model's letters, not by what the pipeline delivered: a letter the
offline composer wrote after the model failed is a fallback, never a model pass (its case
fails the `model_wrote` gate). Each case's outcome is one of

- `first_attempt`: the model's first letter passed as written;
- `salvaged`: the model's first letter passed after deterministic salvage edits;
- `re_asked`: a re-ask's letter passed (perhaps after salvage);
- `rewritten`: salvage rewrote most of the model's letter (`rewritten_share` above
  `REWRITE_LIMIT`), so the letter passed but is not counted as the model's pass;
- `fallback`: the composer's letter was delivered;
- `error`: nothing was delivered (a typed error, with fallback off).

Model calls per case are `meta.attempts` less the composer's call; tokens are the usage the
model reported. "Per delivered letter" divides the whole run's calls and tokens (wasted ones
included) by the letters delivered, whoever wrote them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from contract.models import DraftMeta

MODEL_MODES = frozenset({"openai", "replay"})
"""Run modes whose letters should come from a model (the composer's are fallbacks there)."""

Outcome = Literal[
    "first_attempt", "salvaged", "re_asked", "rewritten", "fallback", "error", "composer"
]
OUTCOMES: tuple[Outcome, ...] = (
    "first_attempt",
    "salvaged",
    "re_asked",
    "rewritten",
    "fallback",
    "error",
    "composer",
)


REWRITE_LIMIT = 0.5
"""A model letter whose `rewritten_share` is above this is salvage's letter, not the model's."""


def rewritten_share(meta: DraftMeta, body: str) -> float:
    """How much of the delivered letter is salvage's work: the characters salvage took out or
    put in, over the characters of the delivered body plus those taken out (that is, the
    model's letter and salvage's insertions together). Cutting half the model's letter gives
    0.5; replacing all of it gives 1.0; no edits give 0.0."""
    taken = sum(len(edit.before) for edit in meta.salvage)
    put = sum(len(edit.after) for edit in meta.salvage)
    whole = len(body) + taken
    return (taken + put) / whole if whole else 0.0


def outcome_of(meta: DraftMeta | None, body: str | None = None) -> Outcome:
    """What happened to one case (`composer`: an offline run, where the composer is the model).
    With the delivered `body`, a letter salvage mostly rewrote is `rewritten`."""
    if meta is None:
        return "error"
    if meta.written_by == "composer":
        return "fallback" if meta.fallback else "composer"
    if body is not None and rewritten_share(meta, body) > REWRITE_LIMIT:
        return "rewritten"
    if model_calls(meta) > 1:
        return "re_asked"
    return "salvaged" if meta.salvage else "first_attempt"


def model_calls(meta: DraftMeta | None) -> int:
    """Calls made to the model for this case (the composer's fallback call is not one)."""
    if meta is None:
        return 0
    return meta.attempts - (1 if meta.written_by == "composer" else 0)


def model_tokens(meta: DraftMeta | None) -> int:
    return 0 if meta is None else meta.usage.prompt_tokens + meta.usage.completion_tokens


@dataclass(frozen=True)
class Headline:
    """The model run's figures; rates are over all cases, costs over delivered letters."""

    cases: int
    counts: dict[str, int]
    calls: int
    tokens: int

    @property
    def delivered(self) -> int:
        return self.cases - self.counts.get("error", 0)

    @property
    def model_letters(self) -> int:
        return sum(self.counts.get(o, 0) for o in ("first_attempt", "salvaged", "re_asked"))

    def rate(self, outcome: str) -> float | None:
        return self.counts.get(outcome, 0) / self.cases if self.cases else None

    @property
    def calls_per_delivered(self) -> float | None:
        return self.calls / self.delivered if self.delivered else None

    @property
    def tokens_per_delivered(self) -> float | None:
        return self.tokens / self.delivered if self.delivered else None

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) pairs, in the order a reader wants them."""

        def count(outcome: str) -> str:
            rate = self.rate(outcome)
            return f"{self.counts.get(outcome, 0)} ({'n/a' if rate is None else f'{rate:.0%}'})"

        per = self.calls_per_delivered
        tokens = self.tokens_per_delivered
        return [
            ("pass on first attempt", count("first_attempt")),
            ("pass after salvage", count("salvaged")),
            ("pass after re-ask", count("re_asked")),
            ("mostly rewritten by salvage", count("rewritten")),
            ("fallback (composer's letter)", count("fallback")),
            ("typed error (nothing delivered)", count("error")),
            ("model calls per delivered letter", "n/a" if per is None else f"{per:.2f}"),
            ("tokens per delivered letter", "n/a" if tokens is None else f"{tokens:,.0f}"),
        ]


def headline(metas: list[DraftMeta | None], bodies: list[str | None] | None = None) -> Headline:
    """The run's figures; with the delivered `bodies` (one per meta), letters salvage mostly
    rewrote are counted as `rewritten`, not as model passes."""
    texts = bodies if bodies is not None else [None] * len(metas)
    if len(texts) != len(metas):
        raise ValueError(f"headline: {len(metas)} metas but {len(texts)} bodies")
    counts: dict[str, int] = {}
    for meta, body in zip(metas, texts, strict=True):
        outcome = outcome_of(meta, body)
        counts[outcome] = counts.get(outcome, 0) + 1
    return Headline(
        cases=len(metas),
        counts=counts,
        calls=sum(model_calls(meta) for meta in metas),
        tokens=sum(model_tokens(meta) for meta in metas),
    )
