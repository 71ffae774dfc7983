# Quick start: `make run` serves the platform with demo data; `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test test-fast setup demo lint typecheck bench replica-check clean

# The platform defaults to production (DEBUG off, SECRET_KEY required); these development targets ask for DEBUG.
setup run lint typecheck: export DEBUG ?= 1

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
	$(BIN)/ruff check ciqcredit benchmarks scripts
	$(BIN)/ruff format --check ciqcredit benchmarks scripts
	$(BIN)/ciqcredit makemigrations --check --dry-run
	$(BIN)/lint-imports
	$(BIN)/mypy

# mypy alone: django-stubs over the domain code (settings in pyproject.toml; docs/architecture.md, "Types").
typecheck: $(BIN)/ciqcredit
	$(BIN)/mypy

# Every benchmark at a small size (a few minutes), on SQLite and, when DATABASE_URL points at PostgreSQL, there
# too; each ends with one JSON line of its figures. Full sizes: run the scripts without the size options.
BENCH_SIZES = enterprise_import.py --rows 20000; records_load.py --rows 20000 --enterprises 5000; \
	evaluation.py --enterprises 20000 --records 200000; name_search.py --enterprises 50000 --repeat 5
bench: $(BIN)/ciqcredit
	@echo "$(BENCH_SIZES)" | tr ';' '\n' | while read -r script args; do \
	  echo "== SQLite: $$script $$args"; env -u DATABASE_URL $(BIN)/python benchmarks/$$script $$args 2>/dev/null | tail -1; \
	  case "$$DATABASE_URL" in postgres*) \
	    echo "== PostgreSQL: $$script $$args"; $(BIN)/python benchmarks/$$script $$args 2>/dev/null | tail -1 ;; \
	  esac; \
	done

# A streaming replica of a fresh primary (pg_basebackup -R) and the platform against both; as root or postgres.
replica-check: $(BIN)/ciqcredit
	scripts/replica_check.sh

clean:
	rm -rf $(VENV) var .pytest_cache
