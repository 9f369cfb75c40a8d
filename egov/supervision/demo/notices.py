"""Demo supervision notices (演示督办): the scan over the demo month, and notices at each stage.

Registered as a core demo loader after the demo month (S2's loader): it runs
the scan's set-based steps for today (lights, time-limit findings, alerts),
then the 哈尔滨市 supervisor (``supervisor_harbin``) issues notices on red
findings of 道里区's departments: one waits for the department, one has been
answered by 道里区's leader (``leader_daoli``, who answers for the district's
departments) and waits for review, one was accepted and its finding closed.
Logging in as ``leader_daoli`` shows the department's side, as
``supervisor_harbin`` the supervisor's. Idempotent: it does nothing once any
notice exists. Runs inside the demo transaction, so it calls the steps'
``nested`` form.
"""

from __future__ import annotations

from django.utils import timezone

from egov.core.models import User
from egov.supervision.findings import handling as findings
from egov.supervision.judging.scan import judge_lights, record_time_findings
from egov.supervision.models import Finding, SupervisionNotice
from egov.supervision.statistics import alerts

SUPERVISOR, RESPONDER = "supervisor_harbin", "leader_daoli"
DISTRICT_PATH = "230000/230100/230102/"
INSTRUCTIONS = "请于期限内核实情况，说明原因并整改，整改结果书面反馈。"


def demo_findings(count: int) -> list[Finding]:
    """Red, open findings of 道里区's departments, oldest first."""
    return list(
        Finding.objects.filter(
            status=Finding.Status.OPEN, severity="red", region_path__startswith=DISTRICT_PATH
        )
        .exclude(organisation=None)
        .order_by("found_at", "pk")[:count]
    )


def load_demo_notices() -> int:
    """Scan today and issue the demo notices; how many notices were issued."""
    if SupervisionNotice.objects.exists():
        return 0
    today, now = timezone.localdate(), timezone.now()
    judge_lights(today)
    record_time_findings(today, now)
    alerts.record_light_alerts(now)
    supervisor = User.objects.filter(username=SUPERVISOR).first()
    responder = User.objects.filter(username=RESPONDER).first()
    if supervisor is None or responder is None:
        return 0
    notices = [
        findings.issue_notice.nested(
            actor=supervisor, finding_id=finding.pk, due_days=5, instructions=INSTRUCTIONS
        )
        for finding in demo_findings(3)
    ]
    for notice in notices[1:]:
        findings.respond_to_notice.nested(
            actor=responder,
            number=notice.number,
            kind="rectification",
            text="已核实：因材料流转延误超期。已对经办人批评教育，案件已办结，并完善限时提醒。",
        )
    if len(notices) == 3:
        findings.accept_response.nested(
            actor=supervisor, number=notices[2].number, note="整改措施到位，予以认可。"
        )
    return len(notices)
