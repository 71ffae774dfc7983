"""Reads of the registry, always scoped to the caller."""

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from ciqcredit.enterprises.models import Enterprise
from ciqcredit.errors import NotFound
from ciqcredit.organizations.access import org_scope_q
from ciqcredit.organizations.models import User

SEARCH_FTS = "enterprise_search_fts"  # SQLite's trigram table of the searched columns (migration 0004)
SEARCH_FTS_BULK = "enterprise_search_fts_bulk"  # a row here: the insert trigger waits for the bulk import


def enterprises_visible_to(user: User) -> QuerySet[Enterprise]:
    """Staff and systems: their organization's subtree (HQ: all). Enterprise users: their own enterprise."""
    if user.is_enterprise_user:
        return Enterprise.objects.filter(pk=user.enterprise_id)  # type: ignore[misc]  # django-stubs refuse None, which Django reads as IS NULL
    return Enterprise.objects.filter(org_scope_q(user, "registering_org"))


def enterprise_get_for_user(user: User, credit_code: str) -> Enterprise:
    enterprise = enterprises_visible_to(user).select_related("registering_org").filter(credit_code=credit_code).first()
    if enterprise is None:
        raise NotFound("企业")
    return enterprise


def enterprise_search(
    user: User, *, text: str = "", org_code: str = "", type_slug: str = "", status: str = ""
) -> QuerySet[Enterprise]:
    """Scoped search by name or code, registering organization, type and status (the grade filter is rating's)."""
    qs = enterprises_visible_to(user).select_related("registering_org")
    text = text.strip()
    if text:
        upper = text.upper()
        if connection.vendor == "sqlite" and len(text) >= 3:
            # The trigram table narrows to the rows holding the text anywhere (migration 0004); the exact
            # conditions below then apply to those few. PostgreSQL's trigram index serves the conditions directly.
            phrase = '"' + text.replace('"', '""') + '"'
            qs = qs.filter(pk__in=RawSQL(f"SELECT rowid FROM {SEARCH_FTS} WHERE {SEARCH_FTS} MATCH %s", [phrase]))
        qs = qs.filter(
            Q(name__contains=text)
            | Q(credit_code__startswith=upper)
            | Q(org_code__startswith=upper)
            | Q(ciq_registration_no__startswith=text)
        )
    if org_code:
        qs = qs.filter(registering_org__path__contains=f"{org_code}/")
    if type_slug:
        qs = qs.filter(types__contains=f";{type_slug};")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("name", "credit_code")
