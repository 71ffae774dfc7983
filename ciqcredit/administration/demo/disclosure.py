"""Demo steps for the serious list, credit repair, grade certificates and the public site.

`demo_serious_list` (after the year of records, before the last evaluation) runs a few enterprises that no record
names through the whole serious-list procedure with the services, each day pinned: a penalty that lists by itself,
the written notice delivered, the report to the bureau after the notice period, the bureau's monthly batch, HQ's
approval. `demo_repair_and_certificates` (last) then shows every stage after the listing: one enterprise past its
clean period with a login to apply for credit repair, one whose application was accepted (observation running),
one removed from the list through BRIEF.md's procedure; and grade certificates issued (one revoked, some
invalidated by the last evaluation's grade changes), so the public list and the certificate check have data.
"""

import datetime as dt
import random

from django.core.files.base import ContentFile
from django.db.models import Q
from django.test.utils import override_settings

from ciqcredit import clock
from ciqcredit.actors import Actor
from ciqcredit.administration.demo.run import DEMO_PASSWORD, DemoRun, Login
from ciqcredit.catalogue.selectors import item_in_force
from ciqcredit.certificates.models import GradeCertificate
from ciqcredit.certificates.services import certificate_issue, certificate_revoke
from ciqcredit.collection.models import CreditRecord
from ciqcredit.collection.review import record_confirm
from ciqcredit.collection.services import record_create
from ciqcredit.dynamic.models import CaseKind, CaseStatus, DynamicCase, HqBatch
from ciqcredit.dynamic.removal import removal_apply, removal_decide, removal_refuse
from ciqcredit.dynamic.services import case_report_to_bureau, hq_batch_approve, hq_batch_create, notice_deliver
from ciqcredit.enterprises.models import Enterprise
from ciqcredit.errors import DomainError
from ciqcredit.organizations.models import Organization, User
from ciqcredit.organizations.roles import DepartmentKind, Level, Role
from ciqcredit.organizations.services import user_create
from ciqcredit.rating.models import AABatch, CurrentGrade
from ciqcredit.rating.services.aa import aa_apply, aa_batch_approve, aa_batch_create, aa_check, aa_request_submit
from ciqcredit.repair.selectors import repair_standing
from ciqcredit.repair.services import repair_accept, repair_apply
from ciqcredit.rules.aa import aa_eligible
from ciqcredit.rules.repair import add_months

LISTING_ITEM = "SF-02"  # 伪造、变造检验检疫单证: lists by itself (reference catalogue)
# Days before today each demo enterprise's penalty was verified: the first is listed about eight months ago
# (past its clean period), the last about two months ago (still waiting for it).
LISTED_AGO = (330, 300, 255, 120, 75)
LISTING_MARK = "（演示数据：伪造报检单证印章）"  # the records of this step, so a second run leaves them be
REPAIR_USER = "ent_repair"  # the enterprise past its clean period, free to apply for credit repair
AA_USER = "ent_aa"  # an enterprise meeting every AA condition, its online application waiting for its bureau


def _bureau_of(org: Organization) -> Organization:
    return org if org.level == Level.BUREAU else org.parent  # type: ignore[return-value]


def _staff(org: Organization, role: str, kind: str | None = None) -> User | None:
    people = User.objects.filter(organization=org, is_active=True, is_system=False).select_related("department")
    for user in people.order_by("username"):
        if role in user.roles and (kind is None or (user.department and user.department.kind == kind)):
            return user
    return None


def _candidates(count: int) -> list[Enterprise]:
    """Active enterprises registered at a branch, named by no record and with no login, taken from each bureau in
    turn (so two listings of one bureau fall in different months' batches), in a fixed order."""
    named = CreditRecord.objects.values("enterprise_id")
    by_bureau: dict[int, list[Enterprise]] = {}
    rows = (
        Enterprise.objects.filter(status="active", registering_org__level=Level.BRANCH)
        .exclude(Q(pk__in=named) | Q(users__isnull=False))
        .select_related("registering_org__parent")
        .order_by("credit_code")
    )
    for enterprise in rows[: count * 200]:
        found = by_bureau.setdefault(enterprise.registering_org.parent_id or 0, [])
        if len(found) < count:
            found.append(enterprise)
    queues = [by_bureau[k] for k in sorted(by_bureau)]
    picked: list[Enterprise] = []
    while len(picked) < count and any(queues):
        for queue in queues:
            if queue and len(picked) < count:
                picked.append(queue.pop(0))
    return picked


