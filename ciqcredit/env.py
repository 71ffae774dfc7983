"""Settings from the environment: each helper fails fast on a malformed value and has a local default."""

import datetime as dt
import os

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_date(name: str) -> dt.date | None:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be YYYY-MM-DD, got {raw!r}") from exc


def _env_number(name: str, default, kind: type, what: str):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return kind(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be {what}, got {raw!r}") from exc


def env_int(name: str, default: int) -> int:
    return _env_number(name, default, int, "an integer")


def env_float(name: str, default: float) -> float:
    return _env_number(name, default, float, "a number")


def env_rates(name: str) -> dict[str, float]:
    """`client=rate,client=rate` -> {client: rate}."""
    rates = {}
    for part in env_list(name, []):
        client, _, rate = part.partition("=")
        try:
            rates[client.strip()] = float(rate)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name} must be client=rate pairs separated by commas, got {part!r}") from exc
    return rates


# Shorter keys are refused; `check --deploy` asks for 50 characters, which docs/production.md's example meets.
SECRET_KEY_MIN_LENGTH = 32


def env_secret_key(name: str, *, debug: bool, development_key: str) -> str:
    """The signing key: a built-in one only under DEBUG; outside it a missing, short or known key stops start-up."""
    raw = os.environ.get(name, "")
    if not raw:
        if debug:
            return development_key
        raise ImproperlyConfigured(
            f"{name} must be set when DEBUG is off (development: DEBUG=1). "
            'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    if not debug and (
        raw == development_key
        or raw.startswith("django-insecure")
        or len(raw) < SECRET_KEY_MIN_LENGTH
        or len(set(raw)) < 5
    ):
        raise ImproperlyConfigured(
            f"{name} is too short or a known development key: use at least {SECRET_KEY_MIN_LENGTH} random characters"
        )
    return raw
