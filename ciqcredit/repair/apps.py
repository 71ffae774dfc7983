from django.apps import AppConfig


class RepairConfig(AppConfig):
    """信用修复: an enterprise on the serious list applies online to be removed; its office reviews the application.
    Also the enterprise's portal pages for its applications (repair, and the online AA application)."""

    name = "ciqcredit.repair"
    verbose_name = "信用修复"

    def ready(self) -> None:
        from ciqcredit.collection.queue import register_queue_section
        from ciqcredit.portal.navigation import PortalEntry, portal_entry_add
        from ciqcredit.repair import me_api  # noqa: F401  (adds its endpoints to the portal's `me` router)
        from ciqcredit.repair.selectors import repair_queue_section

        # The queue page (我的待办) lists the applications waiting for the office's review.
        register_queue_section("repair.applications", repair_queue_section)
        # The enterprise's pages in the portal.
        portal_entry_add(
            PortalEntry("信用修复", "portal_repair:repair", 80, "列入严重失信企业名单后，满足条件时在线申请信用修复")
        )
        portal_entry_add(PortalEntry("AA级申请", "portal_repair:aa", 90, "查看AA级企业条件及本企业是否符合，在线申请"))
