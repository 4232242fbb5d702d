"""`/v1/batches`: one incident, many recipients, a letter each — submitted, followed, fetched.

`POST /v1/batches` takes JSON: `{"incident": DraftRequest, "recipients": [...]}`, or the
recipients as CSV text in `"recipients_csv"`; or a form upload (`multipart/form-data`) with
an `incident` part (the DraftRequest as JSON) and a `recipients` part (a CSV file), as
`curl -F incident=@incident.json -F recipients=@recipients.csv` sends them. It stores the job
and answers 202 with its id.
Jobs run one at a time in the background, each over every core (composer) or with bounded
concurrency (model), and resume after a restart. `GET /v1/batches/{id}` shows progress; `GET
/v1/batches/{id}/results` streams the letters as NDJSON or CSV.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any, Literal

import anyio
from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ValidationError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from contract.models import DraftRequest
from service.batches import recipients as parse
from service.batches.formats import csv_lines, ndjson_lines
from service.batches.runner import run_job
from service.batches.store import BatchStore, Job, JobStatus
from service.batches.work import SharedPool
from service.errors import AmendsError, InvalidRequest
from service.http_errors import TOO_DEEP, ErrorBody, describe_validation
from service.pipeline import Pipeline
from service.request_body import is_form_upload
from service.settings import Settings
from service.store import Store

log = logging.getLogger(__name__)

RecipientValue = str | int | float | None


_CELL: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "maxLength": parse.MAX_CELL},
        {"type": "number", "minimum": -parse.MAX_NUMBER, "maximum": parse.MAX_NUMBER},
        {"type": "null"},
    ]
}

BATCH_REQUEST_SCHEMA: dict[str, Any] = {
    "title": "BatchRequest",
    "description": (
        "One incident (a DraftRequest: the template every letter starts from) and its "
        "recipients, either as a list of flat objects (`recipients`) or as CSV text with a "
        "header row (`recipients_csv`), not both. A recipient's columns: `id` (the caller's "
        "own key, echoed in the results, never in the letter), `name`, `organization`, "
        "`reference`, `impact`, `customer_message`, `amount` and `code` (the incident's first "
        "remedy), or a template path such as `remedies.1.code`, `incident.date`, `channel`. "
        "An empty value keeps the incident's."
    ),
    "type": "object",
    "properties": {
        "incident": {"$ref": "#/components/schemas/DraftRequest"},
        "recipients": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "patternProperties": {parse.COLUMN_PATTERN: _CELL},
                "additionalProperties": False,
            },
        },
        "recipients_csv": {"type": "string", "minLength": 1},
    },
    "required": ["incident"],
    "oneOf": [{"required": ["recipients"]}, {"required": ["recipients_csv"]}],
    "additionalProperties": False,
}
"""The JSON body of `POST /v1/batches`, written out because the route reads the body itself
(recipients go to the store as they are, never through a model per row)."""

BATCH_UPLOAD_SCHEMA: dict[str, Any] = {
    "title": "BatchUpload",
    "description": (
        "The same batch as a form upload: `incident`, the DraftRequest as JSON (a file or a "
        "text field), and `recipients`, a UTF-8 CSV file with a header row (the columns "
        "described under BatchRequest). For example: `curl -F incident=@incident.json "
        "-F recipients=@recipients.csv https://…/v1/batches`."
    ),
    "type": "object",
    "properties": {
        "incident": {"$ref": "#/components/schemas/DraftRequest"},
        "recipients": {"type": "string", "format": "binary", "description": "CSV file"},
    },
    "required": ["incident", "recipients"],
    "additionalProperties": False,
}


class BatchLinks(BaseModel):
    self: str
    results: str
    failures: str


class BatchStatus(BaseModel):
    id: str
    status: JobStatus
    total: int
    done: int
    """Letters drafted and checked."""
    failed: int
    """Recipients without a letter; each is listed in the results with its error."""
    pending: int
    created_at: datetime
    updated_at: datetime
    links: BatchLinks


class BatchNotFound(AmendsError):
    status, code = 404, "batch_not_found"


class InvalidUpload(AmendsError):
    """A form upload that cannot be parsed as multipart/form-data."""

    status, code = 400, "invalid_upload"


class BatchService:
    """Owns the batch queue of one app: jobs run one after another in a background task."""

    def __init__(self, batches: BatchStore, settings: Settings, pipeline: Pipeline) -> None:
        self.batches = batches
        self.settings = settings
        self.pipeline = pipeline
        self.queue: asyncio.Queue[str] = asyncio.Queue()
        self.task: asyncio.Task[None] | None = None
        # One composer pool for the app's life, started by the first batch that needs it.
        self.pool = SharedPool(settings)

    async def start(self) -> None:
        for job_id in await anyio.to_thread.run_sync(self.batches.unfinished):
            self.queue.put_nowait(job_id)
        self.task = asyncio.create_task(self._work())

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        await anyio.to_thread.run_sync(self.pool.close)

    async def submit(
        self, template: DraftRequest, rows: list[dict[str, str | None]], key_name: str | None
    ) -> Job:
        job = await anyio.to_thread.run_sync(
            lambda: self.batches.create(template.model_dump(mode="json"), rows, key_name=key_name)
        )
        self.queue.put_nowait(job.id)
        return job

    async def _work(self) -> None:
        while True:
            job_id = await self.queue.get()
            try:
                await run_job(
                    self.batches,
                    job_id,
                    settings=self.settings,
                    pipeline=self.pipeline,
                    shared=self.pool,
                )
            except asyncio.CancelledError:
                raise
            except Exception:  # the job stays `running` and resumes at the next start
                log.exception("batch %s stopped", job_id)


class BatchesUnavailable(AmendsError):
    """The app was served without its lifespan, so no batch queue is running."""

    status, code = 503, "batches_unavailable"


def _service(request: Request) -> BatchService:
    service: BatchService | None = getattr(request.app.state, "batches", None)
    if service is None:
        raise BatchesUnavailable("the batch queue is not running (the app's start-up did not run)")
    return service


ServiceDep = Annotated[BatchService, Depends(_service)]


def _status(job: Job) -> BatchStatus:
    base = f"/v1/batches/{job.id}"
    links = BatchLinks(
        self=base, results=f"{base}/results", failures=f"{base}/results?status=failed"
    )
    return BatchStatus.model_validate({**asdict(job), "pending": job.pending, "links": links})


def _incident(value: Any) -> DraftRequest:
    try:
        return DraftRequest.model_validate(value)
    except ValidationError as exc:
        details = describe_validation(list(exc.errors()))
        for detail in details:
            detail["field"] = f"incident.{detail['field']}"
        message = f"{details[0]['field']}: {details[0]['message']}"
        raise InvalidRequest(message, details=details) from exc


def _json(text: str, field: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidRequest(
            f"{field}: not valid JSON ({exc.msg} at line {exc.lineno})",
            details=[{"field": field, "message": "invalid JSON"}],
        ) from exc
    except RecursionError as exc:
        raise InvalidRequest(
            f"{field}: {TOO_DEEP}", details=[{"field": field, "message": TOO_DEEP}]
        ) from exc


def _recipients_csv(
    csv_text: str, template: DraftRequest, limit: int
) -> list[dict[str, str | None]]:
    rows = parse.from_csv(csv_text, limit)
    parse.check_columns(parse.columns_of(rows), template, error=parse.InvalidRecipientsCSV)
    return rows


_UPLOAD_PARTS = ("incident", "recipients")


async def _part_text(value: UploadFile | str, name: str) -> str:
    if isinstance(value, str):
        return value
    data = await value.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        error = parse.InvalidRecipientsCSV if name == "recipients" else InvalidRequest
        raise error(
            f"{name}: the uploaded file is not UTF-8 text (invalid byte at offset {exc.start})",
            details=[{"field": name, "message": "not UTF-8"}],
        ) from exc


async def read_upload(
    request: Request, limit: int, max_bytes: int
) -> tuple[DraftRequest, list[dict[str, str | None]]]:
    """The incident (JSON) and the recipients (a CSV file) from a form upload."""
    try:
        async with request.form(max_files=8, max_fields=8, max_part_size=max_bytes) as form:
            unknown = sorted(set(form.keys()) - set(_UPLOAD_PARTS))
            if unknown:
                raise InvalidRequest(
                    f"{unknown[0]}: unknown part; upload incident (JSON) and recipients (CSV)",
                    details=[{"field": f, "message": "unknown part"} for f in unknown],
                )
            texts: dict[str, str] = {}
            for name in _UPLOAD_PARTS:
                values = form.getlist(name)
                if len(values) != 1:
                    problem = "missing" if not values else "given more than once"
                    raise InvalidRequest(
                        f"{name}: {problem}; upload incident (JSON) and recipients (CSV)",
                        details=[{"field": name, "message": problem}],
                    )
                texts[name] = await _part_text(values[0], name)
    except HTTPException as exc:  # Starlette's answer to a malformed multipart body
        raise InvalidUpload(
            f"the form upload cannot be read: {exc.detail}",
            details=[{"field": "body", "message": str(exc.detail)}],
        ) from exc
    template = _incident(_json(texts["incident"], "incident"))
    if not texts["recipients"].strip():
        raise parse.InvalidRecipientsCSV(
            "recipients: the CSV file is empty",
            details=[{"field": "recipients", "message": "empty"}],
        )
    return template, _recipients_csv(texts["recipients"], template, limit)


async def read_batch(
    request: Request, limit: int, max_bytes: int = 1 << 20
) -> tuple[DraftRequest, list[dict[str, str | None]]]:
    """The incident and the recipients from the body: JSON (a list, or CSV text), or a form
    upload with a CSV file."""
    if is_form_upload(request.headers.get("content-type", "")):
        return await read_upload(request, limit, max_bytes)
    body = _json((await request.body()).decode("utf-8", errors="replace"), "body")
    if not isinstance(body, dict):
        raise InvalidRequest(
            "body: expected a JSON object with incident and recipients",
            details=[{"field": "body", "message": "not an object"}],
        )
    unknown = sorted(set(body) - {"incident", "recipients", "recipients_csv"})
    if unknown:
        raise InvalidRequest(
            f"{unknown[0]}: unknown field; send incident and recipients (or recipients_csv)",
            details=[{"field": f, "message": "unknown field"} for f in unknown],
        )
    if "incident" not in body:
        raise InvalidRequest(
            "incident: missing", details=[{"field": "incident", "message": "missing"}]
        )
    template = _incident(body["incident"])
    if "recipients_csv" in body:
        if "recipients" in body:
            raise InvalidRequest(
                "recipients: send either recipients or recipients_csv, not both",
                details=[{"field": "recipients", "message": "both given"}],
            )
        csv_text = body["recipients_csv"]
        if not isinstance(csv_text, str) or not csv_text:
            raise InvalidRequest(
                "recipients_csv: expected CSV text with a header row",
                details=[{"field": "recipients_csv", "message": "not CSV text"}],
            )
        return template, _recipients_csv(csv_text, template, limit)
    if "recipients" not in body:
        raise InvalidRequest(
            "recipients: missing", details=[{"field": "recipients", "message": "missing"}]
        )
    rows = parse.from_json(body["recipients"], limit)
    parse.check_columns(parse.columns_of(rows), template)
    return template, rows


_BODY_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": BATCH_REQUEST_SCHEMA},
            "multipart/form-data": {
                "schema": BATCH_UPLOAD_SCHEMA,
                "encoding": {
                    "incident": {"contentType": "application/json"},
                    "recipients": {"contentType": "text/csv"},
                },
            },
        },
    }
}

# What only these routes answer; the statuses every route shares (keys, body gate, validation)
# are documented once for the whole app (`service.openapi_answers`).
_ERROR = {"model": ErrorBody}
_UNAVAILABLE = {
    **_ERROR,
    "description": "The store could not be reached (`store_unavailable`), or the batch queue "
    "is not running (`batches_unavailable`)",
}
_SUBMIT: dict[int | str, dict[str, Any]] = {
    400: {
        **_ERROR,
        "description": "A JSON body that is not UTF-8 (`undecodable_body`), or a form upload "
        "that cannot be parsed as multipart/form-data (`invalid_upload`)",
    },
    413: {
        **_ERROR,
        "description": "Over the batch body limit (`payload_too_large`), or more recipients "
        "than one batch may hold (`too_many_recipients`)",
    },
    422: {
        **_ERROR,
        "description": "Invalid incident or recipients, or an upload without its incident "
        "or recipients part (`invalid_request`, `details` names each field); CSV that cannot "
        "be read as recipients (`invalid_recipients_csv`, naming the line or column); a "
        "column setting a remedy the incident does not have (`no_such_remedy`)",
    },
    415: {
        **_ERROR,
        "description": "The body is neither application/json nor multipart/form-data "
        "(`unsupported_media_type`)",
    },
    503: _UNAVAILABLE,
}
_READ: dict[int | str, dict[str, Any]] = {
    404: {**_ERROR, "description": "No batch has this id (`batch_not_found`)"},
    503: _UNAVAILABLE,
}

BatchId = Annotated[str, Path(min_length=1, max_length=64, description="The batch's `id`")]

router = APIRouter()


@router.post(
    "/v1/batches",
    status_code=202,
    response_model=BatchStatus,
    responses=_SUBMIT,
    openapi_extra=_BODY_DOC,
)
async def create_batch(request: Request, response: Response, service: ServiceDep) -> BatchStatus:
    """Queue one letter per recipient of an incident; answers the job's id at once. Send JSON,
    or upload the incident (JSON) and the recipients (a CSV file) as `multipart/form-data`."""
    settings = service.settings
    template, rows = await read_batch(
        request, settings.batch_max_recipients, settings.batch_max_body_bytes
    )
    key_name = getattr(request.state, "key_name", None)
    job = await service.submit(template, rows, key_name)
    response.headers["Location"] = f"/v1/batches/{job.id}"
    return _status(job)


async def _job(service: BatchService, batch_id: str, request: Request) -> Job:
    """The batch, if the caller may see it: with API keys, only the key that submitted it."""
    job = await anyio.to_thread.run_sync(service.batches.get, batch_id)
    caller = getattr(request.state, "key_name", None)
    if job is None or (job.key_name is not None and job.key_name != caller):
        raise BatchNotFound(f"no batch {batch_id!r}")
    return job


@router.get("/v1/batches/{batch_id}", response_model=BatchStatus, responses=_READ)
async def read_batch_status(
    batch_id: BatchId, request: Request, service: ServiceDep
) -> BatchStatus:
    """Progress: how many letters are done, failed and pending."""
    return _status(await _job(service, batch_id, request))


@router.get(
    "/v1/batches/{batch_id}/results",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"application/x-ndjson": {}, "text/csv": {}},
            "description": "One line per processed recipient, in the batch's order",
        },
        **_READ,
    },
)
async def read_batch_results(
    batch_id: BatchId,
    request: Request,
    service: ServiceDep,
    format: Annotated[Literal["ndjson", "csv"] | None, Query()] = None,
    status: Annotated[Literal["all", "failed"], Query()] = "all",
) -> StreamingResponse:
    """The letters so far (all of them once the job is done), as NDJSON or CSV."""
    await _job(service, batch_id, request)
    if format is None:
        format = "csv" if "text/csv" in request.headers.get("accept", "") else "ndjson"
    rows = service.batches.results(batch_id, only_failed=status == "failed")
    lines: Iterator[str] = csv_lines(rows) if format == "csv" else ndjson_lines(rows)
    media = "text/csv; charset=utf-8" if format == "csv" else "application/x-ndjson"
    return StreamingResponse(lines, media_type=media)


@contextlib.asynccontextmanager
async def batch_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Run the app's batch queue for as long as the app runs, resuming unfinished jobs.

    Uses the app's store (`app.state.store`) when it has one, else opens the configured one.
    """
    settings: Settings = app.state.settings
    store: Store | None = getattr(app.state, "store", None)
    owned = store is None
    if store is None:
        store = await anyio.to_thread.run_sync(Store.open, settings)
    batches = BatchStore(store)
    service = BatchService(batches, settings, app.state.pipeline)
    app.state.batches = service
    await service.start()
    try:
        yield
    finally:
        await service.stop()
        if owned:
            store.close()
