from ninja import Router, Schema

from ciqcredit.api_common import ListOut, caller
from ciqcredit.organizations.access import visible_organizations

router = Router(tags=["机构 organizations"])


class OrganizationOut(Schema):
    code: str
    name: str
    parent: str | None
    level: str


@router.get("/organizations", response=ListOut[OrganizationOut], summary="机构列表（调用者管辖范围内）")
def list_organizations(request):
    user = caller(request)
    orgs = visible_organizations(user).select_related("parent")
    items = [
        OrganizationOut(code=o.code, name=o.name, parent=o.parent.code if o.parent else None, level=o.level)
        for o in orgs
    ]
    return {"count": len(items), "items": items}
