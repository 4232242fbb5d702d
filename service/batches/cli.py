"""`amends batch incident.json recipients.csv -o letters.jsonl`: a letter for every recipient,
with a progress bar, persisted in the store as it goes.

The job's id is derived from its input, so running the same command again after an
interruption (Ctrl-C, a closed terminal, a crash) resumes it: the letters already in the store
are kept and only the pending recipients are drafted. The output file is written from the
store once every recipient has a letter or an error, in the recipients' order; `.csv` writes
CSV, anything else NDJSON.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from tqdm import tqdm

from contract.models import DraftRequest
from service.batches import recipients as parse
from service.batches.formats import csv_lines, ndjson_lines
from service.batches.runner import run_job
from service.batches.store import BatchStore, Job, fingerprint
from service.batches.work import choose_drafter
from service.errors import AmendsError
from service.pipeline import build_pipeline
from service.settings import Settings, get_settings
from service.store import Store


class BatchInputError(Exception):
    """The incident or recipients file cannot be used; the message names the file and field."""


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BatchInputError(f"cannot read {path}: {exc}") from exc


def load_inputs(
    incident_path: str, recipients_path: str, limit: int
) -> tuple[DraftRequest, list[dict[str, str | None]]]:
    try:
        template = DraftRequest.model_validate_json(_read(incident_path))
    except ValidationError as exc:
        from service.http_errors import describe_validation

        lines = [f"  {d['field']}: {d['message']}" for d in describe_validation(exc.errors())]
        message = f"{incident_path} is not a valid DraftRequest:\n" + "\n".join(lines)
        raise BatchInputError(message) from exc
    text = _read(recipients_path)
    try:
        if recipients_path.endswith(".json"):
            import json

            rows = parse.from_json(json.loads(text), limit)
        else:
            rows = parse.from_csv(text, limit)
        if not rows:
            raise BatchInputError(f"{recipients_path} has no recipients")
        parse.check_columns(parse.columns_of(rows), template)
    except AmendsError as exc:  # bad CSV or columns (422s), too many recipients (413)
        raise BatchInputError(f"{recipients_path}: {exc.message}") from exc
    except ValueError as exc:  # JSON syntax
        raise BatchInputError(f"{recipients_path}: {exc}") from exc
    return template, rows


def write_results(batches: BatchStore, job_id: str, output: Path, fmt: str) -> None:
    """Write every result in order to a temporary file, then move it into place."""
    partial = output.with_name(output.name + ".partial")
    lines = csv_lines if fmt == "csv" else ndjson_lines
    with partial.open("w", encoding="utf-8", newline="") as handle:
        for line in lines(batches.results(job_id)):
            handle.write(line)
    partial.replace(output)


def run(args: argparse.Namespace, settings: Settings) -> int:
    template, rows = load_inputs(args.incident, args.recipients, settings.batch_max_recipients)
    output = Path(args.output)
    fmt = args.format or ("csv" if output.suffix.lower() == ".csv" else "ndjson")
    pipeline = build_pipeline(settings)
    template_json = template.model_dump(mode="json")
    job_id = fingerprint([template_json, rows, pipeline.provider.name, pipeline.provider.model])
    job_id = job_id[:32]
    # Off (the default), a letter's audit record omits `incident.customer_message`; the
    # drafter (`choose_drafter`) reads `store_customer_message` and encodes the record so.
    batches = BatchStore(Store.open(settings))
    job = batches.get(job_id)
    if job is not None and args.restart:
        job = None
        job_id = os.urandom(16).hex()
    if job is None:
        job = batches.create(template_json, rows, job_id=job_id)
    elif job.pending:
        print(
            f"resuming batch {job.id}: {job.done + job.failed} of {job.total} already drafted",
            file=sys.stderr,
        )
    # Chosen (and, for the composer, its workers started) before the progress bar and the
    # event loop start threads of their own, so the workers can be forked from this warm
    # process rather than each spawned to load everything again.
    drafter = choose_drafter(settings, pipeline, template_json, job.pending, args.workers)
    bar = tqdm(
        total=job.total,
        initial=job.done + job.failed,
        unit="letter",
        desc="letters",
        disable=args.quiet,
        file=sys.stderr,
        dynamic_ncols=True,
    )

    def progress(current: Job) -> None:
        bar.update(current.done + current.failed - bar.n)
        bar.set_postfix(failed=current.failed, refresh=False)

    try:
        job = asyncio.run(
            run_job(
                batches,
                job.id,
                settings=settings,
                pipeline=pipeline,
                workers=args.workers,
                progress=progress,
                drafter=drafter,
            )
        )
    except KeyboardInterrupt:
        bar.close()
        drafter.close()
        batches.set_status(job.id, "paused")
        current = batches.get(job.id)
        kept = (current.done + current.failed) if current else 0
        print(
            f"\ninterrupted: {kept} of {job.total} letters are kept in the store; "
            "run the same command again to resume",
            file=sys.stderr,
        )
        return 130
    bar.close()
    drafter.close()
    write_results(batches, job.id, output, fmt)
    summary: dict[str, Any] = {"done": job.done, "failed": job.failed}
    print(
        f"batch {job.id}: {summary['done']} letters, {summary['failed']} failed "
        f"(each listed with its error) -> {output}",
        file=sys.stderr,
    )
    return 0 if job.failed == 0 else 1


def build_parser() -> argparse.ArgumentParser:
    batch = argparse.ArgumentParser(
        prog="amends batch", description=__doc__.splitlines()[0] if __doc__ else None
    )
    batch.add_argument("incident", help="the incident as a DraftRequest (JSON)")
    batch.add_argument(
        "recipients", help="recipients as CSV with a header row, or a .json list of objects"
    )
    batch.add_argument("-o", "--output", required=True, help="results file (.jsonl or .csv)")
    batch.add_argument("--format", choices=["ndjson", "csv"], help="default: from -o's suffix")
    batch.add_argument(
        "--workers", type=int, help="composer worker processes (default: one per core)"
    )
    batch.add_argument(
        "--restart", action="store_true", help="start over instead of resuming the same input"
    )
    batch.add_argument("--quiet", action="store_true", help="no progress bar")
    batch.add_argument("--provider", choices=["offline", "openai"], help="override AMENDS_PROVIDER")
    return batch


def main(argv: list[str]) -> int:
    """Exit codes: 0 every recipient has a letter, 1 some failed (listed in the output),
    2 bad input, 130 interrupted (run again to resume)."""
    args = build_parser().parse_args(argv)
    settings = get_settings()
    if args.provider:
        settings = settings.model_copy(update={"provider": args.provider})
    try:
        return run(args, settings)
    except BatchInputError as exc:
        print(f"amends batch: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
