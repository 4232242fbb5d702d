"""A recipient's title is never taken for a first name, however it is written."""

from __future__ import annotations

import pytest

from contract.models import DraftRequest
from service.composer import compose_draft
from service.composer.person import is_honorific


@pytest.mark.parametrize("word", ["Dr", "dr.", "Prof.", "Mx.", "MS", "Sir", "Dame"])
def test_titles_with_or_without_a_full_stop_are_honorifics(word: str) -> None:
    assert is_honorific(word)


@pytest.mark.parametrize("word", ["Dana", "Drew", "Ms-", "Professor"])
def test_names_are_not_honorifics(word: str) -> None:
    assert not is_honorific(word)


@pytest.mark.parametrize("name", ["Prof. Ada Lovelace", "Mx. Sam Reed", "Dr Omar Haddad"])
@pytest.mark.parametrize("tone", ["friendly", "warm"])
def test_a_titled_recipient_is_greeted_with_title_and_surname(
    name: str, tone: str, northwind_request: DraftRequest
) -> None:
    request = northwind_request.model_copy(
        update={"recipient": northwind_request.recipient.model_copy(update={"name": name})}
    )
    request = request.model_copy(update={"tone": tone})
    greeting = compose_draft(request).body.splitlines()[0]
    title, surname = name.split()[0], name.split()[-1]
    assert greeting.endswith(f" {title} {surname},"), greeting
