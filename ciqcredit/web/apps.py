from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "ciqcredit.web"
    verbose_name = "工作人员界面"
