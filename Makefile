# The two commands a newcomer needs: `make demo` (set up, build, validate, grade examples)
# and `make test`. Everything runs in .venv, created here from pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast build validate lint format bench clean pyc

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Python writes no bytecode where PYTHONDONTWRITEBYTECODE is set (as on this project's CI
# machines): every `mml` process and every zygote would compile the framework again (about
# 0.1 s each). compileall writes it explicitly; a stale file is only ignored, never run.
pyc: $(STAMP)
	$(BIN)/python -m compileall -q autograder

demo: $(STAMP) pyc
	$(BIN)/mml build
	$(BIN)/mml validate
	$(BIN)/python scripts/demo.py

test: $(STAMP) pyc
	$(BIN)/pytest -q

# The edit-test loop: everything but the tests that build with otter assign or run otter or
# kernels (marked slow); under a minute.
test-fast: $(STAMP) pyc
	$(BIN)/pytest -q -m "not slow"

build: $(STAMP)
	$(BIN)/mml build

validate: $(STAMP)
	$(BIN)/mml validate

lint: $(STAMP)
	$(BIN)/ruff check autograder tests solutions scripts
	$(BIN)/ruff format --check autograder tests solutions scripts

format: $(STAMP)
	$(BIN)/ruff format autograder tests solutions scripts

bench: $(STAMP) pyc
	$(BIN)/python scripts/bench.py

clean:
	rm -rf dist demo-out bench-out
