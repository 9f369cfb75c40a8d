"""The certificate login page (证书登录) ``/trust/login/``: show a challenge, check the answer.

GET issues a fresh challenge for the session; POST takes the certificate (PEM
pasted or a file) and the signature (base64 pasted, or the file ``egov
login-sign`` wrote) and calls :func:`egov.trust.login.certificate_login`. A
refusal shows why, with a new challenge (the old one is used up).
"""

from __future__ import annotations

import base64

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from egov.trust import login
from egov.trust.errors import ErrorCode, TrustError

MAX_UPLOAD = 16_384
REFUSALS = {
    ErrorCode.REVOKED: _("证书已吊销，不能登录。"),
    ErrorCode.EXPIRED: _("证书已过期，不能登录。"),
    ErrorCode.NOT_YET_VALID: _("证书尚未生效。"),
    ErrorCode.UNKNOWN_ISSUER: _("证书不是本平台 CA 签发的。"),
    ErrorCode.BAD_SIGNATURE: _("签名验证失败：请用与证书对应的私钥签署本页显示的挑战码。"),
    ErrorCode.MALFORMED: _("证书或签名格式不正确。"),
}


def uploaded_text(upload: UploadedFile | None, *, binary_as_base64: bool = False) -> str:
    """An uploaded file's text ('' when none or too large); binary as base64 if asked."""
    if upload is None or upload.size is None or upload.size > MAX_UPLOAD:
        return ""
    data = upload.read()
    try:
        return data.decode("ascii")
    except UnicodeDecodeError:
        return base64.b64encode(data).decode("ascii") if binary_as_base64 else ""


def refusal_message(exc: TrustError) -> str:
    if exc.field == "challenge":
        return str(_("挑战码已失效或已使用，请使用下面的新挑战码重新签名。"))
    default = _("证书登录失败：%(reason)s") % {"reason": exc.reason}
    return str(REFUSALS.get(exc.code, default))


def next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("core:workbench")


@require_http_methods(["GET", "POST"])
def certificate_login_page(request: HttpRequest) -> HttpResponse:
    """Staff certificate login: challenge–response with ``egov login-sign`` or the upload form."""
    error = ""
    if request.method == "POST":
        post = request.POST
        certificate = post.get("certificate", "").strip() or uploaded_text(
            request.FILES.get("certificate_file"), binary_as_base64=False
        )
        signature = post.get("signature", "").strip() or uploaded_text(
            request.FILES.get("signature_file"), binary_as_base64=True
        )
        try:
            login.certificate_login(request=request, certificate=certificate, signature=signature)
        except TrustError as exc:
            error = refusal_message(exc)
        else:
            return redirect(next_url(request))
    nonce = login.new_challenge(request)
    context = {"nonce": nonce, "error": error, "next": next_url(request)}
    return render(request, "trust/login/certificate.html", context, status=400 if error else 200)
