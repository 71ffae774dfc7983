"""Enterprise pages: the scoped registry list and one enterprise's page. Reads only; changes go through services.

They sit in the web shell, above every app, because they show what several apps know of an enterprise: the
registry (enterprises), its current grade and the grade filter (rating), the partner lists it is on (partners), its
audit trail. The URL namespace
stays `enterprises`."""

from django import forms
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render

from ciqcredit import clock
from ciqcredit.audit.selectors import audit_trail_for
from ciqcredit.enterprises.codes import code_error, looks_like_code, normalize_org_code
from ciqcredit.enterprises.models import Enterprise, EnterpriseStatus
from ciqcredit.enterprises.selectors import enterprise_get_for_user, enterprise_search
from ciqcredit.enterprises.types import EnterpriseType
from ciqcredit.organizations.access import organization_choices
from ciqcredit.organizations.models import User
from ciqcredit.pages import AuthedRequest, is_fragment_request, page, vary_on_htmx
from ciqcredit.paging import page_of, query_without_page
from ciqcredit.partners.selectors import lists_of_enterprise
from ciqcredit.rating.models import GRADE_CHOICES
from ciqcredit.rating.selectors import UNRATED, enterprises_with_current_grade
from ciqcredit.rating.services.grades import grade_on
from ciqcredit.web.navigation import AUDIT_READERS

HISTORY_LIMIT = 200  # the page shows the latest rows; the audit page has the whole trail


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(
        label="名称或代码",
        required=False,
        max_length=100,
        help_text="名称的一部分，或统一社会信用代码、组织机构代码、备案号的开头",
    )
    org = forms.ChoiceField(label="备案地机构", required=False)
    type = forms.ChoiceField(label="企业类型", required=False, choices=[("", "全部类型"), *EnterpriseType.choices])
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *EnterpriseStatus.choices])
    grade = forms.ChoiceField(
        label="信用等级", required=False, choices=[("", "全部等级"), *GRADE_CHOICES, (UNRATED, "尚未评定")]
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = organization_choices(user)  # type: ignore[attr-defined]  # a ChoiceField; stubs type fields as Field

    def clean_q(self) -> str:
        """A whole code typed wrong says so (rather than finding nothing); `12345678-9` finds `123456789`."""
        text = self.cleaned_data["q"].strip()
        if looks_like_code(text):
            error = code_error(text)
            if error is not None:
                raise forms.ValidationError(error[1], code=error[0])
            return normalize_org_code(text) if "-" in text else text.upper()
        return text


@page()
def enterprise_list(request: AuthedRequest) -> HttpResponse:
    form = EnterpriseFilterForm(request.GET, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        found = enterprise_search(
            request.user, text=data["q"], org_code=data["org"], type_slug=data["type"], status=data["status"]
        )
        queryset = enterprises_with_current_grade(found, data["grade"])
    else:  # a filter outside the choices (e.g. an organization out of scope) finds nothing, with the reason shown
        queryset = Enterprise.objects.none()
    context = {
        "form": form,
        "page_obj": page_of(queryset, request.GET.get("page")),
        "query": query_without_page(request.GET),
    }
    template = "enterprises/_results.html" if is_fragment_request(request) else "enterprises/list.html"
    return vary_on_htmx(render(request, template, context))


@page(staff_only=False)
def enterprise_detail(request: AuthedRequest, credit_code: str) -> HttpResponse:
    """Staff within scope, and the enterprise's own users; anyone else gets 404."""
    user = request.user
    enterprise = enterprise_get_for_user(user, credit_code)
    history = None
    if not user.is_enterprise_user:  # the trail names staff and internal steps: staff only
        trail = audit_trail_for("enterprises.enterprise", str(enterprise.pk)).select_related("organization")
        history = list(trail.order_by("-at", "-id")[: HISTORY_LIMIT + 1])
    context = {
        "enterprise": enterprise,
        "grade": grade_on(enterprise, clock.today()),
        "history": history[:HISTORY_LIMIT] if history is not None else None,
        "history_truncated": history is not None and len(history) > HISTORY_LIMIT,
        "can_read_audit": user.has_role(*AUDIT_READERS),
        # The partner lists (联合奖惩) it is on today: staff only, as partners' data is shared with the inspection
        # system, not handed back to the enterprise here.
        "partner_lists": None
        if user.is_enterprise_user
        else lists_of_enterprise(enterprise.credit_code, clock.today()),
    }
    return render(request, "enterprises/detail.html", context)


@page()
def enterprise_lookup(request: AuthedRequest) -> HttpResponse:
    """htmx, for forms that take an enterprise: up to ten registered enterprises by name or code as choices, and
    the name (with a warning when cancelled) of the one whose code is typed in full. Collection may charge an
    enterprise registered anywhere, so the lookup is national, and short."""
    text = (request.GET.get("credit_code") or request.GET.get("q") or "").strip()
    choices, exact, error = [], None, None
    if len(text) >= 2:
        upper = text.upper()
        if looks_like_code(text) or (len(upper) == 9 and upper.isalnum()):
            error = code_error(text)
            code = normalize_org_code(text) if "-" in text or len(upper) == 9 else upper
            exact = Enterprise.objects.filter(Q(credit_code=code) | Q(org_code=code)).first()
        choices = list(
            Enterprise.objects.filter(Q(name__contains=text) | Q(credit_code__startswith=upper)).order_by("name")[:10]
        )
    context = {"choices": choices, "exact": exact, "error": error[1] if error else "", "text": text}
    return render(request, "enterprises/_lookup.html", context)
