"""Drafting providers: the OpenAI-compatible client and the offline composer."""

from __future__ import annotations

from service.providers.base import Completion, Job, Provider
from service.settings import Settings

__all__ = ["Completion", "Job", "Provider", "build_provider", "close_provider"]


def build_provider(settings: Settings) -> Provider:
    """The provider the settings name; imports lazily so the offline path never loads openai."""
    if settings.provider == "openai":
        from service.providers.openai_compatible import OpenAICompatibleProvider

        return OpenAICompatibleProvider(settings)
    from service.providers.offline import OfflineProvider

    return OfflineProvider()


async def close_provider(provider: object) -> None:
    """Close a provider's connections, where it has any (an `aclose` method)."""
    close = getattr(provider, "aclose", None)
    if close is not None:
        await close()
