"""The audit chain and its checkpoints are read-only in the Django admin, even for superusers."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from egov.core.models import AuditCheckpoint, AuditEntry


@pytest.mark.parametrize("model", [AuditEntry, AuditCheckpoint])
def test_nobody_adds_changes_or_deletes(model, admin_province) -> None:
    request = RequestFactory().get("/admin/")
    request.user = admin_province
    request.user.is_superuser = True
    model_admin = admin.site._registry[model]
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
