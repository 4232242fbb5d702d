"""The catalog as `GET /v1/catalog` shows it: every entry with key, label and description,
plus the few attributes a caller needs to choose (a scenario's facts, a channel's limits)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from pydantic import AliasChoices, BaseModel, Field

from contract.catalog import Catalog, Entry


class CatalogItem(BaseModel):
    key: str
    label: str
    description: str


class ScenarioItem(CatalogItem):
    group: str
    audience: str
    facts: list[str]
    suggested_liability: str


class ChannelItem(CatalogItem):
    has_subject: bool
    public: bool
    max_chars: int | None
    words: tuple[int, int] | None
    required_elements: list[str] = Field(
        validation_alias=AliasChoices("required_elements", "required")
    )
    """The catalog's `required`: elements the guardrails require on this channel."""


class CatalogView(BaseModel):
    scenarios: list[ScenarioItem]
    audiences: list[CatalogItem]
    tones: list[CatalogItem]
    channels: list[ChannelItem]
    strategies: list[CatalogItem]
    liability_postures: list[CatalogItem]
    rewrite_operations: list[CatalogItem]


Item = TypeVar("Item", bound=CatalogItem)


def _items(model: type[Item], entries: Mapping[str, Entry]) -> list[Item]:
    """Each entry as the view model shows it: the fields the model declares, read from it."""
    return [model.model_validate(entry, from_attributes=True) for entry in entries.values()]


def catalog_view(catalog: Catalog) -> CatalogView:
    return CatalogView(
        scenarios=_items(ScenarioItem, catalog.scenarios),
        audiences=_items(CatalogItem, catalog.audiences),
        tones=_items(CatalogItem, catalog.tones),
        channels=_items(ChannelItem, catalog.channels),
        strategies=_items(CatalogItem, catalog.strategies),
        liability_postures=_items(CatalogItem, catalog.postures),
        rewrite_operations=_items(CatalogItem, catalog.operations),
    )
