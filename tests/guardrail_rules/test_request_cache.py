"""The request's side of a check is read once per distinct request value (`Supplied.of`,
`request_rules._Given.of`): a request with other values is read afresh, and the findings are
those of a fresh read."""

from __future__ import annotations

import json
from pathlib import Path

from contract.models import DraftRequest
from guardrails import check
from guardrails.supplied import Supplied

DATA = json.loads(
    (Path(__file__).parent.parent / "data" / "northwind_request.json").read_text(encoding="utf-8")
)


def _request(**incident: str) -> DraftRequest:
    data = json.loads(json.dumps(DATA))
    data["incident"].update(incident)
    return DraftRequest.model_validate(data)


def test_supplied_is_shared_by_value_with_remedies_equal_to_the_requests() -> None:
    first, second = _request(), _request()
    one, two = Supplied.of(first), Supplied.of(second)
    assert one.keys == two.keys and one.codes == two.codes
    assert [r.remedy for r in two.remedies] == second.remedies
    other = Supplied.of(_request(reference="NW-99999"))
    assert "NW-99999" in other.codes and "NW-99999" not in one.codes


def _contradicted(body: str, request: DraftRequest) -> list[str]:
    findings = check(body, context=request).findings
    return [f.excerpt for f in findings if f.rule == "request.contradicted_figure"]


def test_a_changed_incident_is_read_afresh() -> None:
    body = "Dear Dana,\n\nWe are sorry your jacket arrived nine days late.\n\nPriya"
    assert _contradicted(body, _request()) == []
    late = _request(summary="The winter jacket arrived four days late.")
    assert _contradicted(body, late) == ["nine days"]
    assert _contradicted(body, _request()) == []


def test_requests_sharing_an_incident_read_their_own_remedies() -> None:
    # Two requests with one incident (a batch's recipients) share the incident's side of the
    # check, but a figure is still checked against each one's own remedies.
    body = "Dear Dana,\n\nYour jacket arrived nine days late. It took 5 days to fix.\n"
    with_date = json.loads(json.dumps(DATA))
    with_date["remedies"][0]["date"] = "5 days"
    assert _contradicted(body, DraftRequest.model_validate(with_date)) == []
    assert _contradicted(body, _request()) == ["5 days"]
    assert _contradicted(body, DraftRequest.model_validate(with_date)) == []


def test_how_the_request_speaks_of_the_reader_follows_each_recipients_name() -> None:
    # Shared by letters whose names read alike; read afresh when the story names someone
    # with a possessive, which only the recipient's own name can make the reader.
    from guardrails.letter_slips import _request_said

    story = "Leo's jacket arrived late and he missed his hiking trip."

    def said(name: str, summary: str = story) -> dict[str, str]:
        data = json.loads(json.dumps(DATA))
        data["incident"]["summary"] = summary
        data["recipient"]["name"] = name
        return _request_said(DraftRequest.model_validate(data)).pairs

    assert said("Leo Marsh")["his hiking"] == "your"
    assert "his hiking" not in said("Ana Marsh")
    assert said("Leo Marsh")["he missed"] == "you"
    plain = "The jacket arrived late and the customer missed a hiking trip."
    assert said("Ana Marsh", plain) == said("Leo Marsh", plain)
    assert said("Ana Marsh", plain)["the customer missed"] == "you"
    assert said("our hikers", plain) == {}
    # A batch's letters to people without a title, in a story that names no one else, share
    # one reading: the name is not read again for each of them.
    from guardrails.letter_slips import _said_of

    batch = "The boots arrived late and the customer missed a hiking trip."
    read = _said_of.cache_info().misses
    for number in range(5):
        said(f"Customer{number} Example", batch)
    assert _said_of.cache_info().misses == read + 1
