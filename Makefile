# The two quick-start commands: `make run` and `make test`.
SHELL := bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint bench wheel-check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Ingest the bundled sample feeds into data/news.duckdb, show one query, write the report.
run: $(STAMP)
	$(BIN)/newsetl ingest --config seeds/sample/feeds.toml
	$(BIN)/newsetl sql "SELECT speaker, quotes, articles, first_date FROM speakers ORDER BY quotes DESC, speaker LIMIT 5"
	$(BIN)/newsetl report

# the whole suite, on every core
test: $(STAMP)
	$(BIN)/python -m pytest -n auto

# the inner loop: everything but the slow marks (flows in the engine, subprocesses)
test-fast: $(STAMP)
	$(BIN)/python -m pytest -n auto -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check newsetl flows extract warehouse bench tests
	rm -rf build/typecheck && mkdir -p build/typecheck/newsetl
	cp newsetl/*.py build/typecheck/newsetl/ && cp -r extract flows warehouse build/typecheck/newsetl/
	set -o pipefail; $(BIN)/basedpyright | sed -E 's#build/typecheck/newsetl/(extract|flows|warehouse)/#\1/#; s#build/typecheck/##'

bench: $(STAMP)
	$(BIN)/python -m bench.ingest

# Build the wheel and run it from a clean venv: the package works installed, not only editable.
wheel-check: $(STAMP)
	rm -rf build/wheel-check
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir build/wheel-check/dist .
	$(PYTHON) -m venv build/wheel-check/venv
	build/wheel-check/venv/bin/python -m pip install --quiet build/wheel-check/dist/*.whl
	cd build/wheel-check && venv/bin/newsetl --help > /dev/null && venv/bin/python -m newsetl --version

clean:
	rm -rf $(VENV) build data .pytest_cache .ruff_cache .hypothesis
