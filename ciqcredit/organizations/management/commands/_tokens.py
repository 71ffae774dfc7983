from django.core.management.base import CommandError

from ciqcredit.organizations.models import ApiToken


def token_by_prefix(prefix: str) -> ApiToken:
    """The one token whose shown prefix (e.g. `ciq_AbC123`) is this; an operator never handles the secret."""
    found = list(ApiToken.objects.select_related("user").filter(prefix=prefix)[:2])
    if not found:
        raise CommandError(f"没有前缀为“{prefix}”的令牌 [unknown_token]")
    if len(found) > 1:
        raise CommandError(f"前缀“{prefix}”对应多个令牌，请在接口令牌页面核对后处理 [ambiguous_token]")
    return found[0]
