"""Approvals reads (查询): the service guide, a case's clock, queues and timelines."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, overload

from django.db.models import Avg, Count, IntegerField, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from egov.approvals import clock, permissions, verification
from egov.approvals.catalogue import ITEM_KINDS, MATERIAL_FORMS, yuan
from egov.approvals.licence import ENDING_LABELS, GROUNDS, Ending
from egov.approvals.materials import presentation, upload_key
from egov.approvals.models import (
    Case,
    CaseMaterial,
    LicenceEnding,
    ServiceItem,
    Suspension,
    TimelineEntry,
)
from egov.approvals.workflow import LICENSED, OPEN, allowed_actions
from egov.core.models import Organisation, Region, User
from egov.core.permissions import scopes_for
from egov.core.regions_data import HEILONGJIANG
from egov.core.selectors.calendar import get_working_calendar
from egov.core.selectors.regions import subtree


def active_items() -> QuerySet[ServiceItem]:
    """The catalogue items one can apply for, with their departments."""
    return ServiceItem.objects.filter(is_active=True).select_related("department")


def find_item(code: str) -> ServiceItem | None:
    """An active catalogue item by its implementation code."""
    return active_items().filter(code=code).first()


@dataclass(frozen=True)
class ServiceGuide:
    """A service guide (办事指南): everything an applicant needs to know about an item."""

    code: str
    name: str
    kind: str
    department: str
    department_code: str
    legal_basis: str
    conditions: str
    materials: list[dict[str, Any]]
    process: list[dict[str, Any]]
    statutory_limit_days: int
    promised_limit_days: int
    fees: list[dict[str, Any]]
    free: bool
    form_fields: list[dict[str, Any]]
    place: str
    hours: str
    contact: str
    online: bool


def service_guide(code: str) -> ServiceGuide | None:
    """The service guide (办事指南) of an active item, or None."""
    item = find_item(code)
    if item is None:
        return None
    materials = [
        {**m, "form_label": MATERIAL_FORMS.get(m.get("form", ""), "")} for m in item.materials
    ]
    fees = [{**f, "amount_yuan": str(yuan(f["amount_fen"]))} for f in item.fees]
    return ServiceGuide(
        code=item.code,
        name=item.name,
        kind=ITEM_KINDS[item.kind],
        department=item.department.name,
        department_code=item.department.code,
        legal_basis=item.legal_basis,
        conditions=item.conditions,
        materials=materials,
        process=list(item.process),
        statutory_limit_days=item.statutory_limit_days,
        promised_limit_days=item.promised_limit_days,
        fees=fees,
        free=item.is_free,
        form_fields=list(item.form_fields),
        place=item.place,
        hours=item.hours,
        contact=item.contact,
        online=item.online,
    )


def county_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The province's current counties (县区) by city (地市), for the region picker."""
    regions = subtree(HEILONGJIANG).filter(level__gte=Region.Level.PREFECTURE).order_by("code")
    cities: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for region in regions:
        if region.level == Region.Level.PREFECTURE:
            cities[region.code] = (region.name, [])
        elif region.parent_id in cities:
            cities[region.parent_id][1].append((region.code, region.name))
    return [(name, counties) for name, counties in cities.values() if counties]


def stop_time(case: Case) -> dt.datetime | None:
    """When the case's clock stopped: the decision, refusal, withdrawal or termination."""
    if case.status_enum in OPEN:
        return None
    return case.decided_at or case.closed_at or case.concluded_at


def case_times(case: Case, suspensions: list[Suspension] | None = None) -> clock.CaseTimes:
    """The facts of a case the clock reads (the promised limit is the one watched)."""
    rows = suspensions if suspensions is not None else list(case.suspensions.all())
    return clock.CaseTimes(
        received=case.received_at,
        limit_days=case.promised_limit_days,
        accepted=case.accepted_at,
        stopped=stop_time(case),
        suspensions=tuple(
            clock.Suspension(s.kind, s.started_at, s.ended_at, s.limit_days) for s in rows
        ),
        extension_days=case.extension_days,
    )


