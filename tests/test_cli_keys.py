"""`amends keys create|list|revoke` against the store in the data directory."""

from __future__ import annotations

import pytest

from service.cli import main
from service.keys import PREFIX, key_hash
from service.settings import Settings, get_settings
from service.store import Store


@pytest.fixture(autouse=True)
def _fresh_settings() -> None:
    get_settings.cache_clear()  # AMENDS_DATA_DIR is this test's


def test_a_key_is_printed_once_stored_hashed_listed_and_revoked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["keys", "create", "helpdesk-eu"]) == 0
    created = capsys.readouterr()
    key = created.out.strip()
    assert key.startswith(PREFIX) and len(key) > 40
    assert "shown only now" in created.err

    store = Store.open(Settings())
    stored = store.find_key(key_hash(key))
    assert stored is not None and stored.name == "helpdesk-eu" and stored.active
    assert stored.role == "caller", "a key is a caller's unless created as a reviewer's"
    assert key not in {k.key_hash for k in store.list_keys()}, "only the hash is kept"

    assert main(["keys", "create", "helpdesk-eu"]) == 3, "names are unique"
    assert "already exists" in capsys.readouterr().err

    assert main(["keys", "list"]) == 0
    listed = capsys.readouterr().out
    assert "helpdesk-eu" in listed and "active" in listed and key not in listed

    assert main(["keys", "revoke", "helpdesk-eu"]) == 0
    assert main(["keys", "revoke", "helpdesk-eu"]) == 1
    capsys.readouterr()
    assert main(["keys", "list"]) == 0
    assert "revoked" in capsys.readouterr().out
    refreshed = store.find_key(key_hash(key))
    assert refreshed is not None and not refreshed.active
    store.close()


def test_a_reviewer_key_is_created_with_its_role(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "create", "quality-team", "--role", "reviewer"]) == 0
    key = capsys.readouterr().out.strip()
    store = Store.open(Settings())
    stored = store.find_key(key_hash(key))
    store.close()
    assert stored is not None and stored.role == "reviewer"
    assert main(["keys", "list"]) == 0
    assert "reviewer" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["keys", "create", "someone", "--role", "admin"])


@pytest.mark.parametrize(
    "name", ["", " ", "help desk", "line\nbreak", ".hidden", "x" * 101, "caf\u00e9"]
)
def test_a_key_name_that_would_not_read_plainly_in_logs_and_lists_is_refused(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    assert main(["keys", "create", name]) == 2
    assert "a key's name is 1-100 letters" in capsys.readouterr().err
    store = Store.open(Settings())
    assert store.list_keys() == [], "nothing was created"
    store.close()
