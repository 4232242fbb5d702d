"""All configuration, read once from `AMENDS_*` environment variables or a `.env` file."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

OutputSetting = Literal["auto", "json_schema", "json_object", "text"]

_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AMENDS_", env_file=".env", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    log_level: Literal["debug", "info", "warning", "error"] = "info"

    provider: Literal["offline", "openai"] = "offline"
    """`offline` drafts with the embedded composer; `openai` calls an OpenAI-compatible server."""

    llm_base_url: str | None = None
    llm_api_key: SecretStr = SecretStr("")
    llm_model: str = "gpt-4o-mini"
    llm_timeout_s: float = Field(30.0, gt=0)
    llm_structured_output: OutputSetting = "auto"
    """How the model is asked for its answer. `auto` negotiates: JSON schema, then JSON object
    mode, then plain text, stepping down only when the server says it does not accept a
    `response_format`, and remembering what it accepted. Any other value forces that one mode
    (`true` means `json_schema`, `false` means `text`, as in earlier versions)."""
    llm_temperature: float = Field(0.4, ge=0, le=2)
    llm_max_tokens: int = Field(900, ge=64)
    llm_max_subject_chars: int = Field(300, ge=20)
    llm_max_body_chars: int = Field(8000, ge=200)
    """A model answer with a longer subject or body is refused as bad output before any check,
    so one runaway answer cannot tie up the guardrails."""

    retry_attempts: int = Field(4, ge=1, le=10)
    retry_deadline_s: float = Field(60.0, gt=0)
    retry_base_delay_s: float = Field(0.5, ge=0)
    retry_max_delay_s: float = Field(8.0, ge=0)

    repair_attempts: int = Field(2, ge=0, le=5)
    repair_token_budget: int = Field(8000, ge=0)
    draft_deadline_s: float = Field(90.0, gt=0)
    on_failure: Literal["fallback", "reject"] = "fallback"

    batch_max_recipients: int = Field(50000, ge=1)
    """Recipients one batch may hold."""
    batch_max_body_bytes: int = Field(32 * 1024 * 1024, ge=1024)
    """Body size limit of `POST /v1/batches` (every other route keeps `max_body_bytes`)."""
    batch_concurrency: int = Field(4, ge=1, le=64)
    """With a model: drafts of one batch in flight at once."""
    batch_workers: int = Field(0, ge=0)
    """With the composer: worker processes for a batch; 0 means one per core."""
    batch_pool_threshold: int = Field(200, ge=1)
    """With the composer: smaller batches draft in-process rather than start a worker pool."""

    rule_packs: Annotated[list[str], NoDecode] = []
    """Extra guardrail rule packs (YAML paths), comma-separated in the environment."""

    max_body_bytes: int = Field(65536, ge=1024)

    data_dir: Path = Field(default_factory=lambda: _default_data_dir())
    """Where the SQLite store lives (`amends.db`) when no database URL is set."""
    database_url: SecretStr | None = None
    """A PostgreSQL URL (`postgresql://user:pass@host/db`); several processes may share it."""
    retention_days: int = Field(90, ge=0)
    """Audit records (and their reviews) older than this are deleted; 0 keeps them forever."""
    durable_commit: bool = False
    """Wait for the disk on every store commit (SQLite synchronous=FULL, PostgreSQL
    synchronous_commit=on). Off, a commit survives the service dying, not a database host
    crash in the following fraction of a second; on, each write pays the disk's flush time."""
    store_customer_message: bool = False
    """Keep `incident.customer_message` in the audit record; off, it is removed before storing."""

    header_timeout_s: float = Field(10.0, gt=0)
    """A connection whose request line and headers have not all arrived by then is closed."""
    max_header_bytes: int = Field(65536, ge=4096)
    """A request whose request line and headers pass this size is answered 431 and closed."""
    body_timeout_s: float = Field(15.0, gt=0)
    """A request body that has not fully arrived by then is answered 408 and closed."""
    keep_alive_timeout_s: int = Field(5, ge=1)
    """An idle keep-alive connection is closed after this many seconds."""
    retry_after_cap_s: int = Field(120, ge=1)
    """The largest `Retry-After` the API sends, whatever an upstream asked for."""

    key_requests_per_minute: int = Field(120, ge=1)
    """Requests one API key may make per minute, counted across every process."""
    key_token_budget: int = Field(1_000_000, ge=1)
    """Model tokens (prompt + completion) one API key may spend per token window."""
    key_token_window_s: int = Field(86_400, ge=60)
    max_model_calls: int = Field(8, ge=1)
    """Model calls one worker process makes at once; the rest wait for a slot."""
    model_queue_timeout_s: float = Field(10.0, gt=0)
    """How long a draft waits for a model-call slot before it is refused (or falls back)."""
    idempotency_window_s: int = Field(86_400, ge=1)
    """How long an `Idempotency-Key` keeps its answer."""

    @field_validator("llm_structured_output", mode="before")
    @classmethod
    def _legacy_boolean(cls, value: object) -> object:
        # The setting used to be a boolean; keep those spellings working.
        if isinstance(value, bool):
            return "json_schema" if value else "text"
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return "json_schema" if value.strip().lower() in _TRUE else "text"
        return value

    @field_validator("log_level", "provider", "on_failure", mode="before")
    @classmethod
    def _any_case(cls, value: object) -> object:
        # AMENDS_LOG_LEVEL=WARNING means what it says.
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("rule_packs", mode="before")
    @classmethod
    def _split_paths(cls, value: object) -> object:
        # NoDecode keeps the raw env string, so "a.yaml,b.yaml" arrives here unsplit.
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value


def _default_data_dir() -> Path:
    """`$XDG_DATA_HOME/amends`, else `~/.local/share/amends`."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "amends"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
