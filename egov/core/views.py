"""Pages of the web shell (门户外壳): portal home, logins, logout, staff workbench.

Views hold no business logic: they check permission with :func:`may`, call
selectors and services, and render templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from egov.core.forms import PublicLoginForm, StaffLoginForm
from egov.core.menu import menu_entries
from egov.core.models import Organisation, Region, RoleAssignment, User
from egov.core.permissions import may, scopes_for
from egov.core.selectors.audit import audit_entries
from egov.core.services.audit import record_audit
from egov.core.typed_requests import signed_in_user

AUDIT_PAGE_SIZE = 50


@dataclass(frozen=True)
class Module:
    """One module of the platform map, shown on the portal with whether it is live."""

    app: str
    name: Any
    description: Any
    section: str


MODULES = (
    Module("egov.approvals", _("网上审批"), _("事项目录、在线申报、办件进度"), "services"),
    Module("egov.portal", _("办事大厅"), _("办事指南、表格下载、结果公示"), "services"),
    Module(
        "egov.disclosure", _("政府信息公开"), _("主动公开目录、依申请公开、年度报告"), "disclosure"
    ),
    Module("egov.documents", _("公文传输"), _("省、市、县三级公文收发与签收"), "disclosure"),
    Module("egov.letters", _("网上互动"), _("来信、意见建议的受理与答复"), "interaction"),
    Module("egov.emergency", _("应急平台"), _("突发事件、预警信息发布"), "interaction"),
    Module("egov.supervision", _("电子监察"), _("审批全过程实时监察与预警"), "platform"),
    Module(
        "egov.trust", _("网络信任体系"), _("数字证书、SM2/SM3/SM4 国密算法、签名验签"), "platform"
    ),
    Module("egov.exchange", _("互联互通"), _("外部系统接入、信息资源目录"), "platform"),
    Module("egov.warehouse", _("决策支持"), _("综合数据库与领导驾驶舱"), "platform"),
)


def is_live(module: Module) -> bool:
    """Is the module's app installed and serving pages or endpoints of its own (URL namespace)?"""
    namespace = module.app.rpartition(".")[2]
    return apps.is_installed(module.app) and namespace in get_resolver().namespace_dict


def module_sections() -> dict[str, list[dict[str, Any]]]:
    """The module map grouped by portal section, each with whether it is live."""
    sections: dict[str, list[dict[str, Any]]] = {}
    for module in MODULES:
        live = is_live(module)
        sections.setdefault(module.section, []).append({"module": module, "live": live})
    return sections


def home(request: HttpRequest) -> HttpResponse:
    """The portal's home page (门户首页)."""
    return render(request, "core/home.html", {"sections": module_sections()})


class StaffLoginView(auth_views.LoginView):
    """Staff login (工作人员登录); success goes to the workbench."""

    form_class = StaffLoginForm
    template_name = "core/login.html"
    redirect_authenticated_user = False
    extra_context = {"audience": "staff"}

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        record_login(form.get_user(), "staff")
        return response

    def get_default_redirect_url(self) -> str:
        return reverse("core:workbench")


class PublicLoginView(auth_views.LoginView):
    """Citizen and enterprise login (个人/法人登录); success goes to the account page."""

    form_class = PublicLoginForm
    template_name = "core/login.html"
    extra_context = {"audience": "public"}

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        record_login(form.get_user(), "public")
        return response

    def get_default_redirect_url(self) -> str:
        return reverse("core:account")


def record_login(user: User, entrance: str) -> None:
    """Audit a successful login (登录) with the entrance used."""
    record_audit(
        actor=user,
        action="auth.login",
        object_type="user",
        object_id=user.username,
        summary=f"login via {entrance} entrance",
    )


@require_POST
def logout(request: HttpRequest) -> HttpResponseRedirect:
    """Log out (退出), POST only so a link or an image cannot log anyone out."""
    user = request.user
    if user.is_authenticated:
        record_audit(actor=user, action="auth.logout", object_type="user", object_id=user.username)
    auth_logout(request)
    messages.info(request, _("您已安全退出。"))
    return redirect("core:home")


def staff_or_refuse(request: HttpRequest, action: str) -> User:
    """The logged-in staff user if they ``may`` do ``action``; otherwise 403."""
    user = request.user
    if not isinstance(user, User) or user.kind != User.Kind.STAFF or not may(user, action):
        raise PermissionDenied
    return user


def menu_for(user: User) -> list[dict[str, Any]]:
    """The menu entries this user may see, for modules whose pages exist.

    Entries in the Django admin also need the admin's own flag (``is_staff``):
    without it the admin would turn the user away, so the entry is not shown.
    """
    entries = []
    for entry in menu_entries():
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        if entry.url_name.startswith("admin:") and not user.is_staff:
            continue
        if may(user, entry.action):
            entries.append({"entry": entry, "url": url})
    return entries


def region_chain(region: Region) -> list[Region]:
    """The region and its ancestors, province first (one query)."""
    codes = [code for code in region.path.split("/") if code]
    return list(Region.objects.filter(code__in=codes).order_by("level"))


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    """The staff workbench home (工作台): organisation, roles, menu."""
    user = staff_or_refuse(request, "workbench.view")
    profile = getattr(user, "staff", None)
    organisation = profile.organisation if profile else None
    roles = (
        RoleAssignment.objects.filter(user=user)
        .select_related("organisation__region")
        .order_by("organisation__path", "role")
    )
    context = {
        "organisation": organisation,
        "region_chain": region_chain(organisation.region) if organisation else [],
        "roles": roles,
        "menu": menu_for(user),
    }
    return render(request, "core/workbench.html", context)


def audit_scope(user: User) -> list[str] | None:
    """Organisation codes whose audit entries this user may read; None for all.

    An auditor at the provincial government (a root organisation) reads
    everything; one at a city or county reads the entries of the organisations
    in that subtree.
    """
    grants = scopes_for(user, "audit.view")
    if any(grant.organisation_path.count("/") == 1 for grant in grants):
        return None
    subtree = Q(pk__in=[])
    for grant in grants:
        subtree |= Q(path__startswith=grant.organisation_path)
    return list(Organisation.objects.filter(subtree).values_list("code", flat=True))


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The latest audit chain entries (审计日志) for auditors and administrators."""
    user = staff_or_refuse(request, "audit.view")
    entries = audit_entries(
        actor=request.GET.get("actor", "").strip(),
        action=request.GET.get("action", "").strip(),
        organisations=audit_scope(user),
    )[:AUDIT_PAGE_SIZE]
    context = {"entries": entries, "page_size": AUDIT_PAGE_SIZE, "query": request.GET}
    return render(request, "core/audit_log.html", context)


@login_required(login_url="core:public_login")
def account(request: HttpRequest) -> HttpResponse:
    """A citizen's or enterprise's own account page (我的账户)."""
    user = signed_in_user(request)
    if user.kind == User.Kind.STAFF:
        return redirect("core:workbench")
    if not may(user, "account.view"):
        raise PermissionDenied
    context = {"account": getattr(user, "public_account", None), "menu": menu_for(user)}
    return render(request, "core/account.html", context)
