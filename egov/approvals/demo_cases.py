"""Demo cases (演示办件): 道里区's market regulator with work in every stage.

The demo citizen and enterprise apply online for the 道里区 market regulator's
items, and the 道里区 clerk and leader handle them, through the same services
as the pages: two applications wait for acceptance, one is under review, one
waits for 补正, one was approved and concluded. The services open durable
transactions, so the loader runs them once the demo data is committed
(``transaction.on_commit``). Idempotent: nothing is added once the demo
citizen or enterprise has a case. Demo data only.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from egov.approvals import services
from egov.approvals.models import Case, ServiceItem
from egov.core.models import PublicAccount, User

DEPARTMENT = "230102-SCJG"
CITIZEN, ENTERPRISE = "citizen_demo", "enterprise_demo"
CLERK, LEADER = "clerk_daoli", "leader_daoli"
CITIZEN_FORM = {
    "applicant_name": "张晓明",
    "phone": "13904510001",
    "region": "230102",
    "address": "哈尔滨市道里区中央大街 88 号",
}
ENTERPRISE_FORM = {
    "entity_name": "哈尔滨龙江示范科技有限公司",
    "legal_representative": "李红",
    "phone": "13904510002",
    "region": "230102",
    "address": "哈尔滨市道里区友谊路 156 号",
}
# What happens to each demo application after it is filed, in filing order.
STAGES = ("submitted", "submitted", "accepted", "supplement", "concluded")


def material_pdf(title: str) -> SimpleUploadedFile:
    """A one-page PDF naming the material, as an applicant would scan it."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setFont("STSong-Light", 18)
    page.drawString(72, 760, title)
    page.setFont("STSong-Light", 11)
    page.drawString(72, 730, "（演示材料）")
    page.showPage()
    page.save()
    return SimpleUploadedFile(f"{title}.pdf", buffer.getvalue(), content_type="application/pdf")


def application_files(item: ServiceItem) -> dict[str, list[SimpleUploadedFile]]:
    return {m["code"]: [material_pdf(m["name"])] for m in item.materials if m.get("mandatory")}


def form_for(applicant: User) -> dict[str, Any]:
    """The application form as the demo account fills it, its identifier from its account."""
    account = PublicAccount.objects.get(user=applicant)
    if applicant.kind == User.Kind.CITIZEN:
        return {**CITIZEN_FORM, "resident_id": account.resident_id}
    return {**ENTERPRISE_FORM, "credit_code": account.credit_code}


def applicant_for(item: ServiceItem, people: dict[str, User]) -> User:
    """The demo citizen for items citizens apply for, else the demo enterprise."""
    fields = {field["name"] for field in item.form_fields}
    return people[CITIZEN] if "resident_id" in fields else people[ENTERPRISE]


def ask_for_supplement(case: Case, clerk: User) -> None:
    first = case.item.materials[0]
    services.request_supplement(
        actor=clerk,
        number=case.number,
        missing=[{"code": first["code"], "reason": "扫描件不清晰，请重新上传清晰完整的原件扫描件"}],
    )


def carry_out(stage: str, case: Case, staff: dict[str, User]) -> None:
    """Move a filed case on to ``stage`` as the 道里区 clerk and leader would."""
    if stage == "submitted":
        return
    clerk = staff[CLERK]
    if stage == "supplement":
        ask_for_supplement(case, clerk)
        return
    services.accept_case(actor=clerk, number=case.number, note="材料齐全，予以受理")
    if stage == "concluded":
        services.approve_case(actor=staff[LEADER], number=case.number)
        services.conclude_case(actor=clerk, number=case.number)


def file_demo_cases() -> int:
    """File and handle the demo applications; returns how many were filed."""
    people = {u.username: u for u in User.objects.filter(username__in=[CITIZEN, ENTERPRISE])}
    staff = {u.username: u for u in User.objects.filter(username__in=[CLERK, LEADER])}
    items = list(ServiceItem.objects.filter(department__code=DEPARTMENT, is_active=True))
    if len(people) < 2 or len(staff) < 2 or not items:
        return 0
    if Case.objects.filter(applicant__in=people.values()).exists():
        return 0
    for position, stage in enumerate(STAGES):
        item = items[position % len(items)]
        applicant = applicant_for(item, people)
        case = services.submit_application(
            applicant=applicant,
            item_code=item.code,
            form=form_for(applicant),
            files=application_files(item),
        )
        carry_out(stage, case, staff)
    return len(STAGES)


def load_demo_cases() -> None:
    """Demo loader: file the demo cases once the demo data is committed."""
    transaction.on_commit(file_demo_cases)
