from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "ciqcredit.tracking"
    verbose_name = "跟踪落实"

    def ready(self) -> None:
        from ciqcredit.application.execution import register_execution_figures
        from ciqcredit.collection.queue import register_queue_section
        from ciqcredit.tracking.selectors import execution_figures, queue_section

        register_queue_section("tracking", queue_section)
        # Supervision (§六) counts execution reports, deviations and items through application's hook.
        register_execution_figures(execution_figures)
