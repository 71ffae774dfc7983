from django.apps import AppConfig


class RepairConfig(AppConfig):
    """信用修复: an enterprise on the serious list applies online to be removed; its office reviews the application."""

    name = "ciqcredit.repair"
    verbose_name = "信用修复"

    def ready(self) -> None:
        from ciqcredit.collection.queue import register_queue_section
        from ciqcredit.repair.selectors import repair_queue_section

        # The queue page (我的待办) lists the applications waiting for the office's review.
        register_queue_section("repair.applications", repair_queue_section)