def case_clock(
    case: Case, now: dt.datetime | None = None, suspensions: list[Suspension] | None = None
) -> clock.ClockReading:
    """The case's clock now (计时): deadline, days used and left, light."""
    return clock.read_clock(
        case_times(case, suspensions), get_working_calendar(), now or timezone.now()
    )


def statutory_clock(case: Case, now: dt.datetime | None = None) -> clock.ClockReading:
    """The clock under the statutory limit (法定时限), with suspensions and extensions."""
    times = case_times(case)
    statutory = clock.CaseTimes(
        received=times.received,
        limit_days=case.statutory_limit_days,
        accepted=times.accepted,
        stopped=times.stopped,
        suspensions=times.suspensions,
        extension_days=times.extension_days,
    )
    return clock.read_clock(statutory, get_working_calendar(), now or timezone.now())


def statutory_deadline(case: Case, now: dt.datetime | None = None) -> dt.date:
    """The deadline under the statutory limit (法定时限), with suspensions and extensions."""
    return statutory_clock(case, now).deadline


def case_timeline(case: Case) -> list[TimelineEntry]:
    """The case's history, oldest first."""
    return list(TimelineEntry.objects.filter(case=case).order_by("occurred_at", "id"))


@dataclass(frozen=True)
class Actor:
    """Who took a step, as people know them: a name, an organisation, applicant or not."""

    name: str
    organisation: str
    is_applicant: bool
    is_person: bool


def timeline_actors(case: Case, entries: list[TimelineEntry]) -> dict[str, Actor]:
    """The people behind the timeline's usernames, in one query; the platform's own steps too."""
    usernames = {entry.actor for entry in entries}
    people = User.objects.filter(username__in=usernames).select_related("staff__organisation")
    actors = {}
    for person in people:
        staff = getattr(person, "staff", None) if person.kind == User.Kind.STAFF else None
        applicant = person.pk == case.applicant_id
        name = person.display_name or (case.applicant_name if applicant else person.username)
        organisation = staff.organisation.name if staff is not None else ""
        actors[person.username] = Actor(name, organisation, applicant, True)
    for username in usernames - set(actors):
        actors[username] = Actor(username, "", False, False)
    return actors


def licence_ending(case: Case) -> LicenceEnding | None:
    """How the case's licence ended before its time (撤销/注销), or None."""
    if not case.licence_number or case.status_enum not in LICENSED:
        return None
    return LicenceEnding.objects.filter(case=case).first()


def licence_status(case: Case) -> str | None:
    """The licence's state: "valid", "revoked" or "cancelled"; None when none was issued."""
    if not case.licence_number or case.status_enum not in LICENSED:
        return None
    ended = licence_ending(case)
    return ended.kind if ended is not None else "valid"


def next_actions(case: Case) -> list[str]:
    """The workflow actions the case allows now (the licence's while one is in force)."""
    in_force = licence_status(case) == "valid"
    return [action.value for action in allowed_actions(case.status_enum, licence_in_force=in_force)]


def applicant_cases(user: Any) -> QuerySet[Case]:
    """The cases a citizen or enterprise filed online, newest first."""
    return Case.objects.filter(applicant=user).select_related("item").order_by("-received_at")


def open_cases_for_acceptance_sweep() -> QuerySet[Case]:
    """Cases still waiting for acceptance: candidates for deemed acceptance (视为受理)."""
    return Case.objects.filter(status=Case.Status.SUBMITTED, accepted_at__isnull=True)


# --- The staff workbench queue (我的待办) ---------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    """What the clerk narrows the queue by."""

    item: str = ""
    status: str = ""
    light: str = ""
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    search: str = ""


@dataclass(frozen=True)
class QueueCase:
    """What the queue shows of a case: a few columns, not the whole row."""

    number: str
    status: str
    status_label: str
    received_at: dt.datetime
    applicant_name: str
    item_name: str


@dataclass(frozen=True)
class StoredClock:
    """A case's clock as stored on the case (ADR 0047): what the queue shows and sorts by."""

    deadline: dt.date
    statutory_deadline: dt.date | None
    days_left: int
    light: str
    suspended: bool
    phase: str


@dataclass(frozen=True)
class QueueRow:
    """One open case in the queue with its clock."""

    case: QueueCase
    clock: StoredClock


