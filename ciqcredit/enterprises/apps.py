from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "ciqcredit.enterprises"
    verbose_name = "企业"
