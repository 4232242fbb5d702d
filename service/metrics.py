"""Prometheus metrics (`GET /metrics`): requests, latency, guardrail outcomes, findings by rule,
fallbacks, salvages, re-asks, model calls, tokens, upstream errors, audit failures and the review
queue. Each app has its own registry, so several apps in one process (tests) never collide.

The alert rules in `ops/prometheus/alerts.yml` are written against these names; a test checks
that every metric an alert reads is exported here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from contract.report import GuardrailReport

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 90)
"""Seconds: composer drafts and checks take milliseconds, model drafts seconds (deadline 90 s)."""

_QUEUE_CACHE_S = 5.0


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "amends_http_requests",
            "HTTP requests answered, by route template and status",
            ["method", "route", "status"],
            registry=r,
        )
        self.latency = Histogram(
            "amends_http_request_duration_seconds",
            "Time to answer an HTTP request, by route template",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.drafts = Counter(
            "amends_drafts", "Drafts and rewrites answered", ["kind", "provider"], registry=r
        )
        self.fallbacks = Counter(
            "amends_fallbacks",
            "Letters the offline composer wrote because the model's could not be used",
            ["kind"],
            registry=r,
        )
        self.salvages = Counter(
            "amends_salvages",
            "Model letters the service repaired with mechanical edits",
            ["kind"],
            registry=r,
        )
        self.reasks = Counter(
            "amends_reasks", "Times the model was re-asked with the findings quoted", registry=r
        )
        self.model_calls = Counter(
            "amends_model_calls", "Calls to the model provider", ["provider"], registry=r
        )
        self.tokens = Counter(
            "amends_tokens", "Model tokens spent, failed attempts included", ["type"], registry=r
        )
        self.checks = Counter(
            "amends_guardrail_checks",
            "Guardrail checks: `attempt` is each letter a provider wrote, `check` a caller's "
            "text sent to /v1/checks, `review_edit` a reviewer's edit",
            ["source", "result"],
            registry=r,
        )
        self.findings = Counter(
            "amends_guardrail_findings",
            "Findings, by rule and severity, in every checked letter",
            ["rule", "severity"],
            registry=r,
        )
        self.upstream_errors = Counter(
            "amends_upstream_errors",
            "Model server failures (timeouts, refusals, unusable output), whether or not the "
            "composer then stepped in",
            ["code"],
            registry=r,
        )
        self.audit_failures = Counter(
            "amends_audit_write_failures",
            "Requests refused because their audit record could not be written",
            registry=r,
        )
        self.review_required = Counter(
            "amends_reviews_required", "Letters held for review, by reason", ["reason"], registry=r
        )
        self.review_decisions = Counter(
            "amends_review_decisions", "Review decisions taken", ["decision"], registry=r
        )
        self.review_queue = Gauge(
            "amends_review_queue_length",
            "Letters waiting for review (the shared queue, the same in every process)",
            registry=r,
        )

        self._children: dict[tuple[Any, tuple[str, ...]], Any] = {}

    def child(self, metric: Any, *values: str) -> Any:
        """`metric.labels(*values)`, kept: prometheus_client builds the key and takes a lock
        on every `labels()` call, and the label sets here are few and bounded (route
        templates, statuses, rule ids)."""
        key = (metric, values)
        found = self._children.get(key)
        if found is None:
            found = self._children[key] = metric.labels(*values)
        return found

    def watch_review_queue(self, count: Callable[[], int]) -> None:
        """Read the queue length from the store at scrape time, at most every few seconds."""
        cache = {"at": 0.0, "value": 0.0}

        def value() -> float:
            now = time.monotonic()
            if now - cache["at"] > _QUEUE_CACHE_S:
                try:
                    cache["value"] = float(count())
                except Exception:  # a scrape must not fail because the store is down
                    return float("nan")
                cache["at"] = now
            return cache["value"]

        self.review_queue.set_function(value)

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count and time one answered HTTP request (`route` is its template)."""
        self.child(self.requests, method, route, str(status)).inc()
        self.child(self.latency, method, route).observe(seconds)

    def observe_report(self, report: GuardrailReport, source: str) -> None:
        self.child(self.checks, source, "passed" if report.passed else "failed").inc()
        for finding in report.findings:
            self.child(self.findings, finding.rule, finding.severity).inc()

    def observe_draft(self, kind: str, meta: Any, report: GuardrailReport) -> None:
        """Count one answered draft or rewrite from its meta and final report."""
        self.drafts.labels(kind, meta.provider).inc()
        log = list(meta.attempt_log)
        final = log[-1] if log else None
        for attempt in log:
            if attempt is final:
                continue  # the final letter's report is counted in full below
            self.checks.labels("attempt", "passed" if attempt.passed else "failed").inc()
            for rule in attempt.failed_rules:
                self.findings.labels(rule, "error").inc()
        self.observe_report(report, "attempt")
        model_attempts = [a for a in log if a.provider != "offline"]
        if model_attempts:
            self.model_calls.labels(model_attempts[0].provider).inc(len(model_attempts))
            self.reasks.inc(len(model_attempts) - 1)
        if meta.fallback:
            self.fallbacks.labels(kind).inc()
            code = (meta.fallback_reason or "").split(":", 1)[0]
            if code.startswith("upstream_"):
                self.upstream_errors.labels(code).inc()
        if getattr(meta, "salvage", None):
            self.salvages.labels(kind).inc()
        self.tokens.labels("prompt").inc(meta.usage.prompt_tokens)
        self.tokens.labels("completion").inc(meta.usage.completion_tokens)
