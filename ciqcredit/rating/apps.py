from django.apps import AppConfig


class RatingConfig(AppConfig):
    name = "ciqcredit.rating"
    verbose_name = "信用等级评定"

    def ready(self) -> None:
        from django.core import checks

        from ciqcredit.rating.jobs import register
        from ciqcredit.rating.partitions import check_partitionable

        register()
        checks.register(check_partitionable, checks.Tags.models)
