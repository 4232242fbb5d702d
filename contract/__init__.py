"""What the API and every package agree on, at the bottom of the import graph.

- `contract.models`: the request and response models of the HTTP API (`DraftRequest`,
  `RewriteRequest`, `CheckRequest`, `Draft`, `DraftMeta`, ...);
- `contract.report`: the guardrail report (`GuardrailReport`, `Finding`, `Fix`, element
  evidence);
- `contract.catalog`: the catalog model and its loader (the YAML under `contract/catalog/`);
- `contract.yaml_files`: the one YAML reader for data files.

This package imports none of the others: `contract` ← `guardrails`, `prompts` ← `service` ←
`eval` (see `tests/test_layers.py`).
"""
