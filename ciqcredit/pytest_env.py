"""Loaded by pytest before Django (`-p ciqcredit.pytest_env` in pyproject.toml): the suite runs the development
settings, as `make run` does; tests of the production defaults start their own processes with their own environment."""

import os

os.environ.setdefault("DEBUG", "1")
