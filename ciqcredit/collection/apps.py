from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "ciqcredit.collection"
    verbose_name = "信用信息采集"
