"""Staff pages for enterprises' objections (异议): the review by the collecting organization (issue 13 item 4)."""

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render

from ciqcredit.actors import Actor
from ciqcredit.collection.models import ObjectionStatus
from ciqcredit.collection.objections import objection_get_for_user, objection_reject, objection_uphold
from ciqcredit.collection.rules import REVIEWER_ROLES
from ciqcredit.errors import DomainError, NotFound
from ciqcredit.pages import AuthedRequest, page

DECISIONS = {"revoke": "异议成立，撤销该信息", "correct": "异议成立，更正该信息", "reject": "异议不成立"}


@page()
def objection_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    objection = objection_get_for_user(request.user, pk)
    user = request.user
    may_decide = (
        objection.status == ObjectionStatus.PENDING
        and user.has_role(*REVIEWER_ROLES)
        and objection.record.organization.is_within(user.organization)
    )
    if request.method == "POST" and may_decide:
        decision = request.POST.get("decision", "")
        answer = request.POST.get("answer", "")
        try:
            if decision == "reject":
                objection_reject(objection=objection, answer=answer, actor=Actor.of(user))
            elif decision == "revoke":
                objection_uphold(objection=objection, answer=answer, actor=Actor.of(user))
            elif decision == "correct":
                changes = {k: v for k in ("item_code", "description") if (v := request.POST.get(k, "").strip())}
                if not changes:
                    raise DomainError("required", "更正信息须填写更正后的条目编号或详情", {"field": "description"})
                objection_uphold(objection=objection, answer=answer, corrections=changes, actor=Actor.of(user))
            else:
                raise DomainError("required", "请选择复核结论", {"field": "decision"})
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            messages.error(request, exc.message)
        else:
            messages.success(request, "复核结论已保存，并已通知企业")
            return redirect("collection:objection", pk=objection.pk)
    context = {
        "objection": objection,
        "record": objection.record,
        "files": objection.files.order_by("id"),
        "may_decide": may_decide,
        "decisions": DECISIONS.items(),
    }
    return render(request, "collection/objection.html", context)


@page()
def objection_file_download(request: AuthedRequest, pk: int, file_id: int) -> FileResponse:
    objection = objection_get_for_user(request.user, pk)
    found = objection.files.filter(pk=file_id).first()
    if found is None:
        raise NotFound("证据文件")
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)
