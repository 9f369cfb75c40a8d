"""CRL download (证书吊销列表下载): ``/trust/crl/<suite>.crl``, DER."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from egov.core.permissions import may
from egov.trust import selectors, services, signing
from egov.trust.errors import TrustError
from egov.trust.models import RevocationList, SignatureRecord

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


SIGNATURE_PAGE_SIZE = 100
STATUS_LABELS = {
    "valid": _("有效"),
    "invalid": _("无效"),
    "signed_by_revoked": _("证书已吊销"),
    "expired": _("证书已过期"),
    "unknown_signer": _("未知签名人"),
    "revoked_before_signing": _("签名前已吊销"),
    "revoked_after_signing": _("签名后吊销"),
}


def _label(result: signing.VerificationResult) -> str:
    parts = [str(STATUS_LABELS[result.status])]
    if result.revocation_timing:
        parts.append(str(STATUS_LABELS[result.revocation_timing]))
    if result.key_compromised:
        parts.append(str(_("密钥泄露")))
    return "，".join(parts)


@require_GET
def signatures(request: HttpRequest) -> HttpResponse:
    """Who signed what (签名记录), each signature re-verified on view, for auditors."""
    if not may(request.user, "audit.view"):
        raise PermissionDenied
    records = SignatureRecord.objects.select_related("signer").order_by("-signed_at", "-pk")
    rows = [
        {"record": record, "result": result, "label": _label(result)}
        for record in records[:SIGNATURE_PAGE_SIZE]
        for result in [signing.recheck(record)]
    ]
    context = {"rows": rows, "page_size": SIGNATURE_PAGE_SIZE}
    return render(request, "trust/signatures.html", context)
