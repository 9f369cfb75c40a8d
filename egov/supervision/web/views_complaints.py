"""Complaint pages (效能投诉) for citizens and enterprises.

``/supervision/complaints/new/`` takes a complaint about one of the account's
own cases; ``/supervision/complaints/`` lists the account's complaints with
where each stands and, once closed, the department's accepted answer. A
visitor who is not signed in is sent to the public login first.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from egov.core.permissions import may
from egov.supervision import permissions
from egov.supervision.errors import SupervisionError
from egov.supervision.findings.complaints import CATEGORIES, my_complaints, submit_complaint

FIELD_LABELS = {
    "case_number": "办件编号",
    "category": "投诉类别",
    "text": "投诉内容",
    "contact": "联系方式",
}


def complainant(request: HttpRequest) -> HttpResponse | None:
    """None if the visitor may complain; else the response to send instead."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("core:public_login"))
    if not may(request.user, permissions.COMPLAIN):
        raise PermissionDenied
    return None


def complaint_list(request: HttpRequest) -> HttpResponse:
    """我的投诉: the account's complaints and their outcome."""
    refused = complainant(request)
    if refused is not None:
        return refused
    return render(
        request, "supervision/complaints/list.html", {"complaints": my_complaints(request.user)}
    )


def complaint_new(request: HttpRequest) -> HttpResponse:
    """效能投诉: the form (GET) and its submission (POST)."""
    refused = complainant(request)
    if refused is not None:
        return refused
    errors: dict[str, str] = {}
    values = request.POST if request.method == "POST" else request.GET
    if request.method == "POST":
        try:
            complaint = submit_complaint(
                actor=request.user,
                case_number=values.get("case_number", ""),
                category=values.get("category", ""),
                text=values.get("text", ""),
                contact=values.get("contact", ""),
            )
        except SupervisionError as error:
            errors = error.fields or {"__all__": error.message}
        else:
            messages.success(
                request, _("投诉已提交，编号 %(number)s") % {"number": complaint.number}
            )
            return redirect("supervision:complaints")
    context = {
        "categories": CATEGORIES,
        "values": values,
        "errors": {FIELD_LABELS.get(field, field): reason for field, reason in errors.items()},
        "field_errors": errors,
    }
    return render(
        request, "supervision/complaints/new.html", context, status=400 if errors else 200
    )
