"""The catalog: scenarios, audiences, tones, channels, strategies, postures and rewrite
operations, kept as reviewable YAML beside this module and validated on load."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from contract.yaml_files import read_yaml

CATALOG_DIR = Path(__file__).parent / "catalog"

ForbiddenContent = Literal["reference", "amount", "code", "recipient_name", "personal_data"]


class Entry(BaseModel):
    """What every catalog entry has: a key callers send, a label, a one-line description."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    description: str


class Scenario(Entry):
    group: Literal["ecommerce", "b2b", "sales_marketing", "custom"]
    audience: Literal["customer", "client", "colleague"]
    topic: str
    """Short noun phrase for the incident, used in subject lines: "late delivery"."""
    facts: list[str]
    """The request fields this scenario usually needs, e.g. `incident.reference`."""
    suggested_liability: Literal["standard", "cautious"] = "standard"


class Audience(Entry):
    instruction: str


class Tone(Entry):
    instruction: str
    formality: Literal["formal", "neutral", "informal"]
    contractions: bool


class Channel(Entry):
    has_subject: bool
    has_greeting: bool
    has_signature: bool
    public: bool
    max_chars: int | None
    words: tuple[int, int] | None
    """Target word range for the body; None where `max_chars` is the only limit."""
    required: list[str]
    """Elements the guardrails require on this channel (core and form)."""
    forbidden: list[ForbiddenContent] = []
    rules: list[str]
    """Form rules stated to the model."""


class Strategy(Entry):
    instruction: str


class Posture(Entry):
    rules: list[str]


class Operation(Entry):
    instruction: str


class Catalog(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    scenarios: dict[str, Scenario]
    audiences: dict[str, Audience]
    tones: dict[str, Tone]
    channels: dict[str, Channel]
    strategies: dict[str, Strategy]
    postures: dict[str, Posture]
    operations: dict[str, Operation]


E = TypeVar("E", bound=Entry)


class CatalogFileError(ValueError):
    """A catalog file is missing, malformed or repeats a key."""


def _load_entries(path: Path, model: type[E]) -> dict[str, E]:
    raw = read_yaml(path, CatalogFileError)
    if not isinstance(raw, list):
        raise CatalogFileError(f"{path.name}: expected a list of entries")
    entries: dict[str, E] = {}
    for index, item in enumerate(raw):
        try:
            entry = model.model_validate(item)
        except ValidationError as exc:
            raise CatalogFileError(f"{path.name}: entry {index}: {exc}") from exc
        if entry.key in entries:
            raise CatalogFileError(f"{path.name}: key {entry.key!r} appears twice")
        entries[entry.key] = entry
    return entries


def load_catalog(directory: Path = CATALOG_DIR) -> Catalog:
    """Read and validate every catalog file; raises CatalogFileError naming the bad file."""
    return Catalog(
        scenarios=_load_entries(directory / "scenarios.yaml", Scenario),
        audiences=_load_entries(directory / "audiences.yaml", Audience),
        tones=_load_entries(directory / "tones.yaml", Tone),
        channels=_load_entries(directory / "channels.yaml", Channel),
        strategies=_load_entries(directory / "strategies.yaml", Strategy),
        postures=_load_entries(directory / "postures.yaml", Posture),
        operations=_load_entries(directory / "operations.yaml", Operation),
    )


@lru_cache(maxsize=1)
def get_catalog() -> Catalog:
    """The packaged catalog, loaded once per process."""
    return load_catalog()
