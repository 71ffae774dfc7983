from django.apps import AppConfig


class DynamicConfig(AppConfig):
    """动态管理: written notices, immediate downgrade and the serious dishonesty list."""

    name = "ciqcredit.dynamic"
    verbose_name = "动态管理"

    def ready(self) -> None:
        # Collection's hook: a record that starts or stops counting re-examines its enterprise.
        from ciqcredit.collection import signals
        from ciqcredit.collection.queue import register_queue_section
        from ciqcredit.dynamic import receivers

        signals.record_became_effective.connect(receivers.on_record_became_effective, dispatch_uid="dynamic.effective")
        signals.record_withdrawn.connect(receivers.on_record_withdrawn, dispatch_uid="dynamic.withdrawn")
        signals.records_became_effective.connect(
            receivers.on_records_became_effective, dispatch_uid="dynamic.effective_bulk"
        )
        # The queue page (我的待办) lists the written notices waiting to be delivered.
        register_queue_section("dynamic.notices", receivers.notices_section)
        # ... and the defences waiting for an answer (issue 13).
        register_queue_section("dynamic.defences", receivers.defences_section)
