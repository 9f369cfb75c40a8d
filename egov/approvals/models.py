"""Online approval models (网上审批): the service catalogue and cases.

Foreign keys point only to ``core`` (Organisation, Region, User) and within
this app. The rules for what a catalogue item may say live in the pure
:mod:`egov.approvals.catalogue`; the workflow in :mod:`egov.approvals.workflow`;
the statutory clock in :mod:`egov.approvals.clock`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from egov.approvals.catalogue import ITEM_KINDS
from egov.approvals.licence import ENDING_LABELS, GROUNDS, Ending
from egov.approvals.workflow import STATUS_LABELS
from egov.approvals.workflow import Status as WorkflowStatus


class ServiceItem(models.Model):
    """A catalogue item (政务服务事项) as one department carries it out (实施清单).

    ``base_code`` is the item's code in the provincial base catalogue (基本目录),
    shared by the province's, cities' and counties' counterparts; ``code`` is
    this department's implementation code (实施编码), unique.
    """

    # django-stubs types only the class form of TextChoices, not Django's functional
    # form with (value, label) pairs that builds it from the pure catalogue's table.
    Kind = models.TextChoices(  # type: ignore[call-overload]
        "Kind", [(key.upper(), (key, _(label))) for key, label in ITEM_KINDS.items()]
    )

    code = models.CharField(_("实施编码"), max_length=48, unique=True)
    base_code = models.CharField(_("基本编码"), max_length=32, db_index=True)
    name = models.CharField(_("事项名称"), max_length=128)
    department = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="service_items"
    )
    kind = models.CharField(_("事项类型"), max_length=16, choices=Kind.choices)
    legal_basis = models.TextField(_("设定依据"))
    conditions = models.TextField(_("受理条件"), blank=True)
    statutory_limit_days = models.PositiveSmallIntegerField(_("法定时限（工作日）"))
    promised_limit_days = models.PositiveSmallIntegerField(_("承诺时限（工作日）"))
    fees = models.JSONField(_("收费项目"), default=list, blank=True)
    materials = models.JSONField(_("申请材料"), default=list, blank=True)
    form_fields = models.JSONField(_("申请表字段"), default=list, blank=True)
    process = models.JSONField(_("办理流程"), default=list)
    place = models.CharField(_("办理地点"), max_length=200, blank=True)
    hours = models.CharField(_("办理时间"), max_length=200, blank=True)
    contact = models.CharField(_("咨询电话"), max_length=64, blank=True)
    online = models.BooleanField(_("可网上办理"), default=True)
    is_active = models.BooleanField(_("有效"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("事项")
        verbose_name_plural = _("事项清单")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(promised_limit_days__lte=models.F("statutory_limit_days")),
                name="promised_within_statutory_limit",
            ),
            models.UniqueConstraint(
                fields=["base_code", "department"], name="one_item_per_department"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def organisation(self) -> Any:
        """Where the item sits for permission checks: its department."""
        return self.department

    @property
    def is_free(self) -> bool:
        return not self.fees


class Case(models.Model):
    """An application and its handling (办件): one case number, one clock."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("网上申请")
        WALK_IN = "walk_in", _("窗口申请")

    class ApplicantKind(models.TextChoices):
        CITIZEN = "citizen", _("自然人")
        ENTERPRISE = "enterprise", _("法人或其他组织")

    # As Kind: the functional form, from the pure workflow's statuses.
    Status = models.TextChoices(  # type: ignore[call-overload]
        "Status",
        [(s.name, (s.value, _(STATUS_LABELS[s]))) for s in WorkflowStatus],
    )

    number = models.CharField(_("办件编号"), max_length=21, unique=True)
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="cases")
    department = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="approval_cases"
    )
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approval_cases",
        help_text=_("网上申请人账户；窗口申请可为空"),
    )
    applicant_kind = models.CharField(_("申请人类型"), max_length=16, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("申请人"), max_length=128)
    applicant_identifier = models.CharField(_("证件号码"), max_length=18)
    applicant_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    channel = models.CharField(_("申请渠道"), max_length=8, choices=Channel.choices)
    form_data = models.JSONField(_("申请表"), default=dict)
    status = models.CharField(_("状态"), max_length=24, choices=Status.choices)
    statutory_limit_days = models.PositiveSmallIntegerField(_("法定时限"))
    promised_limit_days = models.PositiveSmallIntegerField(_("承诺时限"))
    extension_days = models.PositiveSmallIntegerField(_("延长天数"), default=0)
    received_at = models.DateTimeField(_("收件时间"))
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    deemed_accepted = models.BooleanField(_("视为受理"), default=False)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    licence_number = models.CharField(
        _("证照编号"), max_length=64, null=True, blank=True, unique=True
    )
    verification_code = models.CharField(
        _("核验码"),
        max_length=20,
        null=True,
        blank=True,
        unique=True,
        help_text=_("决定时随机生成，供公众核验决定书（ADR 0046）"),
    )
    reasons = models.TextField(_("理由"), blank=True)
    remedies = models.TextField(_("救济途径"), blank=True)
    concluded_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("终结时间"), null=True, blank=True)
    supplement_requests = models.PositiveSmallIntegerField(_("补正次数"), default=0)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_cases",
    )
    # The stored clock (ADR 0047): the clock.py reading of an open case as of
    # ``clock_as_of``, kept by every case service and by the daily refresh
    # (``egov refresh_case_clocks``), so the queue sorts and pages in the
    # database. Empty (NULL) once the case is no longer open.
    clock_deadline = models.DateField(_("当前期限"), null=True, blank=True)
    clock_statutory_deadline = models.DateField(_("法定期限"), null=True, blank=True)
    clock_days_left = models.IntegerField(_("剩余工作日"), null=True, blank=True)
    clock_limit_days = models.PositiveSmallIntegerField(_("本阶段时限"), null=True, blank=True)
    clock_light = models.CharField(_("亮灯"), max_length=8, blank=True)
    clock_suspended = models.BooleanField(_("计时暂停"), default=False)
    clock_phase = models.CharField(_("计时阶段"), max_length=12, blank=True)
    clock_as_of = models.DateField(_("计时日期"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        indexes = [
            models.Index(fields=["department", "status", "received_at"]),
            models.Index(fields=["status", "received_at"]),
            models.Index(fields=["applicant", "received_at"]),
            # The queue's order (fewest days left first), open cases only.
            models.Index(
                fields=["clock_days_left", "clock_deadline", "received_at", "id"],
                condition=models.Q(clock_days_left__isnull=False),
                name="case_open_queue_order",
            ),
            models.Index(
                fields=["department", "clock_days_left", "clock_deadline", "received_at", "id"],
                condition=models.Q(clock_days_left__isnull=False),
                name="case_department_queue_order",
            ),
            # The light filter (亮灯) over a province's queue, counted and paged in order.
            models.Index(
                fields=["clock_light", "clock_days_left", "clock_deadline", "received_at", "id"],
                condition=models.Q(clock_days_left__isnull=False),
                name="case_light_queue_order",
            ),
            # ... and over a department's (else SQLite scans the province's by light).
            models.Index(
                fields=[
                    "department",
                    "clock_light",
                    "clock_days_left",
                    "clock_deadline",
                    "received_at",
                    "id",
                ],
                condition=models.Q(clock_days_left__isnull=False),
                name="case_department_light_order",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def organisation(self) -> Any:
        """Where the case sits for permission checks: its department."""
        return self.department

    @property
    def status_enum(self) -> WorkflowStatus:
        return WorkflowStatus(self.status)


class CaseMaterial(models.Model):
    """An uploaded material of a case (申请材料); ``round`` 0 is the application."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_materials")
    material_code = models.CharField(_("材料编码"), max_length=32)
    name = models.CharField(_("材料名称"), max_length=128)
    file = models.FileField(_("文件"), upload_to="approvals/%Y/%m/")
    file_name = models.CharField(_("原文件名"), max_length=200)
    file_type = models.CharField(_("文件类型"), max_length=8)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    round = models.PositiveSmallIntegerField(_("补正轮次"), default=0)
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        ordering = ["round", "material_code"]
        verbose_name = _("办件材料")
        verbose_name_plural = _("办件材料")

    def __str__(self) -> str:
        return f"{self.case.number} {self.name}"


class Suspension(models.Model):
    """A span when the case clock stands still (计时暂停): 补正 or a special procedure."""

    class Kind(models.TextChoices):
        SUPPLEMENT = "supplement", _("补正材料")
        HEARING = "hearing", _("听证")
        TESTING = "testing", _("检验检测")
        EXPERT_REVIEW = "expert_review", _("专家评审")
        INSPECTION = "inspection", _("现场核查")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suspensions")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    sequence = models.PositiveSmallIntegerField(_("第几次"))
    reason = models.TextField(_("理由"), blank=True)
    missing = models.JSONField(_("需补正材料"), default=list, blank=True)
    limit_days = models.PositiveSmallIntegerField(_("时限（工作日）"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    started_by = models.CharField(_("发起人"), max_length=150)
    ended_by = models.CharField(_("结束人"), max_length=150, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("计时暂停")
        verbose_name_plural = _("计时暂停")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "sequence"], name="suspension_sequence_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_kind_display()} #{self.sequence}"


class Extension(models.Model):
    """An extension of the limit approved by a leader (延期)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("延长工作日"))
    reason = models.TextField(_("理由"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("批准时间"))

    class Meta:
        verbose_name = _("延期")
        verbose_name_plural = _("延期")

    def __str__(self) -> str:
        return f"{self.case.number} +{self.days}"


class FeePayment(models.Model):
    """A fee paid for a case (缴费记录), with the receipt number; no gateway."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="payments")
    fee_name = models.CharField(_("收费项目"), max_length=128)
    amount_fen = models.PositiveBigIntegerField(_("金额（分）"))
    receipt_number = models.CharField(_("票据号"), max_length=64, unique=True)
    paid_at = models.DateTimeField(_("缴费时间"))
    recorded_by = models.CharField(_("登记人"), max_length=150)

    class Meta:
        verbose_name = _("缴费记录")
        verbose_name_plural = _("缴费记录")

    def __str__(self) -> str:
        return f"{self.receipt_number} {self.amount_fen}"


class TimelineEntry(models.Model):
    """One step of a case's history (办理过程), the same content as its case event."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    event_id = models.CharField(max_length=36, unique=True)
    event_type = models.CharField(max_length=64)
    occurred_at = models.DateTimeField()
    actor = models.CharField(max_length=150)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("办理过程")
        verbose_name_plural = _("办理过程")

    def __str__(self) -> str:
        return f"{self.case.number} {self.event_type}"


class LicenceEnding(models.Model):
    """A licence ended before its time (ADR 0058): 撤销 (art. 69) or 注销 (art. 70).

    One per case at most (the unique case), so a licence cannot be ended twice;
    the case keeps its status: the handling was what it was.
    """

    # As Case.Status: the functional form, from the pure module's table.
    Kind = models.TextChoices(  # type: ignore[call-overload]
        "Kind", [(e.name, (e.value, pgettext_lazy("licence", ENDING_LABELS[e]))) for e in Ending]
    )
    Ground = models.TextChoices(  # type: ignore[call-overload]
        "Ground", [(code.upper(), (code, _(g.label))) for code, g in GROUNDS.items()]
    )

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="licence_ending")
    licence_number = models.CharField(_("证照编号"), max_length=64)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    ground = models.CharField(
        pgettext_lazy("licence", "事由"), max_length=32, choices=Ground.choices
    )
    reason = models.TextField(_("理由"))
    legal_basis = models.TextField(_("法律依据"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("决定时间"))

    class Meta:
        verbose_name = _("证照撤销或注销")
        verbose_name_plural = _("证照撤销或注销")

    def __str__(self) -> str:
        return f"{self.licence_number} {self.kind}"


class NumberCounter(models.Model):
    """The last sequence used for a numbering scope (a region and day, an item and year)."""

    scope = models.CharField(max_length=64, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.scope}={self.last}"
