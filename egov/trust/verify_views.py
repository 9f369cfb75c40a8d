"""Pages to verify and to make detached signatures (签名验证 / 文件签名).

``/trust/verify/``: anyone uploads a file and its ``.p7s`` and reads the
verdict. ``/trust/sign/``: a signed-in staff member signs a file with the key
file of their current certificate and downloads the ``.p7s``. The key and its
passphrase stay in this request's memory: uploads go to an in-memory handler
only (never a temporary file), the passphrase is hidden from error reports,
and neither is stored, logged or sent back (ADR 0020).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from egov.core.permissions import may
from egov.trust import signing, verdicts
from egov.trust.errors import ErrorCode, TrustError
from egov.trust.views import status_label

SIGN_ACTION = "trust.sign"
MAX_KEY_BYTES = 64 * 1024
MAX_SIGN_REQUEST = verdicts.MAX_PAYLOAD_BYTES + MAX_KEY_BYTES + 64 * 1024
"""The largest sign request read at all: payload, key file, passphrase and form overhead."""
MAX_VERIFY_REQUEST = verdicts.MAX_PAYLOAD_BYTES + verdicts.MAX_SIGNATURE_BYTES + 64 * 1024
P7S_TYPE = "application/pkcs7-signature"
MEGABYTES = verdicts.MAX_PAYLOAD_BYTES // (1024 * 1024)


def content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def checked_size(upload: Any, limit: int) -> Any:
    if upload.size > limit:
        raise forms.ValidationError(
            _("文件过大：上限为 %(limit)s 字节。"), code="too_large", params={"limit": limit}
        )
    if not upload.size:
        raise forms.ValidationError(_("文件为空。"), code="empty")
    return upload


class VerifyForm(forms.Form):
    """A signed file and its detached signature (签名验证)."""

    payload = forms.FileField(label=_("原文件"))
    signature = forms.FileField(label=_("签名文件（.p7s）"))

    def clean_payload(self) -> Any:
        return checked_size(self.cleaned_data["payload"], verdicts.MAX_PAYLOAD_BYTES)

    def clean_signature(self) -> Any:
        return checked_size(self.cleaned_data["signature"], verdicts.MAX_SIGNATURE_BYTES)


class SignForm(forms.Form):
    """A file to sign, the signer's key file and its passphrase (文件签名)."""

    payload = forms.FileField(label=_("要签名的文件"))
    private_key = forms.FileField(label=_("私钥文件（PEM）"))
    passphrase = forms.CharField(
        label=_("私钥口令"), required=False, strip=False, widget=forms.PasswordInput
    )

    def clean_payload(self) -> Any:
        return checked_size(self.cleaned_data["payload"], verdicts.MAX_PAYLOAD_BYTES)

    def clean_private_key(self) -> Any:
        return checked_size(self.cleaned_data["private_key"], MAX_KEY_BYTES)


class InMemoryOnlyUploadHandler(MemoryFileUploadHandler):
    """Keep every upload of the request in memory, up to ``MAX_SIGN_REQUEST`` in all.

    Django writes uploads over 2.5 MB to a temporary file; a private key must
    never reach the disk, so the sign page uses this handler alone. A larger
    request is refused before it is parsed.
    """

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],  # noqa: N803 - Django's parameter name
        content_length: int,
        # django-stubs says str; MultiPartParser passes the boundary encoded (bytes).
        boundary: bytes,  # type: ignore[override]
        encoding: str | None = None,
    ) -> None:
        self.activated = content_length <= MAX_SIGN_REQUEST


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Upload a file and its .p7s, read the verdict (签名验证); open to everyone."""
    is_post = request.method == "POST"
    if is_post and content_length(request) > MAX_VERIFY_REQUEST:
        refusal = _("文件过大：上限为 %(n)s MB。") % {"n": MEGABYTES}
        context: dict[str, Any] = {"form": VerifyForm(), "megabytes": MEGABYTES, "refusal": refusal}
        return render(request, "trust/verify/verify.html", context, status=413)
    form = VerifyForm(request.POST, request.FILES) if is_post else VerifyForm()
    context = {"form": form, "megabytes": MEGABYTES}
    status = 200
    if is_post:
        if form.is_valid():
            verdict = verdicts.verify(
                form.cleaned_data["payload"].read(), form.cleaned_data["signature"].read()
            )
            context["verdict"] = verdict
            context["label"] = status_label(verdict)
            context["explanation"] = EXPLANATIONS[verdict.status]
        else:
            status = 400
    return render(request, "trust/verify/verify.html", context, status=status)


EXPLANATIONS = {
    "valid": _("文件自签名后未被改动，签名人的证书由本平台签发，签名时和现在都有效。"),
    "invalid": _("文件与签名不符（文件被改动或签名损坏），或签名文件无法读取。"),
    "signed_by_revoked": _("签名人的证书已被吊销；请看吊销时间与签名时间的先后。"),
    "expired": _("签名人的证书在签名时或现在不在有效期内。"),
    "unknown_signer": _("签名人的证书不是本平台CA签发的，无法确认签名人身份。"),
}

SIGN_REFUSALS = {
    ErrorCode.NOT_FOUND: _("您没有可用于签名的有效证书（已吊销、已过期或尚未签发）。"),
    ErrorCode.INVALID_INPUT: _("私钥与您当前的有效证书不匹配，或私钥口令错误。"),
}


@sensitive_variables("key", "passphrase")
def signed_download(request: HttpRequest, form: SignForm) -> HttpResponse:
    """Sign the uploaded file; a ``.p7s`` download, or the form with the refusal."""
    upload = form.cleaned_data["payload"]
    key = form.cleaned_data["private_key"].read()
    passphrase = form.cleaned_data["passphrase"] or None
    try:
        document = signing.sign(
            user=request.user,
            payload=upload.read(),
            private_key_pem=key,
            passphrase=passphrase,
            object_type="file",
            object_id=(upload.name or "")[:128],
        )
    except TrustError as exc:
        form.add_error("private_key", SIGN_REFUSALS.get(exc.code, exc.reason))
        return render(request, "trust/verify/sign.html", {"form": form}, status=400)
    response = HttpResponse(document.signature_der, content_type=P7S_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{upload.name or 'signed'}.p7s"
    )
    response["X-Signature-Serial"] = document.serial
    response["Cache-Control"] = "no-store"
    return response


@csrf_protect
def _sign(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if content_length(request) > MAX_SIGN_REQUEST:
            refusal = _("文件过大：上限为 %(n)s MB。") % {"n": MEGABYTES}
            context = {"form": SignForm(), "refusal": refusal}
            return render(request, "trust/verify/sign.html", context, status=413)
        form = SignForm(request.POST, request.FILES)
        if form.is_valid():
            return signed_download(request, form)
        return render(request, "trust/verify/sign.html", {"form": form}, status=400)
    return render(request, "trust/verify/sign.html", {"form": SignForm()})


@login_required
@sensitive_post_parameters("passphrase")
@csrf_exempt  # checked by _sign, after the in-memory upload handler is in place
@require_http_methods(["GET", "POST"])
def sign(request: HttpRequest) -> HttpResponse:
    """Sign a file with one's own certificate key, download the .p7s (文件签名); staff only."""
    if not may(request.user, SIGN_ACTION):
        raise PermissionDenied
    request.upload_handlers = [InMemoryOnlyUploadHandler(request)]
    return _sign(request)
