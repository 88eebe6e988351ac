# Every target creates and uses .venv itself, so a fresh clone needs only `make demo` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
DATA ?= callboard-data
SHARED ?= ../shared

.PHONY: demo test bench lint venv clean docs

# setup.py compiles the engine and the driver with mypyc; an editable install keeps
# importing the old binary after a source edit, so editing one reinstalls.
$(STAMP): pyproject.toml setup.py $(wildcard src/callboard/engine/*.py) src/callboard/sim/driver.py src/callboard/sim/timers.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,dask]'
	touch $(STAMP)

# The peers measured side by side (pyworkforce, Ciw, SimPy, statsforecast) are heavy
# and only the benchmarks need them.
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,dask,bench]'
	touch $(BENCH_STAMP)

venv: $(STAMP)

# Real history first (import and KPIs), then a live demo center with simulated
# callers and agents at accelerated time; Ctrl-C stops it.
demo: $(STAMP)
	$(BIN)/callboard --data $(DATA) import anonymous-bank $(SHARED)/data/anonymous-bank/1999-01.txt --tz Asia/Jerusalem
	$(BIN)/callboard --data $(DATA) kpi --by day --by queue
	$(BIN)/callboard --data $(DATA) demo --scenario examples/scenarios/heating.yaml

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

# docs/kpi.md is written from the KPI registry; tests/kpi/test_dictionary_doc.py fails when it is stale.
docs: $(STAMP)
	$(BIN)/python -m callboard.kpi.dictionary_doc > docs/kpi.md

bench: $(BENCH_STAMP)
	@for b in bench/*/run.py; do echo "== $$b"; PYTHONPATH=. $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) $(DATA) .pytest_cache .mypy_cache .ruff_cache build
	rm -f src/*.so src/callboard/engine/*.so src/callboard/sim/*.so
