from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "ciqcredit.tracking"
    verbose_name = "跟踪落实"

    def ready(self) -> None:
        from ciqcredit.collection.queue import register_queue_section
        from ciqcredit.tracking.selectors import queue_section

        register_queue_section("tracking", queue_section)
