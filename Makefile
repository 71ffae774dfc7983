# Quick start: `make run` serves the platform with demo data; `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test test-fast setup demo lint typecheck bench clean

$(BIN)/ciqcredit: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(BIN)/ciqcredit
	$(BIN)/ciqcredit setup

run: setup
	$(BIN)/ciqcredit demo --if-empty
	$(BIN)/ciqcredit runserver $(HOST)

# SQLite always; PostgreSQL too when DATABASE_URL points at one.
test: $(BIN)/ciqcredit
	env -u DATABASE_URL $(BIN)/pytest -q
	@case "$$DATABASE_URL" in \
	  postgres*) echo "== PostgreSQL: $$DATABASE_URL"; $(BIN)/pytest -q ;; \
	  *) echo "== DATABASE_URL does not point at PostgreSQL: PostgreSQL run skipped" ;; \
	esac

# While working: SQLite only, no browser (the whole suite stays `make test`).
test-fast: $(BIN)/ciqcredit
	env -u DATABASE_URL $(BIN)/pytest -q -m "not browser"

# Style, migrations, the layers contract (pyproject.toml, docs/architecture.md) and types.
lint: $(BIN)/ciqcredit
	$(BIN)/ruff check ciqcredit benchmarks
	$(BIN)/ruff format --check ciqcredit benchmarks
	$(BIN)/ciqcredit makemigrations --check --dry-run
	$(BIN)/lint-imports
	$(BIN)/mypy

# mypy alone: django-stubs over the domain code (settings in pyproject.toml; docs/architecture.md, "Types").
typecheck: $(BIN)/ciqcredit
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var .pytest_cache
