# The two quick-start commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Ingest the bundled sample feeds into data/news.duckdb and show one query.
run: $(STAMP)
	$(BIN)/newsetl ingest --config seeds/sample/feeds.toml
	$(BIN)/newsetl sql "SELECT speaker, quotes, articles, first_date FROM speakers ORDER BY quotes DESC, speaker LIMIT 5"

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check flows extract warehouse bench tests

bench: $(STAMP)
	$(BIN)/python -m bench.ingest

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache .hypothesis
