"""The per-process cache of bearer tokens (`auth.bearer_user` fills it): token digest → the valid token and its
user, for at most `API_TOKEN_CACHE_SECONDS`. The services that revoke, rotate or deactivate empty it in their own
process, at once and again after the commit; other processes see such a change when their entry runs out."""

import threading
import time
from typing import Any

_lock = threading.Lock()
_entries: dict[str, tuple[float, Any]] = {}
_LIMIT = 10_000  # distinct tokens kept; past it the cache starts afresh


def cached(digest: str) -> Any:
    """The token kept for `digest` while it is fresh, else None."""
    entry = _entries.get(digest)
    if entry is None or entry[0] <= time.monotonic():
        return None
    return entry[1]


def keep(digest: str, token: Any, seconds: float) -> None:
    with _lock:
        if len(_entries) >= _LIMIT:
            _entries.clear()
        _entries[digest] = (time.monotonic() + seconds, token)


def forget_tokens() -> None:
    """Empty this process's cache (after a token or an account changed)."""
    with _lock:
        _entries.clear()
