"""`amends`: serve the API, or draft, rewrite, check and browse the catalog from a terminal.

Requests are the same JSON the HTTP API takes, read from a file or standard input. Results
print readably, or as the API's JSON with `--json`. Exit codes: 0 done (for `check`: passed),
1 the check failed, 2 bad input, 3 the model or the guardrails could not produce a draft.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Callable
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from contract.models import CheckRequest, Draft, DraftRequest, RewriteRequest
from contract.report import GuardrailReport
from service.errors import AmendsError
from service.http_errors import describe_validation
from service.settings import Settings, get_settings

M = TypeVar("M", bound=BaseModel)


class InputError(Exception):
    """The request file could not be read or is not a valid request."""


def read_request(source: str, model: type[M]) -> M:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror}") from exc
    try:
        return model.model_validate_json(text)
    except ValidationError as exc:
        lines = [f"  {d['field']}: {d['message']}" for d in describe_validation(exc.errors())]
        raise InputError(f"{source} is not a valid {model.__name__}:\n" + "\n".join(lines)) from exc


def format_report(report: GuardrailReport) -> str:
    verdict = "passed" if report.passed else "FAILED"
    missing = [e.element for e in report.elements if e.required and not e.present]
    lines = [f"guardrails: {verdict}" + (f" (missing: {', '.join(missing)})" if missing else "")]
    for f in report.findings:
        lines.append(f"  {f.severity:<7} {f.rule} [{f.field} {f.start}-{f.end}] {f.excerpt!r}")
        lines.append(f"          {f.message}" + (f" Try: {f.suggestion}" if f.suggestion else ""))
    if report.skipped:
        lines.append(f"  skipped without context: {', '.join(report.skipped)}")
    return "\n".join(lines)


def format_draft(draft: Draft) -> str:
    meta = draft.meta
    head = f"Subject: {draft.subject}\n\n" if draft.subject else ""
    fallback = f", fallback: {meta.fallback_reason}" if meta.fallback else ""
    return (
        f"{head}{draft.body}\n\n{format_report(draft.guardrails)}\n"
        f"meta: {meta.provider}/{meta.model}, {meta.attempts} attempt(s), "
        f"{meta.latency_ms} ms, prompt {meta.prompt_version}{fallback}"
    )


def _emit(result: BaseModel, as_json: bool, readable: str) -> None:
    print(result.model_dump_json(indent=2) if as_json else readable)


def _settings(args: argparse.Namespace) -> Settings:
    settings = get_settings()
    if getattr(args, "provider", None):
        settings = settings.model_copy(update={"provider": args.provider})
    return settings


def store_configured(settings: Settings) -> bool:
    """A store was named (`AMENDS_DATABASE_URL`, or `AMENDS_DATA_DIR` in the environment): the
    terminal's drafts, rewrites and checks then enter its audit trail and review queue like
    the API's. Without one, the CLI writes nothing to disk."""
    return settings.database_url is not None or "AMENDS_DATA_DIR" in os.environ


def _recorded(settings: Settings, work: Callable[[Any], Any]) -> Any:
    """Run `work(recorder)` with the configured store's recorder (None without a store)."""
    if not store_configured(settings):
        return asyncio.run(work(None))
    from service.audit import Recorder
    from service.metrics import Metrics
    from service.store import Store

    store = Store.open(settings)
    try:
        return asyncio.run(work(Recorder(store, settings, Metrics())))
    finally:
        store.close()


def _record_line(draft: Draft) -> str:
    if draft.meta.id is None:
        return ""
    held = ""
    if draft.review.required:
        held = f"; held for review ({', '.join(draft.review.reasons)})"
    return f"\nrecorded as {draft.meta.id}{held}"


def _draft_and_print(
    args: argparse.Namespace, kind: str, request: DraftRequest | RewriteRequest
) -> int:
    """Draft (or rewrite), record it when a store is named, and print it."""
    from service.pipeline import build_pipeline

    settings = _settings(args)

    async def work(recorder: Any) -> Draft:
        pipeline = build_pipeline(settings)
        if isinstance(request, DraftRequest):
            draft = await pipeline.draft(request)
        else:
            draft = await pipeline.rewrite(request)
        return draft if recorder is None else await recorder.draft(kind, request, draft, None)

    draft = _recorded(settings, work)
    _emit(draft, args.json, format_draft(draft) + _record_line(draft))
    return 0


def _draft(args: argparse.Namespace) -> int:
    return _draft_and_print(args, "draft", read_request(args.request, DraftRequest))


def _rewrite(args: argparse.Namespace) -> int:
    request = read_request(args.request, RewriteRequest)
    overrides: dict[str, Any] = {
        k: v for k in ("tone", "channel", "operation") if (v := getattr(args, k)) is not None
    }
    if overrides:
        request = RewriteRequest.model_validate({**request.model_dump(), **overrides})
    return _draft_and_print(args, "rewrite", request)


def _check(args: argparse.Namespace) -> int:
    import guardrails
    from service.pipeline import check_request

    request = read_request(args.request, CheckRequest)
    settings = get_settings()
    report = check_request(request, guardrails.load_rules(settings.rule_packs))

    async def work(recorder: Any) -> str | None:
        return None if recorder is None else await recorder.check(request, report, None)

    record_id = _recorded(settings, work)
    recorded = f"\nrecorded as {record_id}" if record_id else ""
    _emit(report, args.json, format_report(report) + recorded)
    return 0 if report.passed else 1


def _catalog(args: argparse.Namespace) -> int:
    from contract.catalog import get_catalog
    from service.catalog_view import catalog_view

    view = catalog_view(get_catalog())
    lines: list[str] = []
    for section, items in view:
        lines.append(f"{section}:")
        lines.extend(f"  {item.key:<26} {item.description}" for item in items)
    _emit(view, args.json, "\n".join(lines))
    return 0


