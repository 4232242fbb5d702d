"""Shared fixtures: the API.md example request, settings for a mocked model, and the mock.

`mocked_chat_completions` is the respx route for `POST {llm_base_url}/chat/completions`; set its
`return_value` or `side_effect` in a test, and build bodies with `chat_completion_body`. respx
refuses any request no route matches, so no test can reach the network by accident.
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import respx
import sqlalchemy as sa

from contract.models import DraftRequest
from service.settings import Settings
from service.store import Store
from service.store import schema as store_schema

LLM_BASE_URL = "http://llm.test/v1"

NORTHWIND_REQUEST: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "northwind_request.json").read_text(encoding="utf-8")
)
"""The DraftRequest example from API.md, as a caller would send it."""


def _is_loopback(address: object) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    if not isinstance(host, str):
        return True  # AF_UNIX paths and the like never leave the machine
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any socket connection beyond loopback fails the test that made it."""
    connect, connect_ex = socket.socket.connect, socket.socket.connect_ex

    def guard(address: object) -> None:
        if not _is_loopback(address):
            raise AssertionError(f"a test tried to reach the network: {address!r}")

    def guarded_connect(self: socket.socket, address: Any) -> None:
        guard(address)
        connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> int:
        guard(address)
        return connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)


@pytest.fixture
def anyio_backend() -> str:
    """Async tests run on asyncio only: the service runs there, and trio is not installed."""
    return "asyncio"


@pytest.fixture
def northwind_request() -> DraftRequest:
    """The API.md example: a late winter jacket, a refund done and a discount offered."""
    return DraftRequest.model_validate(NORTHWIND_REQUEST)


@pytest.fixture
def settings() -> Settings:
    """Settings for a mocked OpenAI-compatible server, with zero backoff so retries are instant.

    `_env_file=None` and explicit values keep a developer's `.env` or `AMENDS_*` variables out.
    """
    return Settings(
        _env_file=None,
        provider="openai",
        llm_base_url=LLM_BASE_URL,
        llm_api_key="test-key",
        llm_model="test-model",
        llm_timeout_s=5.0,
        llm_structured_output=True,
        llm_temperature=0.4,
        llm_max_tokens=900,
        retry_attempts=4,
        retry_deadline_s=60.0,
        retry_base_delay_s=0,
        retry_max_delay_s=0,
    )


@pytest.fixture
def mocked_chat_completions() -> Iterator[respx.Route]:
    """The respx route for `POST http://llm.test/v1/chat/completions`; unmatched calls fail."""
    with respx.mock(base_url=LLM_BASE_URL, assert_all_called=False) as router:
        yield router.post("/chat/completions", name="chat_completions")


def _chat_completion_body(
    content: str | None,
    *,
    finish_reason: str = "stop",
    refusal: str | None = None,
    model: str = "test-model",
    usage: dict[str, int] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1700000000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "finish_reason": finish_reason,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
            }
        ],
    }
    if usage is not None:
        body["usage"] = {**usage, "total_tokens": sum(usage.values())}
    return body


@pytest.fixture
def chat_completion_body() -> Callable[..., dict[str, Any]]:
    """Builds an OpenAI chat-completion JSON body: `chat_completion_body(content, ...)`."""
    return _chat_completion_body


# -- the store: SQLite always, PostgreSQL when AMENDS_TEST_DATABASE_URL names one ---------------

PG_URL_ENV = "AMENDS_TEST_DATABASE_URL"
NO_POSTGRES = (
    f"{PG_URL_ENV} is not set, so the PostgreSQL half of the store tests is skipped; "
    f'start one with: eval "$(bash .ci/postgres start)"'
)


@pytest.fixture(autouse=True)
def _store_in_tmp(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Every app a test builds keeps its SQLite store in a fresh directory, never the user's."""
    monkeypatch.setenv("AMENDS_DATA_DIR", str(tmp_path_factory.mktemp("amends-data")))
    monkeypatch.delenv("AMENDS_DATABASE_URL", raising=False)


def postgres_url() -> str | None:
    """The test PostgreSQL, or None (a skip) — except under CI, where it must be there."""
    url = os.environ.get(PG_URL_ENV)
    if not url and os.environ.get("CI"):
        pytest.fail(f"CI must run the store tests on PostgreSQL too, but {PG_URL_ENV} is not set")
    return url or None


@pytest.fixture(scope="session")
def _postgres_store() -> Iterator[Store | None]:
    url = postgres_url()
    if url is None:
        yield None
        return
    store = Store.open(url)
    yield store
    store.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(
    request: pytest.FixtureRequest, tmp_path: Path, _postgres_store: Store | None
) -> Iterator[Store]:
    """A migrated, empty store on each backend."""
    if request.param == "sqlite":
        sqlite_store = Store.open(f"sqlite+pysqlite:///{tmp_path / 'amends.db'}")
        yield sqlite_store
        sqlite_store.close()
        return
    if _postgres_store is None:
        pytest.skip(NO_POSTGRES)
    _postgres_store.flush()  # records an earlier test queued for the writer thread
    with _postgres_store.engine.begin() as connection:
        names = ", ".join(t.name for t in store_schema.metadata.sorted_tables)
        connection.exec_driver_sql(f"TRUNCATE {names} CASCADE")
    yield _postgres_store


@pytest.fixture
def fresh_postgres_url() -> Iterator[str]:
    """A new, empty database on the test server, dropped afterwards."""
    url = postgres_url()
    if url is None:
        pytest.skip(NO_POSTGRES)
    name = f"amends_t_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(
        sa.make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as c:
        c.exec_driver_sql(f"CREATE DATABASE {name}")
    yield sa.make_url(url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as c:
        c.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")
    admin.dispose()
