"""The offline eval suite: cases (requests, reference letters, expected facts), metrics, runs.

`amends eval` (or `python -m eval`) drafts every case in `eval/cases/` with the configured
provider, scores each draft and compares the run with a committed baseline. Gating metrics
(guardrails, required elements, fact fidelity, channel limits) decide pass/fail; similarity,
length, readability and apology-phrase counts are supporting signals with per-case thresholds.
"""
