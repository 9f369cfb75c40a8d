"""The administrators' backup page (容灾备份) ``/backup/``."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from egov.backup import restic
from egov.backup.alerts import describe
from egov.backup.selectors import backup_findings, recent_drills, recent_snapshots, targets
from egov.core.models import Organisation
from egov.core.permissions import may
from egov.core.views import staff_or_refuse


def platform_administrator_or_refuse(request: HttpRequest) -> None:
    """Backups cover the whole platform: only administrators of a top-level organisation."""
    user = staff_or_refuse(request, "backup.manage")
    roots = Organisation.objects.filter(parent__isnull=True)
    if not any(may(user, "backup.manage", root) for root in roots):
        raise PermissionDenied


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Repositories, health findings, recent snapshots and drills with RPO and RTO."""
    platform_administrator_or_refuse(request)
    context = {
        "repositories": [
            restic.Repository(location, "").label for location in settings.EGOV_BACKUP_REPOSITORIES
        ],
        "configured": bool(settings.EGOV_BACKUP_PASSWORD),
        "findings": [describe(finding) for finding in backup_findings(timezone.now())],
        "rpo_target_hours": targets().rpo.total_seconds() / 3600,
        "snapshots": recent_snapshots(),
        "drills": recent_drills(),
    }
    return render(request, "backup/overview.html", context)
