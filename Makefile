# Safeguard: `make demo` and `make test` are the whole set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help demo test test-fast lint format bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP) ## Migrate, generate the synthetic council, print its figures, serve the web app (ARGS=--no-serve to stop after printing)
	$(BIN)/safeguard demo $(ARGS)

test: $(STAMP) ## Run lint and the whole test suite (SQLite unless SAFEGUARD_DATABASE_URL is set)
	$(BIN)/ruff check safeguard tests benchmarks
	$(BIN)/python -m pytest $(ARGS)

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check safeguard tests benchmarks
	$(BIN)/ruff format --check safeguard tests benchmarks

format: $(STAMP) ## Format the code with ruff
	$(BIN)/ruff format safeguard tests benchmarks

bench: $(STAMP) ## Run every benchmark and print its figures
	$(BIN)/python -m benchmarks $(ARGS)

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) var
