from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "ciqcredit.workdays"
    verbose_name = "工作日历"
