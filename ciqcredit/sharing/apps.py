from django.apps import AppConfig


class SharingConfig(AppConfig):
    """信用信息共享: agreements with partner regulators, what they read (logged), joint measures' feedback."""

    name = "ciqcredit.sharing"
    verbose_name = "信用信息共享"
