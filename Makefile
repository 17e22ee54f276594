# Safeguard: `make demo` and `make test` are the whole set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help demo test lint audit audit-offline browser format bench dast clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# venv's bundled setuptools (65.5 on Python 3.11) has known advisories: the build pin instead.
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3 setuptools==80.9.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP) ## Migrate, generate the synthetic council, print its figures, serve the web app (ARGS=--no-serve to stop after printing)
	$(BIN)/safeguard demo $(ARGS)

test: $(STAMP) browser ## Lint, security audit and the whole test suite (SQLite unless SAFEGUARD_DATABASE_URL is set)
	$(BIN)/ruff check safeguard tests benchmarks conftest.py
	$(BIN)/ruff format --check safeguard tests benchmarks conftest.py
	$(MAKE) --no-print-directory audit
	$(BIN)/python -m pytest $(ARGS)

audit: $(STAMP) ## bandit (no high findings) and pip-audit of the pinned dependencies
	$(BIN)/bandit -c bandit.yaml -r safeguard -lll -q
	@# Fails on any known vulnerability; packages its service could not reach are listed as skipped.
	set -o pipefail; $(BIN)/pip-audit --skip-editable --progress-spinner off 2>&1 \
	  | awk '/could not be audited/ {n++; next} {print} \
	    END {if (n) print "pip-audit: " n " packages not audited (vulnerability service unreachable)"}'

ADVISORIES ?= advisory-database/vulns
audit-offline: $(STAMP) ## pip-audit against a local copy of github.com/pypa/advisory-database (ADVISORIES=its vulns/ folder)
	$(BIN)/python -m tests.security.offline_audit $(ADVISORIES) --skip-editable

browser: ## Debian's Chromium for the browser tests (installed when missing and run as root)
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "chromium not installed: browser tests will be skipped"; }

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check safeguard tests benchmarks conftest.py
	$(BIN)/ruff format --check safeguard tests benchmarks conftest.py

format: $(STAMP) ## Format the code with ruff
	$(BIN)/ruff format safeguard tests benchmarks conftest.py

bench: $(STAMP) ## Run every benchmark and print its figures (ARGS=generate runs one)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m benchmarks $(ARGS)

WAPITI_VENV ?= /tmp/safeguard-wapiti
WAPITI_VERSION ?= 3.2.3
dast: $(STAMP) ## wapiti (DAST) on loopback against the demo app; fails on a high finding (not in `make test`)
	@# wapiti has its own venv: its pins clash with ours, and it is a scanner, not a dependency.
	test -x $(WAPITI_VENV)/bin/wapiti || { $(PYTHON) -m venv $(WAPITI_VENV) \
	  && $(WAPITI_VENV)/bin/pip install --quiet wapiti3==$(WAPITI_VERSION); }
	WAPITI=$(WAPITI_VENV)/bin/wapiti $(BIN)/python -m tests.security.dast $(ARGS)

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) var
