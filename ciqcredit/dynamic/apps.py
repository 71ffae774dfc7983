from django.apps import AppConfig


class DynamicConfig(AppConfig):
    """动态管理: written notices, immediate downgrade and the serious dishonesty list."""

    name = "ciqcredit.dynamic"
    verbose_name = "动态管理"
