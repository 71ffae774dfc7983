from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    """信用等级证明: certificates of a grade in force, with a verification code anyone can check."""

    name = "ciqcredit.certificates"
    verbose_name = "信用等级证明"

    def ready(self) -> None:
        from ciqcredit.certificates import me_api  # noqa: F401  (adds its endpoints to the portal's `me` router)
        from ciqcredit.portal.navigation import PortalEntry, portal_entry_add

        portal_entry_add(
            PortalEntry("信用等级证明", "portal_certificates:list", 100, "出具、下载本企业的信用等级证明（附二维码）")
        )
