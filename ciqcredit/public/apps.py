from django.apps import AppConfig


class PublicConfig(AppConfig):
    """公开信息: the public site (no login) and its JSON API: the serious list, the grade query, the measures,
    certificate verification."""

    name = "ciqcredit.public"
    verbose_name = "公开信息"
