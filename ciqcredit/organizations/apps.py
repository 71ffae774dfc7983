from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "ciqcredit.organizations"
    verbose_name = "机构与人员"
