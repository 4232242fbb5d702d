"""Batches for mass incidents: one incident, thousands of recipients, a checked letter each.

`recipients` parses and merges per-recipient facts, `work` drafts them (a process pool for the
composer, bounded concurrency for a model), `store` keeps jobs and letters in the store,
`runner` drives a job to the end (resumably), `api` serves `/v1/batches`, `cli` is
`amends batch`.
"""