def _list_one(enterprise: Enterprise, verified: dt.date, serial: int) -> DynamicCase | None:
    """The procedure from the penalty to HQ's approval, each step on its own (pinned) day."""
    org = enterprise.registering_org
    bureau = _bureau_of(org)
    collector = _staff(org, Role.COLLECTOR, DepartmentKind.CASE_CLOSING)
    officer = _staff(bureau, Role.BUREAU_CREDIT)
    hq_admin = User.objects.filter(username="hq_admin").first()
    if collector is None or officer is None or hq_admin is None:
        return None
    with override_settings(CIQCREDIT_TODAY=verified):
        item = item_in_force(LISTING_ITEM, verified)
        if item is None or not item.applies_to(enterprise.type_slugs):
            return None
        record = record_create(
            actor=Actor.of(collector),
            route="penalty",
            credit_code=enterprise.credit_code,
            item_code=LISTING_ITEM,
            occurred_on=verified - dt.timedelta(days=12),
            discovered_on=verified - dt.timedelta(days=4),
            verified_on=verified,
            description=f"{item.name}{LISTING_MARK}",
            association_no=f"{org.code}罚〔{verified.year}〕{900 + serial}号",
            declarant_no=f"{org.code}{serial:04d}" if item.declarant_required else "",
            submit=True,
        )
        for reviewer in User.objects.filter(organization=org, is_active=True, is_system=False).order_by("username"):
            if Role.REVIEWER not in reviewer.roles:
                continue
            try:
                record_confirm(record=record, actor=Actor.of(reviewer))
                break
            except DomainError:
                continue
    case = DynamicCase.objects.filter(enterprise=enterprise, kind=CaseKind.SERIOUS_LIST).order_by("-id").first()
    if case is None or case.notice is None:
        return None
    delivered = verified + dt.timedelta(days=2)
    with override_settings(CIQCREDIT_TODAY=delivered):
        notice_deliver(
            notice=case.notice,
            method="direct",
            delivered_on=delivered,
            recipient=enterprise.legal_representative or "企业经办人",
            proof_file=ContentFile(b"%PDF-1.4 demo receipt", name="receipt.pdf"),
            actor=Actor.of(officer),
        )
    reported = delivered + dt.timedelta(days=21)
    with override_settings(CIQCREDIT_TODAY=reported):
        case_report_to_bureau(case=case, actor=Actor.of(officer))
    month = reported.replace(day=1)
    batch_day = add_months(month, 1) + dt.timedelta(days=1)
    if HqBatch.objects.filter(bureau=bureau, month=month).exists():
        return None  # that month's batch has gone to HQ already (another demo step's)
    with override_settings(CIQCREDIT_TODAY=batch_day):
        batch = hq_batch_create(bureau=bureau, month=month, actor=Actor.of(officer))
    with override_settings(CIQCREDIT_TODAY=batch_day + dt.timedelta(days=3)):
        hq_batch_approve(batch=batch, actor=Actor.of(hq_admin))
    case.refresh_from_db()
    return case if case.status == CaseStatus.APPROVED else None


def demo_serious_list(run: DemoRun) -> str:
    if CreditRecord.objects.filter(description__endswith=LISTING_MARK).exists():
        return "已有本步骤列入的严重失信企业，跳过"
    today = clock.today()
    listed = []
    for serial, (enterprise, ago) in enumerate(zip(_candidates(len(LISTED_AGO)), LISTED_AGO, strict=False), start=1):
        case = _list_one(enterprise, today - dt.timedelta(days=ago), serial)
        if case is not None:
            listed.append(case)
    return f"经总局批准列入严重失信企业名单 {len(listed)} 家"


