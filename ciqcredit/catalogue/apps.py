from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "ciqcredit.catalogue"
    verbose_name = "信用规则（采集条目、评定规则、差异化措施）"
