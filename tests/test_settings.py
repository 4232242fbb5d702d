"""Settings read from the environment the way an operator types them."""

import pytest
from pydantic import ValidationError

from service.settings import Settings


def test_choices_are_read_in_any_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMENDS_LOG_LEVEL", "WARNING")
    monkeypatch.setenv("AMENDS_PROVIDER", " Offline ")
    monkeypatch.setenv("AMENDS_ON_FAILURE", "Reject")
    settings = Settings()
    assert (settings.log_level, settings.provider, settings.on_failure) == (
        "warning",
        "offline",
        "reject",
    )


def test_an_unknown_choice_names_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AMENDS_LOG_LEVEL", "loud")
    with pytest.raises(ValidationError, match="log_level"):
        Settings()
