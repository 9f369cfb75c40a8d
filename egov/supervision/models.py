"""Electronic supervision's own records (电子监察数据).

The engine keeps its own copy of everything it judges: every case event it
received (from our approvals module, a department's system or a legacy
export), its own projection of each case recomputed from those events, and a
reference copy of the service catalogue. It never reads another domain app's
tables (ADR 0016): cases are named by their case number, departments by their
organisation code, items by their implementation code.

Foreign keys point only to core (users, organisations, regions).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    INTERNAL = "internal", _("本平台审批系统")
    API = "api", _("部门系统接口")
    IMPORT = "import", _("历史数据导入")
    EXCHANGE = "exchange", _("交换平台")


class Light(models.TextChoices):
    GREEN = "green", _("绿灯")
    YELLOW = "yellow", _("黄灯")
    RED = "red", _("红灯")
    SUSPENDED = "suspended", _("暂停计时")
    STOPPED = "stopped", _("已停止计时")


class CaseEvent(models.Model):
    """One case event as received (办件过程数据), kept whole; the projection's source."""

    event_id = models.UUIDField(_("事件标识"), unique=True)
    case_number = models.CharField(_("办件编号"), max_length=32, db_index=True)
    type = models.CharField(_("事件类型"), max_length=40)
    occurred_at = models.DateTimeField(_("发生时间"))
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    source_system = models.CharField(_("来源系统"), max_length=64, blank=True)
    department_code = models.CharField(_("部门代码"), max_length=32, db_index=True)
    region_code = models.CharField(_("行政区划"), max_length=6)
    payload = models.JSONField(_("事件内容"))

    class Meta:
        verbose_name = _("办件事件")
        verbose_name_plural = _("办件事件")
        indexes = [models.Index(fields=["case_number", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.case_number} {self.type}"


class ReferenceItem(models.Model):
    """The engine's copy of a catalogue item (事项基准), from ItemPublished events."""

    code = models.CharField(_("实施编码"), max_length=48, unique=True)
    name = models.CharField(_("事项名称"), max_length=128)
    kind = models.CharField(_("事项类型"), max_length=16, blank=True)
    department_code = models.CharField(_("部门代码"), max_length=32, db_index=True)
    region_code = models.CharField(_("行政区划"), max_length=6)
    legal_basis = models.TextField(_("设定依据"), blank=True)
    statutory_limit_days = models.PositiveSmallIntegerField(_("法定时限"))
    promised_limit_days = models.PositiveSmallIntegerField(_("承诺时限"))
    fees = models.JSONField(_("收费项目"), default=list, blank=True)
    materials = models.JSONField(_("申请材料"), default=list, blank=True)
    snapshot = models.JSONField(_("发布内容"), default=dict)
    published_at = models.DateTimeField(_("发布时间"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("事项基准")
        verbose_name_plural = _("事项基准")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SupervisedCase(models.Model):
    """The engine's own view of one case (监察办件), rebuilt from its events.

    Deadlines are stored as dates so that the scheduled scan judges every open
    case with set-based queries (issue 5, item 7): ``yellow_on`` is the first
    local day the light turns yellow, ``deadline`` the last day in time.
    While the clock is suspended the dates are null and ``light`` says so.
    """

    case_number = models.CharField(_("办件编号"), max_length=32, unique=True)
    item_code = models.CharField(_("事项编码"), max_length=48, db_index=True)
    department_code = models.CharField(_("部门代码"), max_length=32, db_index=True)
    region_code = models.CharField(_("行政区划"), max_length=6)
    region_path = models.CharField(_("区划路径"), max_length=64, db_index=True)
    organisation = models.ForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    applicant_key = models.CharField(_("申请人标识摘要"), max_length=64, blank=True, db_index=True)
    status = models.CharField(_("状态"), max_length=24)
    is_open = models.BooleanField(_("在办"), default=True)
    complete = models.BooleanField(_("事件完整"), default=False)
    received_at = models.DateTimeField(_("收件时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    acceptance_due = models.DateField(_("受理期限"), null=True, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结/终结时间"), null=True, blank=True)
    statutory_limit_days = models.PositiveSmallIntegerField(_("法定时限"), null=True, blank=True)
    promised_limit_days = models.PositiveSmallIntegerField(_("承诺时限"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("延长天数"), default=0)
    suspended_days = models.PositiveSmallIntegerField(_("暂停工作日"), default=0)
    deadline = models.DateField(_("承诺期限"), null=True, blank=True)
    statutory_deadline = models.DateField(_("法定期限"), null=True, blank=True)
    yellow_on = models.DateField(_("黄灯日"), null=True, blank=True)
    working_days_used = models.PositiveSmallIntegerField(_("已用工作日"), null=True, blank=True)
    light = models.CharField(_("亮灯"), max_length=10, choices=Light.choices, default=Light.GREEN)
    light_judged_on = models.DateField(_("判定日"), null=True, blank=True)
    claimed_on_time = models.BooleanField(_("部门报送按时"), null=True, blank=True)
    on_time = models.BooleanField(_("按时（监察判定）"), null=True, blank=True)
    handler = models.CharField(_("经办人"), max_length=150, blank=True)
    fee_due_fen = models.PositiveBigIntegerField(_("应收（分）"), default=0)
    fee_paid_fen = models.PositiveBigIntegerField(_("已收（分）"), default=0)
    event_count = models.PositiveIntegerField(_("事件数"), default=0)
    last_event_at = models.DateTimeField(_("最近事件时间"), null=True, blank=True)
    rebuilt_at = models.DateTimeField(_("重算时间"), auto_now=True)

    class Meta:
        verbose_name = _("监察办件")
        verbose_name_plural = _("监察办件")
        indexes = [
            models.Index(fields=["is_open", "light"]),
            # The scan (ADR 0050): each light change is a range of one of these two
            # partial indexes (green cases with a deadline before today, …), so a
            # daily scan reads only the cases whose light changes.
            models.Index(
                fields=["light", "deadline"], condition=Q(is_open=True), name="open_light_deadline"
            ),
            models.Index(
                fields=["light", "yellow_on"], condition=Q(is_open=True), name="open_light_yellow"
            ),
            # ... and the open cases no scan or projection has judged yet (bulk imports).
            models.Index(
                fields=["light", "deadline"],
                condition=Q(is_open=True, light_judged_on__isnull=True),
                name="open_never_judged",
            ),
            # The scan's findings and alerts look only at cases lit or past a date
            # since the previous scan (ADR 0050).
            models.Index(
                fields=["light_judged_on"], condition=Q(is_open=True), name="open_judged_on"
            ),
            # The open cases the projection rebuilt since the previous scan (ADR 0056).
            models.Index(fields=["rebuilt_at"], condition=Q(is_open=True), name="open_rebuilt_at"),
            models.Index(
                fields=["statutory_deadline"], condition=Q(is_open=True), name="open_statutory"
            ),
            models.Index(fields=["department_code", "received_at"]),
            # Statistics of a period and the weekly early-warning figures (S4).
            models.Index(fields=["received_at"], name="supervised_received_idx"),
            models.Index(fields=["decided_at"], name="supervised_decided_idx"),
        ]

    def __str__(self) -> str:
        return self.case_number


class RuleSetting(models.Model):
    """A rule switched on or off, or given other parameters, for a department or an item.

    Blank ``department_code`` and ``item_code`` is the province-wide setting;
    an item's setting wins over its department's, which wins over the default.
    """

    rule_code = models.CharField(_("规则"), max_length=48)
    department_code = models.CharField(_("部门代码"), max_length=32, blank=True)
    item_code = models.CharField(_("事项编码"), max_length=48, blank=True)
    enabled = models.BooleanField(_("启用"), default=True)
    parameters = models.JSONField(_("参数"), default=dict, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("规则设置")
        verbose_name_plural = _("规则设置")
        constraints = [
            models.UniqueConstraint(
                fields=["rule_code", "department_code", "item_code"], name="one_setting_per_scope"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule_code} {self.department_code or '*'} {self.item_code or '*'}"


class Severity(models.TextChoices):
    INFO = "info", _("提示")
    YELLOW = "yellow", _("黄色")
    RED = "red", _("红色")


class Finding(models.Model):
    """One rule hit (监察发现) with its evidence, and where it stands."""

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        NOTICED = "noticed", _("已督办")
        RESPONDED = "responded", _("已反馈")
        CLOSED = "closed", _("已办结")
        ESCALATED = "escalated", _("已升级")
        DISMISSED = "dismissed", _("已撤销")

    fingerprint = models.CharField(_("指纹"), max_length=64, unique=True)
    rule_code = models.CharField(_("规则"), max_length=48, db_index=True)
    category = models.CharField(_("类别"), max_length=24)
    severity = models.CharField(_("严重程度"), max_length=8, choices=Severity.choices)
    case_number = models.CharField(_("办件编号"), max_length=32, blank=True, db_index=True)
    item_code = models.CharField(_("事项编码"), max_length=48, blank=True)
    department_code = models.CharField(_("部门代码"), max_length=32, db_index=True)
    region_path = models.CharField(_("区划路径"), max_length=64, db_index=True)
    organisation = models.ForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.CharField(_("摘要"), max_length=300)
    evidence = models.JSONField(_("证据"), default=dict)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    found_at = models.DateTimeField(_("发现时间"), db_index=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        "core.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("升级至"),
        help_text=_("升级后由该区划的监察员处理"),
    )

    class Meta:
        verbose_name = _("监察发现")
        verbose_name_plural = _("监察发现")
        indexes = [
            models.Index(fields=["department_code", "found_at"]),
            # The scan's "no time-limit finding yet" anti-join probes by case and rule.
            models.Index(fields=["case_number", "rule_code"], name="finding_case_rule"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_code} {self.case_number}"


class SupervisionNotice(models.Model):
    """A supervision notice (督办通知) sent to a department about a finding."""

    class Status(models.TextChoices):
        SENT = "sent", _("已发送")
        RESPONDED = "responded", _("已反馈")
        ACCEPTED = "accepted", _("已认可")
        REJECTED = "rejected", _("退回重办")
        ESCALATED = "escalated", _("已升级")

    class ResponseKind(models.TextChoices):
        EXPLANATION = "explanation", _("情况说明")
        RECTIFICATION = "rectification", _("整改报告")

    number = models.CharField(_("督办编号"), max_length=32, unique=True)
    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="notices")
    department = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("督办时间"))
    due_on = models.DateField(_("反馈期限"))
    instructions = models.TextField(_("督办要求"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default="sent")
    response_kind = models.CharField(
        _("反馈类型"), max_length=16, choices=ResponseKind.choices, blank=True
    )
    response = models.TextField(_("反馈内容"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("督办通知")
        verbose_name_plural = _("督办通知")

    def __str__(self) -> str:
        return self.number


class DepartmentCard(models.Model):
    """A yellow or red card (黄牌、红牌) shown to a department for repeated red findings."""

    class Colour(models.TextChoices):
        YELLOW = "yellow", _("黄牌")
        RED = "red", _("红牌")

    department = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    colour = models.CharField(_("颜色"), max_length=8, choices=Colour.choices)
    period_start = models.DateField(_("统计期起"))
    period_end = models.DateField(_("统计期止"))
    red_findings = models.PositiveIntegerField(_("红色发现数"))
    issued_at = models.DateTimeField(_("亮牌时间"))
    issued_by = models.CharField(_("亮牌人"), max_length=150)

    class Meta:
        verbose_name = _("黄牌红牌")
        verbose_name_plural = _("黄牌红牌")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "colour", "period_start"], name="one_card_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department_id} {self.colour} {self.period_start}"


class Complaint(models.Model):
    """A citizen's complaint about how a case was handled (效能投诉)."""

    number = models.CharField(_("投诉编号"), max_length=32, unique=True)
    complainant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    case_number = models.CharField(_("办件编号"), max_length=32, db_index=True)
    category = models.CharField(_("投诉类别"), max_length=24)
    text = models.TextField(_("投诉内容"))
    contact = models.CharField(_("联系方式"), max_length=64, blank=True)
    submitted_at = models.DateTimeField(_("投诉时间"))
    finding = models.OneToOneField(
        Finding, null=True, blank=True, on_delete=models.PROTECT, related_name="complaint"
    )

    class Meta:
        verbose_name = _("效能投诉")
        verbose_name_plural = _("效能投诉")

    def __str__(self) -> str:
        return self.number


class Alert(models.Model):
    """A warning to a person (预警提醒): a case nearing or past its limit, a notice due."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("类别"), max_length=24)
    level = models.CharField(_("级别"), max_length=8, choices=Severity.choices)
    case_number = models.CharField(_("办件编号"), max_length=32, blank=True)
    message = models.CharField(_("内容"), max_length=300)
    fingerprint = models.CharField(_("指纹"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("时间"))
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    channels = models.JSONField(_("发送渠道"), default=list, blank=True)

    class Meta:
        verbose_name = _("预警提醒")
        verbose_name_plural = _("预警提醒")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind} {self.case_number}"


class ScanRun(models.Model):
    """The day of a time-limit scan (时限扫描记录): the next scan looks at what changed since."""

    day = models.DateField(_("扫描日"), unique=True)
    scanned_at = models.DateTimeField(_("扫描时间"))

    class Meta:
        verbose_name = _("时限扫描记录")
        verbose_name_plural = _("时限扫描记录")

    def __str__(self) -> str:
        return self.day.isoformat()


# --- Daily roll-ups (ADR 0050) -----------------------------------------------------------
# The dashboards read these instead of the case table, so their cost follows the
# number of days × departments × items, not the number of cases. Kept by
# :mod:`egov.supervision.statistics.rollups` (ingest and the scan), rebuilt on demand by
# ``egov rebuild_supervision_rollups``.


class ReceivedFigures(models.Model):
    """What a received-cases roll-up row counts, by day or by month (ADR 0050, 0057)."""

    department_code = models.CharField(_("部门代码"), max_length=32)
    region_path = models.CharField(_("区划路径"), max_length=64)
    received = models.PositiveIntegerField(_("收件"), default=0)
    concluded = models.PositiveIntegerField(_("办结"), default=0)
    judged = models.PositiveIntegerField(_("监察判定"), default=0)
    on_time = models.PositiveIntegerField(_("按时"), default=0)
    days_total = models.PositiveBigIntegerField(_("用时合计"), default=0)
    days_counted = models.PositiveIntegerField(_("用时件数"), default=0)

    class Meta:
        abstract = True


class DecidedFigures(models.Model):
    """What a decided-cases roll-up row counts, by day or by week (ADR 0050, 0057)."""

    department_code = models.CharField(_("部门代码"), max_length=32)
    region_path = models.CharField(_("区划路径"), max_length=64)
    decided = models.PositiveIntegerField(_("决定"), default=0)
    overdue = models.PositiveIntegerField(_("超期"), default=0)
    days_sum = models.FloatField(_("用时合计"), default=0)
    days_squares = models.FloatField(_("用时平方和"), default=0)

    class Meta:
        abstract = True


class ReceivedDay(ReceivedFigures):
    """The cases received on one local day by one department and item (收件日汇总)."""

    day = models.DateField(_("收件日"))
    item_code = models.CharField(_("事项编码"), max_length=48)

    class Meta:
        verbose_name = _("收件日汇总")
        verbose_name_plural = _("收件日汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "item_code", "department_code", "region_path"],
                name="one_received_day_row",
            )
        ]
        indexes = [models.Index(fields=["day", "region_path"], name="received_day_region")]

    def __str__(self) -> str:
        return f"{self.day} {self.department_code} {self.item_code}"


class DecidedDay(DecidedFigures):
    """The engine-judged decisions of one local day by one department (决定日汇总)."""

    day = models.DateField(_("决定日"))

    class Meta:
        verbose_name = _("决定日汇总")
        verbose_name_plural = _("决定日汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "department_code", "region_path"], name="one_decided_day_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.department_code}"


class OpenLightCount(models.Model):
    """How many open cases of one department and item show one light now (在办亮灯快照)."""

    department_code = models.CharField(_("部门代码"), max_length=32)
    region_path = models.CharField(_("区划路径"), max_length=64)
    item_code = models.CharField(_("事项编码"), max_length=48)
    light = models.CharField(_("亮灯"), max_length=10, choices=Light.choices)
    cases = models.IntegerField(_("件数"), default=0)

    class Meta:
        verbose_name = _("在办亮灯快照")
        verbose_name_plural = _("在办亮灯快照")
        constraints = [
            models.UniqueConstraint(
                fields=["item_code", "department_code", "region_path", "light"],
                name="one_open_light_row",
            )
        ]

    def __str__(self) -> str:
        return f"{self.department_code} {self.item_code} {self.light} {self.cases}"


class ReceivedMonth(ReceivedFigures):
    """The received-day figures of one department summed over a calendar month (收件月汇总).

    Kept from :class:`ReceivedDay` (ADR 0057): a month's page reads about one
    row per department, however many cases and items the month holds.
    """

    month = models.DateField(_("月份"))  # its first day

    class Meta:
        verbose_name = _("收件月汇总")
        verbose_name_plural = _("收件月汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "department_code", "region_path"], name="one_received_month_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.department_code}"


class DecidedWeek(DecidedFigures):
    """The decided-day figures of one department summed over a week from Monday (决定周汇总).

    Kept from :class:`DecidedDay` (ADR 0057), for the weekly early warnings.
    """

    week = models.DateField(_("周一"))

    class Meta:
        verbose_name = _("决定周汇总")
        verbose_name_plural = _("决定周汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["week", "department_code", "region_path"], name="one_decided_week_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.week} {self.department_code}"