def _listed_cases() -> list[DynamicCase]:
    return list(
        DynamicCase.objects.filter(kind=CaseKind.SERIOUS_LIST, status=CaseStatus.APPROVED)
        .select_related("enterprise__registering_org__parent", "organization")
        .order_by("carried_out_on", "id")
    )


def _repair(cases: list[DynamicCase], today: dt.date) -> list[str]:
    done = []
    removal_case, applied_case, *rest = cases + [None, None]  # oldest first
    if removal_case is not None and removal_case.carried_out_on:
        # Removed through BRIEF.md's procedure: accepted a month after the listing, six clean months, removed.
        officer = _staff(_bureau_of(removal_case.organization), Role.BUREAU_CREDIT)
        accepted_on = add_months(removal_case.carried_out_on, 1)
        if officer is not None and add_months(accepted_on, 6) < today:
            with override_settings(CIQCREDIT_TODAY=accepted_on):
                removal = removal_apply(
                    case=removal_case,
                    rectification="已完成整改：建立报检单证双人复核和印章管理制度，相关责任人已处理",
                    accepted_on=accepted_on,
                    actor=Actor.of(officer),
                )
            try:
                removal_decide(application=removal, actor=Actor.of(officer))
                done.append(f"{removal_case.enterprise.name}已移出名单")
            except DomainError:
                removal_refuse(application=removal, reason="观察期内再次发生失信行为", actor=Actor.of(officer))
    if applied_case is not None and applied_case.carried_out_on:
        # Applied online once its clean period ended; the office accepted: the observation period runs.
        user = _enterprise_user(applied_case.enterprise, "ent_observing")
        applied_on = add_months(applied_case.carried_out_on, 6) + dt.timedelta(days=3)
        officer = _staff(_bureau_of(applied_case.organization), Role.BUREAU_CREDIT)
        if applied_on < today and officer is not None:
            with override_settings(CIQCREDIT_TODAY=applied_on):
                application = repair_apply(
                    enterprise=applied_case.enterprise,
                    rectification="已完成整改并通过主管部门验收，申请信用修复",
                    actor=Actor.of(user),
                )
            with override_settings(CIQCREDIT_TODAY=min(today, applied_on + dt.timedelta(days=5))):
                repair_accept(application=application, actor=Actor.of(officer))
            done.append(f"{applied_case.enterprise.name}的信用修复申请已受理（观察期中）")
    for case in rest:
        if case is not None and repair_standing(case.enterprise, today).may_apply:
            _enterprise_user(case.enterprise, REPAIR_USER)
            done.append(f"{case.enterprise.name}已满申请条件（登录 {REPAIR_USER}）")
            break
    return done


def _enterprise_user(enterprise: Enterprise, username: str) -> User:
    found = User.objects.filter(username=username).first()
    if found is not None:
        return found
    user, _ = user_create(
        username=username,
        organization=enterprise.registering_org,
        department_kind=None,
        roles=[Role.ENTERPRISE],
        password=DEMO_PASSWORD,
        full_name=enterprise.legal_representative,
        enterprise=enterprise,
        actor=Actor.job("demo"),
    )
    return user


