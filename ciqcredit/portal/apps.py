from django.apps import AppConfig


class PortalConfig(AppConfig):
    """企业端: the enterprise's own pages and the `me` API, over what every app below holds about it."""

    name = "ciqcredit.portal"
    verbose_name = "企业端"
