from django.conf import settings

from ciqcredit import clock
from ciqcredit.web.navigation import navigation_for


def platform(request):
    user = getattr(request, "user", None)
    return {
        "platform_name": "出入境检验检疫企业信用管理平台",
        "pinned_today": settings.CIQCREDIT_TODAY,
        "today": clock.today(),
        "nav": navigation_for(user) if user is not None and user.is_authenticated else [],
    }
