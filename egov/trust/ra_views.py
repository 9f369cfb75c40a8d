"""RA pages (注册审核): apply, my certificates, the officer's queue, review, download, revoke.

The pages call :mod:`egov.trust.registration` and hold no business logic. A
refusal comes back to the page as a form error naming the field and the
reason (status 400), and nothing is written; an application or certificate the
user may not see is "not found" (404) alike.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from egov.core.permissions import may
from egov.trust import registration, selectors, services
from egov.trust.errors import ErrorCode, TrustError
from egov.trust.models import Certificate, CertificateApplication
from egov.trust.ra_forms import (
    REASON_LABELS,
    ApplyForm,
    ApproveForm,
    DownloadForm,
    KeyForm,
    RejectForm,
    RevokeForm,
    show_error,
)

PAGE_SIZE = 50
secret_fields = sensitive_post_parameters("password", "password_again")
"""Error reports (a 500 mailed to the admins) show these POST fields as ********."""
Status = CertificateApplication.Status


def refusals_of(forms: dict[str, Any] | None, shown: dict[str, bool]) -> list[str]:
    """Errors of submitted forms whose section the page no longer shows (e.g. once decided)."""
    return [
        str(message)
        for name, form in (forms or {}).items()
        if not shown.get(name, False)
        for messages_of_field in form.errors.values()
        for message in messages_of_field
    ]


def _not_found_or_raise(error: TrustError) -> None:
    if error.code == ErrorCode.NOT_FOUND and error.field in ("number", "serial"):
        raise Http404 from None


@secret_fields
@login_required
def apply(request: HttpRequest) -> HttpResponse:
    """Apply for a certificate (申请数字证书)."""
    form = ApplyForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = registration.apply_for_certificate(
                actor=request.user,
                kind=data["kind"],
                suite_name=data["suite"],
                csr=data["csr"] or None,
                pkcs12_password=data["password"] or None,
            )
        except TrustError as error:
            show_error(form, error)
        else:
            messages.success(request, _("申请已提交，等待 RA 审核员审核。"))
            return redirect("trust:ra_application", application.number)
    status = 400 if request.method == "POST" else 200
    return render(request, "trust/ra/apply.html", {"form": form}, status=status)


@login_required
@require_GET
def my_certificates(request: HttpRequest) -> HttpResponse:
    """My applications and certificates (我的证书)."""
    certificates = list(registration.certificates_of(request.user))
    rows = [
        {"certificate": c, "near_expiry": registration.near_expiry(c), "status": _status(c)}
        for c in certificates
    ]
    context = {"applications": registration.applications_of(request.user)[:100], "rows": rows}
    return render(request, "trust/ra/my_certificates.html", context)


def _status(certificate: Certificate) -> str:
    labels = {"good": _("有效"), "revoked": _("已吊销"), "expired": _("已过期")}
    return labels[selectors.status_of(certificate)]


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """The RA officer's queue (证书审核): pending first, or decided ones."""
    if not may(request.user, registration.REVIEW):
        raise PermissionDenied
    status = request.GET.get("status", Status.PENDING)
    if status not in Status.values:
        status = Status.PENDING
    applications = registration.reviewable(request.user, status)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": Status.choices}
    return render(request, "trust/ra/queue.html", context)


