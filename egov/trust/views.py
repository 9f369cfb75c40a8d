"""CRL download (证书吊销列表下载) ``/trust/crl/<suite>.crl``; signature records (签名记录)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from egov.core.permissions import may, scopes_for
from egov.trust import selectors, services, signing
from egov.trust.errors import TrustError
from egov.trust.models import RevocationList, SignatureRecord
from egov.trust.verdicts import Verdict

logger = logging.getLogger(__name__)


def refreshed(revocation_list: RevocationList) -> RevocationList:
    """A fresh CRL when the stored one is past nextUpdate and the passphrase is configured."""
    if revocation_list.next_update > timezone.now():
        return revocation_list
    passphrase = services.passphrase_from_environment()
    if not passphrase:
        logger.warning("CRL %s is past nextUpdate; run egov ca crl", revocation_list)
        return revocation_list
    try:
        return services.publish_crl(
            actor="system", suite_name=revocation_list.authority.suite, passphrase=passphrase
        )
    except TrustError as exc:
        logger.error("could not refresh the CRL: %s", exc)
        return revocation_list


@require_GET
def crl(request: HttpRequest, suite: str) -> HttpResponse:
    """The newest CRL of the suite's issuing CA, ``application/pkix-crl``."""
    revocation_list = selectors.latest_crl(suite)
    if revocation_list is None:
        raise Http404("no CRL for this suite")
    revocation_list = refreshed(revocation_list)
    response = HttpResponse(bytes(revocation_list.der), content_type="application/pkix-crl")
    response["Content-Disposition"] = f'attachment; filename="{suite}.crl"'
    response["Cache-Control"] = "public, max-age=300"
    return response


SIGNATURE_PAGE_SIZE = 50
STATUS_LABELS = {
    "valid": _("有效"),
    "invalid": _("无效"),
    "signed_by_revoked": _("证书已吊销"),
    "expired": _("证书已过期"),
    "unknown_signer": _("未知签名人"),
    "revoked_before_signing": _("签名前已吊销"),
    "revoked_after_signing": _("签名后吊销"),
}


def status_label(result: signing.VerificationResult | Verdict) -> str:
    """The verdict in Chinese: status, revocation timing, key compromise."""
    parts = [str(STATUS_LABELS[result.status])]
    if result.revocation_timing:
        parts.append(str(STATUS_LABELS[result.revocation_timing]))
    if result.key_compromised:
        parts.append(str(_("密钥泄露")))
    return "，".join(parts)


@dataclass(frozen=True)
class SignatureFilters:
    """The filters of the signature records page (筛选条件)."""

    serial: str = ""
    signer: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def signature_filters(request: HttpRequest) -> SignatureFilters:
    get = request.GET
    serial = get.get("serial", "").strip().replace(":", "").replace(" ", "").lower()
    return SignatureFilters(
        serial=serial,
        signer=get.get("signer", "").strip(),
        since=parse_date_or_none(get.get("from", "")),
        until=parse_date_or_none(get.get("to", "")),
    )


def parse_date_or_none(text: str) -> dt.date | None:
    try:
        return parse_date(text.strip())
    except ValueError:
        return None


def records_in_scope(user: Any) -> QuerySet[SignatureRecord]:
    """Signature records the auditor may read: the signer's or certificate's organisation.

    An auditor at a root organisation (the provincial government) reads every
    record, citizens' too; one at a city or county reads the records of signers
    (staff) or certificates (organisations) in that subtree (ADR 0009).
    """
    grants = scopes_for(user, "audit.view")
    records = SignatureRecord.objects.all()
    if any(grant.organisation_path.count("/") == 1 for grant in grants):
        return records
    subtree = Q(pk__in=[])
    for grant in grants:
        subtree |= Q(signer__staff__organisation__path__startswith=grant.organisation_path)
        subtree |= Q(certificate__organisation__path__startswith=grant.organisation_path)
    return records.filter(subtree)


def filtered_records(user: Any, filters: SignatureFilters) -> QuerySet[SignatureRecord]:
    records = records_in_scope(user)
    if filters.serial:
        records = records.filter(serial__startswith=filters.serial)
    if filters.signer:
        records = records.filter(
            Q(signer__username__icontains=filters.signer)
            | Q(signer__display_name__icontains=filters.signer)
        )
    if filters.since:
        records = records.filter(signed_at__date__gte=filters.since)
    if filters.until:
        records = records.filter(signed_at__date__lte=filters.until)
    return records.select_related("signer").order_by("-signed_at", "-pk")


@require_GET
def signatures(request: HttpRequest) -> HttpResponse:
    """Who signed what (签名记录) in the auditor's scope, a page at a time, re-verified on view."""
    if not may(request.user, "audit.view"):
        raise PermissionDenied
    filters = signature_filters(request)
    page = Paginator(filtered_records(request.user, filters), SIGNATURE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        {"record": record, "result": result, "label": status_label(result)}
        for record in page
        for result in [signing.recheck(record)]
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "rows": rows,
        "page": page,
        "filters": filters,
        "page_size": SIGNATURE_PAGE_SIZE,
        "query": query.urlencode(),
    }
    return render(request, "trust/signatures.html", context)