# The queue's order: fewest working days left, then the earliest deadline, then
# the oldest; the id makes it total (a keyset for 下一件). Served by the
# partial indexes case_open_queue_order / case_department_queue_order.
QUEUE_ORDER = ("clock_days_left", "clock_deadline", "received_at", "id")

QUEUE_COLUMNS = (
    "number",
    "status",
    "received_at",
    "applicant_name",
    "item__name",
    "clock_deadline",
    "clock_statutory_deadline",
    "clock_days_left",
    "clock_light",
    "clock_suspended",
    "clock_phase",
)


def cases_in_scope(user: Any) -> QuerySet[Case]:
    """Cases of the departments in the subtrees where the user may view cases."""
    grants = scopes_for(user, permissions.VIEW_CASE)
    subtree = Q(pk__in=[])
    for grant in grants:
        subtree |= Q(department__path__startswith=grant.organisation_path)
    return Case.objects.filter(subtree)


def scope_departments(user: Any) -> Q:
    """The user's departments as a filter on the case's own column (no join).

    The organisations under the user's grants are read first (one small query);
    a scope that covers every organisation (a provincial supervisor) needs no
    filter at all, so the queue walks its index in order.
    """
    grants = scopes_for(user, permissions.VIEW_CASE)
    if not grants:
        return Q(pk__in=[])
    subtree = Q(pk__in=[])
    for grant in grants:
        subtree |= Q(path__startswith=grant.organisation_path)
    ids = list(Organisation.objects.filter(subtree).values_list("id", flat=True))
    if len(ids) == Organisation.objects.count():
        return Q()
    return Q(department_id__in=ids)


def filtered_open_cases(user: Any, filters: QueueFilters) -> QuerySet[Case]:
    """Open cases in the user's scope, narrowed by the filters.

    Open means a stored clock: every service stores one on an open case and
    clears it when the case closes (ADR 0047), so the partial queue indexes
    alone select the open cases, in the queue's order.
    """
    cases = Case.objects.filter(scope_departments(user), clock_days_left__isnull=False)
    if filters.item:
        cases = cases.filter(item__code=filters.item)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.light:
        cases = cases.filter(clock_light=filters.light)
    if filters.received_from:
        cases = cases.filter(received_at__date__gte=filters.received_from)
    if filters.received_to:
        cases = cases.filter(received_at__date__lte=filters.received_to)
    text = filters.search.strip()
    if text:
        cases = cases.filter(Q(number__startswith=text.upper()) | Q(applicant_name__contains=text))
    return cases


def queue_row(values: tuple[Any, ...], labels: Mapping[str, Any]) -> QueueRow:
    """A queue row from the values of QUEUE_COLUMNS."""
    number, status, received, name, item, deadline, statutory, left, light, paused, phase = values
    shown = QueueCase(number, status, str(labels[status]), received, name, item)
    return QueueRow(shown, StoredClock(deadline, statutory, left, light, paused, phase))


class QueueRows:
    """The ordered queue as a lazy sequence: counted and sliced in the database.

    A Paginator takes it as it takes a QuerySet: ``count()`` for the total and a
    slice for one page, so only the page's rows are read and turned into rows.
    """

    def __init__(self, cases: QuerySet[Case]) -> None:
        self.cases = cases.order_by(*QUEUE_ORDER)
        self.labels = dict(Case.Status.choices)

    def count(self) -> int:
        return self.cases.count()

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int, /) -> QueueRow: ...

    @overload
    def __getitem__(self, index: slice, /) -> list[QueueRow]: ...

    def __getitem__(self, index: int | slice, /) -> QueueRow | list[QueueRow]:
        if isinstance(index, int):
            return queue_row(self.cases.values_list(*QUEUE_COLUMNS)[index], self.labels)
        rows = self.cases.values_list(*QUEUE_COLUMNS)[index]
        return [queue_row(values, self.labels) for values in rows]

    def __iter__(self) -> Iterator[QueueRow]:
        return (queue_row(values, self.labels) for values in self.cases.values_list(*QUEUE_COLUMNS))