def _certificates(run: DemoRun, today: dt.date) -> int:
    """Certificates of the demo enterprise users' enterprises (issued by themselves) and of a few graded
    enterprises per bureau (printed by the bureau), some a month before the last evaluation changed their grade;
    one revoked as issued in error."""
    issued = 0
    for user in User.objects.filter(enterprise__isnull=False, is_active=True).select_related("enterprise"):
        if user.enterprise is None or not user.has_role(Role.ENTERPRISE):
            continue
        try:
            certificate_issue(enterprise=user.enterprise, actor=Actor.of(user))
            issued += 1
        except DomainError:
            continue
    rng = random.Random(run.seed + 13)
    earlier = today - dt.timedelta(days=75)
    for bureau in Organization.objects.filter(level=Level.BUREAU).order_by("code"):
        graded = list(
            CurrentGrade.objects.filter(enterprise__registering_org__path__startswith=bureau.path, grade__in=["A", "B"])
            .order_by("enterprise__credit_code")
            .values_list("enterprise_id", flat=True)[:40]
        )
        officer = _staff(bureau, Role.BUREAU_CREDIT) if graded else None
        if officer is None:
            continue
        for enterprise_id in rng.sample(graded, min(3, len(graded))):
            enterprise = Enterprise.objects.get(pk=enterprise_id)
            for day in (earlier, today):
                with override_settings(CIQCREDIT_TODAY=day):
                    try:
                        certificate_issue(enterprise=enterprise, actor=Actor.of(officer))
                        issued += 1
                    except DomainError:
                        pass
    last = GradeCertificate.objects.filter(revoked_at__isnull=True, issued_on=today).order_by("id").last()
    officer = _staff(_bureau_of(last.organization), Role.BUREAU_CREDIT) if last is not None else None
    if last is not None and officer is not None:
        certificate_revoke(certificate=last, reason="证明出具有误，已重新出具", actor=Actor.of(officer))
    return issued


def _aa(today: dt.date) -> list[str]:
    """HQ's first AA batch of the year over a few eligible A enterprises (lodged by their bureaus), and one more
    eligible enterprise whose own online application waits for its bureau (login `ent_aa`)."""
    hq_admin = User.objects.filter(username="hq_admin").first()
    if hq_admin is None or AABatch.objects.exists():
        return []
    eligible: list[Enterprise] = []
    at_a = (
        CurrentGrade.objects.filter(grade="A")
        .order_by("enterprise__credit_code")
        .values_list("enterprise_id", flat=True)
    )
    for enterprise in Enterprise.objects.filter(pk__in=list(at_a[:300]), users__isnull=True).order_by("credit_code"):
        conditions, _ = aa_check(enterprise, clean_years_ok=True, other_regulators_clean_months=24, on=today)
        if aa_eligible(conditions):
            eligible.append(enterprise)
        if len(eligible) == 5:
            break
    if not eligible:
        return []
    batch_members, online = (eligible[:-1], eligible[-1]) if len(eligible) > 1 else (eligible, None)
    applications = []
    for enterprise in batch_members:
        officer = _staff(_bureau_of(enterprise.registering_org), Role.BUREAU_CREDIT)
        if officer is not None:
            applications.append(
                aa_apply(
                    enterprise=enterprise,
                    clean_years_ok=True,
                    other_regulators_clean_months=24,
                    actor=Actor.of(officer),
                )
            )
    done = []
    if applications:
        batch = aa_batch_create(applications=applications, actor=Actor.of(hq_admin))
        aa_batch_approve(batch=batch, actor=Actor.of(hq_admin))
        done.append(f"总局{batch.number}AA级企业 {len(applications)} 家")
    if online is not None:
        user = _enterprise_user(online, AA_USER)
        aa_request_submit(
            enterprise=online,
            clean_years_ok=True,
            other_regulators_clean_months=24,
            statement="本企业连续保持A级，申请评为AA级",
            actor=Actor.of(user),
        )
        done.append(f"{online.name}在线提交AA级申请（登录 {AA_USER}）")
    return done


def demo_repair_and_certificates(run: DemoRun) -> str:
    if GradeCertificate.objects.exists():
        return "已有信用修复与信用等级证明演示数据，跳过"
    today = clock.today()
    done = _repair(_listed_cases(), today) + _aa(today)
    issued = _certificates(run, today)
    return "；".join([*done, f"出具信用等级证明 {issued} 份"])


def repair_logins() -> list[Login]:
    logins = []
    whats = {REPAIR_USER: "可申请信用修复", "ent_observing": "信用修复观察期中", AA_USER: "AA级在线申请待受理"}
    for user in User.objects.filter(username__in=list(whats)).select_related("enterprise"):
        if user.enterprise is not None:
            what = whats[user.username]
            logins.append(Login(user.username, DEMO_PASSWORD, f"企业用户：{what}", user.enterprise.name))
    return logins
