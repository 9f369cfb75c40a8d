"""Demo cases (演示办件): 道里区's market regulator with work in every stage.

The demo citizen and enterprise apply online for the 道里区 market regulator's
items, and the 道里区 clerk and leader handle them, through the same services
as the pages, each step on its own past day (:data:`RECIPES`): applications
wait for acceptance, some are under review, overdue or nearly so, some wait
for 补正 or a hearing, one was approved and concluded, one approved, delivered
and its licence revoked (撤销), so the clerk's queue
shows green, yellow and red lights on the day the demo is loaded. The services open durable
transactions, so the loader runs them once the demo data is committed
(``transaction.on_commit``). Idempotent: nothing is added once the demo
citizen or enterprise has a case. Demo data only.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from egov.approvals import services
from egov.approvals.clock import SHANGHAI
from egov.approvals.models import Case, ServiceItem
from egov.approvals.services.clocks import recompute_case_clocks
from egov.core.models import PublicAccount, User
from egov.core.selectors.calendar import get_working_calendar

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
# Each demo application as steps back in time: (step, working days before today, hour).
# Filed in the past through the services, so that on the day the demo is loaded
# the lights are what those dates give (ADR 0047); no light is written by hand.
# "p" stands for the item's promised limit in working days.
Step = tuple[str, int | str, int]
RECIPES: dict[str, tuple[Step, ...]] = {
    "waiting_green": (("file", 1, 9),),
    "waiting_yellow": (("file", 4, 9),),  # 4 of the 5 acceptance days gone
    "supplement_before_acceptance": (("file", 2, 9), ("supplement", 1, 10)),
    "accepted_green": (("file", 2, 9), ("accept", 1, 10)),
    "accepted_yellow": (("file", "p", 9), ("accept", "p-1", 10)),  # one day left
    "accepted_red": (("file", "p+4", 9), ("accept", "p+3", 10)),  # three days overdue
    "supplement_after_acceptance": (("file", 4, 9), ("accept", 3, 10), ("supplement", 2, 11)),
    "hearing": (("file", 5, 9), ("accept", 4, 10), ("hearing", 2, 11)),
    "concluded": (("file", 6, 9), ("accept", 5, 10), ("approve", 3, 11), ("conclude", 2, 15)),
    # A licence obtained with a forged lease, revoked after delivery (撤销, ADR 0058):
    # its decision's verification page answers 已撤销.
    "revoked": (
        ("file", 9, 9),
        ("accept", 8, 10),
        ("approve", 6, 11),
        ("conclude", 6, 15),
        ("deliver", 5, 10),
        ("revoke", 1, 10),
    ),
}


def working_days_back(days: int | str, limit: int) -> int:
    """A recipe's day count: a number, or "p", "p-1", "p+3" of the item's promised limit."""
    if isinstance(days, int):
        return days
    return limit + int(days[1:] or 0)


def moment_before(today: dt.date, days: int, hour: int) -> dt.datetime:
    """``hour`` o'clock on the working day ``days`` working days before ``today``.

    Counted by the core calendar (``working_days_between``), so holidays and
    make-up days are skipped as the clock skips them.
    """
    calendar = get_working_calendar()
    day = today
    while calendar.working_days_between(day, today) < days or not calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


@contextmanager
def demo_clock(moment: dt.datetime) -> Iterator[None]:
    """Run the services as if it were ``moment`` (demo data only: builds the past).

    The services read the time through ``django.utils.timezone.now``; the demo
    patches that one function while it files a step, and nothing else.
    """
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


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


def take_step(step: str, number: str, staff: dict[str, User]) -> None:
    """One step of a recipe, as the 道里区 clerk and leader take it on the page."""
    clerk, leader = staff[CLERK], staff[LEADER]
    if step == "accept":
        services.accept_case(actor=clerk, number=number, note="材料齐全，予以受理")
    elif step == "supplement":
        ask_for_supplement(Case.objects.select_related("item").get(number=number), clerk)
    elif step == "hearing":
        services.start_special_procedure(
            actor=clerk,
            number=number,
            procedure="hearing",
            reason="涉及申请人与他人之间重大利益关系，依法举行听证",
            limit_days=10,
        )
    elif step == "approve":
        services.approve_case(actor=leader, number=number)
    elif step == "conclude":
        services.conclude_case(actor=clerk, number=number)
    elif step == "deliver":
        services.deliver_case(actor=clerk, number=number, method="window")
    elif step == "revoke":
        services.revoke_licence(
            actor=leader,
            number=number,
            ground="improper_means",
            reason="经核查，申请时提交的经营场所租赁合同系伪造（演示数据）",
        )


def file_recipe(
    recipe: tuple[Step, ...], item: ServiceItem, people: dict[str, User], staff: dict[str, User]
) -> None:
    """File one application and take its steps, each at its own past moment."""
    today = timezone.localdate()
    number = ""
    for step, days, hour in recipe:
        back = working_days_back(days, item.promised_limit_days)
        with demo_clock(moment_before(today, back, hour)):
            if step == "file":
                applicant = applicant_for(item, people)
                number = services.submit_application(
                    applicant=applicant,
                    item_code=item.code,
                    form=form_for(applicant),
                    files=application_files(item),
                ).number
            else:
                take_step(step, number, staff)


def file_demo_cases() -> int:
    """File and handle the demo applications; returns how many were filed.

    The clerk's queue then holds open cases of every light, waiting, accepted
    and suspended (补正, 听证); their stored clocks are brought up to today.
    """
    people = {u.username: u for u in User.objects.filter(username__in=[CITIZEN, ENTERPRISE])}
    staff = {u.username: u for u in User.objects.filter(username__in=[CLERK, LEADER])}
    items = list(
        ServiceItem.objects.filter(
            department__code=DEPARTMENT, is_active=True, promised_limit_days__gte=1
        ).order_by("code")
    )
    if len(people) < 2 or len(staff) < 2 or not items:
        return 0
    if Case.objects.filter(applicant__in=people.values()).exists():
        return 0
    for position, recipe in enumerate(RECIPES.values()):
        file_recipe(recipe, items[position % len(items)], people, staff)
    recompute_case_clocks()
    return len(RECIPES)


def load_demo_cases() -> None:
    """Demo loader: file the demo cases once the demo data is committed."""
    transaction.on_commit(file_demo_cases)