def _keys(args: argparse.Namespace) -> int:
    from service.keys import NAME_RULE, is_key_name, key_hash, new_key
    from service.store import Store

    if args.action == "create" and not is_key_name(args.name):
        raise InputError(f"a key's name is {NAME_RULE}, not {args.name[:120]!r}")
    store = Store.open(get_settings())
    try:
        if args.action == "create":
            key = new_key()
            store.add_key(args.name, key_hash(key), args.role)
            print(key)
            print(
                f"amends: created API key {args.name!r} ({args.role}); it is shown only now, "
                "store it safely",
                file=sys.stderr,
            )
        elif args.action == "revoke":
            if not store.revoke_key(args.name):
                print(f"amends: no active API key named {args.name!r}", file=sys.stderr)
                return 1
            print(f"revoked {args.name}")
        else:
            for stored in store.list_keys():
                revoked = stored.revoked_at
                state = f"revoked {revoked:%Y-%m-%d %H:%M}" if revoked else "active"
                print(
                    f"{stored.name:<30} {stored.role:<9} "
                    f"created {stored.created_at:%Y-%m-%d %H:%M}  {state}"
                )
    finally:
        store.close()
    return 0


def _serve(args: argparse.Namespace) -> int:
    from service.http_server import serve

    # The app reads its settings from the environment in each worker, so the address it
    # binds (which decides whether keys are required) goes there too.
    if args.host:
        os.environ["AMENDS_HOST"] = args.host
    if args.port:
        os.environ["AMENDS_PORT"] = str(args.port)
    get_settings.cache_clear()
    settings = get_settings()
    serve(settings, settings.host, settings.port, workers=args.workers)
    return 0


def _mcp(args: argparse.Namespace) -> int:
    from service.audit import Recorder
    from service.mcp_server import build_mcp_server
    from service.metrics import Metrics
    from service.pipeline import build_pipeline
    from service.store import Store

    settings = _settings(args)
    # Drafts made over stdio enter the same audit trail and review queue as the API's.
    store = Store.open(settings)
    recorder = Recorder(store, settings, Metrics())
    try:
        # stdout carries the protocol; everything else (logs) goes to stderr.
        build_mcp_server(build_pipeline(settings), recorder).run("stdio")
    finally:
        store.close()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="amends", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", help="default AMENDS_HOST (127.0.0.1)")
    serve.add_argument("--port", type=int, help="default AMENDS_PORT (8000)")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    serve.set_defaults(run=_serve)

    for name, run, what in (
        ("draft", _draft, "a DraftRequest"),
        ("rewrite", _rewrite, "a RewriteRequest"),
        ("check", _check, "a CheckRequest"),
    ):
        sub = commands.add_parser(name, help=f"{name} from {what} (JSON file or - for stdin)")
        sub.add_argument("request", nargs="?", default="-", help=f"{what} as JSON; - reads stdin")
        sub.add_argument("--json", action="store_true", help="print the API's JSON answer")
        if name != "check":
            sub.add_argument(
                "--provider", choices=["offline", "openai"], help="override AMENDS_PROVIDER"
            )
        sub.set_defaults(run=run)
    rewrite = commands.choices["rewrite"]
    rewrite.add_argument("--tone", help="target tone (a catalog key)")
    rewrite.add_argument("--channel", help="target channel")
    rewrite.add_argument(
        "--operation", help="none, shorten, expand, simplify, more_formal, friendlier"
    )

    keys = commands.add_parser("keys", help="create, list or revoke API keys")
    key_actions = keys.add_subparsers(dest="action", required=True)
    create = key_actions.add_parser("create", help="create a key and print it (shown only once)")
    create.add_argument("name", help="who the key is for, e.g. helpdesk-eu")
    create.add_argument(
        "--role",
        choices=("caller", "reviewer"),
        default="caller",
        help="caller (default): drafts, rewrites, checks and stored drafts; reviewer: also "
        "the review queue and its decisions",
    )
    key_actions.add_parser("list", help="every key's name, creation time and state")
    revoke = key_actions.add_parser("revoke", help="revoke a key at once, for every process")
    revoke.add_argument("name")
    keys.set_defaults(run=_keys)

    mcp = commands.add_parser(
        "mcp", help="serve the MCP tools over stdio (the HTTP app serves them at /mcp)"
    )
    mcp.add_argument("--provider", choices=["offline", "openai"], help="override AMENDS_PROVIDER")
    mcp.set_defaults(run=_mcp)

    catalog = commands.add_parser("catalog", help="list the catalog")
    catalog.add_argument("--json", action="store_true")
    catalog.set_defaults(run=_catalog)

    for name in sorted(_plugins()):
        commands.add_parser(name, help=f"see `amends {name} --help`", add_help=False)
    return parser


def _plugins() -> dict[str, EntryPoint]:
    """Commands other packages add through the `amends.commands` entry point group (the eval
    suite's `amends eval`), so this module never imports the packages layered above it."""
    return {point.name: point for point in entry_points(group="amends.commands")}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    plugin = _plugins().get(argv[0]) if argv else None
    if plugin is not None:
        run: Callable[[list[str]], int] = plugin.load()
        return run(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except InputError as exc:
        print(f"amends: {exc}", file=sys.stderr)
        return 2
    except ValidationError as exc:
        print(f"amends: {exc}", file=sys.stderr)
        return 2
    except AmendsError as exc:
        print(f"amends: {exc.code}: {exc.message}", file=sys.stderr)
        if exc.details:
            print(json.dumps(exc.details, indent=2, default=str), file=sys.stderr)
        return 3
    return code


if __name__ == "__main__":
    sys.exit(main())
