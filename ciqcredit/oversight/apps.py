from django.apps import AppConfig


class OversightConfig(AppConfig):
    """督查: the six questions of §六 as figures, inspection plans, rectification, circulars and dashboards."""

    name = "ciqcredit.oversight"
    verbose_name = "督查与自查"

    def ready(self) -> None:
        # The queue page (我的待办) lists the plans to fill and the rectification tasks of the user's office.
        from ciqcredit.collection.queue import register_queue_section
        from ciqcredit.oversight import queue

        register_queue_section("oversight.work", queue.oversight_section)
