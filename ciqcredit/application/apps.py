from django.apps import AppConfig


class ApplicationConfig(AppConfig):
    name = "ciqcredit.application"
    verbose_name = "结果应用"
