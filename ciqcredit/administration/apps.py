from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    """Platform-wide set-up: reference data for a fresh install, and the demo."""

    name = "ciqcredit.administration"
    verbose_name = "平台管理"
