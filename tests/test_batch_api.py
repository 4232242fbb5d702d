"""`/v1/batches` through the real app, with its store in a temporary directory, and
`amends batch` as a person runs it: interrupted with Ctrl-C, then resumed."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from contract.models import DraftRequest
from service.app import create_app
from service.keys import key_hash, new_key
from service.pipeline import Pipeline, build_pipeline
from service.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return build_pipeline(Settings(_env_file=None, provider="offline"))


@pytest.fixture
async def app(tmp_path: Path, pipeline: Pipeline) -> AsyncIterator[FastAPI]:
    settings = Settings(_env_file=None, provider="offline", data_dir=tmp_path)
    application = create_app(settings, pipeline=pipeline)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
        yield http


@pytest.fixture
def incident(northwind_request: DraftRequest) -> dict[str, Any]:
    return northwind_request.model_dump(mode="json")


async def _finished(client: httpx.AsyncClient, location: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while True:
        status: dict[str, Any] = (await client.get(location)).json()
        if status["status"] == "done":
            return status
        assert time.monotonic() < deadline, status
        await asyncio.sleep(0.05)


@pytest.mark.anyio
async def test_a_json_batch_is_queued_run_and_its_letters_fetched_as_ndjson_and_csv(
    client: httpx.AsyncClient, incident: dict[str, Any]
) -> None:
    recipients = [
        {"id": "a1", "name": "Ada Brook", "reference": "NW-1001", "amount": "$11.00"},
        {"id": "b2", "name": "Ben Carr", "reference": "NW-1002", "amount": "$12.00"},
        {"id": "c3", "name": "Cy Dent", "channel": "fax"},
        {"id": "d4", "name": "Di Eve", "reference": "NW-1004", "code": "DI-4"},
    ]
    response = await client.post(
        "/v1/batches", json={"incident": incident, "recipients": recipients}
    )
    assert response.status_code == 202, response.text
    queued = response.json()
    assert queued["status"] == "queued" and queued["total"] == 4
    assert response.headers["location"] == f"/v1/batches/{queued['id']}"

    status = await _finished(client, response.headers["location"])
    assert (status["done"], status["failed"], status["pending"]) == (3, 1, 0)

    results = await client.get(status["links"]["results"])
    assert results.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in results.text.splitlines()]
    assert [(r["row"], r["id"], r["status"]) for r in lines] == [
        (1, "a1", "done"),
        (2, "b2", "done"),
        (3, "c3", "failed"),
        (4, "d4", "done"),
    ]
    assert "Ada" in lines[0]["draft"]["body"] and "NW-1001" in lines[0]["draft"]["body"]
    assert "$11.00" in lines[0]["draft"]["body"] and "DI-4" in lines[3]["draft"]["body"]
    assert all(r["draft"]["guardrails"]["passed"] for r in lines if r["status"] == "done")
    assert lines[2]["error"]["code"] == "invalid_recipient" and lines[2]["draft"] is None

    failures = (await client.get(status["links"]["failures"])).text.splitlines()
    assert [json.loads(line)["id"] for line in failures] == ["c3"]

    as_csv = await client.get(status["links"]["results"], params={"format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [row["status"] for row in table] == ["done", "done", "failed", "done"]
    assert table[1]["name"] == "Ben Carr" and "NW-1002" in table[1]["body"]
    assert table[2]["error_code"] == "invalid_recipient" and table[0]["passed"] == "true"

    # The letters are audit records like any other draft.
    stored = await client.get(f"/v1/drafts/{lines[0]['draft_id']}")
    assert stored.status_code == 200, stored.text
    assert stored.json()["body"] == lines[0]["draft"]["body"]


@pytest.mark.anyio
async def test_a_batch_letter_is_recorded_without_the_customers_own_words(
    app: FastAPI, client: httpx.AsyncClient, incident: dict[str, Any]
) -> None:
    said = {**incident["incident"], "customer_message": "Where is my parcel?"}
    recipients = [{"id": "a", "name": "Ada Brook", "customer_message": "Still waiting."}]
    response = await client.post(
        "/v1/batches", json={"incident": {**incident, "incident": said}, "recipients": recipients}
    )
    status = await _finished(client, response.headers["location"])
    line = json.loads((await client.get(status["links"]["results"])).text.splitlines()[0])
    found = app.state.store.get_record(line["draft_id"])
    assert found is not None
    record = found[0]
    assert record.request["recipient"]["name"] == "Ada Brook"
    assert "customer_message" not in record.request["incident"]
    assert record.report["passed"] is True and record.meta["provider"] == "offline"
    assert len(record.fingerprint) == 64


@pytest.mark.anyio
async def test_recipients_may_come_as_csv_text(
    client: httpx.AsyncClient, incident: dict[str, Any]
) -> None:
    text = "id,name,reference,amount\nx1,Fay Gold,NW-7,$7.00\nx2,Gil Hart,NW-8,$8.00\n"
    response = await client.post("/v1/batches", json={"incident": incident, "recipients_csv": text})
    assert response.status_code == 202, response.text
    status = await _finished(client, response.headers["location"])
    assert (status["done"], status["failed"]) == (2, 0)
    lines = (await client.get(status["links"]["results"])).text.splitlines()
    assert "Gil" in json.loads(lines[1])["draft"]["body"]


@pytest.mark.anyio
async def test_recipients_may_be_uploaded_as_a_csv_file_with_the_incident_as_json(
    client: httpx.AsyncClient, incident: dict[str, Any]
) -> None:
    # What `curl -F incident=@incident.json -F recipients=@recipients.csv` sends.
    text = "id,name,reference,amount\r\nx1,Fay Gold,NW-7,$7.00\r\nx2,Gil Hart,NW-8,$8.00\r\n"
    files = {
        "incident": ("incident.json", json.dumps(incident), "application/json"),
        "recipients": ("recipients.csv", ("\ufeff" + text).encode(), "text/csv"),
    }
    response = await client.post("/v1/batches", files=files)
    assert response.status_code == 202, response.text
    status = await _finished(client, response.headers["location"])
    assert (status["done"], status["failed"]) == (2, 0)
    rows = list(
        csv.DictReader(
            io.StringIO((await client.get(f"{status['links']['results']}?format=csv")).text)
        )
    )
    assert [row["id"] for row in rows] == ["x1", "x2"]
    assert "Fay" in rows[0]["body"] and "Gil" in rows[1]["body"]


_UPLOAD_CSV = "name,reference\nAda Brook,NW-1\n"


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("parts", "status", "code", "field", "words"),
    [
        (
            {"incident": "INCIDENT", "recipients": "name,reference\nAda,NW-1\nBen,NW-2,extra\n"},
            422,
            "invalid_recipients_csv",
            "recipients.line 3",
            "CSV line 3 has 3 cells for 2 columns",
        ),
        (
            {"incident": "INCIDENT", "recipients": "name,refrence\nAda,NW-1\n"},
            422,
            "invalid_recipients_csv",
            "recipients.refrence",
            "unknown column 'refrence'",
        ),
        (
            {"incident": "INCIDENT", "recipients": "name\n" + "x" * 4001 + "\n"},
            422,
            "invalid_recipients_csv",
            "recipients.name",
            "CSV line 2 column 'name' is longer than",
        ),
        (
            {"incident": "INCIDENT", "recipients": b"name\nJos\xe9\n"},
            422,
            "invalid_recipients_csv",
            "recipients",
            "not UTF-8",
        ),
        (
            {"incident": "INCIDENT", "recipients": ""},
            422,
            "invalid_recipients_csv",
            "recipients",
            "empty",
        ),
        ({"incident": "INCIDENT"}, 422, "invalid_request", "recipients", "missing"),
        ({"recipients": _UPLOAD_CSV}, 422, "invalid_request", "incident", "missing"),
        (
            {"incident": "{not json", "recipients": _UPLOAD_CSV},
            422,
            "invalid_request",
            "incident",
            "not valid JSON",
        ),
        (
            {"incident": '{"tone": "warm"}', "recipients": _UPLOAD_CSV},
            422,
            "invalid_request",
            "incident.incident",
            "incident.incident",
        ),
        (
            {"incident": "INCIDENT", "recipients": _UPLOAD_CSV, "notes": "hi"},
            422,
            "invalid_request",
            "notes",
            "unknown part",
        ),
    ],
)
async def test_a_bad_upload_is_a_4xx_naming_the_part_line_or_column(
    client: httpx.AsyncClient,
    incident: dict[str, Any],
    parts: dict[str, str | bytes],
    status: int,
    code: str,
    field: str,
    words: str,
) -> None:
    files = {
        name: (f"{name}.txt", json.dumps(incident) if value == "INCIDENT" else value)
        for name, value in parts.items()
    }
    response = await client.post("/v1/batches", files=files)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code, error
    assert error["details"][0]["field"].startswith(field), error
    assert words in error["message"], error


@pytest.mark.anyio
async def test_an_upload_that_is_not_multipart_is_400_and_other_media_types_are_415(
    client: httpx.AsyncClient,
) -> None:
    broken = await client.post(
        "/v1/batches",
        content=b"--x\r\nno headers here",
        headers={"content-type": "multipart/form-data; boundary=x"},
    )
    assert broken.status_code == 400, broken.text
    assert broken.json()["error"]["code"] == "invalid_upload"
    plain = await client.post(
        "/v1/batches", content=b"name\nAda\n", headers={"content-type": "text/csv"}
    )
    assert plain.status_code == 415
    assert "multipart/form-data" in plain.json()["error"]["message"]
    # Only the batch route takes a form upload.
    other = await client.post("/v1/checks", files={"body": ("b.txt", "We are sorry.")})
    assert other.status_code == 415
    assert "or a form upload" not in other.json()["error"]["message"]


@pytest.mark.anyio
async def test_the_openapi_document_describes_the_csv_upload(client: httpx.AsyncClient) -> None:
    body = (await client.get("/openapi.json")).json()["paths"]["/v1/batches"]["post"]
    upload = body["requestBody"]["content"]["multipart/form-data"]
    assert upload["schema"]["required"] == ["incident", "recipients"]
    assert upload["encoding"]["recipients"]["contentType"] == "text/csv"
    assert "invalid_upload" in body["responses"]["400"]["description"]
    assert "multipart/form-data" in body["responses"]["415"]["description"]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("body", "status", "code", "field", "words"),
    [
        ({"recipients": [{"name": "A"}]}, 422, "invalid_request", "incident", "missing"),
        (
            {"incident": {"tone": "warm"}, "recipients": [{"name": "A"}]},
            422,
            "invalid_request",
            "incident.incident",
            "incident.incident",
        ),
        (
            {"incident": "INCIDENT", "recipients": [{"nmae": "A"}]},
            422,
            "invalid_request",
            "recipients.nmae",
            "unknown column 'nmae'",
        ),
        ({"incident": "INCIDENT", "recipients": []}, 422, "invalid_request", "recipients", "no"),
        (
            {"incident": "INCIDENT", "recipients": "name\nA"},
            422,
            "invalid_request",
            "recipients",
            "list",
        ),
        (
            {"incident": "INCIDENT", "recipients_csv": "name,name\n"},
            422,
            "invalid_recipients_csv",
            "recipients",
            "repeated column",
        ),
        (
            {"incident": "INCIDENT", "recipients_csv": "name,reference\nA,NW-1,extra\n"},
            422,
            "invalid_recipients_csv",
            "recipients.line 2",
            "CSV line 2 has 3 cells for 2 columns",
        ),
        (
            {"incident": "INCIDENT", "recipients_csv": "name,refrence\nA,NW-1\n"},
            422,
            "invalid_recipients_csv",
            "recipients.refrence",
            "unknown column 'refrence'",
        ),
        (
            {"incident": "INCIDENT", "recipients_csv": "name,reference\n"},
            422,
            "invalid_recipients_csv",
            "recipients",
            "no recipient rows",
        ),
        (
            {"incident": "INCIDENT", "recipients_csv": 'name\n"Ann\n'},
            422,
            "invalid_recipients_csv",
            "recipients.line",
            "cannot be read",
        ),
        (
            {"incident": "INCIDENT", "recipients": [{"remedies.5.code": "X"}]},
            422,
            "no_such_remedy",
            "recipients.remedies.5.code",
            "remedy 5",
        ),
        (
            {"incident": "INCIDENT", "recipients": [{"name": "A"}], "recipients_csv": "name\nB"},
            422,
            "invalid_request",
            "recipients",
            "not both",
        ),
        (
            {"incident": "INCIDENT", "recipients": [], "extra": 1},
            422,
            "invalid_request",
            "extra",
            "unknown field",
        ),
        (
            {"incident": "INCIDENT", "recipients": [{"name": f"P{i}"} for i in range(6)]},
            413,
            "too_many_recipients",
            "recipients",
            "more than 5 recipients",
        ),
        (
            {"incident": "INCIDENT", "recipients_csv": "name\n" + "P\n" * 6},
            413,
            "too_many_recipients",
            "recipients",
            "more than 5 recipients",
        ),
    ],
)
async def test_bad_batch_input_is_a_4xx_naming_what_was_wrong(
    tmp_path: Path,
    pipeline: Pipeline,
    incident: dict[str, Any],
    body: dict[str, Any],
    status: int,
    code: str,
    field: str,
    words: str,
) -> None:
    settings = Settings(
        _env_file=None, provider="offline", data_dir=tmp_path, batch_max_recipients=5
    )
    application = create_app(settings, pipeline=pipeline)
    body = {k: incident if v == "INCIDENT" else v for k, v in body.items()}
    async with (
        application.router.lifespan_context(application),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=application), base_url="http://127.0.0.1"
        ) as client,
    ):
        response = await client.post("/v1/batches", json=body)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code, error
    assert error["details"][0]["field"].startswith(field), error
    assert words in error["message"], error


@pytest.mark.anyio
async def test_an_unknown_batch_is_a_404(client: httpx.AsyncClient) -> None:
    for path in ("/v1/batches/nope", "/v1/batches/nope/results"):
        response = await client.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "batch_not_found"


def test_amends_batch_shows_progress_resumes_after_ctrl_c_and_writes_every_letter(
    tmp_path: Path, incident: dict[str, Any]
) -> None:
    count = 300
    (tmp_path / "incident.json").write_text(json.dumps(incident), encoding="utf-8")
    rows = ["id,name,reference,amount"] + [
        f"r{i},Person{i} Lee,NW-{9000 + i},${i % 50 + 1}.00" for i in range(count)
    ]
    (tmp_path / "recipients.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AMENDS_")}
    env |= {
        "AMENDS_PROVIDER": "offline",
        "AMENDS_DATA_DIR": str(tmp_path / "data"),
        # In-process: the worker pool has its own test; here start-up stays short.
        "AMENDS_BATCH_POOL_THRESHOLD": "100000",
    }
    command = [
        sys.executable,
        "-m",
        "service.batches.cli",
        "incident.json",
        "recipients.csv",
        "-o",
        "letters.jsonl",
    ]

    first = subprocess.Popen(
        command, cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    assert first.stderr is not None
    seen = ""
    deadline = time.monotonic() + 180
    # Wait until the bar shows some letters done (and stored), then press Ctrl-C.
    while not any(0 < int(n) < count for n in re.findall(rf"(\d+)/{count}", seen)):
        assert first.poll() is None, f"finished before it could be interrupted: {seen}"
        assert time.monotonic() < deadline, seen
        seen += first.stderr.read(1)
    os.killpg(first.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group
    _, rest = first.communicate(timeout=120)
    assert first.returncode == 130, seen + rest
    assert "run the same command again to resume" in rest
    assert not (tmp_path / "letters.jsonl").exists()

    second = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert second.returncode == 0, second.stderr
    assert "resuming batch" in second.stderr
    kept = int(second.stderr.split("resuming batch")[1].split(":")[1].split("of")[0])
    assert 0 < kept < count

    lines = [json.loads(line) for line in (tmp_path / "letters.jsonl").read_text().splitlines()]
    assert [line["row"] for line in lines] == list(range(1, count + 1))
    assert all(line["status"] == "done" for line in lines)
    assert len({line["draft_id"] for line in lines}) == count
    for line in lines[:: count // 10]:
        assert line["recipient"]["reference"] in line["draft"]["body"]


@pytest.mark.anyio
async def test_a_batch_has_a_body_limit_of_its_own(
    tmp_path: Path, pipeline: Pipeline, incident: dict[str, Any]
) -> None:
    settings = Settings(_env_file=None, provider="offline", data_dir=tmp_path, max_body_bytes=4096)
    application = create_app(settings, pipeline=pipeline)
    recipients = [{"name": f"Person{i} Lee", "reference": f"NW-{i}"} for i in range(90)]
    body = {"incident": incident, "recipients": recipients}
    assert len(json.dumps(body)) > 4096
    async with (
        application.router.lifespan_context(application),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=application), base_url="http://127.0.0.1"
        ) as client,
    ):
        response = await client.post("/v1/batches", json=body)
        assert response.status_code == 202, response.text
        padded = {**incident, "prevention": [{"description": "y" * 900}] * 5}
        too_big = await client.post("/v1/drafts", json=padded)
        assert too_big.status_code == 413
        await _finished(client, response.headers["location"])


@pytest.mark.anyio
async def test_a_batch_is_seen_only_by_the_key_that_submitted_it_and_its_letters_name_it(
    app: FastAPI, client: httpx.AsyncClient, incident: dict[str, Any]
) -> None:
    store = app.state.store
    keys = {}
    for name in ("helpdesk", "other"):
        keys[name] = new_key()
        store.add_key(name, key_hash(keys[name]))
    helpdesk = {"Authorization": f"Bearer {keys['helpdesk']}"}
    other = {"Authorization": f"Bearer {keys['other']}"}
    body = {"incident": incident, "recipients": [{"name": "Ada Brook"}]}
    response = await client.post("/v1/batches", json=body, headers=helpdesk)
    assert response.status_code == 202, response.text
    location = response.headers["location"]
    for path in (location, f"{location}/results"):
        refused = await client.get(path, headers=other)
        assert refused.status_code == 404 and refused.json()["error"]["code"] == "batch_not_found"
    deadline = time.monotonic() + 120
    while (status := (await client.get(location, headers=helpdesk)).json())["status"] != "done":
        assert time.monotonic() < deadline, status
        await asyncio.sleep(0.05)
    line = json.loads((await client.get(f"{location}/results", headers=helpdesk)).text)
    record = store.get_record(line["draft_id"])
    assert record is not None and record[0].key_name == "helpdesk"


@pytest.mark.anyio
async def test_a_batch_nested_past_what_the_json_reader_can_follow_is_a_422_not_a_500(
    client: httpx.AsyncClient,
) -> None:
    deep = "[" * 5000 + "]" * 5000
    as_json = await client.post(
        "/v1/batches",
        content=f'{{"incident": {deep}, "recipients": []}}'.encode(),
        headers={"content-type": "application/json"},
    )
    uploaded = await client.post(
        "/v1/batches", files={"incident": ("i.json", deep), "recipients": ("r.csv", "name\nA\n")}
    )
    for response, field in ((as_json, "body"), (uploaded, "incident")):
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error["code"] == "invalid_request"
        assert error["message"] == f"{field}: JSON nested too deeply to read"