def workbench_queue(user: Any, filters: QueueFilters) -> QueueRows:
    """The open cases the user may see, most urgent first (fewest working days left).

    Sorted, filtered, counted and paged by the database on the stored clock
    columns (ADR 0047); nothing is computed per case beyond a page's rows.
    """
    return QueueRows(filtered_open_cases(user, filters))


@dataclass(frozen=True)
class ShownMaterial:
    """A material as the case page lists it: the row and how its file is shown."""

    material: CaseMaterial
    viewer: str  # "frame" (PDF), "image", or "" (downloaded)
    is_ofd: bool


def case_materials(case: Case) -> list[ShownMaterial]:
    """The case's uploaded materials, application first, then each supplement round."""
    rows = case.case_materials.order_by("round", "material_code", "id")
    return [ShownMaterial(m, presentation(m.file_type).viewer, m.file_type == "ofd") for m in rows]


@dataclass(frozen=True)
class SupplementNotice:
    """The open 补正 notice (一次性告知): everything asked for at once, each with its reason."""

    sequence: int
    sent_at: dt.datetime
    note: str
    entries: list[dict[str, str]]  # key (the upload field), code, name, reason


def supplement_notice(case: Case) -> SupplementNotice | None:
    """The notice the case is waiting on, or None when no 补正 is open."""
    suspension = (
        case.suspensions.filter(kind=Suspension.Kind.SUPPLEMENT, ended_at__isnull=True)
        .order_by("-started_at")
        .first()
    )
    if suspension is None:
        return None
    entries = [
        {**entry, "key": upload_key(position, entry)}
        for position, entry in enumerate(suspension.missing, start=1)
    ]
    return SupplementNotice(suspension.sequence, suspension.started_at, suspension.reason, entries)


def case_payments(case: Case) -> list[Any]:
    """The fees paid on the case."""
    return list(case.payments.order_by("paid_at"))


DECIDED = frozenset({"approved", "denied", "concluded", "delivered"})


def decision_document(case: Case) -> bytes | None:
    """The decision document (决定书) as PDF, or None before a decision."""
    from egov.approvals.decision_pdf import Decision, render_decision

    if case.status not in DECIDED or case.decided_at is None:
        return None
    local = timezone.localtime
    decision = Decision(
        authority=case.department.name,
        case_number=case.number,
        item_name=case.item.name,
        applicant=case.applicant_name,
        received=local(case.received_at).date(),
        accepted=local(case.accepted_at).date() if case.accepted_at else None,
        decided=local(case.decided_at).date(),
        approved=bool(case.licence_number),
        licence_number=case.licence_number or "",
        reasons=case.reasons,
        remedies=case.remedies,
        legal_basis=case.item.legal_basis.split("；")[0],
        verification_code=case.verification_code or "",
        verification_url=decision_verification_url(case.verification_code or ""),
    )
    return render_decision(decision)


# Where the platform is reached from outside, as trust's CRL URLs (EGOV_PUBLIC_URL).
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


def decision_verification_url(code: str) -> str:
    """The public URL that checks a decision (``$EGOV_PUBLIC_URL/approvals/verify/<code>/``)."""
    base = os.environ.get("EGOV_PUBLIC_URL") or DEFAULT_PUBLIC_URL
    return verification.verification_url(base, code) if code else ""


@dataclass(frozen=True)
class LicenceEnded:
    """What the public verification page says of a licence that ended: the act, date, ground."""

    kind: str  # "revoked" (撤销) or "cancelled" (注销)
    label: str  # 已撤销 / 已注销
    on: dt.date
    ground: str  # the ground's label, never the free-text reason
    legal_basis: str  # the article (without a provision typed by staff)


@dataclass(frozen=True)
class VerifiedDecision:
    """What the public verification page shows of a decision: what the document shows.

    ``ended`` says whether the licence was revoked or cancelled since (ADR 0058).
    """

    item_name: str
    department: str
    applicant: str
    decided: dt.date
    approved: bool
    licence_number: str
    ended: LicenceEnded | None = None

    @property
    def state(self) -> str:
        """The answer: "valid", "revoked" or "cancelled"."""
        return self.ended.kind if self.ended else "valid"


