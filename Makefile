# The two commands a newcomer needs: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve test lint typecheck bench eval alerts fuzz clean property

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/amends serve

test: $(STAMP)
	$(BIN)/ruff check contract service prompts guardrails eval tests benchmarks
	$(BIN)/ruff format --check contract service prompts guardrails eval tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest
	$(BIN)/amends eval --baseline eval/baseline.json --quiet

lint: $(STAMP)
	$(BIN)/ruff check contract service prompts guardrails eval tests benchmarks
	$(BIN)/ruff format --check contract service prompts guardrails eval tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/guardrails.py
	$(BIN)/python benchmarks/real_corpus.py
	$(BIN)/python benchmarks/audit.py
	$(BIN)/python benchmarks/http_checks.py

# The composer's invariant over thousands of generated requests (make test runs 60).
property: $(STAMP)
	AMENDS_PROPERTY_EXAMPLES=$${AMENDS_PROPERTY_EXAMPLES:-3000} nice -n 10 $(BIN)/pytest -q -s \
		tests/test_composer_property.py

eval: $(STAMP)
	$(BIN)/amends eval

alerts:
	cd ops/prometheus && promtool check config prometheus.yml && promtool test rules alerts.test.yml

# Schemathesis over HTTP against a real server: >= 2,000 requests, no failure allowed.
fuzz: $(STAMP)
	$(BIN)/python tests/fuzz_server.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
