"""Result application (结果应用, §五(一)): the release decisions e-CIQ asks for, one row per declaration asked.

A `Decision` keeps what was asked (the request as received), what was answered (governing grade, 布控,
sampling rate, the draw and whether to inspect, review and facilitations, the measures applied) and what
decided it (the measure-list version, the rule-set version behind the governing grade), with the time and
the client. The joint measures (联合奖惩) that applied are kept on the decision and, one row per party and
partner list, in `DecisionJointMeasure`, so the feedback to partners counts decisions without deciding again.
It is written once, in the transaction that answers, and never changed: it is its own record
of the act, so no separate audit row is written (tracking and audits refer to its id). `DecisionParty` holds
the parties as they stood, so decisions can be found by enterprise. Daily statistics are read from these rows.
"""

from django.conf import settings
from django.db import models

from ciqcredit.catalogue.choices import DocumentReview, MeasureArea


class PartyRole(models.TextChoices):
    CONSIGNEE = "consignee", "收货人"
    CONSIGNOR = "consignor", "发货人"
    AGENT = "agent", "代理报检企业"
    PRODUCER = "producer", "生产企业"
    APPLICANT = "applicant", "申请人"


class Decision(models.Model):
    id = models.BigAutoField(primary_key=True)
    declaration_no = models.CharField("报检号", max_length=40)
    area = models.CharField("措施领域", max_length=30, choices=MeasureArea.choices)
    on = models.DateField("业务日期")
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="受理机构",
        db_index=False,  # decision_day_org_idx serves the reads; one index less on the hot insert
    )
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False)
    decided_at = models.DateTimeField("决定时间")
    governing_grade = models.CharField("决定性等级", max_length=2, blank=True)  # "": no party has a grade
    controlled = models.BooleanField("涉及布控企业")
    serious_listed = models.BooleanField("涉及严重失信企业")
    unregistered = models.BooleanField("涉及无等级企业")
    sampling_rate = models.DecimalField("抽批比例", max_digits=5, decimal_places=4, null=True)
    draw = models.FloatField("抽签值")  # in [0, 1): inspect when below the sampling rate
    inspect = models.BooleanField("查验")
    document_review = models.CharField("审单方式", max_length=12, choices=DocumentReview.choices, blank=True)
    priority = models.BooleanField("优先办理")
    green_channel = models.BooleanField("绿色通道")
    paperless = models.BooleanField("无纸化")
    measures = models.JSONField("适用措施")  # [{"code", "title"}]
    # [{"code", "title", "list_code", "credit_code", "reason"}]: the joint measures (联合奖惩) that applied
    joint_measures = models.JSONField("适用的联合奖惩措施", default=list)
    measure_list_version = models.PositiveIntegerField("差异化措施版本")
    ruleset_version = models.PositiveIntegerField("评定规则版本", null=True)
    request = models.JSONField("请求内容")

    class Meta:
        verbose_name = "放行决定"
        verbose_name_plural = "放行决定"
        indexes = [
            models.Index(fields=["declaration_no"], name="decision_declaration_idx"),
            models.Index(fields=["on", "organization"], name="decision_day_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.declaration_no} #{self.pk}"


class DecisionParty(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="parties")
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    role = models.CharField("角色", max_length=12, choices=PartyRole.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    grade = models.CharField("等级", max_length=2, blank=True)
    controlled = models.BooleanField("布控")
    serious_listed = models.BooleanField("严重失信企业")

    class Meta:
        verbose_name = "放行决定涉及的企业"
        verbose_name_plural = "放行决定涉及的企业"
        indexes = [models.Index(fields=["credit_code", "decision"], name="decision_party_code_idx")]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.role} {self.credit_code}"

    @property
    def registered(self) -> bool:
        return self.enterprise_id is not None


class DecisionJointMeasure(models.Model):
    """A party of a decision on a partner list whose joint measures applied: what the feedback to partners
    (§五(三) 反馈) counts, per list entry, by area and outcome. Written with the decision, never changed."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="joint_rows")
    list_code = models.CharField("合作部门名单代码", max_length=40)
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    measure_codes = models.JSONField("联合奖惩措施编号")
    area = models.CharField("措施领域", max_length=30, choices=MeasureArea.choices)
    on = models.DateField("业务日期")
    inspect = models.BooleanField("查验")

    class Meta:
        verbose_name = "放行决定适用的联合奖惩措施"
        verbose_name_plural = "放行决定适用的联合奖惩措施"
        indexes = [models.Index(fields=["list_code", "on"], name="decision_joint_list_idx")]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.list_code} {self.credit_code}"
