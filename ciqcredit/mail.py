"""Notifications by e-mail: sent after the commit of the change they tell about, never inside it.

A mail server that refuses or is down must not undo the change: the failure is logged (the to-do lists show the
same items anyway). The backend is Django's (settings.EMAIL_BACKEND: a file per message in the demo, SMTP in
production).
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

log = logging.getLogger("ciqcredit.mail")

SUBJECT_PREFIX = "【出入境检验检疫企业信用管理平台】"


def mail_after_commit(recipients: Iterable[str], subject: str, body: str) -> None:
    """Send one message to each address (others' addresses are not disclosed) once the transaction commits."""
    addresses = sorted({a for a in recipients if a})
    if not addresses:
        return

    def send() -> None:
        for address in addresses:
            try:
                send_mail(SUBJECT_PREFIX + subject, body, settings.DEFAULT_FROM_EMAIL, [address])
            except OSError:  # SMTP refusals and connection failures; the change itself is already committed
                log.exception("mail to %s not sent: %s", address, subject)

    transaction.on_commit(send)
