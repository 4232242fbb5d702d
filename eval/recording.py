"""Record a run's model exchanges and replay them offline, byte for byte.

`RecordingProvider` wraps any provider: every `complete` call is passed through and written to
`DIR/<key>.json` with the request messages and the completion, where the key is the SHA-256
of the messages in canonical JSON. `ReplayProvider` answers from those files, so a rerun with
the same prompts gets the same drafts without a network; a prompt change changes the key, and
a missing recording raises `RecordingMissing` (deliberately not an `AmendsError`, so the
pipeline cannot mistake it for an upstream outage and quietly fall back to the composer).

An answer the provider found unusable (`UpstreamBadOutput`: truncated at max_tokens, empty,
malformed) is the model's answer to that prompt too: it is recorded with its diagnosis in place
of a completion, and replay raises the same error, so a run where the model rambled past its
budget replays to the same re-ask or fallback. Timeouts and outages are the server's, not the
prompt's, and are not recorded.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from prompts.render import ChatMessage
from service.errors import UpstreamBadOutput
from service.providers import close_provider
from service.providers.base import Completion, Job, Provider

FORMAT = 1


class RecordingMissing(LookupError):
    """Replay found no recording for a prompt: the prompts changed or the run was not recorded."""


def message_key(messages: list[ChatMessage]) -> str:
    """Stable across runs and machines: canonical JSON (sorted keys, no spaces), SHA-256."""
    canonical = json.dumps(messages, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _completion_json(completion: Completion) -> dict[str, Any]:
    return {
        "subject": completion.subject,
        "body": completion.body,
        "model": completion.model,
        "prompt_tokens": completion.prompt_tokens,
        "completion_tokens": completion.completion_tokens,
    }


class RecordingProvider:
    """Passes every call to `inner` and saves the exchange under `directory`."""

    def __init__(self, inner: Provider, directory: Path, *, reuse: bool = False) -> None:
        self.inner = inner
        self.reuse = reuse
        """Answer a prompt already recorded under `directory` from its recording."""
        self.directory = directory
        self.name = inner.name
        self.model = inner.model
        self.can_repair = inner.can_repair
        self.recorded = 0
        directory.mkdir(parents=True, exist_ok=True)

    @property
    def structured(self) -> bool:
        return self.inner.structured

    async def complete(self, messages: list[ChatMessage], job: Job) -> Completion:
        key = message_key(messages)
        path = self.directory / f"{key}.json"
        if self.reuse and path.exists():
            return _saved(json.loads(path.read_text(encoding="utf-8")))
        structured = self.inner.structured
        record = {
            "format": FORMAT,
            "key": key,
            "provider": self.name,
            "model": self.model,
            "can_repair": self.can_repair,
            "structured": structured,
            "messages": messages,
        }
        try:
            completion = await self.inner.complete(messages, job)
        except UpstreamBadOutput as bad:
            # Only the plain class: a subclass is a provider's own signal (a mode step-down)
            # that replay could not reproduce.
            if type(bad) is not UpstreamBadOutput:
                raise
            self._write(path, {**record, "bad_output": bad.message})
            raise
        self._write(path, {**record, "completion": _completion_json(completion)})
        return completion

    def _write(self, path: Path, record: dict[str, Any]) -> None:
        temporary = path.with_suffix(".tmp")
        temporary.write_text(
            json.dumps(record, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        os.replace(temporary, path)
        self.recorded += 1

    async def aclose(self) -> None:
        """Close the wrapped provider's connections, where it has any."""
        await close_provider(self.inner)


class ReplayProvider:
    """Answers from a directory written by `RecordingProvider`; never touches a network."""

    def __init__(self, directory: Path) -> None:
        if not directory.is_dir():
            raise RecordingMissing(f"{directory}: no such recording directory")
        self.directory = directory
        self.records: dict[str, dict[str, Any]] = {}
        for path in sorted(directory.glob("*.json")):
            record = json.loads(path.read_text(encoding="utf-8"))
            self.records[record["key"]] = record
        if not self.records:
            raise RecordingMissing(f"{directory}: contains no recordings")
        first = next(iter(self.records.values()))
        self.name: str = first["provider"]
        self.model: str = first["model"]
        self.can_repair: bool = first["can_repair"]
        # A negotiating provider settles on one mode within the first call; a run that stepped
        # down to plain text rendered its later prompts as text, so replay must too.
        self.structured = all(r.get("structured", True) for r in self.records.values())
        self.replayed = 0

    async def complete(self, messages: list[ChatMessage], job: Job) -> Completion:
        key = message_key(messages)
        record = self.records.get(key)
        if record is None:
            raise RecordingMissing(
                f"no recording {key[:16]}… in {self.directory} for this prompt "
                "(prompts changed since the recording, or it was never recorded); "
                "record again with --record"
            )
        self.replayed += 1
        return _saved(record)


def _saved(record: dict[str, Any]) -> Completion:
    """The recorded completion, or the recorded bad answer raised again."""
    if "bad_output" in record:
        raise UpstreamBadOutput(record["bad_output"])
    saved = record["completion"]
    return Completion(
        subject=saved["subject"],
        body=saved["body"],
        model=saved["model"],
        prompt_tokens=saved["prompt_tokens"],
        completion_tokens=saved["completion_tokens"],
    )
