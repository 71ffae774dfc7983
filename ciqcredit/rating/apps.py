from django.apps import AppConfig


class RatingConfig(AppConfig):
    name = "ciqcredit.rating"
    verbose_name = "信用等级评定"

    def ready(self) -> None:
        from ciqcredit.rating.jobs import register

        register()
