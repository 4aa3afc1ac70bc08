# Two commands do all the set-up on a fresh machine:
#   make demo   -> installs the package in .venv and runs `newsrights demo` on the bundled demo data
#   make test   -> installs dev dependencies, starts the test services (PostgreSQL, Chromium, Java) and runs pytest
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: demo test install install-dev lint bench serve-demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -qq --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -qq -e .
	$(BIN)/python -m newsrights.core.matching.warmup
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/pip install -qq -e '.[dev,postgres,spark]'
	$(BIN)/python -m newsrights.core.matching.warmup
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: $(VENV)/.installed
	@bash scripts/font.sh
	$(BIN)/newsrights demo

test: $(VENV)/.installed-dev
	bash scripts/test.sh

serve-demo: $(VENV)/.installed
	@bash scripts/font.sh
	$(BIN)/newsrights demo --serve

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench

bench: $(VENV)/.installed-dev
	bash bench/run_all.sh

clean:
	rm -rf $(VENV) newsrights.db newsrights-data .pytest_cache
