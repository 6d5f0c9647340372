# hcc — two commands on a fresh machine (python3, make, git):
#   make run    install everything, build the site and serve the portal on http://127.0.0.1:8000
#   make test   install everything and run the whole test suite
.DEFAULT_GOAL := help
SHELL := /bin/bash

UV_VERSION := 0.13.8
BOOTSTRAP := .bootstrap
UV := $(BOOTSTRAP)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: help install run build check test test-fast lint format bench clean browser

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

$(UV):
	@echo "==> Bootstrapping uv $(UV_VERSION) into $(BOOTSTRAP)/"
	python3 -m venv $(BOOTSTRAP)
	$(BOOTSTRAP)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	@echo "==> Installing the locked dependencies into $(VENV)/"
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen
	@touch $@

install: $(VENV)/.synced ## Install everything (uv, locked dependencies, the hcc command)

run: install ## Install, build the site and serve the portal on http://127.0.0.1:8000
	$(VENV)/bin/hcc up

build: install ## Build the static site into build/site
	$(VENV)/bin/hcc build

check: install ## Validate the catalog data files
	$(VENV)/bin/hcc catalog check

browser: ## Install Debian's chromium for the browser tests when it is missing
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  echo "==> Installing Debian's chromium for the browser tests (apt-get)"; \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO="sudo"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

test: install browser ## Install everything and run the whole test suite
	$(VENV)/bin/hcc catalog check
	$(PY) -m pytest

test-fast: install ## Run the tests without the browser
	$(PY) -m pytest -m "not browser"

lint: install ## ruff (lint + format check) and mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install ## Format the code with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install ## Run the site-build benchmark (see docs/benchmarks.md)
	$(PY) bench/site_build.py

clean: ## Remove build output (keeps the database and the virtual environment)
	rm -rf build
