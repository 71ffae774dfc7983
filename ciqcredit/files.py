"""Files written after commit: a rolled-back transaction leaves no file behind.

`file_attach` gives a model's file field its final storage name at once (saved with the row, in the
transaction) and writes the bytes to storage in `transaction.on_commit`. If the transaction rolls back, the
row and the pending write go together; nothing reaches the disk. The name carries a short random part, so
two transactions attaching files of the same name never reserve the same path (storage is not consulted
until commit).
"""

import secrets
from typing import Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.fields.files import FieldFile

from ciqcredit.errors import DomainError

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


def evidence_name(file: Any, *, field: str = "file") -> str:
    """The plain name of an uploaded evidence file (no path), refusing an empty or oversized upload."""
    name = (getattr(file, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name:
        raise DomainError("required", "请选择要上传的证据文件", {"field": field}, status=422)
    if (getattr(file, "size", None) or 0) > MAX_EVIDENCE_BYTES:
        raise DomainError("file_too_large", "证据文件不能超过20MB", {"field": field}, status=422)
    return name[:200]


def file_attach(field_file: FieldFile, name: str, content: File) -> str:
    """Set `field_file` (e.g. `notice.proof_file`) to a new name built from `name`; write `content` on commit.

    The caller saves the instance (with the field in `update_fields`). Returns the stored name.
    """
    field, instance = field_file.field, field_file.instance
    base, dot, ext = name.rpartition(".")
    unique = f"{base}_{secrets.token_hex(4)}.{ext}" if dot else f"{name}_{secrets.token_hex(4)}"
    stored = field.generate_filename(instance, unique)
    if hasattr(content, "seek"):
        content.seek(0)
    data = b"".join(content.chunks())  # read now: an upload's temporary file ends with its request
    setattr(instance, field.attname, stored)
    transaction.on_commit(lambda: _write(field.storage, stored, data))
    return stored


def _write(storage: Storage, name: str, data: bytes) -> None:
    written = storage.save(name, ContentFile(data))
    if written != name:  # the random part makes this a bug, not a race to paper over
        raise RuntimeError(f"file {name} was stored as {written}")
