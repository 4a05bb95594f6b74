# Steward: `make run` to try it, `make test` to test it. See README.md.
SHELL := /bin/bash
PORT ?= 8000
# uv from the PATH if there is one, otherwise a private copy installed from PyPI.
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV_BIN := .venv/bin
STEWARD := $(VENV_BIN)/steward

.PHONY: install run test test-python browser-test lint format bench clean

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv

.venv/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# NHS.UK frontend styles compiled without third-party web fonts (see the .scss).
build/static/steward/nhsuk.css: steward/core/assets/nhsuk.scss node_modules/.installed
	mkdir -p $(@D)
	npx --no-install sass --load-path=node_modules --style=compressed --no-source-map \
		--quiet-deps $< $@

install: .venv/.installed node_modules/.installed build/static/steward/nhsuk.css

run: install
	@export DEBUG=$${DEBUG:-1}; \
	$(STEWARD) migrate --noinput && \
	$(STEWARD) demo && \
	$(STEWARD) serve --port $(PORT)

lint: install
	$(VENV_BIN)/ruff check .
	$(VENV_BIN)/ruff format --check .

format: install
	$(VENV_BIN)/ruff format .
	$(VENV_BIN)/ruff check --fix .

test-python: install
	$(VENV_BIN)/pytest -m "not browser" -n 2 -q

test: lint test-python

browser-test: install
	$(VENV_BIN)/pytest -m browser -q -p no:xdist

bench: install
	$(VENV_BIN)/python bench/audit_verify.py
	$(VENV_BIN)/python bench/register_search.py
	$(VENV_BIN)/python bench/register_import.py
	$(VENV_BIN)/python bench/receipt_codes.py
	$(VENV_BIN)/python bench/concerns_api.py

clean:
	rm -rf .venv .tools node_modules build staticfiles var