def _application_page(
    request: HttpRequest,
    application: CertificateApplication,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    is_applicant = application.applicant_id == user.pk
    is_reviewer = not is_applicant and may(user, registration.REVIEW, application)
    pending = application.status == Status.PENDING
    context: dict[str, Any] = {
        "application": application,
        "is_applicant": is_applicant,
        "is_reviewer": is_reviewer,
        "can_review": is_reviewer and pending,
        "can_download": is_applicant
        and application.status == Status.ISSUED
        and application.sealed_private_key is not None,
        "approve_form": ApproveForm(),
        "reject_form": RejectForm(),
        "download_form": DownloadForm(),
    }
    shown = {"approve_form": context["can_review"], "reject_form": context["can_review"],
             "download_form": context["can_download"]}  # fmt: skip
    context.update(forms or {})
    context["refusals"] = refusals_of(forms, shown)
    return render(request, "trust/ra/application.html", context, status=status)


def _access(request: HttpRequest, number: str) -> CertificateApplication:
    try:
        return registration.access_application(request.user, number)
    except TrustError:
        raise Http404 from None


@login_required
@require_GET
def application_detail(request: HttpRequest, number: str) -> HttpResponse:
    """One application (证书申请详情): for its applicant, or an RA officer over it."""
    return _application_page(request, _access(request, number))


@login_required
@require_POST
def approve(request: HttpRequest, number: str) -> HttpResponse:
    """Approve and issue (审核通过并签发)."""
    application = _access(request, number)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            registration.approve_application(
                actor=request.user,
                number=number,
                identity_check=form.cleaned_data["identity_check"],
                note=form.cleaned_data["note"],
                passphrase=services.passphrase_from_environment(),
            )
        except TrustError as error:
            _not_found_or_raise(error)
            show_error(form, error)
        else:
            messages.success(request, _("已审核通过，证书已签发。"))
            return redirect("trust:ra_application", number)
    return _application_page(request, application, forms={"approve_form": form}, status=400)


@login_required
@require_POST
def reject(request: HttpRequest, number: str) -> HttpResponse:
    """Reject with a reason (驳回申请)."""
    application = _access(request, number)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            registration.reject_application(
                actor=request.user,
                number=number,
                reason=form.cleaned_data["reason"],
                identity_check=form.cleaned_data["identity_check"],
            )
        except TrustError as error:
            _not_found_or_raise(error)
            show_error(form, error)
        else:
            messages.success(request, _("已驳回申请。"))
            return redirect("trust:ra_application", number)
    return _application_page(request, application, forms={"reject_form": form}, status=400)


@secret_fields
@login_required
@require_POST
def pkcs12(request: HttpRequest, number: str) -> HttpResponse:
    """The PKCS#12 of a generated key, once (下载证书文件)."""
    application = _access(request, number)
    form = DownloadForm(request.POST)
    if form.is_valid():
        try:
            pfx = registration.download_pkcs12(
                actor=request.user, number=number, password=form.cleaned_data["password"]
            )
        except TrustError as error:
            _not_found_or_raise(error)
            show_error(form, error)
        else:
            response = HttpResponse(pfx, content_type="application/x-pkcs12")
            response["Content-Disposition"] = f'attachment; filename="{number}.p12"'
            response["Cache-Control"] = "no-store"
            return response
    application.refresh_from_db()
    return _application_page(request, application, forms={"download_form": form}, status=400)


def _certificate(request: HttpRequest, serial: str) -> tuple[Certificate, bool]:
    try:
        return registration.access_certificate(request.user, serial)
    except TrustError:
        raise Http404 from None


def _certificate_page(
    request: HttpRequest,
    certificate: Certificate,
    is_holder: bool,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    is_officer = registration.may_revoke_any(request.user, certificate)
    context: dict[str, Any] = {
        "certificate": certificate,
        "status_label": _status(certificate),
        "is_holder": is_holder,
        "reason_label": REASON_LABELS.get(certificate.revocation_reason, ""),
        "can_revoke": certificate.status == Certificate.Status.GOOD,
        "can_renew": is_holder and certificate.status == Certificate.Status.GOOD,
        "near_expiry": registration.near_expiry(certificate),
        "revoke_form": RevokeForm(officer=is_officer),
        "renew_form": KeyForm(),
        "application": getattr(certificate, "application", None),
    }
    shown = {"revoke_form": context["can_revoke"], "renew_form": context["can_renew"]}
    context.update(forms or {})
    context["refusals"] = refusals_of(forms, shown)
    return render(request, "trust/ra/certificate.html", context, status=status)


@login_required
@require_GET
def certificate_detail(request: HttpRequest, serial: str) -> HttpResponse:
    """One certificate (证书详情): download, renew, revoke."""
    certificate, is_holder = _certificate(request, serial)
    return _certificate_page(request, certificate, is_holder)


@login_required
@require_GET
def certificate_chain(request: HttpRequest, serial: str) -> HttpResponse:
    """The certificate and its chain, PEM (下载证书及证书链)."""
    certificate, _is_holder = _certificate(request, serial)
    response = HttpResponse(
        registration.certificate_chain_pem(certificate), content_type="application/x-pem-file"
    )
    response["Content-Disposition"] = f'attachment; filename="{certificate.serial}.pem"'
    return response


@login_required
@require_POST
def revoke(request: HttpRequest, serial: str) -> HttpResponse:
    """Revoke with an RFC 5280 reason (吊销证书); the CRL is re-signed at once."""
    certificate, is_holder = _certificate(request, serial)
    form = RevokeForm(request.POST, officer=registration.may_revoke_any(request.user, certificate))
    if form.is_valid():
        try:
            registration.revoke(
                actor=request.user,
                serial=certificate.serial,
                reason=form.cleaned_data["reason"],
                passphrase=services.passphrase_from_environment(),
            )
        except TrustError as error:
            show_error(form, error)
        else:
            messages.success(request, _("证书已吊销，证书吊销列表已更新。"))
            return redirect("trust:ra_certificate", certificate.serial)
    return _certificate_page(
        request, certificate, is_holder, forms={"revoke_form": form}, status=400
    )


@secret_fields
@login_required
@require_POST
def renew(request: HttpRequest, serial: str) -> HttpResponse:
    """Ask to renew (申请证书更新): a new application for an officer to approve."""
    certificate, is_holder = _certificate(request, serial)
    form = KeyForm(request.POST, request.FILES)
    if is_holder and form.is_valid():
        data = form.cleaned_data
        try:
            application = registration.request_renewal(
                actor=request.user,
                serial=certificate.serial,
                csr=data["csr"] or None,
                pkcs12_password=data["password"] or None,
            )
        except TrustError as error:
            show_error(form, error)
        else:
            messages.success(request, _("更新申请已提交，审核通过后新证书将替代原证书。"))
            return redirect("trust:ra_application", application.number)
    elif not is_holder:
        raise Http404
    return _certificate_page(
        request, certificate, is_holder, forms={"renew_form": form}, status=400
    )


urlpatterns = [
    path("apply/", apply, name="ra_apply"),
    path("mine/", my_certificates, name="my_certificates"),
    path("queue/", queue, name="ra_queue"),
    path("applications/<str:number>/", application_detail, name="ra_application"),
    path("applications/<str:number>/approve/", approve, name="ra_approve"),
    path("applications/<str:number>/reject/", reject, name="ra_reject"),
    path("applications/<str:number>/pkcs12/", pkcs12, name="ra_pkcs12"),
    path("certificates/<str:serial>/", certificate_detail, name="ra_certificate"),
    path("certificates/<str:serial>/chain.pem", certificate_chain, name="ra_chain"),
    path("certificates/<str:serial>/revoke/", revoke, name="ra_revoke"),
    path("certificates/<str:serial>/renew/", renew, name="ra_renew"),
]
