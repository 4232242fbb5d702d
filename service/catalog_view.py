"""The catalog as `GET /v1/catalog` shows it: every entry with key, label and description,
plus the few attributes a caller needs to choose (a scenario's facts, a channel's limits)."""

from __future__ import annotations

from pydantic import BaseModel

from prompts.catalog import Catalog, Entry


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
    required_elements: list[str]


class CatalogView(BaseModel):
    scenarios: list[ScenarioItem]
    audiences: list[CatalogItem]
    tones: list[CatalogItem]
    channels: list[ChannelItem]
    strategies: list[CatalogItem]
    liability_postures: list[CatalogItem]
    rewrite_operations: list[CatalogItem]


def _items(entries: dict[str, Entry]) -> list[CatalogItem]:
    return [
        CatalogItem(key=e.key, label=e.label, description=e.description) for e in entries.values()
    ]


def catalog_view(catalog: Catalog) -> CatalogView:
    return CatalogView(
        scenarios=[
            ScenarioItem(
                key=s.key,
                label=s.label,
                description=s.description,
                group=s.group,
                audience=s.audience,
                facts=s.facts,
                suggested_liability=s.suggested_liability,
            )
            for s in catalog.scenarios.values()
        ],
        audiences=_items(dict(catalog.audiences)),
        tones=_items(dict(catalog.tones)),
        channels=[
            ChannelItem(
                key=c.key,
                label=c.label,
                description=c.description,
                has_subject=c.has_subject,
                public=c.public,
                max_chars=c.max_chars,
                words=c.words,
                required_elements=c.required,
            )
            for c in catalog.channels.values()
        ],
        strategies=_items(dict(catalog.strategies)),
        liability_postures=_items(dict(catalog.postures)),
        rewrite_operations=_items(dict(catalog.operations)),
    )
