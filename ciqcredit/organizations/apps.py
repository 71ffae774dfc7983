from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "ciqcredit.organizations"
    verbose_name = "机构与人员"

    def ready(self) -> None:
        from ciqcredit.organizations import accounts  # noqa: F401  (login, failed login and logout audit)
