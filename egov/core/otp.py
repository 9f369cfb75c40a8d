"""Two-factor login for privileged roles (双因素认证, TOTP with django-otp).

Administrators, RA officers and auditors (and Django superusers, who reach
/admin/) must confirm a time-based one-time password after their password or
certificate login before any other page: :class:`SecondFactorMiddleware`
sends them to the setup page (no confirmed device yet: it shows the
``otpauth://`` URI and a QR code) or to the verify page. The API answers 403
with ``second_factor_required`` instead of a redirect.

Installed after ``django_otp.middleware.OTPMiddleware``, which marks
``request.user.is_verified()`` from the session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import segno
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device

from egov.core import policy
from egov.core.permissions import grants_of
from egov.core.services import security
from egov.core.typed_requests import signed_in_user

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PRIVILEGED_ROLES = frozenset({policy.ADMINISTRATOR, policy.RA_OFFICER, policy.AUDITOR})
OPEN_PATH_PREFIXES = ("/static/", "/i18n/", "/logout/")
SECOND_FACTOR_REQUIRED = "second_factor_required"


def needs_second_factor(user: Any) -> bool:
    """Must this logged-in user confirm a TOTP token? (privileged role, or /admin/ access)"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return any(grant.role in PRIVILEGED_ROLES for grant in grants_of(user))


def is_verified(user: Any) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def open_paths() -> tuple[str, ...]:
    """Pages an unverified privileged user may still open: setup, verify, logout, assets."""
    return (reverse("core:otp_setup"), reverse("core:otp_verify"), *OPEN_PATH_PREFIXES)


class SecondFactorMiddleware:
    """Hold privileged users at the setup/verify pages until a token is confirmed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            needs_second_factor(user)
            and not is_verified(user)
            and not request.path.startswith(open_paths())
        ):
            return self.hold(request)
        return self.get_response(request)

    @staticmethod
    def hold(request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            body = {
                "code": SECOND_FACTOR_REQUIRED,
                "errors": [{"field": "otp", "reason": "confirm a TOTP token at /otp/verify/"}],
            }
            return JsonResponse(body, status=403)
        target = "core:otp_verify" if user_has_device(request.user) else "core:otp_setup"
        return redirect(f"{reverse(target)}?next={request.get_full_path()}")


def next_url(request: HttpRequest) -> str:
    """Where to go after the second factor: a local ``next`` or the workbench."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("core:workbench")


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (segno, no image files)."""
    return segno.make(uri, error="m").svg_inline(scale=4, border=2)


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Bind an authenticator app (绑定动态口令): show the URI and QR, confirm a first token."""
    user = signed_in_user(request)
    if user_has_device(user):
        return redirect(f"{reverse('core:otp_verify')}?next={next_url(request)}")
    device = security.begin_totp_setup(user=user)
    error: StrOrPromise = ""
    if request.method == "POST":
        if security.confirm_totp_device(
            request=request, device=device, token=request.POST.get("token", "")
        ):
            return redirect(next_url(request))
        error = _("动态口令不正确，请输入认证器当前显示的 6 位数字。")
    context = {
        "uri": device.config_url,
        "qr": qr_svg(device.config_url),
        "secret": device.config_url.split("secret=")[1].split("&")[0],
        "error": error,
        "next": next_url(request),
    }
    return render(request, "core/otp/setup.html", context, status=400 if error else 200)


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Enter the current token (动态口令验证) after logging in."""
    if not user_has_device(request.user):
        return redirect(f"{reverse('core:otp_setup')}?next={next_url(request)}")
    error: StrOrPromise = ""
    if request.method == "POST":
        if security.verify_second_factor(request=request, token=request.POST.get("token", "")):
            return redirect(next_url(request))
        error = _("动态口令不正确或已使用，请等待下一个口令后重试。")
    context = {"error": error, "next": next_url(request)}
    return render(request, "core/otp/verify.html", context, status=400 if error else 200)
