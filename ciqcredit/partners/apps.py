from django.apps import AppConfig


class PartnersConfig(AppConfig):
    """合作部门: regulators outside the inspection system and the reward and punishment lists they send."""

    name = "ciqcredit.partners"
    verbose_name = "合作部门"

    def ready(self) -> None:
        # The registry's hook: an enterprise registered now matches the list entries that waited for its code.
        from ciqcredit.enterprises.signals import enterprises_registered
        from ciqcredit.partners import receivers

        enterprises_registered.connect(receivers.on_enterprises_registered, dispatch_uid="partners.registered")
