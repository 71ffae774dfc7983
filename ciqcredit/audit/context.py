"""The request id of the work in progress, so audit rows can be tied back to one request or command."""

import contextvars
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("ciqcredit_request_id", default="")


def current_request_id() -> str:
    return _request_id.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextmanager
def request_context(request_id: str | None = None) -> Iterator[str]:
    token = _request_id.set(request_id or new_request_id())
    try:
        yield _request_id.get()
    finally:
        _request_id.reset(token)