def ended_licence(case: Case) -> LicenceEnded | None:
    ending = getattr(case, "licence_ending", None)
    if ending is None:
        return None
    ground = GROUNDS[ending.ground]
    return LicenceEnded(
        kind=ending.kind,
        label=ENDING_LABELS[Ending(ending.kind)],
        on=timezone.localtime(ending.decided_at).date(),
        ground=ground.label,
        legal_basis=ground.legal_basis,
    )


def verified_decision(code: str) -> VerifiedDecision | None:
    """The decision with this verification code (核验), or None: unknown and malformed alike."""
    code = verification.normalised(code)
    case = (
        Case.objects.filter(verification_code=code, status__in=DECIDED)
        .select_related("item", "department", "licence_ending")
        .first()
        if code
        else None
    )
    if case is None or case.decided_at is None:
        return None
    citizen = case.applicant_kind == Case.ApplicantKind.CITIZEN
    return VerifiedDecision(
        item_name=case.item.name,
        department=case.department.name,
        applicant=verification.masked_name(case.applicant_name) if citizen else case.applicant_name,
        decided=timezone.localtime(case.decided_at).date(),
        approved=bool(case.licence_number),
        licence_number=case.licence_number or "",
        ended=ended_licence(case),
    )


def after_in_queue(case: Case) -> Q:
    """The cases after this one in the queue's order (a keyset on QUEUE_ORDER)."""
    left, deadline, received, pk = (
        case.clock_days_left,
        case.clock_deadline,
        case.received_at,
        case.pk,
    )
    return (
        Q(clock_days_left__gt=left)
        | Q(clock_days_left=left, clock_deadline__gt=deadline)
        | Q(clock_days_left=left, clock_deadline=deadline, received_at__gt=received)
        | Q(clock_days_left=left, clock_deadline=deadline, received_at=received, id__gt=pk)
    )


def next_in_queue(user: Any, case: Case) -> str | None:
    """The case after this one in the clerk's queue order (下一件), or None at the end.

    One indexed query on the stored clock (ADR 0047); a case no longer in the
    queue (just decided) leads to the queue's first case.
    """
    cases = filtered_open_cases(user, QueueFilters()).order_by(*QUEUE_ORDER)
    if case.clock_days_left is not None and case.status in {s.value for s in OPEN}:
        cases = cases.filter(after_in_queue(case))
    return cases.values_list("number", flat=True).first()


# --- Department statistics (部门统计) ----------------------------------------------------


@dataclass(frozen=True)
class DepartmentFigures:
    """One department's figures over a period of receipt."""

    code: str
    name: str
    received: int
    accepted: int
    concluded: int
    decided: int
    on_time: int
    average_working_days: float | None

    @property
    def on_time_rate(self) -> float | None:
        """Share of decisions made within the limit (按时办结率), or None without decisions."""
        return self.on_time / self.decided if self.decided else None


def department_statistics(user: Any, start: dt.date, end: dt.date) -> list[DepartmentFigures]:
    """Received, accepted, concluded, on-time rate and average working days per department.

    Counts cases received in [start, end] (local dates) in the user's scope;
    on-time and working days come from each case's CaseDecided step.
    """
    cases = cases_in_scope(user).filter(received_at__date__range=(start, end))
    counted = cases.values("department__code", "department__name").annotate(
        received=Count("id"),
        accepted=Count("id", filter=Q(accepted_at__isnull=False)),
        concluded=Count("id", filter=Q(concluded_at__isnull=False)),
    )
    decisions = {
        row["case__department__code"]: row
        for row in TimelineEntry.objects.filter(
            event_type="CaseDecided", case__in=cases.values("id")
        )
        .values("case__department__code")
        .annotate(
            decided=Count("id"),
            on_time=Count("id", filter=Q(data__on_time=True)),
            average=Avg(Cast(KT("data__working_days_used"), IntegerField())),
        )
    }
    figures = []
    for row in counted.order_by("department__code"):
        decided: Mapping[str, Any] = decisions.get(row["department__code"], {})
        figures.append(
            DepartmentFigures(
                code=row["department__code"],
                name=row["department__name"],
                received=row["received"],
                accepted=row["accepted"],
                concluded=row["concluded"],
                decided=decided.get("decided", 0),
                on_time=decided.get("on_time", 0),
                average_working_days=decided.get("average"),
            )
        )
    return figures
